"""The "Sneltoetsen" overview (F1 or Ctrl+/): every key of the window it is asked from.

Also the small makers the windows use for their keys: :func:`add_action` (a window-wide
key), :func:`add_help_action` (this overview's key).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

__all__ = ["SHORTCUTS", "ShortcutsDialog", "show_shortcuts", "add_action", "add_help_action"]

Keys = QKeySequence | QKeySequence.StandardKey | str
Slot = Callable[..., Any] | SignalInstance


def add_action(window: QWidget, text: str, slot: Slot, *keys: Keys) -> QAction:
    """An action of ``window`` that ``keys`` trigger anywhere in it (the first is the one menus show)."""
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def add_help_action(window: QWidget, kind: str) -> QAction:
    """"Sneltoetsen" (F1 or Ctrl+/): the overview of ``SHORTCUTS[kind]`` over ``window``."""
    keys = (QKeySequence.StandardKey.HelpContents, "Ctrl+/")
    return add_action(window, "Sneltoetsen", lambda: show_shortcuts(window, kind), *keys)


_COMMON = [
    ("F1 of Ctrl+/", "Dit overzicht"),
    ("Ctrl+L", "Vergrendelen"),
    ("Alt + onderstreepte letter", "Naar dat veld of die knop"),
    ("Tab / Shift+Tab", "Volgend / vorig veld"),
]

SHORTCUTS: dict[str, list[tuple[str, str]]] = {
    "gesprek": [
        ("Ctrl+PgDown", "Volgende stap (de cursor staat dan in het eerste veld)"),
        ("Ctrl+PgUp", "Vorige stap"),
        ("Ctrl+Shift+S", "Stappenlijst tonen of verbergen"),
        ("Enter in de stappenlijst", "Naar het eerste veld van die stap"),
        ("Ctrl+Z", "Ongedaan maken (ook in het menu Bewerken)"),
        ("Ctrl+Shift+Z", "Opnieuw"),
        ("Ctrl+S", "Nu opslaan (dat gebeurt ook vanzelf)"),
        ("Ctrl+W", "Gesprek sluiten"),
        ("Ctrl+H", "Geschiedenis: wie wat heeft gewijzigd en wanneer"),
        ("Ctrl+T", "Tijdlijn: de gesprekken, de veiligheid per kind en de beslissingen op een rij"),
        *_COMMON,
    ],
    "huishoudens": [
        ("Ctrl+F", "Zoeken"),
        ("Ctrl+N", "Nieuw huishouden"),
        ("Enter", "Gekozen huishouden openen"),
        ("Ctrl+H", "Geschiedenis van het gekozen huishouden (ook via het contextmenu)"),
        ("Ctrl+T", "Tijdlijn van het gekozen huishouden"),
        ("Ctrl+,", "Instellingen"),
        *_COMMON,
    ],
    "tijdlijn": [
        ("Pijltjes, PgUp / PgDown", "Door de tijdlijn bladeren"),
        ("Tab", "Naar de knoppen ‘Verslag openen’"),
        ("Enter in de lijst met gesprekken", "Het verslag van dat gesprek openen"),
        ("F5", "Opnieuw lezen"),
        ("Esc of Ctrl+W", "Tijdlijn sluiten"),
        ("Ctrl+L", "Vergrendelen"),
    ],
}


class ShortcutsDialog(QDialog):
    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sneltoetsen")
        self.setObjectName("shortcutsDialog")
        layout = QVBoxLayout(self)
        rows = "".join(
            f"<tr><td style='padding:2px 12px 2px 0'><b>{keys}</b></td><td style='padding:2px 0'>{what}</td></tr>"
            for keys, what in SHORTCUTS[kind]
        )
        self.table = QLabel(f"<table>{rows}</table>")
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setWordWrap(True)
        self.table.setAccessibleName("Sneltoetsen")
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.table)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        from .fit import place_window

        place_window(self, "sneltoetsen", (560, 440))


def show_shortcuts(parent: QWidget, kind: str) -> ShortcutsDialog:
    dialog = ShortcutsDialog(kind, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog
