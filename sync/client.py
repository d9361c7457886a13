"""A small client for the standard ZGW APIs the sync uses (Zaken 1.5, Documenten 1.4).

Only standard endpoints and filters (no ``kenmerk`` filter, no ``zaak_registreren``, no
``pageSize``, no ``informatieobjecttype`` filter on documents), so any compliant
zaaksysteem works. One filter carries Open Zaak's ``**EXPERIMENTEEL**`` mark:
``rol__betrokkeneIdentificatie__medewerker__identificatie`` on ``/zaken``. It is in the
VNG Zaken standard since 1.0; Open Zaak marks it only because it allows 128 characters
instead of the standard's 24 (the settings keep the identificatie within 24).

Transport seam (STYLE H1): the client takes an injected :class:`httpx.Client`; without
one it builds it with :func:`make_http_client`, the only place that sets timeouts and
TLS. All policy of the protocol lives here:

- a fresh HS256 JWT per request (``iss``, ``client_id``, ``iat``, ``user_id``,
  ``user_representation``), added by :class:`ZGWAuth` -- never stored, never reused;
- ``Accept-Crs: EPSG:4326`` on every non-DELETE call to ``/zaken``, ``/zaken/{uuid}`` and
  ``/zaken/_zoek``, ``Content-Crs`` on writes there (Open Zaak answers 412 without);
- downloads ask for ``application/octet-stream`` (``application/json`` gives 406);
- requests only go to URLs under the three configured roots, so a token never travels
  to a host named in an answer (``next`` links, document URLs); redirects are not
  followed;
- every failure becomes a :mod:`sync.errors` exception, through
  :func:`sync.errors.translate_errors` (the one mapping point).

Answers are parsed into small frozen records (:class:`RemoteZaak`, ...); a missing or
mistyped field is a :class:`~sync.errors.ProtocolError`, never a ``KeyError``.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import logging
import re
import ssl
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from .errors import ProtocolError, SettingsError, translate_errors
from .settings import SyncSettings

log = logging.getLogger("keukentafel.sync")

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_PAGES",
    "SEARCH_CHUNK",
    "CRS",
    "USER_AGENT",
    "make_http_client",
    "ZGWAuth",
    "ZGWClient",
    "ClientState",
    "RemoteZaak",
    "RemoteRol",
    "RemoteStatus",
    "RemoteDocument",
    "RemoteLink",
]

#: Connecting may take 5 s (a slow mobile network), any read/write/pool wait 10 s.
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
#: A paged list longer than this is a server bug (a loop), not data.
MAX_PAGES = 1000
#: UUIDs per ``_zoek`` request: Open Zaak's page size, so one chunk is one page.
SEARCH_CHUNK = 100
#: The one coordinate system we speak (we send no geometry, but the headers are required).
CRS = "EPSG:4326"
USER_AGENT = "Keukentafel-sync/1"

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ZAAK_RESOURCE = re.compile(
    r"/zaken(/_zoek|/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?/?"
)


def make_http_client(
    settings: SyncSettings,
    *,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """The one factory for the sync's HTTP client: timeouts, TLS (always verified)."""
    verify: ssl.SSLContext | bool = True
    if settings.ca_bundle is not None:
        # Adds the municipality's root to the system's; verification stays on.
        verify = ssl.create_default_context()
        try:
            verify.load_verify_locations(cafile=str(settings.ca_bundle))
        except (OSError, ssl.SSLError):
            raise SettingsError(
                "CA bundle cannot be loaded",
                melding="Het certificaatbestand in de synchronisatie-instellingen kan niet worden gelezen.",
            ) from None
    return httpx.Client(
        timeout=timeout,
        verify=verify,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
    )


