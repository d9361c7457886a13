"""Stable keys and the one serialisation of a dossier on the central system.

Idempotency rests on identificaties derived from the dossier's UUID, so a retried
create finds what an earlier attempt made (identificatie is unique per bronorganisatie
in the Zaken and Documenten APIs; both are at most 40 characters):

- zaak:                ``KT-``  + dossier UUID hex (35 characters)
- dossier document:    ``KTD-`` + dossier UUID hex (36)
- verslag document:    ``KTV-`` + uuid5(dossier UUID, str(versie)).hex (36)

The dossier document's content is the *canonical JSON* of the whole dossier
(``model_dump(mode="json")``, keys sorted, no whitespace, UTF-8): the same dossier
always gives the same bytes, so "did the server get what we sent" is a SHA-256
comparison. (Unlike :func:`forms.canonical_json`, ``definitief`` is included: the
central copy must be the whole dossier.)
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any
from uuid import UUID

from forms import migrate
from forms.models import Dossier

__all__ = [
    "zaak_identificatie",
    "dossier_document_identificatie",
    "verslag_identificatie",
    "canonical_bytes",
    "canonical_data",
    "sha256_hex",
    "parse_remote",
    "upgrade_raw",
]


def zaak_identificatie(dossier_id: UUID) -> str:
    return "KT-" + dossier_id.hex


def dossier_document_identificatie(dossier_id: UUID) -> str:
    return "KTD-" + dossier_id.hex


def verslag_identificatie(dossier_id: UUID, versie: int) -> str:
    return "KTV-" + uuid.uuid5(dossier_id, str(int(versie))).hex


def canonical_data(dossier: Dossier) -> dict[str, Any]:
    return dossier.model_dump(mode="json")


def canonical_bytes(dossier: Dossier) -> bytes:
    return json.dumps(
        canonical_data(dossier), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upgrade_raw(raw: Any) -> dict[str, Any]:
    """Stored/remote dossier JSON in the current schema's shape (not validated)."""
    if not isinstance(raw, dict):
        raise ValueError("a dossier is a JSON object")
    return migrate.upgrade(raw)


def parse_remote(content: bytes) -> Dossier:
    """A dossier from the central document's bytes (older schemas are upgraded).

    Raises ``ValueError`` (not JSON / not a dossier), ``forms.UnsupportedSchema``
    (made by a newer app) or ``pydantic.ValidationError``.
    """
    raw = json.loads(content.decode("utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("a dossier is a JSON object")
    return migrate.load(raw)
