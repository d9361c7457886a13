"""Step "Leefgebieden": every life domain, for the household and each member (T2, T5, T6).

Built from the domain set in the definitions (data, never hard-coded ids), so a
municipality's own set shows without code changes. The page is a matrix (domains ×
household and members) whose cells say besproken / n.v.t. / open — or "—" where the
set does not ask for that cell — in text and colour, and below it an editor for the
selected cell with the set's guiding questions beside the fields.

The editor's fields are bound to the selected cell's :class:`forms.DomainEntry` (paths
that follow the selection). Editing a cell creates its entry in the same undo step as the
edit; typing concerns, strengths or a request, or choosing a ZRM score, marks an open cell
"besproken" in that step too ("Ongedaan maken: zorgen bij Wonen"); the wijkcoach can still
choose "niet van toepassing" (with a reason) instead.
"""

from __future__ import annotations

from enum import StrEnum
from functools import partial
from html import escape
from typing import Any, ClassVar
from uuid import UUID, uuid4

from PySide6.QtCore import QRect, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import (
    ErrorLabel,
    RadioChoice,
    ResponsiveRow,
    button,
    form_row,
    intro_layout,
    label,
    line_edit,
    short_text,
    tab_chain,
)
from forms import DomainEntry, Member
from forms.definitions import DomainDefinition, DomainSet, ZrmScale
from forms.paths import MISSING, Item, Path

from .base import StepContext, StepPage, structural

__all__ = ["CellState", "LeefgebiedenPage"]

Cell = tuple[str, UUID | None]  # (domain id, member id or None for the household)


class CellState(StrEnum):
    BESPROKEN = "besproken"
    NVT = "nvt"
    OPEN = "open"
    NIET_GEVRAAGD = "niet_gevraagd"  # the set does not ask for this cell (and nothing recorded)

    @property
    def text(self) -> str:
        return _STYLE[self][0]

    @property
    def spoken(self) -> str:
        return _STYLE[self][3]


# text, background, foreground, what a screen reader says: the text carries the meaning, colour only helps
_STYLE: dict[str, tuple[str, str | None, str, str]] = {
    "besproken": ("✓ besproken", "#d6eed8", "#14532d", "besproken"),
    "nvt": ("n.v.t.", "#e3e3e3", "#303030", "niet van toepassing"),
    "open": ("○ open", "#fde2bd", "#6b2d00", "nog open"),
    "niet_gevraagd": ("—", None, "#707070", "hoeft niet"),
}

_TEXT_FIELDS = ("zorgen", "krachten", "hulpvraag")


def entry_state(entry: DomainEntry | None, required: bool) -> CellState:
    """What a matrix cell shows for an entry (or none) that is or isn't required."""
    if entry is not None and entry.besproken:
        return CellState.BESPROKEN
    if entry is not None and entry.niet_van_toepassing:
        return CellState.NVT
    if required or (entry is not None and _has_content(entry)):
        return CellState.OPEN
    return CellState.NIET_GEVRAAGD


def _has_content(entry: DomainEntry) -> bool:
    return bool(entry.zorgen or entry.krachten or entry.hulpvraag or entry.nvt_reden) or (
        entry.zrm is not None
    )


