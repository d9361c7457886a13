"""The caseload window: the households in the vault, searchable and filterable.

The list comes from ``Vault.list_dossiers()`` (run on the vault thread); nothing
here reads a whole dossier. Opening a household (double-click, Enter or
"Openen") emits ``open_requested(dossier_id)``; the application opens the workspace.

A household whose dossier the sync marked "conflict" (``DossierListing.conflict``) says so
in words -- "(conflict)" after its name and "Conflict" in its own column -- and can be
filtered on ("met conflict"); "Conflicten oplossen…" (shown for such a household) emits
``conflicts_requested(dossier_id)``. A household whose changes the gemeente refused
(``vault.sync_waiting()``) shows "wacht" under "Niet verzonden", the reason as tooltip. The
sync indicator sits on one line above the buttons (the application adds it:
``desktop.sync_status``).

Where each household stands in its trajectory (issue 13) comes from the listing's summary
columns: the phase ("Fase"), the next evaluation date and the waakvlam. A household whose
evaluation is overdue (``DossierListing.te_laat``) comes first whatever the sort, and says
"te laat" in words (not only in colour); "evaluatie te laat" filters on it. For a household
whose current gesprek is finalised the window offers "Evaluatie starten" and "Afsluiting
starten" (after a finalised afsluiting only "Nieuwe intake starten"): ``start_requested``;
"Tijdlijn" (Ctrl+T) emits ``timeline_requested``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from forms import GesprekSoort
from forms.summary import GesprekStatus
from forms.trajectory import Fase

from .fit import dismiss, place_window, present, save_window_size, shown
from .newhousehold import NewHouseholdDialog
from .shortcuts import add_action, add_help_action
from .widgets import button, label, tab_chain

if TYPE_CHECKING:
    from forms import Dossier
    from storage import DossierListing, Vault

    from .history import HistoryDialog
    from .settings_dialog import SettingsDialog
    from .sync_status import SyncStatusWidget
    from .tasks import TaskManager

__all__ = ["CaseloadWindow", "ListingModel", "COLUMNS", "ElidedLabel"]

_LATE = QColor("#9b1c1c")  # dark red, besides the words "te laat" (never colour alone)
CONFLICT_TIP = (
    "Conflict: dit dossier is hier en bij de gemeente verschillend gewijzigd. "
    "Open het (of kies ‘Conflicten oplossen…’) om per onderdeel een versie te kiezen."
)
_Index = QModelIndex | QPersistentModelIndex
Waiting = dict[UUID, str]  # dossier id -> the gemeente's reason (``vault.sync_waiting()``)


def _households(count: int) -> str:
    return "1 huishouden" if count == 1 else f"{count} huishoudens"


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        if value.date() == dt.date.today():
            return "vandaag " + value.strftime("%H:%M")
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def _sort_key_when(value: Any) -> float:
    if isinstance(value, dt.datetime):
        return value.timestamp() if value.tzinfo else value.replace(tzinfo=dt.UTC).timestamp()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp()
    return 0.0


def _fase_label(value: str) -> str:
    """The Dutch label of a listing's ``fase`` (``forms.trajectory.Fase``)."""
    try:
        return Fase(value).label
    except ValueError:
        return str(value or "")


def _te_laat(item: DossierListing) -> bool:
    return bool(getattr(item, "te_laat", False))


def _conflict(item: DossierListing) -> bool:
    return bool(getattr(item, "conflict", False))


def _waits(item: DossierListing, waiting: Waiting) -> bool:
    return bool(item.onverzonden and item.id in waiting)


def _date_sort(name: str) -> Callable[[DossierListing], Any]:
    """Sorts on a date attribute; no date sorts last (ascending)."""
    return lambda item: (getattr(item, name, None) is None, getattr(item, name, None) or dt.date.min)


def _evaluatie_text(item: DossierListing, _waiting: Waiting | None = None) -> str:
    due = getattr(item, "volgende_evaluatie", None)
    if due is None:
        return "—"
    return f"te laat · {_when(due)}" if _te_laat(item) else _when(due)


