"""Property-based tests: for varied, mostly-valid fictional dossiers, finalise succeeds
exactly when nothing blocks, and a child without a concluded assessment never finalises."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kt_families import DOMAIN_SET, TODAY, born, complete_family

import forms
from forms import (
    Action,
    Consent,
    Consultation,
    ContactStatus,
    Goal,
    ItemAnswer,
    MeldcodeRecord,
    Partner,
    RiskLater,
    Role,
    SafetyNow,
    VeiligThuisMelding,
    Voice,
)
from forms.definitions import shipped_definitions

DEFS = shipped_definitions()
NOW = dt.datetime.combine(TODAY, dt.time(15, 0), tzinfo=dt.UTC)
MELDCODE = DEFS.current_refs().meldcode
SIGNALS = DEFS.instrument().signal_ids()
QUESTIONS = [q.id for q in DEFS.meldcode().stappen]
DOMAINS = DEFS.domain_set(DOMAIN_SET).ids
PROFILE = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Breaker = Callable[[forms.Dossier, Callable], None]


def _pick(draw, items):
    return draw(st.sampled_from(items)) if items else None


# --- ways to leave a section incomplete (or change it validly) ------------------------------


def contact(d, draw):
    m = _pick(draw, d.huishouden.leden)
    if m is None:
        return
    action = draw(st.sampled_from(["drop", "niet", "gezien", "reden"]))
    if action == "drop":
        d.gesprek.contacten = [c for c in d.gesprek.contacten if c.member_id != m.id]
    elif (c := d.contact(m.id)) is not None:
        if action == "niet":
            c.status = ContactStatus.NIET
        elif action == "gezien":
            c.status = ContactStatus.GEZIEN
        else:
            c.reden = "Reden genoteerd."


def domain(d, draw):
    e = _pick(draw, d.leefgebieden)
    if e is None:
        return
    action = draw(st.sampled_from(["drop", "open", "nvt", "nvt_reden", "leeg", "zorgen", "zrm"]))
    if action == "drop":
        d.leefgebieden = [x for x in d.leefgebieden if x.id != e.id]
    elif action == "open":
        e.besproken = False
    elif action == "nvt":
        e.besproken = False
        e.niet_van_toepassing = True
    elif action == "nvt_reden":
        e.besproken = False
        e.niet_van_toepassing = True
        e.nvt_reden = "Niet van toepassing omdat ..."
    elif action == "leeg":
        e.krachten = ""
    elif action == "zorgen":
        e.zorgen = "Zorgen genoteerd."
    else:
        e.zrm = draw(st.none() | st.integers(1, 5))


def safety(d, draw):
    child = _pick(draw, d.children())
    if child is None:
        return
    a = d.latest_assessment(child.id)
    action = draw(st.sampled_from(["drop", "unfinish", "judge", "signal", "rationale", "item"]))
    if action == "drop" or a is None:
        d.veiligheid = [x for x in d.veiligheid if x.child_id != child.id]
    elif action == "unfinish":
        a.afgerond = False
    elif action == "judge":
        a.veiligheid_nu = draw(st.none() | st.sampled_from(list(SafetyNow)))
        a.risico = draw(st.none() | st.sampled_from(list(RiskLater)))
        a.consultatie = draw(
            st.none()
            | st.builds(
                Consultation,
                met=st.sampled_from(["collega", "gedragswetenschapper"]),
                datum=st.just(TODAY),
                uitkomst=st.sampled_from(["", "Besproken, eens."]),
            )
        )
    elif action == "signal":
        a.antwoorden[draw(st.sampled_from(SIGNALS))] = ItemAnswer(aanwezig=True)
    elif action == "rationale":
        a.onderbouwing = ""
    else:
        a.antwoorden.pop(draw(st.sampled_from(SIGNALS)), None)


def meldcode(d, draw):
    answers = draw(st.dictionaries(st.sampled_from(QUESTIONS), st.none() | st.booleans(), max_size=5))
    melding = draw(st.none() | st.just(VeiligThuisMelding(datum=TODAY, referentie="VT-1")))
    d.meldcode = MeldcodeRecord(definitie=MELDCODE, antwoorden=answers, melding=melding)


def hulpvraag(d, draw):
    d.hulpvraag = forms.Hulpvraag(
        tekst=draw(st.sampled_from(["", "Rust in huis."])), stem=draw(st.none() | st.sampled_from(list(Voice)))
    )


def plan(d, draw):
    action = draw(st.sampled_from(["analyse", "perspectief", "doelen", "regisseur", "extra_doel"]))
    if action == "analyse":
        d.plan.probleemanalyse = ""
    elif action == "perspectief":
        d.plan.perspectief = ""
    elif action == "doelen":
        d.plan.doelen = []
    elif action == "regisseur":
        d.plan.regisseur = None
    else:
        d.plan.doelen = [
            *d.plan.doelen,
            Goal(
                prioriteit=draw(st.integers(1, 3)),
                omschrijving="Nog een doel.",
                resultaat=draw(st.sampled_from(["", "Concreet resultaat."])),
                eigenaar=draw(st.sampled_from(["", "Ouder"])),
                streefdatum=draw(st.none() | st.just(TODAY + dt.timedelta(days=30))),
                domeinen=draw(st.lists(st.sampled_from(DOMAINS), max_size=2)),
                acties=draw(st.lists(st.just(Action(omschrijving="Iets doen", wie="Ouder", wanneer=TODAY)), max_size=1)),
            ),
        ]


def fgp(d, draw):
    aangeboden = draw(st.none() | st.booleans())
    uitkomst = draw(st.none() | st.sampled_from(["geaccepteerd", "afgewezen", "in_voorbereiding"]))
    d.familiegroepsplan = forms.Familiegroepsplan(aangeboden=aangeboden, uitkomst=uitkomst)


def partner(d, draw):
    consent = draw(st.none() | st.just(Consent(contact_toegestaan=True, delen_toegestaan=False, datum=TODAY)))
    d.partners = [*d.partners, Partner(organisatie="Partner", domeinen=draw(st.lists(st.sampled_from(DOMAINS), max_size=2)), toestemming=consent)]


BREAKERS: list[Breaker] = [contact, domain, safety, meldcode, hulpvraag, plan, fgp, partner]


@st.composite
def members(draw):
    out = []
    n = draw(st.integers(0, 6))
    for i in range(n):
        age = draw(st.integers(0, 80))
        rol = draw(st.sampled_from([Role.OUDER, Role.OVERIG]) if age >= 18 else st.sampled_from([Role.KIND, Role.KIND, Role.OVERIG]))
        out.append(
            forms.Member(
                voornaam=f"Lid{i}",
                achternaam="Verzonnen",
                geboortedatum=born(TODAY, age, draw(st.integers(0, 364))),
                rol=rol,
            )
        )
    return out


@st.composite
def dossiers(draw):
    d = complete_family(draw(members()))
    for breaker in draw(st.lists(st.sampled_from(BREAKERS), max_size=4)):
        breaker(d, draw)
    return d


def _finalises(d) -> bool:
    try:
        final = forms.finalise(d, DEFS, now=NOW)
    except forms.IncompleteDossier as exc:
        assert exc.gaps and all(g.blokkerend for g in exc.gaps)
        return False
    assert forms.verify(final)
    return True


@PROFILE
@given(dossiers())
def test_finalise_succeeds_exactly_when_nothing_blocks(d):
    found = forms.gaps(d, DEFS, today=TODAY)
    blocking = [g for g in found if g.blokkerend]
    assert _finalises(d) is (not blocking)
    # deterministic, sorted by step, every code catalogued
    assert forms.gaps(d, DEFS, today=TODAY) == found
    steps = [forms.SECTIONS.index(g.location.section) for g in found]
    assert steps == sorted(steps)
    assert all(g.code in forms.RULES and g.severity is forms.RULES[g.code][0] for g in found)


@PROFILE
@given(dossiers())
def test_a_child_without_a_concluded_assessment_never_finalises(d):
    lacking = [
        c.id
        for c in d.children()
        if (a := d.latest_assessment(c.id)) is None or not a.afgerond or not a.onderbouwing
    ]
    if lacking:
        assert not _finalises(d)
        named = {g.location.member_id for g in forms.gaps(d, DEFS, today=TODAY) if g.blokkerend and g.location.section == "veiligheid"}
        assert set(lacking) <= named


@PROFILE
@given(dossiers())
def test_json_round_trip_keeps_gaps_and_hash(d):
    again = forms.Dossier.model_validate(json.loads(d.model_dump_json()))
    assert forms.content_hash(again) == forms.content_hash(d)
    assert forms.gaps(again, DEFS, today=TODAY) == forms.gaps(d, DEFS, today=TODAY)
