"""T13: close only when every goal is evaluated and the family goes on alone or follow-up
is arranged with a named partner; every partner with consent is told; a final safety
check for every child; a resultaat; an optional waakvlam that is not in the past."""

from __future__ import annotations

import datetime as dt

import pytest
from kt_trajectory import NOW, TODAY, blocking_codes, child, complete_afsluiting, gaps_of

import forms
from forms import trajectory as tr
from forms.models import GesprekSoort


def test_a_complete_afsluiting_finalises_and_closes_the_trajectory():
    d = complete_afsluiting()
    assert blocking_codes(d) == []
    final = forms.finalise(d, now=NOW)
    assert tr.fase(final) is tr.Fase.AFGESLOTEN
    assert tr.waakvlam(final) == TODAY + dt.timedelta(days=90)
    assert tr.volgende_evaluatie(final) is None
    with pytest.raises(forms.TrajectoryClosed):
        forms.start_gesprek(final, GesprekSoort.EVALUATIE)
    line = tr.timeline(final)
    assert line[-1].kind == "afsluiting" and line[-1].titel == "Traject afgesloten"
    assert "Zelfstandig verder" in line[-1].detail


def test_the_closing_record_is_required():
    d = complete_afsluiting()
    d.gesprek.afsluiting = None
    [gap] = gaps_of(d, "afsluiting_ontbreekt")
    assert gap.blokkerend and gap.location == forms.Location("afsluiting", field="afsluiting")
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d, now=NOW)


def test_every_goal_is_evaluated_before_closing():
    d = complete_afsluiting()
    d.gesprek.doel_evaluaties = d.gesprek.doel_evaluaties[:-1]
    assert blocking_codes(d) == ["evaluatie_doel_open"]


def test_the_family_goes_on_alone_or_a_named_partner_takes_over():
    d = complete_afsluiting()
    af = d.gesprek.afsluiting
    af.zelfstandig_verder = None
    [gap] = gaps_of(d, "afsluiting_vervolg_ontbreekt")
    assert gap.blokkerend and gap.location.field == "zelfstandig_verder"
    af.zelfstandig_verder = False
    assert blocking_codes(d) == ["afsluiting_vervolg_ontbreekt"]
    af.vervolg_partner_id = d.huishouden.leden[0].id  # not a partner
    assert blocking_codes(d) == ["afsluiting_vervolg_partner_onbekend"]
    school = d.partners[0]
    af.vervolg_partner_id = school.id
    [gap] = gaps_of(d, "afsluiting_vervolg_afspraak_ontbreekt")
    assert gap.location.ref == school.id and school.organisatie in gap.message
    af.vervolg_afspraak = "De mentor volgt Daan tot de zomer en belt het wijkteam bij verzuim."
    af.resultaat = "overgedragen"
    assert blocking_codes(d) == []
    forms.finalise(d, now=NOW)


def test_every_partner_with_consent_is_told_that_help_ends():
    d = complete_afsluiting()
    af = d.gesprek.afsluiting
    schuldhulp = d.partners[1]
    af.geinformeerd = [i for i in af.geinformeerd if i.partner_id != schuldhulp.id]
    [gap] = gaps_of(d, "afsluiting_partner_niet_geinformeerd")
    assert gap.blokkerend and gap.location.ref == schuldhulp.id and schuldhulp.organisatie in gap.message
    # a partner the family did not allow contact with is not told
    schuldhulp.toestemming = schuldhulp.toestemming.model_copy(update={"contact_toegestaan": False})
    assert blocking_codes(d) == []


def test_a_final_safety_check_for_every_child():
    d = complete_afsluiting()
    daan = child(d, "Daan")
    d.veiligheid = [a for a in d.veiligheid if not (a.child_id == daan.id and a.gesprek_id == d.gesprek.id)]
    [gap] = gaps_of(d, "afsluiting_veiligheid_ontbreekt")
    assert gap.blokkerend and gap.location.member_id == daan.id and "Daan" in gap.message


def test_a_resultaat_from_the_definitions():
    d = complete_afsluiting()
    d.gesprek.afsluiting.resultaat = None
    assert blocking_codes(d) == ["afsluiting_resultaat_ontbreekt"]
    d.gesprek.afsluiting.resultaat = "verhuisd"
    [gap] = gaps_of(d, "afsluiting_resultaat_onbekend")
    assert gap.blokkerend and "verhuisd" in gap.message


def test_the_waakvlam_is_optional_but_not_in_the_past():
    d = complete_afsluiting()
    d.gesprek.afsluiting.waakvlam = None
    assert blocking_codes(d) == []
    d.gesprek.afsluiting.waakvlam = TODAY
    assert blocking_codes(d) == ["afsluiting_waakvlam_verleden"]
    d.gesprek.afsluiting.waakvlam = TODAY - dt.timedelta(days=3)
    assert blocking_codes(d) == ["afsluiting_waakvlam_verleden"]
    # finalised later than the gesprek: a waakvlam that has passed by then blocks too
    d.gesprek.afsluiting.waakvlam = TODAY + dt.timedelta(days=2)
    later = TODAY + dt.timedelta(days=5)
    assert "afsluiting_waakvlam_verleden" in [g.code for g in forms.gaps(d, today=later)]


def test_the_plan_rules_do_not_apply_at_an_afsluiting():
    d = complete_afsluiting()
    d.plan.doelen[0].eigenaar = ""  # T8 at the intake and evaluaties; the plan is done now
    d.gesprek.plan_reden = "Het laatste doel is bij de afsluiting aangepast."
    assert blocking_codes(d) == []
