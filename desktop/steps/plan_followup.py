"""On the plan step: the next evaluation, and why the plan changed (T10, T12).

The rules put both in the "plan" step (``forms.rules``: ``evaluatie_datum_*`` at an intake
and an evaluatie, ``plan_reden_*`` at an evaluatie and an afsluiting), so the plan page
shows them below the goals (``PlanFollowUp(page).attach(layout)``, one call in the page):

- **Volgende evaluatie** (evaluatie; the intake's first one is the plan page's own box): the date, the longest interval the
  municipality allows (``Definitions.trajectory.evaluatie_interval_max_dagen``) with the
  date it gives, and "Uiterste datum kiezen";
- **Het plan bij dit gesprek** (evaluatie, afsluiting): whether the plan differs from the
  last signed plan version, and ``gesprek.plan_reden``: why it changed, or why it stays.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from desktop.widgets import (
    ERROR_COLOR,
    OptionalDateEdit,
    bare,
    bound_row,
    button,
    form_row,
    format_date,
    label,
    make_form,
)
from forms import Dossier, GesprekSoort

from .hulpvraag import text_edit
from .trajectory_widgets import FollowsDocument, days_text, hint, trajectory_options

__all__ = ["PlanFollowUp"]


class PlanFollowUp(FollowsDocument):
    """The next evaluation and the reason for the plan (see the module docstring)."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.context = page.context
        self.column.addWidget(self._build_reason())
        self.column.addWidget(self._build_next())

    def _build_next(self) -> QGroupBox:
        box = self.next_box = QGroupBox("Volgende evaluatie")
        form = make_form(box)
        row = QWidget()
        line = bare(QHBoxLayout(row))
        self.volgende = OptionalDateEdit(accessible_name="Datum van de volgende evaluatie", check_text="afgesproken")
        line.addWidget(self.volgende, 1)
        self.latest_button = button("Uiterste datum kie&zen", self._choose_latest,
                                    name="De uiterste datum voor de volgende evaluatie kiezen")
        line.addWidget(self.latest_button)
        error = form_row(form, "Volgende evalua&tie:", row, buddy=self.volgende)
        self.page.binder.bind(self.volgende, ("gesprek", "volgende_evaluatie"), label="volgende evaluatie", error=error,
                              on_edit=self.page.changed.emit)
        self.interval_hint = hint(name="Hoogste termijn tussen twee evaluaties")
        form.addRow(self.interval_hint)
        self.interval_warning = label(style=f"color: {ERROR_COLOR};")
        form.addRow(self.interval_warning)
        return box

    def _build_reason(self) -> QGroupBox:
        box = self.plan_box = QGroupBox("Het plan bij dit gesprek")
        column = QVBoxLayout(box)
        self.plan_status = label(name="Is het plan gewijzigd")
        column.addWidget(self.plan_status)
        form = make_form()
        column.addLayout(form)
        self.plan_reden = text_edit("Waarom is het plan aangepast, of waarom blijft het zoals het is", lines=2, grow=False)
        bound_row(self.page.binder, form, "Waa&rom aangepast, of waarom niet?", self.plan_reden,
                  ("gesprek", "plan_reden"),
                  label="reden planwijziging", on_edit=self.page.changed.emit)
        return box

    # --- what follows from the dossier ---------------------------------------------------

    def max_days(self) -> int:
        return trajectory_options(self.context.definitions).evaluatie_interval_max_dagen

    def latest_date(self, dossier: Dossier) -> dt.date:
        """The latest next evaluation date the municipality allows, from this gesprek's date."""
        return dossier.gesprek.datum + dt.timedelta(days=self.max_days())

    def refresh(self, dossier: Dossier) -> None:
        soort = dossier.gesprek.soort
        self.next_box.setVisible(soort is GesprekSoort.EVALUATIE)
        self.plan_box.setVisible(soort is not GesprekSoort.INTAKE)
        days, latest = self.max_days(), self.latest_date(dossier)
        self.interval_hint.setText(
            f"De gemeente staat ten hoogste {days_text(days)} tussen twee evaluaties toe: "
            f"de volgende evaluatie is uiterlijk op {format_date(latest)}."
        )
        chosen = dossier.gesprek.volgende_evaluatie
        warning = ""
        if chosen is not None and chosen > latest:
            warning = f"Deze datum ligt na {format_date(latest)}: kies een eerdere datum."
        elif chosen is not None and chosen <= dossier.gesprek.datum:
            warning = "De volgende evaluatie ligt na de datum van dit gesprek."
        self.interval_warning.setText(warning)
        self.interval_warning.setVisible(bool(warning))
        versions = dossier.plan_versies
        if not versions:
            text = "Er is nog geen ondertekende planversie; het plan van dit gesprek wordt versie 1."
        elif versions[-1].plan == dossier.plan:
            last = versions[-1]
            text = f"Het plan is niet gewijzigd sinds versie {last.versie} van {format_date(last.datum)}."
        else:
            last = versions[-1]
            text = (
                f"Het plan is gewijzigd sinds versie {last.versie} van {format_date(last.datum)}; "
                f"bij het afronden wordt het versie {last.versie + 1}."
            )
        self.plan_status.setText(text)

    def _choose_latest(self) -> None:
        dossier = getattr(self.page, "dossier", None)
        if dossier is not None:
            self.page.edit(("gesprek", "volgende_evaluatie"), self.latest_date(dossier), "volgende evaluatie")
            self.refresh(dossier)