def _evaluatie_spoken(item: DossierListing, _waiting: Waiting | None = None) -> str:
    due = getattr(item, "volgende_evaluatie", None)
    if due is None:
        return "Geen evaluatie gepland"
    if _te_laat(item):
        return f"Evaluatie te laat: gepland op {_when(due)}"
    return f"Volgende evaluatie {_when(due)}"


def _unsent_spoken(item: DossierListing, waiting: Waiting) -> str:
    if _waits(item, waiting):
        return "Wacht op de gemeente: " + waiting[item.id]
    return "Niet verzonden wijzigingen" if item.onverzonden else "Alles verzonden"


def _waakvlam_spoken(item: DossierListing, _waiting: Waiting) -> str:
    date = getattr(item, "waakvlam", None)
    return "Geen waakvlam" if date is None else f"Waakvlam: contact opnemen op {_when(date)}"


def _waakvlam_tip(item: DossierListing, _waiting: Waiting) -> str | None:
    date = getattr(item, "waakvlam", None)
    return None if date is None else f"Waakvlam: na de afsluiting contact opnemen op {_when(date)}"


class _Column(NamedTuple):
    """One column of the caseload: its header, and what a row shows, says and sorts on there."""

    title: str
    text: Callable[[DossierListing, Waiting], str]
    sort: Callable[[DossierListing], Any] | None = None  # None: the text, in lower case
    width: int | None = 0  # in average characters (the column scales with the font); None: stretched
    spoken: Callable[[DossierListing, Waiting], str | None] = lambda _item, _waiting: None  # AccessibleTextRole
    tip: Callable[[DossierListing, Waiting], str | None] = lambda _item, _waiting: None
    centred: bool = False


# Logical columns keep their numbers (7-9 came last); VISUAL_ORDER below shows where a
# household stands first, so at 200 % the phase and the next evaluation are in sight without scrolling.
_COLUMNS = (
    _Column(
        "Huishouden",
        lambda i, _w: i.titel + ("  (conflict)" if _conflict(i) else ""),
        lambda i: i.titel.lower(),
        22,
        spoken=lambda i, _w: f"{i.titel}, evaluatie te laat" if _te_laat(i) else None,
        tip=lambda i, _w: CONFLICT_TIP if _conflict(i) else None,
    ),
    _Column("Adres", lambda i, _w: i.adres, width=None),
    _Column("Laatst gewijzigd", lambda i, _w: _when(i.gewijzigd), lambda i: _sort_key_when(i.gewijzigd), 15),
    _Column("Status", lambda i, _w: getattr(i.status, "label", str(i.status)), width=11),
    _Column(
        "Open punten",
        lambda i, _w: str(i.blokkerend) if i.blokkerend else "✓",
        lambda i: i.blokkerend,
        spoken=lambda i, _w: f"{i.blokkerend} blokkerende punten" if i.blokkerend else "Geen open punten",
        centred=True,
    ),
    _Column(  # every autosave queues a change; the count itself says little
        "Niet verzonden",
        lambda i, w: "wacht" if _waits(i, w) else ("ja" if i.onverzonden else "—"),
        lambda i: i.onverzonden,
        spoken=_unsent_spoken,
        tip=lambda i, w: w[i.id] if _waits(i, w) else None,
        centred=True,
    ),
    _Column(
        "Conflict",
        lambda i, _w: "Conflict" if _conflict(i) else "—",
        lambda i: int(_conflict(i)),
        spoken=lambda i, _w: CONFLICT_TIP if _conflict(i) else "Geen conflict",
        tip=lambda i, _w: CONFLICT_TIP if _conflict(i) else None,
        centred=True,
    ),
    _Column("Fase", lambda i, _w: _fase_label(getattr(i, "fase", "")), width=10),
    _Column(
        "Volgende evaluatie",
        _evaluatie_text,
        _date_sort("volgende_evaluatie"),
        17,
        spoken=_evaluatie_spoken,
        tip=_evaluatie_spoken,
    ),
    _Column(
        "Waakvlam",
        lambda i, _w: "—" if getattr(i, "waakvlam", None) is None else _when(i.waakvlam),
        _date_sort("waakvlam"),
        spoken=_waakvlam_spoken,
        tip=_waakvlam_tip,
    ),
)
COLUMNS = tuple(column.title for column in _COLUMNS)
VISUAL_ORDER = (0, 7, 8, 9, 3, 4, 1, 2, 5, 6)
_LATE_COLUMNS = (0, 8)  # a household whose evaluation is overdue: its name and the date in dark red, bold
_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
    )
)


