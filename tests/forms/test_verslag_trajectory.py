"""The verslagen after the intake (issue 13): evaluatieverslag, afsluitverslag, veiligheidsplan.

The fictional demo family (forms.demo) walks a trajectory: an intake; an evaluatie at
which Noor is judged unsafe (a consultation, a kernbeslissing with a veiligheidsplan and
an opschaling to Veilig Thuis, Meldcode step 5 answered "nee" with a new report, the plan
changed); an afsluiting with follow-up at a named partner and a waakvlam. Every version
passes forms.finalise. The PDFs are read back with pypdf and page 1 is rendered with
PDFium (into pytest's tmp_path, never into the repository).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from forms.demo import child_assessment, demo_signature_png, demo_trajectory, sign_at_the_table
from forms.finalise import finalise, start_gesprek
from forms.models import (
    Action,
    Afsluiting,
    Afspraak,
    DefinitionRef,
    DoelEvaluatie,
    DoelUitkomst,
    Dossier,
    GesprekSoort,
    Goal,
    ItemAnswer,
    Kernbeslissing,
    MeldcodeRecord,
    Opschaling,
    PartnerGeinformeerd,
    Raadpleging,
    RiskLater,
    SafetyNow,
    Signature,
    Veiligheidsplan,
    VeiligThuisMelding,
)
from forms.verslag import (
    AFSLUITING_HEADINGS,
    EVALUATIE_HEADINGS,
    SECTION_HEADINGS,
    VEILIGHEIDSPLAN_HEADINGS,
    GeenVeiligheidsplan,
    VerslagSettings,
    build_pdf,
    build_veiligheidsplan_pdf,
    page_count,
)
from forms.verslag.render import render_pages
from tests.forms.test_verslag import flat, page_texts, reader

DEMO_TODAY = dt.date(2025, 10, 27)  # demo_trajectory: intake 1 September, evaluatie 13 October
EVAL_DAY = dt.date(2025, 11, 24)  # the evaluatie the demo planned
CLOSE_DAY = dt.date(2026, 1, 19)
MELDCODE = DefinitionRef(id="meldcode-afwegingskader", version=1)
SETTINGS = VerslagSettings(
    gemeente="Gemeente Den Helder", team="Sociaal Wijkteam Den Helder-Centrum", wijkcoach="Wijkcoach (demo)"
)


# --- the trajectory ----------------------------------------------------------------------


def held(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(15, 0), tzinfo=dt.UTC)


def start(final: Dossier, intake: Dossier, soort: GesprekSoort, day: dt.date) -> Dossier:
    """The next gesprek after ``final``, with the same people at the table as at the intake."""
    nxt = start_gesprek(final, soort, day)
    nxt.gesprek.plaats = intake.gesprek.plaats
    nxt.gesprek.aanwezig = list(intake.gesprek.aanwezig)
    nxt.gesprek.contacten = [c.model_copy() for c in intake.gesprek.contacten]
    return nxt


@dataclass
class Trajectory:
    intake: Dossier
    eerste_evaluatie: Dossier  # the demo's: Noor's risk higher, a kernbeslissing, a goal for Noor
    evaluatie: Dossier  # Noor unsafe: veiligheidsplan, opschaling, Meldcode step 5 "nee"
    afsluiting: Dossier
    kernbeslissing_id: UUID  # the one with the veiligheidsplan


def second_evaluatie(v2: Dossier, intake: Dossier) -> tuple[Dossier, UUID]:
    ev = start(v2, intake, GesprekSoort.EVALUATIE, EVAL_DAY)
    g = ev.gesprek
    by_name = {m.voornaam: m for m in ev.huishouden.leden}
    daan, noor, lieke, sanne = by_name["Daan"], by_name["Noor"], by_name["Liëke"], by_name["Sanne"]
    goals = sorted(ev.plan.doelen, key=lambda goal: goal.prioriteit)  # Daan, schulden, ouders, Noor
    g.doel_evaluaties = [
        DoelEvaluatie(goal_id=goals[0].id, uitkomst=DoelUitkomst.DEELS,
                      familie="Daan gaat weer, maar op maandag blijft hij vaak thuis.",
                      coach="Verzuim gehalveerd volgens de mentor; de maandag is het knelpunt."),
        DoelEvaluatie(goal_id=goals[1].id, uitkomst=DoelUitkomst.BEHAALD,
                      familie="Alle schulden staan op papier; de regeling loopt.",
                      coach="Betalingsregeling getekend bij schuldhulpverlening."),
        DoelEvaluatie(goal_id=goals[2].id, uitkomst=DoelUitkomst.NIET_BEHAALD,
                      familie="We zijn er nog niet aan toegekomen.",
                      coach="Geen vaste oppasmomenten; Sanne slaapt nog slecht."),
        DoelEvaluatie(goal_id=goals[3].id, uitkomst=DoelUitkomst.NIET_BEHAALD,
                      familie="Noor is stil en wil niet over thuis praten.",
                      coach="Noor vertelt op school over ruzies thuis."),
    ]
    new = [
        child_assessment(daan, EVAL_DAY, risk=RiskLater.VERHOOGD,
                         onderbouwing="Geen signalen; het verzuim neemt af. De spanningen thuis blijven een risico."),
        child_assessment(
            noor, EVAL_DAY, now=SafetyNow.ONVEILIG, risk=RiskLater.HOOG,
            onderbouwing="Noor vertelt op school over harde ruzies thuis waarbij met spullen wordt gegooid; "
            "ze is bang als het 's avonds onrustig wordt.",
            signaal_angst=ItemAnswer(aanwezig=True, toelichting="Bang als het onrustig wordt."),
            signaal_getuige_geweld=ItemAnswer(aanwezig=True, toelichting="Ziet ruzies waarbij wordt gegooid."),
            risico_gezin_stapeling=ItemAnswer(aanwezig=True),
        ),
        child_assessment(lieke, EVAL_DAY, risk=RiskLater.VERHOOGD,
                         onderbouwing="Geen signalen; goed verzorgd. Jong en afhankelijk terwijl de ouders onder druk staan."),
    ]
    for a in new:
        a.gesprek_id = g.id
    ev.veiligheid = [*ev.veiligheid, *new]
    melding = VeiligThuisMelding(datum=EVAL_DAY, referentie="VT-2025-0042")
    ev.meldcode = MeldcodeRecord(
        definitie=MELDCODE,
        antwoorden={"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True,
                    "hulp_aanvaard": True, "hulp_resultaat": False},
        toelichting="De ruzies thuis zijn niet minder geworden ondanks de hulp.",
        melding=melding,
    )
    g.meldcode_stap5 = False
    g.meldcode_stap5_toelichting = "De spanningen thuis zijn toegenomen; Noor is er bang door."
    g.nieuwe_melding = melding
    gedragswetenschapper = Raadpleging(
        met="gedragswetenschapper", naam="Gedragswetenschapper (demo)", datum=EVAL_DAY,
        over="Is vrijwillige hulp nog genoeg voor de veiligheid van Noor?",
        uitkomst="Nee: melden bij Veilig Thuis en een veiligheidsplan maken.",
    )
    png = demo_signature_png()
    onveilig = Kernbeslissing(
        gesprek_id=g.id,
        datum=EVAL_DAY,
        soort="onveilig_oordeel",
        child_id=noor.id,
        beslissing="Met de ouders een veiligheidsplan voor Noor; de wijkcoach volgt het wekelijks.",
        raadplegingen=[
            gedragswetenschapper,
            Raadpleging(met="partner", naam="Fictief College De Duinen", datum=EVAL_DAY - dt.timedelta(days=2),
                        over="Wat ziet school bij Noor?", uitkomst="Stiller, vertelt over ruzies thuis."),
        ],
        informatie="Gesprek met Noor en de ouders; de melding van school; de inschattingen van de intake en nu.",
        veiligheidsplan_nodig=True,
        veiligheidsplan=Veiligheidsplan(
            afspraken=[
                Afspraak(wat="Bij een ruzie gaat Emre een half uur naar buiten om af te koelen.",
                         wie="Emre", wanneer=EVAL_DAY),
                Afspraak(wat="Noor mag altijd naar oma Bakker; oma is telefonisch bereikbaar.",
                         wie="Oma Bakker", wanneer=EVAL_DAY),
                Afspraak(wat="De wijkcoach belt elke week met Sanne en Emre over hoe het gaat.",
                         wie="Wijkcoach", wanneer=EVAL_DAY + dt.timedelta(days=7)),
            ],
            handtekeningen=[
                Signature(member_id=sanne.id, naam=sanne.naam, plaats="Den Helder", datum=EVAL_DAY, afbeelding_png=png),
                Signature(member_id=None, naam="Wijkcoach (demo)", plaats="Den Helder", datum=EVAL_DAY,
                          afbeelding_png=png),
            ],
        ),
    )
    opschaling = Kernbeslissing(
        gesprek_id=g.id, datum=EVAL_DAY, soort="opschaling", child_id=noor.id,
        beslissing="Melding bij Veilig Thuis: de hulp leidt niet op tijd tot veiligheid voor Noor.",
        raadplegingen=[gedragswetenschapper],
        informatie="Het afwegingskader van de Meldcode en de inschatting van Noor.",
        veiligheidsplan_nodig=False,
    )
    ev.kernbeslissingen = [*ev.kernbeslissingen, onveilig, opschaling]
    ev.opschalingen = [
        Opschaling(gesprek_id=g.id, datum=EVAL_DAY, naar="veilig_thuis",
                   reden="De ruzies thuis maken Noor bang; de hulp leidt niet op tijd tot veiligheid.",
                   uitkomst="Veilig Thuis onderzoekt; het wijkteam blijft de regie houden.",
                   kernbeslissing_id=opschaling.id),
    ]
    goals[2].streefdatum = EVAL_DAY + dt.timedelta(weeks=10)
    goals[2].acties.append(Action(omschrijving="Aanmelden bij de oppascentrale", wie="Sanne",
                                  wanneer=EVAL_DAY + dt.timedelta(days=14)))
    goals[3].prioriteit = 2
    goals[3].acties.append(Action(omschrijving="Het veiligheidsplan samen naleven", wie="Sanne en Emre"))
    ev.plan.doelen = [goal for goal in ev.plan.doelen if goal.id != goals[1].id] + [
        Goal(prioriteit=5, omschrijving="Ruzies thuis lopen niet meer uit de hand.",
             resultaat="Geen ruzies met gooien; Noor vertelt zelf dat ze niet bang is.",
             eigenaar="Sanne en Emre", streefdatum=EVAL_DAY + dt.timedelta(weeks=6),
             domeinen=["opvoeding_gezin", "veiligheid"],
             acties=[Action(omschrijving="Cursus omgaan met boosheid", wie="Emre",
                            wanneer=EVAL_DAY + dt.timedelta(weeks=2))]),
    ]
    g.plan_reden = "Noor is niet veilig thuis: haar veiligheid gaat nu voor. De schulden zijn geregeld."
    g.volgende_evaluatie = EVAL_DAY + dt.timedelta(weeks=6)
    return finalise(sign_at_the_table(ev), now=held(EVAL_DAY)), onveilig.id


def afsluiting(v3: Dossier, intake: Dossier) -> Dossier:
    af = start(v3, intake, GesprekSoort.AFSLUITING, CLOSE_DAY)
    g = af.gesprek
    g.doel_evaluaties = [
        DoelEvaluatie(goal_id=goal.id, uitkomst=DoelUitkomst.BEHAALD,
                      familie="Het gaat nu goed; we weten wat we moeten doen.",
                      coach="Afspraken worden nagekomen; school ziet het ook.")
        for goal in sorted(af.plan.doelen, key=lambda goal: goal.prioriteit)
    ]
    g.doel_evaluaties[-1].uitkomst = DoelUitkomst.DEELS
    by_name = {m.voornaam: m for m in af.huishouden.leden}
    final_checks = [
        child_assessment(by_name["Daan"], CLOSE_DAY, risk=RiskLater.LAAG),
        child_assessment(by_name["Noor"], CLOSE_DAY, risk=RiskLater.VERHOOGD,
                         onderbouwing="Geen signalen meer; het veiligheidsplan werkt. De thuissituatie blijft kwetsbaar."),
        child_assessment(by_name["Liëke"], CLOSE_DAY, risk=RiskLater.LAAG),
    ]
    for a in final_checks:
        a.gesprek_id = g.id
    af.veiligheid = [*af.veiligheid, *final_checks]
    school, schuldhulp = af.partners
    g.afsluiting = Afsluiting(
        zelfstandig_verder=False,
        vervolg_partner_id=schuldhulp.id,
        vervolg_afspraak="Schuldhulpverlening begeleidt de betalingsregeling tot die is afgelost.",
        geinformeerd=[
            PartnerGeinformeerd(partner_id=school.id, datum=CLOSE_DAY, hoe="telefonisch"),
            PartnerGeinformeerd(partner_id=schuldhulp.id, datum=CLOSE_DAY, hoe="warme overdracht aan tafel"),
        ],
        resultaat="overgedragen",
        waakvlam=CLOSE_DAY + dt.timedelta(weeks=12),
        toelichting="Het gezin weet de weg naar het wijkteam als het weer lastiger wordt.",
    )
    af.kernbeslissingen = [
        *af.kernbeslissingen,
        Kernbeslissing(
            gesprek_id=g.id, datum=CLOSE_DAY, soort="afsluiten_met_kinderen",
            beslissing="De hulp van het wijkteam stopt; schuldhulpverlening gaat door.",
            raadplegingen=[Raadpleging(met="collega", naam="Collega wijkcoach (demo)", datum=CLOSE_DAY,
                                       over="Kan het gezin zonder ons verder?", uitkomst="Ja, met een waakvlam.")],
            informatie="De evaluatie van de doelen en de laatste veiligheidscheck.",
            veiligheidsplan_nodig=False,
        ),
    ]
    return finalise(sign_at_the_table(af), now=held(CLOSE_DAY))


def walk() -> Trajectory:
    """The demo's intake and first evaluatie, then a second evaluatie and the afsluiting."""
    intake, first = demo_trajectory(DEMO_TODAY).versions
    evaluatie, kb_id = second_evaluatie(first, intake)
    return Trajectory(intake, first, evaluatie, afsluiting(evaluatie, intake), kb_id)


