"""What every part of one sync run shares: :class:`RunContext` (vault, client, settings,
the report, back-off, skipping and parking a dossier), the run's :class:`SyncOptions` and
the per-dossier push record."""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from uuid import UUID

from storage.syncstate import PARKED_KEY, SyncState
from storage.vault import Vault

from . import keys
from .client import RemoteZaak, ZGWClient
from .errors import (
    AuthRejected,
    HeadersRejected,
    NotFound,
    NotPermitted,
    ProtocolError,
    RequestRejected,
    SettingsError,
    SyncError,
    Unavailable,
)
from .report import SyncReport
from .settings import SyncSettings

__all__ = [
    "RunContext",
    "SyncOptions",
    "DossierPush",
    "Fatal",
    "Part",
    "MAX_RETRIES",
    "BASE_DELAY_S",
    "MAX_DELAY_S",
    "LOCK_REQUESTED",
    "LOCK_SUSPECT",
]

log = logging.getLogger("keukentafel.sync")

#: Back-off sleeps per run before giving up until the next run.
MAX_RETRIES = 5
#: First back-off delay; doubled per retry (with jitter), capped at MAX_DELAY_S.
BASE_DELAY_S = 0.5
MAX_DELAY_S = 8.0
#: ``SyncState.lock_id`` while a lock request is out (its answer not seen yet).
LOCK_REQUESTED = ""
#: ``SyncState.lock_id`` after a write during which an earlier lock request's outcome
#: was unknown: a lock without id may appear; release it when found.
LOCK_SUSPECT = "?"

#: Refusals that the same content and settings will meet again: the dossier is parked.
PARKING = (RequestRejected, NotPermitted, NotFound)

T = TypeVar("T")


class Fatal(Exception):
    """Ends the run at once (auth, headers, settings)."""

    def __init__(self, error: SyncError) -> None:
        super().__init__(str(error))
        self.error = error


def _fatal(exc: SyncError) -> bool:
    return isinstance(exc, (AuthRejected, HeadersRejected, SettingsError))


def _retryable(exc: SyncError) -> bool:
    return isinstance(exc, (Unavailable, ProtocolError))


@dataclass(frozen=True)
class SyncOptions:
    """How a run behaves; ``SyncEngine(vault, client, **options)`` takes these by name.

    ``clock`` gives status times, ``sleep`` and ``rng`` the back-off (inject no-op/seeded
    ones in tests); ``retry_parked`` is "Nu synchroniseren"; ``on_changed`` hears of every
    local dossier the run changed.
    """

    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random | None = None  # None: a new random.Random()
    max_retries: int = MAX_RETRIES
    base_delay: float = BASE_DELAY_S
    max_delay: float = MAX_DELAY_S
    retry_parked: bool = False
    on_changed: Callable[[UUID], None] | None = None


@dataclass
class DossierPush:
    """What one dossier's push knows during this run (not persisted)."""

    dossier_id: UUID
    state: SyncState
    zaak: RemoteZaak | None = None  # as created/found in this push: tells what it lacks
    zaak_fresh: bool = False  # created in this push: no rollen, statuses or links yet
    linked_docs: set[str] | None = None  # informatieobject URLs linked to the zaak
    orphan_possible: bool = False  # an earlier lock request may still land (see documents.acquire_lock)


