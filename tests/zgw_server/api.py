"""The resource logic of the ZGW test server (Zaken, Documenten, Catalogi).

Handlers receive an :class:`ApiRequest` that already passed authentication,
the CRS checks and contract validation, and return an :class:`ApiResponse`
or raise :class:`~.problems.ApiError`. They run while the server holds the
store lock, inside one SQLite transaction.

The business rules follow Open Zaak 1.30.0 where the client can run into
them (RSIN elfproef, unique identificatie per bronorganisatie, immutable
``identificatie``/``zaaktype``, document locking and versions, unique
zaak-informatieobject pairs, the informatieobjecttype must belong to the
zaaktype, an eindstatus closes the zaak and needs ``indicatieGebruiksrecht``
on every linked document). Filters or operations the test server does not
implement are refused with 501 and recorded in ``server.server_errors``,
never silently ignored.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from .catalog import Catalog
from .contracts import InvalidParam
from .problems import ApiError
from .scopes import FORCE_UNLOCK
from .store import Store

JSON = "application/json"
_UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_MAX_PAGE_SIZE = 500


@dataclass
class ApiRequest:
    """A parsed HTTP request below one API root."""

    api: str
    method: str
    path: str
    subpath: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]  # lower-case keys
    body: bytes
    path_params: dict[str, str] = field(default_factory=dict)
    #: The client's scopes (None: heeftAlleAutorisaties).
    scopes: frozenset[str] | None = None

    def has_scope(self, scope: str) -> bool:
        return self.scopes is None or scope in self.scopes

    def q(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except ValueError:
            raise ApiError(400, "parse_error", "JSON parse error.") from None


@dataclass
class ApiResponse:
    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any, headers: dict[str, str] | None = None) -> ApiResponse:
        return cls(status, json.dumps(data).encode("utf-8"), JSON, headers or {})


class NotImplementedByTestServer(Exception):
    """A valid request for a feature the test server lacks (answered 501)."""


# -- validation helpers -------------------------------------------------------------------


def rsin_problem(value: str) -> InvalidParam | None:
    """vng-api-common's ``validate_rsin``: digits, 9 long, elfproef."""
    if not value.isdigit():
        return InvalidParam("", "only-digits", "Waarde moet numeriek zijn.")
    if len(value) != 9:
        return InvalidParam("", "invalid-length", "RSIN moet 9 tekens lang zijn.")
    total = 0
    for multiplier, char in enumerate(reversed(value), start=1):
        total += (-multiplier if multiplier == 1 else multiplier) * int(char)
    if total % 11 != 0:
        return InvalidParam("", "invalid", "Onjuist RSIN nummer.")
    return None


def _check_rsins(data: Mapping[str, Any], *names: str) -> None:
    problems = []
    for name in names:
        value = data.get(name)
        if isinstance(value, str):
            problem = rsin_problem(value)
            if problem is not None:
                problems.append(InvalidParam(name, problem.code, problem.reason))
    if problems:
        raise ApiError(400, "invalid", "", problems)


def _does_not_exist(name: str) -> ApiError:
    return ApiError.invalid(name, "does_not_exist", "Ongeldige hyperlink - Object bestaat niet.")