@pytest.fixture(scope="module")
def trajectory() -> Trajectory:
    return walk()


@pytest.fixture(scope="module")
def evaluatie_pdf(trajectory: Trajectory) -> bytes:
    return build_pdf(trajectory.evaluatie, settings=SETTINGS)


@pytest.fixture(scope="module")
def afsluiting_pdf(trajectory: Trajectory) -> bytes:
    return build_pdf(trajectory.afsluiting, settings=SETTINGS)


@pytest.fixture(scope="module")
def plan_pdf(trajectory: Trajectory) -> bytes:
    return build_veiligheidsplan_pdf(trajectory.evaluatie, trajectory.kernbeslissing_id, settings=SETTINGS)


# --- reading back ------------------------------------------------------------------------


def between(text: str, start: str, end: str) -> str:
    """The text from ``start`` to the first ``end`` after it (one section of the verslag)."""
    begin = text.index(start)
    return text[begin:text.index(end, begin + len(start))]


def names(d: Dossier) -> list[str]:
    return [part for m in d.huishouden.leden for part in (m.voornaam, m.achternaam)]


# --- every kind -----------------------------------------------------------------------------

KINDS = ["evaluatie", "afsluiting", "veiligheidsplan"]
TITLES = {"evaluatie": "Evaluatieverslag", "afsluiting": "Afsluitverslag", "veiligheidsplan": "Veiligheidsplan"}
HEADINGS = {"evaluatie": EVALUATIE_HEADINGS, "afsluiting": AFSLUITING_HEADINGS, "veiligheidsplan": VEILIGHEIDSPLAN_HEADINGS}


