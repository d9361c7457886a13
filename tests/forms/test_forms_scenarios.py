"""One fictional family per inspection finding (DOMAIN.md, T1–T16): built complete,
then broken the way the inspections found it, and the rules must block (or warn)."""

from __future__ import annotations

import datetime as dt

import pytest
from kt_families import INSTRUMENT, TODAY, by_name, codes, complete_family, member

import forms
from forms import (
    Consent,
    Consultation,
    ContactStatus,
    Goal,
    ItemAnswer,
    MeldcodeRecord,
    Partner,
    RiskLater,
    Role,
    RuleSettings,
    SafetyAssessment,
    SafetyNow,
    VeiligThuisMelding,
    Voice,
)
from forms.demo import sign_at_the_table

MELDCODE = forms.DefinitionRef(id="meldcode-afwegingskader", version=1)


def family_of_five():
    return complete_family(
        [member("Fatima", 36), member("Joris", 39), member("Mila", 14), member("Ties", 9), member("Roos", 2)]
    )


def gaps(d, **kw):
    return forms.gaps(d, today=TODAY, **kw)


def only_blocking(d, **kw):
    return [g for g in gaps(d, **kw) if g.blokkerend]


def test_complete_family_has_no_blocking_gap(defs):
    d = family_of_five()
    assert only_blocking(d) == []
    final = forms.finalise(d, defs, now=dt.datetime(2025, 3, 12, 15, 0, tzinfo=dt.UTC))
    assert forms.verify(final)


# --- T1: all family members spoken with; young children at least seen ---------------------


def test_t1_conversation_with_one_parent_only():
    d = family_of_five()
    joris = by_name(d, "Joris")
    d.gesprek.contacten = [c for c in d.gesprek.contacten if c.member_id != joris.id]
    found = only_blocking(d)
    assert codes(found) == ["contact_status_ontbreekt"]
    assert "Joris" in found[0].message
    assert found[0].location == forms.Location("contact", member_id=joris.id, field="status")

    d.gesprek.contacten = [*d.gesprek.contacten, forms.ContactRecord(member_id=joris.id, status=ContactStatus.NIET)]
    found = only_blocking(d)
    assert codes(found) == ["contact_reden_ontbreekt"]
    assert found[0].message == "Joris is niet gesproken. Noteer waarom."
    assert found[0].location.field == "reden"

    d.contact(joris.id).reden = "Werkt in ploegendienst; telefonisch gesproken op 14 maart."
    assert only_blocking(d) == []


def test_t1_children_not_seen_and_no_reason():
    d = family_of_five()
    for name in ("Mila", "Ties", "Roos"):
        d.contact(by_name(d, name).id).status = ContactStatus.NIET
    found = only_blocking(d)
    assert codes(found) == ["contact_kind_niet_gezien"] * 3
    assert [g.location.member_id for g in found] == [by_name(d, n).id for n in ("Mila", "Ties", "Roos")]
    assert "Ties is niet gesproken en niet gezien" in found[1].message


def test_t1_teenager_only_seen_needs_a_reason():
    d = family_of_five()
    mila, ties = by_name(d, "Mila"), by_name(d, "Ties")
    d.contact(mila.id).status = ContactStatus.GEZIEN
    d.contact(ties.id).status = ContactStatus.GEZIEN
    found = only_blocking(d)
    assert codes(found) == ["contact_kind_niet_gesproken"]  # Ties is 9: seen is enough
    assert found[0].message.startswith("Mila is 14 en is alleen gezien")
    # a municipality that wants children from 8 spoken with
    found = only_blocking(d, settings=RuleSettings(child_spoken_age=8))
    assert [g.location.member_id for g in found] == [mila.id, ties.id]
    d.contact(mila.id).reden = "Lag ziek op bed; volgende week apart gesproken."
    d.contact(ties.id).reden = "Was op schoolkamp."
    assert only_blocking(d, settings=RuleSettings(child_spoken_age=8)) == []


