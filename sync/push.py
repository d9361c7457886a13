"""The push: each dossier with queued changes into its zaak.

Per dossier (in queue order; several changes of one dossier are coalesced into its newest
local content):

1. the zaak: known URL, else looked up by identificatie ``KT-<uuid hex>`` (a create whose
   answer was lost is found and reused), else created; a duplicate-identificatie 400 on
   create means a parallel/lost create: look it up again and reuse it;
2. this wijkcoach as behandelaar (rol), the rollen listed first unless the zaak is new;
3. the finalised versions the dossier moved past, then the dossier document
   (:mod:`sync.documents`; a central change is merged in first, :mod:`sync.local`);
4. the finalised verslagen, each its own PDF document (:mod:`sync.versions`), linked;
5. the zaak's status, resultaat and eindstatus for the trajectory (:mod:`sync.status`);
6. only then the dossier's queue entries are marked sent.

CLOSED ZAKEN: a closed zaak is never changed or reopened (that would need
``zaken.heropenen``). New content for a dossier whose zaak is closed -- noted by the pull
(``einddatum`` in the zaken list) or refused on push (403 ``ZaakClosed``) -- goes to a new
zaak ``KT-<hex>-<n>`` that names the closed one in ``relevanteAndereZaken`` (vervolg).

REFUSALS: a 400, a 403 for a valid token or a 404 on one dossier skips that dossier; the
others go on. The dossier is *parked* (:meth:`sync.context.RunContext.park`).
"""

from __future__ import annotations

import datetime as dt
import functools
from uuid import UUID

from forms.models import Dossier
from storage.errors import StaleDossier, VaultError

from . import keys
from .cleanup import Cleanup
from .context import DossierPush, Fatal, Part, RunContext
from .documents import Documents
from .errors import Conflict, NotFound, NotPermitted, ProtocolError, RequestRejected, SyncError
from .status import Status
from .versions import VersionsOut

__all__ = ["Push", "ZAAK_OMSCHRIJVING"]

#: Zaak metadata carries no personal data (the dossier's content does).
ZAAK_OMSCHRIJVING = "Keukentafelgesprek"


