"""Controle: everything still missing, blocking points first, each with "Ga naar".

The workspace hands the page its gaps (``set_gaps``) whenever they change. "Ga naar"
emits ``go_to_location(location)``; the workspace switches to the gap's step and
calls that page's ``focus_location``. "Gesprek afronden" stays disabled while
blocking points remain, and says how many; when enabled it leads to Ondertekenen.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms import Dossier, Gap, Location

from ..widgets import button, label
from .base import STEP_IDS, STEP_TITLES, StepContext, StepPage

__all__ = ["ControlePage", "step_title", "gap_sort_key"]


def step_title(section: str | None) -> str:
    return STEP_TITLES.get(section or "", section or "")


def gap_sort_key(gap: Gap) -> tuple[int, int]:
    section = gap.location.section
    order = STEP_IDS.index(section) if section in STEP_IDS else len(STEP_IDS)
    return (0 if gap.blokkerend else 1, order)


def blocking_text(count: int) -> str:
    if count == 1:
        return "Nog 1 blokkerend punt"
    return f"Nog {count} blokkerende punten"


class ControlePage(StepPage):
    step_id = "controle"


    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.gaps: list[Gap] = []
        self.go_buttons: list[QPushButton] = []
        layout = self.headed_content("Controle")
        layout.addWidget(label(
            "Wat nog ontbreekt voordat het gesprek kan worden afgerond. Blokkerende punten "
            "moeten eerst worden opgelost; aandachtspunten zijn goed om na te lopen."
        ))
        self.summary = label(name="Samenvatting van de controle", object_name="summaryLine")
        layout.addWidget(self.summary)

        self.list_frame = QFrame()
        self.list_frame.setObjectName("gapList")
        self.list_frame.setAccessibleName("Open punten")
        self.list_layout = QVBoxLayout(self.list_frame)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(6)
        layout.addWidget(self.list_frame)
        layout.addStretch(1)

        self.finalise_button = button("Gesprek &afronden…", lambda: self.show_step_requested.emit("ondertekenen"),
                                      name="Gesprek afronden", object_name="primary")
        self.reason = self.finalise_row(self.finalise_button)

    # --- contract -------------------------------------------------------------------------

    def set_dossier(self, dossier: Dossier) -> None:
        super().set_dossier(dossier)
        self._render()

    def set_gaps(self, gaps: list[Gap]) -> None:
        self.gaps = sorted(gaps, key=gap_sort_key)
        self._render()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # nothing to edit here; navigation stays usable
        self._render()

    def focus_location(self, location: Location) -> None:
        if self.go_buttons:
            self.go_buttons[0].setFocus()

    # --- view -----------------------------------------------------------------------------

    @property
    def blocking(self) -> list[Gap]:
        return [g for g in self.gaps if g.blokkerend]

    def _render(self) -> None:
        layout = self.list_layout
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.go_buttons = []
        blocking = self.blocking
        warnings = [g for g in self.gaps if not g.blokkerend]
        final = self.dossier is not None and self.dossier.definitief is not None

        if final:
            self.summary.setText("Dit gesprek is afgerond.")
        elif not self.gaps:
            self.summary.setText("Alles is compleet. Het gesprek kan worden afgerond.")
        else:
            parts = []
            if blocking:
                parts.append(blocking_text(len(blocking)).replace("Nog", "nog", 1))
            if warnings:
                parts.append(f"{len(warnings)} aandachtspunt{'en' if len(warnings) != 1 else ''}")
            text = " en ".join(parts)
            self.summary.setText(text[0].upper() + text[1:] + ".")

        for group, gaps in (("Blokkerend", blocking), ("Aandachtspunten", warnings)):
            if not gaps:
                continue
            layout.addWidget(label(f"{group} ({len(gaps)})", object_name="subheading", wrap=False))
            for gap in gaps:
                layout.addWidget(self._gap_row(gap))

        # Signing is the last step, on Ondertekenen: what only waits for signatures does
        # not keep the wijkcoach from going there.
        signing_only = bool(blocking) and all(
            g.location.section == "ondertekenen" for g in blocking
        )
        self.finalise_button.setEnabled(
            not final and (not blocking or signing_only) and self.dossier is not None
        )
        if final:
            self.reason.setText("Afgerond; zie Ondertekenen.")
        elif signing_only:
            self.reason.setText("Alles is ingevuld; het verslag moet nog worden ondertekend.")
        elif blocking:
            self.reason.setText(blocking_text(len(blocking)) + ": los die eerst op.")
        else:
            self.reason.setText("")
        self.finalise_button.setToolTip(self.reason.text())

    def _gap_row(self, gap: Gap) -> QWidget:
        row = QFrame()
        row.setObjectName("gapBlocking" if gap.blokkerend else "gapWarning")
        h = QHBoxLayout(row)
        h.setContentsMargins(10, 6, 6, 6)
        location, message = gap.location, gap.message
        text = QLabel(f"<b>{step_title(location.section)}</b> — {escape(message)}")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setAccessibleName(message)
        h.addWidget(text, 1)
        go = button("Ga naar", lambda: self.go_to_location.emit(location), name=f"Ga naar: {message}", keep_enabled=True)
        h.addWidget(go, 0, Qt.AlignmentFlag.AlignTop)
        self.go_buttons.append(go)
        return row
