"""Step "Hulpvraag, analyse en perspectief" (DOMAIN T6, T8).

The hulpvraag in the family's words and whose voice it is; the integral problem
analysis and the desired perspective, written while the concerns from every life
domain are in view, so the wijkcoach connects them instead of answering each domain
with its own action.

The small helpers here are shared with :mod:`desktop.steps.plan`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import ErrorLabel, RadioChoice, ResponsiveRow, bare, intro_layout, label, labelled, tab_chain
from forms import Definitions, Dossier, Voice
from forms.paths import Path

from .base import StepContext, StepPage

__all__ = [
    "HulpvraagPage",
    "VOICE_OPTIONS",
    "text_edit",
    "domain_name",
    "domain_options",
]

VOICE_OPTIONS = [
    (Voice.OUDER, "&Ouder(s)"),
    (Voice.KIND, "&Kind(eren)"),
    (Voice.BEIDE, "&Beide"),
]


# --- helpers shared with the plan page ---------------------------------------------


def text_edit(accessible_name: str, lines: int = 4, grow: bool = True) -> QPlainTextEdit:
    """A multi-line field that Tab leaves (keyboard users must not get stuck in it).

    ``lines`` is its minimum height; with ``grow=False`` it stays near that height.
    """
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(accessible_name)
    line = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(line * lines + 12)
    if grow:
        edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    else:
        edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        edit.setMaximumHeight(line * (lines + 1) + 12)
    return edit


def domain_name(definitions: Definitions, dossier: Dossier, domain_id: str) -> str:
    """The life domain's name from the dossier's domain set, or its id if unknown."""
    return dict(domain_options(definitions, dossier)).get(domain_id) or domain_id


def domain_options(definitions: Definitions, dossier: Dossier) -> list[tuple[str, str]]:
    """(id, name) of every domain in the dossier's domain set, in definition order."""
    try:
        domains = definitions.domain_set(dossier.leefgebieden_set).domeinen
    except (AttributeError, LookupError, ValueError, TypeError):
        return []
    return [(d.id, d.naam) for d in domains]


# --- the page ------------------------------------------------------------------------


