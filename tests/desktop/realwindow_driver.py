"""Drives the real application in a real X window (tests/desktop/test_real_window.py).

    python tests/desktop/realwindow_driver.py REPORT.json SHOTDIR -- --demo --vault PATH

Starts ``desktop.app.main`` (the ``keukentafel`` command) with the given arguments and,
from a timer inside its event loop, does what a person does with the keyboard: Enter in
the unlock dialog, Enter on the first household of the caseload, then Ctrl+PgDown through
every step of the workspace. On every screen it records what a person would trip over:

- ``outside``: a top-level window not inside the screen's available geometry;
- ``unreachable``: an interactive widget that, scrolled into view inside its page, is
  still clipped by a parent (or the page scrolls sideways);
- ``elided``: a label, button or column header whose text does not fit;
- ``mnemonics``: an Alt+letter used twice among the visible widgets of one window;
- ``focus``: after a step change, the focus not on an input of the new page.

It writes a screenshot of the whole screen per screen to SHOTDIR, the report as JSON, and
quits the application the way a person does (closing the caseload).
"""

from __future__ import annotations

import json
import re
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit)
INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QCheckBox, QRadioButton)

report: dict[str, Any] = defaultdict(list)
report["screens"] = []
report["exceptions"] = []


def _problem(kind: str, screen: str, text: str) -> None:
    entry = f"{screen}: {text}"
    if entry not in report[kind]:
        report[kind].append(entry)


def _name(widget: QWidget) -> str:
    for attr in ("text", "title"):
        getter = getattr(widget, attr, None)
        if callable(getter):
            try:
                value = getter()
            except TypeError:
                continue
            if isinstance(value, str) and value.strip():
                return f"{type(widget).__name__} {value.strip()[:40]!r}"
    return f"{type(widget).__name__} {widget.accessibleName() or widget.objectName() or '?'!r}"


def _settle(ms: int = 150) -> None:
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def _wait(condition: Any, timeout_s: float = 30.0) -> Any:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        QApplication.processEvents()
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError("waited in vain")


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _visible_top_levels() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow() and not w.inherits("QMenu")]


def check_inside_screen(screen_name: str) -> None:
    for window in _visible_top_levels():
        screen = window.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        # A maximised window is the window manager's to fit (at 125 % its frame is off by a
        # few rounded pixels): its client area must fit; any other window with its frame.
        frame = window.geometry() if window.isMaximized() else window.frameGeometry()
        too_big = window.width() > available.width() or window.height() > available.height()
        if too_big or not available.adjusted(-1, -1, 1, 1).contains(frame):  # 1 px: rounding at 125 %
            _problem(
                "outside",
                screen_name,
                f"window {window.windowTitle()!r} {frame.getRect()} not inside {available.getRect()}",
            )


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def check_mnemonics(screen_name: str) -> None:
    for window in _visible_top_levels():
        seen: dict[str, list[str]] = defaultdict(list)
        for widget in window.findChildren(QWidget):
            if not widget.isVisibleTo(window) or widget.window() is not window:
                continue
            text = ""
            if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
                text = widget.text()
            elif isinstance(widget, QGroupBox) and widget.isCheckable():
                text = widget.title()
            if isinstance(widget, QTabWidget):
                for i in range(widget.count()):
                    key = _mnemonic(widget.tabText(i))
                    if key:
                        seen[key].append(f"tab {widget.tabText(i)!r}")
            key = _mnemonic(text) if text else None
            if key:
                seen[key].append(repr(text))
        for key, owners in seen.items():
            if len(owners) > 1:
                _problem("mnemonics", screen_name, f"{window.windowTitle()!r}: Alt+{key.upper()} on {', '.join(owners)}")


