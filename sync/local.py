"""The one door through which a sync run changes a local dossier: :class:`Local`.

Every write of central content into the vault -- a pulled dossier, a new one, the result
of a three-way merge -- goes through :meth:`Local.store`: ``vault.apply_remote`` with the
revision (the SHA-256 of the stored JSON) the run based its work on. When the dossier was
saved meanwhile (a window's autosave), the vault refuses with
:class:`storage.StaleDossier` and nothing is written; :meth:`Local.merge` then
reads the dossier again and merges again, at most ``MAX_STALE_RETRIES`` times. Each
stored change is reported (``SyncReport.changed`` and the run's ``on_changed`` callback)
so the desktop can apply it to a window that shows the dossier.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

import forms
from forms.merge import MISSING, merge_validated
from forms.models import Dossier
from forms.paths import path_text
from storage.errors import StaleDossier
from storage.syncstate import ConflictRecord, SyncState

from . import keys
from .context import DossierPush, Part, RunContext
from .errors import Conflict

__all__ = ["Local", "MAX_STALE_RETRIES"]

#: How often a merge is redone when the local dossier keeps changing under it.
MAX_STALE_RETRIES = 3


class _Frozen(ValueError):
    """A merge result that claims to be final but whose content does not match its hash."""


class Local(Part):
    """Writes central content into the vault, with a revision check."""

    def __init__(self, ctx: RunContext, before_store: Callable[[Dossier], None]) -> None:
        super().__init__(ctx)
        #: Called with a central dossier before it replaces the local copy (notes the
        #: finalised versions it names, so a crash in between cannot forget them).
        self._before_store = before_store

    def store(self, dossier: Dossier, state: SyncState, *, revision: str, detail: str) -> None:
        """Replace the local dossier (``revision``: the stored one we based this on, ``""``
        for none) and its sync state in one transaction; report it as changed. Raises
        StaleDossier (nothing written) when the stored revision differs."""
        self._before_store(dossier)
        self.vault.apply_remote(dossier, state, expected_sha256=revision, detail=detail)
        self.ctx.changed(dossier.id)

    def merge(
        self, push: DossierPush, local: Dossier, revision: str, remote_bytes: bytes, remote_versie: int
    ) -> tuple[Dossier, str] | None:
        """Three-way merge of the base (``push.state.base_json``), the local dossier and the
        central content. Returns the merged dossier and its revision, or None when a
        conflict now waits for the wijkcoach. Redone on a newer local revision."""
        attempt = 0
        while True:
            try:
                return self._merge_once(push, local, revision, remote_bytes, remote_versie)
            except StaleDossier:
                if attempt >= MAX_STALE_RETRIES:
                    raise
                attempt += 1
                self.report.stale_retries += 1
                local, revision = self.vault.load_revision(push.dossier_id)

    def _merge_once(
        self, push: DossierPush, local: Dossier, revision: str, remote_bytes: bytes, remote_versie: int
    ) -> tuple[Dossier, str] | None:
        try:
            remote_raw = keys.upgrade_raw(json.loads(remote_bytes.decode("utf-8")))
            base_raw = (
                keys.upgrade_raw(json.loads(push.state.base_json)) if push.state.base_json is not None else None
            )
        except (ValueError, forms.UnsupportedSchema) as exc:
            # Retrying cannot make it readable (e.g. written by a newer Keukentafel): this
            # dossier waits, its changes kept; the run goes on with the others.
            raise Conflict(
                f"central dossier unreadable ({type(exc).__name__})",
                melding=(
                    "Een dossier bij de gemeente is gemaakt met een nieuwere versie van Keukentafel "
                    "of is onleesbaar. De wijzigingen hier blijven bewaard; werk Keukentafel bij."
                ),
            ) from None
        local_raw = keys.canonical_data(local)
        frozen = local.definitief is not None

        def validate(data: Any) -> Dossier:
            dossier = Dossier.model_validate(data)
            if dossier.definitief is not None and not forms.verify(dossier):
                raise _Frozen("content does not match its final hash")
            if frozen and data != local_raw:
                raise _Frozen("a final dossier is never changed by a merge")
            return dossier

        def locations(exc: Exception) -> list[tuple[Any, ...]] | None:
            if isinstance(exc, ValidationError):
                return [tuple(e["loc"]) for e in exc.errors()]
            if isinstance(exc, _Frozen):
                return [()]
            return None

        result = merge_validated(base_raw, local_raw, remote_raw, validate, locations)
        merged = result.document
        conflicts = tuple(
            ConflictRecord(
                path=path_text(c.path),
                local=None if c.local is MISSING else c.local,
                remote=None if c.remote is MISSING else c.remote,
                remote_versie=remote_versie,
                local_present=c.local is not MISSING,
                remote_present=c.remote is not MISSING,
            )
            for c in result.conflicts
        )
        new_state = replace(
            push.state,
            base_json=remote_bytes.decode("utf-8"),
            remote_versie=remote_versie,
            inflight_sha256=None,
            conflicts=conflicts,
        )
        if merged == local:
            self.vault.set_sync_state(new_state)
        else:
            self.store(merged, new_state, revision=revision, detail=f"merge remote_versie={remote_versie}")
        push.state = new_state
        self.report.merged += 1
        self.ctx.event("sync_merged", push.dossier_id, f"remote_versie={remote_versie} conflicts={len(conflicts)}")
        if conflicts:
            self.report.conflicts += 1
            return None
        return merged, self.vault.stored_sha256(push.dossier_id)