@pytest.fixture(scope="module")
def pdfs(evaluatie_pdf: bytes, afsluiting_pdf: bytes, plan_pdf: bytes) -> dict[str, bytes]:
    return {"evaluatie": evaluatie_pdf, "afsluiting": afsluiting_pdf, "veiligheidsplan": plan_pdf}


def dossier_of(kind: str, t: Trajectory) -> Dossier:
    return t.afsluiting if kind == "afsluiting" else t.evaluatie


@pytest.mark.parametrize("kind", KINDS)
def test_title_headings_and_no_concept(kind: str, pdfs: dict[str, bytes]) -> None:
    pdf = pdfs[kind]
    first = " ".join(page_texts(pdf)[0].split())
    assert first.startswith("Gemeente Den Helder")
    assert TITLES[kind] in first and "Familie Bakker-Yılmaz" in first
    text = flat(pdf)
    assert [h for h in HEADINGS[kind] if h not in text] == []
    assert "CONCEPT" not in text
    assert "Gesprek-adviesverslag" not in text  # the intake's title is the intake's only


@pytest.mark.parametrize("kind", KINDS)
def test_hash_footer_and_page_x_of_y(kind: str, pdfs: dict[str, bytes], trajectory: Trajectory) -> None:
    pdf = pdfs[kind]
    d = dossier_of(kind, trajectory)
    assert d.definitief is not None
    printed = re.findall(r"SHA-256: ([0-9a-f]{64})", flat(pdf))
    assert printed == [d.definitief.sha256]
    pages = page_texts(pdf)
    assert page_count(pdf) == len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
        assert f"code {d.definitief.sha256[:12]}" in page and f"versie {d.versie}" in page
    if len(pages) > 1:
        assert f"{TITLES[kind]} · Familie Bakker-Yılmaz" in pages[1]  # the later pages' header


