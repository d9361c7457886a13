"""The sync run: push the vault's change queue, pull the wijkcoach's zaken, merge.

``SyncEngine(vault, client).run()`` (or :func:`run`) does one run and returns a
:class:`~sync.report.SyncReport`: counts, and the ids of the local dossiers the run
changed. It is safe to stop at any point -- a crash, a time-out, a dropped connection --
and to run again: every step first finds out what the central system already has, and
the vault's sync state (:mod:`storage.syncstate`) is written after every confirmed step.

The parts, one module each, sharing one :class:`~sync.context.RunContext`:

- :mod:`sync.push` -- each dossier with queued changes into its zaak (zaak, rol, then
  :mod:`sync.documents` for the dossier document, :mod:`sync.versions` for the verslagen,
  :mod:`sync.status` for the trajectory's statuses, resultaat and eindstatus);
- :mod:`sync.pull` -- newer central dossiers and unknown zaken into the vault;
- :mod:`sync.versions` -- finalised versions both ways;
- :mod:`sync.cleanup` -- duplicate behandelaar rollen and orphan locks;
- :mod:`sync.local` -- the one door to the vault: every change of a local dossier is
  stored with a revision check and reported.

OPEN WINDOWS: the engine does not know which dossiers are open. A window saves with its
own revision; the run stores central content only over the revision it read
(``StaleDossier`` otherwise: a merge is redone on the newer local content, a pull leaves
the queued local change to the next push, which merges). Every dossier the run changed is
in ``report.changed`` and passed to ``on_changed(dossier_id)`` (called on the run's
thread, right after the vault write), so the desktop applies it to an open document.

FAULTS: :class:`~sync.errors.Unavailable` and :class:`~sync.errors.ProtocolError` are
retried within the run, with exponential back-off and jitter (``sleep`` and ``rng`` are
injected), at most ``max_retries`` times per run; then the run ends with an
``unavailable`` report. :class:`~sync.errors.AuthRejected` (the token itself),
:class:`~sync.errors.HeadersRejected` and settings problems end the run at once. A
validation error, a missing permission, a missing resource, a lock held by someone else
or a central dossier that cannot be read (a newer app's schema) skips only that dossier.
In every case the queue stays as it was for what was not confirmed.

Every run is recorded in the vault's audit log (``sync_run``: counts only; per dossier
``sync_sent``; pulled dossiers are audited as ``pull``).
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import replace
from typing import Any

from storage.errors import VaultError
from storage.vault import Vault

from .cleanup import Cleanup
from .client import ZGWClient
from .context import (
    BASE_DELAY_S,
    LOCK_REQUESTED,
    LOCK_SUSPECT,
    MAX_DELAY_S,
    MAX_RETRIES,
    Fatal,
    RunContext,
    SyncOptions,
)
from .documents import Documents
from .errors import SyncError
from .local import Local
from .pull import Pull
from .push import ZAAK_OMSCHRIJVING, Push
from .report import SyncReport
from .status import Status
from .versions import VersionsIn, VersionsOut

__all__ = [
    "SyncEngine",
    "SyncReport",
    "SyncOptions",
    "run",
    "MAX_RETRIES",
    "BASE_DELAY_S",
    "MAX_DELAY_S",
    "LOCK_REQUESTED",
    "LOCK_SUSPECT",
    "ZAAK_OMSCHRIJVING",
]

log = logging.getLogger("keukentafel.sync")


class SyncEngine:
    """One sync run over a vault and a :class:`~sync.client.ZGWClient`.

    Runs on the thread that owns the vault (see ``desktop/tasks.py``). ``options`` are the
    fields of :class:`~sync.context.SyncOptions` (back-off, clock, "Nu synchroniseren", the
    listener for changed dossiers); ``push``/``pull`` switch the halves off (tests).
    """

    def __init__(
        self, vault: Vault, client: ZGWClient, *, push: bool = True, pull: bool = True, **options: Any
    ) -> None:
        self.vault = vault
        self.client = client
        self.settings = client.settings
        self.options = SyncOptions(**options)
        if self.options.rng is None:  # one generator for every run of this engine
            self.options = replace(self.options, rng=random.Random())
        self._push_enabled = push
        self._pull_enabled = pull
        self.report = SyncReport()

    @property
    def retry_parked(self) -> bool:
        """"Nu synchroniseren": try the parked dossiers again too (settable before ``run``)."""
        return self.options.retry_parked

    @retry_parked.setter
    def retry_parked(self, value: bool) -> None:
        self.options = replace(self.options, retry_parked=value)

    def run(self) -> SyncReport:
        """One complete run. Never raises a SyncError: the report carries the outcome."""
        ctx = RunContext(self.vault, self.client, self.options)
        report = self.report = ctx.report
        cleanup = Cleanup(ctx)
        versions_in = VersionsIn(ctx)
        local = Local(ctx, versions_in.want)
        documents = Documents(ctx, local)
        push = Push(ctx, documents, VersionsOut(ctx, documents), Status(ctx, documents), cleanup)
        pull = Pull(ctx, local, versions_in, cleanup)
        started = time.monotonic()
        requests_before = self.client.requests_made
        try:
            if self._push_enabled:
                push.run()
            if self._pull_enabled:
                ctx.retrying(pull.run)
            if ctx.first_skip is not None:
                report.fail(ctx.first_skip)
        except Fatal as exc:
            report.fail(exc.error)
        except SyncError as exc:  # retries exhausted, or not retryable at run level
            report.fail(exc)
        finally:
            try:
                cleanup.flush()
            except VaultError:
                log.warning("could not record the rollen seen")
            report.requests = self.client.requests_made - requests_before
            report.seconds = time.monotonic() - started
            try:
                self.vault.finish_sync_run(report.ok, report.melding, report.detail())
            except VaultError:
                log.warning("could not record the sync run")
        return report


def run(vault: Vault, client: ZGWClient, **options: Any) -> SyncReport:
    """One run: ``SyncEngine(vault, client, **options).run()``."""
    return SyncEngine(vault, client, **options).run()
