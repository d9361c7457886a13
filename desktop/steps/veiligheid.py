"""Step "Veiligheid per kind": a child-safety assessment for every child under 18 (T4, T10).

One tab per child (``Dossier.children()``: everyone under 18 on the gesprek date,
whatever their role), so no child can be skipped because the request was about a
sibling. Each tab is generated from the instrument definition — the version the
child's latest assessment was given under, or the current one for a new assessment —
so a municipality's licensed instrument shows without code changes:

- per section the items, each with aanwezig ja / nee / onbekend and a toelichting;
- the professional's judgment: veiligheid nu, risico, and an onderbouwing that is
  always required;
- the consultation of a second professional, shown when the instrument says the
  judgment needs one (``requires_consultation``);
- "Beoordeling afronden", which only succeeds when the judgment is complete.

A re-assessment ("Nieuwe beoordeling") is a new :class:`forms.SafetyAssessment`; the
first assessment's judgment and answers are shown beside it for comparison (T10).
The assessment is created on the first accepted edit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from html import escape
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import (
    ErrorLabel,
    RadioChoice,
    assign,
    bind_text,
    error_messages,
    form_row,
    format_date,
    from_qdate,
    make_date_edit,
    scroll_wrap,
    with_error,
)
from forms import (
    Consultation,
    Dossier,
    ItemAnswer,
    Member,
    RiskLater,
    SafetyAssessment,
    SafetyNow,
)
from forms.definitions import SafetyInstrument
from forms.glossary import label as glossary_label

from . import safety_compare
from .base import KEEP_ENABLED, StepContext, StepPage, apply_read_only

__all__ = ["VeiligheidPage", "ChildPanel", "tab_title"]

ONBEKEND = "onbekend"  # the radio value for ItemAnswer.aanwezig = None
_ANSWERS = [(True, "Ja"), (False, "Nee"), (ONBEKEND, "Onbekend")]
_MET_LABELS = {"collega": "Collega", "gedragswetenschapper": "Gedragswetenschapper"}
_GREY = "color: #555555;"


def _answer_text(answer: ItemAnswer | None) -> str:
    if answer is None:
        return "—"
    return {True: "ja", False: "nee", None: "onbekend"}[answer.aanwezig]


def _text_edit(rows: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    line = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(line * rows + 14)
    edit.setMaximumHeight(line * (rows + 3) + 14)
    return edit


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(_GREY)
    return label


def tab_title(dossier: Dossier, child: Member) -> str:
    """The child's first name and whether its latest assessment is concluded."""
    latest = dossier.latest_assessment(child.id)
    if latest is not None and latest.afgerond:
        return f"{child.voornaam} ✓ afgerond"
    return f"{child.voornaam} – open"


def _scrollable(inner: QWidget) -> QScrollArea:
    """``scroll_wrap`` whose scroll bars stay usable when the page is read-only."""
    area = scroll_wrap(inner)
    for bar in (area.verticalScrollBar(), area.horizontalScrollBar()):
        bar.setProperty(KEEP_ENABLED, True)
    return area


