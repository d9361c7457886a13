"""Helpers for the desktop tests (imported by the test modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PASSPHRASE = "keukentafel-test-wachtwoord"
WAIT_MS = 10_000


def create_through_dialog(qtbot: Any, app: Any, passphrase: str = PASSPHRASE) -> None:
    from desktop.vaultdialogs import CreateVaultDialog

    dialog = app.dialog
    assert isinstance(dialog, CreateVaultDialog)
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClicks(dialog.repeat, passphrase)
    # The signal, not polling the state: with a short idle time (a test of the lock) the
    # application may lock again before a poll on a loaded machine sees it unlocked.
    with qtbot.waitSignal(app.unlocked, timeout=WAIT_MS):
        dialog.ok_button.click()  # unlocked: the caseload is shown before the signal


def unlock_through_dialog(qtbot: Any, app: Any, passphrase: str = PASSPHRASE) -> None:
    dialog = app.dialog
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, passphrase)
    with qtbot.waitSignal(app.unlocked, timeout=WAIT_MS):
        dialog.ok_button.click()  # unlocked: the caseload is shown before the signal


def run_db(qtbot: Any, tasks: Any, fn: Any) -> Any:
    """``fn(vault)`` on the vault thread of ``tasks``; its result, or its exception raised here."""
    box: list[Any] = []
    errors: list[BaseException] = []
    tasks.run_db(fn, box.append, errors.append)
    qtbot.waitUntil(lambda: bool(box or errors), timeout=WAIT_MS)
    if errors:
        raise errors[0]
    return box[0]


def seed_vault(path: Path, *dossiers: Any, passphrase: str = PASSPHRASE) -> None:
    import storage

    vault = storage.create_vault(path, passphrase)
    try:
        for dossier in dossiers:
            vault.save(dossier)
    finally:
        vault.close()


def shown(qtbot: Any, page: Any) -> Any:
    """A step page shown at 1366×768 and active, as the workspace shows it."""
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page


def has_focus(qtbot: Any, widget: Any) -> bool:
    """Wait until ``widget`` has the keyboard focus (fails the test after a second)."""
    from PySide6.QtWidgets import QApplication

    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)
    return True


def confirm_finalise(qtbot: Any, page: Any, *, accept: bool = True) -> Any:
    """After a click on "Gesprek definitief maken": answer the confirmation (issue 11).

    Returns the dialog's text (what it said would become final)."""
    qtbot.waitUntil(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible(), timeout=WAIT_MS)
    dialog = page.confirm_dialog
    text = dialog.text()
    (dialog.confirm_button if accept else dialog.cancel_button).click()
    return text