# --- T2: every life domain, for parents and children ---------------------------------------


def test_t2_request_steered_everything_debts_surface_late():
    """'Help met mijn zoon': only upbringing and school were talked about."""
    d = family_of_five()
    d.leefgebieden = [e for e in d.leefgebieden if e.domein in ("opvoeding_gezin", "onderwijs")]
    found = only_blocking(d)
    assert set(codes(found)) == {"leefgebied_niet_besproken"}
    cells = {(g.location.domein, g.location.member_id) for g in found}
    fatima, joris = by_name(d, "Fatima"), by_name(d, "Joris")
    assert ("werk_inkomen", fatima.id) in cells and ("werk_inkomen", joris.id) in cells
    assert ("wonen", None) in cells and ("veiligheid", None) in cells and ("sociaal_netwerk", None) in cells
    assert {m for dom, m in cells if dom == "gezondheid"} == {m.id for m in d.huishouden.leden}
    assert "Het leefgebied Werk, inkomen en schulden is voor Fatima nog niet besproken." in [
        g.message.split(" Bespreek")[0] for g in found
    ]


def test_t2_not_applicable_needs_reason_and_ticked_box_needs_content():
    d = family_of_five()
    roos = by_name(d, "Roos")
    e = d.domain_entry("onderwijs", roos.id)
    e.besproken = False
    e.niet_van_toepassing = True
    found = only_blocking(d)
    assert codes(found) == ["leefgebied_nvt_reden"]
    assert found[0].location.field == "nvt_reden" and found[0].location.member_id == roos.id
    e.nvt_reden = "Roos is twee en gaat nog niet naar opvang; oma past op."
    assert only_blocking(d) == []

    wonen = d.domain_entry("wonen", None)
    wonen.krachten = ""
    found = only_blocking(d)
    assert codes(found) == ["leefgebied_zonder_inhoud"]
    assert found[0].location.domein == "wonen" and found[0].location.member_id is None


def test_t2_entry_present_but_neither_besproken_nor_nvt():
    d = family_of_five()
    d.domain_entry("veiligheid", None).besproken = False
    assert codes(only_blocking(d)) == ["leefgebied_niet_besproken"]


# --- T3: network and partners, consent --------------------------------------------------


def test_t3_partner_on_concerned_domain_without_consent():
    d = family_of_five()
    fatima = by_name(d, "Fatima")
    d.domain_entry("werk_inkomen", fatima.id).zorgen = "Schulden bij de energieleverancier, deurwaarder geweest."
    d.plan.doelen[0].domeinen = ["opvoeding_gezin", "werk_inkomen"]
    partner = Partner(organisatie="Schuldhulp Verzonnen", domeinen=["werk_inkomen"])
    d.partners = [partner]
    found = only_blocking(d)
    assert codes(found) == ["partner_toestemming_ontbreekt"]
    assert found[0].location == forms.Location("netwerk", domein="werk_inkomen", field="toestemming", ref=partner.id)
    assert "Schuldhulp Verzonnen" in found[0].message
    # 'no' is an answer too: then the coach knows not to call
    partner.toestemming = Consent(contact_toegestaan=False, delen_toegestaan=False, datum=TODAY)
    assert only_blocking(d) == []


def test_t3_partner_without_concerns_only_warns():
    d = family_of_five()
    d.partners = [Partner(organisatie="Huisarts Verzonnen", domeinen=["gezondheid"])]
    assert "partner_toestemming_open" in codes(gaps(d))
    assert only_blocking(d) == []


# --- T4: every child's safety, concluded, with rationale and consultation -----------------


