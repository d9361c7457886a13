"""The contract between the gesprek workspace and its step pages.

The workspace (desktop/workspace.py) owns the step list and the gaps; the open dossier
is a :class:`desktop.document.DossierDocument` (edits by path, undo, autosave). A page:

- binds its inputs once to dossier paths with ``self.binder`` (:mod:`desktop.binder`):
  each edit becomes an undoable command, the binder shows the Dutch message of a rejected
  value under the field and refreshes only the widgets whose path changed (an undo, a
  colleague's change). A page with parts that depend on the dossier's shape (a row per
  member, per goal) rebuilds them in ``set_dossier`` and in ``on_changed(paths)``;
- emits ``changed`` after each accepted edit of its own;
- "Ga naar": :meth:`StepPage.focus_location` turns a gap's location into a path
  (:func:`forms.paths.from_location`), lets the page ``reveal`` it (select the goal,
  open the child) and focuses the bound widget;
- never touches storage or SQL, and does no slow work;
- is read-only when the dossier is finalised: the workspace calls
  ``set_read_only(True)`` after ``set_dossier``. The default makes every input
  widget read-only or disabled (see :func:`apply_read_only`); a page overrides it
  only if it needs more (and then calls ``super().set_read_only``).

The workspace shows each page as is, in a stack. A page builds its content in
``self.content``, which scrolls, so that it fits 1366×768 and 200 % scaling; a page not on
screen catches up on the changes made meanwhile just before it is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from forms import SECTIONS, Definitions, Dossier, Gap, Location
from forms.paths import Item, Path, from_location
from forms.verslag import VerslagSettings

from ..binder import Binder
from ..document import DossierDocument
from ..widgets import KEEP_ENABLED, label, scroll_wrap

__all__ = ["StepContext", "StepPage", "structural", "STEP_IDS", "STEP_TITLES", "apply_read_only", "KEEP_ENABLED"]

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
    # the trajectory's steps (issue 13; forms.rules.sections_for names them per kind of gesprek)
    "evaluatie": "Evaluatie van de doelen",  # desktop.steps.evaluatie.EvaluatiePage
    "kernbeslissingen": "Kernbeslissingen en opschaling",  # desktop.steps.kernbeslissingen.KernbeslissingenPage
    "afsluiting": "Afsluiting",  # desktop.steps.afsluiting.AfsluitingPage
}


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


def structural(paths: list[Path]) -> bool:
    """Whether a change adds, removes or reorders something a page shows one row per
    (a member, a goal, a partner, a whole list) or moves the gesprek date (who is a child)."""
    return any(not p or isinstance(p[-1], Item) or p[-1] in _LISTS for p in paths)


_LISTS = {"leden", "leefgebieden", "netwerk", "partners", "veiligheid", "doelen", "acties", "handtekeningen",
          "contacten", "aanwezig", "datum", "meldcode", "regisseur", "consultatie", "toestemming"}


class StepPage(QWidget):
    """Base class of every step page. Subclasses set ``step_id``; the ``title`` is the
    step's in :data:`STEP_TITLES` (one place for the step list, Controle and the page).

    The page's content scrolls: subclasses build it in ``self.content`` (a page that lays
    itself out passes ``scroll=False``). Every page edits through ``self.document``; the
    binder shows what changed, :meth:`on_changed` rebuilds what depends on the dossier's shape.
    """

    step_id: ClassVar[str] = ""
    title: ClassVar[str] = ""  # Dutch, shown in the step list (set from STEP_TITLES)

    changed = Signal()  # the page changed the dossier (informational: the document announces it)
    # what a page asks of the workspace
    go_to_location = Signal(object)  # a forms.Location: show its step and focus its field
    show_step_requested = Signal(str)  # show that step
    finalise_requested = Signal()  # make the gesprek final (Ondertekenen, after the confirmation)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "title" not in cls.__dict__:
            cls.title = STEP_TITLES.get(cls.step_id, cls.step_id)

    def __init__(self, context: StepContext, parent: QWidget | None = None, *, scroll: bool = True) -> None:
        super().__init__(parent)
        self.context = context
        self.dossier: Dossier | None = None
        self.document: DossierDocument | None = None
        self.read_only = False
        self.binder = Binder(self)
        self._unseen: list[Path] = []  # changes while the page was not shown
        self.setAccessibleName(self.title)
        if scroll:
            self.content = QWidget()
            self.scroll_area: QScrollArea | None = scroll_wrap(self.content)
            self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields
            for bar in (self.scroll_area.verticalScrollBar(), self.scroll_area.horizontalScrollBar()):
                bar.setProperty(KEEP_ENABLED, True)  # scrolling stays possible in a read-only page
            self.outer = QVBoxLayout(self)  # below the scrolling content: rows that stay in view
            self.outer.setContentsMargins(0, 0, 0, 0)
            self.outer.addWidget(self.scroll_area, 1)
        else:
            self.scroll_area = None

    def intro_column(self, intro: str, *sections: QWidget) -> QLabel:
        """The scrolling content as one column: a wrapped introduction, ``sections`` in
        order, then the stretch; the page stays disabled until a dossier is set. Returns
        the introduction's label."""
        layout = QVBoxLayout(self.content)
        introduction = label(intro)
        for widget in (introduction, *sections):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setEnabled(False)  # until a dossier is set
        return introduction

    def headed_content(self, heading: str) -> QVBoxLayout:
        """The scrolling content's layout, starting with the page's heading."""
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.addWidget(label(heading, object_name="heading", wrap=False))
        return layout

    def finalise_row(self, *buttons: QWidget) -> QLabel:
        """Under the scrolling content, always in view: why finalising cannot be done yet
        (the returned label), then ``buttons``."""
        reason = label(name="Waarom afronden nog niet kan", object_name="hint")
        row = QHBoxLayout()
        row.addWidget(reason, 1)
        for button in buttons:
            row.addWidget(button)
        self.outer.addLayout(row)
        return reason

    def set_gaps(self, gaps: list[Gap]) -> None:
        """The current gaps (the workspace hands them to every page after each change)."""

    @classmethod
    def open_points(cls, dossier: Dossier) -> int:
        """Things on this step still to do that do not block finalising (the step list then
        shows ○ instead of ✓); e.g. a consent "nog niet gevraagd"."""
        return 0

    @classmethod
    def applies_to(cls, dossier: Dossier, definitions: Definitions) -> bool:
        """Whether the step is shown for this dossier (the Meldcode only when called for)."""
        return True

    # --- the document ---------------------------------------------------------------------

    def set_document(self, document: DossierDocument) -> None:
        """Show ``document`` (called by the workspace; again when its page was stale)."""
        if self.document is not document:
            if self.document is not None:
                self.document.changed.disconnect(self._document_changed)
            self.document = document
            document.changed.connect(self._document_changed)
        self.set_dossier(document.dossier)
        self.binder.set_document(document)

    def set_dossier(self, dossier: Dossier) -> None:
        """Rebuild the parts that depend on the dossier's shape. Called with the document's
        dossier; a dossier given directly (tests, previews) gets a document of its own."""
        self._unseen = []
        if self.document is None or self.document.dossier is not dossier:
            self.set_document(DossierDocument(dossier, parent=self))
            return
        self.dossier = dossier
        self.rebuild()
        self.binder.refresh(None)

    def rebuild(self) -> None:
        """Build the parts that depend on the dossier's shape (one row per member, …)."""

    def _document_changed(self, paths: list[Path]) -> None:
        # a page not on screen catches up when it is shown (the bound widgets follow at once)
        if self.isVisible():
            self.on_changed(paths)
        else:
            self._unseen.extend(paths)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt name)
        # caught up before the page is shown, so that what it rebuilds is shown with it
        if visible and self._unseen:
            paths, self._unseen = self._unseen, []
            self.on_changed(paths)
        super().setVisible(visible)

    def on_changed(self, paths: list[Path]) -> None:
        """After any change of the document (the binder has refreshed the bound widgets).
        Default: rebuild when the dossier's shape changed."""
        if self.document is not None and structural(paths):
            self.set_dossier(self.document.dossier)

    def edit(self, path: Path, value: Any, label: str) -> bool:
        """One undoable edit from a button or list (not a bound widget); emits ``changed``."""
        if self.document is None:
            return False
        done = self.document.set(path, value, label=label)
        if done:
            self.changed.emit()
        return done

    # --- "Ga naar" ------------------------------------------------------------------------

    def focus_location(self, location: Location) -> None:
        """Focus the widget for a forms Location (a gap's "Ga naar")."""
        if self.document is None and self.dossier is None:
            return
        path = from_location(location, self.document.dossier if self.document else self.dossier)
        if path is not None:
            self.focus_path(path)

    def focus_path(self, path: Path) -> bool:
        self.reveal(path)
        widget = self.binder.widget_for(path, self._not_hidden) or self.widget_for_path(path)
        if widget is None:
            return False
        self.focus_widget(widget)
        return True

    def _not_hidden(self, widget: QWidget) -> bool:
        """Not hidden on purpose (a row the page hides); widgets just built count as shown."""
        node: QWidget | None = widget
        while node is not None and node is not self:
            if node.isHidden() and node.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
                return False
            node = node.parentWidget()
        return True

    def reveal(self, path: Path) -> None:
        """Make the part holding ``path`` current (select its goal, open its child)."""

    def widget_for_path(self, path: Path) -> QWidget | None:
        """A widget for a path no input is bound to (a list, a button to add one)."""
        return None

    def focus_widget(self, widget: QWidget) -> None:
        """Bring a field into view and give it the keyboard focus."""
        shown, proxy = widget, widget.focusProxy()
        while proxy is not None:
            shown, proxy = proxy, proxy.focusProxy()
        if self.scroll_area is not None:
            self.scroll_area.ensureWidgetVisible(shown, 40, 40)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)  # RadioChoice: its chosen button

    def set_read_only(self, read_only: bool) -> None:
        """Finalised dossier: no edits. Called after ``set_dossier``."""
        self.read_only = read_only
        apply_read_only(self, read_only)

    def relock(self) -> None:
        """Widgets enabled or created after ``set_read_only(True)`` stay locked too."""
        if self.read_only:
            apply_read_only(self, True)
