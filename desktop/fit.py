"""Windows that fit the screen they open on, and fields the mouse wheel leaves alone.

- :func:`place_window`: a window opens at the size it had last time (``QSettings``, per
  window kind; sizes only, never personal data) or at its preferred size, clamped to the
  screen's available geometry (what the task bar leaves) and centred on it. At 200 % a
  1366×768 screen is 683×384 logical pixels: a 1200×700 window would open half off-screen.
- :class:`WheelGuard`: application-wide, the mouse wheel over a combo box, date or number
  field (or slider) that does not have the keyboard focus scrolls the page instead of
  changing the value the pointer happens to pass over.
- :func:`first_field`: the first input of a page in tab order (focus after a step change).
- :func:`present`, :func:`shown`, :func:`dismiss`: a one-at-a-time window is brought to the
  front instead of opened twice, and rejected when the vault locks.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QTextEdit,
    QWidget,
)
from shiboken6 import isValid

__all__ = ["place_window", "save_window_size", "settings", "WheelGuard", "first_field", "focus_first_field"]
__all__ += ["scroll_into_view", "present", "shown", "dismiss"]

# The title bar and border a window manager adds around a window (not part of its size).
FRAME_ALLOWANCE = QSize(8, 34)


def settings() -> QSettings:
    """The per-user UI settings (window sizes). ``KEUKENTAFEL_UI_SETTINGS`` (tests) names an ini file."""
    path = os.environ.get("KEUKENTAFEL_UI_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Keukentafel", "venster")


def _available(window: QWidget) -> Any:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def place_window(window: QWidget, key: str, preferred: tuple[int, int]) -> None:
    """Size ``window`` (remembered size, else ``preferred``) to fit the available screen; centre it."""
    area = _available(window)
    size = QSize(*preferred)
    stored = settings().value(f"{key}/size")
    if isinstance(stored, QSize) and stored.isValid():
        size = stored
    if area is None:
        window.resize(size)
        return
    room = area.size() - FRAME_ALLOWANCE
    minimum = window.minimumSize()
    width = max(min(size.width(), room.width()), min(minimum.width(), room.width()))
    height = max(min(size.height(), room.height()), min(minimum.height(), room.height()))
    if minimum.width() > room.width() or minimum.height() > room.height():
        window.setMinimumSize(min(minimum.width(), room.width()), min(minimum.height(), room.height()))
    window.resize(width, height)
    x = area.x() + max(0, (area.width() - width - FRAME_ALLOWANCE.width()) // 2)
    y = area.y() + max(0, (area.height() - height - FRAME_ALLOWANCE.height()) // 2)
    window.move(x, y)


def present(window: QWidget) -> Any:
    """Show ``window`` in front of the others, with the keyboard focus; returns it."""
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def shown(window: QWidget | None) -> bool:
    """Whether ``window`` (a one-at-a-time dialog) still exists and is on screen."""
    return window is not None and isValid(window) and window.isVisible()


def dismiss(dialog: QDialog | None) -> None:
    """Reject ``dialog`` (which hides it) if it still exists."""
    if dialog is not None and isValid(dialog):
        dialog.reject()


def save_window_size(window: QWidget, key: str) -> None:
    """Remember the size of a normal (not maximised, not full-screen) window."""
    if window.isMaximized() or window.isFullScreen() or window.isMinimized():
        return
    store = settings()
    store.setValue(f"{key}/size", window.size())
    store.sync()


class WheelGuard(QObject):
    """Install on the QApplication: wheel events on an unfocused field scroll its page."""

    GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        field: QWidget | None = watched
        while field is not None and not isinstance(field, self.GUARDED):
            if isinstance(field, QAbstractScrollArea) or field.isWindow():
                return False  # a list's own viewport, a text field: scroll as usual
            field = field.parentWidget()
        if field is None or field.hasFocus() or isinstance(field, QScrollBar):
            return False  # focused (the user chose it), or a scroll bar itself
        area = field.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            QApplication.sendEvent(area.verticalScrollBar(), event)
        return True


_INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QCheckBox, QRadioButton)


def _takes_tab(widget: QWidget, root: QWidget) -> bool:
    return (
        widget.isVisibleTo(root)
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and not isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox))
    )


def first_field(page: QWidget) -> QWidget | None:
    """The first input of ``page`` in tab order (else its first button), or None."""
    chain: list[QWidget] = []
    widget = page.nextInFocusChain()
    for _ in range(2000):
        if widget is None or widget is page:
            break
        if page.isAncestorOf(widget) and _takes_tab(widget, page):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    for kinds in (_INPUTS, QAbstractButton, QWidget):
        for candidate in chain:
            if isinstance(candidate, kinds):
                return candidate
    return None


def scroll_into_view(widget: QWidget, margin: int = 8) -> None:
    """Scroll every scroll area around ``widget`` so all of it shows (as far as it fits).

    ``QScrollArea.ensureWidgetVisible`` only shows a text field's cursor rectangle: the
    field stays half under the edge."""
    area = widget.parentWidget()
    while area is not None:
        if isinstance(area, QScrollArea) and area.widget() is not None and area.widget().isAncestorOf(widget):
            inner, viewport = area.widget(), area.viewport()
            top_left = widget.mapTo(inner, widget.rect().topLeft())
            for bar, start, length, room in (
                (area.verticalScrollBar(), top_left.y(), widget.height(), viewport.height()),
                (area.horizontalScrollBar(), top_left.x(), widget.width(), viewport.width()),
            ):
                first, last = start - margin, start + length + margin
                if last - first > room or first < bar.value():
                    bar.setValue(first)
                elif last > bar.value() + room:
                    bar.setValue(last - room)
        area = area.parentWidget()


def focus_first_field(page: QWidget, field: QWidget | None = None) -> QWidget | None:
    """Put the focus on ``field`` (or the page's first field) and scroll it into view."""
    target = field or first_field(page)
    if target is None:
        return None
    target.setFocus(Qt.FocusReason.TabFocusReason)
    scroll_into_view(target)
    return target