def test_t4_safety_assessed_for_one_child_of_three():
    d = family_of_five()
    mila = by_name(d, "Mila")
    d.veiligheid = [a for a in d.veiligheid if a.child_id == mila.id]
    found = only_blocking(d)
    assert codes(found) == ["veiligheid_ontbreekt", "veiligheid_ontbreekt"]
    assert [g.message for g in found] == [
        "Voor Ties is nog geen veiligheidsbeoordeling afgerond.",
        "Voor Roos is nog geen veiligheidsbeoordeling afgerond.",
    ]
    assert [g.location.member_id for g in found] == [by_name(d, "Ties").id, by_name(d, "Roos").id]
    with pytest.raises(forms.IncompleteDossier) as info:
        forms.finalise(d)
    assert [g.code for g in info.value.gaps] == ["veiligheid_ontbreekt"] * 2
    assert "2 blokkerende punten" in info.value.melding


def test_t4_almelo_safety_only_when_police_involved():
    """No police, no Veilig Thuis, a 'quiet' family: the safety step is still required
    for every child, not only in police cases."""
    d = family_of_five()
    d.domain_entry("veiligheid", None).krachten = "Geen politie of Veilig Thuis betrokken."
    d.veiligheid = []
    assert d.meldcode is None and d.opschalingen == []
    found = only_blocking(d)
    assert codes(found) == ["veiligheid_ontbreekt"] * 3
    assert [g.location.member_id for g in found] == [m.id for m in d.children()]


def test_t4_every_minor_counts_whatever_role_and_adults_do_not():
    stiefzoon = member("Yusuf", 17, Role.OVERIG)
    oudste = member("Nina", 18, Role.KIND)
    d = complete_family([member("Lotte", 45), stiefzoon, oudste])
    assert {m.voornaam for m in d.children()} == {"Yusuf"}
    assert only_blocking(d) == []
    d.veiligheid = []
    found = only_blocking(d)
    assert [g.message for g in found] == ["Voor Yusuf is nog geen veiligheidsbeoordeling afgerond."]


def test_t4_assessment_not_concluded():
    d = family_of_five()
    ties = by_name(d, "Ties")
    a = d.latest_assessment(ties.id)
    a.afgerond = False
    a.onderbouwing = ""
    a.veiligheid_nu = None
    a.antwoorden.pop("signaal_letsel")
    found = only_blocking(d)
    assert codes(found) == [
        "veiligheid_niet_afgerond",
        "veiligheid_signalen_open",
        "veiligheid_oordeel_nu_ontbreekt",
        "veiligheid_onderbouwing_ontbreekt",
    ]
    assert all(g.location.member_id == ties.id and g.location.ref == a.id for g in found)
    assert found[1].location.item == "signaal_letsel"
    assert "Ties" in found[0].message


@pytest.mark.parametrize(
    "now, risk, needs",
    [
        (SafetyNow.VEILIG, RiskLater.LAAG, False),
        (SafetyNow.VEILIG, RiskLater.VERHOOGD, False),
        (SafetyNow.VEILIG, RiskLater.HOOG, True),
        (SafetyNow.ONVEILIG, RiskLater.VERHOOGD, True),
        (SafetyNow.ACUUT_ONVEILIG, RiskLater.HOOG, True),
    ],
)
def test_t4_unsafe_or_high_risk_needs_second_professional(now, risk, needs):
    d = family_of_five()
    ties = by_name(d, "Ties")
    a = d.latest_assessment(ties.id)
    a.veiligheid_nu, a.risico = now, risk
    if risk is not RiskLater.LAAG:  # the judgment rests on a risk factor (balansmodel)
        a.antwoorden["risico_gezin_stapeling"] = ItemAnswer(aanwezig=True)
    # keep the Meldcode out of this test (it has its own), consistent with the judgment
    acute = now is SafetyNow.ACUUT_ONVEILIG
    d.meldcode = MeldcodeRecord(
        definitie=MELDCODE,
        antwoorden={"vermoeden": True, "acuut_structureel": acute, "hulp_mogelijk": True, "hulp_aanvaard": True},
        melding=VeiligThuisMelding(datum=TODAY, referentie="VT-TEST-1") if acute else None,
    )
    found = [g for g in only_blocking(d)]
    assert codes(found) == (["veiligheid_consultatie_ontbreekt"] if needs else [])
    if needs:
        assert found[0].location.field == "consultatie"
        assert "collega of gedragswetenschapper" in found[0].message
        a.consultatie = Consultation(met="collega", naam="K. Collega", datum=TODAY)
        assert codes(only_blocking(d)) == ["veiligheid_consultatie_uitkomst"]
        a.consultatie = Consultation(met="collega", naam="K. Collega", datum=TODAY, uitkomst="Eens; veiligheidsplan gemaakt.")
        assert only_blocking(d) == []


