"""Issue 9: a parentless Qt object must never be deleted off the UI thread.

A Qt object made in Python without a parent is deleted when its Python wrapper is freed,
on whatever thread frees it. Deleted on the vault thread, its running timer stayed
registered with the UI thread's event loop, which fired it at freed memory: the
segmentation faults in the test suite. These tests free such objects the two ways the
application used to, and check on which thread the wrapper goes.
"""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import pytest
from apphelpers import WAIT_MS
from PySide6.QtCore import QObject, QTimer

from desktop.tasks import TaskManager, UiThreadGc


@pytest.fixture
def tasks(qtbot: Any) -> Any:
    manager = TaskManager()
    opened: list[bool] = []

    class Vault:
        def close(self) -> None:
            pass

    manager.open_vault(Vault, lambda _: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    yield manager
    manager.shutdown()


class Ticker(QObject):
    """A parentless object with a running timer, like the application's watchdog."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.start()
        self.seen: list[Any] = []

    def take(self, value: Any) -> None:
        self.seen.append(value)


def freed_on(obj: Any) -> list[int]:
    """The thread that frees ``obj``'s wrapper (and so deletes its Qt object) lands here."""
    threads: list[int] = []
    weakref.finalize(obj, lambda: threads.append(threading.get_ident()))
    return threads


def test_a_job_s_callbacks_are_released_on_the_ui_thread(qtbot: Any, tasks: TaskManager) -> None:
    ticker = Ticker()
    threads = freed_on(ticker)
    delivered: list[Any] = []
    tasks.run_db(lambda vault: 7, on_done=lambda value, t=ticker: delivered.append(t.take(value)), owner=ticker)
    del ticker  # from now on only the job refers to it
    qtbot.waitUntil(lambda: bool(delivered), timeout=WAIT_MS)
    gate = threading.Event()
    tasks.run_db(lambda vault: gate.wait(WAIT_MS / 1000))  # the vault thread takes the next job
    qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    gate.set()
    assert threads == [threading.get_ident()]


def test_a_failing_job_leaves_no_cycle_that_holds_its_callbacks(qtbot: Any, tasks: TaskManager) -> None:
    ticker = Ticker()
    threads = freed_on(ticker)
    errors: list[BaseException] = []

    def fail(vault: Any, ticker: Any = ticker) -> None:
        raise KeyError("no such dossier")  # the frame's locals hold the ticker

    tasks.run_db(fail, on_error=errors.append, owner=ticker)
    del ticker, fail
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)  # noqa: F821 - deleted below on purpose
    assert isinstance(errors[0], KeyError) and errors[0].__traceback__ is not None
    del errors
    assert threads == [threading.get_ident()]  # freed at once, no collection needed


def test_garbage_cycles_are_collected_on_the_ui_thread_while_the_vault_thread_allocates(
    qtbot: Any, tasks: TaskManager
) -> None:
    ticker = Ticker()
    ticker.me = ticker  # a reference cycle: only the garbage collector frees it
    threads = freed_on(ticker)
    del ticker
    done: list[bool] = []

    def allocate(vault: Any) -> bool:
        keep = [[i] for i in range(200_000)]  # passes every collection threshold many times
        return len(keep) > 0

    tasks.run_db(allocate, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    keep = [[i] for i in range(2_000)]  # now the UI thread passes the threshold: its timer collects
    qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    assert threads == [threading.get_ident()] and keep
    assert UiThreadGc.active() and not gc.isenabled()  # the means: no automatic collection


def test_the_collector_comes_back_after_the_last_task_manager_stops(qtbot: Any) -> None:
    enabled = gc.isenabled()
    manager = TaskManager()
    assert not gc.isenabled()
    manager.shutdown()
    assert gc.isenabled() == enabled
