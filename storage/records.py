"""Plain, immutable records the vault hands out. No SQL, no Qt."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from uuid import UUID

from forms.models import Dossier
from forms.summary import GesprekStatus

__all__ = ["DossierListing", "AuditEntry", "HistoryEntry", "QueuedChange", "StoredVersion"]


@dataclass(frozen=True)
class DossierListing:
    """One row of the caseload list; read from the summary columns, never from the JSON."""

    id: UUID
    titel: str
    adres: str
    postcode: str
    gewijzigd: dt.datetime  # UTC, time of the last save
    status: GesprekStatus
    blokkerend: int  # number of blocking gaps at the last save
    onverzonden: int  # changes queued for the sync and not yet sent
    conflict: bool  # set by the sync when the central system disagrees
    gesprek_datum: dt.date
    versie: int
    # where the trajectory stands (issue 13), from the summary columns written at save
    fase: str = "intake"  # forms.trajectory.Fase value
    volgende_evaluatie: dt.date | None = None  # the next evaluation (capped by the interval)
    waakvlam: dt.date | None = None  # check-in date of a closed trajectory
    te_laat: bool = False  # volgende_evaluatie lies before the day the list was made


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when, to which dossier. Never content."""

    seq: int
    when: dt.datetime  # UTC
    who: str
    action: str  # e.g. "save", "read", "list", "vault_open", "sync_sent"
    dossier_id: UUID | None
    detail: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    """One event in a dossier's history: an audit entry with, for a save, the fields it
    changed (``paths``, :func:`forms.paths.path_text` form; never their values)."""

    seq: int
    when: dt.datetime  # UTC
    who: str
    action: str  # "save", "pull", "finalise", "version_stored", "sync_sent", "read", ...
    detail: str = ""  # technical key=value pairs, never content
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueuedChange:
    """A saved change waiting for the sync. ``idempotency_key`` is stable across retries."""

    seq: int
    idempotency_key: str  # uuid4, as text
    dossier_id: UUID
    dossier_versie: int
    created: dt.datetime  # UTC
    payload_sha256: str  # sha256 of the dossier JSON as saved


@dataclass(frozen=True)
class StoredVersion:
    """A finalised snapshot. ``list_versions`` leaves ``dossier_json`` and ``pdf`` out."""

    dossier_id: UUID
    versie: int
    sha256: str
    created: dt.datetime  # UTC
    has_pdf: bool
    dossier_json: str | None = field(default=None, repr=False)
    pdf: bytes | None = field(default=None, repr=False)

    def dossier(self) -> Dossier | None:
        """The stored JSON as a Dossier in today's shape: a version finalised under an older
        schema is upgraded (``forms.migrate.load``; its hash still verifies). None without
        JSON, or when the JSON is no dossier (the sync's PDF-only marker)."""
        if not self.dossier_json:
            return None
        from forms.errors import UnsupportedSchema
        from forms.migrate import load

        try:
            return load(json.loads(self.dossier_json))
        except (ValueError, UnsupportedSchema):  # ValidationError and JSONDecodeError are ValueErrors
            return None
