"""The registry of open windows (STYLE A1).

Every window that shows personal data registers here under a key. Opening a key
that is already open brings that window back instead of making a copy, and
:meth:`WindowRegistry.close_all` closes and deletes them all (so no widget keeps a
name or an address on screen or in memory) before the vault locks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

__all__ = ["WindowRegistry"]

W = TypeVar("W", bound=QWidget)


class WindowRegistry(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._windows: dict[str, QWidget] = {}

    def open(self, key: str, factory: Callable[[], W]) -> W:
        """Show the window for ``key``, creating it with ``factory`` if none is open."""
        window = self._windows.get(key)
        if window is None:
            window = factory()
            self._windows[key] = window
            window.destroyed.connect(lambda *_: self._forget(key, window))
        window.show()
        window.raise_()
        window.activateWindow()
        return window  # type: ignore[return-value]

    def get(self, key: str) -> QWidget | None:
        return self._windows.get(key)

    def keys(self) -> list[str]:
        return list(self._windows)

    def forget(self, key: str) -> None:
        self._windows.pop(key, None)

    def _forget(self, key: str, window: QWidget) -> None:
        if self._windows.get(key) is window:
            del self._windows[key]

    def close_all(self) -> None:
        """Close and delete every registered window (they must not hold up the close)."""
        windows = list(self._windows.values())
        self._windows.clear()
        for window in windows:
            closer = getattr(window, "close_for_lock", None)
            if callable(closer):
                closer()
            else:
                window.hide()
            window.deleteLater()
