"""On the Meldcode step at an evaluatie or afsluiting: afweging 5 of this gesprek (T10, T15).

While a Meldcode track is open (``forms.rules.meldcode_track_open``) every evaluatie
answers afweging 5 — "leidt de hulp tijdig tot de noodzakelijke resultaten?" — in
``gesprek.meldcode_stap5`` with a toelichting; "nee" asks for a new melding at Veilig
Thuis (``gesprek.nieuwe_melding``: datum and referentie, made by the first edit). The
rules put these gaps in the "meldcode" step, so the Meldcode page attaches this part at
the top (``Stap5(page).attach(…)``, one call in the page); at an intake it stays empty.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from desktop.widgets import (
    ERROR_COLOR,
    RadioChoice,
    bound_row,
    form_row,
    label,
    labelled,
    line_edit,
    make_form,
    short_date_edit,
)
from forms import Dossier, GesprekSoort
from forms.paths import Path

from .hulpvraag import text_edit
from .trajectory_widgets import FollowsDocument, bind_nested, hint, meldcode_open

__all__ = ["Stap5", "STAP5_VRAAG"]

# The question when the Meldcode definition has no 'later' question (the shipped one has).
STAP5_VRAAG = "Leidt de hulp tijdig tot de noodzakelijke resultaten?"
_MELDING: Path = ("gesprek", "nieuwe_melding")


class Stap5(FollowsDocument):
    """Afweging 5 at this gesprek, and the new melding when the answer is "nee"."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.context = page.context
        box = self.box = QGroupBox("Afweging 5 bij dit gesprek")
        box.setAccessibleName("Meldcode, afweging 5 bij dit gesprek")
        self.column.addWidget(box)
        column = QVBoxLayout(box)
        column.addWidget(
            hint(
                "Er loopt een afweging volgens de Meldcode huiselijk geweld en kindermishandeling. "
                "Beantwoord bij elke evaluatie afweging 5; de eerdere afwegingen staan hieronder."
            )
        )
        self.question = label(f"&{STAP5_VRAAG}", bold=True)
        self.answer = RadioChoice([(True, "Ja"), (False, "Nee")], STAP5_VRAAG)
        self.answer_error = labelled(column, self.question, self.answer)
        self.outcome = label(name="Uitkomst van afweging 5")
        column.addWidget(self.outcome)
        form = make_form()
        column.addLayout(form)
        self.toelichting = text_edit("Toelichting op afweging 5", lines=2, grow=False)
        binder, on_edit = page.binder, page.changed.emit
        binder.bind(self.answer, ("gesprek", "meldcode_stap5"), label="Meldcode afweging 5", error=self.answer_error, on_edit=on_edit)
        bound_row(binder, form, "T&oelichting bij afweging 5:", self.toelichting,
                  ("gesprek", "meldcode_stap5_toelichting"),
                  label="toelichting afweging 5", on_edit=on_edit)

        melding = self.melding_box = QGroupBox("Nieuwe melding bij Veilig Thuis (verplicht)")
        melding.setAccessibleName("Nieuwe melding bij Veilig Thuis")
        melding_form = make_form(melding)
        melding_form.addRow(hint("De hulp leidt niet tijdig tot de noodzakelijke resultaten: meld opnieuw bij Veilig Thuis."))
        self.datum = short_date_edit(self.context.today)
        self.datum_error = form_row(melding_form, "Datum nieuwe &melding:", self.datum, accessible_name="Datum van de nieuwe melding")
        self.referentie = line_edit("Het kenmerk dat Veilig Thuis bij de melding gaf")
        self.referentie_error = form_row(
            melding_form, "&Kenmerk van Veilig Thuis:", self.referentie, accessible_name="Referentie van de nieuwe melding (verplicht)"
        )
        column.addWidget(melding)

        def new_melding() -> dict[str, object]:
            return {"datum": self.datum.date().toPython(), "referentie": self.referentie.text()}  # type: ignore[attr-defined]

        bind_nested(
            binder, self.referentie, (*_MELDING, "referentie"), {_MELDING: new_melding},
            label="referentie nieuwe melding", error=self.referentie_error, on_edit=on_edit,
        )  # fmt: skip
        bind_nested(
            binder, self.datum, (*_MELDING, "datum"), {_MELDING: new_melding},
            label="datum nieuwe melding", error=self.datum_error, on_edit=on_edit, live_errors=True,
            overrides={"string_too_short": "Vul eerst de referentie in die Veilig Thuis gaf."},
        )  # fmt: skip

    def refresh(self, dossier: Dossier) -> None:
        gesprek = dossier.gesprek
        later = gesprek.soort is not GesprekSoort.INTAKE
        self.box.setVisible(later and (meldcode_open(dossier, self.context.definitions) or gesprek.meldcode_stap5 is not None))
        self.question.setText(f"&{self._question(dossier)}")
        answer = gesprek.meldcode_stap5
        self.outcome.setText(
            {
                None: "Ja: de hulp gaat door en u blijft de veiligheid volgen. Nee: meld opnieuw bij Veilig Thuis.",
                True: "➜ De hulp gaat door; u blijft de veiligheid volgen.",
                False: "➜ Meld opnieuw bij Veilig Thuis en leg de melding hieronder vast.",
            }[answer]
        )
        self.outcome.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;" if answer is False else "")
        self.melding_box.setVisible(answer is False or gesprek.nieuwe_melding is not None)

    def _question(self, dossier: Dossier) -> str:
        try:
            definition = self.context.definitions.meldcode(dossier.meldcode.definitie if dossier.meldcode else None)
        except Exception:  # noqa: BLE001 - an unknown version: the standard question
            return STAP5_VRAAG
        later = [v for v in definition.stappen if v.later]
        return str(later[-1].vraag) if later else STAP5_VRAAG

    def reveal(self, path: Path) -> None:
        """A gap on the melding must reach its fields even before "nee" shows them."""
        if path[:2] == _MELDING:
            self.box.setVisible(True)
            self.melding_box.setVisible(True)
        elif path[:2] in (("gesprek", "meldcode_stap5"), ("gesprek", "meldcode_stap5_toelichting")):
            self.box.setVisible(True)