class ZGWAuth(httpx.Auth):
    """Adds a freshly minted ZGW JWT to every request (also to every retry)."""

    def __init__(self, settings: SyncSettings, clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._clock = clock

    def token(self) -> str:
        s = self._settings
        claims = {
            "iss": s.client_id,
            "client_id": s.client_id,
            "iat": int(self._clock()),
            "user_id": s.medewerker_identificatie,
            "user_representation": s.user_representation,
        }
        return jwt.encode(claims, s.secret.get_secret_value(), algorithm="HS256")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request


# --- records --------------------------------------------------------------------------------


def _field(data: Any, name: str, kind: type | tuple[type, ...], what: str, *, optional: bool = False) -> Any:
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: expected an object")
    value = data.get(name)
    if value is None and optional:
        return None
    if kind is int and isinstance(value, bool):
        raise ProtocolError(f"{what}: field {name!r} has the wrong type")
    if not isinstance(value, kind):
        raise ProtocolError(f"{what}: field {name!r} missing or of the wrong type")
    return value


def _url_list(data: Any, name: str, what: str) -> tuple[str, ...]:
    value = data.get(name) if isinstance(data, dict) else None
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError(f"{what}: field {name!r} is not a list of URLs")
    return tuple(value)


@dataclass(frozen=True)
class RemoteZaak:
    url: str
    identificatie: str
    zaaktype: str
    status: str | None  # URL of the current status
    rollen: tuple[str, ...]
    zaakinformatieobjecten: tuple[str, ...]
    einddatum: str | None = None  # set: the zaak is closed
    relevante_andere_zaken: tuple[str, ...] = ()  # URLs of related zaken (e.g. its predecessor)

    @property
    def closed(self) -> bool:
        return bool(self.einddatum)

    @classmethod
    def parse(cls, data: Any) -> RemoteZaak:
        w = "zaak"
        related = data.get("relevanteAndereZaken") if isinstance(data, dict) else None
        return cls(
            url=_field(data, "url", str, w),
            identificatie=_field(data, "identificatie", str, w),
            zaaktype=_field(data, "zaaktype", str, w),
            status=_field(data, "status", str, w, optional=True) or None,
            rollen=_url_list(data, "rollen", w),
            zaakinformatieobjecten=_url_list(data, "zaakinformatieobjecten", w),
            einddatum=_field(data, "einddatum", str, w, optional=True) or None,
            relevante_andere_zaken=tuple(
                r["url"] for r in related or () if isinstance(r, dict) and isinstance(r.get("url"), str)
            )
            if isinstance(related, list)
            else (),
        )


@dataclass(frozen=True)
class RemoteRol:
    url: str
    zaak: str
    roltype: str
    betrokkene_type: str
    medewerker: str | None  # betrokkeneIdentificatie.identificatie of a medewerker

    @classmethod
    def parse(cls, data: Any) -> RemoteRol:
        w = "rol"
        ident = data.get("betrokkeneIdentificatie") if isinstance(data, dict) else None
        medewerker = ident.get("identificatie") if isinstance(ident, dict) else None
        return cls(
            url=_field(data, "url", str, w),
            zaak=_field(data, "zaak", str, w),
            roltype=_field(data, "roltype", str, w),
            betrokkene_type=_field(data, "betrokkeneType", str, w),
            medewerker=medewerker if isinstance(medewerker, str) else None,
        )


@dataclass(frozen=True)
class RemoteStatus:
    url: str
    zaak: str
    statustype: str
    datum: str
    laatst_gezet: bool | None  # indicatieLaatstGezetteStatus, when the server sends it

    @classmethod
    def parse(cls, data: Any) -> RemoteStatus:
        w = "status"
        last = data.get("indicatieLaatstGezetteStatus") if isinstance(data, dict) else None
        return cls(
            url=_field(data, "url", str, w),
            zaak=_field(data, "zaak", str, w),
            statustype=_field(data, "statustype", str, w),
            datum=_field(data, "datumStatusGezet", str, w),
            laatst_gezet=last if isinstance(last, bool) else None,
        )


@dataclass(frozen=True)
class RemoteDocument:
    url: str
    identificatie: str
    bronorganisatie: str
    versie: int
    locked: bool
    informatieobjecttype: str
    integriteit_sha256: str | None  # integriteit.waarde when algoritme is sha_256
    formaat: str = ""

    @classmethod
    def parse(cls, data: Any) -> RemoteDocument:
        w = "document"
        integriteit = data.get("integriteit") if isinstance(data, dict) else None
        sha = None
        if isinstance(integriteit, dict) and integriteit.get("algoritme") == "sha_256":
            value = integriteit.get("waarde")
            sha = value.lower() if isinstance(value, str) else None
        versie = _field(data, "versie", int, w)
        if versie < 1:
            raise ProtocolError("document: versie < 1")
        return cls(
            url=_field(data, "url", str, w),
            identificatie=_field(data, "identificatie", str, w),
            bronorganisatie=_field(data, "bronorganisatie", str, w),
            versie=versie,
            locked=_field(data, "locked", bool, w),
            informatieobjecttype=_field(data, "informatieobjecttype", str, w),
            integriteit_sha256=sha,
            formaat=_field(data, "formaat", str, w, optional=True) or "",
        )


@dataclass(frozen=True)
class RemoteLink:
    """A zaakinformatieobject: document linked to zaak."""

    url: str
    zaak: str
    informatieobject: str

    @classmethod
    def parse(cls, data: Any) -> RemoteLink:
        w = "zaakinformatieobject"
        return cls(
            url=_field(data, "url", str, w),
            zaak=_field(data, "zaak", str, w),
            informatieobject=_field(data, "informatieobject", str, w),
        )


# --- the client -------------------------------------------------------------------------------


class ClientState(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class ZGWClient:
    """The ZGW calls of the sync. Not thread-safe: one client per sync run/thread."""

    def __init__(
        self,
        settings: SyncSettings,
        http: httpx.Client | None = None,
        *,
        clock: Callable[[], float] = time.time,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self.settings = settings
        self._owns_http = http is None
        self._http = http if http is not None else make_http_client(settings)
        self._auth = ZGWAuth(settings, clock)
        self._clock = clock
        self._today = today or (lambda: dt.datetime.fromtimestamp(clock()).date())
        self.state = ClientState.OPEN
        #: Requests sent (attempted), for the audit detail and the bench.
        self.requests_made = 0

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        if self.state is ClientState.CLOSED:
            return
        self.state = ClientState.CLOSED
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> ZGWClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------------

    def _check_url(self, url: str) -> None:
        if not isinstance(url, str) or not any(
            url == root or url.startswith(root + "/") for root in self.settings.roots
        ):
            raise ProtocolError("refusing a URL outside the configured API roots")

    def _send(
        self,
        method: str,
        url: str,
        op: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        accept: str = "application/json",
        expect: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        if self.state is ClientState.CLOSED:
            raise RuntimeError("the ZGW client is closed")
        self._check_url(url)
        headers = {"Accept": accept}
        path = url[len(self.settings.zaken_root):] if url.startswith(self.settings.zaken_root + "/") else None
        if path is not None and method != "DELETE" and _ZAAK_RESOURCE.fullmatch(path.split("?", 1)[0]):
            headers["Accept-Crs"] = CRS
            if method in ("POST", "PUT", "PATCH"):
                headers["Content-Crs"] = CRS
        with translate_errors(op):
            self.requests_made += 1
            response = self._http.request(
                method, url, params=params, json=body, headers=headers, auth=self._auth
            )
            response.raise_for_status()
        if response.status_code not in expect:
            raise ProtocolError(f"{op}: unexpected HTTP {response.status_code}", status=response.status_code)
        return response

    @staticmethod
    def _json(response: httpx.Response, op: str) -> Any:
        try:
            return response.json()
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError(f"{op}: the answer is not JSON") from None

    def _list(self, url: str, params: dict[str, Any], op: str, *, search: Any = None) -> Iterator[Any]:
        """Items of a list endpoint: paged ``{count, next, results}`` or a plain array.

        With ``search`` (a JSON body) it is a ``POST …/_zoek``: every page is the same
        POST to the ``next`` URL (``…/_zoek?page=N``), as the ZGW search operations page.
        ``next`` is followed only within the configured roots (checked in ``_send``).
        """
        seen: set[str] = set()
        next_url: str | None = url
        query: dict[str, Any] | None = params
        for _ in range(MAX_PAGES):
            if next_url is None:
                return
            if search is not None:
                answer = self._send("POST", next_url, op, params=query, body=search)
            else:
                answer = self._send("GET", next_url, op, params=query)
            body = self._json(answer, op)
            if isinstance(body, list):  # e.g. /zaakinformatieobjecten answers a plain array
                yield from body
                return
            results = body.get("results") if isinstance(body, dict) else None
            if not isinstance(results, list):
                raise ProtocolError(f"{op}: a list answer without 'results'")
            yield from results
            following = body.get("next")
            if following is not None and not isinstance(following, str):
                raise ProtocolError(f"{op}: 'next' is not a URL")
            if following is not None:
                if following in seen:
                    raise ProtocolError(f"{op}: paging loops")
                seen.add(following)
            next_url, query = following or None, None
        raise ProtocolError(f"{op}: more than {MAX_PAGES} pages")

    @property
    def _zaken(self) -> str:
        return self.settings.zaken_root

    @property
    def _documenten(self) -> str:
        return self.settings.documenten_root + "/enkelvoudiginformatieobjecten"

    # -- zaken --------------------------------------------------------------------------------

    def find_zaak(self, identificatie: str) -> RemoteZaak | None:
        """The zaak with this identificatie at our bronorganisatie (unique there), if any."""
        params = {"identificatie": identificatie, "bronorganisatie": self.settings.bronorganisatie}
        found = [RemoteZaak.parse(z) for z in self._list(f"{self._zaken}/zaken", params, "find zaak")]
        found = [z for z in found if z.identificatie == identificatie]
        return found[0] if found else None

    def create_zaak(
        self, *, identificatie: str, startdatum: dt.date, omschrijving: str, vervolg_op: str | None = None
    ) -> RemoteZaak:
        """Create a zaak; ``vervolg_op``: the URL of the (closed) zaak this one follows
        (``relevanteAndereZaken``, aardRelatie ``vervolg``)."""
        s = self.settings
        body: dict[str, Any] = {
            "identificatie": identificatie,
            "bronorganisatie": s.bronorganisatie,
            "verantwoordelijkeOrganisatie": s.bronorganisatie,
            "zaaktype": s.zaaktype,
            "startdatum": startdatum.isoformat(),
            "omschrijving": omschrijving,
            "vertrouwelijkheidaanduiding": s.vertrouwelijkheidaanduiding,
        }
        if vervolg_op is not None:
            body["relevanteAndereZaken"] = [{"url": vervolg_op, "aardRelatie": "vervolg"}]
        r = self._send("POST", f"{self._zaken}/zaken", "create zaak", body=body, expect=(201,))
        return RemoteZaak.parse(self._json(r, "create zaak"))

    def list_my_zaken(self) -> list[RemoteZaak]:
        """Zaken of our zaaktype with this wijkcoach in a rol (all pages)."""
        s = self.settings
        params = {
            "zaaktype": s.zaaktype,
            "rol__betrokkeneIdentificatie__medewerker__identificatie": s.medewerker_identificatie,
        }
        return [RemoteZaak.parse(z) for z in self._list(f"{self._zaken}/zaken", params, "list zaken")]

    def create_rol(self, zaak_url: str) -> RemoteRol:
        """This wijkcoach as behandelaar (betrokkeneType medewerker) of the zaak."""
        s = self.settings
        body = {
            "zaak": zaak_url,
            "betrokkeneType": "medewerker",
            "roltype": s.roltype_behandelaar,
            "roltoelichting": "Wijkcoach (behandelaar)",
            "betrokkeneIdentificatie": {"identificatie": s.medewerker_identificatie},
        }
        r = self._send("POST", f"{self._zaken}/rollen", "create rol", body=body, expect=(201,))
        return RemoteRol.parse(self._json(r, "create rol"))

    def delete_rol(self, url: str) -> None:
        """Remove a rol (``DELETE /rollen/{uuid}``, standard; needs ``zaken.bijwerken``)."""
        self._send("DELETE", url, "delete rol", expect=(204,))

    def list_rollen(self, zaak_url: str) -> list[RemoteRol]:
        return [
            RemoteRol.parse(x) for x in self._list(f"{self._zaken}/rollen", {"zaak": zaak_url}, "list rollen")
        ]

    def create_status(self, zaak_url: str, statustype: str, gezet: dt.datetime) -> RemoteStatus:
        body = {"zaak": zaak_url, "statustype": statustype, "datumStatusGezet": gezet.isoformat()}
        r = self._send("POST", f"{self._zaken}/statussen", "create status", body=body, expect=(201,))
        return RemoteStatus.parse(self._json(r, "create status"))

    def list_statussen(self, zaak_url: str) -> list[RemoteStatus]:
        return [
            RemoteStatus.parse(x)
            for x in self._list(f"{self._zaken}/statussen", {"zaak": zaak_url}, "list statussen")
        ]

    def create_resultaat(self, zaak_url: str, resultaattype: str, toelichting: str = "") -> str:
        """The zaak's resultaat (``POST /resultaten``, needs ``zaken.bijwerken``); required
        before the eindstatus. Returns its URL."""
        body = {"zaak": zaak_url, "resultaattype": resultaattype}
        if toelichting:
            body["toelichting"] = toelichting
        r = self._send("POST", f"{self._zaken}/resultaten", "create resultaat", body=body, expect=(201,))
        url = _field(self._json(r, "create resultaat"), "url", str, "resultaat")
        return str(url)

    def close_zaak(self, zaak_url: str, resultaattype: str, gezet: dt.datetime) -> RemoteStatus:
        """Close a zaak as Open Zaak requires: the resultaat first, then the eindstatus
        (``statustype_afgesloten``). For the trajectory's closure (issue 13)."""
        self.create_resultaat(zaak_url, resultaattype)
        return self.create_status(zaak_url, self.settings.statustype_afgesloten, gezet)

    def link(self, zaak_url: str, document_url: str) -> RemoteLink:
        body = {"zaak": zaak_url, "informatieobject": document_url}
        r = self._send("POST", f"{self._zaken}/zaakinformatieobjecten", "link document", body=body, expect=(201,))
        return RemoteLink.parse(self._json(r, "link document"))

    def list_zio(self, zaak_url: str) -> list[RemoteLink]:
        """The zaak's document links (Open Zaak answers a plain array, not a page)."""
        return [
            RemoteLink.parse(x)
            for x in self._list(f"{self._zaken}/zaakinformatieobjecten", {"zaak": zaak_url}, "list links")
        ]

    # -- documenten ---------------------------------------------------------------------------

    def find_document(self, identificatie: str) -> RemoteDocument | None:
        params = {"identificatie": identificatie, "bronorganisatie": self.settings.bronorganisatie}
        found = [RemoteDocument.parse(d) for d in self._list(self._documenten, params, "find document")]
        found = [d for d in found if d.identificatie == identificatie]
        return found[0] if found else None

    def list_documents(self, bronorganisatie: str | None = None) -> Iterator[RemoteDocument]:
        """Every document of a bronorganisatie (ours by default), newest versie each, paged.

        In production that is every document of the municipality (thousands of pages):
        the sync does not use it (see :meth:`search_documents`); tests and tools do.

        ``bronorganisatie`` (and ``identificatie``) are the only standard list filters of
        Documenten 1.4; filter on informatieobjecttype in the caller.

        The list holds every system's documents of the organisation: one that does not
        parse is passed over (and logged), so a foreign malformed entry cannot stop the sync.
        """
        params = {"bronorganisatie": bronorganisatie or self.settings.bronorganisatie}
        for item in self._list(self._documenten, params, "list documents"):
            try:
                yield RemoteDocument.parse(item)
            except ProtocolError as exc:
                log.warning("list documents: an entry passed over (%s)", exc)

    def search_documents(self, urls: Iterable[str]) -> dict[str, RemoteDocument]:
        """The current metadata of the given documents, by URL, in few requests.

        ``POST /enkelvoudiginformatieobjecten/_zoek`` with ``uuid__in`` (standard since
        Documenten 1.2, not EXPERIMENTEEL): cost in proportion to the documents asked
        for (one request per :data:`SEARCH_CHUNK`), never to the organisation's other
        documents. Absent from the answer: URLs that are not documents of the configured
        Documenten API (e.g. a link to another system's document), documents not found
        (deleted, or not visible to this application), and entries that do not parse
        (logged).
        """
        wanted: dict[str, str] = {}  # uuid -> url as asked
        found: dict[str, RemoteDocument] = {}
        for url in urls:
            doc_uuid = self.document_uuid(url)
            if doc_uuid is not None:
                wanted.setdefault(doc_uuid, url)
        ids = sorted(wanted)
        for start in range(0, len(ids), SEARCH_CHUNK):
            body = {"uuid__in": ids[start:start + SEARCH_CHUNK]}
            for item in self._list(f"{self._documenten}/_zoek", {}, "search documents", search=body):
                try:
                    doc = RemoteDocument.parse(item)
                except ProtocolError as exc:
                    log.warning("search documents: an entry passed over (%s)", exc)
                    continue
                doc_uuid = self.document_uuid(doc.url)
                if doc_uuid in wanted:
                    found[wanted[doc_uuid]] = doc
        return found

    def document_uuid(self, url: str) -> str | None:
        """The UUID of a document from its URL (ZGW resource URLs end in it), or None."""
        prefix = self._documenten + "/"
        if not isinstance(url, str) or not url.startswith(prefix):
            return None
        rest = url[len(prefix):].split("?", 1)[0].rstrip("/")
        return rest.lower() if _UUID.fullmatch(rest) else None

    def create_document(
        self,
        *,
        identificatie: str,
        informatieobjecttype: str,
        titel: str,
        bestandsnaam: str,
        formaat: str,
        inhoud: bytes,
        status: str | None = None,
        creatiedatum: dt.date | None = None,
        beschrijving: str = "",
        integriteit: bool = False,
        ondertekend_op: dt.date | None = None,
    ) -> RemoteDocument:
        """Create a document with its content. ``indicatieGebruiksrecht`` is set to
        ``false`` (the zaak's eindstatus requires it to be set on every linked document)."""
        s = self.settings
        today = self._today()
        body: dict[str, Any] = {
            "identificatie": identificatie,
            "bronorganisatie": s.bronorganisatie,
            "creatiedatum": (creatiedatum or today).isoformat(),
            "titel": titel,
            "auteur": s.user_representation,
            "taal": "nld",
            "informatieobjecttype": informatieobjecttype,
            "vertrouwelijkheidaanduiding": s.vertrouwelijkheidaanduiding,
            "inhoud": base64.b64encode(inhoud).decode("ascii"),
            "bestandsnaam": bestandsnaam,
            "formaat": formaat,
            "bestandsomvang": len(inhoud),
            "indicatieGebruiksrecht": False,
        }
        if beschrijving:
            body["beschrijving"] = beschrijving
        if status is not None:
            body["status"] = status
        if integriteit:
            body["integriteit"] = {
                "algoritme": "sha_256",
                "waarde": hashlib.sha256(inhoud).hexdigest(),
                "datum": today.isoformat(),
            }
        if ondertekend_op is not None:
            body["ondertekening"] = {"soort": "digitaal", "datum": ondertekend_op.isoformat()}
        r = self._send("POST", self._documenten, "create document", body=body, expect=(201,))
        return RemoteDocument.parse(self._json(r, "create document"))

    def get_document(self, url: str, versie: int | None = None) -> RemoteDocument:
        params = None if versie is None else {"versie": versie}
        return RemoteDocument.parse(self._json(self._send("GET", url, "get document", params=params), "get document"))

    def lock(self, url: str) -> str:
        body = self._json(self._send("POST", f"{url}/lock", "lock document"), "lock document")
        lock = body.get("lock") if isinstance(body, dict) else None
        if not isinstance(lock, str) or not lock:
            raise ProtocolError("lock document: no lock id in the answer")
        return lock

    def patch(self, url: str, lock: str, *, inhoud: bytes, **fields: Any) -> RemoteDocument:
        """A new version with new content (the document must be locked with ``lock``).

        ``bestandsomvang`` is always sent: Open Zaak compares the new content's length with
        it, and without it with the *old* size (400 ``file-size``)."""
        body = {
            "lock": lock,
            "inhoud": base64.b64encode(inhoud).decode("ascii"),
            "bestandsomvang": len(inhoud),
            **fields,
        }
        r = self._send("PATCH", url, "update document", body=body)
        return RemoteDocument.parse(self._json(r, "update document"))

    def unlock(self, url: str, lock: str) -> None:
        self._send("POST", f"{url}/unlock", "unlock document", body={"lock": lock}, expect=(204,))

    def download(self, url: str, versie: int | None = None) -> bytes:
        """The raw content of (a version of) a document."""
        params = None if versie is None else {"versie": versie}
        r = self._send("GET", f"{url}/download", "download document", params=params, accept="application/octet-stream")
        return r.content
