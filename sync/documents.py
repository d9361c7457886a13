"""The dossier document ``KTD-<uuid hex>`` and the zaak's document links, on push.

:class:`Documents` gets the local content into the central dossier document: created
with it, or written as a new version under a lock (lock -> read -> PATCH -> unlock). The
lock id is stored before the PATCH (``LOCK_REQUESTED`` while the lock request is out), and
the SHA-256 of content being written as "in flight", so the next run can tell its own
lost write from someone else's and release its own left-over lock. When the central
document moved past our base (someone else wrote), it is never overwritten: the central
content is merged into the local dossier first (:mod:`sync.local`).
"""

from __future__ import annotations

from forms.history import audit_paths, change_summary, section_counts
from forms.models import Dossier
from storage.errors import VaultError

from . import keys
from .client import RemoteDocument
from .context import LOCK_REQUESTED, LOCK_SUSPECT, DossierPush, Part, RunContext
from .errors import Conflict, ProtocolError, RequestRejected, SyncError
from .local import Local

__all__ = ["Documents", "DOSSIER_TITEL", "version_summary"]

#: How many versions back the push looks for its own lost write.
_INFLIGHT_LOOKBACK = 5
#: Document metadata carries no personal data (the dossier's content does).
DOSSIER_TITEL = "Gespreksdossier"


def version_summary(base_json: str | None, content: bytes) -> str:
    """The new version's ``beschrijving``: how many fields changed per section since the
    version it is based on, in words ("Gewijzigd: Leefgebieden 3, Plan 1"); never content.

    Every PATCH sends one (a PATCH keeps fields it does not name, so the previous version's
    summary would otherwise stay on this one)."""
    if base_json is None:
        return "Gewijzigd"
    try:
        paths = audit_paths(base_json, content.decode("utf-8"))
    except ValueError:  # a base that is not JSON: say only that it changed
        return "Gewijzigd"
    return change_summary(section_counts(paths)) or "Gewijzigd"


