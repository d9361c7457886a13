"""The contract between the gesprek workspace and its step pages.

The workspace (desktop/workspace.py) owns the current Dossier, the step list, the
autosave and the gaps. A step page:

- shows and edits one part of the Dossier *in place* (the pydantic models validate
  each assignment) and emits ``changed`` after every accepted edit; the workspace
  debounces the autosave and refreshes the gaps;
- catches ``pydantic.ValidationError`` on assignment, shows the Dutch message from
  ``forms.dutch_messages`` next to the field, and leaves the model unchanged;
- rebuilds itself from the model in ``set_dossier`` (called on open, after a
  structural change elsewhere, e.g. a member added, and when the page is shown);
- moves focus to the exact widget for a gap's location in ``focus_location``;
- never touches storage or SQL, and does no slow work;
- is read-only when the dossier is finalised: the workspace calls
  ``set_read_only(True)`` after ``set_dossier``. The default makes every input
  widget read-only or disabled (see :func:`apply_read_only`); a page overrides it
  only if it needs more (and then calls ``super().set_read_only``).

The workspace shows each page as is, in a stack: a page puts its content in a scroll
area itself (``desktop.widgets.scroll_wrap``) so it fits 1366×768 and 200 % scaling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from forms import SECTIONS, Definitions, Dossier
from forms.verslag import VerslagSettings

__all__ = ["StepContext", "StepPage", "STEP_IDS", "STEP_TITLES", "apply_read_only", "KEEP_ENABLED"]

# The order of the steps: forms' sections (gap locations name them), one step each.
STEP_IDS: tuple[str, ...] = SECTIONS

# Each step's title in the step list and in the Controle list (a page's ``title`` is the same).
STEP_TITLES = {
    "huishouden": "Huishouden en gezinsleden",
    "contact": "Wie is er gesproken",
    "leefgebieden": "Leefgebieden",
    "netwerk": "Netwerk en toestemming",
    "veiligheid": "Veiligheid per kind",
    "meldcode": "Meldcode",
    "hulpvraag": "Hulpvraag, analyse en perspectief",
    "plan": "Doelen, acties en regisseur",
    "controle": "Controle",
    "ondertekenen": "Ondertekenen",
}


# A widget with this dynamic property set to True stays usable in a read-only page
# (navigation such as "Ga naar", "Toon verslag").
KEEP_ENABLED = "keukentafelKeepEnabled"
_DISABLED_BY_US = "keukentafelReadOnlyDisabled"


def apply_read_only(root: QWidget, read_only: bool) -> None:
    """Make every input under ``root`` read-only (text stays selectable) or usable again."""
    for widget in root.findChildren(QWidget):
        if widget.property(KEEP_ENABLED):
            continue
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
            if widget.isReadOnly() != read_only:
                widget.setReadOnly(read_only)
                widget.style().unpolish(widget)  # the stylesheet greys read-only fields
                widget.style().polish(widget)
        elif isinstance(widget, (QAbstractButton, QComboBox, QAbstractSlider)):
            if read_only and widget.isEnabled():
                widget.setProperty(_DISABLED_BY_US, True)
                widget.setEnabled(False)
            elif not read_only and widget.property(_DISABLED_BY_US):
                widget.setProperty(_DISABLED_BY_US, False)
                widget.setEnabled(True)


@dataclass
class StepContext:
    """What every page may read besides the dossier.

    ``verslag``: the letterhead the workspace read from the vault when it opened; the
    Ondertekenen preview and the finalise both build the verslag with it.
    """

    definitions: Definitions
    today: dt.date = field(default_factory=dt.date.today)
    wijkcoach: str = "wijkcoach"
    verslag: VerslagSettings = field(default_factory=VerslagSettings)

    @classmethod
    def for_settings(cls, definitions: Definitions, verslag: VerslagSettings) -> StepContext:
        """The context of a workspace opened with these settings (their wijkcoach, if named)."""
        if verslag.wijkcoach.strip():
            return cls(definitions=definitions, wijkcoach=verslag.wijkcoach.strip(), verslag=verslag)
        return cls(definitions=definitions, verslag=verslag)


class StepPage(QWidget):
    """Base class of every step page. Subclasses set ``step_id`` and ``title``."""

    step_id: ClassVar[str] = ""
    title: ClassVar[str] = ""  # Dutch, shown in the step list

    changed = Signal()  # the page changed the dossier in place
    structure_changed = Signal()  # members/children/partners added or removed: other pages rebuild

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dossier: Dossier | None = None
        self.read_only = False
        self.setAccessibleName(self.title)

    @classmethod
    def open_points(cls, dossier: Dossier) -> int:
        """Things on this step still to do that do not block finalising (the step list then
        shows ○ instead of ✓); e.g. a consent "nog niet gevraagd"."""
        return 0

    @classmethod
    def applies_to(cls, dossier: Dossier, definitions: Definitions) -> bool:
        """Whether the step is shown for this dossier (the Meldcode only when called for)."""
        return True

    def set_dossier(self, dossier: Dossier) -> None:
        self.dossier = dossier

    def focus_location(self, location: object) -> None:
        """Focus the widget for a forms Location (member_id, domein, field)."""

    def set_read_only(self, read_only: bool) -> None:
        """Finalised dossier: no edits. Called after ``set_dossier``."""
        self.read_only = read_only
        apply_read_only(self, read_only)
