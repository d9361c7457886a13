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

Threads and object lifetimes. A Qt object created in Python without a parent (the
application controller, a window, a dialog) is deleted when its Python wrapper is
freed, on whatever thread frees it; deleted off the UI thread, its active timers stay
registered with the UI thread's event loop, which then fires them at freed memory (a
segmentation fault, seen as issue 9). Two rules keep every such delete on the UI thread:

- a job's references (its function, callbacks, owner, result, exception) are held by
  the UI thread's table of jobs in flight until the UI thread delivers the result; the
  vault thread and the pool drop their own references *before* they hand the result
  back, so the last reference is always dropped on the UI thread. Exceptions from jobs
  lose their frames' local variables (the traceback's lines stay) so they cannot tie
  anything into a reference cycle;
- while a :class:`TaskManager` runs, Python's cyclic garbage collector runs only on the
  UI thread (:class:`UiThreadGc`): otherwise it runs on whichever thread happens to
  allocate, and a cycle holding a window or the controller was freed on the vault
  thread.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, QTimer, Signal, Slot
from shiboken6 import isValid

if TYPE_CHECKING:  # storage loads with the vault, not with the application
    from storage import Vault

__all__ = ["TaskManager", "NoVault", "TasksStopped", "UiBlockWatchdog", "UiThreadGc"]

log = logging.getLogger("keukentafel.tasks")
Done = Callable[[Any], None] | None  # a job's result, on the UI thread
Failed = Callable[[BaseException], None] | None  # its exception, on the UI thread (None: show_error)


class NoVault(RuntimeError):
    """A vault job ran while the vault was locked (closed)."""


class TasksStopped(RuntimeError):
    """A job submitted after :meth:`TaskManager.shutdown`; it did not run."""


@dataclass(eq=False)
class _Job:
    fn: Callable[..., Any]
    on_done: Done
    on_error: Failed
    kind: str  # "db" (fn(vault)), "open" (fn() -> vault), "close" (fn(vault) before close), "pool"
    owner: QObject | None = None
    ticket: int = 0
    result: Any = None
    error: BaseException | None = None


def _strip(exc: BaseException) -> BaseException:
    """Drop the local variables of the exception's finished frames (a job's closure, a
    window's ``self``): a traceback keeps them alive and often in a reference cycle.
    Function names and line numbers stay for the log."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__
    return exc


class _Relay(QObject):
    """Lives on the UI thread and holds the jobs in flight; the worker emits a ticket,
    Qt queues the call to the UI thread, which takes the job out of the table there."""

    finished = Signal(int)  # ticket

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[int, _Job] = {}
        self._lock = threading.Lock()
        self._next = 0
        self.finished.connect(self._deliver)

    def register(self, job: _Job) -> _Job:
        """Keep ``job`` until its result is delivered (any thread may submit)."""
        with self._lock:
            self._next += 1
            job.ticket = self._next
            self._jobs[job.ticket] = job
        return job

    def send(self, ticket: int) -> None:
        """From the worker or the pool, holding no reference to the job any more."""
        try:
            self.finished.emit(ticket)
        except RuntimeError:  # pragma: no cover - the task manager was deleted meanwhile
            pass

    @Slot(int)
    def _deliver(self, ticket: int) -> None:
        with self._lock:
            job = self._jobs.pop(ticket, None)
        if job is None:  # pragma: no cover
            return
        result, error, job.result, job.error = job.result, job.error, None, None
        if job.owner is not None and not isValid(job.owner):  # its receiver was deleted meanwhile
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


class DbWorker(QThread):
    """The one thread that talks to the vault."""

    def __init__(self, relay: _Relay) -> None:
        super().__init__()
        self.setObjectName("keukentafel-db")
        self._relay = relay
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._vault: Vault | None = None
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
            try:
                job.result = self._execute(job)
            except BaseException as exc:  # noqa: BLE001 - delivered to the UI thread
                job.error = _strip(exc)
            ticket = job.ticket
            # The relay's table holds the job; dropping ours first means the UI thread
            # drops the last reference (and so deletes any Qt object it holds) there.
            del job
            with self._lock:
                self._pending -= 1
            self._relay.send(ticket)
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
    """Runs ``job.fn()`` on a pool thread. The runnable is deleted on that thread, so it
    lets go of the job (kept by the relay's table) before it hands the result back."""

    def __init__(self, job: _Job, relay: _Relay) -> None:
        super().__init__()
        self._job: _Job | None = job
        self._relay = relay

    def run(self) -> None:
        job, self._job = self._job, None
        assert job is not None
        try:
            job.result = job.fn()
        except BaseException as exc:  # noqa: BLE001 - delivered to the UI thread
            job.error = _strip(exc)
        ticket = job.ticket
        del job
        self._relay.send(ticket)


class TaskManager(QObject):
    """The QueryOp-style helper: vault work on one thread, other work on a pool."""

    def __init__(self, parent: QObject | None = None, *, pool_threads: int = 2) -> None:
        super().__init__(parent)
        UiThreadGc.acquire()  # before any other thread runs Python code
        self._relay = _Relay(self)  # a child: never deleted by a wrapper freed elsewhere
        self._worker = DbWorker(self._relay)
        self._worker.start()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(pool_threads)
        self._stopped = False

    # --- vault work (one worker thread, FIFO) --------------------------------------

    def run_db(
        self, fn: Callable[[Vault], Any], on_done: Done = None, on_error: Failed = None, *, owner: QObject | None = None
    ) -> None:
        """Run ``fn(vault)`` on the vault thread; deliver the result on the UI thread."""
        self._submit(_Job(fn, on_done, on_error, "db", owner))

    def open_vault(self, opener: Callable[[], Vault], on_done: Done = None, on_error: Failed = None) -> None:
        """Run ``opener()`` (storage.open_vault / create_vault) on the vault thread.

        The returned Vault stays on that thread; later ``run_db`` jobs receive it.
        """
        self._submit(_Job(opener, on_done, on_error, "open"))

    def close_vault(
        self, before_close: Callable[[Vault], None] | None = None, on_done: Done = None, on_error: Failed = None
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
        if not self._refused(job):
            self._worker.submit(self._relay.register(job))

    def _refused(self, job: _Job) -> bool:
        """After :meth:`shutdown` no job runs (its threads are stopped, UiThreadGc released).
        A late caller (a timer, a refresh after quitting) must not crash the event loop:
        its error handler hears of it, or it is dropped -- never a dialog."""
        if not self._stopped:
            return False
        if job.on_error is None:
            log.info("job after shutdown dropped (%s)", job.kind)
        else:
            job.error = TasksStopped("the task manager has stopped")
            self._relay.send(self._relay.register(job).ticket)
        return True

    # --- other slow work (a small pool) -------------------------------------------

    def run_in_background(
        self, fn: Callable[[], Any], on_done: Done = None, on_error: Failed = None, *, owner: QObject | None = None
    ) -> None:
        """Run ``fn()`` on the pool (not the vault thread); for PDF and sync work."""
        job = _Job(fn, on_done, on_error, "pool", owner)
        if not self._refused(job):
            self._pool.start(_PoolTask(self._relay.register(job), self._relay))

    # --- lifecycle -----------------------------------------------------------------

    def shutdown(self, timeout_s: float = 15.0) -> None:
        """Let queued jobs finish, close the vault, stop the threads."""
        if self._stopped:
            return
        self._stopped = True
        self._worker.stop()
        stopped = self._worker.wait(int(timeout_s * 1000))
        if not stopped:
            log.error("De databasethread stopte niet op tijd")
        stopped = self._pool.waitForDone(int(timeout_s * 1000)) and stopped
        if stopped:
            UiThreadGc.release()


class UiBlockWatchdog(QObject):
    """Logs a warning when the UI thread was blocked for longer than ``limit_ms``."""

    def __init__(self, limit_ms: int = 200, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._limit = limit_ms / 1000
        # A tick every 250 ms finds any block over the limit (the lag is measured against
        # the interval); a shorter one only costs wake-ups of an idle laptop on battery.
        self._interval = 250
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.monotonic()
        lag = now - self._last - self._interval / 1000
        self._last = now
        if lag > self._limit:
            log.warning("De interface was %d ms geblokkeerd", int(lag * 1000))


class UiThreadGc(QObject):
    """Python's cyclic garbage collector, on the UI thread only, while worker threads run.

    CPython runs a collection on whichever thread allocates when the counters pass their
    thresholds: with the vault thread busy, that is often the vault thread. A collected
    cycle that holds a parentless Qt object (the application controller, a window) then
    deletes it there -- off the UI thread, with its timers still registered with the UI
    thread's event loop (issue 9). While at least one :class:`TaskManager` runs, automatic
    collection is off and a timer on the UI thread collects instead, by CPython's own
    rules (the thresholds, and a full collection only when the objects that survived into
    the oldest generation since the last one are a quarter of those that were there); after
    the last one stops, the previous setting returns. What lives when the first one starts
    is frozen (``gc.freeze``): full collections on the UI thread stay short.
    """

    INTERVAL_MS = 500  # how long a cycle may wait; each tick is a wake-up of an idle app
    _instance: UiThreadGc | None = None
    _users = 0
    _was_enabled = True

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._long_lived = len(gc.get_objects(generation=2))

    @classmethod
    def acquire(cls) -> None:
        """A TaskManager starts (on the UI thread)."""
        if cls._instance is None:
            # Once, at start-up: what lives now (modules, classes) lives for good; frozen,
            # the full collections that follow (on the UI thread) need not walk it again.
            gc.collect()
            gc.freeze()
            cls._instance = UiThreadGc()  # kept by the class: never garbage itself
        if cls._users == 0:
            cls._was_enabled = gc.isenabled()
            gc.disable()
            cls._instance._timer.start()
        cls._users += 1

    @classmethod
    def release(cls) -> None:
        """A TaskManager's threads have stopped (on the UI thread)."""
        if cls._users == 0:
            return
        cls._users -= 1
        if cls._users == 0 and cls._instance is not None:
            cls._instance._timer.stop()
            cls._instance.collect()
            if cls._was_enabled:
                gc.enable()

    @classmethod
    def active(cls) -> bool:
        return cls._users > 0

    def collect(self) -> None:
        """What CPython's automatic collection would do now, here."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for gen in range(3):
            if thresholds[gen] and counts[gen] > thresholds[gen]:
                generation = gen
        if generation < 0:
            return
        if generation == 2:
            pending = len(gc.get_objects(generation=2)) - self._long_lived
            if pending < self._long_lived // 4:
                generation = 1  # as CPython: a full collection only when it pays off
        gc.collect(generation)
        if generation == 2:
            self._long_lived = len(gc.get_objects(generation=2))