class Documents(Part):
    """Links and the dossier document of one dossier's push."""

    def __init__(self, ctx: RunContext, local: Local) -> None:
        super().__init__(ctx)
        self.local = local

    def linked(self, push: DossierPush) -> set[str]:
        if push.linked_docs is None:
            if push.zaak_fresh or (push.zaak is not None and not push.zaak.zaakinformatieobjecten):
                push.linked_docs = set()
            else:
                assert push.state.zaak_url is not None
                push.linked_docs = {link.informatieobject for link in self.client.list_zio(push.state.zaak_url)}
        return push.linked_docs

    def ensure_linked(self, push: DossierPush, document_url: str) -> None:
        if document_url in push.state.linked:
            return
        zaak_url = push.state.zaak_url
        assert zaak_url is not None
        if document_url not in self.linked(push):
            try:
                self.client.link(zaak_url, document_url)
            except RequestRejected as exc:
                if not exc.has_code("unique"):
                    raise
            self.linked(push).add(document_url)
        self.ctx.save_state(push, linked=(*push.state.linked, document_url))

    def ensure_dossier_document(self, push: DossierPush, local: Dossier, local_sha: str) -> Dossier | None:
        """Get the local content into the central dossier document.

        Returns the dossier as sent (the merged one after a merge), or None when a
        conflict now waits for the wijkcoach.
        """
        content = keys.canonical_bytes(local)
        if self.ensure_document(push, content):
            return local
        assert push.state.document_url is not None
        result = self.update_dossier_document(push, local, local_sha, content)
        if result is not None:
            self.ensure_linked(push, push.state.document_url)
        return result

    def ensure_document(self, push: DossierPush, content: bytes) -> bool:
        """Find or create the dossier document; True when this created it with ``content``."""
        if push.state.document_url is not None:
            return False
        ident = keys.dossier_document_identificatie(push.dossier_id)
        doc = self.client.find_document(ident)
        if doc is None:
            self.ctx.save_state(push, inflight_sha256=keys.sha256_hex(content))
            try:
                doc = self.create_dossier_document(push, content)
            except RequestRejected as exc:
                if not exc.has_code("identificatie-niet-uniek"):
                    raise
                doc = self.client.find_document(ident)
                if doc is None:
                    raise ProtocolError("document identificatie taken but not found") from exc
            else:
                self.report.documents_created += 1
                self.ctx.save_state(
                    push,
                    document_url=doc.url,
                    remote_versie=doc.versie,
                    base_json=content.decode("utf-8"),
                    inflight_sha256=None,
                )
                self.ensure_linked(push, doc.url)
                return True
        # It exists: our own create whose answer was lost, or made elsewhere.
        self.ctx.save_state(push, document_url=doc.url)
        return False

    def create_dossier_document(self, push: DossierPush, content: bytes) -> RemoteDocument:
        return self.client.create_document(
            identificatie=keys.dossier_document_identificatie(push.dossier_id),
            informatieobjecttype=self.settings.informatieobjecttype_dossier,
            titel=DOSSIER_TITEL,
            bestandsnaam=f"gespreksdossier-{push.dossier_id.hex[:8]}.json",
            formaat="application/json",
            inhoud=content,
            status="in_bewerking",
        )

    def acquire_lock(self, push: DossierPush) -> str:
        """Lock the dossier document, first releasing a lock an interrupted attempt of
        ours left behind.

        ``state.lock_id`` is written before the lock request: ``LOCK_REQUESTED`` while
        its outcome is unknown, then the id. A lock request that timed out may still be
        processed later, after a retry got its own lock: such an orphan lock has no known
        id. So when a lock succeeds while an earlier request's outcome was unknown, the
        release leaves ``LOCK_SUSPECT``: the next attempt that finds the document locked
        releases it (which needs the force-unlock scope) instead of waiting forever.
        """
        url = push.state.document_url
        assert url is not None
        left_over = push.state.lock_id
        self.ctx.save_state(push, lock_id=left_over if left_over else LOCK_REQUESTED)
        try:
            lock = self.client.lock(url)
            push.orphan_possible = left_over == LOCK_REQUESTED
        except RequestRejected as exc:
            if not exc.has_code("existing-lock"):
                raise
            if left_over is None:
                raise Conflict("document locked by someone else") from exc
            # Our own lock from an interrupted run: release it (with the stored id; an
            # unknown id only works with the force-unlock scope), then lock again.
            try:
                self.client.unlock(url, "" if left_over in (LOCK_REQUESTED, LOCK_SUSPECT) else left_over)
            except RequestRejected as unlock_exc:
                raise Conflict(
                    "document locked; a lock of an interrupted run could not be released",
                    melding=(
                        "Het dossierdocument bij de gemeente is nog vergrendeld. Vraag de "
                        "functioneel beheerder het te ontgrendelen; de wijzigingen blijven bewaard."
                    ),
                ) from unlock_exc
            lock = self.client.lock(url)
        self.ctx.save_state(push, lock_id=lock)
        return lock

    def release_lock(self, push: DossierPush, lock: str) -> None:
        url = push.state.document_url
        assert url is not None
        try:
            self.client.unlock(url, lock)
        except RequestRejected as exc:
            if not exc.has_code("incorrect-lock-id"):
                raise
            # not locked (any more) with our lock: nothing of ours to release
        self.ctx.save_state(push, lock_id=LOCK_SUSPECT if push.orphan_possible else None)

    def release_quietly(self, push: DossierPush, lock: str) -> None:
        """After a failure: try to release our lock; if that fails too, the stored lock
        id lets the next run release it."""
        if push.state.lock_id != lock:
            return  # we know we no longer hold it: never unlock what may be someone else's
        try:
            self.release_lock(push, lock)
        except (SyncError, VaultError):
            pass

    def update_dossier_document(self, push: DossierPush, local: Dossier, local_sha: str, content: bytes) -> Dossier | None:
        state = push.state
        if (
            state.base_json is not None
            and state.base_json.encode("utf-8") == content
            and state.lock_id in (None, LOCK_SUSPECT)
            and not state.inflight_sha256
        ):
            return local  # the central document already has exactly this
        url = state.document_url
        assert url is not None
        lock = self.acquire_lock(push)
        try:
            return self.write_locked(push, local, local_sha, content, lock)
        except (SyncError, VaultError):
            self.release_quietly(push, lock)
            raise

    def write_locked(self, push: DossierPush, local: Dossier, local_sha: str, content: bytes, lock: str) -> Dossier | None:
        url = push.state.document_url
        assert url is not None
        doc = self.client.get_document(url)
        if push.state.remote_versie != doc.versie or push.state.base_json is None:
            outcome = self.catch_up(push, local, local_sha, doc)
            if outcome is None:
                self.release_lock(push, lock)
                return None
            local, local_sha = outcome
            content = keys.canonical_bytes(local)
        if push.state.base_json is not None and push.state.base_json.encode("utf-8") == content:
            self.release_lock(push, lock)
            return local
        self.patch_locked(push, lock, content)
        return local

    def patch_locked(self, push: DossierPush, lock: str, content: bytes) -> None:
        """Write ``content`` as a new version of the locked dossier document, then unlock.

        The content's hash is stored as in flight first, so a lost answer is recognised
        next run (see :meth:`catch_up`)."""
        url = push.state.document_url
        assert url is not None
        self.ctx.save_state(push, inflight_sha256=keys.sha256_hex(content))
        try:
            updated = self.client.patch(
                url, lock, inhoud=content, beschrijving=version_summary(push.state.base_json, content)
            )
        except RequestRejected as exc:
            if not (exc.has_code("unlocked") or exc.has_code("incorrect-lock-id")):
                raise
            # Our lock was taken away meanwhile (a force-unlock): write again with a new one.
            self.ctx.save_state(push, lock_id=None)
            raise ProtocolError("the document lost our lock before the update") from exc
        self.report.versions_created += 1
        self.ctx.save_state(push, remote_versie=updated.versie, base_json=content.decode("utf-8"), inflight_sha256=None)
        self.release_lock(push, lock)

    def catch_up(
        self, push: DossierPush, local: Dossier, local_sha: str, doc: RemoteDocument
    ) -> tuple[Dossier, str] | None:
        """The central document moved since our base: adopt our own lost write, or merge.

        Returns the (possibly merged) local dossier and its stored hash, or None when a
        conflict was recorded.
        """
        url = doc.url
        remote_bytes = self.client.download(url, doc.versie)
        inflight = push.state.inflight_sha256
        if inflight is not None:
            if keys.sha256_hex(remote_bytes) == inflight:
                self.ctx.save_state(push, base_json=remote_bytes.decode("utf-8"), remote_versie=doc.versie, inflight_sha256=None)
                return local, local_sha
            # Our write may have landed and been followed by someone else's: look back.
            start = (push.state.remote_versie or 0) + 1
            for versie in range(max(start, doc.versie - _INFLIGHT_LOOKBACK), doc.versie):
                older = self.client.download(url, versie)
                if keys.sha256_hex(older) == inflight:
                    self.ctx.save_state(push, base_json=older.decode("utf-8"), remote_versie=versie, inflight_sha256=None)
                    break
            else:
                self.ctx.save_state(push, inflight_sha256=None)
        if push.state.remote_versie == doc.versie and push.state.base_json is not None:
            return local, local_sha
        return self.local.merge(push, local, local_sha, remote_bytes, doc.versie)
