"""The trajectory (issue 13): starting the next gesprek, plan versions at finalise, the
trajectory definitions, and the helpers the caseload and timeline read (forms.trajectory)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from kt_families import TODAY, family_of_five

import forms
from forms import trajectory as tr
from forms.definitions import SHIPPED_FOLDER, DefinitionError, load_definitions
from forms.demo import demo_trajectory
from forms.models import GesprekSoort, RiskLater, SafetyNow

NOW = dt.datetime(2025, 3, 12, 16, 0, tzinfo=dt.UTC)


def final_intake() -> forms.Dossier:
    return forms.finalise(family_of_five(), now=NOW)


# --- start_gesprek -------------------------------------------------------------------------


def test_start_gesprek_opens_a_new_gesprek_and_carries_the_rest_over():
    v1 = final_intake()
    before = v1.model_dump_json()
    later = TODAY + dt.timedelta(weeks=6)
    nxt = forms.start_gesprek(v1, GesprekSoort.EVALUATIE, later)
    assert v1.model_dump_json() == before and forms.verify(v1)  # the final one is untouched
    assert nxt.versie == 2 and nxt.definitief is None and nxt.handtekeningen == []
    assert nxt.vorige_versies[-1] == forms.VersionRef(
        versie=1,
        sha256=v1.definitief.sha256,
        op=NOW,
        soort=GesprekSoort.INTAKE,
        gesprek_id=v1.gesprek.id,
        datum=TODAY,
    )
    g = nxt.gesprek
    assert g.id != v1.gesprek.id and g.soort is GesprekSoort.EVALUATIE and g.datum == later
    assert g.aanwezig == [] and g.contacten == [] and g.doel_evaluaties == [] and g.plan_reden == ""
    # the evaluation planned at the intake stands until this gesprek plans the next
    assert g.volgende_evaluatie == v1.gesprek.volgende_evaluatie
    for field in ("huishouden", "plan", "plan_versies", "netwerk", "partners", "veiligheid", "kernbeslissingen"):
        assert getattr(nxt, field) == getattr(v1, field), field
    assert nxt.plan is not v1.plan  # a deep copy: editing the next never touches the final


def test_start_gesprek_defaults_to_today():
    nxt = forms.start_gesprek(final_intake(), GesprekSoort.EVALUATIE)
    assert nxt.gesprek.datum == dt.date.today()


def test_start_gesprek_needs_a_final_dossier():
    with pytest.raises(forms.NotFinal) as exc:
        forms.start_gesprek(family_of_five(), GesprekSoort.EVALUATIE)
    assert "nog niet definitief" in exc.value.melding


def test_nothing_but_an_intake_follows_a_closed_trajectory():
    v1 = final_intake()
    closing = forms.start_gesprek(v1, GesprekSoort.AFSLUITING, TODAY)
    closed = closing.model_copy(deep=True)
    # pretend it was finalised (the afsluiting rules are tested elsewhere): a hash is all it takes
    closed.definitief = forms.Finalisation(sha256=forms.content_hash(closed), op=NOW)
    for soort in (GesprekSoort.EVALUATIE, GesprekSoort.AFSLUITING):
        with pytest.raises(forms.TrajectoryClosed) as exc:
            forms.start_gesprek(closed, soort)
        assert "afgesloten" in exc.value.melding and "intake" in exc.value.melding
    again = forms.start_gesprek(closed, GesprekSoort.INTAKE, TODAY)
    assert again.gesprek.soort is GesprekSoort.INTAKE and again.gesprek.volgende_evaluatie is None
    assert tr.fase(again) is tr.Fase.INTAKE


def test_new_version_reopens_the_same_gesprek():
    v1 = final_intake()
    nxt = forms.new_version(v1)
    assert nxt.gesprek == v1.gesprek and nxt.versie == 2 and nxt.handtekeningen == []


# --- plan versions (T12) ------------------------------------------------------------------------


def test_finalise_appends_a_plan_version_only_when_the_plan_changed():
    v1 = final_intake()
    assert [(p.versie, p.gesprek_id, p.datum) for p in v1.plan_versies] == [(1, v1.gesprek.id, TODAY)]
    assert v1.plan_versies[0].plan == v1.plan
    assert not forms.plan_changed(v1)
    nxt = forms.new_version(v1)
    assert not forms.plan_changed(nxt)
    nxt.plan.perspectief = "Bijgesteld."
    assert forms.plan_changed(nxt)
    nxt.gesprek.plan_reden = "Het gezin wil eerst rust over geld."
    forms.demo.sign_at_the_table(nxt)
    v2 = forms.finalise(nxt, now=NOW)
    assert [p.versie for p in v2.plan_versies] == [1, 2]
    assert v2.plan_versies[1].reden == "Het gezin wil eerst rust over geld."
    assert v2.plan_versies[1].plan.perspectief == "Bijgesteld." and v2.plan_versies[0].plan == v1.plan
    assert forms.verify(v2)
    unchanged = forms.new_version(v2)
    forms.demo.sign_at_the_table(unchanged)
    assert [p.versie for p in forms.finalise(unchanged, now=NOW).plan_versies] == [1, 2]


# --- definitions --------------------------------------------------------------------------------


def test_shipped_trajectory_definition(defs):
    t = defs.trajectory
    assert t.evaluatie_interval_max_dagen == 91
    ids = [k.id for k in t.kernbeslissingen]
    for needed in ("opschaling", "afschaling", "afsluiten_met_kinderen", "onveilig_oordeel", "veiligheid_verslechterd", "overig"):
        assert needed in ids
    assert [(k.id, k.label) for k in t.resultaten] == [
        ("zelfstandig_verder", "Zelfstandig verder"),
        ("overgedragen", "Overgedragen"),
        ("opgeschaald", "Opgeschaald"),
    ]
    assert t.opschaling_label("raad_kinderbescherming") == "Raad voor de Kinderbescherming"
    assert t.opschaling_label("veilig_thuis") == "Veilig Thuis"
    assert defs.current_refs().trajectory == forms.DefinitionRef(id="trajectory-basis", version=1)


def _traject(**changes):
    raw = json.loads((SHIPPED_FOLDER / "trajectory.v1.json").read_text(encoding="utf-8"))
    raw.update(changes)
    return raw


def test_a_municipality_overrides_the_trajectory_policy(tmp_path):
    raw = _traject(id="traject-almelo", evaluatie_interval_max_dagen=60)
    raw["resultaten"].append({"id": "verhuisd", "label": "Verhuisd"})
    (tmp_path / "traject-almelo.json").write_text(json.dumps(raw), encoding="utf-8")
    t = load_definitions(tmp_path).trajectory
    assert t.id == "traject-almelo" and t.evaluatie_interval_max_dagen == 60
    assert t.resultaat_label("verhuisd") == "Verhuisd"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"opschaling_naar": [{"id": "politie", "label": "Politie"}]}, "opschaling_naar 'politie'"),
        ({"kernbeslissingen": [{"id": "opschaling", "label": "Opschaling"}]}, "'overig'"),
        ({"evaluatie_interval_max_dagen": 0}, "greater than or equal"),
    ],
)
def test_a_bad_trajectory_file_names_the_problem(tmp_path, changes, fragment):
    (tmp_path / "t.json").write_text(json.dumps(_traject(id="t2", **changes)), encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        load_definitions(tmp_path)
    assert fragment in str(exc.value) and "t.json" in str(exc.value)


# --- the helpers ----------------------------------------------------------------------------------


def test_sections_per_kind():
    assert forms.sections_for(GesprekSoort.INTAKE) == forms.SECTIONS
    assert forms.sections_for("evaluatie") == (
        "contact", "evaluatie", "veiligheid", "meldcode", "plan", "kernbeslissingen", "controle", "ondertekenen"
    )
    assert forms.sections_for(GesprekSoort.AFSLUITING) == (
        "contact", "evaluatie", "veiligheid", "kernbeslissingen", "afsluiting", "controle", "ondertekenen"
    )


def test_phase_next_evaluation_and_overdue(defs):
    d = family_of_five()
    assert tr.fase(d) is tr.Fase.INTAKE and tr.volgende_evaluatie(d, defs) is None
    v1 = final_intake()
    assert tr.fase(v1) is tr.Fase.LOPEND and tr.Fase.LOPEND.label == "Lopend"
    planned = v1.gesprek.volgende_evaluatie
    assert tr.volgende_evaluatie(v1, defs) == planned
    assert not tr.te_laat(v1, planned, defs) and tr.te_laat(v1, planned + dt.timedelta(days=1), defs)
    # a date beyond the maximum interval counts as the interval's end
    far = v1.model_copy(deep=True)
    far.gesprek.volgende_evaluatie = TODAY + dt.timedelta(days=200)
    assert tr.volgende_evaluatie(far, defs) == TODAY + dt.timedelta(days=91)
    ev = forms.start_gesprek(v1, GesprekSoort.EVALUATIE, planned)
    assert tr.fase(ev) is tr.Fase.EVALUATIE and tr.volgende_evaluatie(ev, defs) == planned
    ev.gesprek.volgende_evaluatie = None  # nothing planned: the interval after the last gesprek
    assert tr.volgende_evaluatie(ev, defs) == TODAY + dt.timedelta(days=91)
    af = forms.start_gesprek(v1, GesprekSoort.AFSLUITING, planned)
    assert tr.fase(af) is tr.Fase.AFSLUITING
    af.gesprek.afsluiting = forms.Afsluiting(waakvlam=planned + dt.timedelta(days=90))
    assert tr.waakvlam(af) is None  # not closed yet
    af.definitief = forms.Finalisation(sha256=forms.content_hash(af), op=NOW)
    assert tr.fase(af) is tr.Fase.AFGESLOTEN and tr.is_closed(af)
    assert tr.waakvlam(af) == planned + dt.timedelta(days=90)
    assert tr.volgende_evaluatie(af, defs) is None and not tr.te_laat(af, planned + dt.timedelta(days=999), defs)


def test_demo_trajectory_timeline_and_safety(defs):
    today = dt.date(2026, 5, 20)
    demo = demo_trajectory(today)
    v1, v2 = demo.versions
    cur = demo.current
    assert [v.gesprek.soort for v in demo.versions] == [GesprekSoort.INTAKE, GesprekSoort.EVALUATIE]
    assert all(forms.verify(v) for v in demo.versions)
    assert cur.definitief is None and cur.versie == 3 and cur.gesprek.datum == today
    assert [r.soort for r in cur.vorige_versies] == [GesprekSoort.INTAKE, GesprekSoort.EVALUATIE]

    line = tr.timeline(cur, defs)
    assert [e.datum for e in line] == sorted(e.datum for e in line)
    gesprekken = [(e.titel, e.versie) for e in line if e.kind == "gesprek"]
    assert gesprekken == [("Intake", 1), ("Evaluatie", 2), ("Evaluatie", 3)]
    assert [e.titel for e in line if e.kind == "planversie"] == ["Planversie 1", "Planversie 2"]
    kb = [e for e in line if e.kind == "kernbeslissing"]
    assert len(kb) == 1 and kb[0].titel == "Kernbeslissing: Veiligheid verslechterd (Noor)"
    assert "Gedragswetenschapper (demo)" in kb[0].detail and kb[0].versie == 2
    assert "nog niet definitief" in line[-1].detail

    noor = next(m for m in cur.huishouden.leden if m.voornaam == "Noor")
    history = tr.safety_history(cur)[noor.id]
    assert [(p.soort, p.risico) for p in history] == [
        (GesprekSoort.INTAKE, RiskLater.LAAG),
        (GesprekSoort.EVALUATIE, RiskLater.VERHOOGD),
    ]
    assert all(p.veiligheid_nu is SafetyNow.VEILIG for p in history)
    first, previous = tr.first_and_previous(cur, noor.id)
    assert first is not None and previous is not None
    assert first.gesprek_id == v1.gesprek.id and previous.gesprek_id == v2.gesprek.id
    # at the evaluatie itself, its own assessment is not "previous"
    first2, previous2 = tr.first_and_previous(v2, noor.id)
    assert first2 == first and previous2 is not None and previous2.gesprek_id == v1.gesprek.id

    assert tr.fase(cur) is tr.Fase.EVALUATIE
    assert tr.volgende_evaluatie(cur, defs) == v2.gesprek.volgende_evaluatie == today + dt.timedelta(weeks=4)
    assert not tr.te_laat(cur, today, defs)


def test_every_demo_version_keeps_the_final_invariants(defs):
    demo = demo_trajectory(dt.date(2026, 5, 20))
    for v in demo.versions:
        assert forms.final_problems(v, defs) == []
    noor_kb = demo.versions[1].kernbeslissingen[0]
    assert noor_kb.soort == "veiligheid_verslechterd" and noor_kb.raadplegingen


def test_a_reopened_intake_keeps_its_planned_evaluation(defs):
    v1 = final_intake()
    again = forms.new_version(v1)
    assert tr.fase(again) is tr.Fase.INTAKE
    assert tr.volgende_evaluatie(again, defs) == v1.gesprek.volgende_evaluatie
