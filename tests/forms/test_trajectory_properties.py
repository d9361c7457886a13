"""Properties of the trajectory: however many gesprekken follow each other, every
finalised version stays verifiable, is referenced by its hash, and its plan versions and
records are carried unchanged; the timeline lists each gesprek once."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kt_families import family_of_five
from kt_trajectory import at_the_table, evaluate_goals, kernbeslissing, reassess

import forms
from forms import trajectory as tr
from forms.demo import sign_at_the_table
from forms.models import Action, Afsluiting, DoelUitkomst, GesprekSoort, PartnerGeinformeerd

START = dt.date(2025, 1, 6)


def _held(on: dt.date) -> dt.datetime:
    return dt.datetime.combine(on, dt.time(16), tzinfo=dt.UTC)


def _evaluatie(final: forms.Dossier, on: dt.date, uitkomst: DoelUitkomst, change_plan: bool) -> forms.Dossier:
    d = forms.start_gesprek(final, GesprekSoort.EVALUATIE, on)
    at_the_table(d)
    evaluate_goals(d, uitkomst)
    reassess(d)
    if change_plan:
        d.plan.doelen[0].acties.append(Action(omschrijving=f"Extra actie {on}", wie="wijkcoach", wanneer=on))
    d.gesprek.plan_reden = "Besproken met het gezin."
    d.gesprek.volgende_evaluatie = on + dt.timedelta(weeks=6)
    sign_at_the_table(d)
    return forms.finalise(d, now=_held(on))


def _afsluiting(final: forms.Dossier, on: dt.date) -> forms.Dossier:
    d = forms.start_gesprek(final, GesprekSoort.AFSLUITING, on)
    at_the_table(d)
    evaluate_goals(d, DoelUitkomst.BEHAALD)
    reassess(d)
    kernbeslissing(d, "afsluiten_met_kinderen")
    d.gesprek.afsluiting = Afsluiting(
        zelfstandig_verder=True,
        geinformeerd=[PartnerGeinformeerd(partner_id=p.id, datum=on, hoe="per brief") for p in d.partners],
        resultaat="zelfstandig_verder",
    )
    sign_at_the_table(d)
    return forms.finalise(d, now=_held(on))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(st.tuples(st.sampled_from(list(DoelUitkomst)), st.booleans()), max_size=3),
    close=st.booleans(),
)
def test_every_earlier_version_stays_verifiable(steps, close):
    finals = [forms.finalise(family_of_five(START), now=_held(START))]
    on = START
    for uitkomst, change in steps:
        on += dt.timedelta(weeks=6)
        finals.append(_evaluatie(finals[-1], on, uitkomst, change))
    if close:
        on += dt.timedelta(weeks=6)
        finals.append(_afsluiting(finals[-1], on))
    last = finals[-1]
    assert [f.versie for f in finals] == list(range(1, len(finals) + 1))
    for earlier in finals:
        assert forms.verify(earlier) and forms.storage_problems(earlier) == []
    assert [r.sha256 for r in last.vorige_versies] == [f.definitief.sha256 for f in finals[:-1]]
    for a, b in itertools.pairwise(finals):
        assert b.plan_versies[: len(a.plan_versies)] == a.plan_versies  # plan versions only grow
        assert b.veiligheid[: len(a.veiligheid)] == a.veiligheid  # earlier assessments unchanged
        assert b.kernbeslissingen[: len(a.kernbeslissingen)] == a.kernbeslissingen
    changes = sum(1 for _u, c in steps if c)
    assert len(last.plan_versies) == 1 + changes
    gesprekken = [e for e in tr.timeline(last) if e.kind == "gesprek"]
    assert [e.versie for e in gesprekken] == [f.versie for f in finals]
    assert tr.fase(last) is (tr.Fase.AFGESLOTEN if close else tr.Fase.LOPEND)
