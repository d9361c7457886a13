"""The sync indicator in the status bar, and the orchestration behind it (STYLE A6).

The protocol lives in :mod:`sync`; this module only starts runs and shows their outcome:

- :class:`SyncStatusWidget`: a calm line for the status bar -- online or offline
  ("Offline — wijzigingen worden later verstuurd"), the last successful sync, the number
  of unsent changes, a Dutch problem text when there is one, and "Nu synchroniseren".
  Offline is the normal state of a laptop at a kitchen table: never a dialog, never red.
- :class:`SyncController`: runs :class:`sync.SyncEngine` on the task pool every few
  minutes, after unlocking and on "Nu synchroniseren"; one run at a time. Only
  "Nu synchroniseren" (:meth:`SyncController.sync_now_by_user`) tries the dossiers again
  that the gemeente refused and that wait for a change (``retry_parked``).

Threads. The engine runs on the *pool* (HTTP, time-outs and back-off sleeps never hold
the vault thread), and reaches the vault through :class:`VaultProxy`: every vault call
is one job on the vault thread (``TaskManager.run_db``), and the pool thread waits for
its result. Autosaves queued meanwhile run between the sync's calls instead of waiting
for a whole run (up to ~45 s when the network is half there). That is safe because the
engine never holds a read across calls without a guard: it marks sent only the queue
entries it saw, writes local content with ``apply_remote(expected_sha256=…)`` (an edit
in between makes it merge again, or leave the pulled version to the next push), and
leaves dossiers with unsent changes to the push. It does not know which dossiers are
open: ``run_finished`` carries the report, whose ``changed`` names the dossiers it
replaced in the vault, for the windows that show them. Locking the vault ends a running sync at its next vault
call (``NoVault``), quietly.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from .tasks import TaskManager
from .widgets import label as make_label

if TYPE_CHECKING:  # sync (httpx) is imported when the first run starts
    from storage import Vault
    from storage.syncstate import SyncSummary
    from sync import SettingsError, SyncEngine, SyncReport, SyncSettings, ZGWClient

__all__ = ["DEFAULT_INTERVAL_MS", "SyncView", "VaultProxy", "SyncController", "SyncStatusWidget", "describe"]

log = logging.getLogger("keukentafel.sync_status")

#: A run every five minutes while the vault is open (and at once after unlocking).
DEFAULT_INTERVAL_MS = 5 * 60 * 1000
#: How long the pool thread waits for one vault job (the vault thread may be busy
#: finalising a verslag; nothing the sync does takes long by itself).
VAULT_CALL_TIMEOUT_S = 120.0

OFFLINE = "Offline — wijzigingen worden later verstuurd"


@dataclass(frozen=True)
class SyncView:
    """What the indicator shows; no content, counts and times only."""

    configured: bool = False
    running: bool = False
    online: bool | None = None  # None: not tried yet
    last_success: dt.datetime | None = None
    unsent: int = 0
    conflicts: int = 0
    waiting: int = 0  # dossiers the gemeente refused: they wait (the caseload says why)
    problem: str = ""  # Dutch; empty when fine or merely offline


def describe(view: SyncView, now: dt.datetime | None = None) -> tuple[str, str]:
    """(state text, details) for the status bar. Pure, for tests and screenshots."""
    if not view.configured:
        return "Nog niet gekoppeld aan de gemeente", "Zie Instellingen: de functioneel beheerder levert het instellingenbestand."
    if view.running:
        state = "Synchroniseren…"
    elif view.problem:
        state = view.problem
    elif view.online is False:
        state = OFFLINE
    elif view.online is True:
        state = "Online"
    else:
        state = "Nog niet gesynchroniseerd"
    parts: list[str] = []
    if view.last_success is not None:
        when = view.last_success.astimezone()
        today = (now or dt.datetime.now().astimezone()).date()
        stamp = when.strftime("%H:%M") if when.date() == today else when.strftime("%d-%m %H:%M")
        parts.append(f"laatst gesynchroniseerd {stamp}")
    if not view.unsent:
        parts.append("alles verstuurd")
    counts = (
        (view.unsent, "1 wijziging nog niet verstuurd", "{} wijzigingen nog niet verstuurd"),
        (view.conflicts, "1 dossier met een verschil om te kiezen", "{} dossiers met een verschil om te kiezen"),
        (
            view.waiting,
            "1 dossier wacht op de gemeente (zie overzicht)",
            "{} dossiers wachten op de gemeente (zie overzicht)",
        ),
    )
    parts += [one if n == 1 else many.format(n) for n, one, many in counts if n]
    return state, " · ".join(parts)


class VaultProxy:
    """The vault, seen from another thread: each call runs as one job on the vault thread.

    ``proxy.save(d)`` queues ``vault.save(d)`` with ``tasks.run_db`` and waits (on this
    thread, never the UI thread) for its result or exception.
    """

    def __init__(self, tasks: TaskManager, timeout_s: float = VAULT_CALL_TIMEOUT_S) -> None:
        self._tasks = tasks
        self._timeout = timeout_s

    def __getattr__(self, name: str) -> Callable[..., Any]:  # any Vault method: its own arguments and result
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            future: concurrent.futures.Future[Any] = concurrent.futures.Future()

            # The future is bound as a default, not a closure cell: this frame can then
            # let go of it below.
            def job(vault: Vault, future: concurrent.futures.Future[Any] = future) -> None:
                try:
                    future.set_result(getattr(vault, name)(*args, **kwargs))
                except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                    future.set_exception(exc)

            def failed(exc: BaseException, future: concurrent.futures.Future[Any] = future) -> None:
                if not future.done():  # e.g. NoVault: the job never ran
                    future.set_exception(exc)

            self._tasks.run_db(job, on_error=failed)
            try:
                return future.result(timeout=self._timeout)
            finally:
                # A raised exception's traceback holds this frame; the frame must not hold
                # the future that holds the exception (a cycle only the garbage collector
                # breaks, with the sync engine -- and the application -- in it).
                del future

        return call


class SyncController(QObject):
    """Starts sync runs and publishes a :class:`SyncView`; no protocol here."""

    view_changed = Signal(object)  # SyncView
    #: After every run: the ``sync.SyncReport`` (None when not configured). Refresh the
    #: caseload when ``report.pulled`` or ``report.merged`` is non-zero.
    run_finished = Signal(object)

    def __init__(
        self,
        tasks: TaskManager,
        *,
        make_client: Callable[[SyncSettings], ZGWClient] | None = None,
        make_engine: Callable[[Vault, ZGWClient], SyncEngine] | None = None,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._make_client = make_client
        self._make_engine = make_engine
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.sync_now)
        self.view = SyncView()
        self._running = False
        self._by_user = False

    # --- life cycle (call start() after unlocking, stop() before locking) ------------

    def start(self) -> None:
        self._timer.start()
        self.refresh()
        self.sync_now()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._running

    # --- status check (silent) ---------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the counts from the vault (after a save, say); errors stay silent."""

        def read(vault: Vault) -> tuple[bool, SyncSummary]:
            return vault.get_setting("sync") is not None, vault.sync_summary()

        self._tasks.run_db(read, on_done=self._summary_read, on_error=self._quiet, owner=self)

    def _summary_read(self, result: tuple[bool, SyncSummary]) -> None:
        configured, summary = result
        self._publish(configured, summary, None)

    def _quiet(self, exc: BaseException) -> None:
        log.info("sync status check: %s", type(exc).__name__)

    # --- runs ---------------------------------------------------------------------------

    def sync_now_by_user(self) -> None:
        """"Nu synchroniseren": a run that also tries the dossiers waiting after a refusal."""
        if self._running:
            return
        self._by_user = True
        self.sync_now()

    def sync_now(self) -> None:
        """Start a run on the pool unless one is running."""
        if self._running:
            return
        self._running = True
        self._set(running=True)
        self._tasks.run_in_background(self._run, on_done=self._finished, on_error=self._failed, owner=self)

    def _run(self) -> tuple[bool, SyncSummary, SyncReport | SettingsError | None]:
        """On a pool thread: the whole run; vault calls hop to the vault thread."""
        import sync

        # a VaultProxy answers every Vault method (on the vault thread): to the engine it is one
        vault = cast("Vault", VaultProxy(self._tasks))
        try:
            settings = sync.load_settings(vault)
        except sync.SettingsError as exc:
            return True, vault.sync_summary(), exc
        if settings is None:
            return False, vault.sync_summary(), None
        make = self._make_client or sync.ZGWClient
        by_user, self._by_user = self._by_user, False
        with make(settings) as client:
            if self._make_engine is not None:
                engine = self._make_engine(vault, client)
            else:
                engine = sync.SyncEngine(vault, client)
            if by_user:
                engine.retry_parked = True
            report = engine.run()
        return True, vault.sync_summary(), report

    def _finished(self, result: tuple[bool, SyncSummary, SyncReport | SettingsError | None]) -> None:
        import sync

        self._running = False
        configured, summary, outcome = result
        self._publish(configured, summary, outcome)
        self.run_finished.emit(outcome if isinstance(outcome, sync.SyncReport) else None)

    def _failed(self, exc: BaseException) -> None:
        # The vault was locked during the run, or something unexpected: stay calm.
        self._running = False
        log.info("sync run ended: %s", type(exc).__name__)
        self._set(running=False)

    def _publish(self, configured: bool, summary: SyncSummary, outcome: SyncReport | SettingsError | None) -> None:
        import sync

        online = self.view.online
        problem = self.view.problem
        if outcome is not None:
            report = outcome if isinstance(outcome, sync.SyncReport) else None  # None: the settings were refused
            kind = "rejected" if report is None else report.kind
            ok = report is not None and report.ok
            online = ok or kind not in ("unavailable",)
            problem = "" if ok or kind == "unavailable" else outcome.melding
        elif summary.last_ok is not None and online is None:
            online = bool(summary.last_ok) or None
        self._set(
            configured=configured,
            running=self._running,
            online=online,
            problem=problem,
            last_success=summary.last_success,
            unsent=summary.unsent,
            conflicts=summary.conflicts,
            waiting=summary.waiting,
        )

    def _set(self, **changes: object) -> None:
        self.view = replace(self.view, **changes)
        self.view_changed.emit(self.view)


class SyncStatusWidget(QWidget):
    """The status-bar part: state, details and "Nu synchroniseren"."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.state_label = make_label("", object_name="syncState", name="Synchronisatie", wrap=False)
        self.detail_label = make_label("", object_name="hint", name="Synchronisatie, details", wrap=False)
        self.button = QPushButton("Nu synchroniseren")
        self.button.setAccessibleName("Nu synchroniseren")
        self.button.setAutoDefault(False)
        layout.addWidget(self.state_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.button)
        self.button.clicked.connect(controller.sync_now_by_user)
        controller.view_changed.connect(self.show_view)
        self.show_view(controller.view)

    def show_view(self, view: SyncView) -> None:
        state, details = describe(view)
        self.state_label.setText(state)
        self.state_label.setToolTip(state)
        self.detail_label.setText(details)
        self.button.setEnabled(view.configured and not view.running)