@pytest.mark.parametrize("kind", KINDS)
def test_metadata_names_the_kind_not_the_family(kind: str, pdfs: dict[str, bytes], trajectory: Trajectory) -> None:
    d = dossier_of(kind, trajectory)
    meta = reader(pdfs[kind]).metadata
    assert meta["/Title"] == f"{TITLES[kind]}, dossier {d.id.hex[:8].upper()}"
    assert meta["/CreationDate"].startswith(f"D:{d.gesprek.datum:%Y%m%d}150000")
    text = " ".join(str(v) for v in meta.values())
    leaked = [n for n in names(d) if n in text]
    assert leaked == []
    assert "Bakker" not in text and "Noor" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_same_bytes_from_stored_json(kind: str, pdfs: dict[str, bytes], trajectory: Trajectory) -> None:
    d = Dossier.model_validate_json(dossier_of(kind, trajectory).model_dump_json())
    if kind == "veiligheidsplan":
        again = build_veiligheidsplan_pdf(d, trajectory.kernbeslissing_id, settings=SETTINGS)
    else:
        again = build_pdf(d, settings=SETTINGS)
    assert again == pdfs[kind]


def test_same_bytes_in_a_fresh_process(pdfs: dict[str, bytes], trajectory: Trajectory) -> None:
    """What the vault keeps is JSON: a later re-render in another process gives the same
    evaluatieverslag and veiligheidsplan (the immutability the hash line promises)."""
    script = (
        "import sys, hashlib, uuid\n"
        "from forms.models import Dossier\n"
        "from forms.verslag import VerslagSettings, build_pdf, build_veiligheidsplan_pdf\n"
        "d = Dossier.model_validate_json(sys.stdin.buffer.read())\n"
        f"s = VerslagSettings(gemeente={SETTINGS.gemeente!r}, team={SETTINGS.team!r}, wijkcoach={SETTINGS.wijkcoach!r})\n"
        "print(hashlib.sha256(build_pdf(d, settings=s)).hexdigest())\n"
        f"kb = uuid.UUID({str(trajectory.kernbeslissing_id)!r})\n"
        "print(hashlib.sha256(build_veiligheidsplan_pdf(d, kb, settings=s)).hexdigest())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], input=trajectory.evaluatie.model_dump_json().encode(),
        capture_output=True, cwd=Path(__file__).resolve().parents[2], check=True, timeout=120,
    )
    assert out.stdout.decode().split() == [
        hashlib.sha256(pdfs["evaluatie"]).hexdigest(), hashlib.sha256(pdfs["veiligheidsplan"]).hexdigest()
    ]


