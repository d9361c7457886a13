"""T14: a kernbeslissing records who was consulted, about what, on which information, and
whether a veiligheidsplan is needed; a needed veiligheidsplan has afspraken and is signed;
the definitions' list decides which events are kernbeslissingen."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from kt_trajectory import (
    NOW,
    TODAY,
    blocking_codes,
    child,
    complete_afsluiting,
    complete_evaluatie,
    gaps_of,
    kernbeslissing,
    signed,
)

import forms
from forms.definitions import SHIPPED_FOLDER, load_definitions
from forms.models import Afspraak, Veiligheidsplan


def test_a_kernbeslissing_without_a_raadpleging_blocks():
    d = complete_evaluatie()
    kb = kernbeslissing(d, "overig", raadplegingen=[])
    [gap] = gaps_of(d, "kernbeslissing_raadpleging_ontbreekt")
    assert gap.blokkerend and gap.location == forms.Location("kernbeslissingen", field="raadplegingen", ref=kb.id)
    assert "geraadpleegd" in gap.message
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d, now=NOW)


def test_an_earlier_gesprek_s_kernbeslissing_is_not_judged_again():
    d = complete_evaluatie()
    kb = kernbeslissing(d, "overig", raadplegingen=[], informatie="")
    kb.gesprek_id = d.vorige_versies[0].gesprek_id
    assert blocking_codes(d) == []
    kb.gesprek_id = None  # schema 1: before gesprekken had ids
    assert blocking_codes(d) == []


def test_what_was_asked_and_on_which_information():
    d = complete_evaluatie()
    kb = kernbeslissing(d, "overig")
    kb.raadplegingen[0].over = ""
    assert blocking_codes(d) == ["raadpleging_onderwerp_ontbreekt"]
    kb.raadplegingen[0].over = "Is de hulp nog passend?"
    kb.informatie = ""
    assert blocking_codes(d) == ["kernbeslissing_informatie_ontbreekt"]


def test_whether_a_veiligheidsplan_is_needed_is_answered():
    d = complete_evaluatie()
    kb = kernbeslissing(d, "overig", veiligheidsplan_nodig=None)
    [gap] = gaps_of(d, "kernbeslissing_veiligheidsplan_open")
    assert gap.blokkerend and gap.location.field == "veiligheidsplan_nodig" and gap.location.ref == kb.id


def test_a_needed_veiligheidsplan_has_afspraken_and_is_signed():
    d = complete_evaluatie()
    noor = child(d, "Noor")
    kb = kernbeslissing(d, "overig", child_id=noor.id, veiligheidsplan_nodig=True)
    assert blocking_codes(d) == ["veiligheidsplan_ontbreekt"]
    kb.veiligheidsplan = Veiligheidsplan(afspraken=[Afspraak(wat="Bij ruzie gaat Noor naar oma.", wie="Sanne")])
    assert blocking_codes(d) == ["veiligheidsplan_afspraak_onvolledig", "veiligheidsplan_handtekening_ontbreekt"]
    kb.veiligheidsplan.afspraken[0].wanneer = TODAY + dt.timedelta(days=1)
    [gap] = gaps_of(d, "veiligheidsplan_handtekening_ontbreekt")
    assert gap.location.member_id == noor.id and "ouder" in gap.message
    sanne = child(d, "Sanne")
    kb.veiligheidsplan.handtekeningen = [signed(sanne.id, sanne.naam)]
    assert "wijkcoach" in gaps_of(d, "veiligheidsplan_handtekening_ontbreekt")[0].message
    kb.veiligheidsplan.handtekeningen = [signed(noor.id, noor.naam), signed(None, "Wijkcoach (demo)")]  # a child is no adult
    assert blocking_codes(d) == ["veiligheidsplan_handtekening_ontbreekt"]
    kb.veiligheidsplan.handtekeningen = [signed(sanne.id, sanne.naam), signed(None, "Wijkcoach (demo)")]
    assert blocking_codes(d) == []
    forms.finalise(d, now=NOW)


def test_closing_a_trajectory_with_children_is_a_kernbeslissing():
    d = complete_afsluiting()
    d.kernbeslissingen = [kb for kb in d.kernbeslissingen if kb.soort != "afsluiten_met_kinderen"]
    [gap] = gaps_of(d, "kernbeslissing_afsluiten_ontbreekt")
    assert gap.blokkerend and gap.location.section == "kernbeslissingen"
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d, now=NOW)


def _without(tmp_path, *ids: str):
    raw = json.loads((SHIPPED_FOLDER / "trajectory.v1.json").read_text(encoding="utf-8"))
    raw["id"] = "traject-eigen"
    raw["kernbeslissingen"] = [k for k in raw["kernbeslissingen"] if k["id"] not in ids]
    (tmp_path / "t.json").write_text(json.dumps(raw), encoding="utf-8")
    return load_definitions(tmp_path)


def test_the_list_in_the_definitions_decides(tmp_path):
    defs = _without(tmp_path, "afsluiten_met_kinderen")
    d = complete_afsluiting()
    d.kernbeslissingen = [kb for kb in d.kernbeslissingen if kb.soort != "afsluiten_met_kinderen"]
    assert [g.code for g in forms.gaps(d, defs, today=TODAY) if g.blokkerend] == []
    # a kernbeslissing of a soort the list does not know only warns
    kb = kernbeslissing(d, "afsluiten_met_kinderen")
    [gap] = [g for g in forms.gaps(d, defs, today=TODAY) if g.code == "kernbeslissing_soort_onbekend"]
    assert not gap.blokkerend and gap.location.ref == kb.id


def test_no_children_no_kernbeslissing_for_closing():
    d = complete_afsluiting()
    d.kernbeslissingen = [kb for kb in d.kernbeslissingen if kb.soort != "afsluiten_met_kinderen"]
    later = d.gesprek.datum.replace(year=d.gesprek.datum.year + 19)  # every child is an adult by then
    assert all(not m.is_minor_on(later) for m in d.huishouden.leden)
    d.gesprek.datum = later
    assert "kernbeslissing_afsluiten_ontbreekt" not in [g.code for g in forms.gaps(d, today=later)]
