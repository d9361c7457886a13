"""All slow work goes through here (STYLE A3).

One :class:`DbWorker` thread owns the vault: every vault call, including opening it
(key derivation) and closing it, runs on that thread, one job at a time, in the
order the jobs were queued (FIFO). Results and exceptions come back on the UI
thread through a queued signal. A separate :class:`QThreadPool` runs other slow
work (PDF, later sync) so it never waits behind the vault, nor the vault behind it.

Usage::

    tasks.run_db(lambda vault: vault.list_dossiers(), on_done=show, on_error=fail)
    tasks.open_vault(lambda: storage.open_vault(path, pw), on_done=unlocked)
    tasks.close_vault(before_close=lambda v: v.record_event("vergrendeld"))
    tasks.run_in_background(make_pdf, on_done=...)

``on_error`` defaults to :func:`desktop.errors.show_error`; callbacks never run if
their receiver (``owner``) has been deleted in the meantime.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, QTimer, Signal, Slot

__all__ = ["TaskManager", "NoVault", "TasksStopped", "UiBlockWatchdog"]

log = logging.getLogger("keukentafel.tasks")


class NoVault(RuntimeError):
    """A vault job ran while the vault was locked (closed)."""


class TasksStopped(RuntimeError):
    """A vault job submitted after :meth:`TaskManager.shutdown`; it did not run."""


@dataclass
class _Job:
    fn: Callable[..., Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    kind: str  # "db" (fn(vault)), "open" (fn() -> vault), "close" (fn(vault) before close)
    owner: QObject | None = None


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, Qt queues the call to the UI thread."""

    finished = Signal(object, object, object)  # job, result, error

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver)

    @Slot(object, object, object)
    def _deliver(self, job: _Job, result: Any, error: BaseException | None) -> None:
        if job.owner is not None and not _alive(job.owner):
            return
        if error is None:
            if job.on_done is not None:
                job.on_done(result)
            return
        if job.on_error is not None:
            job.on_error(error)
        else:
            from .errors import show_error

            show_error(error)


def _alive(obj: QObject) -> bool:
    try:
        from shiboken6 import isValid
    except ImportError:  # pragma: no cover
        return True
    return isValid(obj)


class DbWorker(QThread):
    """The one thread that talks to the vault."""

    def __init__(self, relay: _Relay) -> None:
        super().__init__()
        self.setObjectName("keukentafel-db")
        self._relay = relay
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._vault: Any = None
        self._pending = 0
        self._lock = threading.Lock()

    def submit(self, job: _Job) -> None:
        with self._lock:
            self._pending += 1
        self._queue.put(job)

    def stop(self) -> None:
        self._queue.put(None)

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    @property
    def has_vault(self) -> bool:
        return self._vault is not None

    def run(self) -> None:  # noqa: D401 - QThread entry point
        while True:
            job = self._queue.get()
            if job is None:
                break
            result: Any = None
            error: BaseException | None = None
            try:
                result = self._execute(job)
            except BaseException as exc:  # noqa: BLE001 - delivered to the UI thread
                error = exc
            with self._lock:
                self._pending -= 1
            self._relay.finished.emit(job, result, error)
        # The application is going away: drop the key material with the connection.
        self._close_quietly()

    def _execute(self, job: _Job) -> Any:
        if job.kind == "open":
            self._close_quietly()
            vault = job.fn()
            self._vault = vault
            return None
        if job.kind == "close":
            vault, self._vault = self._vault, None
            if vault is None:
                return None
            try:
                if job.fn is not None:
                    job.fn(vault)
            finally:
                vault.close()
            return None
        if self._vault is None:
            raise NoVault("De kluis is vergrendeld.")
        return job.fn(self._vault)

    def _close_quietly(self) -> None:
        vault, self._vault = self._vault, None
        if vault is not None:
            try:
                vault.close()
            except Exception:  # noqa: BLE001 - closing on shutdown; nothing to tell anyone
                log.warning("Sluiten van de kluis mislukte", exc_info=False)


class _PoolTask(QRunnable):
    def __init__(self, fn: Callable[[], Any], job: _Job, relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._job = job
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001
            self._relay.finished.emit(self._job, None, exc)
        else:
            self._relay.finished.emit(self._job, result, None)


class TaskManager(QObject):
    """The QueryOp-style helper: vault work on one thread, other work on a pool."""

    def __init__(self, parent: QObject | None = None, *, pool_threads: int = 2) -> None:
        super().__init__(parent)
        self._relay = _Relay()
        self._worker = DbWorker(self._relay)
        self._worker.start()
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(pool_threads)
        self._stopped = False

    # --- vault work (one worker thread, FIFO) --------------------------------------

    def run_db(
        self,
        fn: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run ``fn(vault)`` on the vault thread; deliver the result on the UI thread."""
        self._submit(_Job(fn, on_done, on_error, "db", owner))

    def open_vault(
        self,
        opener: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``opener()`` (storage.open_vault / create_vault) on the vault thread.

        The returned Vault stays on that thread; later ``run_db`` jobs receive it.
        """
        self._submit(_Job(opener, on_done, on_error, "open"))

    def close_vault(
        self,
        before_close: Callable[[Any], None] | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """After every job queued so far: ``before_close(vault)``, then close the vault."""
        self._submit(_Job(before_close, on_done, on_error, "close"))  # type: ignore[arg-type]

    @property
    def busy(self) -> bool:
        """Whether vault jobs are queued or running."""
        return self._worker.pending > 0

    @property
    def vault_open(self) -> bool:
        return self._worker.has_vault

    def _submit(self, job: _Job) -> None:
        if self._stopped:
            # A late caller (a timer, a refresh after quitting) must not crash the event
            # loop: its error handler hears of it, or it is dropped -- never a dialog.
            if job.on_error is None:
                log.info("job after shutdown dropped (%s)", job.kind)
            else:
                self._relay.finished.emit(job, None, TasksStopped("the task manager has stopped"))
            return
        self._worker.submit(job)

    # --- other slow work (a small pool) -------------------------------------------

    def run_in_background(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run ``fn()`` on the pool (not the vault thread); for PDF and sync work."""
        job = _Job(fn, on_done, on_error, "pool", owner)
        self._pool.start(_PoolTask(fn, job, self._relay))

    # --- lifecycle -----------------------------------------------------------------

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Block the UI thread until queued vault jobs have run (only on shutdown/tests).

        Delivers their callbacks too. Returns False on timeout.
        """
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout_s
        while self._worker.pending > 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        QCoreApplication.processEvents()
        return True

    def shutdown(self, timeout_s: float = 15.0) -> None:
        """Let queued jobs finish, close the vault, stop the threads."""
        if self._stopped:
            return
        self._stopped = True
        self._worker.stop()
        if not self._worker.wait(int(timeout_s * 1000)):
            log.error("De databasethread stopte niet op tijd")
        self._pool.waitForDone(int(timeout_s * 1000))


class UiBlockWatchdog(QObject):
    """Logs a warning when the UI thread was blocked for longer than ``limit_ms``."""

    def __init__(self, limit_ms: int = 200, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._limit = limit_ms / 1000
        self._interval = 50
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        lag = now - self._last - self._interval / 1000
        self._last = now
        if lag > self._limit:
            log.warning("De interface was %d ms geblokkeerd", int(lag * 1000))