# The "Alleen:" filters, in the order of ListingModel.set_criteria's flags.
_ONLY: tuple[Callable[[DossierListing], object], ...] = (lambda i: i.blokkerend, lambda i: i.onverzonden, _conflict, _te_laat)


class ListingModel(QAbstractTableModel):
    """Rows are storage ``DossierListing`` values: those the search and filters accept, in sort order.

    Search, filters and sorting run here in plain Python over precomputed keys, once per
    change, and the view gets one reset: a proxy model that asks Python for every row (and
    for every comparison while sorting) took 0.1-0.6 s per keystroke in 5,000 households.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[DossierListing] = []
        self._haystacks: list[str] = []
        self._rows: list[DossierListing] = []
        self._words: list[str] = []  # the search
        self._status: GesprekStatus | None = None
        self._only: list[Callable[[DossierListing], object]] = []
        self._sort: tuple[int, bool] | None = None  # column, descending
        self._order: list[int] = []
        self._waiting: Waiting = {}

    def set_waiting(self, waiting: Waiting) -> None:
        """Dossiers the gemeente refused, with the Dutch reason (``vault.sync_waiting()``)."""
        self._waiting = dict(waiting)
        if self._rows:
            top, bottom = self.index(0, 5), self.index(len(self._rows) - 1, 5)
            self.dataChanged.emit(top, bottom)

    def set_listings(self, listings: list[DossierListing]) -> None:
        self._all = list(listings)
        self._haystacks = [_haystack(item) for item in self._all]
        self._order = self._sorted_order()
        self._refresh()

    def set_criteria(
        self,
        text: str,
        status: GesprekStatus | None,
        only_gaps: bool,
        only_unsent: bool,
        only_conflict: bool,
        only_late: bool = False,
    ) -> None:
        """Search on name, address and postcode; filter on status, open gaps, unsent changes,
        conflicts and overdue evaluations. All at once: one pass over the households, one reset."""
        self._words = text.lower().split()
        self._status = status
        flags = (only_gaps, only_unsent, only_conflict, only_late)
        self._only = [test for test, on in zip(_ONLY, flags, strict=True) if on]
        self._refresh()

    def _accepts(self, item: DossierListing, haystack: str) -> bool:
        if self._status is not None and item.status != self._status:
            return False
        return all(test(item) for test in self._only) and all(word in haystack for word in self._words)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The view's sort (a header click, ``sortByColumn``): Python's sort on precomputed keys."""
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self._order = self._sorted_order()
        self._refresh()

    def _sorted_order(self) -> list[int]:
        """Indexes into all households in display order (sorted once, not per keystroke).

        Households whose evaluation is overdue come first whatever the sort column (a
        stable sort on "te laat" after the chosen order)."""
        order = list(range(len(self._all)))
        if self._sort is not None:
            column, descending = self._sort
            spec = _COLUMNS[column]
            sort = spec.sort or (lambda item: str(spec.text(item, {})).lower())
            keys = [sort(item) for item in self._all]
            order.sort(key=keys.__getitem__, reverse=descending)
        late = [_te_laat(item) for item in self._all]
        order.sort(key=lambda i: not late[i])
        return order

    def shown_ids(self) -> list[UUID]:
        return [item.id for item in self._rows]

    def total(self) -> int:
        """All households, whatever the search and filters show."""
        return len(self._all)

    def _refresh(self) -> None:
        accept, items, hays = self._accepts, self._all, self._haystacks
        rows = [items[i] for i in self._order if accept(items[i], hays[i])]
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def listing(self, row: int) -> DossierListing | None:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():  # the view asks ~10 roles per cell
            return None
        item, column = self._rows[index.row()], _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item, self._waiting)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.spoken(item, self._waiting)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(item, self._waiting)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter) if column.centred else None
        if index.column() not in _LATE_COLUMNS or not _te_laat(item):
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_LATE)
        font = QFont()  # FontRole
        font.setBold(True)
        return font


