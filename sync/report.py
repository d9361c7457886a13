"""What one sync run did: :class:`SyncReport` (counts, and the ids of the local dossiers it changed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from .errors import Conflict, Rejected, SyncError, Unavailable

__all__ = ["SyncReport"]


@dataclass
class SyncReport:
    """What a run did: counts and dossier ids, never content."""

    ok: bool = True
    kind: str = ""  # "", "unavailable", "rejected", "conflict", "protocol"
    melding: str = ""  # Dutch, for the indicator; empty when ok
    error: str = ""  # English, technical
    pushed: int = 0  # dossiers whose queued changes were confirmed
    pulled: int = 0  # dossiers received or updated from the central system
    merged: int = 0  # dossiers merged with a central change
    conflicts: int = 0  # dossiers left with an open conflict
    skipped: int = 0  # dossiers skipped because of a rejection
    waiting: int = 0  # dossiers parked after an earlier refusal: not tried (no request)
    zaken_created: int = 0
    documents_created: int = 0
    versions_created: int = 0
    verslagen_uploaded: int = 0
    statuses_set: int = 0
    resultaten_set: int = 0  # zaken given their resultaat at the afsluiting
    zaken_closed: int = 0  # zaken given their eindstatus
    versions_pulled: int = 0  # finalised versions (verslag PDFs) stored from the central system
    rollen_removed: int = 0  # duplicates of our behandelaar rol deleted
    stale_retries: int = 0  # a local dossier changed while the run merged it: read and merged again
    retries: int = 0
    requests: int = 0
    seconds: float = 0.0
    #: The local dossiers whose stored content this run replaced (pulled, new, or merged
    #: with a central change), in the order it happened. An open window applies them.
    changed: list[UUID] = field(default_factory=list)

    def fail(self, exc: SyncError) -> None:
        self.ok = False
        self.kind = _kind(exc)
        self.melding = exc.melding
        self.error = str(exc)[:300]

    def note_changed(self, dossier_id: UUID) -> None:
        if dossier_id not in self.changed:
            self.changed.append(dossier_id)

    def detail(self) -> str:
        """One line for the audit log (<= 200 characters; counts only, no ids)."""
        parts = [
            f"ok={int(self.ok)}",
            f"kind={self.kind or '-'}",
            f"pushed={self.pushed}",
            f"pulled={self.pulled}",
            f"merged={self.merged}",
            f"conflicts={self.conflicts}",
            f"skipped={self.skipped}",
            f"waiting={self.waiting}",
            f"changed={len(self.changed)}",
            f"zaken={self.zaken_created}",
            f"docs={self.documents_created}",
            f"versions={self.versions_created}",
            f"verslagen={self.verslagen_uploaded}",
            f"statuses={self.statuses_set}",
            f"retries={self.retries}",
            f"requests={self.requests}",
            f"s={self.seconds:.1f}",
        ]
        return " ".join(parts)[:200]


def _kind(exc: SyncError) -> str:
    if isinstance(exc, Unavailable):
        return "unavailable"
    if isinstance(exc, Rejected):
        return "rejected"
    if isinstance(exc, Conflict):
        return "conflict"
    return "protocol"
