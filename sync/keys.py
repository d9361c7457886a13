"""Stable keys and the one serialisation of a dossier on the central system.

Idempotency rests on identificaties derived from the dossier's UUID, so a retried
create finds what an earlier attempt made (identificatie is unique per bronorganisatie
in the Zaken and Documenten APIs; both are at most 40 characters):

- zaak:                ``KT-``  + dossier UUID hex (35 characters)
- dossier document:    ``KTD-`` + dossier UUID hex (36)
- verslag document:    ``KTV-`` + uuid5(dossier UUID, str(versie)).hex (36)

A finalised version pulled from the central system is stored in the vault with the
dossier JSON of that version, found in the dossier document's history. When the
central system holds only its verslag (PDF), the vault keeps the PDF with a small
marker JSON instead (:func:`pdf_only_json`, recognised by :func:`is_pdf_only`): it is
not a dossier, so ``Dossier.model_validate_json`` refuses it.

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
    "PDF_ONLY",
    "pdf_only_json",
    "is_pdf_only",
]

#: Key of the marker JSON stored for a finalised version of which only the PDF is known.
PDF_ONLY = "keukentafel_alleen_verslag"


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


def pdf_only_json(dossier_id: UUID, versie: int, sha256: str, pdf_sha256: str) -> str:
    """The ``dossier_json`` stored with a pulled verslag whose dossier content is not in
    the central system: which version it is, its content hash (from the dossier's
    ``vorige_versies``) and the PDF's SHA-256 -- never invented content."""
    return json.dumps(
        {
            PDF_ONLY: True,
            "dossier_id": str(dossier_id),
            "versie": int(versie),
            "sha256": sha256,
            "pdf_sha256": pdf_sha256,
            "toelichting": (
                "Het centrale systeem heeft van deze versie alleen het ondertekende verslag; "
                "de gegevens van deze versie staan er niet in."
            ),
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def is_pdf_only(dossier_json: str | None) -> bool:
    """Whether a stored version's JSON is the :func:`pdf_only_json` marker."""
    if not dossier_json:
        return False
    try:
        raw = json.loads(dossier_json)
    except ValueError:
        return False
    return isinstance(raw, dict) and raw.get(PDF_ONLY) is True