# --- the evaluatieverslag --------------------------------------------------------------------


def test_evaluatie_goals_with_outcome_and_both_voices(evaluatie_pdf: bytes) -> None:
    text = flat(evaluatie_pdf)
    section = between(text, EVALUATIE_HEADINGS[2], EVALUATIE_HEADINGS[3])
    for words in ("1 Daan gaat weer elke dag naar school.", "Deels behaald",
                  "Wat u zegt: Daan gaat weer, maar op maandag blijft hij vaak thuis.",
                  "Wat wij zien: Verzuim gehalveerd volgens de mentor",
                  "2 De schulden zijn in beeld en er is een betalingsregeling.", "Behaald",
                  "3 Ouders hebben weer lucht", "4 Noor voelt zich thuis en op school weer veilig", "Niet behaald"):
        assert words in section, words
    # the goals as signed before this gesprek, in their order then; the new goal is not evaluated
    assert section.index("1 Daan") < section.index("2 De schulden") < section.index("4 Noor")
    assert "Ruzies thuis lopen niet meer uit de hand" not in section


def test_evaluatie_safety_then_and_now_per_child(evaluatie_pdf: bytes) -> None:
    text = flat(evaluatie_pdf)
    section = between(text, EVALUATIE_HEADINGS[3], EVALUATIE_HEADINGS[4])
    for child in ("Daan", "Noor", "Liëke"):
        assert f"{child} (" in section
    assert "Wij schatten in dat Noor thuis nu niet veilig is. Het risico later schatten wij in als hoog." in section
    assert "besproken met een gedragswetenschapper" in section
    assert ("Vergeleken met de vorige inschatting (13 oktober 2025) is de veiligheid thuis slechter geworden "
            "en is het risico later groter geworden.") in section
    # each child's picture: the lanes' level words, the three gesprekken, this one marked
    assert section.count("acuut niet veilig") == 3
    assert section.count("Thuis nu") == 6 and section.count("Risico later") == 6  # picture and table
    assert section.count("1 sep 2025 intake 13 okt 2025 evaluatie 24 nov 2025 dit gesprek") == 3
    # then and now in words: the first, the previous and this one
    assert "Eerste inschatting 1 september 2025 (intake) veilig laag Vorige inschatting 13 oktober 2025 " \
           "(evaluatie) veilig verhoogd Nu 24 november 2025 (evaluatie) niet veilig hoog" in section


def test_evaluatie_meldcode_plan_changes_and_next_date(evaluatie_pdf: bytes) -> None:
    text = flat(evaluatie_pdf)
    meldcode = between(text, EVALUATIE_HEADINGS[4], EVALUATIE_HEADINGS[5])
    assert "Ons antwoord Nee" in meldcode
    assert "Bij Veilig Thuis op 24 november 2025 (kenmerk VT-2025-0042)." in meldcode
    plan = between(text, EVALUATIE_HEADINGS[5], EVALUATIE_HEADINGS[6])
    assert "Vergeleken met het plan van 13 oktober 2025 (versie 2) verandert dit:" in plan
    assert "Waarom: Noor is niet veilig thuis: haar veiligheid gaat nu voor." in plan
    assert "Nieuw doel Ruzies thuis lopen niet meer uit de hand." in plan
    assert "Doel vervalt De schulden zijn in beeld" in plan
    assert "Doel aangepast Ouders hebben weer lucht" in plan
    assert "Nieuwe afspraak: Aanmelden bij de oppascentrale" in plan
    assert "Wanneer: 2 februari 2026 (was: 24 november 2025)" in plan
    assert "Belangrijkheid: was 4, nu 2" in plan
    assert "Daan gaat weer elke dag" not in plan  # unchanged goals are not listed as changes
    assert "uiterlijk op 5 januari 2026" in text


