"""ZGW error responses (``application/problem+json``) as Open Zaak writes them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from .contracts import InvalidParam

#: Titles per ``code``, as Open Zaak (vng-api-common + DRF, Dutch locale) uses them.
_TITLES: dict[str, str] = {
    "invalid": "Een of meerdere parameters zijn niet correct.",
    "parse_error": "Ongeldig verzoek.",
    "permission_denied": "U heeft geen toestemming om deze actie uit te voeren.",
    "jwt-expired": "U heeft geen toestemming om deze actie uit te voeren.",
    "jwt-missing-iat-claim": "U heeft geen toestemming om deze actie uit te voeren.",
    "invalid-jwt-signature": "U heeft geen toestemming om deze actie uit te voeren.",
    "invalid-client-identifier": "U heeft geen toestemming om deze actie uit te voeren.",
    "not_found": "Niet gevonden.",
    "method_not_allowed": "Methode niet toegestaan.",
    "not_acceptable": "Kan niet voldoen aan de opgegeven Accept header.",
    "precondition_failed": "Precondition failed",
    "unsupported_media_type": "Ongeldige media type in verzoek.",
    "error": "Er is een serverfout opgetreden.",
    "not_implemented": "Niet geïmplementeerd in de ZGW-testserver.",
    "service_unavailable": "Service tijdelijk niet beschikbaar.",
}

_TYPES: dict[int, str] = {
    400: "ValidationError",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    412: "PreconditionFailed",
    415: "UnsupportedMediaType",
}


class ApiError(Exception):
    """Raised by handlers; turned into a problem response by the server."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str = "",
        params: Iterable[InvalidParam] = (),
        title: str | None = None,
        type_name: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.type_name = type_name
        self.status = status
        self.code = code
        self.detail = detail
        self.params = list(params)
        self.title = title

    @classmethod
    def invalid(cls, name: str, code: str, reason: str) -> ApiError:
        """A 400 with a single ``invalidParams`` entry."""
        return cls(400, "invalid", "Ongeldige invoer.", [InvalidParam(name, code, reason)])

    @classmethod
    def not_found(cls) -> ApiError:
        return cls(404, "not_found", "Niet gevonden.")


def problem_body(
    base_url: str,
    status: int,
    code: str,
    detail: str = "",
    params: Iterable[InvalidParam] = (),
    title: str | None = None,
    type_name: str | None = None,
) -> dict[str, object]:
    """The problem document; ``invalidParams`` is present on every 400."""
    type_name = type_name or _TYPES.get(status, "APIException")
    body: dict[str, object] = {
        "type": f"{base_url}/ref/fouten/{type_name}/",
        "code": code,
        "title": title or _TITLES.get(code, "Er is een fout opgetreden."),
        "status": status,
        "detail": detail,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }
    params = list(params)
    if status == 400 or params:
        body["invalidParams"] = [p.as_dict() for p in params]
    return body
