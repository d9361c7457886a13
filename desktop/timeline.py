"""The timeline of one household: its trajectory on one page, for a colleague taking over.

Opened from the caseload and from the workspace ("Tijdlijn"). Read-only. From top to bottom:

- where the household stands: the phase, the next evaluation (and whether it is overdue),
  the waakvlam;
- the gesprekken: kind ("Intake", "Evaluatie 1", "Afsluiting"), date, finalised and signed
  by whom, and "Verslag openen" for each stored version: the PDF exactly as it was stored
  (``desktop.verslag_view.VerslagPreview.view_version``);
- the safety of each child over time as a picture (:class:`SafetyChart`: the judgments per
  child over the gesprekken, with the words beside each mark), and the same in text;
- the kernbeslissingen (who was consulted, when, about what) and the opschalingen;
- the plan versions with their reason, and the afsluiting with its waakvlam;
- everything in date order ("Alles op volgorde").

Data: ``forms.trajectory`` (``timeline``, ``safety_history``, ``fase``, …) over the dossier,
and the vault's stored versions, read together on the vault thread (:func:`read_timeline`).
Every text is selectable; Tab reaches every button, the lists take the arrow keys, Esc closes.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QKeySequence, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import Dossier, GesprekSoort, RiskLater, SafetyNow

from .errors import message_for
from .fit import dismiss, place_window, save_window_size
from .settings import load_verslag_settings
from .shortcuts import add_action, add_help_action
from .widgets import button, label, scroll_wrap, tab_chain
from .widgets import format_date as _date  # "—" for no date

_W = TypeVar("_W", bound=QWidget)

if TYPE_CHECKING:
    from forms import Definitions
    from forms.models import Kernbeslissing
    from forms.trajectory import SafetyPoint, TimelineEntry
    from forms.verslag import VerslagSettings
    from storage import Vault

    from .tasks import TaskManager
    from .verslag_view import VerslagPreview

__all__ = [
    "GesprekRow",
    "TimelineData",
    "read_timeline",
    "gesprek_titles",
    "SafetyChart",
    "TimelineWindow",
]


# --- data (no Qt: runs on the vault thread) ------------------------------------------------


@dataclass(frozen=True)
class GesprekRow:
    """One gesprek of the trajectory as the timeline shows it."""

    versie: int
    titel: str  # "Intake", "Evaluatie 2", "Afsluiting"
    datum: dt.date | None
    definitief_op: dt.datetime | None  # None: still being written
    ondertekend: tuple[str, ...] = ()  # who signed (names), "" when not known
    has_pdf: bool = False  # a stored verslag to open
    current: bool = False  # the dossier's current gesprek


@dataclass(frozen=True)
class TimelineData:
    dossier: Dossier
    gesprekken: list[GesprekRow]
    entries: list[TimelineEntry]  # oldest first
    history: dict[UUID, list[SafetyPoint]]  # child id -> judgments, oldest first
    fase: str  # forms.trajectory.Fase label
    volgende_evaluatie: dt.date | None
    te_laat: bool
    waakvlam: dt.date | None
    today: dt.date = field(default_factory=dt.date.today)


def gesprek_titles(dossier: Dossier) -> dict[int, str]:
    """versie -> "Intake" / "Evaluatie n" / "Afsluiting" for every gesprek of the dossier
    (finalised ones and the current one); evaluaties are numbered within their trajectory."""
    kinds = [(ref.versie, ref.soort) for ref in dossier.vorige_versies]
    kinds.append((dossier.versie, dossier.gesprek.soort))
    titles: dict[int, str] = {}
    evaluaties = 0
    for versie, soort in kinds:
        if soort is GesprekSoort.INTAKE:
            evaluaties = 0  # a new trajectory after an afsluiting counts again
            titles[versie] = "Intake"
        elif soort is GesprekSoort.EVALUATIE:
            evaluaties += 1
            titles[versie] = f"Evaluatie {evaluaties}"
        else:
            titles[versie] = soort.label
    return titles


def _signers(d: Dossier) -> tuple[str, ...]:
    return tuple(f"{sig.naam} (weigerde)" if sig.weigering_reden else sig.naam for sig in d.handtekeningen)


def _stored_signers(vault: Vault, dossier_id: UUID, versie: int) -> tuple[str, ...]:
    """Who signed a stored version (read from its JSON; () when it holds none, e.g. a
    version the central system sent as a PDF only)."""

    dossier = vault.load_version(dossier_id, versie).dossier()
    return _signers(dossier) if dossier is not None else ()  # () for a pdf-only marker


def read_timeline(vault: Vault, dossier_id: UUID, today: dt.date | None = None, definitions: Definitions | None = None) -> TimelineData:
    """Everything the timeline shows, on the vault thread: the dossier, its stored versions
    (with who signed them), and ``forms.trajectory``'s view of it."""
    from forms import trajectory

    today = today or dt.date.today()
    dossier = vault.load(dossier_id)
    stored = {v.versie: v for v in vault.list_versions(dossier_id)}
    titles = gesprek_titles(dossier)
    rows = [
        GesprekRow(
            versie=ref.versie,
            titel=titles[ref.versie],
            datum=ref.datum,
            definitief_op=ref.op,
            ondertekend=_stored_signers(vault, dossier_id, ref.versie) if ref.versie in stored else (),
            has_pdf=ref.versie in stored and stored[ref.versie].has_pdf,
        )
        for ref in dossier.vorige_versies
    ]
    current = stored.get(dossier.versie)
    rows.append(
        GesprekRow(
            versie=dossier.versie,
            titel=titles[dossier.versie],
            datum=dossier.gesprek.datum,
            definitief_op=dossier.definitief.op if dossier.definitief is not None else None,
            ondertekend=_signers(dossier),
            has_pdf=bool(current is not None and current.has_pdf and dossier.definitief is not None),
            current=True,
        )
    )
    return TimelineData(
        dossier=dossier,
        gesprekken=rows,
        entries=trajectory.timeline(dossier, definitions),
        history=trajectory.safety_history(dossier),
        fase=trajectory.fase(dossier).label,
        volgende_evaluatie=trajectory.volgende_evaluatie(dossier, definitions),
        te_laat=trajectory.te_laat(dossier, today, definitions),
        waakvlam=trajectory.waakvlam(dossier),
        today=today,
    )


