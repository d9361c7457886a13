"""T11: scaling up is recorded with its reason and is a kernbeslissing; an unsafe or a
worse judgment at an evaluatie is a kernbeslissing; acute unsafety is scaled up or the
reason why not is written down."""

from __future__ import annotations

import json

import pytest
from kt_trajectory import (
    NOW,
    TODAY,
    blocking_codes,
    child,
    complete_evaluatie,
    gaps_of,
    kernbeslissing,
    reassess,
)

import forms
from forms.definitions import SHIPPED_FOLDER, load_definitions
from forms.models import MeldcodeRecord, Opschaling, RiskLater, SafetyNow, VeiligThuisMelding


def opschaling(d: forms.Dossier, **fields) -> Opschaling:
    op = Opschaling(
        gesprek_id=d.gesprek.id,
        datum=TODAY,
        naar=fields.pop("naar", "veilig_thuis"),
        reden=fields.pop("reden", "De vrijwillige hulp is niet genoeg voor de veiligheid van Noor."),
        **fields,
    )
    d.opschalingen = [*d.opschalingen, op]
    return op


def test_an_opschaling_is_a_linked_kernbeslissing():
    d = complete_evaluatie()
    op = opschaling(d)
    [gap] = gaps_of(d, "opschaling_kernbeslissing_ontbreekt")
    assert gap.blokkerend and gap.location == forms.Location("kernbeslissingen", field="kernbeslissing_id", ref=op.id)
    assert "Veilig Thuis" in gap.message
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d, now=NOW)
    other = kernbeslissing(d, "overig")
    op.kernbeslissing_id = other.id  # linked, but not to an opschaling
    assert len(gaps_of(d, "opschaling_kernbeslissing_ontbreekt")) == 1
    kb = kernbeslissing(d, "opschaling", beslissing="Melden bij Veilig Thuis.")
    op.kernbeslissing_id = kb.id
    assert blocking_codes(d) == []
    final = forms.finalise(d, now=NOW)
    assert final.opschalingen[-1].kernbeslissing_id == kb.id


def test_an_opschaling_to_someone_else_names_them():
    d = complete_evaluatie()
    kb = kernbeslissing(d, "opschaling")
    op = opschaling(d, naar="anders", kernbeslissing_id=kb.id)
    assert blocking_codes(d) == ["opschaling_naar_anders_ontbreekt"]
    op.naar_anders = "Jeugdbescherming (fictief)"
    assert blocking_codes(d) == []


def test_an_earlier_gesprek_s_opschaling_is_not_judged_again():
    d = complete_evaluatie()
    op = opschaling(d)
    op.gesprek_id = d.vorige_versies[-1].gesprek_id
    assert gaps_of(d, "opschaling_kernbeslissing_ontbreekt") == []


def _unsafe_noor(d: forms.Dossier, now: SafetyNow) -> None:
    """Noor judged (acuut) onveilig at this evaluatie, the Meldcode followed to a report."""
    d.veiligheid = [a for a in d.veiligheid if a.gesprek_id != d.gesprek.id]
    reassess(d, Noor=(now, RiskLater.HOOG))
    d.meldcode = MeldcodeRecord(
        definitie=forms.DefinitionRef(id="meldcode-afwegingskader", version=1),
        antwoorden={"vermoeden": True, "acuut_structureel": True},
        melding=VeiligThuisMelding(datum=TODAY, referentie="VT-0002"),
    )
    d.gesprek.plan_reden = "Het plan blijft; Veilig Thuis is ingeschakeld."


def test_an_unsafe_judgment_at_an_evaluatie_is_a_kernbeslissing():
    d = complete_evaluatie()
    _unsafe_noor(d, SafetyNow.ONVEILIG)
    noor = child(d, "Noor")
    gap = next(g for g in gaps_of(d, "kernbeslissing_onveilig_ontbreekt"))
    assert gap.blokkerend and gap.location.member_id == noor.id and "Noor" in gap.message
    # (it is also worse than at the previous assessment)
    assert gaps_of(d, "kernbeslissing_verslechterd_ontbreekt")
    kernbeslissing(d, "onveilig_oordeel", child_id=noor.id, beslissing="Melding bij Veilig Thuis; hulp loopt door.")
    assert blocking_codes(d) == []
    forms.finalise(d, now=NOW)


