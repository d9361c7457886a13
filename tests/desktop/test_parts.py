"""Smaller parts: the task helper, the Dutch error mapping, the caseload filter."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from apphelpers import WAIT_MS
from pydantic import ValidationError
from PySide6.QtWidgets import QWidget

import storage
from desktop.caseload import CaseloadWindow
from desktop.errors import GENERIC, WRONG_PASSPHRASE, message_for
from desktop.newhousehold import NewHouseholdDialog
from desktop.tasks import NoVault, TaskManager, TasksStopped
from desktop.vaultdialogs import passphrase_strength
from forms import Address
from forms.summary import GesprekStatus


@pytest.fixture
def tasks() -> Any:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_vault_jobs_run_in_order_on_one_thread(qtbot: Any, tasks: TaskManager) -> None:
    class FakeVault:
        def close(self) -> None:
            pass

    opened: list[Any] = []
    tasks.open_vault(FakeVault, opened.append)
    seen: list[tuple[int, int]] = []
    results: list[int] = []
    for i in range(20):
        tasks.run_db(lambda v, i=i: seen.append((i, threading.get_ident())) or i, results.append)
    qtbot.waitUntil(lambda: len(results) == 20, timeout=WAIT_MS)
    assert results == list(range(20))  # FIFO, delivered on the UI thread in order
    assert len({t for _, t in seen}) == 1 and seen[0][1] != threading.get_ident()


def test_errors_go_to_on_error_and_locked_vault_raises_novault(qtbot: Any, tasks: TaskManager) -> None:
    errors: list[BaseException] = []
    tasks.run_db(lambda v: v.list_dossiers(), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0], NoVault)
    assert "vergrendeld" in message_for(errors[0])


def test_a_job_after_shutdown_reaches_its_error_handler_and_never_raises(qtbot: Any) -> None:
    """A late refresh after quitting must not raise in the event loop nor show a dialog."""
    manager = TaskManager()
    manager.shutdown()
    errors: list[BaseException] = []
    manager.run_db(lambda v: v.list_dossiers(), on_error=errors.append)
    manager.run_db(lambda v: v.list_dossiers())  # no handler: dropped quietly
    ran: list[bool] = []
    manager.run_in_background(lambda: ran.append(True), on_error=errors.append)  # pool work too
    manager.run_in_background(lambda: ran.append(True))
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=WAIT_MS)
    assert all(isinstance(e, TasksStopped) for e in errors) and ran == []


def test_pool_work_does_not_wait_for_the_vault(qtbot: Any, tasks: TaskManager) -> None:
    gate = threading.Event()

    class SlowVault:
        def close(self) -> None:
            pass

    tasks.open_vault(SlowVault)
    tasks.run_db(lambda v: gate.wait(5))
    done: list[str] = []
    tasks.run_in_background(lambda: "pdf", done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert tasks.busy
    gate.set()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)


def test_storage_errors_in_dutch() -> None:
    assert message_for(storage.WrongPassphrase("detail", wait_seconds=2)) == WRONG_PASSPHRASE
    for cls in (storage.VaultCorrupt, storage.VaultStorageError, storage.VaultBusy, storage.DossierNotFound):
        assert message_for(cls("english detail")) == cls.melding


def test_unknown_errors_are_generic_and_log_no_message(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise KeyError("Sanne Bakker, Voorbeeldstraat 12")
    except KeyError as exc:
        with caplog.at_level(logging.ERROR):
            text = message_for(exc)
    assert text == GENERIC
    assert "KeyError" in caplog.text and "test_parts.py" in caplog.text
    assert "Sanne" not in caplog.text and "Voorbeeldstraat" not in caplog.text


def test_validation_errors_use_the_forms_messages() -> None:
    with pytest.raises(ValidationError) as info:
        Address(huisnummer="12", postcode="12", plaats="X")
    assert "postcode" in message_for(info.value).lower()


def test_passphrase_strength_hint() -> None:
    assert passphrase_strength("kort")[0] == 0
    assert passphrase_strength("aaaaaaaaaaaaaa")[0] == 1
    assert passphrase_strength("fiets boom keuken tafel")[0] == 3


@dataclass(frozen=True)
class Listing:
    id: uuid.UUID
    titel: str
    adres: str
    postcode: str
    gewijzigd: dt.datetime
    status: GesprekStatus
    blokkerend: int
    onverzonden: int
    conflict: bool = False


def test_caseload_search_and_filters(qtbot: Any, tasks: TaskManager) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = [
        Listing(uuid.uuid4(), "Familie De Vries", "Kerkstraat 1, 1781 AB Den Helder", "1781 AB", now, GesprekStatus.CONCEPT, 3, 1),
        Listing(uuid.uuid4(), "Familie Öztürk", "Laan 7, 7602 CD Almelo", "7602 CD", now - dt.timedelta(days=2), GesprekStatus.KLAAR, 0, 0),
        Listing(uuid.uuid4(), "Familie Jansen", "Dorp 2, 1300 AA Almere", "1300 AA", now - dt.timedelta(days=9), GesprekStatus.GETEKEND, 0, 2),
    ]
    window = CaseloadWindow(tasks)
    qtbot.addWidget(window)
    window.set_listings(rows)
    assert window.listing_ids() == [r.id for r in rows]  # newest change first
    assert window.count_label.text() == "3 huishoudens"

    window.search.setText("7602cd")
    assert window.listing_ids() == [rows[1].id]
    window.search.setText("den helder vries")
    assert window.listing_ids() == [rows[0].id]
    window.search.clear()
    window.status.setCurrentIndex(window.status.findData(GesprekStatus.GETEKEND))
    assert window.listing_ids() == [rows[2].id]
    window.status.setCurrentIndex(0)
    window.only_gaps.setChecked(True)
    assert window.listing_ids() == [rows[0].id]
    window.only_gaps.setChecked(False)
    window.only_unsent.setChecked(True)
    assert set(window.listing_ids()) == {rows[0].id, rows[2].id}
    assert window.count_label.text() == "2 van 3 huishoudens"

    opened: list[Any] = []
    window.open_requested.connect(opened.append)
    window.table.setCurrentIndex(window.proxy.index(1, 0))
    window.open_selected()
    assert opened == [window.listing_ids()[1]]
    window.set_listings(list(reversed(rows)))  # a reload keeps the selection
    assert window.current_id() == opened[0]


def test_new_household_dialog_says_what_is_missing(qtbot: Any) -> None:
    dialog = NewHouseholdDialog()
    qtbot.addWidget(dialog)
    created: list[Any] = []
    dialog.created.connect(created.append)
    dialog.postcode.setText("12")
    dialog.buttons.accepted.emit()
    text = dialog.message.text()
    assert "Huisnummer: Vul dit in." in text and "Postcode:" in text and "Voornaam" in text
    assert not created
    for field, value in ((dialog.huisnummer, "4"), (dialog.postcode, "1234ab"), (dialog.plaats, "Almelo"),
                         (dialog.voornaam, "Ayşe"), (dialog.achternaam, "Kaya")):
        field.setText(value)
    dialog.buttons.accepted.emit()
    assert created and created[0].titel == "Familie Kaya"
    assert created[0].huishouden.adres.postcode == "1234 AB"


def _unnamed_controls(root: Any) -> list[str]:
    """Input controls without an accessible name (buttons with a text are named by it)."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit

    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton):
            if not (widget.accessibleName() or widget.text().replace("&", "").strip()):
                missing.append(f"{type(widget).__name__} {widget.objectName()}")
        elif isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)):
            if isinstance(widget.parent(), (QComboBox, QAbstractSpinBox, QAbstractItemView)):
                continue  # the inner parts of a combo box, date edit or table (its header)
            if not widget.accessibleName():
                missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def test_my_windows_name_every_control(qtbot: Any, tasks: TaskManager) -> None:
    from desktop.vaultdialogs import CreateVaultDialog, UnlockVaultDialog

    windows = [
        CaseloadWindow(tasks),
        CreateVaultDialog("kluis.db"),
        UnlockVaultDialog(demo_passphrase="demo-keukentafel"),
        NewHouseholdDialog(),
    ]
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        assert _unnamed_controls(window) == [], type(window).__name__