def veiligheidsplannen(dossier: Dossier) -> list[tuple[Kernbeslissing, int]]:
    """(kernbeslissing, versie) for each veiligheidsplan made at a finalised gesprek: the
    version of that gesprek is the one to print it from."""
    finalised = {ref.gesprek_id: ref.versie for ref in dossier.vorige_versies if ref.gesprek_id is not None}
    if dossier.definitief is not None:
        finalised[dossier.gesprek.id] = dossier.versie
    return [
        (kb, finalised[kb.gesprek_id])
        for kb in dossier.kernbeslissingen
        if kb.veiligheidsplan is not None and kb.gesprek_id in finalised
    ]


def read_version_for_print(vault: Vault, dossier_id: UUID, versie: int) -> tuple[Dossier, VerslagSettings]:
    """A stored finalised version (upgraded to today's shape) and the verslag settings."""
    final = vault.load_version(dossier_id, versie).dossier()
    if final is None:
        raise ValueError(f"stored version {versie} holds no dossier")
    return final, load_verslag_settings(vault)


# --- the picture of safety over time ---------------------------------------------------------

# Levels from top (safe) to bottom, per lane; the words stand beside the levels (never colour alone).
_SAFETY: tuple[tuple[Any, str, str], ...] = (
    (SafetyNow.VEILIG, "Veilig", "#2f7d4a"),
    (SafetyNow.ONVEILIG, "Onveilig", "#b35c00"),
    (SafetyNow.ACUUT_ONVEILIG, "Acuut onveilig", "#b00020"),
)
_RISK: tuple[tuple[Any, str, str], ...] = (
    (RiskLater.LAAG, "Risico laag", "#2f7d4a"),
    (RiskLater.VERHOOGD, "Risico verhoogd", "#b35c00"),
    (RiskLater.HOOG, "Risico hoog", "#b00020"),
)
_LANES = (("veiligheid_nu", _SAFETY), ("risico", _RISK))


@dataclass(frozen=True)
class _Child:
    naam: str
    points: list[SafetyPoint]


def _column_key(point: SafetyPoint) -> UUID | dt.date:
    return point.gesprek_id if point.gesprek_id is not None else point.datum


