"""Stress (issue 9): in one process, what the suite does across its tests.

Several applications one after the other, each on a vault of its own: create the vault,
then lock and unlock it again and again while the vault thread is kept busy with slow
jobs; open two workspaces and the settings dialog while their loads are still queued, edit
(autosave in flight), close a workspace and the dialog while their jobs run, lock with all
of that open, and shut down with jobs still queued. A finished application is left in a
reference cycle while the next one's vault thread works, so the garbage collector frees it
then -- the situation in which the suite used to crash.

Checked: every job got its answer, every edit reached the vault in order, the audit log
has every lock and unlock, no error was shown, and every application was freed on the UI
thread.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from typing import Any

import pytest
from apphelpers import PASSPHRASE, WAIT_MS, create_through_dialog, unlock_through_dialog
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

import storage
from desktop.app import KeukentafelApp
from desktop.tasks import NoVault, TasksStopped
from forms.demo import demo_dossier

APPS = 4
CYCLES = 7  # lock/unlock rounds per application
SLOW_JOBS = 6  # queued before each burst of window work
SLOW_JOB_S = 0.004


class Outcomes:
    """Answers of the slow jobs: a result, or NoVault (queued while locked)."""

    def __init__(self) -> None:
        self.sent = 0
        self.done = 0
        self.refused = 0
        self.other: list[BaseException] = []

    def queue_on(self, app: Any, n: int = SLOW_JOBS) -> None:
        for _ in range(n):
            self.sent += 1
            app.tasks.run_db(self._slow, self._done, self._failed)

    @staticmethod
    def _slow(vault: Any) -> int:
        """Reads every dossier: the vault thread allocates (and so, before the fix, ran
        the garbage collector) like a real caseload refresh."""
        time.sleep(SLOW_JOB_S)
        return len([vault.load(row.id).model_dump() for row in vault.list_dossiers()])

    def _done(self, _count: int) -> None:
        self.done += 1

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, (NoVault, TasksStopped)):
            self.refused += 1
        else:
            self.other.append(exc)

    @property
    def answered(self) -> int:
        return self.done + self.refused + len(self.other)


def error_boxes() -> list[str]:
    return [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def save(qtbot: Any, app: Any, dossier: Any) -> None:
    done: list[Any] = []
    app.tasks.run_db(lambda vault: vault.save(dossier), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)


def test_hundreds_of_vault_and_window_lifecycles_in_one_process(qtbot: Any, tmp_path: Any) -> None:
    ui_thread = threading.get_ident()
    freed_on: list[int] = []
    outcomes = Outcomes()
    events = 0  # vaults created, windows and dialogs opened or closed, locks, unlocks, shutdowns
    expected: dict[Any, tuple[str, Any]] = {}  # vault path -> (typed hulpvraag, dossier id)

    previous: Any = None
    for n in range(APPS):
        path = tmp_path / f"kluis-{n}.db"
        app = KeukentafelApp(path, idle_minutes=5)
        weakref.finalize(app, lambda: freed_on.append(threading.get_ident()))
        app.start()
        create_through_dialog(qtbot, app)
        events += 1
        first, second = demo_dossier(), demo_dossier()
        save(qtbot, app, first)
        save(qtbot, app, second)
        text = first.hulpvraag.tekst

        for cycle in range(CYCLES):
            outcomes.queue_on(app)  # the vault thread is busy from here on
            if previous is not None:
                # The finished application, held only by a fresh reference cycle (as an
                # exception's traceback held one in the suite): freed by the next
                # collection, while this application's vault thread allocates.
                holder = [previous, None]
                holder[1] = holder
                previous = holder = None
            app.open_dossier(first.id, step="hulpvraag")  # loads queue behind the slow jobs
            app.open_dossier(second.id)
            dialog = app.caseload.open_settings()  # loads its values behind them too
            events += 3
            if cycle % 2:
                dialog.reject()  # closed while its load is still queued
            qtbot.waitUntil(lambda: len(app.registry.keys()) == 3, timeout=WAIT_MS)  # caseload + 2  # noqa: B023, F821 - app is deleted later in the loop on purpose

            workspace = app.registry.get(f"dossier:{first.id}")
            edit = workspace.page("hulpvraag").hulpvraag_edit
            chunk = f" [{n}.{cycle}]"
            edit.moveCursor(QTextCursor.MoveOperation.End)
            edit.insertPlainText(chunk)  # an autosave is now pending
            text += chunk
            outcomes.queue_on(app, 2)
            if cycle % 3 == 0:
                other = app.registry.get(f"dossier:{second.id}")
                other.close()  # closed while jobs run; deleted later
            if cycle % 2 == 0:
                workspace.flush()  # a save in flight while we lock
            app.lock()  # dialog, workspaces and jobs still around
            events += 1 + 4  # the lock; it closes the caseload, both workspaces, the dialog
            outcomes.queue_on(app, 2)  # queued after the close: refused, never lost
            unlock_through_dialog(qtbot, app)
            events += 1 + 1  # the unlock; a new caseload
            assert error_boxes() == []

        outcomes.queue_on(app)
        app.shutdown()  # with slow jobs still queued: they run first, then the vault closes
        events += 1
        assert not app.tasks.vault_open
        expected[path] = (text, first.id)
        previous = app
        del app, dialog, workspace, edit, other

    qtbot.waitUntil(lambda: outcomes.answered == outcomes.sent, timeout=WAIT_MS)
    del previous
    gc.collect()
    assert events >= 250
    assert outcomes.other == [] and outcomes.done > 0 and outcomes.refused > 0
    assert error_boxes() == []
    assert len(freed_on) == APPS and set(freed_on) == {ui_thread}

    for path, (text, dossier_id) in expected.items():
        with storage.open_vault(path, PASSPHRASE) as vault:
            assert vault.load(dossier_id).hulpvraag.tekst == text  # every edit, in order
            actions = [e.action for e in vault.audit_log()]
        assert actions.count("lock") == CYCLES and actions.count("unlock") == CYCLES + 1


@pytest.fixture(autouse=True)
def _no_vault_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("KEUKENTAFEL_VAULT", str(tmp_path / "unused.db"))
