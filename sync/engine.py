"""The sync run: push the vault's change queue, pull the wijkcoach's zaken, merge conflicts.

``SyncEngine(vault, client).run()`` does one run and returns a :class:`SyncReport`
(counts only, no content). It is safe to stop at any point -- a crash, a time-out, a
dropped connection -- and to run again: every step first finds out what the central
system already has, and the vault's sync state (:mod:`storage.syncstate`) is written
after every confirmed step.

PUSH, per dossier with queued changes (in queue order; several changes of one dossier
are coalesced into its newest local content):

1. the zaak: known URL, else looked up by identificatie ``KT-<uuid hex>`` (a create whose
   answer was lost is found and reused), else created; a duplicate-identificatie 400 on
   create means a parallel/lost create: look it up again and reuse it;
2. this wijkcoach as behandelaar (rol), the rollen listed first unless the zaak is new;
3. the dossier document ``KTD-<uuid hex>``: created with the content, or a new version
   (lock -> read -> PATCH -> unlock). The lock id is stored before the PATCH (``""`` while
   the lock request is out), and the SHA-256 of content being written as "in flight", so
   the next run can tell its own lost write from someone else's and release its own
   left-over lock (unlock with the stored id, then lock again). A finalised version the
   dossier has already moved past (continued before this sync) is written first, as its
   own version (see FINALISED VERSIONS);
4. the finalised verslagen (``vault.list_versions`` with a PDF): each its own document
   ``KTV-...`` (application/pdf, status definitief, ``integriteit`` SHA-256), never changed;
5. every document linked to the zaak (the zaak's links listed once before linking);
6. the status: "gesprek gestart" first, "verslag ondertekend" when the dossier is final --
   an ordinary status: the zaak stays open through the evaluations. The eindstatus
   (``statustype_afgesloten``) is set only at closure, after a resultaat
   (``ZGWClient.close_zaak``; no sync path closes a zaak yet). A status Open Zaak refuses
   as a duplicate (400 ``unique``: same zaak, same moment) was set already;
7. only then the dossier's queue entries are marked sent.

CLOSED ZAKEN: a closed zaak is never changed or reopened (that would need
``zaken.heropenen``). New content for a dossier whose zaak is closed -- noted by the pull
(``einddatum`` in the zaken list) or refused on push (403 ``ZaakClosed``) -- goes to a new
zaak ``KT-<hex>-<n>`` that names the closed one in ``relevanteAndereZaken`` (vervolg); see
``_follow_up_zaak``. The pull skips a closed zaak that one of ours follows, moves a
dossier whose zaak another laptop followed up (``_follow``), and fetches missing verslagen
along the chain.

REFUSALS: a 400 (:class:`~sync.errors.RequestRejected`), a 403 for a valid token
(:class:`~sync.errors.NotPermitted`: a scope, a closed zaak) or a 404 on one dossier skips
that dossier; the others go on. The dossier is *parked* (``sync_meta["parked"]``, shown
by ``vault.sync_waiting()``): it costs no request until its content or the settings
change, or the run has ``retry_parked`` ("Nu synchroniseren").

When the central document is newer than the base our edit started from (someone else
wrote), it is never overwritten: three-way merge (:mod:`sync.merge`) of base, local and
central. Without conflicts the merged dossier is stored locally and pushed. With
conflicts the local values stay, the central values are recorded in the sync state
(``vault.conflicts``), the dossier is flagged in the caseload and not pushed until the
wijkcoach has chosen (:func:`sync.conflicts.resolve_conflict`).

PULL: one paged list of the zaken where this wijkcoach has a rol (a standard filter),
and one document search (``POST /enkelvoudiginformatieobjecten/_zoek`` with
``uuid__in``, standard since Documenten 1.2) per 100 of our known dossier documents give
every dossier document's current ``versie`` -- bounded by this wijkcoach's dossiers,
whatever else the municipality holds. Only dossiers whose versie differs from the stored
one cost a request (a download). A newer central version replaces the local copy only
when the local copy has no unsent changes (otherwise the push merges it). Unknown zaken
of our zaaktype are read via their document links; zaken without a dossier document are
remembered and only looked at again when their links change. An idle run therefore
costs a constant number of requests, not requests per dossier.

FINALISED VERSIONS: a dossier that comes in (pull or merge) may name finalised versions
(``vorige_versies``, or itself when final) that the vault does not hold. They are
noted (``sync_meta``) before the dossier is stored, then fetched: the zaak's links, one
document search, the verslag ``KTV-…`` (application/pdf, checked against its
``integriteit``), and the dossier JSON of that version from the dossier document's
history (binary search on the dossier's ``versie``; it must verify under its hash).
Stored with ``vault.store_version`` and counted as uploaded in the sync state. When the
central system has the PDF but never had the signed dossier, the PDF is stored with a
marker JSON (:func:`sync.keys.pdf_only_json`). What is still missing is tried again only
when the zaak's links change (a verslag uploaded later is a new link). The push makes
sure the signed dossier reaches the history: a version finalised and then continued
before a sync is written as its own document version first.

ROLLEN: a rol has no unique key, so a rol POST processed twice (a retrying proxy; a
timed-out request landing after our retry) makes the wijkcoach behandelaar twice. The
rollen each zaak has are in the zaken list the pull reads anyway: when they differ from
those last seen, the rollen are listed and our extra behandelaar rol deleted. A status
processed twice cannot be undone (the standard has no DELETE for a status); it is the
same statustype at the same moment, so the current status stays right.

FAULTS: :class:`~sync.errors.Unavailable` and :class:`~sync.errors.ProtocolError`
are retried within the run, with exponential back-off and jitter (``sleep`` and
``rng`` are injected), at most ``max_retries`` times per run; then the run ends with
an ``unavailable`` report. :class:`~sync.errors.AuthRejected` (the token itself),
:class:`~sync.errors.HeadersRejected` and settings problems end the run at once. A
validation error, a missing permission, a missing resource, a lock held by someone else or
a central dossier that cannot be read (a newer app's schema) skips only that dossier. In every case the queue stays as it was for what was not confirmed.

HELD DOSSIERS: ``hold()`` names the dossiers open in a window. Their local copy is never
replaced during the run (pull skipped, a needed merge deferred), because the window's
next autosave would silently undo it; their own edits are still pushed when the central
document has not moved.

Every run is recorded in the vault's audit log (``sync_run``: counts only; per
dossier ``sync_sent``; pulled dossiers are audited as ``pull``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from uuid import UUID

from pydantic import ValidationError

import forms
from forms.models import Dossier
from storage.errors import ImmutableVersion, InvalidDossier, VaultError
from storage.syncstate import PARKED_KEY, ConflictRecord, StaleDossier, SyncState, VerslagUpload
from storage.vault import Vault

from . import keys
from .client import RemoteDocument, RemoteRol, RemoteStatus, RemoteZaak, ZGWClient
from .errors import (
    AuthRejected,
    Conflict,
    HeadersRejected,
    NotFound,
    NotPermitted,
    ProtocolError,
    Rejected,
    RequestRejected,
    SettingsError,
    SyncError,
    Unavailable,
)
from .merge import MISSING, merge_validated, path_text

__all__ = [
    "SyncEngine",
    "SyncReport",
    "MAX_RETRIES",
    "BASE_DELAY_S",
    "MAX_DELAY_S",
    "ZAAK_OMSCHRIJVING",
]

log = logging.getLogger("keukentafel.sync")

#: Back-off sleeps per run before giving up until the next run.
MAX_RETRIES = 5
#: First back-off delay; doubled per retry (with jitter), capped at MAX_DELAY_S.
BASE_DELAY_S = 0.5
MAX_DELAY_S = 8.0
#: How many versions back the push looks for its own lost write.
_INFLIGHT_LOOKBACK = 5
#: Zaak and document metadata carry no personal data (the dossier's content does).
ZAAK_OMSCHRIJVING = "Keukentafelgesprek"
_DOSSIER_TITEL = "Gespreksdossier"
_SKIPPED_ZAKEN = "pull_skipped_zaken"
#: sync_meta: dossier id -> the zaak's links at the last try to fetch its missing versions.
_VERSIONS_WANTED = "pull_versions_wanted"
#: sync_meta: zaak URL -> its rollen as last checked for duplicates of our behandelaar rol.
_ROLLEN_SEEN = "rollen_seen"
#: ``SyncState.lock_id`` while a lock request is out (its answer not seen yet).
LOCK_REQUESTED = ""
#: ``SyncState.lock_id`` after a write during which an earlier lock request's outcome
#: was unknown: a lock without id may appear; release it when found.
LOCK_SUSPECT = "?"

T = TypeVar("T")


@dataclass
class SyncReport:
    """What a run did: counts only, never content."""

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
    deferred: int = 0  # open in a window: central changes wait until it is closed
    zaken_created: int = 0
    documents_created: int = 0
    versions_created: int = 0
    verslagen_uploaded: int = 0
    statuses_set: int = 0
    versions_pulled: int = 0  # finalised versions (verslag PDFs) stored from the central system
    rollen_removed: int = 0  # duplicates of our behandelaar rol deleted
    retries: int = 0
    requests: int = 0
    seconds: float = 0.0

    def fail(self, exc: SyncError) -> None:
        self.ok = False
        self.kind = _kind(exc)
        self.melding = exc.melding
        self.error = str(exc)[:300]

    def detail(self) -> str:
        """One line for the audit log (<= 200 characters)."""
        parts = [
            f"ok={int(self.ok)}",
            f"kind={self.kind or '-'}",
            f"pushed={self.pushed}",
            f"pulled={self.pulled}",
            f"merged={self.merged}",
            f"conflicts={self.conflicts}",
            f"skipped={self.skipped}",
            f"waiting={self.waiting}",
            f"deferred={self.deferred}",
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


class _Fatal(Exception):
    """Ends the run at once (auth, headers, settings)."""

    def __init__(self, error: SyncError) -> None:
        super().__init__(str(error))
        self.error = error


class _Frozen(ValueError):
    """A merge result that claims to be final but whose content does not match its hash."""


def _fatal(exc: SyncError) -> bool:
    return isinstance(exc, (AuthRejected, HeadersRejected, SettingsError))


def _retryable(exc: SyncError) -> bool:
    return isinstance(exc, (Unavailable, ProtocolError))


@dataclass
class _Push:
    """What one dossier's push knows during this run (not persisted)."""

    dossier_id: UUID
    state: SyncState
    zaak: RemoteZaak | None = None  # as created/found in this push: tells what it lacks
    zaak_fresh: bool = False  # created in this push: no rollen, statuses or links yet
    linked_docs: set[str] | None = None  # informatieobject URLs linked to the zaak
    orphan_possible: bool = False  # an earlier lock request may still land (see _acquire_lock)