class HulpvraagPage(StepPage):
    step_id = "hulpvraag"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = intro_layout(
            self.content,
            "Formuleer de hulpvraag samen met ouders én kinderen, in hun eigen woorden. "
            "Schrijf daarna één samenhangende analyse: welke oorzaken en patronen zitten "
            "achter de zorgen, en welke hulp is er eerder geweest?",
        )

        # The request and whose voice it is (T6).
        request_box = QGroupBox("Hulpvraag")
        request_layout = QVBoxLayout(request_box)
        self.hulpvraag_edit = text_edit("Hulpvraag, in de woorden van het gezin", lines=4, grow=False)
        caption = QLabel("&Hulpvraag, in de woorden van het gezin")
        self.hulpvraag_error = labelled(request_layout, caption, self.hulpvraag_edit)
        voice_row = ResponsiveRow(breakpoint_chars=60)  # the question above the choices when narrow
        voice_row.addWidget(QLabel("Van wie is deze hulpvraag?"))
        self.voice = RadioChoice(VOICE_OPTIONS, "Van wie is de hulpvraag")
        voice_row.addWidget(self.voice, 1)
        request_layout.addWidget(voice_row)
        self.voice_error = ErrorLabel(self.voice)
        request_layout.addWidget(self.voice_error)
        layout.addWidget(request_box)

        # Analysis and perspective, with the concerns of all domains beside them (T8).
        analysis_box = QGroupBox("Analyse en perspectief")
        analysis_row = ResponsiveRow()
        QVBoxLayout(analysis_box).addWidget(analysis_row)
        left_widget = QWidget()
        left = bare(QVBoxLayout(left_widget))
        self.analyse_edit = text_edit("Probleemanalyse: oorzaken, patronen, eerdere hulp", lines=7)
        self.analyse_error = labelled(left, "&Probleemanalyse: oorzaken, patronen, eerdere hulp", self.analyse_edit, 3)
        self.perspectief_edit = text_edit("Gewenst perspectief", lines=4)
        caption = "&Gewenst perspectief: waar wil het gezin naartoe?"
        self.perspectief_error = labelled(left, caption, self.perspectief_edit, 2)
        analysis_row.addWidget(left_widget, 3)

        right_widget = QWidget()
        right = bare(QVBoxLayout(right_widget))
        caption = QLabel("&Zorgen uit de leefgebieden")
        self.concerns_list = QListWidget()
        self.concerns_list.setAccessibleName("Zorgen uit de leefgebieden")
        self.concerns_list.setAccessibleDescription(
            "De zorgen per leefgebied en gezinslid, als houvast voor de probleemanalyse."
        )
        self.concerns_list.setWordWrap(True)
        self.concerns_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.concerns_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.concerns_list.setUniformItemSizes(False)
        self.concerns_list.setSpacing(1)
        self.concerns_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.concerns_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.concerns_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        caption.setBuddy(self.concerns_list)
        right.addWidget(caption)
        right.addWidget(self.concerns_list, 1)
        right.addWidget(label("Welke oorzaken en patronen verbinden deze zorgen?"))
        analysis_row.addWidget(right_widget, 2)
        layout.addWidget(analysis_box, 1)

        bind, emit = self.binder.bind, self.changed.emit
        bind(self.hulpvraag_edit, ("hulpvraag", "tekst"), label="hulpvraag", error=self.hulpvraag_error, on_edit=emit)
        bind(self.voice, ("hulpvraag", "stem"), label="van wie de hulpvraag is", error=self.voice_error, on_edit=emit)
        bind(self.analyse_edit, ("plan", "probleemanalyse"), label="probleemanalyse", error=self.analyse_error, on_edit=emit)
        bind(self.perspectief_edit, ("plan", "perspectief"), label="perspectief", error=self.perspectief_error, on_edit=emit)
        buttons = self.voice.buttons.values()
        tab_chain(self.hulpvraag_edit, *buttons, self.analyse_edit, self.perspectief_edit, self.concerns_list)
        self.setEnabled(False)  # until a dossier is set

    def rebuild(self) -> None:
        self._fill_concerns()
        self.setEnabled(True)

    def on_changed(self, paths: list[Path]) -> None:
        if any(p[:1] in ((), ("leefgebieden",), ("huishouden",)) for p in paths):
            self._fill_concerns()

    def _fill_concerns(self) -> None:
        """The entries with concerns, grouped under their domain: whose, and the first line."""
        dossier = self.dossier
        assert dossier is not None
        view = self.concerns_list
        view.clear()
        options = domain_options(self.context.definitions, dossier)
        order = {domain_id: i for i, (domain_id, _) in enumerate(options)}
        member_order = {m.id: i for i, m in enumerate(dossier.huishouden.leden)}
        entries = [e for e in dossier.leefgebieden if e.zorgen.strip() and not e.niet_van_toepassing]
        entries.sort(
            key=lambda e: (
                order.get(e.domein, len(order)),
                e.domein,
                -1 if e.member_id is None else member_order.get(e.member_id, len(member_order)),
            )
        )
        domain: str | None = None
        for entry in entries:
            name = domain_name(self.context.definitions, dossier, entry.domein)
            if entry.domein != domain:
                domain = entry.domein
                heading = QListWidgetItem(name)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                heading.setData(Qt.ItemDataRole.UserRole, entry.domein)
                view.addItem(heading)
            if entry.member_id is None:
                whose = "Gezin"
            else:
                member = dossier.member(entry.member_id)
                whose = member.voornaam if member else "Onbekend gezinslid"
            first_line = entry.zorgen.strip().splitlines()[0]
            item = QListWidgetItem(f"{whose}: {first_line}")
            tooltip = entry.zorgen
            if entry.hulpvraag:
                tooltip += f"\n\nHulpvraag: {entry.hulpvraag}"
            item.setToolTip(tooltip)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, {whose}: {entry.zorgen}")
            view.addItem(item)
        if not entries:
            item = QListWidgetItem("Nog geen zorgen vastgelegd bij de leefgebieden.")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            view.addItem(item)