def test_t4_raad_would_return_it_a_final_verslag_always_has_every_childs_assessment():
    d = family_of_five()
    final = forms.finalise(d)
    for child in final.children():
        a = final.latest_assessment(child.id)
        assert a is not None and a.afgerond and a.onderbouwing


# --- T5: ZRM per domain for adults ----------------------------------------------------------


def test_t5_zrm_warnings():
    d = family_of_five()
    fatima, mila = by_name(d, "Fatima"), by_name(d, "Mila")
    d.domain_entry("werk_inkomen", fatima.id).zrm = None
    d.domain_entry("gezondheid", mila.id).zrm = 3
    wonen = d.domain_entry("wonen", None)
    wonen.zrm = 1
    wonen.zorgen = "Huisuitzetting aangekondigd voor volgende maand."
    found = gaps(d)
    assert only_blocking(d) == []
    got = {(g.code, g.location.member_id, g.location.domein) for g in found}
    assert ("zrm_ontbreekt", fatima.id, "werk_inkomen") in got
    assert ("zrm_bij_kind", mila.id, "gezondheid") in got
    assert ("zrm_acuut_zonder_doel", None, "wonen") in got
    assert ("zorgen_zonder_doel", None, "wonen") not in got  # one warning per domain
    d.plan.doelen[0].domeinen.append("wonen")
    assert "zrm_acuut_zonder_doel" not in codes(gaps(d))


# --- T6: the request for help, with whose voice -----------------------------------------


def test_t6_hulpvraag():
    d = family_of_five()
    d.hulpvraag = forms.Hulpvraag()
    assert codes(only_blocking(d)) == ["hulpvraag_ontbreekt", "hulpvraag_stem_ontbreekt"]
    d.hulpvraag = forms.Hulpvraag(tekst="Hulp met Mila.", stem=Voice.OUDER)
    assert only_blocking(d) == []
    warn = [g for g in gaps(d) if g.code == "hulpvraag_zonder_kind"]
    assert warn and "Mila" in warn[0].message and "Ties" not in warn[0].message


# --- T7: familiegroepsplan offered, outcome recorded ----------------------------------------


@pytest.mark.parametrize(
    "aangeboden, uitkomst, code",
    [(None, None, "fgp_aanbod_ontbreekt"), (False, None, "fgp_niet_aangeboden"), (True, None, "fgp_uitkomst_ontbreekt")],
)
def test_t7_familiegroepsplan(aangeboden, uitkomst, code):
    d = family_of_five()
    d.familiegroepsplan = forms.Familiegroepsplan(aangeboden=aangeboden, uitkomst=uitkomst)
    found = only_blocking(d)
    assert codes(found) == [code]
    assert found[0].location.section == "plan"


# --- T8: one plan: analysis, perspective, prioritised concrete goals ------------------------


def test_t8_plan_turned_concerns_straight_into_actions():
    d = family_of_five()
    d.plan.probleemanalyse = ""
    d.plan.perspectief = ""
    d.plan.doelen = []
    assert codes(only_blocking(d)) == [
        "plan_probleemanalyse_ontbreekt",
        "plan_perspectief_ontbreekt",
        "plan_doelen_ontbreken",
    ]