def _haystack(item: DossierListing) -> str:
    postcode = str(item.postcode).lower()
    return " ".join([item.titel.lower(), str(item.adres).lower(), postcode, postcode.replace(" ", "")])


class ElidedLabel(QLabel):
    """One line that shows ``source``'s text elided to its width ("…"), the whole text as
    tooltip and accessible name; it never makes the window wider than the screen."""

    def __init__(self, source: QLabel) -> None:
        super().__init__()
        self.source = source
        self.setObjectName(source.objectName())
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 8)
        self._full = ""

    def follow(self, *_: Any) -> None:
        self._full = self.source.text()
        self.setToolTip(self._full)
        self.setAccessibleName(f"{self.source.accessibleName()}: {self._full}")
        self._elide()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width()))
        if shown != self.text():
            self.setText(shown)


class _Table(QTableView):
    open_current = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_current.emit()
            return
        super().keyPressEvent(event)


def _bar(layout: QVBoxLayout, text_name: str, *buttons: QPushButton) -> tuple[QWidget, QLabel]:
    """A hidden row under the table: a wrapping text (object name ``text_name``) and buttons."""
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    text = QLabel("")
    text.setObjectName(text_name)
    text.setWordWrap(True)
    row.addWidget(text, 1)
    for widget in buttons:
        row.addWidget(widget)
    bar.hide()
    layout.addWidget(bar)
    return bar, text