def _clipped(widget: QWidget, *, slack: int = 1) -> str:
    """Which ancestor cuts off part of ``widget`` ("" if none)."""
    rect = QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        prect = QRect(parent.mapTo(widget.window(), QPoint(0, 0)), parent.size())
        visible = rect.intersected(prect)
        if visible.width() < rect.width() - slack or visible.height() < rect.height() - slack:
            return f"{type(parent).__name__} {parent.objectName()!r} {parent.width()}x{parent.height()} shows {visible.width()}x{visible.height()}"
        parent = parent.parentWidget()
    win = widget.window().rect()
    visible = rect.intersected(win)
    if visible.width() < rect.width() - slack or visible.height() < rect.height() - slack:
        return f"the window shows {visible.width()}x{visible.height()}"
    return ""


def _scroll_into_view(widget: QWidget) -> None:
    """Scroll each scroll area around ``widget`` so all of it shows (a person scrolling to it)."""
    area = widget.parentWidget()
    while area is not None:
        if isinstance(area, QScrollArea) and area.widget() is not None and area.widget().isAncestorOf(widget):
            top_left = widget.mapTo(area.widget(), QPoint(0, 0))
            for bar, start, length, room in (
                (area.verticalScrollBar(), top_left.y(), widget.height(), area.viewport().height()),
                (area.horizontalScrollBar(), top_left.x(), widget.width(), area.viewport().width()),
            ):
                if start < bar.value() or length > room:
                    bar.setValue(start)
                elif start + length > bar.value() + room:
                    bar.setValue(start + length - room)
        area = area.parentWidget()


def check_reachable(screen_name: str, root: QWidget) -> None:
    """Every interactive widget under ``root``: scroll it into view in its scroll area, then it
    must be whole on screen; forms must not scroll sideways."""
    areas = [a for a in root.findChildren(QScrollArea) if _shown(a)]
    if isinstance(root, QScrollArea):
        areas.append(root)
    for area in areas:
        if area.horizontalScrollBar().maximum() > 0 and not isinstance(area, QAbstractItemView):
            _problem(
                "unreachable",
                screen_name,
                f"scrolls sideways by {area.horizontalScrollBar().maximum()} px ({area.objectName() or 'page'})",
            )
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not _shown(widget) or (not widget.isEnabled() and False):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(widget, QAbstractButton):
            continue
        # internal parts of composite widgets (spin box line edits, scroll bar buttons)
        parent = widget.parentWidget()
        if isinstance(parent, (QAbstractSpinBox, QComboBox)) or widget.objectName().startswith("qt_"):
            continue
        _scroll_into_view(widget)
        QApplication.processEvents()
        clipper = _clipped(widget)
        if clipper:
            _problem("unreachable", screen_name, f"{_name(widget)} {widget.width()}x{widget.height()} clipped: {clipper}")


def check_elided(screen_name: str, root: QWidget) -> None:
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget) or (widget.isWindow() and widget is not root and False):  # noqa: SIM223 - a check switched off on purpose, kept visible
            continue
        if isinstance(widget, QLabel):
            if not widget.text().strip() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
                continue
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height() + 2:
                    _problem("elided", screen_name, f"{_name(widget)} needs {need} px high, has {widget.height()}")
            else:
                need = widget.minimumSizeHint().width()
                if need > widget.width() + 2:
                    _problem("elided", screen_name, f"{_name(widget)} needs {need} px wide, has {widget.width()}")
        elif isinstance(widget, (QPushButton, QCheckBox, QRadioButton)) and widget.text().strip():
            need = widget.sizeHint().width() if isinstance(widget, QPushButton) else widget.minimumSizeHint().width()
            if need > widget.width() + 2:
                _problem("elided", screen_name, f"{_name(widget)} needs {need} px wide, has {widget.width()}")
            high = widget.minimumSizeHint().height()
            if high > widget.height() + 2:  # squashed: its text drawn over its neighbours
                _problem("elided", screen_name, f"{_name(widget)} needs {high} px high, has {widget.height()}")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            model = widget.model()
            for section in range(widget.count()):
                if widget.isSectionHidden(section):
                    continue
                text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                need = widget.sectionSizeFromContents(section).width()
                have = widget.sectionSize(section)
                if text and need > have + 2:
                    _problem("elided", screen_name, f"column header {text!r} needs {need} px, has {have}")