def test_t8_goals_not_prioritised_not_concrete():
    d = family_of_five()
    vague = Goal(prioriteit=1, omschrijving="Het moet beter gaan.")
    d.plan.doelen = [*d.plan.doelen, vague]
    found = only_blocking(d)
    assert codes(found) == [
        "doel_prioriteit_dubbel",
        "doel_resultaat_ontbreekt",
        "doel_eigenaar_ontbreekt",
        "doel_streefdatum_ontbreekt",
        "doel_domein_ontbreekt",
    ]
    assert all(g.location.ref == vague.id for g in found)
    assert found[0].location.field == "prioriteit"
    assert found[0].message.startswith("Doel 1 ('Het moet beter gaan.')")
    assert "doel_zonder_acties" in codes(gaps(d))


def test_t8_concerns_that_no_goal_addresses_warn():
    d = family_of_five()
    d.domain_entry("sociaal_netwerk", None).zorgen = "Geen familie in de buurt."
    found = [g for g in gaps(d) if g.code == "zorgen_zonder_doel"]
    assert [g.location.domein for g in found] == ["sociaal_netwerk"]
    assert not found[0].blokkerend


# --- T9: one regisseur -----------------------------------------------------------------------


def test_t9_nobody_is_the_regisseur():
    d = family_of_five()
    d.plan.regisseur = None
    found = only_blocking(d)
    assert codes(found) == ["regisseur_ontbreekt"]
    assert found[0].location == forms.Location("plan", field="regisseur")


# --- T10: re-assessment compared with the first; the latest counts -----------------------------


def test_t10_latest_assessment_counts_and_old_ones_warn():
    d = family_of_five()
    ties = by_name(d, "Ties")
    first = d.latest_assessment(ties.id)
    first.datum = TODAY - dt.timedelta(days=90)
    found = gaps(d)
    assert [g.code for g in found if g.location.member_id == ties.id] == ["veiligheid_verouderd"]
    assert "90 dagen" in next(g.message for g in found if g.code == "veiligheid_verouderd")
    assert codes(only_blocking(d, settings=RuleSettings(assessment_max_age_days=100))) == []
    # a re-assessment started but not concluded: the latest counts, so it blocks
    redo = SafetyAssessment(child_id=ties.id, instrument=INSTRUMENT, datum=TODAY)
    d.veiligheid = [*d.veiligheid, redo]
    assert "veiligheid_niet_afgerond" in codes(only_blocking(d))
    assert d.assessments_for(ties.id)[0] is not redo  # the first stays for comparison


# --- T15: the Meldcode -------------------------------------------------------------------------


def with_signal(d):
    mila = by_name(d, "Mila")
    a = d.latest_assessment(mila.id)
    a.antwoorden["signaal_getuige_geweld"] = ItemAnswer(aanwezig=True, toelichting="Hoorde vorige week geschreeuw en slaan.")
    a.veiligheid_nu = SafetyNow.ONVEILIG
    a.consultatie = Consultation(met="gedragswetenschapper", datum=TODAY, uitkomst="Onveilig; Meldcode doorlopen.")
    return d


def test_t15_signal_requires_the_afwegingskader():
    d = with_signal(family_of_five())
    defs = forms.default_definitions()
    assert defs.meldcode().is_relevant(d, defs)
    found = only_blocking(d)
    assert codes(found) == ["meldcode_niet_doorlopen"]
    assert found[0].location.section == "meldcode"
    d.meldcode = MeldcodeRecord(definitie=MELDCODE)
    found = only_blocking(d)
    assert codes(found) == ["meldcode_open"]
    assert found[0].location.item == "vermoeden"


def test_t15_acute_unsafety_without_veilig_thuis_report():
    d = with_signal(family_of_five())
    d.meldcode = MeldcodeRecord(definitie=MELDCODE, antwoorden={"vermoeden": True, "acuut_structureel": True})
    assert forms.default_definitions().meldcode().report_required(d.meldcode)
    found = only_blocking(d)
    assert codes(found) == ["meldcode_melding_ontbreekt"]
    assert found[0].location == forms.Location("meldcode", field="melding", item="acuut_structureel")
    assert "Melden bij Veilig Thuis" in found[0].message
    d.meldcode.melding = VeiligThuisMelding(datum=TODAY, referentie="VT-2025-0001")
    assert only_blocking(d) == []