#: Refusals that the same content and settings will meet again: the dossier is parked.
_PARKING = (RequestRejected, NotPermitted, NotFound)


class SyncEngine:
    """One sync run over a vault and a :class:`~sync.client.ZGWClient`.

    Runs on the thread that owns the vault (see ``desktop/tasks.py``). ``clock`` gives
    status times, ``sleep`` and ``rng`` the back-off (inject no-op/seeded ones in tests).
    """

    def __init__(
        self,
        vault: Vault,
        client: ZGWClient,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        max_retries: int = MAX_RETRIES,
        base_delay: float = BASE_DELAY_S,
        max_delay: float = MAX_DELAY_S,
        pull: bool = True,
        hold: Callable[[], Collection[UUID]] | None = None,
        retry_parked: bool = False,
    ) -> None:
        self.vault = vault
        self.client = client
        self.settings = client.settings
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._max_retries = max_retries
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._pull_enabled = pull
        self._hold = hold
        #: "Nu synchroniseren": try the parked dossiers again too.
        self.retry_parked = retry_parked
        self.report = SyncReport()
        self._first_skip: SyncError | None = None
        self._wanted: dict[str, list[str] | None] | None = None
        self._new_states: dict[str, SyncState] = {}
        self._rollen: dict[str, list[str]] | None = None
        self._rollen_dirty = False
        self._parked_cache: dict[str, dict[str, Any]] | None = None

    # --- the run ----------------------------------------------------------------------------

    def run(self) -> SyncReport:
        """One complete run. Never raises a SyncError: the report carries the outcome."""
        report = self.report = SyncReport()
        self._first_skip = None
        self._wanted = self._rollen = None
        self._parked_cache = None
        self._rollen_dirty = False
        started = time.monotonic()
        requests_before = self.client.requests_made
        try:
            self._push_all()
            if self._pull_enabled:
                self._retrying(self._pull)
            if self._first_skip is not None:
                report.fail(self._first_skip)
        except _Fatal as exc:
            report.fail(exc.error)
        except SyncError as exc:  # retries exhausted, or not retryable at run level
            report.fail(exc)
        finally:
            try:
                self._flush_rollen()
            except VaultError:
                log.warning("could not record the rollen seen")
            report.requests = self.client.requests_made - requests_before
            report.seconds = time.monotonic() - started
            try:
                self.vault.finish_sync_run(report.ok, report.melding, report.detail())
            except VaultError:
                log.warning("could not record the sync run")
        return report

    def _retrying(self, step: Callable[[], T]) -> T:
        """Run ``step``; on Unavailable/ProtocolError back off and run it again."""
        while True:
            try:
                return step()
            except SyncError as exc:
                if _fatal(exc):
                    raise _Fatal(exc) from exc
                if not _retryable(exc) or self.report.retries >= self._max_retries:
                    raise
                self.report.retries += 1
                delay = self._delay(self.report.retries, exc)
                log.info("sync: %s; retry %d in %.2f s", exc, self.report.retries, delay)
                self._sleep(delay)

    def _delay(self, attempt: int, exc: SyncError) -> float:
        """Exponential back-off with "equal jitter": half fixed, half random."""
        cap = min(self._max_delay, self._base_delay * (2.0 ** (attempt - 1)))
        delay = cap / 2 + self._rng.uniform(0, cap / 2)
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(retry_after, (int, float)) and retry_after > delay:
            delay = min(float(retry_after), self._max_delay)
        return delay

    def _skip(self, dossier_id: UUID | None, exc: SyncError, *, park: bool = True) -> None:
        log.warning("sync: dossier skipped this run: %s", exc)
        self.report.skipped += 1
        if self._first_skip is None:
            self._first_skip = exc
        if park and dossier_id is not None and isinstance(exc, _PARKING):
            self._park(dossier_id, exc)
        self._event("sync_skipped", dossier_id, f"error={type(exc).__name__} status={exc.status or '-'} code={exc.code or '-'}")

    def _event(self, action: str, dossier_id: UUID | None, detail: str) -> None:
        self.vault.record_event(action, dossier_id, detail[:200])

    def _held(self, dossier_id: UUID) -> bool:
        """Whether a window holds this dossier in memory now: its local copy must not be
        replaced under it (its next autosave would undo the central change)."""
        return self._hold is not None and dossier_id in self._hold()

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._clock(), dt.UTC)

    # --- push -------------------------------------------------------------------------------

    # -- parked dossiers -----------------------------------------------------------------------

    def _settings_fingerprint(self) -> str:
        data = self.settings.to_storable()
        return keys.sha256_hex(json.dumps(data, sort_keys=True, default=str).encode("utf-8"))

    def _parked(self) -> dict[str, dict[str, Any]]:
        if self._parked_cache is None:
            self._parked_cache = dict(self.vault.get_sync_meta(PARKED_KEY, {}) or {})
        return self._parked_cache

    def _park(self, dossier_id: UUID, exc: SyncError) -> None:
        """A refusal that the same content and settings will meet again: the dossier waits
        (no request) until its content or the settings change, or the wijkcoach asks
        "Nu synchroniseren"; the caseload shows why (``vault.sync_waiting()``)."""
        self._parked()[str(dossier_id)] = {
            "melding": exc.melding,
            "error": str(exc)[:300],
            "sha256": self.vault.stored_sha256(dossier_id),
            "settings": self._settings_fingerprint(),
        }
        self.vault.set_sync_meta(PARKED_KEY, self._parked())

    def _unpark(self, dossier_id: UUID) -> None:
        if self._parked().pop(str(dossier_id), None) is not None:
            self.vault.set_sync_meta(PARKED_KEY, self._parked())

    def _still_parked(self, dossier_id: UUID) -> bool:
        entry = self._parked().get(str(dossier_id))
        if entry is None or self.retry_parked:
            return False
        return (
            entry.get("sha256") == self.vault.stored_sha256(dossier_id)
            and entry.get("settings") == self._settings_fingerprint()
        )

    def _push_all(self) -> None:
        groups: dict[UUID, list[int]] = {}
        for change in self.vault.pending_changes():
            groups.setdefault(change.dossier_id, []).append(change.seq)
        stale = [key for key in self._parked() if key not in {str(d) for d in groups}]
        if stale:  # no longer queued (e.g. the dossier was removed): nothing waits
            for key in stale:
                self._parked().pop(key, None)
            self.vault.set_sync_meta(PARKED_KEY, self._parked())
        for dossier_id, seqs in groups.items():
            if self._still_parked(dossier_id):
                self.report.waiting += 1
                continue
            try:
                self._retrying(functools.partial(self._push_dossier, dossier_id, seqs))
                self._unpark(dossier_id)
            except _Fatal:
                raise
            except (RequestRejected, NotPermitted, NotFound, Conflict, StaleDossier) as exc:
                self._skip(dossier_id, exc if isinstance(exc, SyncError) else Conflict(str(exc)))
            except VaultError as exc:  # one unreadable dossier must not stop the others
                self._skip(dossier_id, ProtocolError(f"local dossier unreadable ({type(exc).__name__})"))

    def _save(self, push: _Push, **changes: Any) -> SyncState:
        push.state = replace(push.state, **changes)
        self.vault.set_sync_state(push.state)
        return push.state

    def _push_dossier(self, dossier_id: UUID, seqs: list[int], *, again: bool = False) -> None:
        push = _Push(dossier_id, self.vault.get_sync_state(dossier_id))
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
            self._save(push, zaak_closed=True)
            self._push_dossier(dossier_id, seqs, again=True)

    def _follow_up_zaak(self, push: _Push) -> None:
        """New content for a dossier whose zaak is closed: the household needs help again.
        A closed zaak is never reopened (that needs ``zaken.heropenen``); the dossier gets a
        new zaak (``KT-<hex>-<n>``) that names the closed one in ``relevanteAndereZaken``
        (aardRelatie ``vervolg``). Its documents stay linked to the old zaak; the dossier
        document is linked to the new one as well. Recorded before any request, so a crash
        in between finds the new zaak by its identificatie."""
        old = push.state.zaak_url
        assert old is not None
        self._save(
            push,
            zaak_url=None,
            rol_url=None,
            statustype=None,
            linked=(),
            zaak_closed=False,
            vorige_zaken=(*push.state.vorige_zaken, old),
        )
        self._event("sync_zaak_vervolg", push.dossier_id, f"zaken={len(push.state.vorige_zaken) + 1}")

    def _push_steps(self, push: _Push, seqs: list[int]) -> None:
        dossier_id = push.dossier_id
        local = self.vault.load(dossier_id)
        local_sha = self.vault.stored_sha256(dossier_id)
        self._ensure_zaak(push, local)
        self._ensure_rol(push)
        self._ensure_final_versions_sent(push, local)
        sent = self._ensure_dossier_document(push, local, local_sha)
        if sent is None:
            return  # a conflict waits for the wijkcoach, or a merge waits for the window to close
        local = sent
        self._ensure_verslagen(push)
        self._ensure_status(push, local)
        self.vault.mark_sent(seqs)
        self.report.pushed += 1
        self._event(
            "sync_sent",
            dossier_id,
            f"changes={len(seqs)} versie={local.versie} remote_versie={push.state.remote_versie}",
        )

    # -- zaak, rol, status --------------------------------------------------------------------

    def _ensure_zaak(self, push: _Push, local: Dossier) -> None:
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
                startdatum = self._now().date()
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
        self._save(push, zaak_url=zaak.url)

    def _ensure_rol(self, push: _Push) -> None:
        if push.state.rol_url:
            return
        zaak_url = push.state.zaak_url
        assert zaak_url is not None
        listed: list[str] = []
        if not push.zaak_fresh and not (push.zaak is not None and not push.zaak.rollen):
            rollen = self.client.list_rollen(zaak_url)
            listed = [r.url for r in rollen]
            ours = self._our_rollen(rollen)
            if ours:
                self._save(push, rol_url=ours[0].url)
                if len(ours) == 1:
                    self._seen_rollen(zaak_url, listed)  # else the pull removes the extra ones
                return
        rol = self.client.create_rol(zaak_url)
        self._save(push, rol_url=rol.url)
        # What the zaak's rollen should now be; a duplicate made by the server shows up
        # as a difference in the next zaken list (see _check_rollen).
        self._seen_rollen(zaak_url, [*listed, rol.url])

    def _current_status(self, push: _Push) -> RemoteStatus | None:
        if push.zaak_fresh or (push.zaak is not None and push.zaak.status is None):
            return None
        assert push.state.zaak_url is not None
        statussen = self.client.list_statussen(push.state.zaak_url)
        if not statussen:
            return None
        flagged = [s for s in statussen if s.laatst_gezet]
        if flagged:
            return flagged[-1]
        return max(statussen, key=lambda s: _parse_time(s.datum))

    def _ensure_status(self, push: _Push, local: Dossier) -> None:
        s = self.settings
        desired = s.statustype_ondertekend if local.definitief is not None else s.statustype_gestart
        if push.state.statustype == desired:
            return
        zaak_url = push.state.zaak_url
        assert zaak_url is not None
        current = self._current_status(push)
        last = _parse_time(current.datum) if current is not None else None
        current_type = current.statustype if current is not None else None
        if current is None:
            when = min(_aware(local.aangemaakt), self._now())
            if push.state.vorige_zaken:  # a follow-up zaak starts now, not when the dossier began
                when = self._now() - dt.timedelta(seconds=2)
            if desired != s.statustype_gestart:
                when = min(when, _at(local) - dt.timedelta(seconds=1))
            last = self._post_status(zaak_url, s.statustype_gestart, _after(when, last))
            current_type = s.statustype_gestart
        if current_type != desired:
            when = _at(local) if local.definitief is not None else self._now()
            self._post_status(zaak_url, desired, _after(min(when, self._now()), last))
        self._save(push, statustype=desired)

    def _post_status(self, zaak_url: str, statustype: str, when: dt.datetime) -> dt.datetime:
        """Set a status; returns its time. Open Zaak refuses a second status of a zaak
        at the same moment (400 ``unique``): that is this very status, set by a request
        whose answer was lost or that was processed twice."""
        try:
            created = self.client.create_status(zaak_url, statustype, when)
        except RequestRejected as exc:
            if not exc.has_code("unique"):
                raise
            return when
        self.report.statuses_set += 1
        return _parse_time(created.datum)

    # -- documents ----------------------------------------------------------------------------

    def _linked(self, push: _Push) -> set[str]:
        if push.linked_docs is None:
            if push.zaak_fresh or (push.zaak is not None and not push.zaak.zaakinformatieobjecten):
                push.linked_docs = set()
            else:
                assert push.state.zaak_url is not None
                push.linked_docs = {link.informatieobject for link in self.client.list_zio(push.state.zaak_url)}
        return push.linked_docs

    def _ensure_linked(self, push: _Push, document_url: str) -> None:
        if document_url in push.state.linked:
            return
        zaak_url = push.state.zaak_url
        assert zaak_url is not None
        if document_url not in self._linked(push):
            try:
                self.client.link(zaak_url, document_url)
            except RequestRejected as exc:
                if not exc.has_code("unique"):
                    raise
            self._linked(push).add(document_url)
        self._save(push, linked=(*push.state.linked, document_url))

    def _ensure_dossier_document(self, push: _Push, local: Dossier, local_sha: str) -> Dossier | None:
        """Get the local content into the central dossier document.

        Returns the dossier as sent (the merged one after a merge), or None when a
        conflict now waits for the wijkcoach.
        """
        content = keys.canonical_bytes(local)
        if self._ensure_document(push, content):
            return local
        assert push.state.document_url is not None
        result = self._update_dossier_document(push, local, local_sha, content)
        if result is not None:
            self._ensure_linked(push, push.state.document_url)
        return result

    def _ensure_document(self, push: _Push, content: bytes) -> bool:
        """Find or create the dossier document; True when this created it with ``content``."""
        if push.state.document_url is not None:
            return False
        ident = keys.dossier_document_identificatie(push.dossier_id)
        doc = self.client.find_document(ident)
        if doc is None:
            self._save(push, inflight_sha256=keys.sha256_hex(content))
            try:
                doc = self._create_dossier_document(push, content)
            except RequestRejected as exc:
                if not exc.has_code("identificatie-niet-uniek"):
                    raise
                doc = self.client.find_document(ident)
                if doc is None:
                    raise ProtocolError("document identificatie taken but not found") from exc
            else:
                self.report.documents_created += 1
                self._save(
                    push,
                    document_url=doc.url,
                    remote_versie=doc.versie,
                    base_json=content.decode("utf-8"),
                    inflight_sha256=None,
                )
                self._ensure_linked(push, doc.url)
                return True
        # It exists: our own create whose answer was lost, or made elsewhere.
        self._save(push, document_url=doc.url)
        return False

    def _ensure_final_versions_sent(self, push: _Push, local: Dossier) -> None:
        """Every finalised version this vault holds goes into the dossier document's
        history before the dossier moves past it, so another vault can store that
        version's dossier JSON next to its verslag.

        Normally the final dossier is pushed as it is. When a new version was started
        before the sync ran (offline), the final one is written first, as one version of
        the document, when the central document is still where we left it; never over
        someone else's newer write, never backwards (a central dossier already past that
        version is left alone). A version whose verslag is already uploaded was sent.
        """
        for version in self.vault.list_versions(push.dossier_id):
            if version.versie >= local.versie or not version.has_pdf or version.versie in push.state.verslagen:
                continue
            stored = self.vault.load_version(push.dossier_id, version.versie)
            try:
                final = Dossier.model_validate_json(stored.dossier_json or "")
            except ValueError:  # ValidationError too: e.g. a verslag pulled without its JSON
                continue
            if final.versie != version.versie or not forms.verify(final):
                continue
            content = keys.canonical_bytes(final)
            base = push.state.base_json
            if base is not None:
                if base.encode("utf-8") == content:
                    continue
                try:
                    base_versie = json.loads(base).get("versie")
                except (ValueError, AttributeError):
                    base_versie = None
                if isinstance(base_versie, int) and base_versie > final.versie:
                    continue
            self._write_final_version(push, content)

    def _write_final_version(self, push: _Push, content: bytes) -> None:
        if self._ensure_document(push, content):
            return
        url = push.state.document_url
        assert url is not None
        lock = self._acquire_lock(push)
        try:
            doc = self.client.get_document(url)
            if doc.versie != push.state.remote_versie or push.state.base_json is None:
                # Moved since our base (someone else, or a lost write of ours): the
                # dossier's own write sorts that out (adopts ours, or merges).
                self._release_lock(push, lock)
                return
            self._patch_locked(push, lock, content)
        except (SyncError, VaultError):
            self._release_quietly(push, lock)
            raise

    def _create_dossier_document(self, push: _Push, content: bytes) -> RemoteDocument:
        return self.client.create_document(
            identificatie=keys.dossier_document_identificatie(push.dossier_id),
            informatieobjecttype=self.settings.informatieobjecttype_dossier,
            titel=_DOSSIER_TITEL,
            bestandsnaam=f"gespreksdossier-{push.dossier_id.hex[:8]}.json",
            formaat="application/json",
            inhoud=content,
            status="in_bewerking",
        )

    def _acquire_lock(self, push: _Push) -> str:
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
        self._save(push, lock_id=left_over if left_over else LOCK_REQUESTED)
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
        self._save(push, lock_id=lock)
        return lock

    def _release_lock(self, push: _Push, lock: str) -> None:
        url = push.state.document_url
        assert url is not None
        try:
            self.client.unlock(url, lock)
        except RequestRejected as exc:
            if not exc.has_code("incorrect-lock-id"):
                raise
            # not locked (any more) with our lock: nothing of ours to release
        self._save(push, lock_id=LOCK_SUSPECT if push.orphan_possible else None)

    def _update_dossier_document(self, push: _Push, local: Dossier, local_sha: str, content: bytes) -> Dossier | None:
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
        lock = self._acquire_lock(push)
        try:
            return self._write_locked(push, local, local_sha, content, lock)
        except (SyncError, VaultError):
            self._release_quietly(push, lock)
            raise

    def _release_quietly(self, push: _Push, lock: str) -> None:
        """After a failure: try to release our lock; if that fails too, the stored lock
        id lets the next run release it."""
        if push.state.lock_id != lock:
            return  # we know we no longer hold it: never unlock what may be someone else's
        try:
            self._release_lock(push, lock)
        except (SyncError, VaultError):
            pass

    def _write_locked(self, push: _Push, local: Dossier, local_sha: str, content: bytes, lock: str) -> Dossier | None:
        url = push.state.document_url
        assert url is not None
        doc = self.client.get_document(url)
        if push.state.remote_versie != doc.versie or push.state.base_json is None:
            outcome = self._catch_up(push, local, local_sha, doc)
            if outcome is None:
                self._release_lock(push, lock)
                return None
            local, local_sha = outcome
            content = keys.canonical_bytes(local)
        if push.state.base_json is not None and push.state.base_json.encode("utf-8") == content:
            self._release_lock(push, lock)
            return local
        self._patch_locked(push, lock, content)
        return local

    def _patch_locked(self, push: _Push, lock: str, content: bytes) -> None:
        """Write ``content`` as a new version of the locked dossier document, then unlock.

        The content's hash is stored as in flight first, so a lost answer is recognised
        next run (see :meth:`_catch_up`)."""
        url = push.state.document_url
        assert url is not None
        self._save(push, inflight_sha256=keys.sha256_hex(content))
        try:
            updated = self.client.patch(url, lock, inhoud=content)
        except RequestRejected as exc:
            if not (exc.has_code("unlocked") or exc.has_code("incorrect-lock-id")):
                raise
            # Our lock was taken away meanwhile (a force-unlock): write again with a new one.
            self._save(push, lock_id=None)
            raise ProtocolError("the document lost our lock before the update") from exc
        self.report.versions_created += 1
        self._save(push, remote_versie=updated.versie, base_json=content.decode("utf-8"), inflight_sha256=None)
        self._release_lock(push, lock)

    def _catch_up(
        self, push: _Push, local: Dossier, local_sha: str, doc: RemoteDocument
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
                self._save(push, base_json=remote_bytes.decode("utf-8"), remote_versie=doc.versie, inflight_sha256=None)
                return local, local_sha
            # Our write may have landed and been followed by someone else's: look back.
            start = (push.state.remote_versie or 0) + 1
            for versie in range(max(start, doc.versie - _INFLIGHT_LOOKBACK), doc.versie):
                older = self.client.download(url, versie)
                if keys.sha256_hex(older) == inflight:
                    self._save(push, base_json=older.decode("utf-8"), remote_versie=versie, inflight_sha256=None)
                    break
            else:
                self._save(push, inflight_sha256=None)
        if push.state.remote_versie == doc.versie and push.state.base_json is not None:
            return local, local_sha
        if self._held(push.dossier_id):
            self.report.deferred += 1  # merged when the window is closed; nothing overwritten
            return None
        return self._merge(push, local, local_sha, remote_bytes, doc.versie)

    def _merge(
        self, push: _Push, local: Dossier, local_sha: str, remote_bytes: bytes, remote_versie: int
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
        remote_text = remote_bytes.decode("utf-8")
        self.report.merged += 1
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
            base_json=remote_text,
            remote_versie=remote_versie,
            inflight_sha256=None,
            conflicts=conflicts,
        )
        if merged == local:
            push.state = new_state
            self.vault.set_sync_state(new_state)
        else:
            self._want_versions(merged)
            self.vault.apply_remote(
                merged, new_state, expected_sha256=local_sha, detail=f"merge remote_versie={remote_versie}"
            )
            push.state = new_state
        self._event(
            "sync_merged",
            push.dossier_id,
            f"remote_versie={remote_versie} conflicts={len(conflicts)}",
        )
        if conflicts:
            self.report.conflicts += 1
            return None
        return merged, self.vault.stored_sha256(push.dossier_id)

    # -- verslagen -------------------------------------------------------------------------------

    def _ensure_verslagen(self, push: _Push) -> None:
        for version in self.vault.list_versions(push.dossier_id):
            if not version.has_pdf:
                continue
            upload = push.state.verslagen.get(version.versie)
            if upload is None:
                upload = self._upload_verslag(push, version.versie)
                push.state = push.state.with_verslag(version.versie, upload)
                self.vault.set_sync_state(push.state)
            if not upload.linked:
                self._ensure_linked(push, upload.url)
                push.state = push.state.with_verslag(version.versie, replace(upload, linked=True))
                self.vault.set_sync_state(push.state)

    def _upload_verslag(self, push: _Push, versie: int) -> VerslagUpload:
        stored = self.vault.load_version(push.dossier_id, versie)
        pdf = stored.pdf
        assert pdf is not None
        sha = keys.sha256_hex(pdf)
        ident = keys.verslag_identificatie(push.dossier_id, versie)
        doc = self.client.find_document(ident)
        if doc is None:
            try:
                doc = self.client.create_document(
                    identificatie=ident,
                    informatieobjecttype=self.settings.informatieobjecttype_verslag,
                    titel=f"Gesprek-adviesverslag versie {versie}",
                    bestandsnaam=f"gesprek-adviesverslag-{push.dossier_id.hex[:8]}-v{versie}.pdf",
                    formaat="application/pdf",
                    inhoud=pdf,
                    status="definitief",
                    integriteit=True,
                    ondertekend_op=stored.created.date(),
                )
                self.report.verslagen_uploaded += 1
            except RequestRejected as exc:
                if not exc.has_code("identificatie-niet-uniek"):
                    raise
                doc = self.client.find_document(ident)
                if doc is None:
                    raise ProtocolError("verslag identificatie taken but not found") from exc
        if doc.integriteit_sha256 is not None and doc.integriteit_sha256 != sha:
            # A verslag is never changed: keep theirs, say so in the log (no content).
            log.warning("sync: central verslag %s differs from the stored PDF", versie)
            self._event("sync_verslag_differs", push.dossier_id, f"versie={versie}")
        return VerslagUpload(doc.url, sha, False)

    # --- pull -------------------------------------------------------------------------------

    def _pull(self) -> None:
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
        self._versions_wanted(states)
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
                    self._check_rollen(zaak, state)
                elif state is None:
                    links = sorted(zaak.zaakinformatieobjecten)
                    if skipped.get(zaak.url) == links:
                        skipped_now[zaak.url] = links
                        continue
                    if not self._pull_new(zaak, pending):
                        skipped_now[zaak.url] = links
                if self._wanted:
                    earlier = _predecessors(zaak, listed)
                    self._pull_versions(zaak, state or self._new_states.get(zaak.url), documents, earlier)
            except (NotFound, RequestRejected, NotPermitted, StaleDossier) as exc:
                self._skip(
                    state.dossier_id if state else None,
                    exc if isinstance(exc, SyncError) else Conflict(str(exc)),
                    park=False,
                )
            except InvalidDossier as exc:  # the vault refuses it (forms.invariants): skip this one
                self._skip(
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
            self._event("sync_zaak_gevolgd", state.dossier_id, f"zaken={len(moved.vorige_zaken) + 1}")
            by_zaak.pop(url, None)
            by_zaak[zaak.url] = moved
            return moved
        return None

    def _pull_known(self, zaak: RemoteZaak, state: SyncState, doc: RemoteDocument | None, pending: set[UUID]) -> None:
        if doc is not None and state.lock_id == LOCK_SUSPECT and state.dossier_id not in pending:
            state = self._release_orphan_lock(state, doc)
        if doc is None or doc.versie <= (state.remote_versie or 0):
            return  # nothing new (or not visible to us): no request
        if state.dossier_id in pending or state.conflicts:
            return  # unsent local work (maybe half-written): the push finishes or merges it
        if self._held(state.dossier_id):
            self.report.deferred += 1
            return
        content = self.client.download(doc.url, doc.versie)
        dossier = self._parse(content, state.dossier_id)
        if dossier is None:
            return
        self._want_versions(dossier)
        self.vault.apply_remote(
            dossier,
            replace(state, base_json=content.decode("utf-8"), remote_versie=doc.versie),
            expected_sha256=self.vault.stored_sha256(state.dossier_id),
            detail=f"versie={dossier.versie} remote_versie={doc.versie}",
        )
        self.report.pulled += 1

    def _release_orphan_lock(self, state: SyncState, doc: RemoteDocument) -> SyncState:
        """A lock request of ours whose answer was lost may land after our write
        (``LOCK_SUSPECT``, see :meth:`_acquire_lock`). The push releases such a lock when it
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
        if local_sha and self._held(dossier.id):
            self.report.deferred += 1
            return True
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
        self._want_versions(dossier)
        self.vault.apply_remote(
            dossier, state, expected_sha256=local_sha, detail=f"versie={dossier.versie} remote_versie={doc.versie}"
        )
        self._new_states[zaak.url] = state
        self.report.pulled += 1
        return True

    # -- finalised versions from the central system ----------------------------------------------

    def _versions_wanted(self, states: dict[UUID, SyncState] | None = None) -> dict[str, list[str] | None]:
        """Dossiers whose local copy lacks finalised versions, with the zaak's links at the
        last attempt (None: not tried yet); read once per run. Made from the vault once,
        for a vault that pulled before versions were pulled."""
        if self._wanted is not None:
            return self._wanted
        wanted = self.vault.get_sync_meta(_VERSIONS_WANTED)
        if wanted is None:
            wanted = {}
            for dossier_id, state in (states if states is not None else self.vault.sync_states()).items():
                if not state.document_url or state.base_json is None:
                    continue
                try:  # what was last pulled or pushed names the versions (no dossier read)
                    synced = keys.parse_remote(state.base_json.encode("utf-8"))
                except (ValueError, UnicodeDecodeError, ValidationError, forms.UnsupportedSchema):
                    continue
                if synced.id == dossier_id and self._missing_versions(synced):
                    wanted[str(dossier_id)] = None
            self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)
        self._wanted = dict(wanted)
        return self._wanted

    def _missing_versions(self, dossier: Dossier) -> dict[int, str]:
        """The finalised versions the dossier names (``vorige_versies``, itself when final)
        that the vault does not hold: versie -> content hash."""
        named = {ref.versie: ref.sha256 for ref in dossier.vorige_versies}
        if dossier.definitief is not None:
            named[dossier.versie] = dossier.definitief.sha256
        if not named:
            return {}
        held = {v.versie for v in self.vault.list_versions(dossier.id)}
        return {versie: sha for versie, sha in named.items() if versie not in held}

    def _want_versions(self, dossier: Dossier) -> None:
        """Before a central dossier replaces the local copy: remember that its versions are
        to be fetched (so a crash in between cannot forget them)."""
        if not self._missing_versions(dossier):
            return
        wanted = self._versions_wanted()
        if wanted.get(str(dossier.id), "") is not None:
            wanted[str(dossier.id)] = None
            self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)

    def _pull_versions(
        self,
        zaak: RemoteZaak,
        state: SyncState | None,
        documents: dict[str, RemoteDocument],
        earlier: Collection[RemoteZaak] = (),
    ) -> None:
        """Fetch the finalised versions a local dossier lacks: its verslagen (``KTV-…``)
        through the zaak's links, the dossier JSON of each from the dossier document's
        history. Tried when first needed, then again only when the zaak's links change
        (a verslag uploaded later is a new link), so an idle run costs nothing here."""
        if state is None:
            return
        key = str(state.dossier_id)
        wanted = self._versions_wanted()
        links_now = sorted(zaak.zaakinformatieobjecten)
        if key not in wanted or wanted[key] == links_now:
            return
        state = self.vault.get_sync_state(state.dossier_id)  # as the pull just left it
        try:
            dossier = self.vault.load(state.dossier_id)
        except VaultError:  # gone or unreadable here: nothing to complete
            wanted.pop(key, None)
            self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)
            return
        missing = self._missing_versions(dossier)
        if missing:
            uploads = self._fetch_versions(zaak, state, dossier, missing, documents, earlier)
            if uploads:
                state = replace(state, verslagen={**state.verslagen, **uploads})
                self.vault.set_sync_state(state)
            missing = self._missing_versions(dossier)
        if missing:
            wanted[key] = links_now  # the rest waits for a new link (e.g. a verslag uploaded later)
        else:
            wanted.pop(key, None)
        self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)

    def _fetch_versions(
        self,
        zaak: RemoteZaak,
        state: SyncState,
        dossier: Dossier,
        missing: dict[int, str],
        documents: dict[str, RemoteDocument],
        earlier: Collection[RemoteZaak] = (),
    ) -> dict[int, VerslagUpload]:
        s = self.settings
        links = self.client.list_zio(zaak.url)
        for previous in earlier:  # verslagen signed before the zaak was closed stay there
            if previous.zaakinformatieobjecten:
                links += self.client.list_zio(previous.url)
        linked = self.client.search_documents(link.informatieobject for link in links)
        verslagen = {
            d.identificatie: d
            for d in linked.values()
            if d.informatieobjecttype == s.informatieobjecttype_verslag and d.formaat == "application/pdf"
        }
        current = documents.get(state.document_url or "") or (
            linked.get(state.document_url) if state.document_url else None
        )
        history = _History(self.client, current, state) if current is not None else None
        uploads: dict[int, VerslagUpload] = {}
        for versie, sha in sorted(missing.items()):
            verslag = verslagen.get(keys.verslag_identificatie(dossier.id, versie))
            if verslag is None:
                continue  # not uploaded (yet)
            pdf = self.client.download(verslag.url)
            pdf_sha = keys.sha256_hex(pdf)
            if verslag.integriteit_sha256 is not None and verslag.integriteit_sha256 != pdf_sha:
                log.warning("sync: central verslag %s does not match its integriteit; not stored", versie)
                self._event("sync_verslag_differs", dossier.id, f"versie={versie}")
                continue
            text = _final_json(dossier, versie, sha, history)
            source = "dossier" if text is not None else "alleen-pdf"
            if text is None:
                text = keys.pdf_only_json(dossier.id, versie, sha, pdf_sha)
            try:
                self.vault.store_version(dossier.id, versie, sha, text, pdf=pdf)
            except ImmutableVersion:
                continue  # stored meanwhile with other content (finalised here): keep ours
            uploads[versie] = VerslagUpload(verslag.url, pdf_sha, True)
            self.report.versions_pulled += 1
            self._event("sync_version_pulled", dossier.id, f"versie={versie} bron={source}")
        return uploads

    # -- rollen -----------------------------------------------------------------------------------

    def _check_rollen(self, zaak: RemoteZaak, state: SyncState) -> None:
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
        ours = self._our_rollen(self.client.list_rollen(zaak.url))
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
            self._event("sync_rol_duplicate_removed", state.dossier_id, "")
        if keep is not None and keep.url != state.rol_url:
            self.vault.set_sync_state(replace(self.vault.get_sync_state(state.dossier_id), rol_url=keep.url))
        self._seen_rollen(zaak.url, now)

    def _our_rollen(self, rollen: list[RemoteRol]) -> list[RemoteRol]:
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
        if self._rollen is None:
            self._rollen = dict(self.vault.get_sync_meta(_ROLLEN_SEEN, {}) or {})
        return self._rollen

    def _seen_rollen(self, zaak_url: str, rollen: list[str]) -> None:
        self._rollen_seen()[zaak_url] = sorted(rollen)
        self._rollen_dirty = True

    def _flush_rollen(self) -> None:
        if self._rollen is not None and self._rollen_dirty:
            self.vault.set_sync_meta(_ROLLEN_SEEN, self._rollen)
            self._rollen_dirty = False

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


class _History:
    """The dossier document's versions, downloaded on demand (each at most once)."""

    def __init__(self, client: ZGWClient, doc: RemoteDocument, state: SyncState) -> None:
        self._client = client
        self.url = doc.url
        self.latest = doc.versie
        self._dossiers: dict[int, Dossier | None] = {}
        self._known: dict[int, bytes] = {}
        if state.remote_versie == doc.versie and state.base_json is not None:
            self._known[doc.versie] = state.base_json.encode("utf-8")

    def dossier(self, versie: int) -> Dossier | None:
        """The dossier as version ``versie`` of the document holds it (None: unreadable)."""
        if versie not in self._dossiers:
            content = self._known.get(versie)
            if content is None:
                content = self._client.download(self.url, versie)
            try:
                self._dossiers[versie] = keys.parse_remote(content)
            except (ValueError, UnicodeDecodeError, ValidationError, forms.UnsupportedSchema):
                self._dossiers[versie] = None
        return self._dossiers[versie]


def _final_json(dossier: Dossier, versie: int, sha: str, history: _History | None) -> str | None:
    """The dossier JSON of finalised version ``versie`` (content hash ``sha``), as the
    vault that finalised it stored it (``model_dump_json`` of the final dossier), or
    None when the central system does not hold it.

    The dossier itself when it is that version; else the dossier document's history:
    a dossier's ``versie`` only grows from one document version to the next, and a final
    version is frozen until the next one starts, so the *last* document version with
    ``versie`` is the final one if it was ever sent. Binary search: log2(versions)
    downloads. Whatever is found must verify (``forms.verify``, same hash).
    """

    def final(candidate: Dossier | None) -> bool:
        return (
            candidate is not None
            and candidate.versie == versie
            and candidate.definitief is not None
            and candidate.definitief.sha256 == sha
            and forms.verify(candidate)
        )

    if final(dossier):
        return dossier.model_dump_json()
    if history is None:
        return None
    low, high, best = 1, history.latest, None
    while low <= high:
        middle = (low + high) // 2
        probe = history.dossier(middle)
        if probe is None:
            return None  # not a readable dossier: the order cannot be relied on
        if probe.versie <= versie:
            best, low = probe, middle + 1
        else:
            high = middle - 1
    return best.model_dump_json() if best is not None and final(best) else None


def _predecessors(zaak: RemoteZaak, listed: dict[str, RemoteZaak]) -> list[RemoteZaak]:
    """The zaken this one follows, transitively (``relevanteAndereZaken``), among ours."""
    out: list[RemoteZaak] = []
    seen = {zaak.url}
    todo = list(zaak.relevante_andere_zaken)
    while todo and len(out) < 50:
        url = todo.pop(0)
        if url in seen or url not in listed:
            continue
        seen.add(url)
        out.append(listed[url])
        todo.extend(listed[url].relevante_andere_zaken)
    return out


def _aware(value: dt.datetime) -> dt.datetime:
    """A time without zone (the model accepts one, e.g. from another system) read as UTC,
    so it compares with the aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _parse_time(text: str) -> dt.datetime:
    return _aware(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))


def _at(local: Dossier) -> dt.datetime:
    assert local.definitief is not None
    return _aware(local.definitief.op)


def _after(when: dt.datetime, last: dt.datetime | None) -> dt.datetime:
    """``when``, moved to just after ``last`` so statuses stay in order."""
    when = _aware(when)
    if last is not None and when <= last:
        return last + dt.timedelta(seconds=1)
    return when

