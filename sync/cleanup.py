"""Clean-up of what lost or duplicated requests leave behind: rollen and locks.

ROLLEN: a rol has no unique key, so a rol POST processed twice (a retrying proxy; a
timed-out request landing after our retry) makes the wijkcoach behandelaar twice. The
rollen each zaak has are in the zaken list the pull reads anyway: when they differ from
those last seen, the rollen are listed and our extra behandelaar rol deleted.

LOCKS: a lock request of ours whose answer was lost may land after our write; a dossier
that is not written again would keep that lock for good. The pull's document search shows
``locked``; such an orphan lock is then released once (force-unlock scope).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from storage.syncstate import SyncState

from .client import RemoteDocument, RemoteRol, RemoteZaak
from .context import Part, RunContext
from .errors import NotFound, NotPermitted, Rejected, RequestRejected

__all__ = ["Cleanup"]

log = logging.getLogger("keukentafel.sync")

#: sync_meta: zaak URL -> its rollen as last checked for duplicates of our behandelaar rol.
_ROLLEN_SEEN = "rollen_seen"


class Cleanup(Part):
    """Duplicate behandelaar rollen and orphan locks of ours."""

    def __init__(self, ctx: RunContext) -> None:
        super().__init__(ctx)
        self._seen: dict[str, list[str]] | None = None
        self._dirty = False

    def check_rollen(self, zaak: RemoteZaak, state: SyncState) -> None:
        """A rol POST the server processed twice (a retrying proxy, a timed-out request
        that landed after our retry) leaves this wijkcoach behandelaar twice; the
        standard has no unique key for a rol. The zaken list already names each zaak's
        rollen: only when that set differs from the one last seen are the rollen listed
        and our extra ones deleted (``DELETE /rollen/{uuid}``, standard)."""
        if not state.rol_url:
            return
        now = sorted(zaak.rollen)
        if self._rollen_seen().get(zaak.url) == now:
            return
        ours = self.our_rollen(self.client.list_rollen(zaak.url))
        keep = next((r for r in ours if r.url == state.rol_url), ours[0] if ours else None)
        for extra in ours:
            if keep is None or extra.url == keep.url:
                continue
            try:
                self.client.delete_rol(extra.url)
            except NotFound:
                pass
            except Rejected as exc:  # e.g. not allowed: leave it, say so once
                log.warning("sync: a duplicate behandelaar rol could not be removed (%s)", exc)
                continue
            now = [u for u in now if u != extra.url]
            self.report.rollen_removed += 1
            self.ctx.event("sync_rol_duplicate_removed", state.dossier_id, "")
        if keep is not None and keep.url != state.rol_url:
            self.vault.set_sync_state(replace(self.vault.get_sync_state(state.dossier_id), rol_url=keep.url))
        self.seen_rollen(zaak.url, now)

    def our_rollen(self, rollen: list[RemoteRol]) -> list[RemoteRol]:
        """This wijkcoach as behandelaar (a medewerker with our identificatie)."""
        s = self.settings
        return [
            r
            for r in rollen
            if r.roltype == s.roltype_behandelaar
            and r.betrokkene_type == "medewerker"
            and r.medewerker == s.medewerker_identificatie
        ]

    def _rollen_seen(self) -> dict[str, list[str]]:
        if self._seen is None:
            self._seen = dict(self.vault.get_sync_meta(_ROLLEN_SEEN, {}) or {})
        return self._seen

    def seen_rollen(self, zaak_url: str, rollen: list[str]) -> None:
        self._rollen_seen()[zaak_url] = sorted(rollen)
        self._dirty = True

    def flush(self) -> None:
        if self._seen is not None and self._dirty:
            self.vault.set_sync_meta(_ROLLEN_SEEN, self._seen)
            self._dirty = False

    def release_orphan_lock(self, state: SyncState, doc: RemoteDocument) -> SyncState:
        """A lock request of ours whose answer was lost may land after our write
        (``LOCK_SUSPECT``, see :meth:`sync.documents.Documents.acquire_lock`). The push releases such a lock when it
        next writes, but a dossier that is not written again (a signed one) would keep it
        for good, and with it every other writer out. The document search the pull makes
        anyway shows ``locked``: once it shows the lock, release it (force-unlock scope) --
        one request, once. While the document is unlocked the note stays (the request may
        still land) and costs nothing."""
        if not doc.locked:
            return state
        try:
            self.client.unlock(doc.url, "")
        except (RequestRejected, NotPermitted) as exc:  # no force-unlock scope
            # The next write meets the lock and says so (Conflict); no request per idle run.
            log.warning("sync: an orphan lock could not be released: %s", exc)
        state = replace(state, lock_id=None)
        self.vault.set_sync_state(state)
        return state