def test_a_worse_judgment_is_a_kernbeslissing():
    d = complete_evaluatie()
    lieke = child(d, "Liëke")
    d.veiligheid = [a for a in d.veiligheid if a.gesprek_id != d.gesprek.id]
    reassess(d, **{"Liëke": (SafetyNow.VEILIG, RiskLater.HOOG)})  # verhoogd before
    d.meldcode = MeldcodeRecord(
        definitie=forms.DefinitionRef(id="meldcode-afwegingskader", version=1),
        antwoorden={"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": True},
    )
    d.gesprek.meldcode_stap5 = True
    d.gesprek.plan_reden = "Het plan blijft; de oppas door oma wordt uitgebreid."
    [gap] = gaps_of(d, "kernbeslissing_verslechterd_ontbreekt")
    assert gap.blokkerend and gap.location.member_id == lieke.id
    assert blocking_codes(d) == ["kernbeslissing_verslechterd_ontbreekt"]
    kernbeslissing(d, "veiligheid_verslechterd", child_id=lieke.id)
    assert blocking_codes(d) == []
    # a kernbeslissing about another child does not count
    d.kernbeslissingen[-1].child_id = child(d, "Daan").id
    assert blocking_codes(d) == ["kernbeslissing_verslechterd_ontbreekt"]


def test_the_same_or_a_better_judgment_needs_no_kernbeslissing():
    d = complete_evaluatie()
    d.veiligheid = [a for a in d.veiligheid if a.gesprek_id != d.gesprek.id]
    reassess(d, Noor=(SafetyNow.VEILIG, RiskLater.LAAG))  # verhoogd before: better
    assert blocking_codes(d) == []


def test_acute_unsafety_is_scaled_up_or_the_reason_why_not_is_written():
    d = complete_evaluatie()
    _unsafe_noor(d, SafetyNow.ACUUT_ONVEILIG)
    noor = child(d, "Noor")
    kb = kernbeslissing(d, "onveilig_oordeel", child_id=noor.id, beslissing="Noor logeert bij oma tot het veilig is.")
    [gap] = gaps_of(d, "acuut_onveilig_zonder_opschaling")
    assert gap.blokkerend and gap.location.member_id == noor.id and "acuut onveilig" in gap.message
    kb.toelichting = "Niet opgeschaald: Veilig Thuis is al betrokken en Noor is vandaag bij oma ondergebracht."
    assert blocking_codes(d) == []
    kb.toelichting = ""
    up = kernbeslissing(d, "opschaling", beslissing="Verzoek tot onderzoek bij de Raad.")
    opschaling(d, naar="raad_kinderbescherming", kernbeslissing_id=up.id)
    assert blocking_codes(d) == []
    forms.finalise(d, now=NOW)


def test_the_definitions_decide_which_judgments_are_kernbeslissingen(tmp_path):
    raw = json.loads((SHIPPED_FOLDER / "trajectory.v1.json").read_text(encoding="utf-8"))
    raw["id"] = "traject-zonder"
    raw["kernbeslissingen"] = [k for k in raw["kernbeslissingen"] if k["id"] not in ("onveilig_oordeel", "veiligheid_verslechterd", "opschaling")]
    (tmp_path / "t.json").write_text(json.dumps(raw), encoding="utf-8")
    defs = load_definitions(tmp_path)
    d = complete_evaluatie()
    _unsafe_noor(d, SafetyNow.ONVEILIG)
    opschaling(d)
    found = {g.code for g in forms.gaps(d, defs, today=TODAY)}
    assert not found & {"kernbeslissing_onveilig_ontbreekt", "kernbeslissing_verslechterd_ontbreekt", "opschaling_kernbeslissing_ontbreekt"}
    assert {"kernbeslissing_onveilig_ontbreekt", "opschaling_kernbeslissing_ontbreekt"} <= set(blocking_codes(d))