def test_evaluatie_kernbeslissingen_raadplegingen_and_opschaling(evaluatie_pdf: bytes) -> None:
    text = flat(evaluatie_pdf)
    kb = between(text, EVALUATIE_HEADINGS[7], f"{EVALUATIE_HEADINGS[8]} Soms is hulp")
    assert "Oordeel onveilig – over Noor" in kb and "Opschaling – over Noor" in kb  # labels from the definitions
    assert "Met de ouders een veiligheidsplan voor Noor" in kb
    assert "Gedragswetenschapper (demo) Gedragswetenschapper 24 november 2025" in kb
    assert "Is vrijwillige hulp nog genoeg voor de veiligheid van Noor?" in kb
    assert "Fictief College De Duinen Netwerkpartner 22 november 2025" in kb
    assert "het veiligheidsplan met 3 afspraken staat in een apart document" in kb
    assert "Veiligheidsplan Niet nodig." in kb
    assert "Veiligheid verslechterd" not in kb  # the first evaluatie's decision is not this gesprek's
    op = between(text, "Naar Veilig Thuis", EVALUATIE_HEADINGS[9])
    assert "De ruzies thuis maken Noor bang" in op and "Veilig Thuis onderzoekt" in op
    assert "Kernbeslissing Opschaling, 24 november 2025" in op


def test_evaluatie_who_was_there_and_signatures(evaluatie_pdf: bytes, trajectory: Trajectory) -> None:
    text = flat(evaluatie_pdf)
    assert "Eerdere gesprekken intake op 1 september 2025 en evaluatie op 13 oktober 2025" in text
    for m in trajectory.evaluatie.huishouden.leden:
        assert m.naam in text
    signatures = text[text.rindex(SECTION_HEADINGS[12]):]
    assert "Sanne Bakker" in signatures and "Emre Yılmaz" in signatures and "Wijkcoach (demo)" in signatures
    assert "Den Helder, 24 november 2025" in signatures


def test_the_demo_evaluatie_prints(trajectory: Trajectory) -> None:
    """The demo household's own evaluatie (forms.demo.demo_trajectory): Noor's risk judged
    higher, a kernbeslissing without opschaling, no Meldcode track."""
    text = flat(build_pdf(trajectory.eerste_evaluatie, settings=SETTINGS))
    assert "Evaluatieverslag" in text and "pagina 1 van" in text
    assert "Veiligheid verslechterd – over Noor" in text
    assert "Er loopt geen traject volgens de Meldcode." in text
    assert "Bij dit gesprek is niet opgeschaald." in text
    assert "Nieuw doel Noor voelt zich thuis en op school weer veilig en vrolijk." in text


# --- the afsluitverslag -------------------------------------------------------------------------


def test_afsluiting_goals_follow_up_partners_and_result(afsluiting_pdf: bytes) -> None:
    text = flat(afsluiting_pdf)
    goals = between(text, AFSLUITING_HEADINGS[2], AFSLUITING_HEADINGS[3])
    assert "Ruzies thuis lopen niet meer uit de hand." in goals and "Behaald" in goals and "Deels behaald" in goals
    verder = between(text, AFSLUITING_HEADINGS[3], AFSLUITING_HEADINGS[4])
    assert "De hulp gaat verder bij Schuldhulpverlening (gemeente) (schuldhulpverlener)." in verder
    assert "Schuldhulpverlening begeleidt de betalingsregeling" in verder
    assert "Resultaat Overgedragen" in verder
    assert "Op 13 april 2026 nemen wij nog een keer contact met u op" in verder
    told = between(text, AFSLUITING_HEADINGS[4], AFSLUITING_HEADINGS[5])
    assert "Fictief College De Duinen" in told and "Op 19 januari 2026, telefonisch." in told
    assert "Op 19 januari 2026, warme overdracht aan tafel." in told