class ChildPanel(QWidget):
    """The assessment of one child, built from its instrument definition."""

    scroll: QScrollArea  # type: ignore[assignment]  # shadows QWidget.scroll(dx, dy); nothing calls that here

    def __init__(self, page: VeiligheidPage, child: Member) -> None:
        super().__init__()
        self.page = page
        self.child = child
        dossier = page.dossier
        assert dossier is not None
        self.dossier = dossier
        definitions = page.context.definitions
        history = dossier.assessments_for(child.id)
        latest = history[-1] if history else None
        self.first: SafetyAssessment | None = history[0] if len(history) >= 2 else None
        self.number = max(1, len(history))
        self.instrument: SafetyInstrument | None = None
        self.missing_instrument = False
        if latest is None:
            self.instrument = definitions.instrument()
            self.assessment = SafetyAssessment(
                child_id=child.id, instrument=self.instrument.ref, datum=page.context.today, gesprek_id=dossier.gesprek.id
            )
        else:
            self.assessment = latest
            try:
                self.instrument = definitions.instrument(latest.instrument)
            except Exception:  # noqa: BLE001 - a version this laptop doesn't have
                self.missing_instrument = True
        self.answer_choices: dict[str, RadioChoice] = {}
        self.answer_notes: dict[str, QLineEdit] = {}
        self._errors: dict[str, ErrorLabel] = {}
        self._build()

    # --- construction -----------------------------------------------------------------

    def _build(self) -> None:
        inner = QWidget()
        column = QVBoxLayout(inner)
        intro = _hint(
            "Beoordeel de veiligheid van élk kind onder de 18, ook als de hulpvraag over één "
            "kind gaat. Wissel van kind met de tabbladen (Ctrl+Tab)."
        )
        column.addWidget(intro)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Stand van de beoordelingen")
        column.addWidget(self.summary)
        column.addLayout(self._build_header())
        self.lock_hint = _hint(
            "Deze beoordeling is afgerond. Haal onderaan het vinkje bij 'Beoordeling afronden' "
            "weg om iets te wijzigen, of begin een nieuwe beoordeling om de veiligheid opnieuw "
            "te wegen."
        )
        self.lock_hint.hide()
        column.addWidget(self.lock_hint)
        if self.missing_instrument:
            ref = self.assessment.instrument
            warning = QLabel(
                f"Deze beoordeling is gedaan met het instrument '{ref.id}' versie {ref.version}, "
                "dat op deze laptop niet beschikbaar is. De antwoorden blijven bewaard; begin "
                "zo nodig een nieuwe beoordeling."
            )
            warning.setWordWrap(True)
            warning.setStyleSheet("color: #b00020;")
            column.addWidget(warning)
            column.addStretch(1)
        else:
            self.sections: list[QGroupBox] = []
            for section in self.instrument.secties:
                box = self._build_section(section)
                self.sections.append(box)
                column.addWidget(box)
            column.addWidget(self._build_judgment())
            column.addWidget(self._build_consultation())
            column.addWidget(self._build_conclusion())
            column.addStretch(1)
            self._update_judgment_hints()
            self._update_consultation()
            self._update_lock()
        self.comparison = safety_compare.attach(self, column)  # evaluatie, afsluiting: then and now
        self.scroll = _scrollable(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        a = self.assessment
        age = self.child.age_on(self.dossier.gesprek.datum)
        parts = [f"<b>{escape(self.child.naam)}</b>, {age} jaar"]
        if a in self.dossier.veiligheid:
            parts.append(f"beoordeling {self.number} van {format_date(a.datum)}")
        else:
            parts.append("nog geen beoordeling")
        if self.instrument is not None:
            parts.append(f"{escape(self.instrument.naam)} (versie {self.instrument.version})")
        self.header = QLabel(" · ".join(parts))
        self.header.setWordWrap(True)
        self.header.setAccessibleName("Kind en beoordeling")
        row.addWidget(self.header, 1)
        self.new_button = QPushButton("&Nieuwe beoordeling")
        self.new_button.setAccessibleName("Nieuwe beoordeling van dit kind")
        self.new_button.setToolTip(
            "Begin een herbeoordeling; de eerste beoordeling blijft bewaard en staat ernaast "
            "ter vergelijking."
        )
        self.new_button.clicked.connect(self._new_assessment)
        row.addWidget(self.new_button)
        self._update_new_button()
        return row

    def _build_section(self, section: Any) -> QGroupBox:
        title = section.titel + (" (verplicht: elk item ja of nee)" if section.verplicht else "")
        # The title as a label that wraps: a group box title never does, and a long one
        # (a licensed instrument's) would make the page scroll sideways at 200 %.
        box = QGroupBox()
        box.setAccessibleName(section.titel)
        grid = QGridLayout(box)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(2, 4)
        heading = QLabel(title)
        heading.setObjectName("subheading")
        heading.setWordWrap(True)
        grid.addWidget(heading, 0, 0, 1, 4)
        row = 1
        if section.uitleg:
            grid.addWidget(_hint(section.uitleg), row, 0, 1, 4)
            row += 1
        heads = ["Item", "Aanwezig?", "Toelichting"]
        if self.first is not None:
            heads.append(f"Eerste ({format_date(self.first.datum)})")
        for col, text in enumerate(heads):
            head = QLabel(f"<i>{escape(text)}</i>")
            head.setWordWrap(True)  # "Eerste (dd-mm-jjjj)" fits a narrow column at 200 %
            grid.addWidget(head, row, col)
        row += 1
        for item in section.items:
            answer = self.assessment.antwoorden.get(item.id)
            text = QLabel(item.tekst)
            text.setWordWrap(True)
            choice = RadioChoice(_ANSWERS, item.tekst, _radio_value(answer))
            choice.valueChanged.connect(lambda value, item_id=item.id: self._answer_chosen(item_id, value))
            note = QLineEdit(answer.toelichting if answer else "")
            note.setAccessibleName(f"Toelichting: {item.tekst}")
            note.setPlaceholderText(item.toelichting_hint or "Toelichting")
            if item.toelichting_hint:
                note.setToolTip(item.toelichting_hint)
            note.textChanged.connect(lambda value, item_id=item.id: self._note_edited(item_id, value))
            note_box, error = with_error(note)
            grid.addWidget(text, row, 0)
            grid.addWidget(choice, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(note_box, row, 2)
            if self.first is not None:
                earlier = QLabel(_answer_text(self.first.antwoorden.get(item.id)))
                earlier.setStyleSheet(_GREY)
                earlier.setAccessibleName(f"Eerste beoordeling: {item.tekst}")
                grid.addWidget(earlier, row, 3, Qt.AlignmentFlag.AlignTop)
            self.answer_choices[item.id] = choice
            self.answer_notes[item.id] = note
            self._errors[f"item:{item.id}"] = error
            row += 1
        return box

    def _build_judgment(self) -> QGroupBox:
        a = self.assessment
        box = QGroupBox("Oordeel van de professional")
        self.judgment_box = box
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 3)
        comparing = self.first is not None
        if comparing:
            grid.addWidget(QLabel("<i>Nu</i>"), 0, 1)
            first_head = QLabel(f"<i>Eerste beoordeling ({format_date(self.first.datum)})</i>")
            first_head.setWordWrap(True)
            grid.addWidget(first_head, 0, 2)
            grid.setColumnStretch(2, 2)

        self.veiligheid_nu = RadioChoice(
            [(v, v.label) for v in SafetyNow], "Veiligheid nu", a.veiligheid_nu
        )
        self.veiligheid_nu.valueChanged.connect(lambda v: self._judged("veiligheid_nu", v))
        self.veiligheid_uitleg = _hint()
        self.risico = RadioChoice([(v, v.label) for v in RiskLater], glossary_label("risico_later"), a.risico)
        self.risico.valueChanged.connect(lambda v: self._judged("risico", v))
        self.risico_uitleg = _hint()
        self.onderbouwing = _text_edit(4)
        self.onderbouwing.setPlaceholderText(
            "Waarom komt u tot dit oordeel? Weeg de signalen, risico's en beschermende factoren, "
            "en wat de problemen van de ouders voor dit kind betekenen."
        )
        rows = [
            ("&Veiligheid nu:", self.veiligheid_nu, self.veiligheid_uitleg, "veiligheid_nu"),
            ("&" + glossary_label("risico_later") + ":", self.risico, self.risico_uitleg, "risico"),
            ("&Onderbouwing (verplicht):", self.onderbouwing, None, "onderbouwing"),
        ]
        r = 1 if comparing else 0
        for text, widget, hint, name in rows:
            label = QLabel(text)
            label.setBuddy(widget)
            cell, self._errors[name] = with_error(widget, *([hint] if hint is not None else []))
            grid.addWidget(label, r, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(cell, r, 1)
            if comparing:
                grid.addWidget(self._earlier(name), r, 2, Qt.AlignmentFlag.AlignTop)
            r += 1
        self.onderbouwing.setAccessibleName("Onderbouwing van het oordeel (verplicht)")
        bind_text(self.onderbouwing, a, "onderbouwing", self._errors["onderbouwing"], self._commit)
        return box

    def _earlier(self, name: str) -> QLabel:
        first = self.first
        assert first is not None
        if name == "veiligheid_nu":
            text = first.veiligheid_nu.label if first.veiligheid_nu else "—"
        elif name == "risico":
            text = first.risico.label if first.risico else "—"
        else:
            text = first.onderbouwing or "—"
            if first.consultatie is not None:
                c = first.consultatie
                text += f"\n\nOverlegd met {_MET_LABELS.get(c.met, c.met).lower()}"
                text += f" {c.naam}" if c.naam else ""
                text += f" op {format_date(c.datum)}."
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(_GREY)
        label.setAccessibleName(f"Eerste beoordeling: {name.replace('_', ' ')}")
        return label

    def _build_consultation(self) -> QGroupBox:
        c = self.assessment.consultatie
        box = QGroupBox("Overleg met een tweede professional")
        box.setAccessibleName("Overleg met een tweede professional")
        self.consult_box = box
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        explanation = QLabel(
            "Bij dit oordeel is overleg met een collega of gedragswetenschapper verplicht. "
            "Leg vast met wie, wanneer en wat de uitkomst was."
        )
        explanation.setWordWrap(True)
        form.addRow(explanation)
        options = [(m, _MET_LABELS.get(m, m)) for m in self.instrument.oordeel.consultatie_met]
        self.consult_met = RadioChoice(options, "Overlegd met", c.met if c else None)
        self.consult_met.valueChanged.connect(self._consult_met_chosen)
        self.consult_naam = QLineEdit(c.naam if c else "")
        self.consult_datum = make_date_edit(c.datum if c else self.page.context.today)
        self.consult_datum.setMaximumWidth(self.consult_datum.fontMetrics().horizontalAdvance("00-00-00000") + 60)
        self.consult_uitkomst = _text_edit(3)
        if c is not None:
            self.consult_uitkomst.setPlainText(c.uitkomst)
        self._errors["consult_met"] = form_row(form, "Overlegd m&et:", self.consult_met)
        self._errors["consult_naam"] = form_row(
            form, "Naa&m:", self.consult_naam, accessible_name="Naam van de collega of gedragswetenschapper"
        )
        self._errors["consult_datum"] = form_row(
            form, "Da&tum overleg:", self.consult_datum, accessible_name="Datum van het overleg"
        )
        self._errors["consult_uitkomst"] = form_row(
            form, "&Uitkomst overleg:", self.consult_uitkomst, accessible_name="Uitkomst van het overleg"
        )
        self.consult_hint = _hint("Kies eerst met wie u overlegde.")
        form.addRow("", self.consult_hint)
        self.consult_naam.textChanged.connect(lambda t: self._consult_edited("naam", t, "consult_naam"))
        self.consult_uitkomst.textChanged.connect(
            lambda: self._consult_edited("uitkomst", self.consult_uitkomst.toPlainText(), "consult_uitkomst")
        )
        self.consult_datum.dateChanged.connect(
            lambda d: self._consult_edited("datum", from_qdate(d), "consult_datum")
        )
        return box

    def _build_conclusion(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.afronden = QCheckBox("Beoordeling &afronden")
        self.afronden.setAccessibleName("Beoordeling afronden")
        self.afronden.setToolTip(
            "Rond af als het oordeel, de onderbouwing en zo nodig het overleg zijn vastgelegd."
        )
        self.afronden.setChecked(self.assessment.afgerond)
        self.afronden.toggled.connect(self._conclude)
        error = ErrorLabel()
        error.field = self.afronden
        self._errors["afgerond"] = error
        column.addWidget(self.afronden)
        column.addWidget(error)
        return box

    # --- state ------------------------------------------------------------------------------

    def _update_new_button(self) -> None:
        latest = self.dossier.latest_assessment(self.child.id)
        possible = latest is not None and (latest.afgerond or self.missing_instrument)
        self.new_button.setEnabled(possible)
        if not possible:
            self.new_button.setToolTip("Kan pas als de huidige beoordeling is afgerond.")

    def consultation_required(self) -> bool:
        a = self.assessment
        return bool(self.instrument.requires_consultation(a.veiligheid_nu, a.risico))

    def _update_consultation(self) -> None:
        required = self.consultation_required()
        # shown when the judgment needs it; recorded data stays visible too
        self.consult_box.setVisible(required or self.assessment.consultatie is not None)
        chosen = self.assessment.consultatie is not None
        for w in (self.consult_naam, self.consult_datum, self.consult_uitkomst):
            w.setEnabled(chosen)
        self.consult_hint.setVisible(not chosen)

    def _update_judgment_hints(self) -> None:
        judgment = self.instrument.oordeel
        a = self.assessment
        self.veiligheid_uitleg.setText(judgment.uitleg_veiligheid.get(a.veiligheid_nu, "") if a.veiligheid_nu else "")
        self.veiligheid_uitleg.setVisible(bool(self.veiligheid_uitleg.text()))
        self.risico_uitleg.setText(judgment.uitleg_risico.get(a.risico, "") if a.risico else "")
        self.risico_uitleg.setVisible(bool(self.risico_uitleg.text()))

    def _update_lock(self) -> None:
        locked = self.assessment.afgerond
        for box in self.sections:
            box.setEnabled(not locked)
        self.judgment_box.setEnabled(not locked)
        self.consult_box.setEnabled(not locked)
        self.lock_hint.setVisible(locked)

    def missing_for_conclusion(self) -> list[str]:
        a = self.assessment
        missing: list[str] = []
        unanswered = self.instrument.unanswered_required(a)
        if unanswered:
            missing.append(f"{len(unanswered)} verplichte item(s) met ja of nee")
        if a.veiligheid_nu is None:
            missing.append("het oordeel over de veiligheid nu")
        if a.risico is None:
            missing.append("het risico later")
        if not a.onderbouwing:
            missing.append("de onderbouwing")
        if self.consultation_required() and (a.consultatie is None or not a.consultatie.naam):
            missing.append("het overleg met een tweede professional (met wie en naam)")
        return missing

    # --- edits --------------------------------------------------------------------------------

    def _commit(self) -> None:
        """After an accepted edit: the assessment is in the dossier, the page says changed."""
        if not any(x is self.assessment for x in self.dossier.veiligheid):
            self.dossier.veiligheid.append(self.assessment)
            self.header.setText(self.header.text().replace("nog geen beoordeling", f"beoordeling 1 van {format_date(self.assessment.datum)}"))
        self.page.child_changed(self.child)

    def _answer_chosen(self, item_id: str, value: object) -> None:
        aanwezig = None if value == ONBEKEND else value
        answer = self.assessment.antwoorden.get(item_id)
        if answer is None:
            self.assessment.antwoorden[item_id] = ItemAnswer(aanwezig=aanwezig)
        elif assign(answer, "aanwezig", aanwezig):
            return
        self._commit()

    def _note_edited(self, item_id: str, text: str) -> None:
        answer = self.assessment.antwoorden.get(item_id)
        new = answer is None
        if new:
            answer = ItemAnswer()
        before = answer.toelichting
        messages = assign(answer, "toelichting", text)
        self._errors[f"item:{item_id}"].show_messages(messages)
        if messages or answer.toelichting == before:
            return
        if new:
            self.assessment.antwoorden[item_id] = answer
            self.answer_choices[item_id].setValue(ONBEKEND)  # what the model now says
        self._commit()

    def _judged(self, attr: str, value: object) -> None:
        messages = assign(self.assessment, attr, value)
        self._errors[attr].show_messages(messages)
        if messages:
            return
        self._update_judgment_hints()
        self._update_consultation()
        self._commit()

    def _consult_met_chosen(self, value: object) -> None:
        c = self.assessment.consultatie
        if c is None:
            try:
                c = Consultation(
                    met=value,
                    naam=self.consult_naam.text(),
                    datum=from_qdate(self.consult_datum.date()),
                    uitkomst=self.consult_uitkomst.toPlainText(),
                )
            except ValidationError as error:
                self._errors["consult_met"].show_messages(error_messages(error))
                return
            messages = assign(self.assessment, "consultatie", c)
        else:
            messages = assign(c, "met", value)
        self._errors["consult_met"].show_messages(messages)
        if messages:
            return
        self._update_consultation()
        self._commit()

    def _consult_edited(self, attr: str, value: object, error_key: str) -> None:
        c = self.assessment.consultatie
        if c is None:
            return  # the fields are disabled until 'met' is chosen
        before = getattr(c, attr)
        messages = assign(c, attr, value)
        self._errors[error_key].show_messages(messages)
        if not messages and getattr(c, attr) != before:
            self._commit()

    def _conclude(self, checked: bool) -> None:
        error = self._errors["afgerond"]
        if checked:
            missing = self.missing_for_conclusion()
            if missing:
                error.show_messages(["Nog niet af te ronden. Vul eerst in: " + "; ".join(missing) + "."])
                self.afronden.blockSignals(True)
                self.afronden.setChecked(False)
                self.afronden.blockSignals(False)
                return
        messages = assign(self.assessment, "afgerond", checked)
        error.show_messages(messages)
        if messages:
            return
        self._update_lock()
        self._update_new_button()
        self._commit()

    def _new_assessment(self) -> None:
        self.page.new_assessment(self.child)

    # --- focus ---------------------------------------------------------------------------

    def field_widget(self, field: str | None, item: str | None = None) -> QWidget:
        """The widget for a SafetyAssessment field (as forms' gap locations name them),
        an instrument item id, or None (the first thing still to do)."""
        if self.missing_instrument:
            return self.new_button
        name = (field or "").split(".")[-1]
        if item is None and name in self.answer_choices:
            item = name
        if item is not None and item in self.answer_choices:
            return self._unless_locked(self.answer_choices[item])
        a = self.assessment
        if (field or "").split(".")[0] == "consultatie":
            c = a.consultatie
            if c is None:
                return self._unless_locked(self.consult_met)
            if name == "consultatie":
                name = "naam" if not c.naam else ("uitkomst" if not c.uitkomst else "met")
            consult = {
                "met": self.consult_met,
                "naam": self.consult_naam,
                "datum": self.consult_datum,
                "uitkomst": self.consult_uitkomst,
            }
            return self._unless_locked(consult.get(name, self.consult_met))
        if name in ("datum", "instrument"):
            # an outdated assessment, or one under an unknown instrument: assess again
            return self.new_button if self.new_button.isEnabled() else self.afronden
        widgets: dict[str, QWidget] = {
            "veiligheid_nu": self.veiligheid_nu,
            "risico": self.risico,
            "onderbouwing": self.onderbouwing,
            "afgerond": self.afronden,
        }
        if name in widgets:
            return self._unless_locked(widgets[name])
        # no field, or "antwoorden" without an item: the first thing still to do
        for open_item in self.instrument.unanswered_required(a):
            return self._unless_locked(self.answer_choices[open_item.id])
        if name == "antwoorden" or not a.antwoorden:
            return self._unless_locked(next(iter(self.answer_choices.values())))
        for attr in ("veiligheid_nu", "risico", "onderbouwing"):
            if not getattr(a, attr):
                return self._unless_locked(widgets[attr])
        return self.afronden

    def _unless_locked(self, widget: QWidget) -> QWidget:
        return self.afronden if self.assessment.afgerond and widget is not self.afronden else widget

    def focus_field(self, field: str | None, item: str | None = None) -> QWidget:
        widget = self.field_widget(field, item)
        target = widget.focus_button() if isinstance(widget, RadioChoice) else widget
        target = target or widget
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(target)
        # a panel built just now has no geometry yet: scroll again once it is laid out
        QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(target))
        return target


def _radio_value(answer: ItemAnswer | None) -> object:
    if answer is None:
        return None
    return ONBEKEND if answer.aanwezig is None else answer.aanwezig


class _ChildTab(QWidget):
    """A child's tab until its :class:`ChildPanel` is built and takes its place."""

    def __init__(self, child: Member) -> None:
        super().__init__()
        self.child = child


class _Panels(Mapping[UUID, ChildPanel]):
    """The children's panels by child id, in tab order; each is built when first asked for
    (a panel is some 80 ms of widgets, and the wijkcoach looks at one child at a time)."""

    def __init__(self, page: VeiligheidPage, children: list[Member]) -> None:
        self._page = page
        self._children = {child.id: child for child in children}
        self.built: dict[UUID, ChildPanel] = {}

    def __getitem__(self, child_id: UUID) -> ChildPanel:
        panel = self.built.get(child_id)
        if panel is None:
            panel = self.built[child_id] = self._page._build_panel(self._children[child_id])
        return panel

    def __iter__(self) -> Iterator[UUID]:
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)


class VeiligheidPage(StepPage):
    """One tab per child under 18, each with its safety assessment."""

    step_id = "veiligheid"
    title = "Veiligheid per kind"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.panels = _Panels(self, [])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # only the tab bar stays put; the explanation and the overall state scroll with each
        # child's panel, so the assessment keeps its room at 200 %
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Kinderen")
        self.tabs.setDocumentMode(True)
        for arrow in self.tabs.tabBar().findChildren(QToolButton):  # many tabs: still navigable
            arrow.setProperty(KEEP_ENABLED, True)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout.addWidget(self.tabs, 1)
        self.no_children = QLabel(
            "Er wonen geen kinderen onder de 18 in dit huishouden (op de datum van het gesprek); "
            "een veiligheidsbeoordeling is niet nodig."
        )
        self.no_children.setWordWrap(True)
        self.no_children.hide()
        layout.addWidget(self.no_children)

    def set_dossier(self, dossier: Dossier) -> None:
        super().set_dossier(dossier)
        self._rebuild()

    def _rebuild(self, select: UUID | None = None) -> None:
        dossier = self.dossier
        assert dossier is not None
        current = select or self.current_child_id()
        children = dossier.children()
        self.tabs.blockSignals(True)
        try:
            while self.tabs.count():
                widget = self.tabs.widget(0)
                self.tabs.removeTab(0)
                widget.deleteLater()
            self.panels = _Panels(self, children)
            for child in children:
                index = self.tabs.addTab(_ChildTab(child), tab_title(dossier, child))
                self.tabs.setTabToolTip(index, f"Veiligheid van {child.naam}")
        finally:
            self.tabs.blockSignals(False)
        ids = list(self.panels)
        if current in ids:
            self.tabs.setCurrentIndex(ids.index(current))
        self._tab_shown(self.tabs.currentIndex())
        self.tabs.setVisible(bool(ids))
        self.no_children.setVisible(not ids)

    def _tab_shown(self, index: int) -> None:
        """Each child's panel is built when its tab is first shown (or asked for), so the
        current tab is always a :class:`ChildPanel`."""
        tab = self.tabs.widget(index)
        if isinstance(tab, _ChildTab):
            self.panels[tab.child.id]  # builds it

    def _build_panel(self, child: Member) -> ChildPanel:
        """The child's panel, put in its tab in place of the placeholder."""
        panel = ChildPanel(self, child)
        panel.summary.setText(self.summary_text())
        if self.read_only:
            apply_read_only(panel, True)
        index = list(self.panels).index(child.id)
        placeholder = self.tabs.widget(index)
        assert isinstance(placeholder, _ChildTab) and placeholder.child.id == child.id
        current = self.tabs.currentIndex()
        text, tip = self.tabs.tabText(index), self.tabs.tabToolTip(index)
        self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, panel, text)
            self.tabs.setTabToolTip(index, tip)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        placeholder.deleteLater()
        return panel

    def current_child_id(self) -> UUID | None:
        tab = self.tabs.currentWidget()
        return tab.child.id if isinstance(tab, (ChildPanel, _ChildTab)) else None

    def summary_text(self) -> str:
        """How many children's assessments are concluded, and whose are still open."""
        dossier = self.dossier
        if dossier is None or not dossier.children():
            return ""
        children = dossier.children()
        done = [c for c in children if (a := dossier.latest_assessment(c.id)) is not None and a.afgerond]
        open_names = [c.voornaam for c in children if c not in done]
        text = f"{len(done)} van {len(children)} kinderen afgerond."
        if open_names:
            text += " Nog open: " + ", ".join(open_names) + "."
        return text

    def _update_summary(self) -> None:
        text = self.summary_text()
        for panel in self.panels.built.values():
            panel.summary.setText(text)

    def child_changed(self, child: Member) -> None:
        """A panel accepted an edit: refresh the tab title and tell the workspace."""
        assert self.dossier is not None
        ids = list(self.panels)
        if child.id in ids:
            self.tabs.setTabText(ids.index(child.id), tab_title(self.dossier, child))
        self._update_summary()
        self.changed.emit()

    def new_assessment(self, child: Member) -> None:
        """A re-assessment: a new SafetyAssessment under the current instrument (T10)."""
        assert self.dossier is not None
        definitions = self.context.definitions
        assessment = SafetyAssessment(
            child_id=child.id, instrument=definitions.instrument().ref, datum=self.context.today, gesprek_id=self.dossier.gesprek.id
        )
        self.dossier.veiligheid.append(assessment)
        self._rebuild(select=child.id)
        self.changed.emit()
        self.structure_changed.emit()
        self.panels[child.id].focus_field("antwoorden")

    def focus_location(self, location: object) -> None:
        if self.dossier is None or not self.panels:
            return
        member_id = getattr(location, "member_id", None)
        field = getattr(location, "field", None)
        ids = list(self.panels)
        if member_id not in ids:
            open_ids = [i for i in ids if not self.tabs.tabText(ids.index(i)).endswith("afgerond")]
            member_id = open_ids[0] if open_ids else ids[0]
            field = field if field not in (None, "veiligheid") else None
        self.tabs.setCurrentIndex(ids.index(member_id))
        self.panels[member_id].focus_field(field, getattr(location, "item", None))
