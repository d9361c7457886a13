"""JWT checks as Open Zaak (vng-api-common) performs them.

``Authorization: Bearer <JWT>``, HS256, the secret is looked up by the
token's ``client_id`` claim, ``iat`` is required and the token counts as
expired once ``now - iat >= expiry`` (no leeway). Every failure is a 403
problem with the same ``code`` as Open Zaak.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jwt

from .problems import ApiError


def check_bearer_token(
    authorization: str | None,
    clients: Mapping[str, str],
    now: float,
    expiry_seconds: float,
) -> dict[str, Any]:
    """Return the verified JWT payload or raise a 403 :class:`ApiError`."""
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiError(403, "permission_denied", "U heeft geen toestemming om deze actie uit te voeren.")
    token = authorization[len("Bearer "):].strip()
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        raise ApiError(
            403,
            "jwt-decode-error",
            "JWT kon niet gedecodeerd worden. Mogelijk is er een fout gemaakt bij het kopiëren.",
        ) from None
    client_id = unverified.get("client_id")
    if not client_id:
        raise ApiError(403, "missing-client-identifier", "De `client_id` claim ontbreekt in de JWT.")
    secret = clients.get(str(client_id))
    if secret is None:
        raise ApiError(403, "invalid-client-identifier", "Client identifier bestaat niet")
    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            # Time-based claims are judged below with the server's own
            # (shiftable) clock, exactly like vng-api-common does for iat.
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.InvalidSignatureError:
        raise ApiError(403, "invalid-jwt-signature", "Client credentials zijn niet geldig") from None
    except jwt.InvalidTokenError:
        raise ApiError(
            403,
            "jwt-decode-error",
            "JWT kon niet gedecodeerd worden. Mogelijk is er een fout gemaakt bij het kopiëren.",
        ) from None
    iat = payload.get("iat")
    if iat is None:
        raise ApiError(403, "jwt-missing-iat-claim", "De JWT mist de 'iat' claim.")
    try:
        issued_at = float(iat)
    except (TypeError, ValueError):
        raise ApiError(403, "jwt-decode-error", "De 'iat' claim is geen getal.") from None
    if now - issued_at >= expiry_seconds:
        raise ApiError(403, "jwt-expired", "De JWT van dit verzoek is verlopen.")
    return payload