class CaseloadWindow(QMainWindow):
    open_requested = Signal(object)  # dossier id (UUID)
    lock_requested = Signal()
    closed = Signal()  # the user closed the caseload: the application quits
    settings_saved = Signal(object)  # desktop.settings.SettingsSnapshot ("Instellingen" → Opslaan)
    sync_settings_imported = Signal(object)  # "Instellingen" → Centraal systeem imported a file
    conflicts_requested = Signal(object)  # dossier id: "Conflicten oplossen…"
    timeline_requested = Signal(object)  # dossier id: "Tijdlijn"
    start_requested = Signal(object, object)  # dossier id, forms.GesprekSoort: "Evaluatie starten", …

    def __init__(self, tasks: TaskManager, *, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.demo = demo
        self.setObjectName("caseload")
        self.setWindowTitle(("DEMO — " if demo else "") + "Mijn huishoudens")  # Qt adds " — Keukentafel"
        self.setAccessibleName("Mijn huishoudens")
        self._new_dialog: NewHouseholdDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.sync_indicator: SyncStatusWidget | None = None

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 8)
        heading = label("Mijn huishoudens", object_name="heading", wrap=False)
        # The banner and the count beside the heading (no status bar): at 200 % every line
        # saved is a household more in sight.
        title_row = QHBoxLayout()
        title_row.addWidget(heading)
        if demo:
            banner = label(  # short: one line at 200 %
                "DEMO — verzonnen", name="DEMO — verzonnen gegevens", object_name="demoBanner", wrap=False,
                tip="DEMO — een verzonnen gezin, geen echte gegevens",
            )
            title_row.addWidget(banner, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        self.count_label = label(name="Aantal huishoudens", object_name="hint", wrap=False)
        title_row.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(title_row)

        bar = QHBoxLayout()
        search_label = QLabel("&Zoeken:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Naam, adres of postcode")
        self.search.setAccessibleName("Zoeken op naam, adres of postcode")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        search_label.setBuddy(self.search)
        status_label = QLabel("S&tatus:")
        self.status = QComboBox()
        self.status.setAccessibleName("Filter op status")
        self.status.addItem("Alle", None)
        for status in GesprekStatus:
            self.status.addItem(status.label, status)
        self.status.currentIndexChanged.connect(self._filter_changed)
        status_label.setBuddy(self.status)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 3)
        bar.addSpacing(12)
        bar.addWidget(status_label)
        bar.addWidget(self.status, 1)
        layout.addLayout(bar)
        checks = QHBoxLayout()  # a row of its own: the window must fit 683 px wide at 200 %
        checks.addWidget(QLabel("Alleen:"))
        only: list[QCheckBox] = []
        for text, name in (
            ("o&pen punten", "Alleen huishoudens met open punten"),
            ("niet verzon&den", "Alleen huishoudens met niet verzonden wijzigingen"),
            ("&conflict", "Alleen huishoudens met een conflict met de gemeente"),
            ("evaluatie te l&aat", "Alleen huishoudens waarvan de evaluatie te laat is"),
        ):
            if only:
                checks.addSpacing(12)
            only.append(QCheckBox(text))
            only[-1].setAccessibleName(name)
            only[-1].toggled.connect(self._filter_changed)
            checks.addWidget(only[-1])
        self.only_gaps, self.only_unsent, self.only_conflict, self.only_late = only
        checks.addStretch(1)
        layout.addLayout(checks)

        self.model = ListingModel(self)
        self.table = _Table()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Huishoudens")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.open_current.connect(self.open_selected)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_bars())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        for visual, logical in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(logical), visual)
        self._fit_header()
        layout.addWidget(self.table, 1)
        self.empty = label("Nog geen huishoudens. Kies ‘Nieuw huishouden’ om te beginnen.", object_name="hint", wrap=False)
        self.empty.hide()
        layout.addWidget(self.empty)

        # shown only while the selected household has a conflict (a row of its own: 683 px)
        self.conflicts_button = button(
            "Con&flicten oplossen…", self.resolve_selected, name="Conflicten oplossen", tip=CONFLICT_TIP
        )
        self.conflict_bar, self.conflict_text = _bar(layout, "readOnlyBanner", self.conflicts_button)
        # shown only while the selected household's current gesprek is finalised: what comes next
        self.evaluatie_button = button(
            "&Evaluatie starten", lambda: self.start_selected("evaluatie"), name="Evaluatie starten",
            tip="Een evaluatiegesprek beginnen; het afgeronde gesprek blijft zoals het is",
        )
        self.afsluiting_button = button(
            "Afs&luiting starten", lambda: self.start_selected("afsluiting"), name="Afsluiting starten",
            tip="Het afsluitende gesprek beginnen; het afgeronde gesprek blijft zoals het is",
        )
        self.intake_button = button(
            "Nieuwe inta&ke starten", lambda: self.start_selected("intake"), name="Nieuwe intake starten",
            tip="De hulp is afgesloten; een nieuwe intake begint een nieuw traject",
        )
        self.next_bar, self.next_text = _bar(
            layout, "hint", self.evaluatie_button, self.afsluiting_button, self.intake_button
        )
        self.sync_row = QVBoxLayout()  # the sync indicator (add_sync_indicator), above the buttons
        self.sync_row.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.sync_row)
        self.new_button = button("&Nieuw huishouden…", self.new_household, name="Nieuw huishouden")
        self.open_button = button("&Openen", self.open_selected, name="Huishouden openen")
        self.timeline_button = button(
            "Ti&jdlijn", self.timeline_selected, name="Tijdlijn van het huishouden",
            tip="De gesprekken, planversies, veiligheid en beslissingen op een rij (Ctrl+T)",
        )
        # Shortcuts in the tooltip, not the label: the row must fit 683 px at 200 %.
        self.lock_button = button(
            "&Vergrendelen", self.lock_requested, name="Vergrendelen", tip="Vergrendelen (Ctrl+L)"
        )
        self.settings_button = button(
            "&Instellingen…", self.open_settings, name="Instellingen", tip="Instellingen (Ctrl+,)"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.timeline_button)
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.lock_button)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

        self.lock_action = add_action(self, "Vergrendelen", self.lock_requested, "Ctrl+L")
        add_action(self, "Nieuw huishouden", self.new_household, QKeySequence.StandardKey.New)
        add_action(
            self, "Zoeken", lambda: (self.search.setFocus(), self.search.selectAll()), QKeySequence.StandardKey.Find
        )
        self.settings_action = add_action(self, "Instellingen…", self.open_settings, "Ctrl+,")
        self.help_action = add_help_action(self, "huishoudens")
        # the household's context menu (right click, the Menu key or Shift+F10): Openen, Geschiedenis…
        self.history_action = add_action(self, "Geschiedenis…", self.show_history, "Ctrl+H")
        open_action = QAction("Openen", self)
        open_action.triggered.connect(self.open_selected)
        self.timeline_action = add_action(self, "Tijdlijn", self.timeline_selected, "Ctrl+T")
        self.table.addActions([open_action, self.timeline_action, self.history_action])
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        tab_chain(
            self.search, self.status, *only, self.table, self.conflicts_button, self.evaluatie_button,
            self.afsluiting_button, self.intake_button, self.new_button, self.open_button, self.timeline_button,
            self.settings_button, self.lock_button,
        )
        place_window(self, "huishoudens", (1200, 700))

    def _fit_header(self) -> None:
        """Each column at least as wide as its header text (no "Open punter" at 200 %)."""
        header = self.table.horizontalHeader()
        char = self.table.fontMetrics().averageCharWidth()
        for section, column in enumerate(_COLUMNS[: header.count()]):
            if column.width is not None:  # in average characters: the address keeps room at 200 %
                header.resizeSection(section, max(column.width * char, header.sectionSizeFromContents(section).width() + 4))
        if header.count() > 1:  # the stretched address column never narrower than its header
            header.setMinimumSectionSize(header.sectionSizeFromContents(1).width() + 4)

    def changeEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_header()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._fit_header()

    def add_sync_indicator(self, indicator: SyncStatusWidget) -> None:
        """The sync indicator (``desktop.sync_status.SyncStatusWidget``), on one line of its own
        above the buttons. Its state and details show elided to the room there (the whole text
        in the tooltip and for a screen reader): wrapped, they took three lines at 200 % and
        left room for two households."""
        row = indicator.layout()
        assert isinstance(row, QBoxLayout)
        row.setSpacing(12)
        indicator.button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        for source, stretch in ((indicator.state_label, 2), (indicator.detail_label, 3)):
            source.setWordWrap(False)
            mirror = ElidedLabel(source)
            row.insertWidget(row.indexOf(source), mirror, stretch)
            source.hide()  # keeps its text: the mirror shows it
            # after the indicator's own slot: its labels have the new text (a QObject's slot:
            # disconnected when it is deleted)
            indicator.controller.view_changed.connect(mirror.follow)
            mirror.follow()
        self.sync_indicator = indicator
        self.sync_row.addWidget(indicator)

    # --- data ------------------------------------------------------------------------

    def reload(self) -> None:
        def read(vault: Vault) -> tuple[list[DossierListing], Waiting]:
            return vault.list_dossiers(), vault.sync_waiting()

        self.tasks.run_db(read, self._loaded, owner=self)

    def _loaded(self, result: tuple[list[DossierListing], Waiting]) -> None:
        listings, waiting = result
        self.model.set_waiting(waiting)
        self.set_listings(listings)

    def set_listings(self, listings: list[DossierListing]) -> None:
        current = self.current_id()
        self.model.set_listings(listings)
        self._keep_selection(current)  # a reload (after an autosave) keeps the selected household

    def current_id(self) -> UUID | None:
        listing = self.current_listing()
        return None if listing is None else listing.id  # type: ignore[no-any-return]

    def listing_ids(self) -> list[UUID]:
        """The ids of the rows shown (after search and filters), in display order."""
        return self.model.shown_ids()

    def _filter_changed(self, *_: Any) -> None:
        current = self.current_id()
        only = (self.only_gaps, self.only_unsent, self.only_conflict, self.only_late)
        self.model.set_criteria(self.search.text(), self.status.currentData(), *(box.isChecked() for box in only))
        self._keep_selection(current)

    def _keep_selection(self, current: UUID | None) -> None:
        """The chosen household stays selected while it is shown, else the first; then the counts."""
        ids = self.listing_ids()
        if ids:
            self.table.setCurrentIndex(self.model.index(ids.index(current) if current in ids else 0, 0))
        self._update_counts()

    def _update_counts(self) -> None:
        total, shown = self.model.total(), self.model.rowCount()
        self.empty.setVisible(total == 0)
        self.count_label.setText(_households(total) if shown == total else f"{shown} van {_households(total)}")
        self.open_button.setEnabled(shown > 0)
        self.timeline_button.setEnabled(shown > 0)
        self._update_bars()

    def current_listing(self) -> DossierListing | None:
        index = self.table.currentIndex()
        return self.model.listing(index.row()) if index.isValid() else None

    def _update_bars(self) -> None:
        """The conflict bar for a household with a conflict; "Evaluatie starten" / "Afsluiting
        starten" for a household whose gesprek is finalised, after a finalised afsluiting only
        "Nieuwe intake starten"."""
        listing = self.current_listing()
        conflict = _conflict(listing) if listing is not None else False
        if conflict:
            self.conflict_text.setText(
                f"{listing.titel}: conflict met de gemeente. Kies per onderdeel welke versie blijft."
            )
        self.conflict_bar.setVisible(conflict)
        final = listing is not None and listing.status == GesprekStatus.GETEKEND
        closed = final and str(getattr(listing, "fase", "")) == "afgesloten"
        if final:
            done = "het traject is afgesloten" if closed else "het laatste gesprek is afgerond"
            self.next_text.setText(f"{listing.titel}: {done}.")
        self.evaluatie_button.setVisible(final and not closed)
        self.afsluiting_button.setVisible(final and not closed)
        self.intake_button.setVisible(closed)
        self.next_bar.setVisible(final)

    # --- actions ---------------------------------------------------------------------

    def timeline_selected(self) -> None:
        dossier_id = self.current_id()
        if dossier_id is not None:
            self.timeline_requested.emit(dossier_id)

    def start_selected(self, soort: str) -> None:
        """Ask the application to start the next gesprek (``forms.start_gesprek``) and open it."""
        listing = self.current_listing()
        if listing is not None and listing.status == GesprekStatus.GETEKEND:
            self.start_requested.emit(listing.id, GesprekSoort(soort))

    def open_selected(self) -> None:
        dossier_id = self.current_id()
        if dossier_id is not None:
            self.open_requested.emit(dossier_id)

    def show_history(self) -> HistoryDialog | None:
        """The Geschiedenis of the selected household (None when none is selected)."""
        dossier_id = self.current_id()
        if dossier_id is None:
            return None
        from .history import open_history

        return open_history(self, self.tasks, dossier_id)

    def resolve_selected(self) -> None:
        """The button "Conflicten oplossen…": ask the application for the selected household's dialog."""
        listing = self.current_listing()
        if listing is not None and _conflict(listing):
            self.conflicts_requested.emit(listing.id)

    def new_household(self) -> None:
        dialog = NewHouseholdDialog(self)
        self._new_dialog = dialog
        dialog.created.connect(self._save_new)
        dialog.open()

    def open_settings(self) -> SettingsDialog:
        """The "Instellingen" dialog (one at a time); it loads its values from the vault itself."""
        from .settings_dialog import SettingsDialog

        if shown(self.settings_dialog):
            return present(self.settings_dialog)
        dialog = SettingsDialog(self.tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.saved.connect(self.settings_saved)
        dialog.sync_imported.connect(self.sync_settings_imported)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _save_new(self, dossier: Dossier) -> None:
        copy = dossier.model_copy(deep=True)
        self.tasks.run_db(
            lambda vault: vault.save(copy),
            lambda _summary: (self.reload(), self.open_requested.emit(copy.id)),
            owner=self,
        )

    def close_for_lock(self) -> None:
        if self._new_dialog is not None:
            self._new_dialog.close()
        dismiss(self.settings_dialog)
        self.settings_dialog = None
        self.model.set_listings([])
        self.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        save_window_size(self, "huishoudens")
        event.accept()
        self.closed.emit()
