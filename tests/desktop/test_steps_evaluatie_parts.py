"""The parts of an evaluatie on the steps the rules name (issue 13): the next evaluation
and the reason for the plan on the plan step (T10, T12), Meldcode afweging 5 on the
Meldcode step (T10, T15) — driven through their widgets, reached with "Ga naar"."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from apphelpers import has_focus, shown
from trajectory_fixtures import at_gesprek

import forms
from desktop.steps.meldcode import MeldcodePage
from desktop.steps.plan import PlanPage
from desktop.steps.trajectory_widgets import trajectory_options
from forms import MeldcodeRecord
from forms.rules import Location

TRACK = {"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": True}


@pytest.fixture
def evaluatie_dossier():
    return at_gesprek("evaluatie")


@pytest.fixture
def plan_page(qtbot, context, evaluatie_dossier):
    page = PlanPage(context)
    page.set_dossier(evaluatie_dossier)
    return shown(qtbot, page)


def with_track(context, soort="evaluatie"):
    dossier = at_gesprek(soort)
    dossier.meldcode = MeldcodeRecord(definitie=context.definitions.meldcode().ref, antwoorden=dict(TRACK))
    return dossier


def meldcode_page(qtbot, context, dossier):
    page = MeldcodePage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


# --- the plan step: next evaluation, reason ------------------------------------------------


def test_the_next_evaluation_shows_the_municipalitys_maximum_and_the_latest_date(qtbot, plan_page, evaluatie_dossier, context):
    part = plan_page.followup
    days = trajectory_options(context.definitions).evaluatie_interval_max_dagen
    latest = evaluatie_dossier.gesprek.datum + dt.timedelta(days=days)
    assert part.next_box.isVisible() and part.plan_box.isVisible()
    assert f"{days} dagen" in part.interval_hint.text() and latest.strftime("%d-%m-%Y") in part.interval_hint.text()
    part.latest_button.click()
    assert evaluatie_dossier.gesprek.volgende_evaluatie == latest
    assert part.volgende.value() == latest and not part.interval_warning.isVisible()
    part.volgende.edit.setDate(part.volgende.edit.date().addDays(10))  # past the maximum: said so
    assert evaluatie_dossier.gesprek.volgende_evaluatie == latest + dt.timedelta(days=10)
    assert part.interval_warning.isVisible() and "kies een eerdere datum" in part.interval_warning.text()
    plan_page.document.undo()
    assert evaluatie_dossier.gesprek.volgende_evaluatie == latest
    assert not part.interval_warning.isVisible()  # the part follows an undo too


def test_the_reason_for_the_plan_is_typed_and_the_status_says_whether_it_changed(qtbot, plan_page, evaluatie_dossier):
    part = plan_page.followup
    assert "niet gewijzigd sinds versie 1" in part.plan_status.text()
    part.plan_reden.setFocus()
    qtbot.keyClicks(part.plan_reden, "Het plan blijft: de doelen lopen goed")
    assert evaluatie_dossier.gesprek.plan_reden == "Het plan blijft: de doelen lopen goed"
    plan_page.document.set(("plan", "perspectief"), "Een nieuw perspectief", label="perspectief")
    assert "gewijzigd sinds versie 1" in part.plan_status.text() and "versie 2" in part.plan_status.text()


def test_at_an_intake_the_plan_pages_own_first_evaluation_shows_and_no_reason(qtbot, context):
    page = PlanPage(context)
    dossier = at_gesprek("intake")
    dossier.gesprek.volgende_evaluatie = None
    page.set_dossier(dossier)
    shown(qtbot, page)
    assert not page.followup.next_box.isVisible() and not page.followup.plan_box.isVisible()
    [gap] = [g for g in forms.gaps(dossier, context.definitions) if g.code == "evaluatie_datum_ontbreekt"]
    page.focus_location(gap.location)
    focused = page.window().focusWidget()
    assert focused is not None and page.isAncestorOf(focused) and page.followup.isAncestorOf(focused) is False


def test_the_plan_steps_gaps_reach_the_next_evaluation_and_the_reason(qtbot, plan_page, evaluatie_dossier, context):
    evaluatie_dossier.plan.perspectief = "Anders dan bij de intake"  # changed: a reason is asked
    plan_page.set_dossier(evaluatie_dossier)
    found = {g.code: g for g in forms.gaps(evaluatie_dossier, context.definitions) if g.location.section == "plan"}
    assert {"evaluatie_datum_ontbreekt", "plan_reden_ontbreekt"} <= set(found)
    plan_page.focus_location(found["evaluatie_datum_ontbreekt"].location)
    assert has_focus(qtbot, plan_page.followup.volgende.check)
    plan_page.focus_location(found["plan_reden_ontbreekt"].location)
    assert has_focus(qtbot, plan_page.followup.plan_reden)


# --- the Meldcode step: afweging 5 ------------------------------------------------------------


def test_afweging_5_shows_only_at_an_evaluatie_with_an_open_track(qtbot, context):
    intake = with_track(context, "intake")
    assert not meldcode_page(qtbot, context, intake).stap5.box.isVisible()
    no_track = at_gesprek("evaluatie")
    no_track.meldcode = MeldcodeRecord(definitie=context.definitions.meldcode().ref, antwoorden={"vermoeden": False})
    assert not meldcode_page(qtbot, context, no_track).stap5.box.isVisible()
    page = meldcode_page(qtbot, context, with_track(context))
    assert page.stap5.box.isVisible()
    later = next(v for v in context.definitions.meldcode().stappen if v.later)
    assert later.vraag in page.stap5.question.text()


def test_nee_asks_for_the_new_melding_which_is_typed_in(qtbot, context):
    dossier = with_track(context)
    page = meldcode_page(qtbot, context, dossier)
    part = page.stap5
    assert not part.melding_box.isVisible()
    part.answer.buttons[False].click()
    assert dossier.gesprek.meldcode_stap5 is False and part.melding_box.isVisible()
    part.referentie.setFocus()
    qtbot.keyClicks(part.referentie, "VT-2026-0042")
    assert dossier.gesprek.nieuwe_melding.referentie == "VT-2026-0042"
    assert dossier.gesprek.nieuwe_melding.datum == context.today
    part.datum.setDate(part.datum.date().addDays(-1))
    assert dossier.gesprek.nieuwe_melding.datum == context.today - dt.timedelta(days=1)
    part.toelichting.setFocus()
    qtbot.keyClicks(part.toelichting, "Geen verbetering")
    assert dossier.gesprek.meldcode_stap5_toelichting == "Geen verbetering"
    assert dossier.meldcode.antwoorden == TRACK  # the earlier afwegingen stay as they were


def test_a_melding_date_without_its_reference_says_so_and_saves_nothing(qtbot, context):
    dossier = with_track(context)
    dossier.gesprek.meldcode_stap5 = False
    part = meldcode_page(qtbot, context, dossier).stap5
    part.datum.setFocus()
    part.datum.setDate(part.datum.date().addDays(-2))
    assert dossier.gesprek.nieuwe_melding is None
    assert part.datum_error.isVisible() and "referentie" in part.datum_error.text()


def test_the_meldcode_gaps_of_an_evaluatie_reach_afweging_5_and_the_melding(qtbot, context):
    dossier = with_track(context)
    page = meldcode_page(qtbot, context, dossier)
    [gap] = [g for g in forms.gaps(dossier, context.definitions) if g.code == "meldcode_stap5_open"]
    page.focus_location(gap.location)
    assert has_focus(qtbot, page.stap5.answer.focus_button())
    page.stap5.answer.buttons[False].click()
    [gap] = [g for g in forms.gaps(dossier, context.definitions) if g.code == "meldcode_nieuwe_melding_ontbreekt"]
    page.focus_location(gap.location)
    assert has_focus(qtbot, page.stap5.referentie)
    page.focus_location(Location(section="meldcode", field="meldcode_stap5_toelichting"))
    assert has_focus(qtbot, page.stap5.toelichting)