class ZGWApi:
    """Routes and handlers; one instance per running server."""

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        base_url: str,
        clock: Callable[[], float],
        *,
        page_size: int = 100,
        force_unlock: bool = False,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.base_url = base_url
        self.clock = clock
        self.page_size = page_size
        self.force_unlock = force_unlock
        self.zaken_root = f"{base_url}/zaken/api/v1"
        self.documenten_root = f"{base_url}/documenten/api/v1"
        U = _UUID_RE
        Handler = Callable[[ApiRequest], ApiResponse]
        self.routes: list[tuple[str, str, re.Pattern[str], Handler]] = []
        for api, method, pattern, handler in [
            # Zaken API
            ("zaken", "GET", r"/zaken", self.zaak_list),
            ("zaken", "POST", r"/zaken", self.zaak_create),
            ("zaken", "POST", r"/zaken/_zoek", self.zaak_search),
            ("zaken", "GET", rf"/zaken/(?P<uuid>{U})", self.zaak_read),
            ("zaken", "PUT", rf"/zaken/(?P<uuid>{U})", self.zaak_update),
            ("zaken", "PATCH", rf"/zaken/(?P<uuid>{U})", self.zaak_update),
            ("zaken", "DELETE", rf"/zaken/(?P<uuid>{U})", self.zaak_delete),
            ("zaken", "GET", r"/rollen", self.rol_list),
            ("zaken", "POST", r"/rollen", self.rol_create),
            ("zaken", "GET", rf"/rollen/(?P<uuid>{U})", self.rol_read),
            ("zaken", "DELETE", rf"/rollen/(?P<uuid>{U})", self.rol_delete),
            ("zaken", "GET", r"/statussen", self.status_list),
            ("zaken", "POST", r"/statussen", self.status_create),
            ("zaken", "GET", rf"/statussen/(?P<uuid>{U})", self.status_read),
            ("zaken", "GET", r"/resultaten", self.resultaat_list),
            ("zaken", "POST", r"/resultaten", self.resultaat_create),
            ("zaken", "GET", rf"/resultaten/(?P<uuid>{U})", self.resultaat_read),
            ("zaken", "GET", r"/zaakinformatieobjecten", self.zio_list),
            ("zaken", "POST", r"/zaakinformatieobjecten", self.zio_create),
            ("zaken", "GET", rf"/zaakinformatieobjecten/(?P<uuid>{U})", self.zio_read),
            ("zaken", "DELETE", rf"/zaakinformatieobjecten/(?P<uuid>{U})", self.zio_delete),
            # Documenten API
            ("documenten", "GET", r"/enkelvoudiginformatieobjecten", self.eio_list),
            ("documenten", "POST", r"/enkelvoudiginformatieobjecten", self.eio_create),
            ("documenten", "POST", r"/enkelvoudiginformatieobjecten/_zoek", self.eio_search),
            ("documenten", "GET", rf"/enkelvoudiginformatieobjecten/(?P<uuid>{U})", self.eio_read),
            ("documenten", "PUT", rf"/enkelvoudiginformatieobjecten/(?P<uuid>{U})", self.eio_update),
            ("documenten", "PATCH", rf"/enkelvoudiginformatieobjecten/(?P<uuid>{U})", self.eio_update),
            ("documenten", "DELETE", rf"/enkelvoudiginformatieobjecten/(?P<uuid>{U})", self.eio_delete),
            ("documenten", "GET", rf"/enkelvoudiginformatieobjecten/(?P<uuid>{U})/download", self.eio_download),
            ("documenten", "POST", rf"/enkelvoudiginformatieobjecten/(?P<uuid>{U})/lock", self.eio_lock),
            ("documenten", "POST", rf"/enkelvoudiginformatieobjecten/(?P<uuid>{U})/unlock", self.eio_unlock),
        ]:
            self.routes.append((api, method, re.compile(pattern + "/?"), handler))
        for kind in ("catalogussen", "zaaktypen", "informatieobjecttypen", "statustypen", "resultaattypen", "roltypen"):
            self.routes.append(("catalogi", "GET", re.compile(rf"/{kind}/?"), self._catalog_list(kind)))
            self.routes.append(
                ("catalogi", "GET", re.compile(rf"/{kind}/(?P<uuid>{U})/?"), self._catalog_read(kind))
            )

    # -- dispatch -------------------------------------------------------------------------

    def find_route(
        self, api: str, method: str, subpath: str
    ) -> tuple[Callable[[ApiRequest], ApiResponse], dict[str, str]] | None:
        """The handler for a request (HEAD is served by the GET handler)."""
        if method == "HEAD":
            method = "GET"
        for route_api, route_method, pattern, handler in self.routes:
            if route_api != api or route_method != method:
                continue
            match = pattern.fullmatch(subpath)
            if match:
                return handler, {k: v.lower() for k, v in match.groupdict().items()}
        return None

    # -- common helpers ---------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), tz=UTC)

    def now_iso(self) -> str:
        return self.now().isoformat().replace("+00:00", "Z")

    def today(self) -> str:
        return self.now().date().isoformat()

    def _uuid_from_url(self, url: Any, collection: str, root: str) -> str | None:
        """The UUID of one of *our* resources from its URL (path is what counts)."""
        if not isinstance(url, str):
            return None
        path = urlsplit(url).path
        prefix = urlsplit(root).path + f"/{collection}/"
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix):].rstrip("/")
        return rest.lower() if re.fullmatch(_UUID_RE, rest) else None

    def _paginate(self, req: ApiRequest, items: list[Any]) -> dict[str, Any]:
        try:
            page = int(req.q("page") or 1)
            page_size = int(req.q("pageSize") or self.page_size)
        except ValueError:
            raise ApiError.not_found() from None
        page_size = max(1, min(page_size, _MAX_PAGE_SIZE))
        count = len(items)
        start = (page - 1) * page_size
        if page < 1 or (page > 1 and start >= count):
            raise ApiError(404, "not_found", "Ongeldige pagina.")

        def link(number: int) -> str:
            query = {k: v for k, v in req.query.items() if k != "page"}
            pairs = [(k, v) for k, vs in query.items() for v in vs]
            if number > 1:
                pairs.append(("page", str(number)))
            qs = urlencode(pairs)
            return f"{self.base_url}{req.path}" + (f"?{qs}" if qs else "")

        return {
            "count": count,
            "next": link(page + 1) if start + page_size < count else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": items[start:start + page_size],
        }

    @staticmethod
    def _unsupported_params(req: ApiRequest, supported: set[str]) -> None:
        unsupported = sorted(set(req.query) - supported - {"page", "pageSize"})
        if unsupported:
            raise NotImplementedByTestServer(
                f"query parameter(s) {', '.join(unsupported)} on {req.method} {req.path}"
            )

    # ======================================================================================
    # Zaken
    # ======================================================================================

    def zaak_url(self, zaak_uuid: str) -> str:
        return f"{self.zaken_root}/zaken/{zaak_uuid}"

    def _render_zaak(self, data: dict[str, Any]) -> dict[str, Any]:
        zaak_uuid = data["uuid"]
        out = dict(data)
        statussen = self.store.query_children("status", ["zaak_uuid = ?"], [zaak_uuid])
        out["rollen"] = [r["url"] for r in self.store.query_children("rol", ["zaak_uuid = ?"], [zaak_uuid])]
        out["zaakinformatieobjecten"] = [
            z["url"] for z in self.store.query_children("zio", ["zaak_uuid = ?"], [zaak_uuid])
        ]
        out["status"] = _latest_status(statussen)["url"] if statussen else None
        out.setdefault("eigenschappen", [])
        out.setdefault("zaakobjecten", [])
        out.setdefault("deelzaken", [])
        resultaten = self.store.query_children("resultaat", ["zaak_uuid = ?"], [zaak_uuid])
        out["resultaat"] = resultaten[0]["url"] if resultaten else None
        return out

    def _zaak_headers(self, data: dict[str, Any] | None = None, created: bool = False) -> dict[str, str]:
        headers = {"Content-Crs": "EPSG:4326"}
        if created and data is not None:
            headers["Location"] = data["url"]
        return headers

    def _get_zaak_or_404(self, zaak_uuid: str) -> dict[str, Any]:
        data = self.store.get_zaak(zaak_uuid)
        if data is None:
            raise ApiError.not_found()
        return data

    def _validate_zaaktype(self, url: Any) -> dict[str, Any]:
        zaaktype = self.catalog.by_url(url, "zaaktypen") if isinstance(url, str) else None
        if zaaktype is None:
            raise _does_not_exist("zaaktype")
        if zaaktype["concept"]:
            raise ApiError.invalid("zaaktype", "not-published", "Het zaaktype is nog niet gepubliceerd.")
        return zaaktype

    def zaak_create(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        zaaktype = self._validate_zaaktype(body.get("zaaktype"))
        _check_rsins(body, "bronorganisatie", "verantwoordelijkeOrganisatie", "opdrachtgevendeOrganisatie")
        identificatie = body.get("identificatie") or ""
        if identificatie:
            if self.store.zaak_identificatie_taken(body["bronorganisatie"], identificatie):
                raise ApiError.invalid(
                    "identificatie",
                    "identificatie-niet-uniek",
                    "Deze identificatie bestaat al voor deze bronorganisatie",
                )
        else:
            identificatie = self._generate_identificatie("ZAAK", body["bronorganisatie"])
        zaak_uuid = str(uuid.uuid4())
        data: dict[str, Any] = {
            "url": self.zaak_url(zaak_uuid),
            "uuid": zaak_uuid,
            "identificatie": identificatie,
            "bronorganisatie": body["bronorganisatie"],
            "omschrijving": "",
            "toelichting": "",
            "zaaktype": zaaktype["url"],
            "registratiedatum": self.today(),
            "verantwoordelijkeOrganisatie": body["verantwoordelijkeOrganisatie"],
            "startdatum": body["startdatum"],
            "einddatum": None,
            "einddatumGepland": None,
            "uiterlijkeEinddatumAfdoening": None,
            "publicatiedatum": None,
            "laatstGemuteerd": self.now_iso(),
            "laatstGeopend": None,
            "communicatiekanaal": "",
            "communicatiekanaalNaam": "",
            "productenOfDiensten": [],
            "vertrouwelijkheidaanduiding": zaaktype["vertrouwelijkheidaanduiding"],
            "betalingsindicatie": "",
            "betalingsindicatieWeergave": "",
            "laatsteBetaaldatum": None,
            "zaakgeometrie": None,
            "verlenging": None,
            "opschorting": {"indicatie": False, "eerdereOpschorting": False, "reden": ""},
            "selectielijstklasse": "",
            "hoofdzaak": None,
            "relevanteAndereZaken": [],
            "gerelateerdeZaken": [],
            "kenmerken": [],
            "archiefnominatie": None,
            "archiefstatus": "nog_te_archiveren",
            "archiefactiedatum": None,
            "processobjectaard": "",
            "startdatumBewaartermijn": None,
            "processobject": None,
        }
        self._apply_zaak_fields(data, body)
        data["identificatie"] = identificatie
        self.store.save_zaak(zaak_uuid, data)
        rendered = self._render_zaak(data)
        return ApiResponse.json(201, rendered, self._zaak_headers(rendered, created=True))

    def _generate_identificatie(self, prefix: str, bronorganisatie: str) -> str:
        year = self.now().year
        while True:
            number = self.store.next_counter(f"{prefix}-{year}")
            candidate = f"{prefix}-{year}-{number:010d}"
            taken = (
                self.store.zaak_identificatie_taken(bronorganisatie, candidate)
                if prefix == "ZAAK"
                else self.store.document_identificatie_taken(bronorganisatie, candidate)
            )
            if not taken:
                return candidate

    _ZAAK_READ_ONLY = frozenset({
        "url", "uuid", "einddatum", "laatstGemuteerd", "betalingsindicatieWeergave", "deelzaken",
        "eigenschappen", "rollen", "status", "zaakinformatieobjecten", "zaakobjecten", "resultaat",
    })

    def _apply_zaak_fields(self, data: dict[str, Any], body: Mapping[str, Any]) -> None:
        for key, value in body.items():
            if key in self._ZAAK_READ_ONLY:
                continue
            if key == "opschorting" and isinstance(value, dict):
                value = {"eerdereOpschorting": False, **value}
            if key == "kenmerken" and isinstance(value, list):
                value = [{"kenmerk": k["kenmerk"], "bron": k["bron"]} for k in value]
            data[key] = value
        if "betalingsindicatie" in body:
            data["betalingsindicatieWeergave"] = _BETALINGSINDICATIE.get(data["betalingsindicatie"] or "", "")

    def zaak_update(self, req: ApiRequest) -> ApiResponse:
        zaak_uuid = req.path_params["uuid"]
        data = self._get_zaak_or_404(zaak_uuid)
        if data.get("einddatum") and not req.has_scope("zaken.geforceerd-bijwerken"):
            # Open Zaak 1.30.0: the zaak itself answers PermissionDenied, not ZaakClosed
            raise ApiError(403, "permission_denied", "Modifying a closed case with current scope is forbidden")
        body = req.json()
        for immutable in ("identificatie", "zaaktype"):
            if immutable in body and body[immutable] != data[immutable]:
                raise ApiError.invalid(immutable, "wijzigen-niet-toegelaten", "Dit veld mag niet gewijzigd worden.")
        if "zaaktype" in body:
            self._validate_zaaktype(body["zaaktype"])
        _check_rsins(body, "bronorganisatie", "verantwoordelijkeOrganisatie", "opdrachtgevendeOrganisatie")
        new_bron = body.get("bronorganisatie", data["bronorganisatie"])
        if new_bron != data["bronorganisatie"] and self.store.zaak_identificatie_taken(new_bron, data["identificatie"]):
            raise ApiError.invalid(
                "identificatie", "identificatie-niet-uniek", "Deze identificatie bestaat al voor deze bronorganisatie"
            )
        self._apply_zaak_fields(data, body)
        data["laatstGemuteerd"] = self.now_iso()
        self.store.save_zaak(zaak_uuid, data)
        rendered = self._render_zaak(data)
        return ApiResponse.json(200, rendered, self._zaak_headers())

    def zaak_read(self, req: ApiRequest) -> ApiResponse:
        data = self._get_zaak_or_404(req.path_params["uuid"])
        return ApiResponse.json(200, self._render_zaak(data), self._zaak_headers())

    def zaak_delete(self, req: ApiRequest) -> ApiResponse:
        zaak_uuid = req.path_params["uuid"]
        self._get_zaak_or_404(zaak_uuid)
        self.store.delete_zaak(zaak_uuid)
        return ApiResponse(204, content_type=None)

    _ZAAK_FILTERS = frozenset({
        "identificatie", "identificatie__icontains", "bronorganisatie", "bronorganisatie__in", "zaaktype",
        "kenmerk", "kenmerk__bron", "rol__betrokkeneIdentificatie__medewerker__identificatie", "ordering",
        "uuid__in", "zaaktype__in", "rol__omschrijvingGeneriek",
    })

    def _zaken_matching(self, filters: Mapping[str, Any]) -> list[dict[str, Any]]:
        unsupported = sorted(k for k in filters if k not in self._ZAAK_FILTERS and k not in ("page", "pageSize"))
        if unsupported:
            raise NotImplementedByTestServer(f"zaak filter(s) {', '.join(unsupported)}")
        where: list[str] = []
        args: list[Any] = []

        def in_list(column: str, values: list[str]) -> None:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})" if values else "0")
            args.extend(values)

        if (v := filters.get("identificatie")) is not None:
            where.append("zaak.identificatie = ?")
            args.append(v)
        if (v := filters.get("identificatie__icontains")) is not None:
            where.append("zaak.identificatie LIKE ? ESCAPE '\\'")
            args.append("%" + re.sub(r"([%_\\])", r"\\\1", v) + "%")
        if (v := filters.get("bronorganisatie")) is not None:
            where.append("zaak.bronorganisatie = ?")
            args.append(v)
        if (v := filters.get("bronorganisatie__in")) is not None:
            in_list("zaak.bronorganisatie", _as_list(v))
        if (v := filters.get("zaaktype")) is not None:
            where.append("zaak.zaaktype = ?")
            args.append(v)
        if (v := filters.get("zaaktype__in")) is not None:
            in_list("zaak.zaaktype", _as_list(v))
        if (v := filters.get("uuid__in")) is not None:
            in_list("zaak.uuid", [x.lower() for x in _as_list(v)])
        if (v := filters.get("kenmerk")) is not None:
            bron, sep, kenmerk = str(v).partition(":")
            if not sep:
                raise ApiError.invalid("kenmerk", "invalid", "Kenmerk moet het formaat <bron>:<kenmerk> hebben.")
            where.append(
                "EXISTS (SELECT 1 FROM zaak_kenmerk k WHERE k.zaak_uuid = zaak.uuid AND k.bron = ? AND k.kenmerk = ?)"
            )
            args.extend([bron, kenmerk])
        if (v := filters.get("kenmerk__bron")) is not None:
            where.append("EXISTS (SELECT 1 FROM zaak_kenmerk k WHERE k.zaak_uuid = zaak.uuid AND k.bron = ?)")
            args.append(v)
        if (v := filters.get("rol__betrokkeneIdentificatie__medewerker__identificatie")) is not None:
            where.append("EXISTS (SELECT 1 FROM rol r WHERE r.zaak_uuid = zaak.uuid AND r.medewerker = ?)")
            args.append(v)
        if (v := filters.get("rol__omschrijvingGeneriek")) is not None:
            where.append(
                "EXISTS (SELECT 1 FROM rol r WHERE r.zaak_uuid = zaak.uuid "
                "AND json_extract(r.data, '$.omschrijvingGeneriek') = ?)"
            )
            args.append(v)
        order_by = "zaak.seq"
        ordering = filters.get("ordering")
        if ordering:
            columns = []
            for item in _as_list(ordering):
                desc = item.startswith("-")
                name = item.lstrip("-")
                if name == "identificatie":
                    column = "zaak.identificatie"
                elif name in ("startdatum", "registratiedatum", "einddatum", "publicatiedatum", "archiefactiedatum"):
                    column = f"json_extract(zaak.data, '$.{name}')"
                else:
                    raise ApiError.invalid("ordering", "invalid_choice", f'"{item}" is een ongeldige keuze.')
                columns.append(column + (" DESC" if desc else ""))
            order_by = ", ".join([*columns, "zaak.seq"])
        return self.store.query_zaken(where, args, order_by)

    def zaak_list(self, req: ApiRequest) -> ApiResponse:
        filters: dict[str, Any] = {k: v[0] for k, v in req.query.items() if k not in ("page", "pageSize")}
        for key in ("bronorganisatie__in", "ordering"):
            if key in filters:
                filters[key] = filters[key].split(",")
        zaken = [self._render_zaak(z) for z in self._zaken_matching(filters)]
        return ApiResponse.json(200, self._paginate(req, zaken), self._zaak_headers())

    def zaak_search(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        if body.get("zaakgeometrie") is not None:
            raise NotImplementedByTestServer("zaakgeometrie search in /zaken/_zoek")
        filters = {k: v for k, v in body.items() if k not in ("expand", "zaakgeometrie")}
        if body.get("expand"):
            raise NotImplementedByTestServer("expand in /zaken/_zoek")
        zaken = [self._render_zaak(z) for z in self._zaken_matching(filters)]
        return ApiResponse.json(200, self._paginate(req, zaken), self._zaak_headers())

    # -- rollen ------------------------------------------------------------------------------

    def _zaak_for_child(self, url: Any) -> dict[str, Any]:
        zaak_uuid = self._uuid_from_url(url, "zaken", self.zaken_root)
        zaak = self.store.get_zaak(zaak_uuid) if zaak_uuid else None
        if zaak is None:
            raise _does_not_exist("zaak")
        return zaak

    @staticmethod
    def _check_open(zaak: dict[str, Any], req: ApiRequest) -> None:
        """Open Zaak: a closed zaak (einddatum set) and what hangs under it cannot be
        changed without ``zaken.geforceerd-bijwerken`` (403, type ``ZaakClosed``)."""
        if zaak.get("einddatum") and not req.has_scope("zaken.geforceerd-bijwerken"):
            raise ApiError(
                403,
                "permission_denied",
                "Je mag geen gegevens aanpassen van een gesloten zaak.",
                type_name="ZaakClosed",
            )

    def rol_create(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        zaak = self._zaak_for_child(body.get("zaak"))
        self._check_open(zaak, req)
        roltype = self.catalog.by_url(body.get("roltype"), "roltypen")
        if roltype is None:
            raise _does_not_exist("roltype")
        if roltype["zaaktype"] != zaak["zaaktype"]:
            raise ApiError.invalid("roltype", "zaaktype-mismatch", "Het roltype hoort niet bij het zaaktype van de zaak.")
        if not body.get("betrokkene") and not body.get("betrokkeneIdentificatie"):
            raise ApiError.invalid(
                "nonFieldErrors", "invalid-betrokkene", "`betrokkene` of `betrokkeneIdentificatie` moet opgegeven worden."
            )
        rol_uuid = str(uuid.uuid4())
        data: dict[str, Any] = {
            "url": f"{self.zaken_root}/rollen/{rol_uuid}",
            "uuid": rol_uuid,
            "zaak": zaak["url"],
            "betrokkene": "",
            "betrokkeneType": body["betrokkeneType"],
            "afwijkendeNaamBetrokkene": "",
            "roltype": roltype["url"],
            "omschrijving": roltype["omschrijving"],
            "omschrijvingGeneriek": roltype["omschrijvingGeneriek"],
            "roltoelichting": "",
            "registratiedatum": self.now_iso(),
            "indicatieMachtiging": "",
            "contactpersoonRol": None,
            "statussen": [],
            "beginGeldigheid": None,
            "eindeGeldigheid": None,
        }
        for key, value in body.items():
            if key not in ("zaak", "roltype", "betrokkeneType"):
                data[key] = value
        medewerker = None
        if body["betrokkeneType"] == "medewerker":
            ident = {"identificatie": "", "achternaam": "", "voorletters": "", "voorvoegselAchternaam": ""}
            ident.update(body.get("betrokkeneIdentificatie") or {})
            data["betrokkeneIdentificatie"] = ident
            medewerker = ident["identificatie"] or None
        self.store.save_child("rol", rol_uuid, zaak["uuid"], data, medewerker=medewerker)
        return ApiResponse.json(201, data, {"Location": data["url"]})

    def rol_list(self, req: ApiRequest) -> ApiResponse:
        self._unsupported_params(req, {"zaak", "betrokkeneIdentificatie__medewerker__identificatie", "betrokkeneType", "roltype", "omschrijvingGeneriek"})
        where, args = self._zaak_filter(req)
        if (v := req.q("betrokkeneIdentificatie__medewerker__identificatie")) is not None:
            where.append("medewerker = ?")
            args.append(v)
        for name in ("betrokkeneType", "roltype", "omschrijvingGeneriek"):
            if (v := req.q(name)) is not None:
                where.append(f"json_extract(data, '$.{name}') = ?")
                args.append(v)
        rollen = self.store.query_children("rol", where, args)[::-1]  # newest first, as Open Zaak ("-pk")
        return ApiResponse.json(200, self._paginate(req, rollen))

    def _zaak_filter(self, req: ApiRequest) -> tuple[list[str], list[Any]]:
        url = req.q("zaak")
        if url is None:
            return [], []
        zaak_uuid = self._uuid_from_url(url, "zaken", self.zaken_root)
        return ["zaak_uuid = ?"], [zaak_uuid or "-"]

    def rol_read(self, req: ApiRequest) -> ApiResponse:
        data = self.store.get_child("rol", req.path_params["uuid"])
        if data is None:
            raise ApiError.not_found()
        return ApiResponse.json(200, data)

    def rol_delete(self, req: ApiRequest) -> ApiResponse:
        rol = self.store.get_child("rol", req.path_params["uuid"])
        if rol is None:
            raise ApiError.not_found()
        self._check_open(self._zaak_for_child(rol["zaak"]), req)
        self.store.delete_child("rol", req.path_params["uuid"])
        return ApiResponse(204, content_type=None)

    # -- statussen ---------------------------------------------------------------------------

    def _render_status(self, data: dict[str, Any], siblings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        if siblings is None:
            zaak_uuid = self._uuid_from_url(data["zaak"], "zaken", self.zaken_root)
            siblings = self.store.query_children("status", ["zaak_uuid = ?"], [zaak_uuid])
        out = dict(data)
        out["indicatieLaatstGezetteStatus"] = bool(siblings) and _latest_status(siblings)["uuid"] == data["uuid"]
        return out

    def status_create(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        zaak = self._zaak_for_child(body.get("zaak"))
        statustype = self.catalog.by_url(body.get("statustype"), "statustypen")
        if statustype is None:
            raise _does_not_exist("statustype")
        if statustype["zaaktype"] != zaak["zaaktype"]:
            raise ApiError.invalid(
                "statustype", "zaaktype-mismatch", "Het statustype hoort niet bij het zaaktype van de zaak."
            )
        earlier = self.store.query_children("status", ["zaak_uuid = ?"], [zaak["uuid"]])
        # Open Zaak validates first (400), then checks a closed zaak (403).
        if any(_parse_dt(e["datumStatusGezet"]) == _parse_dt(body["datumStatusGezet"]) for e in earlier):
            raise ApiError.invalid(
                "nonFieldErrors", "unique", "De velden zaak, datum_status_gezet moeten een unieke set zijn."
            )
        if _parse_dt(body["datumStatusGezet"]) > self.now():
            raise ApiError.invalid(
                "datumStatusGezet", "date-in-future", "Deze datum mag niet in de toekomst zijn"
            )
        if zaak.get("einddatum") and not req.has_scope("zaken.heropenen"):
            raise ApiError(
                403,
                "permission_denied",
                "Het heropenen van een gesloten zaak is niet toegestaan zonder de scope zaken.heropenen",
            )
        if (
            earlier
            and not req.has_scope("zaken.statussen.toevoegen")
            and not req.has_scope("zaken.heropenen")
        ):
            raise ApiError(
                403, "permission_denied", "Met de 'zaken.aanmaken' scope mag je slechts 1 status zetten"
            )
        if statustype["isEindstatus"]:
            # Open Zaak checks indicatieGebruiksrecht first, then the resultaat.
            for zio in self.store.query_children("zio", ["zaak_uuid = ?"], [zaak["uuid"]]):
                doc = self._latest_document_data(zio["informatieobject"])
                if doc is not None and doc.get("indicatieGebruiksrecht") is None:
                    raise ApiError.invalid(
                        "nonFieldErrors",
                        "indicatiegebruiksrecht-unset",
                        "Er zijn gerelateerde informatieobjecten waarvoor `indicatieGebruiksrecht` nog niet "
                        "gespecifieerd is.",
                    )
            if not self.store.query_children("resultaat", ["zaak_uuid = ?"], [zaak["uuid"]]):
                raise ApiError.invalid("nonFieldErrors", "resultaat-does-not-exist", "Zaak has no resultaat.")
        status_uuid = str(uuid.uuid4())
        data: dict[str, Any] = {
            "url": f"{self.zaken_root}/statussen/{status_uuid}",
            "uuid": status_uuid,
            "zaak": zaak["url"],
            "statustype": statustype["url"],
            "datumStatusGezet": body["datumStatusGezet"],
            "statustoelichting": body.get("statustoelichting", ""),
            "gezetdoor": body.get("gezetdoor"),
            "zaakinformatieobjecten": [],
        }
        self.store.save_child("status", status_uuid, zaak["uuid"], data)
        # An eindstatus closes the zaak (einddatum: its date, also when it is not the latest
        # status); any other status (re)opens it.
        zaak["einddatum"] = body["datumStatusGezet"][:10] if statustype["isEindstatus"] else None
        if statustype["isEindstatus"]:
            self._archive_on_closure(zaak)
        zaak["laatstGemuteerd"] = self.now_iso()
        self.store.save_zaak(zaak["uuid"], zaak)
        return ApiResponse.json(201, self._render_status(data), {"Location": data["url"]})

    def _archive_on_closure(self, zaak: dict[str, Any]) -> None:
        """Open Zaak at the eindstatus: ``archiefnominatie`` from the resultaattype, and
        ``archiefactiedatum`` = einddatum + ``archiefactietermijn`` when the brondatum is
        the closure (afleidingswijze ``afgehandeld``)."""
        resultaten = self.store.query_children("resultaat", ["zaak_uuid = ?"], [zaak["uuid"]])
        resultaattype = self.catalog.by_url(resultaten[0]["resultaattype"], "resultaattypen") if resultaten else None
        if resultaattype is None:
            return
        zaak["archiefnominatie"] = resultaattype["archiefnominatie"]
        brondatum = resultaattype.get("brondatumArchiefprocedure") or {}
        years = _years(resultaattype.get("archiefactietermijn"))
        if brondatum.get("afleidingswijze") == "afgehandeld" and years is not None:
            einde = date.fromisoformat(zaak["einddatum"])
            try:
                zaak["archiefactiedatum"] = einde.replace(year=einde.year + years).isoformat()
            except ValueError:  # 29 February
                zaak["archiefactiedatum"] = einde.replace(year=einde.year + years, day=28).isoformat()

    def status_list(self, req: ApiRequest) -> ApiResponse:
        self._unsupported_params(req, {"zaak", "statustype"})
        where, args = self._zaak_filter(req)
        if (v := req.q("statustype")) is not None:
            where.append("json_extract(data, '$.statustype') = ?")
            args.append(v)
        # Open Zaak's order: the latest datumStatusGezet first, then the newest ("-pk")
        statussen = sorted(self.store.query_children("status", where, args)[::-1],
                           key=lambda s: _parse_dt(s["datumStatusGezet"]), reverse=True)
        rendered = [self._render_status(s) for s in statussen]
        return ApiResponse.json(200, self._paginate(req, rendered))

    def status_read(self, req: ApiRequest) -> ApiResponse:
        data = self.store.get_child("status", req.path_params["uuid"])
        if data is None:
            raise ApiError.not_found()
        return ApiResponse.json(200, self._render_status(data))

    # -- resultaten ----------------------------------------------------------------------------

    def resultaat_create(self, req: ApiRequest) -> ApiResponse:
        """``POST /resultaten``: one per zaak (``unique``); the resultaattype must exist
        and belong to the zaak's zaaktype; not on a closed zaak (``ZaakClosed``). As Open
        Zaak 1.30.0: the validation (400) comes before the closed zaak (403)."""
        body = req.json()
        zaak = self._zaak_for_child(body.get("zaak"))
        resultaattype = self.catalog.by_url(body.get("resultaattype"), "resultaattypen")
        if resultaattype is None:
            raise ApiError.invalid(
                "resultaattype",
                "does_not_exist",
                f'Bad URL "{body.get("resultaattype")}" - object could not be fetched. '
                "This *may* be because you have insufficient read permissions.",
            )
        if resultaattype["zaaktype"] != zaak["zaaktype"]:
            raise ApiError.invalid(
                "nonFieldErrors", "zaaktype-mismatch", "De referentie hoort niet bij het zaaktype van de zaak."
            )
        if self.store.query_children("resultaat", ["zaak_uuid = ?"], [zaak["uuid"]]):
            raise ApiError.invalid("zaak", "unique", "Er bestaat al een resultaat met eenzelfde zaak.")
        self._check_open(zaak, req)
        resultaat_uuid = str(uuid.uuid4())
        data: dict[str, Any] = {
            "url": f"{self.zaken_root}/resultaten/{resultaat_uuid}",
            "uuid": resultaat_uuid,
            "zaak": zaak["url"],
            "resultaattype": resultaattype["url"],
            "toelichting": body.get("toelichting", ""),
        }
        self.store.save_child("resultaat", resultaat_uuid, zaak["uuid"], data)
        return ApiResponse.json(201, data, {"Location": data["url"]})

    def resultaat_list(self, req: ApiRequest) -> ApiResponse:
        self._unsupported_params(req, {"zaak", "resultaattype"})
        where, args = self._zaak_filter(req)
        if (v := req.q("resultaattype")) is not None:
            where.append("json_extract(data, '$.resultaattype') = ?")
            args.append(v)
        resultaten = self.store.query_children("resultaat", where, args)[::-1]  # newest first ("-pk")
        return ApiResponse.json(200, self._paginate(req, resultaten))

    def resultaat_read(self, req: ApiRequest) -> ApiResponse:
        data = self.store.get_child("resultaat", req.path_params["uuid"])
        if data is None:
            raise ApiError.not_found()
        return ApiResponse.json(200, data)

    # -- zaakinformatieobjecten -------------------------------------------------------------

    def zio_create(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        zaak = self._zaak_for_child(body.get("zaak"))
        io_url = body.get("informatieobject")
        doc = self._latest_document_data(io_url)
        if doc is None:
            raise _does_not_exist("informatieobject")
        zaaktype = self.catalog.by_url(zaak["zaaktype"], "zaaktypen") or {}
        if doc["informatieobjecttype"] not in zaaktype.get("informatieobjecttypen", []):
            raise ApiError.invalid(
                "nonFieldErrors",
                "missing-zaaktype-informatieobjecttype-relation",
                "Het informatieobjecttype hoort niet bij het zaaktype van de zaak.",
            )
        if self.store.zio_exists(zaak["uuid"], io_url):
            raise ApiError.invalid(
                "nonFieldErrors", "unique", "De velden zaak, informatieobject moeten een unieke set zijn."
            )
        self._check_open(zaak, req)  # after the validation, as Open Zaak (400 unique first)
        zio_uuid = str(uuid.uuid4())
        data: dict[str, Any] = {
            "url": f"{self.zaken_root}/zaakinformatieobjecten/{zio_uuid}",
            "uuid": zio_uuid,
            "informatieobject": io_url,
            "zaak": zaak["url"],
            "aardRelatieWeergave": "Hoort bij, omgekeerd: kent",
            "titel": body.get("titel", ""),
            "beschrijving": body.get("beschrijving", ""),
            "registratiedatum": self.now_iso(),
            "vernietigingsdatum": body.get("vernietigingsdatum"),
            "status": body.get("status"),
        }
        self.store.save_child("zio", zio_uuid, zaak["uuid"], data, informatieobject=io_url)
        return ApiResponse.json(201, data, {"Location": data["url"]})

    def zio_list(self, req: ApiRequest) -> ApiResponse:
        """A plain JSON array, not a paged object (as Open Zaak answers)."""
        self._unsupported_params(req, {"zaak", "informatieobject"})
        where, args = self._zaak_filter(req)
        if (v := req.q("informatieobject")) is not None:
            where.append("informatieobject = ?")
            args.append(v)
        return ApiResponse.json(200, self.store.query_children("zio", where, args)[::-1])  # newest first ("-pk")

    def zio_read(self, req: ApiRequest) -> ApiResponse:
        data = self.store.get_child("zio", req.path_params["uuid"])
        if data is None:
            raise ApiError.not_found()
        return ApiResponse.json(200, data)

    def zio_delete(self, req: ApiRequest) -> ApiResponse:
        zio = self.store.get_child("zio", req.path_params["uuid"])
        if zio is None:
            raise ApiError.not_found()
        self._check_open(self._zaak_for_child(zio["zaak"]), req)
        self.store.delete_child("zio", req.path_params["uuid"])
        return ApiResponse(204, content_type=None)

    # ======================================================================================
    # Documenten
    # ======================================================================================

    def document_url(self, doc_uuid: str) -> str:
        return f"{self.documenten_root}/enkelvoudiginformatieobjecten/{doc_uuid}"

    def _latest_document_data(self, url: Any) -> dict[str, Any] | None:
        doc_uuid = self._uuid_from_url(url, "enkelvoudiginformatieobjecten", self.documenten_root)
        head = self.store.document_head(doc_uuid) if doc_uuid else None
        if head is None:
            return None
        version = self.store.document_version(head["uuid"], head["latest"])
        return None if version is None else version[0]

    def _render_document(self, doc_uuid: str, versie: int, data: dict[str, Any], has_content: bool, lock: str) -> dict[str, Any]:
        url = self.document_url(doc_uuid)
        out = dict(data)
        out["url"] = url
        out["versie"] = versie
        out["inhoud"] = f"{url}/download?versie={versie}" if has_content else None
        out["locked"] = bool(lock)
        out["bestandsdelen"] = []
        return out

    def _decode_inhoud(self, value: Any) -> bytes | None:
        if value is None:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise ApiError.invalid(
                "inhoud", "invalid", "Het verstuurde bestand is geen geldige base64-inhoud."
            ) from None

    def _document_fields(self, target: dict[str, Any], body: Mapping[str, Any]) -> bytes | bool | None:
        """Copy writable fields; returns new content, None (cleared) or False (unchanged)."""
        content: bytes | bool | None = False
        for key, value in body.items():
            if key in ("lock", "url", "versie", "locked", "bestandsdelen", "beginRegistratie"):
                continue
            if key == "inhoud":
                content = self._decode_inhoud(value)
                continue
            target[key] = value
        if "informatieobjecttype" in body and self.catalog.by_url(body["informatieobjecttype"], "informatieobjecttypen") is None:
            raise _does_not_exist("informatieobjecttype")
        _check_rsins(body, "bronorganisatie")
        if isinstance(content, bytes):
            target["bestandsomvang"] = len(content)
        elif content is None and "inhoud" in body:
            target["bestandsomvang"] = None
        return content

    def eio_create(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        iot = self.catalog.by_url(body.get("informatieobjecttype"), "informatieobjecttypen")
        if iot is None:
            raise _does_not_exist("informatieobjecttype")
        data: dict[str, Any] = {
            "identificatie": "",
            "bronorganisatie": body["bronorganisatie"],
            "creatiedatum": body["creatiedatum"],
            "titel": body["titel"],
            "vertrouwelijkheidaanduiding": iot["vertrouwelijkheidaanduiding"],
            "auteur": body["auteur"],
            "status": "",
            "formaat": "",
            "taal": body["taal"],
            "beginRegistratie": self.now_iso(),
            "bestandsnaam": "",
            "bestandsomvang": None,
            "link": "",
            "beschrijving": "",
            "ontvangstdatum": None,
            "verzenddatum": None,
            "indicatieGebruiksrecht": None,
            "verschijningsvorm": "",
            "ondertekening": None,
            "integriteit": None,
            "informatieobjecttype": iot["url"],
            "trefwoorden": [],
        }
        content = self._document_fields(data, body)
        if isinstance(content, bool):
            content = None
        if content is not None and body.get("bestandsomvang") is not None and body["bestandsomvang"] != len(content):
            # Open Zaak 1.30.0: a create is checked too when it states a size (none: accepted)
            raise ApiError.invalid(
                "nonFieldErrors",
                "file-size",
                "De bestandsomvang van de upload moet overeenkomen met het 'bestandsomvang'-veld",
            )
        if data["identificatie"]:
            if self.store.document_identificatie_taken(data["bronorganisatie"], data["identificatie"]):
                raise ApiError.invalid(
                    "identificatie", "identificatie-niet-uniek", "Deze identificatie bestaat al voor deze bronorganisatie"
                )
        else:
            data["identificatie"] = self._generate_identificatie("DOCUMENT", data["bronorganisatie"])
        doc_uuid = str(uuid.uuid4())
        self.store.create_document(doc_uuid, data, content)
        rendered = self._render_document(doc_uuid, 1, data, content is not None, "")
        return ApiResponse.json(201, rendered, {"Location": rendered["url"]})

    def _document_head_or_404(self, doc_uuid: str) -> Any:
        head = self.store.document_head(doc_uuid)
        if head is None:
            raise ApiError.not_found()
        return head

    def _requested_version(self, req: ApiRequest, head: Any) -> tuple[int, dict[str, Any], bytes | None]:
        raw = req.q("versie")
        versie = head["latest"]
        if raw is not None:
            try:
                versie = int(raw)
            except ValueError:
                raise ApiError.not_found() from None
        found = self.store.document_version(head["uuid"], versie)
        if found is None:
            raise ApiError.not_found()
        return versie, found[0], found[1]

    def eio_read(self, req: ApiRequest) -> ApiResponse:
        self._unsupported_params(req, {"versie"})
        head = self._document_head_or_404(req.path_params["uuid"])
        versie, data, content = self._requested_version(req, head)
        return ApiResponse.json(200, self._render_document(head["uuid"], versie, data, content is not None, head["lock"]))

    def eio_list(self, req: ApiRequest) -> ApiResponse:
        self._unsupported_params(req, {"bronorganisatie", "identificatie", "informatieobjecttype"})
        where: list[str] = []
        args: list[Any] = []
        for name in ("bronorganisatie", "identificatie", "informatieobjecttype"):
            if (v := req.q(name)) is not None:
                where.append(f"{name} = ?")
                args.append(v)
        results = []
        for head in self.store.query_documents(where, args):
            found = self.store.document_version(head["uuid"], head["latest"])
            if found is not None:
                results.append(self._render_document(head["uuid"], head["latest"], found[0], found[1] is not None, head["lock"]))
        return ApiResponse.json(200, self._paginate(req, results))

    def eio_search(self, req: ApiRequest) -> ApiResponse:
        """``POST /enkelvoudiginformatieobjecten/_zoek`` (standard since Documenten 1.2):
        the body's filters (``uuid__in``, ``bronorganisatie``, ``identificatie``) ANDed,
        the newest version of each, paged like the list (``?page=N`` on the same POST).

        As Open Zaak: an empty body is 400 ``empty_search_body``; an empty ``uuid__in``
        matches nothing. ``expand`` is not implemented (501).
        """
        self._unsupported_params(req, set())
        body = req.json()
        if not body:
            raise ApiError.invalid("nonFieldErrors", "empty_search_body", "Zoekparameters moeten opgegeven worden.")
        if body.get("expand") or req.q("expand"):
            raise NotImplementedByTestServer("expand in /enkelvoudiginformatieobjecten/_zoek")
        where: list[str] = []
        args: list[Any] = []
        uuids = [str(u).lower() for u in body.get("uuid__in") or []]
        where.append(f"uuid IN ({', '.join('?' for _ in uuids)})" if uuids else "0")
        args.extend(uuids)
        for name in ("bronorganisatie", "identificatie"):
            if (v := body.get(name)) is not None:
                where.append(f"{name} = ?")
                args.append(v)
        results = []
        for head in self.store.query_documents(where, args):
            found = self.store.document_version(head["uuid"], head["latest"])
            if found is not None:
                results.append(self._render_document(head["uuid"], head["latest"], found[0], found[1] is not None, head["lock"]))
        return ApiResponse.json(200, self._paginate(req, results))

    def eio_update(self, req: ApiRequest) -> ApiResponse:
        head = self._document_head_or_404(req.path_params["uuid"])
        body = req.json()
        if not head["lock"]:
            raise ApiError.invalid("nonFieldErrors", "unlocked", "Niet-vergrendeld document kan niet aangepast worden.")
        if "lock" not in body:
            raise ApiError.invalid("nonFieldErrors", "missing-lock-id", "Je moet het lock ID meegeven")
        if body["lock"] != head["lock"]:
            raise ApiError.invalid("nonFieldErrors", "incorrect-lock-id", "Het lock ID is niet geldig")
        latest = self.store.document_version(head["uuid"], head["latest"])
        assert latest is not None
        data, old_content = dict(latest[0]), latest[1]
        size_before = data.get("bestandsomvang")
        content = self._document_fields(data, body)
        if isinstance(content, bytes):
            # Open Zaak compares the new content with the bestandsomvang of the request,
            # or, when the request has none, with the document's current one.
            stated = body.get("bestandsomvang", size_before)
            if stated != len(content):
                raise ApiError.invalid(
                    "nonFieldErrors",
                    "file-size",
                    "De bestandsomvang van de upload moet overeenkomen met het 'bestandsomvang'-veld",
                )
        if isinstance(content, bool):
            content = old_content
        if data["identificatie"] != latest[0]["identificatie"] or data["bronorganisatie"] != latest[0]["bronorganisatie"]:
            if self.store.document_identificatie_taken(data["bronorganisatie"], data["identificatie"]):
                raise ApiError.invalid(
                    "identificatie", "identificatie-niet-uniek", "Deze identificatie bestaat al voor deze bronorganisatie"
                )
        data["beginRegistratie"] = self.now_iso()
        versie = head["latest"] + 1
        self.store.add_document_version(head["uuid"], versie, data, content)
        return ApiResponse.json(200, self._render_document(head["uuid"], versie, data, content is not None, head["lock"]))

    def eio_delete(self, req: ApiRequest) -> ApiResponse:
        head = self._document_head_or_404(req.path_params["uuid"])
        url = self.document_url(head["uuid"])
        if self.store.query_children("zio", ["informatieobject = ?"], [url]):
            raise ApiError.invalid(
                "nonFieldErrors",
                "pending-relations",
                "Alle ZAAKINFORMATIEOBJECTen moeten eerst verwijderd worden.",
            )
        self.store.delete_document(head["uuid"])
        return ApiResponse(204, content_type=None)

    def eio_download(self, req: ApiRequest) -> ApiResponse:
        self._unsupported_params(req, {"versie"})
        if not _accepts(req.headers.get("accept"), "application/octet-stream"):
            raise ApiError(406, "not_acceptable", "Kon niet voldoen aan de opgegeven Accept header.")
        head = self._document_head_or_404(req.path_params["uuid"])
        _versie, data, content = self._requested_version(req, head)
        if content is None:
            raise ApiError.not_found()
        filename = data.get("bestandsnaam") or head["uuid"]
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return ApiResponse(200, content, "application/octet-stream", headers)

    def eio_lock(self, req: ApiRequest) -> ApiResponse:
        head = self._document_head_or_404(req.path_params["uuid"])
        if head["lock"]:
            raise ApiError.invalid("nonFieldErrors", "existing-lock", "Het document is al vergrendeld.")
        lock = uuid.uuid4().hex
        self.store.set_document_lock(head["uuid"], lock)
        return ApiResponse.json(200, {"lock": lock})

    def eio_unlock(self, req: ApiRequest) -> ApiResponse:
        head = self._document_head_or_404(req.path_params["uuid"])
        body = req.json()
        force = self.force_unlock or req.has_scope(FORCE_UNLOCK)
        if not force and body.get("lock", "") != head["lock"]:
            raise ApiError.invalid("nonFieldErrors", "incorrect-lock-id", "Het lock ID is niet geldig")
        self.store.set_document_lock(head["uuid"], "")
        return ApiResponse(204, content_type=None)

    # ======================================================================================
    # Catalogi
    # ======================================================================================

    def _catalog_read(self, kind: str) -> Callable[[ApiRequest], ApiResponse]:
        def read(req: ApiRequest) -> ApiResponse:
            data = self.catalog.get(kind, req.path_params["uuid"])
            if data is None:
                raise ApiError.not_found()
            return ApiResponse.json(200, data)

        return read

    def _catalog_list(self, kind: str) -> Callable[[ApiRequest], ApiResponse]:
        filterable = {"zaaktype", "catalogus", "status", "omschrijving"}

        def list_(req: ApiRequest) -> ApiResponse:
            self._unsupported_params(req, filterable)
            items = self.catalog.list(kind)
            status = req.q("status")
            if status not in (None, "alles", "definitief"):
                items = []  # everything seeded is published
            for name in ("zaaktype", "catalogus", "omschrijving"):
                if (v := req.q(name)) is not None:
                    items = [i for i in items if i.get(name) == v]
            return ApiResponse.json(200, self._paginate(req, items))

        return list_


_BETALINGSINDICATIE = {
    "nvt": "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
    "nog_niet": "De met de zaak gemoeide kosten zijn (nog) niet betaald.",
    "gedeeltelijk": "De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
    "geheel": "De met de zaak gemoeide kosten zijn geheel betaald.",
}


def _latest_status(statussen: list[dict[str, Any]]) -> dict[str, Any]:
    """The status set last (by ``datumStatusGezet``; creation order breaks ties)."""
    best = statussen[0]
    for status in statussen[1:]:
        if _parse_dt(status["datumStatusGezet"]) >= _parse_dt(best["datumStatusGezet"]):
            best = status
    return best


def _years(duration: Any) -> int | None:
    """The years of an ISO 8601 duration of whole years (``P5Y``); None otherwise."""
    if isinstance(duration, str) and (m := re.fullmatch(r"P(\d+)Y", duration)):
        return int(m.group(1))
    return None


def _parse_dt(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in str(value).split(",") if v]


def _accepts(accept: str | None, media_type: str) -> bool:
    """Whether an ``Accept`` header allows ``media_type`` (absent = anything)."""
    if not accept:
        return True
    main = media_type.split("/")[0]
    for item in accept.split(","):
        candidate = item.split(";")[0].strip().lower()
        if candidate in ("*/*", media_type, f"{main}/*"):
            return True
    return False