def test_afsluiting_final_safety_check_over_the_whole_trajectory(afsluiting_pdf: bytes) -> None:
    text = flat(afsluiting_pdf)
    section = between(text, AFSLUITING_HEADINGS[5], AFSLUITING_HEADINGS[6])
    # four assessments per child in the picture: intake, two evaluaties, this one
    assert section.count("1 sep 2025 intake 13 okt 2025 evaluatie 24 nov 2025 evaluatie 19 jan 2026 dit gesprek") == 3
    assert "Wij schatten in dat Noor thuis nu veilig is." in section
    assert "is de veiligheid thuis beter geworden en is het risico later kleiner geworden" in section
    assert section.count("Vorige inschatting") == 3
    kb = between(text, AFSLUITING_HEADINGS[6], AFSLUITING_HEADINGS[7])
    assert "Afsluiten van een traject met kinderen" in kb and "Collega wijkcoach (demo)" in kb
    assert "over Noor" not in kb  # the evaluatie's decisions are not this gesprek's
    assert "Bij dit gesprek is niet opgeschaald." in text


# --- the veiligheidsplan ----------------------------------------------------------------------


def test_veiligheidsplan_afspraken_and_its_own_signatures(plan_pdf: bytes) -> None:
    text = flat(plan_pdf)
    assert "zodat Noor thuis veilig is" in text
    assert "Voor Noor Yılmaz" in text and "Gemaakt bij de evaluatie van 24 november 2025" in text
    assert "Oordeel onveilig. Met de ouders een veiligheidsplan voor Noor" in text
    afspraken = between(text, VEILIGHEIDSPLAN_HEADINGS[1], VEILIGHEIDSPLAN_HEADINGS[2])
    assert "1 Bij een ruzie gaat Emre een half uur naar buiten om af te koelen. Emre 24 november 2025" in afspraken
    assert "2 Noor mag altijd naar oma Bakker; oma is telefonisch bereikbaar. Oma Bakker 24 november 2025" in afspraken
    assert "3 De wijkcoach belt elke week" in afspraken
    consulted = between(text, VEILIGHEIDSPLAN_HEADINGS[2], VEILIGHEIDSPLAN_HEADINGS[3])
    assert "Gedragswetenschapper (demo)" in consulted and "Fictief College De Duinen" in consulted
    signatures = between(text, VEILIGHEIDSPLAN_HEADINGS[3], VEILIGHEIDSPLAN_HEADINGS[4])
    assert "Sanne Bakker" in signatures and "Wijkcoach (demo)" in signatures
    assert "Emre Yılmaz" not in signatures  # the plan's own signatures, not the verslag's
    assert "Dit veiligheidsplan hoort bij dossier" in text


def test_veiligheidsplan_from_a_later_version_names_its_own_gesprek(trajectory: Trajectory) -> None:
    text = flat(build_veiligheidsplan_pdf(trajectory.afsluiting, trajectory.kernbeslissing_id, settings=SETTINGS))
    assert "Gemaakt bij de evaluatie van 24 november 2025" in text
    assert f"versie {trajectory.afsluiting.versie}" in text  # the code of the version it was printed from


def test_veiligheidsplan_unknown_or_without_plan_is_refused(trajectory: Trajectory) -> None:
    with pytest.raises(GeenVeiligheidsplan) as unknown:
        build_veiligheidsplan_pdf(trajectory.evaluatie, uuid4())
    assert unknown.value.melding == "Deze kernbeslissing staat niet in dit dossier."
    without = next(k for k in trajectory.afsluiting.kernbeslissingen if k.veiligheidsplan is None)
    with pytest.raises(GeenVeiligheidsplan) as none:
        build_veiligheidsplan_pdf(trajectory.afsluiting, without.id)
    assert "geen veiligheidsplan" in none.value.melding


# --- the intake stays the intake ------------------------------------------------------------


def test_intake_prints_the_gesprek_adviesverslag(trajectory: Trajectory) -> None:
    text = flat(build_pdf(trajectory.intake, settings=SETTINGS))
    assert "Gesprek-adviesverslag" in text and "Evaluatieverslag" not in text
    assert all(h in text for h in SECTION_HEADINGS)


def test_concept_evaluatie_prints_blank_signature_lines(trajectory: Trajectory) -> None:
    concept = start(trajectory.intake, trajectory.intake, GesprekSoort.EVALUATIE, EVAL_DAY)
    text = flat(build_pdf(concept, settings=SETTINGS))
    assert "CONCEPT" in text and "Evaluatieverslag" in text
    assert "Bij dit gesprek is de veiligheid van Noor niet opnieuw ingeschat." in text
    assert text.count("Nog niet besproken") == 3  # the intake's three goals, none evaluated yet
    assert text.count("Plaats: ") >= 3


