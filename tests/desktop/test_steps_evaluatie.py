"""The Evaluatie step (issue 13, T10/T12/T15), driven through its widgets on a dossier at
its first evaluatie (the demo family's intake finalised 90 days ago)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from apphelpers import has_focus, shown
from trajectory_fixtures import at_gesprek

from desktop.steps.evaluatie import EvaluatiePage
from forms import DoelUitkomst, MeldcodeRecord
from forms.rules import Location


@pytest.fixture
def evaluatie_dossier():
    return at_gesprek("evaluatie")


@pytest.fixture
def page(qtbot, context, evaluatie_dossier):
    page = EvaluatiePage(context)
    page.set_dossier(evaluatie_dossier)
    return shown(qtbot, page)


def evaluation(dossier, goal):
    found = [e for e in dossier.gesprek.doel_evaluaties if e.goal_id == goal.id]
    assert len(found) <= 1
    return found[0] if found else None


def test_every_goal_of_the_plan_has_a_row_in_priority_order(page, evaluatie_dossier):
    goals = sorted(evaluatie_dossier.plan.doelen, key=lambda g: g.prioriteit)
    assert [row.goal.id for row in page.rows] == [g.id for g in goals]
    assert not page.no_goals.isVisible()


def test_a_goal_is_evaluated_through_its_widgets_into_one_evaluation(qtbot, page, evaluatie_dossier):
    row = page.rows[0]
    goal = row.goal
    assert evaluation(evaluatie_dossier, goal) is None  # nothing until the first edit
    with qtbot.waitSignal(page.changed):
        row.uitkomst.buttons[DoelUitkomst.DEELS].click()
    assert evaluation(evaluatie_dossier, goal).uitkomst is DoelUitkomst.DEELS
    row.familie.setFocus()
    qtbot.keyClicks(row.familie, "Het gaat beter")
    row.coach.setFocus()
    qtbot.keyClicks(row.coach, "Drie dagen verzuim")
    found = evaluation(evaluatie_dossier, goal)
    assert (found.uitkomst, found.familie, found.coach) == (DoelUitkomst.DEELS, "Het gaat beter", "Drie dagen verzuim")
    # the text typed first creates the evaluation too (another goal)
    other = page.rows[1]
    other.coach.setFocus()
    qtbot.keyClicks(other.coach, "Ziet er goed uit")
    assert evaluation(evaluatie_dossier, other.goal).coach == "Ziet er goed uit"
    assert evaluation(evaluatie_dossier, other.goal).uitkomst is None


def test_undo_restores_the_model_and_the_widget(qtbot, page, evaluatie_dossier):
    row = page.rows[0]
    row.uitkomst.buttons[DoelUitkomst.BEHAALD].click()
    row.uitkomst.buttons[DoelUitkomst.NIET_BEHAALD].click()
    page.document.undo()
    assert evaluation(evaluatie_dossier, row.goal).uitkomst is DoelUitkomst.BEHAALD
    assert row.uitkomst.value() is DoelUitkomst.BEHAALD
    page.document.undo()
    assert evaluation(evaluatie_dossier, row.goal) is None
    assert row.uitkomst.value() is None
    page.document.redo()
    page.document.redo()
    assert evaluation(evaluatie_dossier, row.goal).uitkomst is DoelUitkomst.NIET_BEHAALD
    assert row.uitkomst.value() is DoelUitkomst.NIET_BEHAALD


def test_ga_naar_a_goal_evaluation_focuses_its_uitkomst_and_its_text(qtbot, page, evaluatie_dossier):
    row = page.rows[2]
    page.focus_location(Location(section="evaluatie", ref=row.goal.id, field="uitkomst"))
    assert has_focus(qtbot, row.uitkomst.focus_button())
    row.uitkomst.buttons[DoelUitkomst.BEHAALD].click()
    page.focus_location(Location(section="evaluatie", ref=row.goal.id, field="coach"))
    assert has_focus(qtbot, row.coach)


def test_every_gap_on_this_step_is_reachable_with_ga_naar(qtbot, page, evaluatie_dossier, context):
    import forms

    found = [g for g in forms.gaps(evaluatie_dossier, context.definitions) if g.location.section == "evaluatie"]
    for gap in found:
        page.focus_location(gap.location)
        focused = page.window().focusWidget()
        assert focused is not None and page.isAncestorOf(focused), gap


def test_at_an_afsluiting_the_intro_says_so(qtbot, context):
    page = EvaluatiePage(context)
    page.set_dossier(at_gesprek("afsluiting"))
    shown(qtbot, page)
    assert page.rows and "afsluiten" in page.intro.text().lower()


def test_the_other_parts_of_an_evaluatie_are_one_button_away(qtbot, page, context):
    assert not page.elsewhere["meldcode"][1].isVisible()  # no Meldcode track here
    with qtbot.waitSignal(page.show_step_requested) as asked:
        page.elsewhere["veiligheid"][1].click()
    assert asked.args == ["veiligheid"]
    dossier = at_gesprek("evaluatie")
    track = {"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": True}
    dossier.meldcode = MeldcodeRecord(definitie=context.definitions.meldcode().ref, antwoorden=track)
    page.set_dossier(dossier)
    assert page.elsewhere["meldcode"][1].isVisible()


def test_a_finalised_evaluatie_is_read_only(qtbot, context, evaluatie_dossier):
    page = EvaluatiePage(context)
    page.set_dossier(evaluatie_dossier)
    page.set_read_only(True)
    shown(qtbot, page)
    assert not page.rows[0].uitkomst.buttons[DoelUitkomst.BEHAALD].isEnabled()
    assert page.rows[0].familie.isReadOnly()
    assert page.elsewhere["plan"][1].isEnabled()  # navigation stays usable
