"""The demo household's trajectory for the T10-T14 tests: a complete evaluatie and a
complete afsluiting after the demo's two finalised gesprekken, built to finalise, then
broken one way at a time in the tests. All names are invented."""

from __future__ import annotations

import datetime as dt

import forms
from forms.demo import child_assessment, demo_signature_png, demo_trajectory, sign_at_the_table
from forms.models import (
    Afsluiting,
    ContactRecord,
    ContactStatus,
    DoelEvaluatie,
    DoelUitkomst,
    Dossier,
    GesprekSoort,
    ItemAnswer,
    Kernbeslissing,
    Member,
    PartnerGeinformeerd,
    Raadpleging,
    RiskLater,
    SafetyNow,
    Signature,
)

TODAY = dt.date(2026, 5, 20)
NOW = dt.datetime.combine(TODAY, dt.time(17, 0), tzinfo=dt.UTC)


def child(d: Dossier, voornaam: str) -> Member:
    return next(m for m in d.huishouden.leden if m.voornaam == voornaam)


def at_the_table(d: Dossier) -> None:
    on = d.gesprek.datum
    d.gesprek.aanwezig = [m.id for m in d.huishouden.leden]
    d.gesprek.contacten = [
        ContactRecord(member_id=m.id, status=ContactStatus.GEZIEN if m.age_on(on) < 4 else ContactStatus.GESPROKEN)
        for m in d.huishouden.leden
    ]


def evaluate_goals(d: Dossier, uitkomst: DoelUitkomst = DoelUitkomst.DEELS) -> None:
    d.gesprek.doel_evaluaties = [
        DoelEvaluatie(goal_id=g.id, uitkomst=uitkomst, familie="Het gaat beter, maar nog niet helemaal.", coach="Voortgang zichtbaar.")
        for g in d.plan.doelen
    ]


def reassess(d: Dossier, **judgments: tuple[SafetyNow, RiskLater]) -> None:
    """A new, concluded assessment of every child at this gesprek: the previous judgment
    again, unless ``judgments`` gives another (first name -> (now, risk))."""
    on = d.gesprek.datum
    new = []
    for c in d.children():
        before = d.latest_assessment(c.id)
        assert before is not None
        now, risk = judgments.get(c.voornaam, (before.veiligheid_nu, before.risico))
        a = child_assessment(c, on, now=now, risk=risk, onderbouwing=f"Opnieuw beoordeeld: {now.label.lower()}.")
        if now is not SafetyNow.VEILIG:
            a.antwoorden["signaal_letsel"] = ItemAnswer(aanwezig=True, toelichting="Blauwe plekken gezien.")
        a.gesprek_id = d.gesprek.id
        new.append(a)
    d.veiligheid = [*d.veiligheid, *new]


def raadpleging(on: dt.date) -> Raadpleging:
    return Raadpleging(
        met="collega", naam="Collega (demo)", datum=on, over="Is dit de juiste beslissing?", uitkomst="Ja, eens."
    )


def kernbeslissing(d: Dossier, soort: str, child_id=None, **fields) -> Kernbeslissing:
    kb = Kernbeslissing(
        gesprek_id=d.gesprek.id,
        datum=d.gesprek.datum,
        soort=soort,
        child_id=child_id,
        beslissing=fields.pop("beslissing", "Besloten na overleg."),
        raadplegingen=fields.pop("raadplegingen", [raadpleging(d.gesprek.datum)]),
        informatie=fields.pop("informatie", "Gesprek met het gezin en de beoordelingen."),
        veiligheidsplan_nodig=fields.pop("veiligheidsplan_nodig", False),
        **fields,
    )
    d.kernbeslissingen = [*d.kernbeslissingen, kb]
    return kb


def demo_versions() -> tuple[Dossier, Dossier]:
    demo = demo_trajectory(TODAY)
    return demo.versions[0], demo.versions[1]


def complete_evaluatie() -> Dossier:
    """The demo's second evaluatie (versie 3), complete: nothing blocks."""
    d = demo_trajectory(TODAY).current
    at_the_table(d)
    evaluate_goals(d)
    reassess(d)
    d.gesprek.volgende_evaluatie = TODAY + dt.timedelta(weeks=6)
    sign_at_the_table(d)
    return d


def complete_afsluiting() -> Dossier:
    """An afsluiting after the demo's evaluatie (versie 3), complete: nothing blocks."""
    _v1, v2 = demo_versions()
    d = forms.start_gesprek(v2, GesprekSoort.AFSLUITING, TODAY)
    at_the_table(d)
    evaluate_goals(d, DoelUitkomst.BEHAALD)
    reassess(d)
    kernbeslissing(d, "afsluiten_met_kinderen", beslissing="Het traject wordt afgesloten: de kinderen zijn veilig en het gezin redt zich.")
    d.gesprek.afsluiting = Afsluiting(
        zelfstandig_verder=True,
        geinformeerd=[PartnerGeinformeerd(partner_id=p.id, datum=TODAY, hoe="telefonisch") for p in d.partners],
        resultaat="zelfstandig_verder",
        waakvlam=TODAY + dt.timedelta(days=90),
    )
    sign_at_the_table(d)
    return d


def signed(member_id, naam: str) -> Signature:
    return Signature(member_id=member_id, naam=naam, datum=TODAY, afbeelding_png=demo_signature_png())


def blocking_codes(d: Dossier) -> list[str]:
    return [g.code for g in forms.gaps(d, today=TODAY) if g.blokkerend]


def gaps_of(d: Dossier, code: str) -> list[forms.Gap]:
    return [g for g in forms.gaps(d, today=TODAY) if g.code == code]
