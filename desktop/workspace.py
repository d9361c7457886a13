"""The gesprek workspace: one household's dossier, step by step.

Left a step list (each step shows ✓ or its number of blocking points), right the
step pages in a stack (each page scrolls its own content). The open dossier is a
:class:`desktop.document.DossierDocument`: pages edit it by path, it keeps the undo history
(menu "Bewerken", Ctrl+Z / Ctrl+Shift+Z) and saves itself. After each change the workspace

- recomputes the gaps (``forms.gaps``; debounced by 150 ms, timed in formsapi),
  updates the step list and hands the gaps to pages that want them (``set_gaps``);
- shows the document's save status ("Opgeslagen HH:MM" or "Niet opgeslagen: …"; the
  in-memory dossier stays as it is either way, and the next edit or Ctrl+S tries again).

Finalising (Ondertekenen) goes through ``desktop.finalising``: forms.finalise and
the verslag PDF on the pool, then the immutable version and the working copy on the
vault thread.

``flush()`` queues the pending save at once; the vault thread runs jobs in order,
so anything queued after it (closing the vault on lock) sees the saved dossier.

Step pages come from ``desktop.steps.<step_id>`` (see :mod:`desktop.steps.registry`).
The steps are those of the current gesprek's kind (``forms.rules.sections_for``): an intake,
an evaluatie or an afsluiting each has its own list, and the window title says which gesprek
it is ("Evaluatie 2 — Familie …"). A finalised gesprek is read-only; "Evaluatie starten" and
"Afsluiting starten" (after a finalised afsluiting: "Nieuwe intake starten") start the next
one with ``forms.start_gesprek``, save it, and show its steps.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forms import Dossier, Gap, GesprekSoort, Location
from forms.paths import Path

from . import formsapi
from .document import AUTOSAVE_DEBOUNCE_MS, AUTOSAVE_MAX_DELAY_MS, DossierDocument, revision_of
from .errors import message_for, show_error
from .shortcuts import add_action, add_help_action
from .steps import registry
from .steps.base import KEEP_ENABLED, StepContext, StepPage, structural
from .tasks import TaskManager
from .widgets import button, label

if TYPE_CHECKING:  # for annotations only: both are imported when first used
    from .finalising import FinaliseResult
    from .history import HistoryDialog

__all__ = [
    "WorkspaceWindow",
    "load_step_classes",
    "AUTOSAVE_DEBOUNCE_MS",
    "AUTOSAVE_MAX_DELAY_MS",
]

log = logging.getLogger("keukentafel.workspace")

GAPS_DEBOUNCE_MS = 150

StepRole = Qt.ItemDataRole.UserRole + 1


# --- the step registry -------------------------------------------------------------------


def load_step_classes(soort: GesprekSoort | str = GesprekSoort.INTAKE) -> dict[str, type[StepPage]]:
    """step id -> page class for a gesprek of this kind, in its step order (the registry,
    :mod:`desktop.steps.registry`). A step without a page is a programming error and raises."""
    return registry.load_step_classes(soort)


def gesprek_title(dossier: Dossier) -> str:
    """Which gesprek of the trajectory this is: "Intake", "Evaluatie 2", "Afsluiting"."""
    soort = dossier.gesprek.soort
    if soort is GesprekSoort.EVALUATIE:
        earlier = sum(1 for ref in dossier.vorige_versies if ref.soort is GesprekSoort.EVALUATIE)
        return f"Evaluatie {earlier + 1}"
    return soort.label


# --- the window --------------------------------------------------------------------------


class WorkspaceWindow(QMainWindow):
    lock_requested = Signal()
    closed = Signal()  # the user closed the workspace (not a lock)
    saved = Signal(object)  # the Summary storage returned
    conflicts_requested = Signal()  # "Conflicten oplossen…" (the application opens the dialog)
    timeline_requested = Signal()  # "Tijdlijn" (the application opens the household's timeline)

    def __init__(
        self,
        tasks: TaskManager,
        dossier: Dossier,
        *,
        step_classes: dict[str, type[StepPage]] | None = None,
        context: StepContext | None = None,
        start_step: str | None = None,
        demo: bool = False,
        revision: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.document = DossierDocument(dossier, tasks, revision=revision, parent=self)
        self.demo = demo
        self.context = context or StepContext(definitions=formsapi.definitions())
        self._given_classes = dict(step_classes or {})
        self.step_ids: tuple[str, ...] = ()
        self.step_classes: dict[str, type[StepPage]] = {}
        self.gaps: list[Gap] = []
        self.pages: dict[str, StepPage] = {}
        self._stale: set[str] = set()  # pages not given the current document yet (built lazily, on first show)
        self._locking = False
        self._finalising = False
        self.setObjectName("workspace")
        self.setAccessibleName("Gesprek")
        self._steps_user_choice: bool | None = None  # the user showed/hid the step list
        self._list_keys = False  # the step list is handling a key (arrows): focus stays there

        self._gaps_timer = QTimer(self, singleShot=True, interval=GAPS_DEBOUNCE_MS)
        self._gaps_timer.timeout.connect(self.refresh_gaps)

        self._build()
        self._build_actions()
        self.document.changed.connect(self._document_changed)
        self.document.save_status.connect(self.save_label.setText)
        self.document.saved.connect(self.saved)
        self._load_dossier_into_pages()
        self.refresh_gaps()
        self.save_label.setText("Alles is opgeslagen")
        first = start_step if start_step in self.step_ids else next(iter(self.step_ids))
        self.show_step(first)
        from .fit import place_window

        place_window(self, "gesprek", (1366, 768))

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget()
        outer = QHBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        side = QFrame()
        side.setObjectName("stepSide")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 12, 8, 8)
        self.step_heading = label("Stappen", object_name="sideHeading", wrap=False)
        side_layout.addWidget(self.step_heading)
        self.step_list = QListWidget()
        self.step_list.setObjectName("stepList")
        self.step_list.setAccessibleName("Stappen van het gesprek")
        self.step_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.step_list.setWordWrap(True)  # long titles wrap (200 % scaling) instead of eliding
        self.step_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.step_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.step_list.setUniformItemSizes(False)
        self.step_list.setSpacing(2)
        self.step_list.installEventFilter(self)
        side_layout.addWidget(self.step_list, 1)
        side.setMinimumWidth(150)  # the splitter lets the step list give way at 200 %
        self.side = side
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(side)
        outer.addWidget(self.splitter)

        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(16, 10, 16, 4)
        header = QHBoxLayout()
        # The step list folds away (automatically in a narrow window, e.g. 1366×768 at 200 %);
        # this button, Ctrl+Shift+S or F1's overview bring it back.
        self.steps_button = button("☰ Stappen", name="Stappenlijst tonen of verbergen", object_name="stepsToggle",
                                   tip="Stappenlijst tonen of verbergen (Ctrl+Shift+S)", keep_enabled=True)
        self.steps_button.setCheckable(True)
        self.steps_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.steps_button.toggled.connect(self._steps_toggled)
        header.addWidget(self.steps_button, 0, Qt.AlignmentFlag.AlignTop)
        self.edit_button = QToolButton()
        self.edit_button.setText("Bewerken")
        self.edit_button.setObjectName("editMenuButton")
        self.edit_button.setAccessibleName("Bewerken: ongedaan maken of opnieuw")
        self.edit_button.setToolTip("Ongedaan maken (Ctrl+Z) of opnieuw (Ctrl+Shift+Z)")
        self.edit_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.edit_button.setProperty(KEEP_ENABLED, True)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        self.title_label = label(name="Huishouden", object_name="heading")
        self.subtitle = label(object_name="hint")
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        if self.demo:
            demo = label("DEMO", name="DEMO — verzonnen gezin, geen echte gegevens", object_name="demoBanner",
                         tip="DEMO — een verzonnen gezin, geen echte gegevens", wrap=False)
            demo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            header.addWidget(demo, 0, Qt.AlignmentFlag.AlignTop)
        # No Alt letters in the header: the pages use every letter (Ctrl+T opens the timeline).
        self.timeline_button = button("Tijdlijn", self.timeline_requested.emit, name="Tijdlijn van het huishouden",
                                      tip="De gesprekken, planversies, veiligheid en beslissingen op een rij (Ctrl+T)",
                                      keep_enabled=True)
        self.timeline_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        header.addWidget(self.timeline_button, 0, Qt.AlignmentFlag.AlignTop)
        main_layout.addLayout(header)
        # A finalised gesprek: read-only, and what comes next (a row of its own: 683 px at 200 %).
        read_only_row = QHBoxLayout()
        self.read_only_banner = label(object_name="readOnlyBanner")
        read_only_row.addWidget(self.read_only_banner, 1)
        self.start_buttons: dict[GesprekSoort, QPushButton] = {}
        for soort, text, tip in (
            (GesprekSoort.EVALUATIE, "Evaluatie starten", "Een evaluatiegesprek beginnen"),
            (GesprekSoort.AFSLUITING, "Afsluiting starten", "Het afsluitende gesprek beginnen"),
            (GesprekSoort.INTAKE, "Nieuwe intake starten", "Een nieuw traject beginnen met een intake"),
        ):
            start = button(text, partial(self.start_gesprek, soort), name=text, keep_enabled=True,
                           tip=tip + "; het afgeronde gesprek en het verslag blijven zoals ze zijn.")
            read_only_row.addWidget(start, 0, Qt.AlignmentFlag.AlignTop)
            self.start_buttons[soort] = start
        main_layout.addLayout(read_only_row)
        conflict_bar = QHBoxLayout()
        self.conflict_banner = label(object_name="readOnlyBanner")
        self.conflict_button = button("Con&flicten oplossen…", self.conflicts_requested.emit, name="Conflicten oplossen",
                                      keep_enabled=True)
        conflict_bar.addWidget(self.conflict_banner, 1)
        conflict_bar.addWidget(self.conflict_button)
        main_layout.addLayout(conflict_bar)
        self.set_conflicts(0)

        self.stack = QStackedWidget()
        self.stack.setObjectName("stepStack")
        main_layout.addWidget(self.stack, 1)

        nav = QHBoxLayout()
        # No Alt letters here: the pages use every letter (Ctrl+PgUp/PgDown move, F1 lists them).
        self.prev_button = button("◀ Vorige stap", self.previous_step, name="Vorige stap", tip="Vorige stap (Ctrl+PgUp)",
                                  keep_enabled=True)
        self.next_button = button("Volgende stap ▶", self.next_step, name="Volgende stap",
                                  tip="Volgende stap (Ctrl+PgDown)", keep_enabled=True)
        self.save_label = label(name="Opslagstatus", object_name="saveStatus")
        self.save_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.save_label, 1)  # in the button row: no status bar eats a line at 200 %
        nav.addWidget(self.next_button)
        main_layout.addLayout(nav)
        self.splitter.addWidget(main)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 1086])
        self.setCentralWidget(central)

        self._set_steps(self.dossier.gesprek.soort)
        self.step_list.currentRowChanged.connect(self._row_changed)

    def _set_steps(self, soort: GesprekSoort) -> None:
        """The step list and the (lazily built) pages of a gesprek of this kind."""
        step_ids = registry.step_ids_for(soort)
        classes = {s: self._given_classes.get(s) or registry.page_class(s, soort) for s in step_ids}
        if step_ids == self.step_ids and classes == self.step_classes:
            return
        self.step_list.blockSignals(True)
        self.step_list.clear()
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.pages.clear()
        self._stale.clear()
        self.step_ids, self.step_classes = step_ids, classes
        for step_id in step_ids:
            cls = classes[step_id]
            self.stack.addWidget(QWidget())  # the page itself is built when first shown
            item = QListWidgetItem(cls.title)
            item.setData(StepRole, step_id)
            self.step_list.addItem(item)
        self.step_list.blockSignals(False)

    def _build_actions(self) -> None:
        self.save_action = add_action(self, "Opslaan", self.save_now, QKeySequence.StandardKey.Save)
        self.lock_action = add_action(self, "Vergrendelen", self.lock_requested, "Ctrl+L")
        self.next_action = add_action(self, "Volgende stap", self.next_step, "Ctrl+PgDown")
        self.prev_action = add_action(self, "Vorige stap", self.previous_step, "Ctrl+PgUp")
        self.close_action = add_action(self, "Sluiten", self.close, QKeySequence.StandardKey.Close)
        self.steps_action = add_action(self, "Stappenlijst tonen of verbergen", self.steps_button.toggle, "Ctrl+Shift+S")
        self.help_action = add_help_action(self, "gesprek")
        self.history_action = add_action(self, "Geschiedenis…", self.show_history, "Ctrl+H")
        self.timeline_action = add_action(self, "Tijdlijn", self.timeline_requested, "Ctrl+T")
        # Bewerken: undo and redo of this dossier, named after the step ("Ongedaan maken: zorgen bij Wonen").
        self.undo_action = self.document.create_undo_action(self)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self.document.create_redo_action(self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)])
        self.addActions([self.undo_action, self.redo_action])
        # A button in the header opens it: a menu bar would take a line from the page at 200 %.
        self.edit_menu = QMenu("&Bewerken", self)
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.history_action)
        self.edit_button.setMenu(self.edit_menu)

    def show_history(self) -> HistoryDialog:
        from .history import open_history

        return open_history(self, self.tasks, self.dossier.id, dossier=self.dossier, definitions=self.context.definitions)

    # --- a window that fits ---------------------------------------------------------------

    COMPACT_WIDTH = 1000  # logical pixels below which the step list folds away by itself

    def _steps_toggled(self, shown: bool) -> None:
        if self.side.isVisible() != shown:
            self._steps_user_choice = shown
        self.side.setVisible(shown)

    def _fit_steps(self) -> None:
        shown = self._steps_user_choice
        if shown is None:
            shown = self.width() >= self.COMPACT_WIDTH
        if self.steps_button.isChecked() != shown:
            self.steps_button.blockSignals(True)
            self.steps_button.setChecked(shown)
            self.steps_button.blockSignals(False)
        self.side.setVisible(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_steps()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._fit_steps()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.step_list and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._fit_step_items)  # after the list placed its viewport
        if watched is self.step_list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._focus_page()
                return True
            self._list_keys = True  # arrows in the list move the selection; focus stays
            try:
                self.step_list.keyPressEvent(event)
            finally:
                self._list_keys = False
            return True
        return super().eventFilter(watched, event)

    def _fit_step_items(self) -> None:
        """Each step's height for its text wrapped in the list's width. The item delegate
        wraps without the stylesheet's item padding, so a title just shorter than the list
        ("Kernbeslissingen en opschalingen  ✓") got one line and was cut off with "…"."""
        room = self.step_list.viewport().width() - 2 * self.step_list.spacing()
        width = room - 20  # the padding, 8 + 8, and a margin
        if width <= 0:
            return
        metrics = self.step_list.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        for row in range(self.step_list.count()):
            item = self.step_list.item(row)
            height = metrics.boundingRect(0, 0, width, 10_000, flags, item.text()).height() + 14  # padding 6 + 6
            if item.sizeHint() != QSize(room, height):
                item.setSizeHint(QSize(room, height))

    def _focus_page(self, field: QWidget | None = None) -> None:
        from .fit import focus_first_field

        page = self.stack.currentWidget()
        if page is not None and self.isVisible():
            focus_first_field(page, field)

    # --- dossier -> pages ------------------------------------------------------------------

    def _load_dossier_into_pages(self) -> None:
        d = self.dossier
        which = gesprek_title(d)
        self.setWindowTitle(("DEMO — " if self.demo else "") + f"{which} — {d.titel}")  # Qt adds " — Keukentafel"
        self.title_label.setText(d.titel)
        state = "afgerond" if d.definitief else "concept"
        self.subtitle.setText(f"{which} van {d.gesprek.datum:%d-%m-%Y} · {d.huishouden.adres.one_line()} · {state}")
        read_only = self.read_only
        closed = read_only and d.gesprek.soort is GesprekSoort.AFSLUITING
        if closed:
            self.read_only_banner.setText(
                "Het traject is afgesloten; dit gesprek is alleen te lezen. Komt er weer hulp, "
                "start dan een nieuwe intake."
            )
        else:
            self.read_only_banner.setText(
                f"{which} is afgerond en alleen te lezen. Start de evaluatie of de afsluiting om verder te werken."
            )
        self.read_only_banner.setVisible(read_only)
        self.start_buttons[GesprekSoort.EVALUATIE].setVisible(read_only and not closed)
        self.start_buttons[GesprekSoort.AFSLUITING].setVisible(read_only and not closed)
        self.start_buttons[GesprekSoort.INTAKE].setVisible(closed)
        self._stale = set(self.step_ids)
        current = self.current_step_id
        if current is not None:
            self._ensure_fresh(current)

    @property
    def dossier(self) -> Dossier:
        return self.document.dossier

    @property
    def read_only(self) -> bool:
        return self.document.read_only

    def page(self, step_id: str) -> StepPage:
        """The page of a step, built on first use (opening a dossier stays quick)."""
        page = self.pages.get(step_id)
        if page is not None:
            return page
        page = self.step_classes[step_id](self.context)
        page.setObjectName(f"step_{step_id}")
        self.pages[step_id] = page
        self._stale.add(step_id)
        row = self.step_ids.index(step_id)
        stand_in = self.stack.widget(row)
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        page.go_to_location.connect(self.go_to)
        page.show_step_requested.connect(self.show_step)
        page.finalise_requested.connect(self.finalise)
        return page

    def _ensure_fresh(self, step_id: str) -> StepPage:
        page = self.page(step_id)
        if step_id in self._stale:
            self._stale.discard(step_id)
            page.set_document(self.document)
            page.set_gaps(self.gaps)
            page.set_read_only(self.read_only)
        return page

    # --- steps ------------------------------------------------------------------------------

    @property
    def current_step_id(self) -> str | None:
        item = self.step_list.currentItem()
        return item.data(StepRole) if item is not None else None

    def visible_steps(self) -> list[str]:
        return [
            self.step_list.item(r).data(StepRole)
            for r in range(self.step_list.count())
            if not self.step_list.item(r).isHidden()
        ]

    def show_step(self, step_id: str) -> StepPage:
        row = self.step_ids.index(step_id)
        item = self.step_list.item(row)
        if item.isHidden():  # e.g. asked to go to the Meldcode: show it anyway
            item.setHidden(False)
        if self.step_list.currentRow() != row:
            self.step_list.setCurrentRow(row)  # -> _row_changed
        else:
            self._row_changed(row)
        return self.pages[step_id]

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        step_id = self.step_ids[row]
        self._ensure_fresh(step_id)
        self.stack.setCurrentIndex(row)
        steps = self.visible_steps()
        self.prev_button.setEnabled(step_id != steps[0])
        self.next_button.setEnabled(step_id != steps[-1])
        self.step_list.scrollToItem(self.step_list.item(row))
        position = steps.index(step_id) + 1 if step_id in steps else row + 1
        self.step_list.setAccessibleDescription(f"Stap {position} van {len(steps)}")
        if not self._list_keys:
            self._focus_page()  # the first field of the new step, not 4 Tabs away

    def next_step(self) -> None:
        self._move(1)

    def previous_step(self) -> None:
        self._move(-1)

    def _move(self, delta: int) -> None:
        steps = self.visible_steps()
        current = self.current_step_id
        index = steps.index(current) if current in steps else 0
        target = max(0, min(len(steps) - 1, index + delta))
        if steps[target] != current:
            self.show_step(steps[target])

    def go_to(self, location: Location) -> None:
        """Show the step of a gap's location and put the focus on its exact field."""
        if location.section not in self.step_ids:
            return
        page = self.show_step(location.section)
        page.focus_location(location)
        focused = QApplication.focusWidget()
        if focused is not None and page.isAncestorOf(focused):
            self._focus_page(focused)  # scrolled into view in its page

    # --- edits, gaps, autosave -------------------------------------------------------------

    def _document_changed(self, paths: list[Path]) -> None:
        """Any change (an edit, undo, redo, a colleague's change): gaps and title. The pages
        follow the document themselves (a page not on screen when it is shown)."""
        self._gaps_timer.start()
        if structural(paths):
            self.title_label.setText(self.dossier.titel)

    def refresh_gaps(self) -> None:
        self._gaps_timer.stop()
        try:
            self.gaps = formsapi.gaps(self.dossier, self.context.definitions)
        except Exception as exc:  # noqa: BLE001 - a rules bug must not lose the edit
            from .errors import log_unexpected

            log_unexpected(exc)
            self.gaps = []
        blocking, warnings = self._per_step(blocking=True), self._per_step(blocking=False)
        defs = self.context.definitions
        for row, step_id in enumerate(self.step_ids):
            item = self.step_list.item(row)
            cls = self.step_classes[step_id]
            title = cls.title
            try:
                applies = cls.applies_to(self.dossier, defs)
            except Exception as exc:  # noqa: BLE001
                from .errors import log_unexpected

                log_unexpected(exc)
                applies = True
            hidden = not applies and not blocking[step_id] and step_id != self.current_step_id
            item.setHidden(hidden)
            if step_id in ("controle", "ondertekenen"):
                total = sum(blocking.values())
                mark = "" if step_id == "ondertekenen" else (f"  ({total})" if total else "  ✓")
                spoken = f"{title}: nog {total} blokkerende punten" if total else f"{title}: alles compleet"
            elif blocking[step_id]:
                mark = f"  ({blocking[step_id]})"
                spoken = f"{title}: {blocking[step_id]} blokkerende punten"
            else:
                try:
                    still_open = max(cls.open_points(self.dossier), warnings[step_id])  # often the same thing
                except Exception as exc:  # noqa: BLE001
                    from .errors import log_unexpected

                    log_unexpected(exc)
                    still_open = 0
                if still_open:  # ✓ only when nothing on the step is open
                    mark = f"  ○ {still_open}"
                    spoken = f"{title}: geen blokkerende punten, nog {still_open} open"
                else:
                    mark = "  ✓"
                    spoken = f"{title}: compleet"
            item.setText(f"{title}{mark.replace('  ', chr(0xA0) * 2)}")  # the mark stays on the line
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            item.setToolTip(spoken)
        self._fit_step_items()
        for step_id, page in self.pages.items():
            if step_id not in self._stale:
                page.set_gaps(self.gaps)

    def _per_step(self, *, blocking: bool) -> Counter[str]:
        """How many blocking points (or aandachtspunten) each step has."""
        return Counter(g.location.section for g in self.gaps if g.blokkerend is blocking)

    def blocking_counts(self) -> dict[str, int]:
        counts = self._per_step(blocking=True)
        return {s: counts[s] for s in self.step_ids}

    @property
    def dirty(self) -> bool:
        return self.document.dirty

    @property
    def saving(self) -> bool:
        return self.document.saving or self._finalising

    def save_now(self) -> None:
        """Save the dossier now (Ctrl+S, flush); the vault thread runs jobs in order."""
        if self._gaps_timer.isActive():
            self.refresh_gaps()
        self.document.save_now()

    flush = save_now

    # --- sync conflicts -------------------------------------------------------------------

    def set_conflicts(self, count: int) -> None:
        """Show (count > 0) or hide the "Conflict" banner with "Conflicten oplossen…"."""
        self.conflict_count = count
        if count:
            self.conflict_banner.setText(
                "Conflict: de gemeente heeft "
                + ("1 onderdeel" if count == 1 else f"{count} onderdelen")
                + " anders gewijzigd dan hier. Kies welke versie blijft."
            )
        self.conflict_banner.setVisible(bool(count))
        self.conflict_button.setVisible(bool(count))

    def replace_dossier(self, dossier: Dossier) -> None:
        """Show ``dossier`` as stored (after a conflict was resolved); nothing unsaved is lost
        because the application flushed before the choice and the dialog is modal."""
        self.document.replace(dossier, revision=revision_of(dossier))
        self._show_new_dossier()

    def _show_new_dossier(self) -> None:
        """The document holds another dossier object: its gesprek's steps, pages, gaps."""
        self._set_steps(self.dossier.gesprek.soort)
        self._load_dossier_into_pages()
        self.refresh_gaps()

    @property
    def finalising(self) -> bool:
        return self._finalising

    # --- finalise and new version ---------------------------------------------------------

    def finalise(self) -> None:
        """Freeze the dossier, build its verslag, store the immutable version, save.

        ``forms.finalise`` and the PDF run on the pool (``desktop.finalising.prepare_final``),
        storing on the vault thread (``store_final``: the version first, then the working
        dossier). The pages are disabled meanwhile so no edit can slip in between.
        """
        if self.read_only or self._finalising:
            return
        self.refresh_gaps()
        blocking = [g for g in self.gaps if g.blokkerend]
        if blocking:
            show_error(formsapi.IncompleteDossier(blocking), self)
            self.show_step("controle")
            return
        from .finalising import prepare_final, store_final

        self.document.mark_clean()
        self._finalising = True
        self.stack.setEnabled(False)
        self.save_label.setText("Gesprek wordt afgerond en het verslag gemaakt…")
        source = self.dossier.model_copy(deep=True)
        defs, verslag = self.context.definitions, self.context.verslag  # as the preview

        def store(prepared: tuple[Dossier, bytes]) -> None:
            final, pdf = prepared
            self.tasks.run_db(lambda vault: store_final(vault, final, pdf), done, failed, owner=self)

        def done(result: FinaliseResult) -> None:
            self._finalising = False
            self.stack.setEnabled(True)
            # as stored: the next save (the gesprek started after it) checks against this revision
            self.document.replace(result.final, revision=revision_of(result.final))
            self._load_dossier_into_pages()
            self.refresh_gaps()
            sha = result.final.definitief.sha256
            self.save_label.setText(f"Afgerond en opgeslagen {dt.datetime.now():%H:%M} · kenmerk {sha[:12]}")
            self.saved.emit(result.summary)

        def failed(exc: BaseException) -> None:
            self._finalising = False
            self.stack.setEnabled(True)
            self.document.mark_dirty()
            self.save_label.setText(f"Niet afgerond: {message_for(exc)}")
            show_error(exc, self)

        self.tasks.run_in_background(lambda: prepare_final(source, defs, verslag), store, failed, owner=self)

    def start_gesprek(self, soort: GesprekSoort) -> None:
        """The next gesprek after this finalised one (``forms.start_gesprek``): saved first,
        then shown with its own steps. The finalised gesprek and its verslag stay as stored."""
        if not self.read_only or self._finalising:
            return
        try:
            nxt = formsapi.start_gesprek(self.dossier, soort)
        except Exception as exc:  # noqa: BLE001 - forms.TrajectoryClosed and the like: a Dutch melding
            show_error(exc, self)
            return
        self.document.replace(nxt, dirty=True)  # saved at once (the vault thread keeps the order)
        self._show_new_dossier()
        self.show_step(self.step_ids[0])

    # --- closing --------------------------------------------------------------------------

    def close_for_lock(self) -> None:
        """Lock: the application flushed already; hide without asking anything."""
        self._locking = True
        self.flush()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        from .fit import save_window_size

        save_window_size(self, "gesprek")
        self.flush()
        event.accept()
        if not self._locking:
            self.closed.emit()
