"""The pull: what changed centrally comes into the vault.

One paged list of the zaken where this wijkcoach has a rol (a standard filter), and one
document search (``POST /enkelvoudiginformatieobjecten/_zoek`` with ``uuid__in``, standard
since Documenten 1.2) per 100 of our known dossier documents give every dossier
document's current ``versie`` -- bounded by this wijkcoach's dossiers, whatever else the
municipality holds. Only dossiers whose versie differs from the stored one cost a request
(a download). A newer central version replaces the local copy (through :mod:`sync.local`:
revision-checked, reported as changed) only when the local copy has no unsent changes
(otherwise the push merges it). Unknown zaken of our zaaktype are read via their document
links; zaken without a dossier document are remembered and only looked at again when
their links change. An idle run therefore costs a constant number of requests.

A closed zaak that one of ours follows is skipped; a dossier whose zaak another laptop
followed up moves to the new zaak (:meth:`Pull._follow`). Finalised versions a dossier
lacks are fetched by :class:`sync.versions.VersionsIn`, duplicate rollen and orphan locks
cleaned up by :class:`sync.cleanup.Cleanup`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from uuid import UUID

from pydantic import ValidationError

import forms
from forms.models import Dossier
from storage.errors import InvalidDossier, StaleDossier
from storage.syncstate import SyncState

from . import keys
from .cleanup import Cleanup
from .client import RemoteDocument, RemoteZaak
from .context import LOCK_SUSPECT, Part, RunContext
from .errors import Conflict, NotFound, NotPermitted, ProtocolError, RequestRejected, SyncError
from .local import Local
from .versions import VersionsIn, predecessors

__all__ = ["Pull"]

log = logging.getLogger("keukentafel.sync")

#: sync_meta: zaak URL -> its links, for zaken without a dossier document.
_SKIPPED_ZAKEN = "pull_skipped_zaken"


class Pull(Part):
    """One pull over this wijkcoach's zaken."""

    def __init__(self, ctx: RunContext, local: Local, versions: VersionsIn, cleanup: Cleanup) -> None:
        super().__init__(ctx)
        self.local = local
        self.versions = versions
        self.cleanup = cleanup
        self._new_states: dict[str, SyncState] = {}

    def run(self) -> None:
        s = self.settings
        zaken = [z for z in self.client.list_my_zaken() if z.zaaktype == s.zaaktype]
        if not zaken:
            return
        states = self.vault.sync_states()
        by_zaak = {st.zaak_url: st for st in states.values() if st.zaak_url}
        # Only our own dossier documents: a cost per 100 of this wijkcoach's dossiers,
        # never per page of the municipality's documents.
        known = [st.document_url for z in zaken if (st := by_zaak.get(z.url)) is not None and st.document_url]
        documents = self.client.search_documents(known) if known else {}
        pending = {c.dossier_id for c in self.vault.pending_changes()}
        skipped: dict[str, list[str]] = self.vault.get_sync_meta(_SKIPPED_ZAKEN, {}) or {}
        skipped_now: dict[str, list[str]] = {}
        self.versions.wanted(states)
        self._new_states = {}
        # A closed zaak that another of ours follows (relevanteAndereZaken), or that a
        # dossier here left behind: its dossier lives on in the newer zaak.
        followed = {u for z in zaken for u in z.relevante_andere_zaken}
        followed |= {u for st in states.values() for u in st.vorige_zaken}
        listed = {z.url: z for z in zaken}
        for zaak in zaken:
            state = by_zaak.get(zaak.url)
            if state is None:
                state = self._follow(zaak, by_zaak, listed)
            if state is None and zaak.closed and zaak.url in followed:
                continue
            if state is not None and state.zaak_closed != zaak.closed:
                state = replace(self.vault.get_sync_state(state.dossier_id), zaak_closed=zaak.closed)
                self.vault.set_sync_state(state)
            try:
                if state is not None and state.document_url:
                    self._pull_known(zaak, state, documents.get(state.document_url), pending)
                    self.cleanup.check_rollen(zaak, state)
                elif state is None:
                    links = sorted(zaak.zaakinformatieobjecten)
                    if skipped.get(zaak.url) == links:
                        skipped_now[zaak.url] = links
                        continue
                    if not self._pull_new(zaak, pending):
                        skipped_now[zaak.url] = links
                if self.versions.wanted():
                    earlier = predecessors(zaak, listed)
                    self.versions.pull(zaak, state or self._new_states.get(zaak.url), documents, earlier)
            except (NotFound, RequestRejected, NotPermitted, StaleDossier) as exc:
                self.ctx.skip(
                    state.dossier_id if state else None,
                    exc if isinstance(exc, SyncError) else Conflict(str(exc)),
                    park=False,
                )
            except InvalidDossier as exc:  # the vault refuses it (forms.invariants): skip this one
                self.ctx.skip(
                    state.dossier_id if state else None,
                    ProtocolError(
                        f"central dossier not stored ({exc})",
                        melding=(
                            "Een dossier van de gemeente kan hier niet worden bewaard, omdat het daarna "
                            "niet meer te openen zou zijn. De kopie hier is niet veranderd; vraag de "
                            "functioneel beheerder het dossier bij de gemeente na te kijken."
                        ),
                    ),
                    park=False,
                )
        if skipped_now != skipped:
            self.vault.set_sync_meta(_SKIPPED_ZAKEN, skipped_now)

    def _follow(
        self, zaak: RemoteZaak, by_zaak: dict[str, SyncState], listed: dict[str, RemoteZaak]
    ) -> SyncState | None:
        """A zaak we have no state for that follows (``relevanteAndereZaken``) the closed
        zaak of one of our dossiers: another laptop gave the dossier a new zaak after the
        closure. The dossier moves to it (no request); rol, status and links are looked up
        by the next push that needs them."""
        for url in zaak.relevante_andere_zaken:
            state = by_zaak.get(url)
            previous = listed.get(url)
            if state is None or not state.document_url or (previous is not None and not previous.closed):
                continue
            current = self.vault.get_sync_state(state.dossier_id)
            if current.zaak_url != url:
                continue
            moved = replace(
                current,
                zaak_url=zaak.url,
                zaak_closed=zaak.closed,
                vorige_zaken=(*current.vorige_zaken, url),
                rol_url=None,
                statustype=None,
                linked=(),
            )
            self.vault.set_sync_state(moved)
            self.ctx.event("sync_zaak_gevolgd", state.dossier_id, f"zaken={len(moved.vorige_zaken) + 1}")
            by_zaak.pop(url, None)
            by_zaak[zaak.url] = moved
            return moved
        return None

    def _pull_known(self, zaak: RemoteZaak, state: SyncState, doc: RemoteDocument | None, pending: set[UUID]) -> None:
        if doc is not None and state.lock_id == LOCK_SUSPECT and state.dossier_id not in pending:
            state = self.cleanup.release_orphan_lock(state, doc)
        if doc is None or doc.versie <= (state.remote_versie or 0):
            return  # nothing new (or not visible to us): no request
        if state.dossier_id in pending or state.conflicts:
            return  # unsent local work (maybe half-written): the push finishes or merges it
        content = self.client.download(doc.url, doc.versie)
        dossier = self._parse(content, state.dossier_id)
        if dossier is None:
            return
        new_state = replace(state, base_json=content.decode("utf-8"), remote_versie=doc.versie)
        revision = self.vault.stored_sha256(state.dossier_id)
        try:
            self.local.store(
                dossier, new_state, revision=revision, detail=f"versie={dossier.versie} remote_versie={doc.versie}"
            )
        except StaleDossier:
            # Saved here meanwhile (a window's autosave): that save is queued, so the next
            # push merges the central version into it; nothing is overwritten now.
            self.report.stale_retries += 1
            return
        self.report.pulled += 1

    def _pull_new(self, zaak: RemoteZaak, pending: set[UUID]) -> bool:
        """A zaak we have no state for. Returns False when it has no dossier document."""
        if not zaak.zaakinformatieobjecten:
            return False
        links = self.client.list_zio(zaak.url)
        linked = self.client.search_documents(link.informatieobject for link in links)
        candidates = [
            linked[link.informatieobject]
            for link in links
            if link.informatieobject in linked
            and linked[link.informatieobject].informatieobjecttype == self.settings.informatieobjecttype_dossier
        ]
        if not candidates:
            return False
        doc = candidates[0]
        content = self.client.download(doc.url, doc.versie)
        dossier = self._parse(content, None)
        if dossier is None:
            return True
        local_sha = self.vault.stored_sha256(dossier.id)
        if local_sha and dossier.id in pending:
            return True  # a local copy with unsent changes and no sync state: the push finds the zaak
        state = SyncState(
            dossier.id,
            zaak_url=zaak.url,
            document_url=doc.url,
            remote_versie=doc.versie,
            base_json=content.decode("utf-8"),
            linked=(doc.url,),
        )
        if local_sha and self.vault.get_sync_state(dossier.id).zaak_url:
            return False  # known under another zaak URL: leave it (and look again only when its links change)
        self.local.store(
            dossier, state, revision=local_sha, detail=f"versie={dossier.versie} remote_versie={doc.versie}"
        )
        self._new_states[zaak.url] = state
        self.report.pulled += 1
        return True

    def _parse(self, content: bytes, expected: UUID | None) -> Dossier | None:
        try:
            dossier = keys.parse_remote(content)
        except (ValueError, UnicodeDecodeError, ValidationError, forms.UnsupportedSchema) as exc:
            # e.g. made by a newer Keukentafel: leave it, never overwrite the local copy
            log.warning("sync: central dossier not readable (%s)", type(exc).__name__)
            self.report.skipped += 1
            return None
        if expected is not None and dossier.id != expected:
            log.warning("sync: central dossier has another id than its zaak")
            self.report.skipped += 1
            return None
        return dossier
