"""The sync's exception tree, and the one place where HTTP failures are translated.

::

    SyncError                    anything the sync raises on purpose
    ├── Unavailable              the central system did not (completely) answer: time-outs,
    │                            connection refused/reset/dropped mid-response, 5xx, 408,
    │                            429 (with ``retry_after``). Retry quietly, with back-off.
    ├── Rejected                 the central system answered "no"; retrying the same thing
    │   │                        will not help, the wijkcoach or the beheerder must act.
    │   ├── AuthRejected         401/403 (no/expired/badly signed token, no permission) and a
    │   │                        TLS certificate that cannot be verified: check the settings.
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
        **kwargs: Any,
    ) -> None:
        super().__init__(detail, **kwargs)
        #: ``(field name, error code)`` pairs from the problem body (no reasons: they may
        #: quote input).
        self.invalid_params = invalid_params

    def has_code(self, code: str) -> bool:
        """Whether the problem's code or one of its field errors has this code."""
        return self.code == code or any(c == code for _, c in self.invalid_params)


class AuthRejected(Rejected):
    melding = (
        "De gemeente weigert de toegang van Keukentafel. Controleer in de "
        "synchronisatie-instellingen de client-id en het geheim, of vraag de functioneel "
        "beheerder om een nieuw instellingenbestand."
    )


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


def error_for_response(response: httpx.Response, operation: str) -> SyncError:
    """The error for a non-2xx answer (used by :func:`translate_errors`)."""
    status = response.status_code
    code, params = _problem(response)
    names = ", ".join(f"{n}:{c}" for n, c in params)
    detail = f"{operation}: HTTP {status}" + (f" {code}" if code else "") + (f" [{names}]" if names else "")
    common: dict[str, Any] = {"status": status, "code": code}
    if status in (401, 403):
        return AuthRejected(detail, melding=_AUTH_MELDINGEN.get(code), invalid_params=params, **common)
    if status in (406, 412):
        return HeadersRejected(detail, invalid_params=params, **common)
    if status in (404, 410):
        return NotFound(detail, invalid_params=params, **common)
    if status == 409:
        return Conflict(detail, **common)
    if status in (408, 425, 429) or 500 <= status <= 599:
        return Unavailable(detail, retry_after=_retry_after(response), **common)
    if 400 <= status <= 499:
        fields = sorted({n for n, _ in params if n and n != "nonFieldErrors"})
        melding = None
        if fields:
            melding = (
                f"De gemeente heeft een gegeven geweigerd (veld: {', '.join(fields[:5])}). "
                "Controleer de synchronisatie-instellingen of meld het aan de functioneel beheerder."
            )
        return RequestRejected(detail, melding=melding, invalid_params=params, **common)
    # 1xx and 3xx: we never follow redirects (a token must not travel elsewhere).
    return ProtocolError(detail, **common)


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