@pytest.mark.parametrize(
    "answers, report, open_item",
    [
        ({"vermoeden": False}, False, None),
        ({"vermoeden": True}, False, "acuut_structureel"),
        ({"vermoeden": True, "acuut_structureel": False}, False, "hulp_mogelijk"),
        ({"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": False}, True, None),
        ({"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True}, False, "hulp_aanvaard"),
        ({"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": False}, True, None),
        # question 5 is answered at the evaluation: open is fine now
        ({"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": True}, False, None),
        ({"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": True, "hulp_resultaat": False}, True, None),
    ],
)
def test_t15_each_answer_leads_to_its_outcome(answers, report, open_item):
    mc = forms.default_definitions().meldcode()
    record = MeldcodeRecord(definitie=MELDCODE, antwoorden=answers)
    assert mc.report_required(record) is report
    q = mc.open_question(record)
    assert (q.id if q else None) == open_item
    d = with_signal(family_of_five())
    d.meldcode = record
    got = codes(only_blocking(d))
    assert ("meldcode_melding_ontbreekt" in got) is report
    assert ("meldcode_open" in got) is (open_item is not None)


def test_t15_no_suspicion_while_unsafe_blocks():
    d = with_signal(family_of_five())
    d.meldcode = MeldcodeRecord(definitie=MELDCODE, antwoorden={"vermoeden": False})
    found = [g for g in gaps(d) if g.code == "meldcode_tegenstrijdig"]
    assert found and "Mila" in found[0].message and found[0].blokkerend


def test_t15_meldcode_not_relevant_for_a_safe_family():
    d = family_of_five()
    defs = forms.default_definitions()
    assert not defs.meldcode().is_relevant(d, defs)
    assert not [g for g in gaps(d) if g.location.section == "meldcode"]


# --- T16 / T12: a signed, frozen verslag; changes make a new version ------------------------------


def test_t16_finalise_freezes_and_new_version_keeps_the_old():
    d = family_of_five()
    now = dt.datetime(2025, 3, 12, 16, 30, tzinfo=dt.UTC)
    final = forms.finalise(d, now=now)
    assert d.definitief is None  # the caller's object is untouched
    assert final.definitief.op == now
    # the hash covers the content plus the plan version finalise records (T12), nothing else
    assert [pv.versie for pv in final.plan_versies] == [1] and final.plan_versies[0].plan == d.plan
    signed = d.model_copy(update={"plan_versies": final.plan_versies})
    assert final.definitief.sha256 == forms.content_hash(signed) == forms.content_hash(final)
    assert forms.is_frozen(final) and forms.verify(final)
    with pytest.raises(forms.AlreadyFinal):
        forms.finalise(final)
    # a changed final copy no longer verifies
    tampered = final.model_copy(deep=True)
    tampered.hulpvraag.tekst = "Iets anders."
    assert not forms.verify(tampered)
    # the hash survives a save and load
    again = forms.Dossier.model_validate_json(final.model_dump_json())
    assert forms.verify(again)
    nxt = forms.new_version(final)
    assert nxt.versie == 2 and nxt.definitief is None
    assert nxt.vorige_versies == [
        forms.VersionRef(
            versie=1,
            sha256=final.definitief.sha256,
            op=now,
            gesprek_id=final.gesprek.id,
            datum=final.gesprek.datum,
        )
    ]
    assert final.versie == 1 and forms.verify(final)
    nxt.plan.perspectief = "Bijgesteld na de evaluatie."
    with pytest.raises(forms.IncompleteDossier):  # the new version is signed anew
        forms.finalise(nxt, now=now + dt.timedelta(days=42))
    sign_at_the_table(nxt)
    final2 = forms.finalise(nxt, now=now + dt.timedelta(days=42))
    assert final2.definitief.sha256 != final.definitief.sha256
    assert len(forms.new_version(final2).vorige_versies) == 2
    with pytest.raises(forms.NotFinal):
        forms.new_version(nxt)


def test_t16_parents_at_the_table_and_the_wijkcoach_must_sign():
    d = family_of_five()
    d.handtekeningen = []
    found = [g for g in gaps(d) if g.code.startswith("handtekening_")]
    assert [(g.code, g.location.member_id) for g in found] == [
        ("handtekening_wijkcoach_ontbreekt", None),
        ("handtekening_ontbreekt", by_name(d, "Fatima").id),
        ("handtekening_ontbreekt", by_name(d, "Joris").id),
    ]
    assert all(g.blokkerend for g in found) and "Fatima" in found[1].message
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d)
    d.handtekeningen = [
        forms.Signature(member_id=by_name(d, "Fatima").id, naam="Fatima Verzonnen", afbeelding_png=b"\x89PNG\r\n\x1a\n"),
        forms.Signature(member_id=by_name(d, "Joris").id, naam="Joris Verzonnen", weigering_reden="Wil eerst nadenken."),
        # a card without a drawing or a reason is no signature
        forms.Signature(member_id=None, naam="Wijkcoach Test"),
    ]
    assert codes(only_blocking(d)) == ["handtekening_wijkcoach_ontbreekt"]
    d.handtekeningen[-1].afbeelding_png = b"\x89PNG\r\n\x1a\n"
    assert only_blocking(d) == []
    assert forms.verify(forms.finalise(d))
    # a parent who was not at the table does not sign here (the contact step asks why)
    d.gesprek.aanwezig = [i for i in d.gesprek.aanwezig if i != by_name(d, "Joris").id]
    d.handtekeningen = [s for s in d.handtekeningen if s.member_id != by_name(d, "Joris").id]
    assert "handtekening_ontbreekt" not in codes(gaps(d))


# --- the gap list itself --------------------------------------------------------------------------


def test_gaps_are_ordered_by_step_then_member_and_use_known_codes():
    d = family_of_five()
    roos = by_name(d, "Roos")
    d.gesprek.contacten = []
    d.veiligheid = []
    d.leefgebieden = []
    d.plan = forms.Plan()
    d.hulpvraag = forms.Hulpvraag()
    d.familiegroepsplan = forms.Familiegroepsplan()
    d.partners = [Partner(organisatie="School", domeinen=["onderwijs"])]
    found = gaps(d)
    sections = [forms.SECTIONS.index(g.location.section) for g in found]
    assert sections == sorted(sections)
    order = {None: -1, **{m.id: i for i, m in enumerate(d.huishouden.leden)}}
    for s in set(sections):
        members = [order[g.location.member_id] for g in found if forms.SECTIONS.index(g.location.section) == s]
        assert members == sorted(members)
    for g in found:
        assert g.code in forms.RULES
        assert g.severity is forms.RULES[g.code][0]
        assert g.location.section in forms.SECTIONS
        assert g.message and g.message[0].isupper()
    assert gaps(d) == found  # deterministic
    assert any(g.location.member_id == roos.id for g in found)


def test_summary_counts_blocking_gaps():
    from forms.summary import GesprekStatus, summarise

    d = family_of_five()
    assert summarise(d).status is GesprekStatus.KLAAR
    d.veiligheid = []
    s = summarise(d)
    assert s.status is GesprekStatus.CONCEPT and s.blokkerend == 3
    assert summarise(forms.finalise(family_of_five())).status is GesprekStatus.GETEKEND


def test_unknown_definition_is_a_gap_not_a_crash():
    d = family_of_five()
    d.leefgebieden_set = forms.DefinitionRef(id="leefgebieden-elders", version=4)
    a = d.veiligheid[0]
    a.instrument = forms.DefinitionRef(id="lirik", version=2)
    found = only_blocking(d)
    assert codes(found) == ["definitie_onbekend", "definitie_onbekend"]
    assert [g.location.section for g in found] == ["leefgebieden", "veiligheid"]
    assert "lirik" in found[1].message
