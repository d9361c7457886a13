"""The sync's exception tree, and the one place where HTTP failures are translated.

::

    SyncError                    anything the sync raises on purpose
    ├── Unavailable              the central system did not (completely) answer: time-outs,
    │                            connection refused/reset/dropped mid-response, 5xx, 408,
    │                            429 (with ``retry_after``). Retry quietly, with back-off.
    ├── Rejected                 the central system answered "no"; retrying the same thing
    │   │                        will not help, the wijkcoach or the beheerder must act.
    │   ├── AuthRejected         401, and a 403 about the token itself (expired, badly signed,
    │   │                        unknown client id), and a TLS certificate that cannot be
    │   │                        verified: check the settings. Ends the run.
    │   ├── NotPermitted         any other 403: the application lacks a scope for this step,
    │   │                        or the zaak is closed (``zaak_closed``). Skips one dossier.
    │   ├── HeadersRejected      412/406: the server expects other headers (Accept-Crs, ...).
    │   ├── RequestRejected      400 and other 4xx: a validation error (``invalid_params``).
    │   ├── NotFound             404/410: a zaak or document we refer to is not there.
    │   └── SettingsError        the settings file or the stored settings are not usable.
    ├── ProtocolError            an answer we cannot use: not JSON, a missing field, a
    │                            redirect, a URL outside the configured APIs. Retried like
    │                            Unavailable (a proxy's error page is the usual cause).
    └── Conflict                 409, or a document locked by someone else.

Every error carries:

- ``str(exc)``: an English, technical description for the log (operation, HTTP status,
  the API's error code and field names) -- never dossier content;
- ``exc.melding``: a Dutch sentence the desktop can show as is, without personal data.

:func:`translate_errors` is the single boundary: inside it, every httpx exception and
every non-2xx status (raised with ``response.raise_for_status()``) becomes one of the
classes above, most specific first, chained to the original. ``tests/sync`` walks all
of httpx's exception classes and checks each one maps.
"""

from __future__ import annotations

import email.utils
import re
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

__all__ = [
    "SyncError",
    "Unavailable",
    "Rejected",
    "AuthRejected",
    "NotPermitted",
    "HeadersRejected",
    "RequestRejected",
    "NotFound",
    "SettingsError",
    "ProtocolError",
    "Conflict",
    "translate_errors",
    "error_for_response",
]

_SETTINGS_HINT = "Controleer de synchronisatie-instellingen of vraag de functioneel beheerder om hulp."


class SyncError(Exception):
    """Base class. ``str(exc)`` is English and technical; ``exc.melding`` is Dutch."""

    melding: str = "De synchronisatie met de gemeente is niet gelukt. Er is niets verloren gegaan."

    def __init__(
        self,
        detail: str = "",
        *,
        melding: str | None = None,
        status: int | None = None,
        code: str = "",
    ) -> None:
        super().__init__(detail or type(self).__name__)
        if melding is not None:
            self.melding = melding
        self.status = status
        self.code = code


