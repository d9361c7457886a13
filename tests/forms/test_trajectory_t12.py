"""T12: the plan is adjusted when needs change, and every change after signing is a new
plan version with a reason; a plan that stays while a goal failed says why."""

from __future__ import annotations

import datetime as dt

from kt_families import family_of_five
from kt_trajectory import NOW, blocking_codes, complete_evaluatie, evaluate_goals, gaps_of, reassess

import forms
from forms.models import Action, DoelUitkomst, RiskLater, SafetyNow


def test_a_changed_plan_says_why_and_becomes_a_new_plan_version():
    d = complete_evaluatie()
    assert not forms.plan_changed(d)
    d.plan.doelen[0].acties.append(Action(omschrijving="Mentor belt op maandag", wie="school", wanneer=d.gesprek.datum))
    [gap] = gaps_of(d, "plan_reden_ontbreekt")
    assert gap.blokkerend and gap.location == forms.Location("plan", field="plan_reden")
    d.gesprek.plan_reden = "De maandag is het knelpunt: de mentor belt dan."
    assert blocking_codes(d) == []
    before = [pv.model_copy(deep=True) for pv in d.plan_versies]
    final = forms.finalise(d, now=NOW)
    assert final.plan_versies[:-1] == before  # earlier versions unchanged
    last = final.plan_versies[-1]
    assert (last.versie, last.gesprek_id, last.reden) == (3, d.gesprek.id, d.gesprek.plan_reden)
    assert last.plan == d.plan


def test_an_unchanged_plan_after_a_failed_goal_says_why_it_stays():
    d = complete_evaluatie()
    evaluate_goals(d, DoelUitkomst.NIET_BEHAALD)
    [gap] = gaps_of(d, "plan_ongewijzigd_reden_ontbreekt")
    assert gap.blokkerend and "niet behaald" in gap.message
    d.gesprek.plan_reden = "Het gezin wil het plan nog een periode volhouden."
    assert blocking_codes(d) == []
    final = forms.finalise(d, now=NOW)
    assert len(final.plan_versies) == len(d.plan_versies)  # unchanged: no new version


def test_an_unchanged_plan_after_a_worse_judgment_says_why_it_stays():
    d = complete_evaluatie()
    d.veiligheid = [a for a in d.veiligheid if a.gesprek_id != d.gesprek.id]
    reassess(d, Daan=(SafetyNow.VEILIG, RiskLater.VERHOOGD), Noor=(SafetyNow.VEILIG, RiskLater.VERHOOGD),
             **{"Liëke": (SafetyNow.VEILIG, RiskLater.VERHOOGD)})
    assert gaps_of(d, "plan_ongewijzigd_reden_ontbreekt") == []
    d.veiligheid = [a for a in d.veiligheid if a.gesprek_id != d.gesprek.id]
    reassess(d, Daan=(SafetyNow.VEILIG, RiskLater.HOOG))
    [gap] = gaps_of(d, "plan_ongewijzigd_reden_ontbreekt")
    assert "Daan" in gap.message


def test_the_intake_s_first_plan_needs_no_reason():
    d = family_of_five()
    assert d.plan_versies == [] and d.gesprek.plan_reden == ""
    final = forms.finalise(d, now=dt.datetime(2025, 3, 12, 12, tzinfo=dt.UTC))
    assert [pv.versie for pv in final.plan_versies] == [1] and final.plan_versies[0].reden == ""