class SafetyChart(QWidget):
    """Per child two lanes over the dates of the judgments (one column per date, the same
    columns for every child): the safety now (veilig, onveilig, acuut onveilig) and the risk
    later (laag, verhoogd, hoog). A mark per judgment on its level, joined by a line, so a
    change between gesprekken is a step you see; the level's words stand beside each row.
    A judgment not yet concluded is drawn hollow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyChart")
        self.setAccessibleName("Veiligheid per kind door de tijd")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.children_: list[_Child] = []
        self.keys: list[UUID | dt.date] = []  # per column: the gesprek (or, before schema 2, the date)
        self.columns: list[tuple[dt.date, str]] = []  # per column: date, gesprek kind

    def set_history(self, names: dict[UUID, str], history: dict[UUID, list[SafetyPoint]]) -> None:
        self.children_ = [_Child(names.get(child, "Kind"), list(points)) for child, points in history.items()]
        # one column per gesprek (two gesprekken on one day are two columns), in date order
        seen: dict[UUID | dt.date, tuple[dt.date, str]] = {}
        for child in self.children_:
            for point in child.points:
                seen.setdefault(_column_key(point), (point.datum, getattr(point.soort, "label", str(point.soort))))
        self.keys = sorted(seen, key=lambda key: seen[key][0])  # stable: one day's gesprekken stay in order
        self.columns = [seen[key] for key in self.keys]
        self.setAccessibleDescription(describe_history(names, history))
        self.updateGeometry()
        self.update()

    # geometry in the current font: readable at 200 %
    def _metrics(self) -> tuple[int, int, int, int]:
        fm = self.fontMetrics()
        row = int(fm.height() * 1.25)
        label_w = max(fm.horizontalAdvance(text) for _l, lane in _LANES for _v, text, _c in lane) + fm.averageCharWidth() * 2
        col_w = fm.averageCharWidth() * 14
        head = fm.height() * 2 + 8
        return row, label_w, col_w, head

    def _band_height(self) -> int:
        row = self._metrics()[0]
        return self.fontMetrics().height() + 6 + row * sum(len(lane) for _f, lane in _LANES) + row // 2 + 12

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        _row, label_w, col_w, head = self._metrics()
        width = label_w + col_w * max(1, len(self.columns)) + 16
        return QSize(width, head + self._band_height() * max(1, len(self.children_)) + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = self.sizeHint()
        return QSize(min(hint.width(), 300), hint.height())

    def paintEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        row, label_w, col_w, head = self._metrics()
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self.children_:
            painter.setPen(QColor("#52606d"))
            painter.drawText(self.rect().adjusted(8, 8, -8, -8), Qt.AlignmentFlag.AlignLeft, "Nog geen oordeel over de veiligheid.")
            painter.end()
            return
        available = max(1, self.width() - label_w - 16)
        count = max(1, len(self.columns))
        col_w = max(fm.averageCharWidth() * 11, min(fm.averageCharWidth() * 24, available // count))
        x_of = {key: label_w + col_w * i + col_w // 2 for i, key in enumerate(self.keys)}
        right = label_w + col_w * count
        text_pen = QPen(QColor("#1f2933"))
        hint_pen = QPen(QColor("#52606d"))
        for key, (datum, soort) in zip(self.keys, self.columns, strict=True):  # the heads: kind and date
            x = x_of[key]
            rect = QRectF(x - col_w / 2, 4, col_w, fm.height())
            painter.setPen(text_pen)
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter, soort)
            painter.setPen(hint_pen)
            painter.drawText(rect.translated(0, fm.height()), Qt.AlignmentFlag.AlignHCenter, f"{datum:%d-%m-%Y}")
        normal = QFont(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        radius = max(4.0, fm.height() / 3.2)
        top = head
        for child in self.children_:
            painter.setFont(bold)
            painter.setPen(text_pen)
            painter.drawText(QRectF(4, top, self.width() - 8, fm.height()), Qt.AlignmentFlag.AlignLeft, child.naam)
            painter.setFont(normal)
            y = top + fm.height() + 6
            for field_name, levels in _LANES:
                y_of: dict[Any, float] = {}
                for level, text, colour in levels:
                    centre = y + row / 2
                    y_of[level] = centre
                    painter.setPen(QPen(QColor("#e4e7eb"), 1))
                    painter.drawLine(QPointF(label_w - 4, centre), QPointF(right, centre))
                    painter.setPen(QPen(QColor(colour)))
                    painter.drawText(QRectF(12, y, label_w - 14, row), Qt.AlignmentFlag.AlignVCenter, text)
                    y += row
                marks = [
                    (QPointF(x_of[_column_key(p)], y_of[getattr(p, field_name)]), p)
                    for p in child.points
                    if getattr(p, field_name) is not None
                ]
                if len(marks) > 1:
                    path = QPainterPath(marks[0][0])
                    for point, _p in marks[1:]:
                        path.lineTo(point)
                    painter.setPen(QPen(QColor("#7b8794"), 2))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawPath(path)
                for point, p in marks:
                    mark = QColor(next(c for level, _t, c in levels if level == getattr(p, field_name)))
                    painter.setPen(QPen(mark, 3))
                    painter.setBrush(mark if getattr(p, "afgerond", True) else QColor("#ffffff"))
                    painter.drawEllipse(point, radius, radius)
                y += row // 4
            top += self._band_height()
            painter.setPen(QPen(QColor("#cbd2d9"), 1))
            painter.drawLine(QPointF(4, top - 6), QPointF(right, top - 6))
        painter.end()


def describe_history(names: dict[UUID, str], history: dict[UUID, list[SafetyPoint]]) -> str:
    """The picture in words: one line per child, the judgments in order."""
    lines = []
    for child, points in history.items():
        parts = []
        for p in points:
            oordeel = p.veiligheid_nu.label.lower() if p.veiligheid_nu is not None else "nog geen oordeel"
            if p.risico is not None:
                oordeel += f", risico {p.risico.label.lower()}"
            soort = getattr(p.soort, "label", str(p.soort))
            parts.append(f"{soort} {p.datum:%d-%m-%Y}: {oordeel}")
        lines.append(f"{names.get(child, 'Kind')}: " + " → ".join(parts))
    return "\n".join(lines)


# --- the window ----------------------------------------------------------------------------


def _label(text: str, name: str = "", *, rich: bool = False, object_name: str = "") -> QLabel:
    made = label(text, name=name, object_name=object_name)
    made.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    made.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return made


class TimelineWindow(QMainWindow):
    """One household's timeline (read-only). ``reload()`` reads it again from the vault."""

    lock_requested = Signal()
    loaded = Signal()  # the data is on screen (tests, screenshots)

    def __init__(
        self, tasks: TaskManager, dossier_id: UUID, *, demo: bool = False, definitions: Definitions | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.dossier_id = dossier_id
        self.demo = demo
        self.definitions = definitions
        self.data: TimelineData | None = None
        self.preview: VerslagPreview | None = None
        self.setObjectName("timeline")
        self.setAccessibleName("Tijdlijn")
        self.setWindowTitle(("DEMO — " if demo else "") + "Tijdlijn")
        self._build()
        add_action(self, "Sluiten", self.close, QKeySequence.StandardKey.Close, "Esc")
        add_action(self, "Vergrendelen", self.lock_requested, "Ctrl+L")
        add_action(self, "Vernieuwen", self.reload, QKeySequence.StandardKey.Refresh)
        add_help_action(self, "tijdlijn")
        place_window(self, "tijdlijn", (1100, 760))

    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(16, 10, 16, 8)
        head = QHBoxLayout()
        self.heading = _label("Tijdlijn", "Huishouden", object_name="heading")
        head.addWidget(self.heading, 1)
        if self.demo:
            demo = label("DEMO", object_name="demoBanner", tip="DEMO — een verzonnen gezin, geen echte gegevens", wrap=False)
            head.addWidget(demo, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button = button("&Sluiten", self.close, name="Tijdlijn sluiten", tip="Sluiten (Esc)")
        head.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(head)
        self.status = _label("Tijdlijn wordt gelezen…", "Waar het huishouden staat", object_name="summaryLine")
        outer.addWidget(self.status)

        body = QWidget()
        body.setObjectName("timelineBody")
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 8, 8)

        def add(widget: _W) -> _W:
            self.body_layout.addWidget(widget)
            return widget

        def section(title: str) -> None:
            add(_label(title, object_name="subheading"))

        section("Gesprekken")
        self.gesprekken = QTableWidget(0, 5)
        self.gesprekken.setObjectName("timelineGesprekken")
        self.gesprekken.setAccessibleName("Gesprekken")
        self.gesprekken.setHorizontalHeaderLabels(["Gesprek", "Datum", "Definitief", "Getekend door", "Verslag"])
        self.gesprekken.verticalHeader().hide()
        self.gesprekken.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gesprekken.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.gesprekken.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.gesprekken.setTabKeyNavigation(False)
        self.gesprekken.setWordWrap(True)
        self.gesprekken.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.gesprekken.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.gesprekken.itemActivated.connect(lambda item: self.open_verslag_row(item.row()))
        add(self.gesprekken)
        self.verslag_buttons: list[QPushButton] = []

        section("Veiligheid per kind")
        self.chart = add(SafetyChart())
        self.safety_text = add(_label("", "Veiligheid per kind in woorden", object_name="hint"))

        section("Kernbeslissingen en opschalingen")
        self.decisions = add(_label("", "Kernbeslissingen en opschalingen", rich=True))
        self.plan_row = add(QWidget())
        self.plan_row_layout = QVBoxLayout(self.plan_row)
        self.plan_row_layout.setContentsMargins(0, 0, 0, 0)
        self.veiligheidsplan_buttons: list[QPushButton] = []

        section("Plan")
        self.plan = add(_label("", "Planversies", rich=True))

        section("Afsluiting")
        self.closing = add(_label("", "Afsluiting", rich=True))

        section("Alles op volgorde")
        self.all_entries = add(_label("", "Alles op volgorde van datum", rich=True, object_name="timelineEntries"))
        self.body_layout.addStretch(1)

        self.scroll_area = scroll_wrap(body)
        self.scroll_area.setObjectName("timelineScroll")
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and PgUp/PgDown scroll
        self.scroll_area.setAccessibleName("Tijdlijn, te scrollen met de pijltjes en PgUp/PgDown")
        outer.addWidget(self.scroll_area, 1)
        self.setCentralWidget(central)
        tab_chain(self.close_button, self.scroll_area, self.gesprekken)

    # --- data -----------------------------------------------------------------------------

    def reload(self) -> None:
        dossier_id, definitions = self.dossier_id, self.definitions
        self.tasks.run_db(
            lambda vault: read_timeline(vault, dossier_id, definitions=definitions),
            self.show_data,
            self._failed,
            owner=self,
        )

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(f"De tijdlijn kon niet worden gelezen: {message_for(exc)}")

    def show_data(self, data: TimelineData) -> None:
        self.data = data
        d = data.dossier
        self.setWindowTitle(("DEMO — " if self.demo else "") + f"Tijdlijn — {d.titel}")
        self.heading.setText(f"Tijdlijn — {d.titel}")
        parts = [f"Fase: {data.fase}"]
        if data.volgende_evaluatie is not None:
            late = " — te laat" if data.te_laat else ""
            parts.append(f"volgende evaluatie: {_date(data.volgende_evaluatie)}{late}")
        if data.waakvlam is not None:
            parts.append(f"waakvlam: {_date(data.waakvlam)}")
        regisseur = d.plan.regisseur
        if regisseur is not None:
            parts.append(f"regisseur: {regisseur.naam}")
        self.status.setText(" · ".join(parts))
        self._show_gesprekken(data.gesprekken)
        names = {m.id: f"{m.voornaam} ({m.age_on(data.today)} jaar)" for m in d.huishouden.leden}
        self.chart.set_history(names, data.history)
        self.safety_text.setText(describe_history(names, data.history) or "Nog geen oordeel over de veiligheid.")
        self._show_decisions(d)
        self._show_plan(d, data.gesprekken)
        self._show_closing(d, data)
        self._show_entries(data.entries)
        self.loaded.emit()

    def _show_gesprekken(self, rows: list[GesprekRow]) -> None:
        table = self.gesprekken
        table.clearContents()
        table.setRowCount(len(rows))
        self.verslag_buttons = []
        for r, row in enumerate(rows):
            final = "ja" if row.definitief_op is not None else "nog niet"
            final_tip = (
                f"Definitief gemaakt op {row.definitief_op.astimezone():%d-%m-%Y %H:%M}"
                if row.definitief_op is not None
                else "Dit gesprek is nog niet definitief"
            )
            # one name a line: the row grows, nothing is cut off at 200 %
            signed = "\n".join(row.ondertekend) if row.ondertekend else ("—" if row.definitief_op is None else "niet bekend")
            values = [row.titel + (" (nu)" if row.current else ""), _date(row.datum), final, signed]
            tips = [values[0], values[1], final_tip, signed.replace("\n", ", ")]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tips[c])
                item.setData(Qt.ItemDataRole.AccessibleTextRole, tips[c])
                table.setItem(r, c, item)
            if row.has_pdf:
                made = button(
                    "Verslag openen",
                    functools.partial(self.open_verslag, row.versie),
                    name=f"Verslag openen: {row.titel} van {_date(row.datum)}",
                    tip="Het verslag precies zoals het bij dit gesprek is bewaard",
                )
                cell = QWidget()  # the button its own height, in the middle of a tall row
                cell_layout = QVBoxLayout(cell)
                cell_layout.setContentsMargins(4, 2, 4, 2)
                cell_layout.addWidget(made, 0, Qt.AlignmentFlag.AlignVCenter)
                table.setCellWidget(r, 4, cell)
                self.verslag_buttons.append(made)
            else:
                table.setItem(r, 4, QTableWidgetItem("—" if row.definitief_op is None else "geen verslag bewaard"))
        tab_chain(self.scroll_area, *self.verslag_buttons)
        for column in (0, 1, 2, 4):
            table.resizeColumnToContents(column)
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount())) + 4
        table.setFixedHeight(height)

    def _show_decisions(self, d: Dossier) -> None:
        from forms.definitions import default_definitions

        traj = (self.definitions or default_definitions()).trajectory
        names = {m.id: m.voornaam for m in d.huishouden.leden}
        items: list[tuple[dt.date, str]] = []
        for kb in d.kernbeslissingen:
            titel = traj.kernbeslissing_label(kb.soort)
            if kb.child_id in names:
                titel += f" ({names[kb.child_id]})"
            lines = [f"<b>{_date(kb.datum)} — Kernbeslissing: {escape(titel)}</b>", escape(kb.beslissing)]
            if kb.raadplegingen:
                for r in kb.raadplegingen:
                    over = f" over {escape(r.over)}" if r.over else ""
                    advies = f"; advies: {escape(r.uitkomst)}" if r.uitkomst else ""
                    lines.append(f"Geraadpleegd: {escape(r.naam)} ({escape(r.met)}), {_date(r.datum)}{over}{advies}")
            else:
                lines.append("<i>Nog niemand geraadpleegd.</i>")
            if kb.informatie:
                lines.append(f"Op basis van: {escape(kb.informatie)}")
            if kb.veiligheidsplan_nodig:
                afspraken = len(kb.veiligheidsplan.afspraken) if kb.veiligheidsplan is not None else 0
                lines.append(f"Veiligheidsplan nodig: ja ({afspraken} afspraken)")
            elif kb.veiligheidsplan_nodig is False:
                lines.append("Veiligheidsplan nodig: nee")
            items.append((kb.datum, "<br>".join(lines)))
        for op in d.opschalingen:
            naar = op.naar_anders if op.naar == "anders" and op.naar_anders else traj.opschaling_label(op.naar)
            lines = [f"<b>{_date(op.datum)} — Opgeschaald naar {escape(naar)}</b>", f"Reden: {escape(op.reden)}"]
            lines.append(f"Uitkomst: {escape(op.uitkomst)}" if op.uitkomst else "<i>Uitkomst nog niet bekend.</i>")
            items.append((op.datum, "<br>".join(lines)))
        blocks = [f"<p>{html}</p>" for _datum, html in sorted(items, key=lambda item: item[0])]
        self.decisions.setText("".join(blocks) or "Geen kernbeslissingen en geen opschalingen.")
        self._show_veiligheidsplannen(d)

    def _show_veiligheidsplannen(self, d: Dossier) -> None:
        """A button per veiligheidsplan signed at a finalised gesprek: it prints from that
        gesprek's stored version, like its verslag."""
        for old in self.veiligheidsplan_buttons:
            old.deleteLater()
        self.veiligheidsplan_buttons = []
        for kb, versie in veiligheidsplannen(d):
            made = button(
                f"Veiligheidsplan van {_date(kb.datum)} openen",
                functools.partial(self.open_veiligheidsplan, kb.id, versie),
                name=f"Veiligheidsplan van de kernbeslissing van {_date(kb.datum)} openen",
            )
            self.plan_row_layout.addWidget(made, 0, Qt.AlignmentFlag.AlignLeft)
            self.veiligheidsplan_buttons.append(made)
        self.plan_row.setVisible(bool(self.veiligheidsplan_buttons))

    def _show_plan(self, d: Dossier, rows: list[GesprekRow]) -> None:
        blocks = []
        for pv in d.plan_versies:
            doelen = len(pv.plan.doelen)
            if pv.reden:
                reden = escape(pv.reden)
            elif pv.versie == 1:
                reden = "het eerste plan"
            else:
                reden = "<i>geen reden vastgelegd</i>"
            blocks.append(
                f"<p><b>Planversie {pv.versie} — {_date(pv.datum)}</b> · {doelen} {'doel' if doelen == 1 else 'doelen'}"
                f"<br>Reden: {reden}</p>"
            )
        goals = "".join(
            f"<li>{g.prioriteit}. {escape(g.omschrijving)}</li>" for g in sorted(d.plan.doelen, key=lambda g: g.prioriteit)
        )
        blocks.append(f"<p>De doelen nu:</p><ul>{goals}</ul>" if goals else "<p>Nog geen doelen.</p>")
        self.plan.setText("".join(blocks))

    def _show_closing(self, d: Dossier, data: TimelineData) -> None:
        entries = [e for e in data.entries if e.kind == "afsluiting"]
        if not entries:
            self.closing.setText("Het traject loopt nog.")
            return
        html = "".join(f"<p><b>{_date(e.datum)} — {escape(e.titel)}</b><br>{escape(e.detail)}</p>" for e in entries)
        if data.waakvlam is not None:
            html += f"<p>Waakvlam: contact opnemen op <b>{_date(data.waakvlam)}</b>.</p>"
        self.closing.setText(html)

    def _show_entries(self, entries: list[TimelineEntry]) -> None:
        """Every event in date order, as a table that wraps (readable at 200 %)."""
        rows = "".join(
            f"<tr><td style='padding:2px 12px 2px 0; white-space:nowrap'>{_date(e.datum)}</td>"
            f"<td style='padding:2px 12px 2px 0'><b>{escape(e.titel)}</b></td>"
            f"<td style='padding:2px 0'>{escape(e.detail)}</td></tr>"
            for e in entries
        )
        self.all_entries.setText(f"<table cellspacing='0'>{rows}</table>" if rows else "Nog niets vastgelegd.")

    # --- verslag --------------------------------------------------------------------------

    def open_verslag_row(self, row: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.gesprekken) and self.data.gesprekken[row].has_pdf:
            self.open_verslag(self.data.gesprekken[row].versie)

    def open_verslag(self, versie: int) -> VerslagPreview:
        """The stored verslag of one gesprek (the PDF bytes as stored, not a new render)."""
        titel = "Verslag"
        if self.data is not None:
            row = next((r for r in self.data.gesprekken if r.versie == versie), None)
            if row is not None:
                titel = f"Verslag — {row.titel} van {_date(row.datum)}"
        preview = self._open_preview(titel, self.dossier_id)
        preview.view_version(versie)
        return preview

    def _open_preview(self, title: str, dossier_id: UUID | None = None) -> VerslagPreview:
        from .verslag_view import VerslagPreview

        preview = self.preview = VerslagPreview(self, tasks=self.tasks, dossier_id=dossier_id, title=title)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        preview.open()
        return preview

    def open_veiligheidsplan(self, kernbeslissing_id: UUID, versie: int) -> VerslagPreview:
        """The veiligheidsplan of a kernbeslissing, printed from the finalised version of the
        gesprek it was signed at (read on the vault thread, rendered on the pool)."""
        preview = self._open_preview("Veiligheidsplan")
        dossier_id, definitions = self.dossier_id, self.definitions

        def render(loaded: tuple[Dossier, VerslagSettings]) -> None:
            from forms.verslag import build_veiligheidsplan_pdf

            final, settings = loaded
            self.tasks.run_in_background(
                lambda: build_veiligheidsplan_pdf(final, kernbeslissing_id, definitions, settings),
                lambda pdf: preview.show_pdf(pdf, "Veiligheidsplan"),
                self._failed,
                owner=preview,
            )

        self.tasks.run_db(lambda vault: read_version_for_print(vault, dossier_id, versie), render, self._failed, owner=preview)
        return preview

    def close_for_lock(self) -> None:
        dismiss(self.preview)
        self.preview = None
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        save_window_size(self, "tijdlijn")
        event.accept()