def test_workspace_frame_and_my_steps_name_every_control(qtbot: Any, tasks: TaskManager) -> None:
    from desktop.workspace import WorkspaceWindow
    from forms.demo import demo_dossier

    window = WorkspaceWindow(tasks, demo_dossier())
    qtbot.addWidget(window)
    window.show()
    for step_id in ("controle", "ondertekenen"):
        window.show_step(step_id)
        assert _unnamed_controls(window) == [], step_id


def test_button_calls_its_slot_without_the_checked_flag_and_relays_a_signal(qtbot: Any) -> None:
    from functools import partial

    from PySide6.QtCore import QObject, Signal

    from desktop.widgets import KEEP_ENABLED, button, label

    class Relay(QObject):
        asked = Signal()

    relay, calls = Relay(), []
    relay.asked.connect(lambda: calls.append("relayed"))
    plain = button("&Verder", lambda: calls.append("plain"), name="Verder gaan", tip="Naar de volgende stap",
                   object_name="primary", keep_enabled=True)
    with_default = button("Evaluatie", partial(calls.append, "evaluatie"))  # a lambda's default would take the flag
    for widget in (plain, with_default, button("Tijdlijn", relay.asked), button("x", relay.asked.emit)):
        qtbot.addWidget(widget)
        widget.setCheckable(True)  # clicked(bool) carries True now
        widget.click()
    assert calls == ["plain", "evaluatie", "relayed", "relayed"]
    assert (plain.accessibleName(), plain.toolTip(), plain.objectName()) == ("Verder gaan", "Naar de volgende stap", "primary")
    assert plain.property(KEEP_ENABLED) is True and with_default.property(KEEP_ENABLED) is None
    hint = label("Nog niet gevraagd", name="Stand", object_name="hint")
    assert hint.wordWrap() and hint.accessibleName() == "Stand" and not label("x", wrap=False).wordWrap()
