"""Step "Evaluatie": the plan's goals evaluated with the family (T10).

At an evaluatie and at the afsluiting (where every goal is evaluated once more) each goal
of the plan gets its uitkomst (behaald / deels / niet behaald / niet meer van toepassing),
what the family says and what the wijkcoach sees (``gesprek.doel_evaluaties``, one per
goal, made by the first edit of its row).

The other parts of an evaluatie live where the rules (``forms.rules``) put their gaps: the
next evaluation and the reason the plan changed on the plan step
(:mod:`desktop.steps.plan_followup`), Meldcode afweging 5 on the Meldcode step
(:mod:`desktop.steps.meldcode_stap5`), safety then and now on the veiligheid step
(:mod:`desktop.steps.safety_compare`). This page says where, with a button to each.

Every input is bound to its dossier path in :meth:`EvaluatiePage.bind_goal`.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.widgets import (
    RadioChoice,
    bare,
    button,
    clear_layout,
    form_row,
    format_date,
    label,
    make_form,
    tab_chain,
)
from forms import DoelUitkomst, GesprekSoort, Goal
from forms.paths import Item, Path

from .base import StepContext, StepPage
from .hulpvraag import text_edit
from .trajectory_widgets import bind_nested, heading, hint, meldcode_open

__all__ = ["EvaluatiePage", "GoalRow"]

_EVALUATIES: Path = ("gesprek", "doel_evaluaties")


class GoalRow(QGroupBox):
    """One goal: what it was, and its evaluation at this gesprek."""

    def __init__(self, goal: Goal) -> None:
        super().__init__()
        self.goal = goal
        name = f"Doel {goal.prioriteit}"
        self.setAccessibleName(name)
        column = QVBoxLayout(self)
        column.addWidget(heading(f"{name}: {goal.omschrijving}"))
        details = []
        if goal.resultaat:
            details.append(f"Resultaat: {goal.resultaat}")
        if goal.streefdatum:
            details.append(f"Streefdatum: {format_date(goal.streefdatum)}")
        if goal.eigenaar:
            details.append(f"Eigenaar: {goal.eigenaar}")
        if details:
            column.addWidget(hint(" · ".join(details)))
        # No Alt letters here: there is one row per goal (Tab reaches every field).
        form = make_form()
        column.addLayout(form)
        self.uitkomst = RadioChoice([(u, u.label) for u in DoelUitkomst], f"Uitkomst van doel {goal.prioriteit}")
        self.uitkomst_error = form_row(form, "Uitkomst:", self.uitkomst)
        self.familie = text_edit(f"Wat zegt het gezin over doel {goal.prioriteit}", lines=2, grow=False)
        self.familie.setPlaceholderText("In de woorden van het gezin")
        self.familie_error = form_row(form, "Wat zegt het gezin?", self.familie)
        self.coach = text_edit(f"Wat ziet de wijkcoach bij doel {goal.prioriteit}", lines=2, grow=False)
        self.coach.setPlaceholderText("Wat u ziet: wat is er bereikt, wat niet, en waarom")
        self.coach_error = form_row(form, "Wat ziet de wijkcoach?", self.coach)

    def path(self, field: str) -> Path:
        return (*_EVALUATIES, Item(str(self.goal.id), "goal_id"), field)


class EvaluatiePage(StepPage):
    """Each goal of the plan with its evaluation at this gesprek."""

    step_id = "evaluatie"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: list[GoalRow] = []
        self.goals = QWidget()
        self.goals_layout = bare(QVBoxLayout(self.goals))
        self.no_goals = hint("Het plan heeft nog geen doelen. Leg ze vast in de stap 'Doelen, acties en regisseur'.")
        self.intro = self.intro_column(
            "Bespreek elk doel van het plan met het gezin: is het behaald, deels behaald, niet "
            "behaald of niet meer van toepassing? Schrijf op wat het gezin zegt en wat u zelf ziet.",
            self.goals,
            self.no_goals,
            self._build_elsewhere(),
        )

    def _build_elsewhere(self) -> QGroupBox:
        box = QGroupBox("Verder bij dit gesprek")
        column = QVBoxLayout(box)
        self.elsewhere: dict[str, tuple[QLabel, QPushButton]] = {}
        for step, text, button_text in (
            ("veiligheid", "Beoordeel de veiligheid van elk kind opnieuw en vergelijk met de eerste en de vorige keer.", "Naar veiligheid per &kind"),
            ("meldcode", "Er loopt een Meldcode-afweging: beantwoord afweging 5.", "Naar de &Meldcode"),
            ("plan", "Pas het plan aan waar nodig, schrijf op waarom, en plan de volgende evaluatie.", "Naar het &plan"),
        ):
            row = QWidget()
            line = bare(QHBoxLayout(row))
            said = label(text)
            # navigation: also in a finalised gesprek
            go = button(button_text, partial(self.show_step_requested.emit, step), keep_enabled=True)
            line.addWidget(said, 1)
            line.addWidget(go)
            column.addWidget(row)
            self.elsewhere[step] = (said, go)
        return box

    # --- binding ----------------------------------------------------------------------------

    def bind_goal(self, row: GoalRow) -> None:
        """The row's three fields; the goal's DoelEvaluatie is made by the first edit."""
        goal_id = str(row.goal.id)
        item: Path = (*_EVALUATIES, Item(goal_id, "goal_id"))
        defaults = {item: lambda: {"goal_id": goal_id}}
        name = f"doel {row.goal.prioriteit}"
        for widget, field, error, what in (
            (row.uitkomst, "uitkomst", row.uitkomst_error, "uitkomst"),
            (row.familie, "familie", row.familie_error, "wat het gezin zegt"),
            (row.coach, "coach", row.coach_error, "wat de wijkcoach ziet"),
        ):
            bind_nested(self.binder, widget, row.path(field), defaults, label=f"{what} bij {name}", error=error, on_edit=self.changed.emit)

    # --- the dossier -----------------------------------------------------------------------

    def rebuild(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        self.binder.unbind([w for row in self.rows for w in (row.uitkomst, row.familie, row.coach)])
        clear_layout(self.goals_layout)
        self.rows = []
        for goal in sorted(dossier.plan.doelen, key=lambda g: g.prioriteit):
            row = GoalRow(goal)
            self.goals_layout.addWidget(row)
            self.bind_goal(row)
            self.rows.append(row)
        tab_chain(*(w for row in self.rows for w in (*row.uitkomst.buttons.values(), row.familie, row.coach)))
        self.no_goals.setVisible(not self.rows)
        closing = dossier.gesprek.soort is GesprekSoort.AFSLUITING
        if closing:
            self.intro.setText(
                "Bespreek bij het afsluiten elk doel nog één keer met het gezin. Afsluiten kan pas als "
                "elk doel is geëvalueerd."
            )
        label, button = self.elsewhere["meldcode"]
        track = meldcode_open(dossier, self.context.definitions)
        label.setVisible(track)
        button.setVisible(track)
        self.elsewhere["plan"][0].setText(
            "Heeft u het plan aangepast? Schrijf bij het plan op waarom."
            if closing
            else "Pas het plan aan waar nodig, schrijf op waarom, en plan de volgende evaluatie."
        )
        self.setEnabled(True)

    def on_changed(self, paths: list[Path]) -> None:
        """Goals added, removed or renamed (on the plan step, or by an undo): the rows again."""
        if any(not p or p[:2] == ("plan", "doelen") or p == ("plan",) or p[:1] == ("meldcode",) for p in paths):
            if self.dossier is not None:
                self.set_dossier(self.dossier)

    # --- gaps ------------------------------------------------------------------------------

    def widget_for_path(self, path: Path) -> QWidget | None:
        if path[:2] == _EVALUATIES and self.rows:
            return self.rows[0].uitkomst
        return None