class RunContext:
    """One run's shared state. Made fresh by every ``SyncEngine.run()``."""

    def __init__(self, vault: Vault, client: ZGWClient, options: SyncOptions | None = None) -> None:
        self.vault = vault
        self.client = client
        self.settings: SyncSettings = client.settings
        self.report = SyncReport()
        self.options = options or SyncOptions()
        self._rng = self.options.rng or random.Random()
        self.first_skip: SyncError | None = None
        self._parked_cache: dict[str, dict[str, Any]] | None = None

    # --- time and retries -------------------------------------------------------------

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.options.clock(), dt.UTC)

    def retrying(self, step: Callable[[], T]) -> T:
        """Run ``step``; on Unavailable/ProtocolError back off and run it again."""
        while True:
            try:
                return step()
            except SyncError as exc:
                if _fatal(exc):
                    raise Fatal(exc) from exc
                if not _retryable(exc) or self.report.retries >= self.options.max_retries:
                    raise
                self.report.retries += 1
                delay = self._delay(self.report.retries, exc)
                log.info("sync: %s; retry %d in %.2f s", exc, self.report.retries, delay)
                self.options.sleep(delay)

    def _delay(self, attempt: int, exc: SyncError) -> float:
        """Exponential back-off with "equal jitter": half fixed, half random."""
        cap = min(self.options.max_delay, self.options.base_delay * (2.0 ** (attempt - 1)))
        delay = cap / 2 + self._rng.uniform(0, cap / 2)
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(retry_after, (int, float)) and retry_after > delay:
            delay = min(float(retry_after), self.options.max_delay)
        return delay

    # --- outcomes ---------------------------------------------------------------------

    def event(self, action: str, dossier_id: UUID | None, detail: str) -> None:
        self.vault.record_event(action, dossier_id, detail[:200])

    def skip(self, dossier_id: UUID | None, exc: SyncError, *, park: bool = True) -> None:
        log.warning("sync: dossier skipped this run: %s", exc)
        self.report.skipped += 1
        if self.first_skip is None:
            self.first_skip = exc
        if park and dossier_id is not None and isinstance(exc, PARKING):
            self.park(dossier_id, exc)
        self.event(
            "sync_skipped",
            dossier_id,
            f"error={type(exc).__name__} status={exc.status or '-'} code={exc.code or '-'}",
        )

    def changed(self, dossier_id: UUID) -> None:
        """The local dossier's stored content was just replaced by this run."""
        self.report.note_changed(dossier_id)
        if self.options.on_changed is not None:
            try:
                self.options.on_changed(dossier_id)
            except Exception:  # a listener's bug must not stop the run; the report still names it
                log.exception("sync: the on_changed listener failed")

    # --- parked dossiers ----------------------------------------------------------------

    def settings_fingerprint(self) -> str:
        data = self.settings.to_storable()
        return keys.sha256_hex(json.dumps(data, sort_keys=True, default=str).encode("utf-8"))

    def parked(self) -> dict[str, dict[str, Any]]:
        if self._parked_cache is None:
            self._parked_cache = dict(self.vault.get_sync_meta(PARKED_KEY, {}) or {})
        return self._parked_cache

    def park(self, dossier_id: UUID, exc: SyncError) -> None:
        """A refusal that the same content and settings will meet again: the dossier waits
        (no request) until its content or the settings change, or the wijkcoach asks
        "Nu synchroniseren"; the caseload shows why (``vault.sync_waiting()``)."""
        self.parked()[str(dossier_id)] = {
            "melding": exc.melding,
            "error": str(exc)[:300],
            "sha256": self.vault.stored_sha256(dossier_id),
            "settings": self.settings_fingerprint(),
        }
        self.vault.set_sync_meta(PARKED_KEY, self.parked())

    def unpark(self, dossier_id: UUID) -> None:
        if self.parked().pop(str(dossier_id), None) is not None:
            self.vault.set_sync_meta(PARKED_KEY, self.parked())

    def still_parked(self, dossier_id: UUID) -> bool:
        entry = self.parked().get(str(dossier_id))
        if entry is None or self.options.retry_parked:
            return False
        return (
            entry.get("sha256") == self.vault.stored_sha256(dossier_id)
            and entry.get("settings") == self.settings_fingerprint()
        )

    def forget_parked(self, keep: set[str]) -> None:
        """Parked entries of dossiers no longer queued (e.g. removed): nothing waits."""
        stale = [key for key in self.parked() if key not in keep]
        if stale:
            for key in stale:
                self.parked().pop(key, None)
            self.vault.set_sync_meta(PARKED_KEY, self.parked())

    # --- the per-dossier push record ----------------------------------------------------

    def save_state(self, push: DossierPush, **changes: Any) -> SyncState:
        push.state = replace(push.state, **changes)
        self.vault.set_sync_state(push.state)
        return push.state


class Part:
    """Base of the run's parts (push, pull, versions, clean-up): short names for the
    context's members."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx

    @property
    def vault(self) -> Vault:
        return self.ctx.vault

    @property
    def client(self) -> ZGWClient:
        return self.ctx.client

    @property
    def settings(self) -> SyncSettings:
        return self.ctx.settings

    @property
    def report(self) -> SyncReport:
        return self.ctx.report