def test_evaluatie_after_a_dossier_without_plan_versions(trajectory: Trajectory) -> None:
    """An intake finalised under schema 1 has no plan version and assessments without a
    gesprek: the evaluatie says there is no earlier plan to compare with, and the picture
    counts those assessments as the intake's."""
    v1_shape = trajectory.intake.model_copy(deep=True)
    v1_shape.plan_versies = []
    for a in v1_shape.veiligheid:
        a.gesprek_id = None
    concept = start(v1_shape, trajectory.intake, GesprekSoort.EVALUATIE, EVAL_DAY)
    text = flat(build_pdf(concept, settings=SETTINGS))
    assert "Er is geen eerdere versie van het plan vastgelegd." in text
    assert text.count("1 sep 2025 intake") == 3  # one marker per child, at the intake
    assert "Eerste inschatting 1 september 2025 (intake)" in text


def test_every_script_prints_in_the_follow_up_verslagen(trajectory: Trajectory) -> None:
    """Names and texts in Arabic, Ge'ez and Chinese in the evaluatie's own parts (goal
    evaluations, kernbeslissing, raadpleging, veiligheidsplan) print without an empty box."""
    from tests.forms.test_verslag_scripts import ARABIC_FIRST, CHINESE_FIRST, CHINESE_LAST, GEEZ_FIRST, notdef_uses

    d = trajectory.evaluatie.model_copy(deep=True)
    d.definitief = None
    d.gesprek.doel_evaluaties[0].familie = f"{CHINESE_LAST}{CHINESE_FIRST}: 我们希望孩子每天上学。"
    kb = next(k for k in d.kernbeslissingen if k.veiligheidsplan is not None)
    kb.raadplegingen[0].naam = f"{ARABIC_FIRST} الحداد"
    kb.beslissing = f"{GEEZ_FIRST} ሰላም ኣብ ገዛ። {kb.beslissing}"
    assert kb.veiligheidsplan is not None
    kb.veiligheidsplan.afspraken[0].wie = f"{ARABIC_FIRST} (يوسف)"
    verslag = build_pdf(d, settings=SETTINGS)
    plan = build_veiligheidsplan_pdf(d, kb.id, settings=SETTINGS)
    assert notdef_uses(verslag) == [] and notdef_uses(plan) == []
    assert "我们希望孩子每天上学。" in flat(verslag) and GEEZ_FIRST in flat(plan)


def test_texts_of_many_pages_break_over_pages(trajectory: Trajectory) -> None:
    """The longest texts the model allows (a goal evaluation, the afsluiting's toelichting,
    a changed probleemanalyse) print whole, over as many pages as they need."""
    words = "Een lange toelichting van het gezin over hoe het thuis gaat. "
    long = (words * 400)[:20_000].strip()
    ev = trajectory.evaluatie.model_copy(deep=True)
    ev.gesprek.doel_evaluaties[0].familie = long
    ev.plan.probleemanalyse = long
    af = trajectory.afsluiting.model_copy(deep=True)
    assert af.gesprek.afsluiting is not None
    af.gesprek.afsluiting.toelichting = long
    for d in (ev, af):
        pdf = build_pdf(d, settings=SETTINGS)
        pages = page_texts(pdf)
        assert len(pages) >= 8
        assert f"pagina {len(pages)} van {len(pages)}" in pages[-1]
        assert flat(pdf).count("Een lange toelichting van het gezin") >= 300


# --- the picture -------------------------------------------------------------------------------


LEVEL_RGB = {"green": (0x5E, 0x8A, 0x4E), "amber": (0xD0, 0x8C, 0x1F), "red": (0xB2, 0x3A, 0x2B)}


def colour_pixels(image: Any, rgb: tuple[int, int, int]) -> int:  # Any: a PIL image
    """Pixels within a few steps of ``rgb`` (anti-aliased edges excluded)."""
    counts = image.convert("RGB").getcolors(maxcolors=1 << 24)
    return sum(n for n, p in counts if all(abs(a - b) <= 6 for a, b in zip(p, rgb, strict=True)))


@pytest.mark.parametrize("kind", KINDS)
def test_page_one_renders(kind: str, pdfs: dict[str, bytes], tmp_path: Path) -> None:
    [(_, image)] = list(render_pages(pdfs[kind], [1], scale=1.0))
    assert image.size[1] == 842 and image.size[0] in (595, 596)  # A4 at 72 dpi
    image.save(tmp_path / f"{kind}-1.png")
    histogram = image.convert("L").histogram()
    assert sum(histogram[:128]) > 5000  # text, not an empty page


def test_safety_pictures_show_the_levels(evaluatie_pdf: bytes) -> None:
    """The evaluatie's pictures hold green markers (Daan, Liëke, the intake), amber
    (Noor not safe now) and red (Noor's high risk)."""
    counts = dict.fromkeys(LEVEL_RGB, 0)
    for _, image in render_pages(evaluatie_pdf, scale=2.0):
        for name, rgb in LEVEL_RGB.items():
            counts[name] += colour_pixels(image, rgb)
    assert all(n > 50 for n in counts.values()), counts
