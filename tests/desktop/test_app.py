"""The application end to end on a real, temporary vault: create, lock, unlock, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apphelpers import PASSPHRASE, WAIT_MS, create_through_dialog, run_db, seed_vault, unlock_through_dialog
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from desktop.app import DEMO_PASSPHRASE, DEMO_VAULT_NAME, parse_args
from desktop.vaultdialogs import CreateVaultDialog, UnlockVaultDialog
from forms.demo import demo_dossier


def _new_household(qtbot: Any, app: Any) -> None:
    caseload = app.caseload
    caseload.new_button.click()
    dialog = caseload._new_dialog
    qtbot.keyClicks(dialog.straat, "Kerkstraat")
    qtbot.keyClicks(dialog.huisnummer, "3a")
    qtbot.keyClicks(dialog.postcode, "1781ab")
    qtbot.keyClicks(dialog.plaats, "Den Helder")
    qtbot.keyClicks(dialog.voornaam, "Fatima")
    qtbot.keyClicks(dialog.achternaam, "Jansen")
    dialog.buttons.accepted.emit()


def test_first_run_create_new_household_lock_unlock_same_place(qtbot: Any, make_app: Any, vault_path: Path) -> None:
    app = make_app()
    assert isinstance(app.dialog, CreateVaultDialog)
    assert not vault_path.exists()
    create_through_dialog(qtbot, app)
    assert vault_path.exists()
    caseload = app.caseload
    qtbot.waitUntil(lambda: caseload.count_label.text() == "0 huishoudens", timeout=WAIT_MS)
    assert caseload.empty.isVisibleTo(caseload)

    _new_household(qtbot, app)
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    workspace = app.workspace
    dossier_id = workspace.dossier.id
    assert workspace.dossier.titel == "Familie Jansen"
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 1, timeout=WAIT_MS)

    # Ctrl+PgDown twice: the third step.
    workspace.activateWindow()
    workspace.next_action.trigger()
    workspace.next_action.trigger()
    assert workspace.current_step_id == "leefgebieden"

    workspace.lock_action.trigger()  # Ctrl+L
    assert not app.is_unlocked
    assert isinstance(app.dialog, UnlockVaultDialog)
    assert app.registry.keys() == []
    qtbot.waitUntil(lambda: not app.tasks.busy and not app.tasks.vault_open, timeout=WAIT_MS)
    # Closed and deleted: no personal data left in widgets. deleteLater() runs when the
    # event loop gets to the deferred deletes; flush them instead of hoping it has.
    def deleted() -> bool:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return not isValid(workspace)

    qtbot.waitUntil(deleted, timeout=WAIT_MS)

    unlock_through_dialog(qtbot, app)
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    assert app.workspace is not workspace  # a fresh window, from the vault
    assert app.workspace.dossier.id == dossier_id
    assert app.workspace.current_step_id == "leefgebieden"

    # lock and unlock are in the audit log
    actions = []
    app.tasks.run_db(lambda v: [e.action for e in v.audit_log()], actions.extend)
    qtbot.waitUntil(lambda: bool(actions), timeout=WAIT_MS)
    assert "lock" in actions and actions.count("unlock") == 2


def test_ctrl_l_shortcut_locks(qtbot: Any, make_app: Any) -> None:
    app = make_app()
    create_through_dialog(qtbot, app)
    caseload = app.caseload
    caseload.activateWindow()
    caseload.setFocus()
    qtbot.waitUntil(caseload.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(caseload.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not app.is_unlocked
    assert isinstance(app.dialog, UnlockVaultDialog)


def test_wrong_passphrase_says_so_without_freezing(qtbot: Any, make_app: Any, vault_path: Path) -> None:
    seed_vault(vault_path)
    app = make_app()
    dialog = app.dialog
    assert isinstance(dialog, UnlockVaultDialog)
    qtbot.keyClicks(dialog.passphrase, "dit-is-niet-het-wachtwoord")
    dialog.ok_button.click()
    assert not dialog.passphrase.isEnabled()  # busy while the worker derives the key
    assert dialog.progress.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=WAIT_MS)
    assert dialog.message.text().startswith("Het wachtwoord klopt niet.")
    assert dialog.passphrase.isEnabled()
    assert not app.is_unlocked
    unlock_through_dialog(qtbot, app)  # waits out the 1 s delay in the worker


def test_create_refuses_short_or_different_passphrases(qtbot: Any, make_app: Any, vault_path: Path) -> None:
    app = make_app()
    dialog = app.dialog
    qtbot.keyClicks(dialog.passphrase, "kort")
    qtbot.keyClicks(dialog.repeat, "kort")
    assert "Te kort" in dialog.strength.text()
    dialog.ok_button.click()
    assert "minstens 12 tekens" in dialog.message.text()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.repeat.setText(PASSPHRASE + "x")
    dialog.ok_button.click()
    assert "niet gelijk" in dialog.message.text()
    assert not vault_path.exists()


def test_demo_mode_has_its_own_vault_with_the_demo_household(qtbot: Any, make_app: Any, vault_path: Path) -> None:
    app = make_app(demo=True)
    dialog = app.dialog
    assert isinstance(dialog, UnlockVaultDialog)
    assert "DEMO" in dialog.windowTitle()
    assert dialog.passphrase.text() == DEMO_PASSPHRASE
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: app.is_unlocked and app.caseload is not None, timeout=WAIT_MS)
    caseload = app.caseload
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 1, timeout=WAIT_MS)
    assert caseload.model.listing(0).titel == demo_dossier().titel
    assert caseload.windowTitle().startswith("DEMO")
    assert app.vault_path == vault_path.with_name(DEMO_VAULT_NAME)
    assert app.vault_path.exists() and not vault_path.exists()

    caseload.table.setCurrentIndex(caseload.model.index(0, 0))
    qtbot.keyClick(caseload.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    assert "DEMO" in app.workspace.windowTitle()
    # the demo household has a history: intake and first evaluatie stored with their verslag,
    # the second evaluatie in progress
    assert "Evaluatie 2 — Familie" in app.workspace.windowTitle()
    versions = run_db(qtbot, app.tasks, lambda vault: vault.list_versions(app.workspace.dossier.id))
    assert [v.versie for v in versions] == [1, 2] and all(v.has_pdf for v in versions)


def test_idle_time_locks(qtbot: Any, make_app: Any) -> None:
    app = make_app(idle_minutes=0.005)  # 300 ms
    create_through_dialog(qtbot, app)
    qtbot.waitUntil(lambda: not app.is_unlocked, timeout=WAIT_MS)
    assert isinstance(app.dialog, UnlockVaultDialog)
    assert app.registry.keys() == []


def test_parse_args() -> None:
    args = parse_args(["--vault", "/tmp/x.db", "--demo", "--idle-minutes", "2"])
    assert args.vault == Path("/tmp/x.db") and args.demo and args.idle_minutes == 2
    assert parse_args([]).vault is None


def test_lock_closes_an_open_question_too(qtbot: Any, make_app: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    app = make_app()
    create_through_dialog(qtbot, app)
    box = QMessageBox(QMessageBox.Icon.Question, "Verwijderen", "Sanne verwijderen?", parent=app.caseload)
    box.setModal(True)
    box.show()
    assert QApplication.activeModalWidget() is box
    app.lock()
    assert not box.isVisible()
    assert isinstance(app.dialog, UnlockVaultDialog)


def test_idle_minutes_come_from_the_vault_setting(qtbot: Any, make_app: Any) -> None:
    from desktop.app import IDLE_SETTING

    app = make_app(idle_minutes=None)
    create_through_dialog(qtbot, app)
    assert app.idle.timeout_ms == 5 * 60_000  # the default
    done: list[bool] = []
    app.tasks.run_db(lambda v: v.set_setting(IDLE_SETTING, 0.005), lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    app.lock()
    unlock_through_dialog(qtbot, app)
    assert app.idle.timeout_ms == 300
    qtbot.waitUntil(lambda: not app.is_unlocked, timeout=WAIT_MS)  # locked again when idle
