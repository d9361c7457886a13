"""Safety then and now, per child, at an evaluatie or afsluiting (T10).

The veiligheid step's child panel (:mod:`desktop.steps.veiligheid`) calls :func:`attach`
when the current gesprek is not the intake. Above the assessment it then shows:

- :class:`SafetyChart`: a picture of the child's safety over time, one point per
  assessment (veiligheid nu and risico later, each on its own strip of three levels),
  dated and named by the gesprek it was made at;
- :class:`SafetyComparison`: the first assessment, the previous one (the latest before
  this gesprek) and this gesprek's re-assessment side by side, and whether the child
  is re-assessed at this gesprek yet ("Nieuwe beoordeling" makes the re-assessment,
  with this gesprek's id).

An assessment made at an earlier gesprek is finalised history: :func:`attach` makes the
panel read-only for it (only "Nieuwe beoordeling" stays usable).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import NOTICE_COLOR, clear_layout, format_date, label, notice_label
from forms import Dossier, GesprekSoort, RiskLater, SafetyAssessment, SafetyNow
from forms.trajectory import first_and_previous, safety_history

from .trajectory_widgets import GREY, heading

__all__ = ["ChartPoint", "SafetyChart", "SafetyComparison", "chart_points", "current_assessment", "attach"]

_LEVEL_COLOURS = ("#2e7d4f", "#d9a400", "#b00020")  # good, worrying, bad


@dataclass(frozen=True)
class ChartPoint:
    datum: dt.date
    veiligheid_nu: SafetyNow | None
    risico: RiskLater | None
    soort: str  # "Intake", "Evaluatie", … or "Dit gesprek"


def chart_points(dossier: Dossier, child_id: UUID) -> list[ChartPoint]:
    """One point per assessment of the child, oldest first (``forms.trajectory.safety_history``)."""
    return [
        ChartPoint(
            p.datum,
            p.veiligheid_nu,
            p.risico,
            "Dit gesprek" if p.gesprek_id is not None and p.gesprek_id == dossier.gesprek.id else p.soort.label,
        )
        for p in safety_history(dossier).get(child_id, [])
    ]


def current_assessment(dossier: Dossier, child_id: UUID) -> SafetyAssessment | None:
    """The child's re-assessment made at the current gesprek, if any."""
    mine = [a for a in dossier.assessments_for(child_id) if a.gesprek_id == dossier.gesprek.id]
    return mine[-1] if mine else None