class Unavailable(SyncError):
    """No (complete) answer: the normal state of an offline laptop. Retry later."""

    melding = "De gemeente is nu niet bereikbaar. Wijzigingen worden later verstuurd."

    def __init__(self, detail: str = "", *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.retry_after = retry_after


class Rejected(SyncError):
    """The central system refused; someone has to act before a retry can succeed."""

    melding = "De gemeente heeft de synchronisatie geweigerd. " + _SETTINGS_HINT

    def __init__(
        self,
        detail: str = "",
        *,
        invalid_params: tuple[tuple[str, str], ...] = (),
        problem_type: str = "",
        scopes: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(detail, **kwargs)
        #: ``(field name, error code)`` pairs from the problem body (no reasons: they may
        #: quote input).
        self.invalid_params = invalid_params
        #: The last part of the problem's ``type`` URL, e.g. ``ZaakClosed``.
        self.problem_type = problem_type
        #: Scope names the server's ``detail`` mentions (only those, never the text).
        self.scopes = scopes

    def has_code(self, code: str) -> bool:
        """Whether the problem's code or one of its field errors has this code."""
        return self.code == code or any(c == code for _, c in self.invalid_params)


class AuthRejected(Rejected):
    melding = (
        "De gemeente weigert de toegang van Keukentafel. Controleer in de "
        "synchronisatie-instellingen de client-id en het geheim, of vraag de functioneel "
        "beheerder om een nieuw instellingenbestand."
    )


class NotPermitted(Rejected):
    """403 for a valid token: this application may not do this step (a scope, the zaaktype
    or the vertrouwelijkheidaanduiding), or the zaak is closed. Affects one dossier; the
    run goes on with the others."""

    melding = (
        "De gemeente staat deze stap niet toe voor Keukentafel. Vraag de functioneel beheerder "
        "de rechten (scopes) van de applicatie te controleren; de wijzigingen blijven bewaard."
    )

    @property
    def zaak_closed(self) -> bool:
        """Open Zaak: ``…/ZaakClosed/`` (a change to a closed zaak), or a status on a closed
        zaak without ``zaken.heropenen``."""
        return self.problem_type == "ZaakClosed" or "zaken.heropenen" in self.scopes


class HeadersRejected(Rejected):
    melding = (
        "De server van de gemeente verwacht andere headers dan Keukentafel stuurt. "
        "Meld dit aan de functioneel beheerder; de wijzigingen blijven bewaard."
    )


class RequestRejected(Rejected):
    melding = (
        "De gemeente heeft een gegeven geweigerd. Controleer de synchronisatie-instellingen "
        "(zaaktype, documenttypen, RSIN) of meld het aan de functioneel beheerder."
    )


class NotFound(Rejected):
    melding = "Een zaak of document is niet (meer) gevonden bij de gemeente."


class SettingsError(Rejected):
    melding = "De synchronisatie-instellingen zijn niet compleet. " + _SETTINGS_HINT


class ProtocolError(SyncError):
    melding = (
        "De gemeente gaf een onverwacht antwoord. Er is niets verloren gegaan; de "
        "synchronisatie wordt later opnieuw geprobeerd."
    )


class Conflict(SyncError):
    melding = (
        "Een document is bij de gemeente in gebruik (vergrendeld). De wijzigingen worden "
        "later verstuurd."
    )


# --- translating ---------------------------------------------------------------------------


_SCOPE = re.compile(r"\b(?:zaken|documenten|catalogi|besluiten|autorisaties|notificaties)\.[a-z][a-z.-]*[a-z]")
#: Codes of a 403 about the token itself (vng-api-common): the settings are wrong.
TOKEN_CODES = frozenset(
    {
        "jwt-expired",
        "invalid-jwt-signature",
        "invalid-client-identifier",
        "missing-client-identifier",
        "jwt-missing-iat-claim",
        "jwt-decode-error",
        "not_authenticated",
        "authentication_failed",
    }
)


def _problem_extra(response: httpx.Response) -> tuple[str, tuple[str, ...]]:
    """The last part of the problem ``type`` and the scope names in ``detail``."""
    try:
        body = response.json()
    except Exception:
        return "", ()
    if not isinstance(body, dict):
        return "", ()
    kind = body.get("type")
    name = kind.rstrip("/").rsplit("/", 1)[-1][:60] if isinstance(kind, str) else ""
    detail = body.get("detail")
    scopes = tuple(dict.fromkeys(_SCOPE.findall(detail[:500]))) if isinstance(detail, str) else ()
    return name, scopes[:5]


def _problem(response: httpx.Response) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``code`` and ``invalidParams`` (name, code) of a problem body; empty if none."""
    try:
        body = response.json()
    except Exception:  # not JSON, truncated, wrong encoding: no details then
        return "", ()
    if not isinstance(body, dict):
        return "", ()
    code = body.get("code")
    params: list[tuple[str, str]] = []
    raw = body.get("invalidParams")
    if isinstance(raw, list):
        for item in raw[:20]:
            if isinstance(item, dict):
                params.append((str(item.get("name", ""))[:80], str(item.get("code", ""))[:80]))
    return (code if isinstance(code, str) else "")[:80], tuple(params)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


_AUTH_MELDINGEN = {
    "jwt-expired": (
        "De gemeente weigert het toegangsbewijs als verlopen. Controleer of de datum en tijd "
        "van deze laptop kloppen, en anders de synchronisatie-instellingen."
    ),
    "invalid-jwt-signature": (
        "De gemeente herkent het geheim niet. Controleer het geheim in de "
        "synchronisatie-instellingen of vraag de functioneel beheerder om een nieuw "
        "instellingenbestand."
    ),
    "invalid-client-identifier": (
        "De gemeente kent deze client-id niet. Controleer de client-id in de "
        "synchronisatie-instellingen of vraag de functioneel beheerder om een nieuw "
        "instellingenbestand."
    ),
}


#: The scopes each operation of the sync needs (Open Zaak 1.30.0 spec, ``security``), for
#: a message when the server's 403 does not name one.
OPERATION_SCOPES: dict[str, str] = {
    "find zaak": "zaken.lezen",
    "list zaken": "zaken.lezen",
    "list rollen": "zaken.lezen",
    "list statussen": "zaken.lezen",
    "list links": "zaken.lezen",
    "create zaak": "zaken.aanmaken",
    "create rol": "zaken.bijwerken",
    "delete rol": "zaken.bijwerken",
    "create status": "zaken.statussen.toevoegen",
    "create resultaat": "zaken.bijwerken",
    "link document": "zaken.bijwerken",
    "find document": "documenten.lezen",
    "list documents": "documenten.lezen",
    "search documents": "documenten.lezen",
    "get document": "documenten.lezen",
    "download document": "documenten.lezen",
    "create document": "documenten.aanmaken",
    "update document": "documenten.bijwerken",
    "lock document": "documenten.lock",
    "unlock document": "documenten.lock",
}

#: The step, in Dutch, for messages.
_STAPPEN: dict[str, str] = {
    "create zaak": "een zaak aanmaken",
    "create rol": "de wijkcoach als behandelaar vastleggen",
    "delete rol": "een dubbele behandelaar verwijderen",
    "create status": "een status zetten",
    "create resultaat": "een resultaat vastleggen",
    "link document": "een document aan de zaak koppelen",
    "create document": "een document aanmaken",
    "update document": "een nieuwe versie van het dossier opslaan",
    "lock document": "het dossierdocument vergrendelen",
    "unlock document": "het dossierdocument ontgrendelen",
}


def _not_permitted_melding(operation: str, scopes: tuple[str, ...]) -> str:
    """Names the scope the step needs (from the spec), or else the scopes the server's
    detail names; never points at the client id or secret (those were accepted)."""
    stap = _STAPPEN.get(operation, "deze stap")
    needed = [OPERATION_SCOPES[operation]] if operation in OPERATION_SCOPES else list(scopes)
    if needed:
        names = ", ".join(f"‘{s}’" for s in needed[:3])
        return (
            f"De gemeente staat Keukentafel niet toe {stap}: de applicatie mist de scope {names}. "
            "Vraag de functioneel beheerder die scope toe te voegen (zie de handleiding van de "
            "synchronisatie); de wijzigingen blijven bewaard."
        )
    return (
        f"De gemeente staat Keukentafel niet toe {stap}. Vraag de functioneel beheerder de rechten "
        "van de applicatie te controleren (scopes, zaaktype, vertrouwelijkheidaanduiding); de "
        "wijzigingen blijven bewaard."
    )


_VELD_MELDINGEN = {
    "resultaat-does-not-exist": (
        "De gemeente sluit de zaak niet: de ingestelde status is de eindstatus van het zaaktype "
        "en de zaak heeft nog geen resultaat. De functioneel beheerder moet bij "
        "‘statustype_ondertekend’ een gewone status instellen (niet de eindstatus); de "
        "wijzigingen blijven bewaard."
    ),
    "file-size": (
        "De gemeente weigert een document: de opgegeven bestandsomvang klopt niet. Meld dit aan "
        "de functioneel beheerder; de wijzigingen blijven bewaard."
    ),
}


def error_for_response(response: httpx.Response, operation: str) -> SyncError:
    """The error for a non-2xx answer (used by :func:`translate_errors`)."""
    status = response.status_code
    code, params = _problem(response)
    problem_type, scopes = _problem_extra(response)
    names = ", ".join(f"{n}:{c}" for n, c in params)
    detail = (
        f"{operation}: HTTP {status}"
        + (f" {code}" if code else "")
        + (f" type={problem_type}" if problem_type and status == 403 else "")
        + (f" [{names}]" if names else "")
        + (f" scopes={','.join(scopes)}" if scopes else "")
    )
    common: dict[str, Any] = {"status": status, "code": code, "problem_type": problem_type, "scopes": scopes}
    if status == 401 or (status == 403 and code in TOKEN_CODES):
        return AuthRejected(detail, melding=_AUTH_MELDINGEN.get(code), invalid_params=params, **common)
    if status == 403:
        melding: str | None = _not_permitted_melding(operation, scopes)
        if problem_type == "ZaakClosed" or "zaken.heropenen" in scopes:
            melding = (
                "De zaak bij de gemeente is afgesloten; Keukentafel past een afgesloten zaak niet aan. "
                "De wijzigingen blijven bewaard."
            )
        return NotPermitted(detail, melding=melding, invalid_params=params, **common)
    if status in (406, 412):
        return HeadersRejected(detail, invalid_params=params, **common)
    if status in (404, 410):
        return NotFound(detail, invalid_params=params, **common)
    if status == 409:
        return Conflict(detail, status=status, code=code)
    if status in (408, 425, 429) or 500 <= status <= 599:
        return Unavailable(detail, retry_after=_retry_after(response), status=status, code=code)
    if 400 <= status <= 499:
        fields = sorted({n for n, _ in params if n and n != "nonFieldErrors"})
        melding = next((_VELD_MELDINGEN[c] for _, c in params if c in _VELD_MELDINGEN), None)
        if melding is None and fields:
            stap = _STAPPEN.get(operation, "een stap van de synchronisatie")
            melding = (
                f"De gemeente heeft een gegeven geweigerd bij {stap} (veld: {', '.join(fields[:5])}). "
                "Controleer de synchronisatie-instellingen of meld het aan de functioneel beheerder."
            )
        if melding is None and operation in _STAPPEN:
            codes = ", ".join(sorted({c for _, c in params if c} | ({code} if code and code != "invalid" else set())))
            melding = (
                f"De gemeente heeft {_STAPPEN[operation]} geweigerd"
                + (f" (code: {codes[:80]})" if codes else "")
                + ". Meld dit aan de functioneel beheerder; de wijzigingen blijven bewaard."
            )
        return RequestRejected(detail, melding=melding, invalid_params=params, **common)
    # 1xx and 3xx: we never follow redirects (a token must not travel elsewhere).
    return ProtocolError(detail, status=status, code=code)


def _tls_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        current = current.__cause__ or current.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


@contextmanager
def translate_errors(operation: str) -> Iterator[None]:
    """Turn httpx exceptions and non-2xx statuses into :class:`SyncError` subclasses.

    ``operation`` is a short English label ("create zaak") used in ``str(exc)``; it must
    not contain personal data. Errors that already are :class:`SyncError` pass through.
    """
    try:
        yield
    except SyncError:
        raise
    except httpx.HTTPStatusError as exc:
        raise error_for_response(exc.response, operation) from exc
    except httpx.TimeoutException as exc:
        raise Unavailable(f"{operation}: time-out ({type(exc).__name__})") from exc
    except httpx.ConnectError as exc:
        if _tls_failure(exc):
            raise AuthRejected(
                f"{operation}: TLS certificate verification failed",
                melding=(
                    "De beveiligde verbinding met de gemeente kon niet worden gecontroleerd. "
                    "Controleer het certificaatbestand (CA-bundel) in de synchronisatie-instellingen."
                ),
                code="tls",
            ) from exc
        raise Unavailable(f"{operation}: cannot connect") from exc
    except (httpx.NetworkError, httpx.ProxyError, httpx.RemoteProtocolError) as exc:
        # Reset, refused, dropped mid-response (RemoteProtocolError: the peer closed the
        # connection before the message was complete), or the proxy failed.
        raise Unavailable(f"{operation}: connection lost ({type(exc).__name__})") from exc
    except httpx.UnsupportedProtocol as exc:
        raise SettingsError(
            f"{operation}: unsupported URL scheme",
            melding="Een adres in de synchronisatie-instellingen begint niet met https://. " + _SETTINGS_HINT,
        ) from exc
    except httpx.InvalidURL as exc:
        raise SettingsError(
            f"{operation}: invalid URL",
            melding="Een adres in de synchronisatie-instellingen is ongeldig. " + _SETTINGS_HINT,
        ) from exc
    except (httpx.LocalProtocolError, httpx.DecodingError, httpx.TooManyRedirects) as exc:
        raise ProtocolError(f"{operation}: {type(exc).__name__}") from exc
    except httpx.TransportError as exc:  # a future transport error: assume it is passing
        raise Unavailable(f"{operation}: transport error ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:  # a future request error we cannot classify
        raise ProtocolError(f"{operation}: {type(exc).__name__}") from exc
