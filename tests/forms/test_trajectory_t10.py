"""T10: goals evaluated with the family, safety assessed again and compared, Meldcode
step 5 while a track is open, the next evaluation planned within the interval."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from kt_families import family_of_five
from kt_trajectory import (
    NOW,
    TODAY,
    at_the_table,
    blocking_codes,
    child,
    complete_evaluatie,
    gaps_of,
)

import forms
from forms.definitions import SHIPPED_FOLDER, load_definitions
from forms.models import Goal, MeldcodeRecord, VeiligThuisMelding
from forms.rules import meldcode_track_open


def test_a_complete_evaluatie_finalises():
    d = complete_evaluatie()
    assert blocking_codes(d) == []
    final = forms.finalise(d, now=NOW)
    assert forms.verify(final) and final.gesprek.soort is forms.GesprekSoort.EVALUATIE


def test_every_goal_is_evaluated():
    d = complete_evaluatie()
    goal = d.plan.doelen[1]
    d.gesprek.doel_evaluaties = [e for e in d.gesprek.doel_evaluaties if e.goal_id != goal.id]
    [gap] = gaps_of(d, "evaluatie_doel_open")
    assert gap.blokkerend and gap.location == forms.Location("evaluatie", field="uitkomst", ref=goal.id)
    assert f"Doel {goal.prioriteit}" in gap.message and "geëvalueerd" in gap.message
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d, now=NOW)
    # an evaluation without an uitkomst is no evaluation
    d2 = complete_evaluatie()
    d2.gesprek.doel_evaluaties[0].uitkomst = None
    assert [g.location.ref for g in gaps_of(d2, "evaluatie_doel_open")] == [d2.gesprek.doel_evaluaties[0].goal_id]


def test_the_family_has_its_say_on_every_goal():
    d = complete_evaluatie()
    d.gesprek.doel_evaluaties[2].familie = ""
    [gap] = gaps_of(d, "evaluatie_familie_ontbreekt")
    assert gap.blokkerend and gap.location.ref == d.gesprek.doel_evaluaties[2].goal_id
    assert gap.location.field == "familie"


def test_a_goal_added_at_this_evaluatie_is_evaluated_next_time():
    d = complete_evaluatie()
    d.plan.doelen = [*d.plan.doelen, Goal(prioriteit=9, omschrijving="Nieuw doel", resultaat="r", eigenaar="Sanne",
                                          streefdatum=TODAY + dt.timedelta(weeks=8), domeinen=["wonen"])]
    d.gesprek.plan_reden = "Een nieuw doel over wonen."
    assert gaps_of(d, "evaluatie_doel_open") == []
    forms.finalise(d, now=NOW)


def test_every_child_is_assessed_again_at_this_gesprek():
    d = complete_evaluatie()
    lieke = child(d, "Liëke")
    d.veiligheid = [a for a in d.veiligheid if not (a.child_id == lieke.id and a.gesprek_id == d.gesprek.id)]
    # her assessment of the first evaluatie is concluded, but it is not this gesprek's
    assert d.latest_assessment(lieke.id).afgerond
    [gap] = gaps_of(d, "veiligheid_herbeoordeling_ontbreekt")
    assert gap.blokkerend and gap.location.member_id == lieke.id and "Liëke" in gap.message
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d, now=NOW)


def test_the_new_assessment_is_concluded():
    d = complete_evaluatie()
    d.veiligheid[-1].afgerond = False
    assert "veiligheid_niet_afgerond" in blocking_codes(d)


def _open_track(d: forms.Dossier) -> None:
    d.meldcode = MeldcodeRecord(
        definitie=forms.DefinitionRef(id="meldcode-afwegingskader", version=1),
        antwoorden={"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": True},
    )


def test_meldcode_step_5_is_answered_while_a_track_is_open():
    d = complete_evaluatie()
    assert not meldcode_track_open(forms.default_definitions(), d.meldcode)
    _open_track(d)
    assert meldcode_track_open(forms.default_definitions(), d.meldcode)
    [gap] = gaps_of(d, "meldcode_stap5_open")
    assert gap.blokkerend and gap.location == forms.Location("meldcode", field="meldcode_stap5")
    d.gesprek.meldcode_stap5 = False  # help does not lead to results in time: report again
    [gap] = gaps_of(d, "meldcode_nieuwe_melding_ontbreekt")
    assert gap.blokkerend and "Veilig Thuis" in gap.message
    d.gesprek.nieuwe_melding = VeiligThuisMelding(datum=TODAY, referentie="VT-0001")
    assert blocking_codes(d) == []
    d.gesprek.meldcode_stap5, d.gesprek.nieuwe_melding = True, None
    assert blocking_codes(d) == []
    forms.finalise(d, now=NOW)


@pytest.mark.parametrize(
    "answers",
    [
        {"vermoeden": False},  # no suspicion: the afweging stopped
        {"vermoeden": True, "acuut_structureel": True},  # reported to Veilig Thuis at step 2
        {"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": False},  # reported at step 3
        {"vermoeden": True, "acuut_structureel": False},  # not answered as far as the help path
    ],
)
def test_no_open_track_no_step_5(answers):
    d = complete_evaluatie()
    d.meldcode = MeldcodeRecord(definitie=forms.DefinitionRef(id="meldcode-afwegingskader", version=1), antwoorden=answers)
    assert not meldcode_track_open(forms.default_definitions(), d.meldcode)
    assert gaps_of(d, "meldcode_stap5_open") == []


def test_the_next_evaluation_is_planned_within_the_interval():
    d = complete_evaluatie()
    d.gesprek.volgende_evaluatie = None
    [gap] = gaps_of(d, "evaluatie_datum_ontbreekt")
    assert gap.blokkerend and gap.location == forms.Location("plan", field="volgende_evaluatie")
    d.gesprek.volgende_evaluatie = TODAY
    assert "evaluatie_datum_niet_na_gesprek" in blocking_codes(d)
    d.gesprek.volgende_evaluatie = TODAY + dt.timedelta(days=92)
    [gap] = gaps_of(d, "evaluatie_datum_te_laat")
    assert gap.blokkerend and "91 dagen" in gap.message and f"{TODAY + dt.timedelta(days=91):%d-%m-%Y}" in gap.message
    d.gesprek.volgende_evaluatie = TODAY + dt.timedelta(days=91)
    assert blocking_codes(d) == []


def test_the_municipality_sets_the_interval(tmp_path):
    raw = json.loads((SHIPPED_FOLDER / "trajectory.v1.json").read_text(encoding="utf-8"))
    raw.update(id="traject-streng", evaluatie_interval_max_dagen=42)
    (tmp_path / "traject.json").write_text(json.dumps(raw), encoding="utf-8")
    defs = load_definitions(tmp_path)
    d = complete_evaluatie()
    d.gesprek.volgende_evaluatie = TODAY + dt.timedelta(days=50)
    assert [g.code for g in forms.gaps(d, defs, today=TODAY) if g.blokkerend] == ["evaluatie_datum_te_laat"]
    assert "evaluatie_datum_te_laat" not in blocking_codes(d)  # the shipped 91 days


def test_an_intake_plans_the_first_evaluation():
    d = family_of_five()
    assert forms.is_complete(d, today=d.gesprek.datum)
    d.gesprek.volgende_evaluatie = None
    assert [g.code for g in forms.gaps(d, today=d.gesprek.datum) if g.blokkerend] == ["evaluatie_datum_ontbreekt"]
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d, now=dt.datetime.combine(d.gesprek.datum, dt.time(12), tzinfo=dt.UTC))


def test_an_evaluatie_is_not_dated_before_the_previous_gesprek():
    d = complete_evaluatie()
    d.gesprek.datum = d.vorige_versies[-1].datum - dt.timedelta(days=1)
    assert "gesprek_datum_voor_vorige" in blocking_codes(d)


def test_every_member_is_spoken_with_at_every_gesprek_but_domains_are_not_gone_through_again():
    d = complete_evaluatie()
    d.leefgebieden = []  # explored at the intake; an evaluatie looks at the goals
    d.hulpvraag.tekst = ""
    assert blocking_codes(d) == []
    at_the_table(d)
    d.gesprek.contacten = d.gesprek.contacten[1:]  # T1: the whole family, also now
    assert blocking_codes(d) == ["contact_status_ontbreekt"]


def test_an_evaluation_of_a_goal_that_was_never_in_the_plan_warns():
    d = complete_evaluatie()
    stray = forms.DoelEvaluatie(goal_id=forms.Goal(prioriteit=1, omschrijving="x").id, uitkomst="behaald", familie="?")
    d.gesprek.doel_evaluaties = [*d.gesprek.doel_evaluaties, stray]
    [gap] = gaps_of(d, "evaluatie_doel_onbekend")
    assert not gap.blokkerend and gap.location.ref == stray.goal_id
    assert blocking_codes(d) == []