class SafetyChart(QWidget):
    """Veiligheid nu and risico later of one child over time: two strips of three levels."""

    STRIPS: ClassVar[tuple[tuple[str, tuple[Any, ...]], ...]] = (
        ("Veiligheid nu", tuple(SafetyNow)),
        ("Risico later", tuple(RiskLater)),
    )

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._points: list[ChartPoint] = []
        self.setAccessibleName(f"Veiligheid van {name} door de tijd")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_points(self, points: list[ChartPoint]) -> None:
        self._points = list(points)
        parts = [
            f"{p.soort} {format_date(p.datum)}: veiligheid nu {p.veiligheid_nu.label.lower() if p.veiligheid_nu else 'niet beoordeeld'}, "
            f"risico later {p.risico.label.lower() if p.risico else 'niet beoordeeld'}"
            for p in self._points
        ]
        self.setAccessibleDescription("; ".join(parts) or "Nog geen beoordelingen.")
        self.setToolTip("\n".join(parts))
        self.updateGeometry()
        self.update()

    def points(self) -> list[ChartPoint]:
        return list(self._points)

    # --- geometry ------------------------------------------------------------------------

    def _line(self) -> int:
        return self.fontMetrics().lineSpacing()

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        labels = [level.label for _, levels in self.STRIPS for level in levels]
        return max(metrics.horizontalAdvance(text) for text in labels) + 12

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        line = self._line()
        # per strip: its title and three levels; under them two lines of dates and kinds
        height = len(self.STRIPS) * (4 * line + line // 2) + 2 * line + 8
        return QSize(self._label_width() + self.fontMetrics().horizontalAdvance("00-00-0000") * 4, height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(self._label_width() + self.fontMetrics().horizontalAdvance("00-00-0000") + 16, self.sizeHint().height())

    def point_positions(self) -> list[float]:
        """The x of each point (evenly spaced, by order)."""
        left = self._label_width() + 8
        right = self.width() - 8 - self.fontMetrics().horizontalAdvance("00-00-0000") // 2
        count = len(self._points)
        if count == 0:
            return []
        if count == 1:
            return [float(left + (right - left) / 2)]
        step = (right - left) / (count - 1)
        return [left + i * step for i in range(count)]

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = self._line()
        label_width = self._label_width()
        xs = self.point_positions()
        bold = self.font()
        bold.setBold(True)
        top = 0
        for s_index, (title, levels) in enumerate(self.STRIPS):
            painter.setFont(bold)
            painter.setPen(QColor("#1d3b53"))
            painter.drawText(QRectF(4, top, self.width() - 8, line), Qt.AlignmentFlag.AlignLeft, title)
            painter.setFont(self.font())
            top += line
            rows = [top + line * i + line / 2 for i in range(len(levels))]
            for level_index, y in enumerate(rows):
                painter.setPen(QColor("#52606d"))
                painter.drawText(
                    QRectF(4, y - line / 2, label_width - 8, line),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    levels[level_index].label,
                )
                painter.setPen(QPen(QColor("#d5dbe1"), 1, Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(label_width, y), QPointF(self.width() - 4, y))
            values = [p.veiligheid_nu if s_index == 0 else p.risico for p in self._points]
            centres = [
                QPointF(x, rows[levels.index(v)]) if v is not None else None
                for x, v in zip(xs, values, strict=True)
            ]
            painter.setPen(QPen(QColor("#1d3b53"), 2))
            for a, b in itertools.pairwise(centres):
                if a is not None and b is not None:
                    painter.drawLine(a, b)
            radius = max(4.0, line / 3)
            for centre, value in zip(centres, values, strict=True):
                if centre is None or value is None:
                    continue
                painter.setPen(QPen(QColor("#1f2933"), 1))
                painter.setBrush(QColor(_LEVEL_COLOURS[levels.index(value)]))
                painter.drawEllipse(centre, radius, radius)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            top += line * len(levels) + line // 2
        # dates and kinds under the points; a label that would overlap the previous one is left out
        painter.setPen(QColor("#1f2933"))
        last_right = -1.0
        for x, point in zip(xs, self._points, strict=True):
            date_text, kind = format_date(point.datum), point.soort
            width = max(metrics.horizontalAdvance(date_text), metrics.horizontalAdvance(kind)) + 8
            left = min(max(x - width / 2, label_width), self.width() - width)
            if left < last_right:
                continue
            painter.drawText(QRectF(left, top, width, line), Qt.AlignmentFlag.AlignHCenter, date_text)
            painter.setPen(QColor("#52606d"))
            painter.drawText(QRectF(left, top + line, width, line), Qt.AlignmentFlag.AlignHCenter, kind)
            painter.setPen(QColor("#1f2933"))
            last_right = left + width
        if not self._points:
            painter.setPen(QColor("#52606d"))
            painter.drawText(QRectF(label_width, 0, self.width() - label_width, self.height()), Qt.AlignmentFlag.AlignCenter, "Nog geen beoordelingen.")
        painter.end()


def _judgment(a: SafetyAssessment | None, attr: str) -> str:
    if a is None:
        return "—"
    value = getattr(a, attr)
    if attr == "onderbouwing":
        return value or "—"
    return value.label if value is not None else "nog niet beoordeeld"


class SafetyComparison(QGroupBox):
    """The child's first, previous and current judgment side by side, with the chart."""

    ROWS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Veiligheid nu", "veiligheid_nu"),
        ("Risico later", "risico"),
        ("Onderbouwing", "onderbouwing"),
    )

    def __init__(self, dossier: Dossier, child_id: UUID, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dossier = dossier
        self.child_id = child_id
        self.setAccessibleName(f"Veiligheid van {name}: toen en nu")
        column = QVBoxLayout(self)
        column.addWidget(heading(f"Veiligheid van {name}: toen en nu"))
        self.chart = SafetyChart(name)
        column.addWidget(self.chart)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        column.addLayout(self.grid)
        self.status = label(name=f"Herbeoordeling van {name}")
        column.addWidget(self.status)
        self.cells: dict[tuple[str, str], QLabel] = {}
        self.refresh()

    def refresh(self) -> None:
        dossier = self.dossier
        first, previous = first_and_previous(dossier, self.child_id)
        now = current_assessment(dossier, self.child_id)
        self.chart.set_points(chart_points(dossier, self.child_id))
        columns: list[tuple[str, str, SafetyAssessment | None]] = []
        if first is not None:
            same = previous is not None and previous.id == first.id
            title = "Eerste en vorige" if same else "Eerste"
            columns.append(("eerste", f"{title} ({format_date(first.datum)})", first))
            if previous is not None and not same:
                columns.append(("vorige", f"Vorige ({format_date(previous.datum)})", previous))
        columns.append(("nu", "Nu, bij dit gesprek", now))
        clear_layout(self.grid)
        self.cells = {}
        for col, (_key, title, _a) in enumerate(columns, start=1):
            self.grid.addWidget(label(f"<i>{title}</i>"), 0, col, Qt.AlignmentFlag.AlignTop)
            self.grid.setColumnStretch(col, 1)
        for row, (text, attr) in enumerate(self.ROWS, start=1):
            caption = QLabel(text + ":")
            caption.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            for col, (key, title, a) in enumerate(columns, start=1):
                cell = label(_judgment(a, attr), style=GREY if key != "nu" else "", name=f"{title}: {text}")
                cell.setTextFormat(Qt.TextFormat.PlainText)
                cell.setAlignment(Qt.AlignmentFlag.AlignTop)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.grid.addWidget(cell, row, col, Qt.AlignmentFlag.AlignTop)
                self.cells[(key, attr)] = cell
        if now is None:
            self.status.setText(
                "Bij dit gesprek is dit kind nog niet opnieuw beoordeeld. Kies 'Nieuwe beoordeling' "
                "om de veiligheid nu te wegen; de eerdere beoordelingen blijven ernaast staan."
            )
            self.status.setStyleSheet(f"color: {NOTICE_COLOR};")
        elif now.afgerond:
            self.status.setText("✓ Herbeoordeeld bij dit gesprek.")
            self.status.setStyleSheet("")
        else:
            self.status.setText("De herbeoordeling bij dit gesprek is nog niet afgerond.")
            self.status.setStyleSheet(f"color: {NOTICE_COLOR};")


def attach(panel: Any, column: QVBoxLayout) -> SafetyComparison | None:
    """At an evaluatie or afsluiting: the comparison above a child's assessment, and the
    assessment locked while it is one of an earlier gesprek. ``panel`` is the veiligheid
    step's ChildPanel (``dossier``, ``child``, ``assessment``, ``new_button``, its boxes);
    ``column`` the layout of its content. Call it at the end of the panel's construction."""
    dossier: Dossier = panel.dossier
    if dossier.gesprek.soort is GesprekSoort.INTAKE:
        return None
    comparison = SafetyComparison(dossier, panel.child.id, panel.child.voornaam)
    lock = getattr(panel, "lock_hint", None)
    at = column.indexOf(lock) if lock is not None and column.indexOf(lock) >= 0 else 1
    column.insertWidget(at, comparison)
    page = getattr(panel, "page", None)
    if page is not None:
        page.changed.connect(comparison.refresh)
    assessment: SafetyAssessment = panel.assessment
    if assessment in dossier.veiligheid and assessment.gesprek_id != dossier.gesprek.id:
        # disabled directly (not apply_read_only): the workspace's set_read_only(False) must
        # not make an earlier gesprek's assessment editable again
        parts = ("judgment_box", "consult_box", "afronden")
        for box in (*getattr(panel, "sections", ()), *(getattr(panel, name, None) for name in parts)):
            if box is not None:
                box.setEnabled(False)
        panel.new_button.setEnabled(True)
        if lock is not None:
            lock.hide()
        note = notice_label(
            f"Hieronder staat de beoordeling van {format_date(assessment.datum)}, gemaakt bij een eerder "
            f"gesprek; die blijft zoals zij is. Kies 'Nieuwe beoordeling' om {panel.child.voornaam} "
            "bij dit gesprek opnieuw te beoordelen.",
            name="Beoordeling van een eerder gesprek",
        )
        column.insertWidget(at + 1, note)
        panel.earlier_note = note
    return comparison
