"""Step "Meldcode": the afwegingskader of the Meldcode as a guided step (T15).

The step is shown when the definitions say the Meldcode is relevant for the dossier
(a signal of unsafety, or a judgment the definition names, or a record already
started). The questions come from the Meldcode definition (data), in the order of
their ``stap``; each shows its explanation and the outcome its answer leads to. The
next question opens when the previous one is answered; once an answer ends the
afweging (a report, or "stop") the later questions are not needed. When the answers
require a report to Veilig Thuis, the melding fields (date and reference) appear and
are marked required.

The :class:`forms.MeldcodeRecord` is created with the first accepted edit (one undo step).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import (
    ERROR_COLOR,
    ErrorLabel,
    RadioChoice,
    bare,
    clear_layout,
    form_row,
    from_qdate,
    label,
    line_edit,
    short_date_edit,
    short_text,
)
from forms import Definitions, Dossier, MeldcodeRecord, VeiligThuisMelding
from forms.definitions import MeldcodeDefinition
from forms.paths import Path

from . import meldcode_stap5
from .base import StepContext, StepPage

__all__ = ["MeldcodePage"]

_GREY = "color: #555555;"


def _hint(text: str = "") -> QLabel:
    return label(text, style=_GREY)


class _Question:
    """The widgets of one question of the afwegingskader."""

    def __init__(self, vraag: Any) -> None:
        self.vraag = vraag
        title = f"Afweging &{vraag.stap}" if vraag.stap < 10 else f"Afweging {vraag.stap}"
        if vraag.later:
            title += " (bij de evaluatie)"
        self.box = QGroupBox(title)
        self.box.setAccessibleName(f"Afweging {vraag.stap}")
        column = QVBoxLayout(self.box)
        self.question = label(vraag.vraag, bold=True)
        column.addWidget(self.question)
        if vraag.uitleg:
            column.addWidget(_hint(vraag.uitleg))
        self.choice = RadioChoice([(True, "Ja"), (False, "Nee")], vraag.vraag)
        column.addWidget(self.choice)
        self.outcome = label(name=f"Uitkomst afweging {vraag.stap}")
        self.note = label(style=_GREY + " font-style: italic;")
        self.error = ErrorLabel(self.choice)
        for widget in (self.outcome, self.note, self.error):
            column.addWidget(widget)

    def show_outcome(self, answer: bool | None) -> None:
        v = self.vraag
        if answer is None:
            self.outcome.setText(f"Ja: {v.uitkomst_ja}\nNee: {v.uitkomst_nee}")
            self.outcome.setStyleSheet(_GREY)
            return
        text = v.uitkomst_ja if answer else v.uitkomst_nee
        if v.melden_bij is not None and answer == v.melden_bij:
            if "veilig thuis" not in text.lower():
                text += " Dit antwoord betekent: melden bij Veilig Thuis."
            self.outcome.setText(f"➜ {text}")
            self.outcome.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
        elif v.stop_bij is not None and answer == v.stop_bij:
            self.outcome.setText(f"➜ {text}")
            self.outcome.setStyleSheet("font-weight: bold;")
        else:
            self.outcome.setText(f"➜ {text}")
            self.outcome.setStyleSheet("")


class MeldcodePage(StepPage):
    """The five questions of the Meldcode afwegingskader, and the melding when required."""

    step_id = "meldcode"

    @classmethod
    def applies_to(cls, dossier: Dossier, definitions: Definitions) -> bool:
        if dossier.meldcode is not None:
            return True
        return bool(definitions.meldcode().is_relevant(dossier, definitions))

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.definition: MeldcodeDefinition | None = None
        self.questions: dict[str, _Question] = {}
        self._column = QVBoxLayout(self.content)
        self._built_for: Any = None

    # --- construction -----------------------------------------------------------------

    @property
    def record(self) -> MeldcodeRecord:
        """The dossier's record, or an empty draft until the first edit."""
        assert self.dossier is not None and self.definition is not None
        return self.dossier.meldcode or MeldcodeRecord(definitie=self.definition.ref)

    def rebuild(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        definitions = self.context.definitions
        self.warning_text = ""
        if dossier.meldcode is not None:
            try:
                self.definition = definitions.meldcode(dossier.meldcode.definitie)
            except Exception:  # noqa: BLE001 - a version this laptop doesn't have
                self.definition = definitions.meldcode()
                ref = dossier.meldcode.definitie
                self.warning_text = (
                    f"Dit afwegingskader is ingevuld met '{ref.id}' versie {ref.version}, dat op "
                    "deze laptop niet beschikbaar is; de vragen hieronder zijn van de huidige versie."
                )
        else:
            self.definition = definitions.meldcode()
        if self._built_for != (self.definition.ref, self.warning_text):  # the questions are data
            self._build()
            self._built_for = (self.definition.ref, self.warning_text)
        self._update()

    def on_changed(self, paths: list[Any]) -> None:
        if any(p[:1] in ((), ("meldcode",)) for p in paths):
            self.dossier = self.document.dossier if self.document else self.dossier
            self.rebuild()

    def _start_record(self, _value: object) -> list[tuple[Path, Any]]:
        """Before the first answer: the record, under the definition shown."""
        assert self.dossier is not None and self.definition is not None
        if self.dossier.meldcode is None:
            return [(("meldcode",), MeldcodeRecord(definitie=self.definition.ref))]
        return []

    def _build(self) -> None:
        self.binder.unbind(self.binder.widgets())
        clear_layout(self._column)
        assert self.definition is not None
        self._column.addWidget(label(
            "Bij de veiligheid is een signaal of oordeel vastgelegd dat om de Meldcode huiselijk "
            "geweld en kindermishandeling vraagt. Loop de afwegingen in volgorde door; bij elk "
            "antwoord staat waar het toe leidt."
        ))
        self.stap5 = meldcode_stap5.Stap5(self).attach(self._column, self._column.count())  # evaluatie: afweging 5 now
        if self.warning_text:
            self._column.addWidget(label(self.warning_text, style=f"color: {ERROR_COLOR};"))
        self.status = label(name="Stand van de afweging", bold=True)

        self.questions = {}
        bind, emit = self.binder.bind, self.changed.emit
        for vraag in self.definition.stappen:
            q = _Question(vraag)
            bind(q.choice, ("meldcode", "antwoorden", vraag.id), label=f"afweging {vraag.stap}", error=q.error,
                 prepare=self._start_record, on_edit=emit)
            self.questions[vraag.id] = q
            self._column.addWidget(q.box)
        self._column.addWidget(self.status)

        self.melding_box = QGroupBox("Melding bij Veilig Thuis (verplicht)")
        self.melding_box.setAccessibleName("Melding bij Veilig Thuis")
        form = QFormLayout(self.melding_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.melding_uitleg = label(style=f"color: {ERROR_COLOR};")
        form.addRow(self.melding_uitleg)
        self.melding_datum = short_date_edit(self.context.today, "Datum van de melding (verplicht)")
        self.referentie = line_edit("Het kenmerk dat Veilig Thuis bij de melding gaf")
        self.datum_error = form_row(form, "&Datum melding (verplicht):", self.melding_datum)
        self.referentie_error = form_row(form, "&Referentie (verplicht):", self.referentie,
                                         accessible_name="Referentie of kenmerk van Veilig Thuis (verplicht)")
        # a melding exists with its reference: typing one records it (with the date shown),
        # clearing it removes the melding; the date alone is kept in the field
        bind(self.melding_datum, ("meldcode", "melding", "datum"), label="datum van de melding", error=self.datum_error,
             on_edit=emit)
        bind(self.referentie, ("meldcode", "melding"), label="referentie van de melding", error=self.referentie_error,
             to_model=self._melding, to_widget=lambda m: getattr(m, "referentie", ""), live_errors=True,
             on_edit=self._referentie_edited)
        self._column.addWidget(self.melding_box)

        toelichting_box = QWidget()
        toelichting_form = bare(QFormLayout(toelichting_box))
        self.toelichting = short_text(3, spare=4)
        self.toelichting.setPlaceholderText(
            "Hoe kwam u tot deze afweging? Met wie heeft u overlegd (collega, Veilig Thuis)?"
        )
        self.toelichting_error = form_row(toelichting_form, "&Toelichting:", self.toelichting,
                                          accessible_name="Toelichting op de afweging")
        bind(self.toelichting, ("meldcode", "toelichting"), label="toelichting op de afweging",
             error=self.toelichting_error, prepare=self._start_record, on_edit=emit)
        self._column.addWidget(toelichting_box)
        self._column.addStretch(1)

    # --- state ------------------------------------------------------------------------------

    def _update(self) -> None:
        record = self.record
        assert record is not None
        answered, open_question, report = self.definition.walk(record)
        stappen = self.definition.stappen
        last = answered[-1] if answered else None
        stopped = (
            last is not None
            and last.stop_bij is not None
            and record.antwoorden.get(last.id) == last.stop_bij
        )
        ended = report or stopped
        for index, vraag in enumerate(stappen):
            q = self.questions[vraag.id]
            answer = record.antwoorden.get(vraag.id)
            q.show_outcome(answer)
            on_path = index < len(answered) or (index == len(answered) and not ended)
            q.box.setEnabled(on_path)
            q.question.setStyleSheet("" if on_path else _GREY)  # also under a stylesheet
            if on_path:
                current = open_question is not None and vraag.id == open_question.id
                q.note.setText("Deze afweging is nu aan de beurt." if current else "")
            elif ended and last is not None:
                q.note.setText(f"Niet meer nodig: de afweging eindigt bij afweging {last.stap}.")
            else:
                q.note.setText(f"Beantwoord eerst afweging {stappen[len(answered)].stap}.")
            q.note.setVisible(bool(q.note.text()))
            # a question off the path shows its outcomes only if it holds an (earlier) answer
            q.outcome.setVisible(on_path or answer is not None)

        if report and last is not None:
            self.status.setText(
                f"Uitkomst: melden bij Veilig Thuis (afweging {last.stap}). Leg de melding hieronder vast."
            )
        elif stopped and last is not None:
            self.status.setText(f"Uitkomst: geen melding nodig (afweging {last.stap}).")
        elif open_question is not None:
            self.status.setText(f"Nog te beantwoorden: afweging {open_question.stap}.")
        else:
            self.status.setText("De afwegingen zijn beantwoord; geen melding nodig.")

        self.melding_box.setVisible(report or record.melding is not None)
        if report:
            self.melding_uitleg.setText(
                "Volgens uw antwoorden moet u een melding doen bij Veilig Thuis. Vul de datum van "
                "de melding in en de referentie (het kenmerk) die Veilig Thuis gaf. Beide zijn "
                "verplicht."
            )
        else:
            self.melding_uitleg.setText(
                "Volgens de huidige antwoorden is geen melding nodig; de vastgelegde melding blijft bewaard."
            )

    def report_required(self) -> bool:
        assert self.record is not None
        return bool(self.definition.report_required(self.record))

    # --- edits -------------------------------------------------------------------------------

    def _melding(self, referentie: str) -> VeiligThuisMelding | None:
        if not referentie.strip():
            return None
        return VeiligThuisMelding(datum=from_qdate(self.melding_datum.date()), referentie=referentie)

    def _referentie_edited(self) -> None:
        if not self.referentie.text().strip():
            self.referentie_error.show_messages(["Vul de referentie in die Veilig Thuis gaf."])
        self.changed.emit()
