"""Windows that fit and remember their size, the wheel guard, focus after a step change,
the "Sneltoetsen" overview and Qt's own texts in Dutch (issue 14; offscreen)."""

from __future__ import annotations

from typing import Any

from apphelpers import WAIT_MS
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QScrollArea, QVBoxLayout, QWidget

from forms.demo import demo_dossier


def _wheel(widget: QWidget, delta: int = -120) -> None:
    pos = QPointF(widget.rect().center())
    event = QWheelEvent(
        pos,
        QPointF(widget.mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_page_over_an_unfocused_choice_and_changes_a_focused_one(qtbot: Any) -> None:
    from desktop.fit import WheelGuard

    guard = WheelGuard()
    QApplication.instance().installEventFilter(guard)
    try:
        area = QScrollArea()
        inner = QWidget()
        column = QVBoxLayout(inner)
        other = QComboBox()
        combo = QComboBox()
        combo.addItems(["een", "twee", "drie"])
        column.addWidget(other)
        column.addWidget(combo)
        column.addSpacing(2000)
        area.setWidget(inner)
        area.resize(300, 200)
        qtbot.addWidget(area)
        area.show()
        qtbot.waitExposed(area)
        area.activateWindow()
        qtbot.waitUntil(area.isActiveWindow, timeout=WAIT_MS)
        other.setFocus()
        _wheel(combo)
        assert combo.currentIndex() == 0
        assert area.verticalScrollBar().value() > 0  # the page scrolled instead
        combo.setFocus()
        qtbot.waitUntil(combo.hasFocus, timeout=WAIT_MS)
        _wheel(combo)
        assert combo.currentIndex() == 1
    finally:
        QApplication.instance().removeEventFilter(guard)


def test_qt_dialog_buttons_speak_dutch() -> None:
    from desktop.dutch import documents_folder, install_dutch

    app = QApplication.instance()
    assert install_dutch(app)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Annuleren", "Opslaan"}, texts
    assert "keukentafel" not in documents_folder("verslag.pdf").lower().split("/")[-2:][0]


def test_a_window_opens_inside_the_screen_and_remembers_its_size(qtbot: Any) -> None:
    from desktop.fit import place_window, save_window_size

    available = QGuiApplication.primaryScreen().availableGeometry()
    window = QWidget()
    qtbot.addWidget(window)
    place_window(window, "proef", (available.width() * 2, available.height() * 2))
    assert window.width() <= available.width() and window.height() <= available.height()
    assert available.contains(window.geometry())
    window.resize(500, 300)
    save_window_size(window, "proef")
    again = QWidget()
    qtbot.addWidget(again)
    place_window(again, "proef", (900, 700))
    assert again.size() == QSize(500, 300)


def test_after_a_step_change_the_focus_is_on_the_first_field_of_the_new_step(qtbot: Any, open_workspace: Any) -> None:
    from desktop.fit import first_field

    ws = open_workspace(demo_dossier())
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)
    ws.step_list.setFocus()
    qtbot.keyClick(ws.step_list, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    page = ws.page("contact")
    assert ws.current_step_id == "contact"
    assert QApplication.focusWidget() is first_field(page) is not None
    # arrows in the step list move the selection and leave the focus in the list
    ws.step_list.setFocus()
    qtbot.keyClick(ws.step_list, Qt.Key.Key_Down)
    assert ws.current_step_id == "leefgebieden" and QApplication.focusWidget() is ws.step_list
    qtbot.keyClick(ws.step_list, Qt.Key.Key_Return)
    assert ws.page("leefgebieden").isAncestorOf(QApplication.focusWidget())


def test_f1_shows_the_shortcuts_of_the_window(qtbot: Any, open_workspace: Any) -> None:
    from desktop.shortcuts import ShortcutsDialog

    ws = open_workspace(demo_dossier())
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(ws, Qt.Key.Key_F1)
    dialog = ws.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    assert "Ctrl+PgDown" in dialog.table.text() and "Volgende stap" in dialog.table.text()
    dialog.reject()


def test_a_narrow_workspace_folds_the_step_list_away_and_the_button_brings_it_back(
    qtbot: Any, open_workspace: Any
) -> None:
    ws = open_workspace(demo_dossier())
    ws.resize(683, 384)
    qtbot.waitUntil(lambda: not ws.side.isVisible(), timeout=WAIT_MS)
    assert not ws.steps_button.isChecked()
    ws.steps_button.click()
    assert ws.side.isVisible()
    ws.resize(690, 384)  # the user's choice holds
    assert ws.side.isVisible()