class Push(Part):
    """One push of the vault's change queue."""

    def __init__(
        self,
        ctx: RunContext,
        documents: Documents,
        versions: VersionsOut,
        status: Status,
        cleanup: Cleanup,
    ) -> None:
        super().__init__(ctx)
        self.documents = documents
        self.versions = versions
        self.status = status
        self.cleanup = cleanup

    def run(self) -> None:
        groups: dict[UUID, list[int]] = {}
        for change in self.vault.pending_changes():
            groups.setdefault(change.dossier_id, []).append(change.seq)
        self.ctx.forget_parked({str(d) for d in groups})  # no longer queued: nothing waits
        for dossier_id, seqs in groups.items():
            if self.ctx.still_parked(dossier_id):
                self.report.waiting += 1
                continue
            try:
                self.ctx.retrying(functools.partial(self._push_dossier, dossier_id, seqs))
                self.ctx.unpark(dossier_id)
            except Fatal:
                raise
            except (RequestRejected, NotPermitted, NotFound, Conflict, StaleDossier) as exc:
                self.ctx.skip(dossier_id, exc if isinstance(exc, SyncError) else Conflict(str(exc)))
            except VaultError as exc:  # one unreadable dossier must not stop the others
                self.ctx.skip(dossier_id, ProtocolError(f"local dossier unreadable ({type(exc).__name__})"))

    def _push_dossier(self, dossier_id: UUID, seqs: list[int], *, again: bool = False) -> None:
        push = DossierPush(dossier_id, self.vault.get_sync_state(dossier_id))
        if push.state.conflicts:
            self.report.conflicts += 1  # waits for the wijkcoach's choice; queue stays
            return
        if push.state.zaak_closed and push.state.zaak_url:
            self._follow_up_zaak(push)
        try:
            self._push_steps(push, seqs)
        except NotPermitted as exc:
            # The zaak was closed since we last looked (a link or status refused with
            # ZaakClosed): mark it, and push again onto a new zaak that follows it.
            if not exc.zaak_closed or again or not push.state.zaak_url:
                raise
            self.ctx.save_state(push, zaak_closed=True)
            self._push_dossier(dossier_id, seqs, again=True)

    def _follow_up_zaak(self, push: DossierPush) -> None:
        """New content for a dossier whose zaak is closed: the household needs help again.
        A closed zaak is never reopened (that needs ``zaken.heropenen``); the dossier gets a
        new zaak (``KT-<hex>-<n>``) that names the closed one in ``relevanteAndereZaken``
        (aardRelatie ``vervolg``). Its documents stay linked to the old zaak; the dossier
        document is linked to the new one as well. Recorded before any request, so a crash
        in between finds the new zaak by its identificatie."""
        old = push.state.zaak_url
        assert old is not None
        self.ctx.save_state(
            push,
            zaak_url=None,
            rol_url=None,
            statustype=None,
            linked=(),
            zaak_closed=False,
            vorige_zaken=(*push.state.vorige_zaken, old),
        )
        self.ctx.event("sync_zaak_vervolg", push.dossier_id, f"zaken={len(push.state.vorige_zaken) + 1}")

    def _push_steps(self, push: DossierPush, seqs: list[int]) -> None:
        dossier_id = push.dossier_id
        local, local_sha = self.vault.load_revision(dossier_id)
        self._ensure_zaak(push, local)
        self._ensure_rol(push)
        self.versions.ensure_final_versions_sent(push, local)
        sent = self.documents.ensure_dossier_document(push, local, local_sha)
        if sent is None:
            return  # a conflict waits for the wijkcoach, or a merge waits for the window to close
        local = sent
        self.versions.ensure_verslagen(push)
        self.status.ensure(push, local)
        self.vault.mark_sent(seqs)
        self.report.pushed += 1
        self.ctx.event(
            "sync_sent",
            dossier_id,
            f"changes={len(seqs)} versie={local.versie} remote_versie={push.state.remote_versie}",
        )

    def _ensure_zaak(self, push: DossierPush, local: Dossier) -> None:
        if push.state.zaak_url:
            return
        ident = keys.zaak_identificatie(push.dossier_id)
        previous = push.state.vorige_zaken
        if previous:  # a follow-up zaak (see _follow_up_zaak)
            ident = f"{ident}-{len(previous) + 1}"
        zaak = self.client.find_zaak(ident)
        if zaak is None:
            startdatum = local.aangemaakt.astimezone(dt.UTC).date()
            if previous:
                startdatum = self.ctx.now().date()
            try:
                zaak = self.client.create_zaak(
                    identificatie=ident,
                    startdatum=startdatum,
                    omschrijving=ZAAK_OMSCHRIJVING,
                    vervolg_op=previous[-1] if previous else None,
                )
                push.zaak_fresh = True
                self.report.zaken_created += 1
            except RequestRejected as exc:
                if not exc.has_code("identificatie-niet-uniek"):
                    raise
                zaak = self.client.find_zaak(ident)  # created by a lost or duplicated request
                if zaak is None:
                    raise ProtocolError("zaak identificatie taken but not found") from exc
        push.zaak = zaak
        self.ctx.save_state(push, zaak_url=zaak.url)

    def _ensure_rol(self, push: DossierPush) -> None:
        if push.state.rol_url:
            return
        zaak_url = push.state.zaak_url
        assert zaak_url is not None
        listed: list[str] = []
        if not push.zaak_fresh and not (push.zaak is not None and not push.zaak.rollen):
            rollen = self.client.list_rollen(zaak_url)
            listed = [r.url for r in rollen]
            ours = self.cleanup.our_rollen(rollen)
            if ours:
                self.ctx.save_state(push, rol_url=ours[0].url)
                if len(ours) == 1:
                    self.cleanup.seen_rollen(zaak_url, listed)  # else the pull removes the extra ones
                return
        rol = self.client.create_rol(zaak_url)
        self.ctx.save_state(push, rol_url=rol.url)
        # What the zaak's rollen should now be; a duplicate made by the server shows up
        # as a difference in the next zaken list (see _check_rollen).
        self.cleanup.seen_rollen(zaak_url, [*listed, rol.url])