def check_focus(screen_name: str, page: QWidget) -> None:
    focus = QApplication.focusWidget()
    if focus is None or not (focus is page or page.isAncestorOf(focus)):
        _problem("focus", screen_name, f"focus on {_name(focus) if focus else 'nothing'}, not in the page")
        return
    if not isinstance(focus, INPUTS) and not isinstance(focus, QAbstractButton):
        _problem("focus", screen_name, f"focus on {_name(focus)}, not on a field")


def screenshot(shotdir: Path, name: str) -> None:
    _settle(250)
    screen = QGuiApplication.primaryScreen()
    pixmap = screen.grabWindow(0)
    path = shotdir / f"{len(report['screens']):02d}-{name}.png"
    pixmap.save(str(path))
    report["screens"].append(str(path))


def check_screen(name: str, shotdir: Path, root: QWidget) -> None:
    check_inside_screen(name)
    check_mnemonics(name)
    check_reachable(name, root)
    check_elided(name, root)
    screenshot(shotdir, name)


def _record_exceptions() -> None:
    """An exception in the application (its excepthook shows a dialog) fails the run."""
    previous = sys.excepthook

    def hook(exc_type: Any, exc: BaseException, tb: Any) -> None:
        report["exceptions"].append("".join(traceback.format_exception(exc_type, exc, tb))[-1500:])
        previous(exc_type, exc, tb)

    sys.excepthook = hook


def walk(out: Path, shotdir: Path) -> None:
    _record_exceptions()
    try:
        screen = QGuiApplication.primaryScreen()
        report["screen"] = list(screen.geometry().getRect())
        report["available"] = list(screen.availableGeometry().getRect())
        report["dpr"] = screen.devicePixelRatio()
        dialog = _wait(lambda: next((w for w in _visible_top_levels() if isinstance(w, QDialog)), None))
        _settle(400)
        check_screen("kluis-openen", shotdir, dialog)
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
        caseload = _wait(
            lambda: next((w for w in _visible_top_levels() if w.objectName() == "caseload"), None), 60
        )
        _wait(lambda: caseload.model.rowCount() > 0)
        _settle(400)
        check_screen("huishoudens", shotdir, caseload)
        caseload.table.setFocus()
        QTest.keyClick(caseload.table, Qt.Key.Key_Return)
        workspace = _wait(lambda: next((w for w in _visible_top_levels() if w.objectName() == "workspace"), None))
        _settle(600)
        seen: list[str] = []
        for _ in range(20):
            step = workspace.current_step_id
            if step in seen:
                break
            seen.append(step)
            page = workspace.stack.currentWidget()
            name = f"stap{len(seen):02d}-{step}"
            if len(seen) > 1:
                check_focus(name, page)
            check_screen(name, shotdir, page)
            check_elided(name, workspace)
            QTest.keyClick(workspace.focusWidget() or workspace, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
            _settle(400)
        report["steps"] = seen
        # the Geschiedenis of the household (Ctrl+H), read and shown, then Esc
        QTest.keyClick(workspace.focusWidget() or workspace, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        history = _wait(lambda: next((w for w in _visible_top_levels() if w.objectName() == "historyDialog"), None))
        _wait(lambda: history.loaded or history.failed)
        report["history"] = history.view.toPlainText()[:2000]
        _settle(300)
        check_screen("geschiedenis", shotdir, history)
        QTest.keyClick(history.focusWidget() or history, Qt.Key.Key_Escape)
        _settle(300)
        workspace.close()
        _settle(300)
        caseload.close()
    except Exception:  # noqa: BLE001 - reported to the test
        report["error"] = traceback.format_exc()
        QApplication.instance().exit(3)
    finally:
        out.write_text(json.dumps(report, indent=1), encoding="utf-8")


def main() -> int:
    out, shotdir = Path(sys.argv[1]), Path(sys.argv[2])
    args = sys.argv[3:]
    if args and args[0] == "--":
        args = args[1:]
    shotdir.mkdir(parents=True, exist_ok=True)
    from desktop.app import main as app_main

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - main() uses it
    QTimer.singleShot(0, lambda: walk(out, shotdir))
    return app_main(args)


if __name__ == "__main__":
    sys.exit(main())