class _Matrix(QTableWidget):
    """The overview: one row per domain, one column for the household and per member."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(False)  # arrows move between cells, Tab leaves the matrix
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.setAccessibleName("Overzicht leefgebieden per gezinslid")
        self.setAccessibleDescription(
            "Pijltjestoetsen kiezen een leefgebied en gezinslid; Enter opent het om te bewerken."
        )
        # columns as wide as their content (nothing cut off, also at 200 %); a long
        # domain name wraps in the row header instead of pushing the members away
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # many members or 200 %: the matrix scrolls sideways and grows to show the bar
        self.horizontalScrollBar().rangeChanged.connect(lambda *_: self.fit_height())
        self.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)  # no empty band

    def fit_height(self) -> None:
        """Row heights that fit the (label) domain names; as tall as its rows: the page
        scrolls, the matrix does not."""
        header = self.verticalHeader()
        width = self.fontMetrics().averageCharWidth() * 26
        header.setMaximumWidth(width)
        font = QFont(header.font())
        font.setBold(True)  # the stylesheet's header sections are bold
        metrics = QFontMetrics(font)
        cell = self.fontMetrics().height() + 16
        for row in range(self.rowCount()):
            item = self.verticalHeaderItem(row)
            text = item.text() if item is not None else ""
            box = metrics.boundingRect(QRect(0, 0, width - 16, 10_000), Qt.TextFlag.TextWordWrap, text)
            self.setRowHeight(row, max(cell, box.height() + 14))
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        top = self.horizontalHeader().sizeHint().height()
        scrollbar = (
            self.horizontalScrollBar().sizeHint().height()
            if self.horizontalScrollBar().maximum() > 0
            else 0
        )
        self.setFixedHeight(rows + top + scrollbar + 2 * self.frameWidth() + 2)


class ZrmChart(QWidget):
    """The ZRM scores as horizontal bars, 1 (acute) to 5 (volledig zelfredzaam)."""

    COLOURS: ClassVar[dict[int, str]] = {1: "#b00020", 2: "#d9622b", 3: "#d9a400", 4: "#6a9f3a", 5: "#2e7d4f"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scores: list[tuple[str, int]] = []
        self.setAccessibleName("Zelfredzaamheid (ZRM) in een grafiek")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def set_scores(self, scores: list[tuple[str, int]]) -> None:
        self.scores = list(scores)
        self.setAccessibleDescription(
            "; ".join(f"{name}: {score}" for name, score in self.scores) or "Nog geen ZRM-scores."
        )
        self.setToolTip(self.accessibleDescription())
        self.updateGeometry()
        self.update()

    def _line(self) -> int:
        return self.fontMetrics().lineSpacing()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(self.fontMetrics().horizontalAdvance("Zelfredzaamheid") + 20, self.sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        rows = max(1, len(self.scores))
        return QSize(self.fontMetrics().horizontalAdvance("M") * 22, self._line() * (2 + 2 * rows) + 8)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        line = self._line()
        width = self.width() - 8
        painter.setPen(QColor("#1d3b53"))
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(4, line, "Zelfredzaamheid (ZRM)")
        painter.setFont(self.font())
        if not self.scores:
            painter.setPen(QColor("#52606d"))
            painter.drawText(4, 2 * line + 4, "Nog geen scores.")
            return
        y = line + 8
        for name, score in self.scores:
            painter.setPen(QColor("#1f2933"))
            painter.drawText(4, y + line - 4, self.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, width))
            y += line
            bar = max(1, int((width - 4 * line) * score / 5))
            painter.fillRect(4, y + 2, bar, line - 6, QColor(self.COLOURS.get(score, "#52606d")))
            painter.drawText(8 + bar, y + line - 4, str(score))
            y += line
        painter.end()


class LeefgebiedenPage(StepPage):
    """Matrix of life domains × household and members, with an editor per cell."""

    step_id = "leefgebieden"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._domain_set: DomainSet | None = None
        self._zrm: ZrmScale | None = None
        self._rows: list[str] = []  # domain ids, in set order (then unknown ids with data)
        self._members: list[Member] = []  # columns 1..n; column 0 is the household
        self._required: set[Cell] = set()
        self._cell: Cell | None = None
        self._new_id = str(uuid4())  # the id the selected cell's entry gets when it is made
        self._zrm_applies = False
        self._build()

    # --- construction -----------------------------------------------------------------

    def _build(self) -> None:
        column = intro_layout(
            self.content,
            "Bespreek elk leefgebied voor het huishouden en voor ieder gezinslid, of geef aan "
            "waarom het niet van toepassing is. Kies een vakje in het overzicht en druk op "
            "Enter om het in te vullen.",
        )
        matrix_label = label("&Overzicht", bold=True)
        self.matrix = _Matrix()
        matrix_label.setBuddy(self.matrix)
        column.addWidget(matrix_label)
        # the ZRM scores as a chart beside the matrix (below it in a narrow window)
        self.zrm_chart = ZrmChart()
        matrix_row = ResponsiveRow(110)
        matrix_row.addWidget(self.matrix, 3)
        matrix_row.addWidget(self.zrm_chart, 1)
        column.addWidget(matrix_row)
        self.matrix.currentCellChanged.connect(self._current_cell_changed)
        self.matrix.cellActivated.connect(self._cell_activated)

        legend = label(
            "✓ besproken  ·  n.v.t. = niet van toepassing (met reden)  ·  ○ open = nog "
            "bespreken  ·  — = hoeft niet voor dit gezinslid",
            name="Legenda",
        )
        column.addWidget(legend)

        progress_row = QHBoxLayout()
        self.progress = label(name="Voortgang leefgebieden")
        # navigation: usable when read-only
        self.next_button = button("&Volgende open onderwerp", self.go_to_next_open, name="Volgende open onderwerp",
                                  tip="Ga naar het eerstvolgende leefgebied dat nog open is", keep_enabled=True)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.next_button)
        column.addLayout(progress_row)

        self.set_warning = label(style="color: #b00020;", hidden=True)
        column.addWidget(self.set_warning)

        self.editor = QGroupBox("Kies een vakje in het overzicht")
        self.editor.setAccessibleName("Leefgebied bewerken")
        editor_column = QVBoxLayout(self.editor)
        editor_row = ResponsiveRow(90)  # questions beside the fields; below them at 200 %
        editor_column.addWidget(editor_row)
        fields = QWidget()
        form = QFormLayout(fields)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form = form

        self.status = RadioChoice(
            [
                (CellState.OPEN, "Nog open"),
                (CellState.BESPROKEN, "&Besproken"),
                (CellState.NVT, "&Niet van toepassing"),
            ],
            "Status van dit leefgebied",
        )
        self.reden = line_edit("Waarom is dit leefgebied niet van toepassing?")
        self.zorgen = short_text()
        self.zorgen.setPlaceholderText("Wat gaat er niet goed, waar maakt het gezin zich zorgen over?")
        self.krachten = short_text()
        self.krachten.setPlaceholderText("Wat gaat er goed, wat kan het gezin zelf?")
        self.hulpvraag = short_text()
        self.hulpvraag.setPlaceholderText("Welke hulp vraagt het gezin op dit leefgebied?")
        self.zrm = QComboBox()
        self.zrm_uitleg = label(style="color: #444444;")

        self._errors: dict[str, ErrorLabel] = {
            "status": form_row(form, "Status:", self.status),
            "nvt_reden": form_row(
                form, "R&eden (verplicht):", self.reden, accessible_name="Reden niet van toepassing (verplicht)"
            ),
            "zorgen": form_row(form, "&Zorgen:", self.zorgen),
            "krachten": form_row(form, "&Krachten:", self.krachten),
            "hulpvraag": form_row(form, "&Hulpvraag:", self.hulpvraag),
            "zrm": form_row(form, "Zelf&redzaamheid (ZRM):", self.zrm, accessible_name="Zelfredzaamheid (ZRM-score)"),
        }
        form.addRow("", self.zrm_uitleg)
        editor_row.addWidget(fields, 3)
        bind, emit = self.binder.bind, self.changed.emit
        # the status is the entry as a whole: it sets besproken and niet_van_toepassing together
        bind(self.status, self._entry_path, label=lambda: self._label("status"), error=self._errors["status"],
             to_model=self._with_state, to_widget=lambda e: entry_state(None if e is MISSING else e, True), on_edit=emit)
        for name, widget in (("nvt_reden", self.reden), *((n, getattr(self, n)) for n in _TEXT_FIELDS), ("zrm", self.zrm)):
            bind(widget, self._field_path(name), label=partial(self._label, name), error=self._errors[name],
                 prepare=partial(self._first, name), on_edit=emit)

        self.questions_box = QGroupBox("Gespreksvragen")
        self.questions_box.setAccessibleName("Gespreksvragen bij dit leefgebied")
        questions_column = QVBoxLayout(self.questions_box)
        self.beschrijving = label(style="color: #444444;")
        self.questions = label(name="Gespreksvragen")
        self.questions.setTextFormat(Qt.TextFormat.RichText)
        self.cell_hint = label(style="color: #444444; font-style: italic;")
        questions_column.addWidget(self.beschrijving)
        questions_column.addWidget(self.questions)
        questions_column.addWidget(self.cell_hint)
        questions_column.addStretch(1)
        editor_row.addWidget(self.questions_box, 2)
        column.addWidget(self.editor)
        column.addStretch(1)

        status = self.status.buttons
        tab_chain(self.matrix, self.next_button, status[CellState.OPEN], status[CellState.BESPROKEN],
                  status[CellState.NVT], self.reden, self.zorgen, self.krachten, self.hulpvraag, self.zrm)
        self.editor.setEnabled(False)

    # --- the model ---------------------------------------------------------------------

    def rebuild(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        definitions = self.context.definitions
        self.set_warning.hide()
        try:
            self._domain_set = definitions.domain_set(dossier.leefgebieden_set)
        except Exception:  # noqa: BLE001 - an unknown set version: show the current one, say so
            self._domain_set = definitions.domain_set()
            self.set_warning.setText(
                f"De leefgebiedenset '{dossier.leefgebieden_set.id}' versie "
                f"{dossier.leefgebieden_set.version} is op deze laptop niet beschikbaar; "
                "het overzicht toont de huidige set."
            )
            self.set_warning.show()
        try:
            self._zrm = definitions.zrm(getattr(self._domain_set, "zrm_schaal", None))
        except Exception:  # noqa: BLE001
            self._zrm = definitions.zrm()
        self._fill_zrm_combo()
        self._rebuild_matrix()
        self._update_zrm_chart()

    def _fill_zrm_combo(self) -> None:
        with QSignalBlocker(self.zrm):
            self.zrm.clear()
            self.zrm.addItem("— nog geen score —", None)
            for niveau in sorted(self._zrm.niveaus, key=lambda n: n.score):
                self.zrm.addItem(f"{niveau.score} – {niveau.label}", niveau.score)
                self.zrm.setItemData(self.zrm.count() - 1, niveau.omschrijving, Qt.ItemDataRole.ToolTipRole)

    def _member_label(self, member: Member) -> str:
        assert self.dossier is not None
        return f"{member.voornaam} ({member.age_on(self.dossier.gesprek.datum)})"

    def _who(self, member_id: UUID | None) -> str:
        if member_id is None or self.dossier is None:
            return "Huishouden"
        member = self.dossier.member(member_id)
        if member is None:
            return "onbekend gezinslid"
        age = member.age_on(self.dossier.gesprek.datum)
        return f"{member.naam} ({age} jaar)"

    def _domain(self, domain_id: str) -> DomainDefinition | None:
        try:
            return self._domain_set.domein(domain_id)
        except KeyError:
            return None

    def _domain_name(self, domain_id: str) -> str:
        domain = self._domain(domain_id)
        return domain.naam if domain is not None else f"{domain_id} (niet in de set)"

    def _rebuild_matrix(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        previous = self._cell
        self._rows = list(self._domain_set.ids)
        # entries under ids the set doesn't know keep a row: nothing recorded is hidden
        for entry in dossier.leefgebieden:
            if entry.domein not in self._rows:
                self._rows.append(entry.domein)
        self._members = list(dossier.huishouden.leden)
        self._required = set(self._domain_set.required_cells(dossier))

        with QSignalBlocker(self.matrix):
            matrix = self.matrix
            matrix.clear()
            matrix.setRowCount(len(self._rows))
            matrix.setColumnCount(1 + len(self._members))
            headers = ["Huishouden"] + [self._member_label(m) for m in self._members]
            matrix.setHorizontalHeaderLabels(headers)
            for col, member in enumerate(self._members, start=1):
                header = matrix.horizontalHeaderItem(col)
                header.setToolTip(f"{member.naam}, {member.rol.label.lower()}")
            for row, domain_id in enumerate(self._rows):
                header = QTableWidgetItem(self._domain_name(domain_id))
                domain = self._domain(domain_id)
                if domain is not None:
                    header.setToolTip(domain.beschrijving)
                matrix.setVerticalHeaderItem(row, header)
                for col in range(matrix.columnCount()):
                    matrix.setItem(row, col, QTableWidgetItem())
                    self._paint_cell(row, col)
            matrix.fit_height()
        self._update_progress()

        target = self._position(previous) if previous else None
        if target is None:
            target = self._next_open_position(None) or (0, 0)
        if self._rows:
            with QSignalBlocker(self.matrix):
                self.matrix.setCurrentCell(*target)
            self._show_cell(target[0], target[1])
        else:
            self._cell = None
            self.editor.setEnabled(False)

    def _cell_at(self, row: int, col: int) -> Cell:
        return (self._rows[row], None if col == 0 else self._members[col - 1].id)

    def _position(self, cell: Cell) -> tuple[int, int] | None:
        domain_id, member_id = cell
        if domain_id not in self._rows:
            return None
        if member_id is None:
            col = 0
        else:
            cols = [i for i, m in enumerate(self._members, start=1) if m.id == member_id]
            if not cols:
                return None
            col = cols[0]
        return self._rows.index(domain_id), col

    def _state(self, cell: Cell) -> CellState:
        assert self.dossier is not None
        return entry_state(self.dossier.domain_entry(*cell), cell in self._required)

    def _paint_cell(self, row: int, col: int) -> None:
        cell = self._cell_at(row, col)
        state = self._state(cell)
        text, background, foreground, _ = _STYLE[state]
        item = self.matrix.item(row, col)
        item.setText(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setBackground(QBrush(QColor(background)) if background else QBrush())
        item.setForeground(QBrush(QColor(foreground)))
        spoken = f"{self._domain_name(cell[0])}, {self._who(cell[1])}: {state.spoken}"
        item.setToolTip(spoken)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)

    def _update_progress(self) -> None:
        total = len(self._required)
        done = sum(1 for c in self._required if self._state(c) is not CellState.OPEN)
        if total and done == total:
            self.progress.setText(f"Alle {total} onderwerpen zijn besproken of niet van toepassing.")
        else:
            self.progress.setText(
                f"Besproken of niet van toepassing: {done} van {total}; nog open: {total - done}."
            )
        self.next_button.setEnabled(done < total)

    # --- navigation -------------------------------------------------------------------

    def _next_open_position(self, after: tuple[int, int] | None, col: int | None = None) -> tuple[int, int] | None:
        """The first open cell after ``after`` (from the top: None), in column ``col`` if given."""
        cols = range(1 + len(self._members)) if col is None else [col]
        positions = [(r, c) for r in range(len(self._rows)) for c in cols]
        if after is not None and after in positions:
            i = positions.index(after)
            positions = positions[i + 1 :] + positions[: i + 1]
        for r, c in positions:
            cell = self._cell_at(r, c)
            if cell in self._required and self._state(cell) is CellState.OPEN:
                return r, c
        return None

    def go_to_next_open(self) -> None:
        """Select the next open cell (after the current one) and put the cursor in 'Zorgen'."""
        current = (self.matrix.currentRow(), self.matrix.currentColumn())
        target = self._next_open_position(current if current[0] >= 0 else None)
        if target is None:
            self._update_progress()
            return
        self.matrix.setCurrentCell(*target)
        self.focus_widget(self.zorgen)

    def _current_cell_changed(self, row: int, col: int, _prev_row: int, _prev_col: int) -> None:
        if row < 0 or col < 0:
            return
        self._show_cell(row, col)

    def _cell_activated(self, row: int, col: int) -> None:
        self._show_cell(row, col)
        self.focus_widget(self.zorgen)

    # --- the editor --------------------------------------------------------------------

    def _show_cell(self, row: int, col: int) -> None:
        dossier = self.dossier
        assert dossier is not None
        cell = self._cell_at(row, col)
        if cell != self._cell:
            self._new_id = str(uuid4())
        self._cell = cell
        domain_id, member_id = cell
        domain = self._domain(domain_id)
        member = dossier.member(member_id) if member_id is not None else None
        on = dossier.gesprek.datum
        entry = dossier.domain_entry(domain_id, member_id)

        self.editor.setEnabled(True)
        self.editor.setTitle(f"{self._domain_name(domain_id)} — {self._who(member_id)}")
        for error in self._errors.values():
            error.clear_messages()
        self.binder.refresh(None)  # the editor follows the selected cell
        score = entry.zrm if entry else None

        adult_or_household = member is None or not member.is_minor_on(on)
        self._zrm_applies = bool(domain is not None and domain.zrm and adult_or_household) or (
            score is not None
        )
        self._form.setRowVisible(self.zrm.parentWidget(), self._zrm_applies)
        self._form.setRowVisible(self.zrm_uitleg, self._zrm_applies)
        self._update_zrm_uitleg()
        self._update_reden_row()

        if domain is not None:
            self.beschrijving.setText(domain.beschrijving)
            vragen = domain.vragen_voor(member, on)
            if vragen:
                items = "".join(f"<li>{escape(v)}</li>" for v in vragen)
                who = "het huishouden" if member is None else member.voornaam
                self.questions.setText(f"<p>Vragen voor {escape(who)}:</p><ul>{items}</ul>")
            else:
                self.questions.setText("<p>Geen vragen voor deze leeftijd in de set.</p>")
        else:
            self.beschrijving.setText("Dit leefgebied staat niet in de huidige set.")
            self.questions.setText("")
        hints = []
        if cell not in self._required:
            hints.append(
                "Dit leefgebied hoeft voor "
                + ("het huishouden" if member is None else member.voornaam)
                + " niet apart besproken te worden; vastleggen mag wel."
            )
        if domain is not None and domain.toelichting_nvt:
            hints.append("Niet van toepassing? " + domain.toelichting_nvt)
        self.cell_hint.setText("\n".join(hints))
        self.cell_hint.setVisible(bool(hints))

    def _current_entry(self) -> DomainEntry | None:
        return self.dossier.domain_entry(*self._cell) if self.dossier is not None and self._cell else None

    def _update_reden_row(self) -> None:
        self._form.setRowVisible(self.reden.parentWidget(), entry_state(self._current_entry(), True) is CellState.NVT)

    def _update_zrm_uitleg(self) -> None:
        """The criteria of every score, the chosen one in bold: choose without a manual."""
        entry = self._current_entry()
        score = entry.zrm if entry is not None else None
        if self._zrm is None:
            self.zrm_uitleg.setText("Score 1 tot 5 volgens de Zelfredzaamheid-Matrix, alleen voor volwassenen.")
            return
        lines = []
        for niveau in sorted(self._zrm.niveaus, key=lambda n: n.score):
            text = f"{niveau.score} – {escape(niveau.label)}: {escape(niveau.omschrijving)}"
            lines.append(f"<b>▶ {text}</b>" if niveau.score == score else text)
        self.zrm_uitleg.setText("<br>".join(lines))
        self.zrm_uitleg.setAccessibleDescription(
            self._zrm.niveau(score).omschrijving if score is not None else "Nog geen score gekozen."
        )

    def zrm_scores(self) -> list[tuple[str, int]]:
        """(label, score) of every ZRM score in the dossier, in domain and member order."""
        if self.dossier is None or self._domain_set is None:
            return []
        names = {m.id: m.voornaam for m in self.dossier.huishouden.leden}
        scores = []
        for domain_id in self._rows:
            domain = self._domain(domain_id)  # None: an unknown domain id with data
            domain_name = domain.naam if domain is not None else domain_id
            for entry in self.dossier.leefgebieden:
                if entry.domein == domain_id and entry.zrm is not None:
                    who = names.get(entry.member_id, "huishouden") if entry.member_id else "huishouden"
                    scores.append((f"{domain_name} ({who})", entry.zrm))
        return scores

    def _update_zrm_chart(self) -> None:
        self.zrm_chart.set_scores(self.zrm_scores())

    # --- the editor's paths and edits ----------------------------------------------------

    def _entry_path(self) -> Path | None:
        """The selected cell's entry (the id it will get while it is not there yet)."""
        if self._cell is None or self.dossier is None:
            return None
        entry = self.dossier.domain_entry(*self._cell)
        return ("leefgebieden", Item(str(entry.id) if entry is not None else self._new_id))

    def _field_path(self, name: str) -> Any:
        def path() -> Path | None:
            entry = self._entry_path()
            return (*entry, name) if entry is not None else None

        return path

    def _label(self, name: str) -> str:
        """The undo step's name: "zorgen bij Wonen", "status bij Wonen (Sanne)"."""
        what = {"nvt_reden": "reden n.v.t.", "zrm": "ZRM-score"}.get(name, name)
        if self._cell is None:
            return what
        domain_id, member_id = self._cell
        member = self.dossier.member(member_id) if self.dossier is not None and member_id is not None else None
        return f"{what} bij {self._domain_name(domain_id)}" + (f" ({member.voornaam})" if member else "")

    def _new_entry(self, **fields: Any) -> DomainEntry:
        assert self.dossier is not None and self._cell is not None
        domain_id, member_id = self._cell
        return DomainEntry(id=UUID(self._new_id), domein=domain_id, member_id=member_id,
                           definitie=self.dossier.leefgebieden_set.model_copy(), **fields)

    def _with_state(self, state: object) -> DomainEntry:
        """The entry with the chosen status (made when the cell has none yet)."""
        assert self.dossier is not None and self._cell is not None
        flags = {"besproken": state == CellState.BESPROKEN, "niet_van_toepassing": state == CellState.NVT}
        entry = self.dossier.domain_entry(*self._cell)
        return entry.model_copy(update=flags) if entry is not None else self._new_entry(**flags)

    def _first(self, name: str, value: object) -> list[tuple[Path, Any]]:
        """What goes with an edit in one step: the entry made, an open cell marked besproken
        when something is written in it (or a ZRM score chosen)."""
        assert self.dossier is not None and self._cell is not None
        entry = self.dossier.domain_entry(*self._cell)
        written = (name in _TEXT_FIELDS and bool(str(value).strip())) or (name == "zrm" and value is not None)
        open_cell = entry is None or not (entry.besproken or entry.niet_van_toepassing)
        path = self._entry_path()
        assert path is not None
        if entry is None:
            return [(path, self._new_entry(besproken=written))]
        return [((*path, "besproken"), True)] if written and open_cell else []

    def on_changed(self, paths: list[Path]) -> None:
        """A member or the date: the matrix again. An entry made or removed: every cell
        repainted (the matrix and its items stay); a field: that entry's cell."""
        if structural([p for p in paths if p[:1] != ("leefgebieden",)]):
            super().on_changed(paths)
            return
        mine = [p for p in paths if p[:1] == ("leefgebieden",)]
        if self._cell is None or not mine or self.dossier is None:
            return
        if any(len(p) <= 2 for p in mine):
            cells = [(r, c) for r in range(len(self._rows)) for c in range(1 + len(self._members))]
        else:
            ids = {p[1].id for p in mine if isinstance(p[1], Item)}
            entries = [e for e in self.dossier.leefgebieden if str(e.id) in ids]
            cells = [pos for e in entries if (pos := self._position((e.domein, e.member_id))) is not None]
        for position in cells:
            self._paint_cell(*position)
        self._update_progress()
        self._update_reden_row()
        self._update_zrm_uitleg()
        self._update_zrm_chart()

    def focus_location(self, location: object) -> None:
        """Select the location's cell (a cell without an entry has no path of its own), then
        focus its field like every page (:meth:`StepPage.focus_location`)."""
        if self.dossier is None or not self._rows:
            return
        domain_id = getattr(location, "domein", None)
        member_id = getattr(location, "member_id", None)
        field = getattr(location, "field", None)
        position = self._position((domain_id, member_id)) if domain_id else None
        if position is None:
            # no single cell: the first open one (of this member, if one is named)
            column = self._position((self._rows[0], member_id)) if member_id is not None else None
            target = (column and self._next_open_position(None, column[1])) or self._next_open_position(None)
            if target is not None:
                self.matrix.setCurrentCell(*target)
            self.focus_widget(self.matrix)
            return
        self.matrix.setCurrentCell(*position)
        if self._cell != self._cell_at(*position):
            self._show_cell(*position)
        path = self._field_path(field)() if field not in (None, "besproken", "domein", "definitie") else None
        self.focus_path(path or self._entry_path() or ("leefgebieden",))
