"""A fictional demo household for newcomers, screenshots and tests.

Family Bakker-Yılmaz: two parents, three children (14, 9 and 2 years old on the
day of the gesprek). The names are invented; any likeness is coincidence. Ages are
computed from today, so the demo never ages out of its shape.

The demo is deliberately *not* complete: like the cases the inspections found, the
safety assessment was done for the child the request is about (the eldest) only,
so the application has something to show in its Controle step. That, and the
signatures that are put at the table last, is all that blocks it:
:func:`complete_demo_dossier` adds the two missing assessments and the signatures
(:func:`sign_at_the_table`) so that it finalises.

:func:`demo_trajectory` gives the same family a history (issue 13): the intake signed,
one evaluatie finalised (one child's risk judged higher, a kernbeslissing after
consulting the gedragswetenschapper, a new plan version), and the next evaluatie
started, for screenshots, the timeline and the verslagen.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from .models import (
    Action,
    Address,
    Consent,
    Consultation,
    ContactRecord,
    ContactStatus,
    DefinitionRef,
    DoelEvaluatie,
    DoelUitkomst,
    DomainEntry,
    Dossier,
    Familiegroepsplan,
    Gesprek,
    GesprekSoort,
    Goal,
    Household,
    Hulpvraag,
    ItemAnswer,
    Kernbeslissing,
    Member,
    NetworkPerson,
    Partner,
    Plan,
    Raadpleging,
    Regisseur,
    RiskLater,
    Role,
    SafetyAssessment,
    SafetyNow,
    Signature,
    Voice,
)

__all__ = [
    "demo_dossier",
    "demo_trajectory",
    "DemoTrajectory",
    "complete_demo_dossier",
    "child_assessment",
    "sign_at_the_table",
    "demo_signature_png",
    "DOMAIN_SET",
    "INSTRUMENT",
]

DOMAIN_SET = DefinitionRef(id="leefgebieden-basis", version=1)
INSTRUMENT = DefinitionRef(id="kt-veiligheid", version=1)


def _born(today: dt.date, years: int, days_earlier: int = 40) -> dt.date:
    """A birth date that makes someone `years` old today."""
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - dt.timedelta(days=days_earlier)


def _no_signals() -> dict[str, ItemAnswer]:
    """Every signal of present unsafety of the shipped instrument, answered 'no'."""
    from .definitions import shipped_definitions

    return {i: ItemAnswer(aanwezig=False) for i in shipped_definitions().instrument(INSTRUMENT).signal_ids()}


def demo_dossier(today: dt.date | None = None) -> Dossier:
    today = today or dt.date.today()
    sanne = Member(voornaam="Sanne", achternaam="Bakker", geboortedatum=_born(today, 38), rol=Role.OUDER)
    emre = Member(voornaam="Emre", achternaam="Yılmaz", geboortedatum=_born(today, 41, 100), rol=Role.OUDER)
    daan = Member(voornaam="Daan", achternaam="Yılmaz", geboortedatum=_born(today, 14, 75), rol=Role.KIND)
    noor = Member(voornaam="Noor", achternaam="Yılmaz", geboortedatum=_born(today, 9, 200), rol=Role.KIND)
    lieke = Member(voornaam="Liëke", achternaam="Yılmaz", geboortedatum=_born(today, 2, 30), rol=Role.KIND)
    members = [sanne, emre, daan, noor, lieke]

    def entry(domein: str, member: Member | None, **fields: Any) -> DomainEntry:  # Any: DomainEntry fields of mixed types
        return DomainEntry(
            domein=domein,
            member_id=member.id if member else None,
            definitie=DOMAIN_SET,
            **fields,
        )

    leefgebieden = [
        entry("wonen", None, besproken=True, zorgen="Huurachterstand van drie maanden; brief van de woningcorporatie.", krachten="Woning is groot genoeg en in orde.", zrm=3),
        entry("werk_inkomen", sanne, besproken=True, zorgen="Schulden bij zorgverzekeraar en energie, post blijft liggen.", krachten="Heeft een vaste parttime baan.", hulpvraag="Overzicht in de schulden.", zrm=2),
        entry("werk_inkomen", emre, besproken=True, zorgen="Sinds een half jaar werkloos.", krachten="Wil graag weer aan het werk.", zrm=2),
        entry("opvoeding_gezin", None, besproken=True, zorgen="Veel ruzie over Daan; ouders zitten niet op één lijn.", krachten="Ouders willen er samen voor gaan.", hulpvraag="Hulp bij de opvoeding van Daan.", zrm=3),
        entry("gezondheid", sanne, besproken=True, zorgen="Slaapt slecht door de zorgen.", zrm=3),
        entry("gezondheid", emre, besproken=True, krachten="Gezond, sport twee keer per week.", zrm=4),
        entry("gezondheid", daan, besproken=True, zorgen="Zit 's avonds laat te gamen, slaapt weinig.", krachten="Voetbalt bij de club."),
        entry("gezondheid", noor, besproken=True, krachten="Gezond; astma is goed onder controle."),
        entry("gezondheid", lieke, besproken=True, krachten="Groeit goed volgens het consultatiebureau."),
        entry("onderwijs", daan, besproken=True, zorgen="Spijbelt; school heeft contact gezocht.", krachten="Goed in techniek."),
        entry("onderwijs", noor, besproken=True, krachten="Gaat graag naar school."),
        entry("onderwijs", lieke, niet_van_toepassing=True, nvt_reden="Lieke is twee en gaat nog niet naar de opvang."),
        entry("veiligheid", None, besproken=True, krachten="Geen politiecontacten; ouders benoemen zelf de spanningen.", zrm=4),
        entry("sociaal_netwerk", None, besproken=True, zorgen="Weinig contact met familie.", krachten="Oma (moederskant) past wekelijks op.", zrm=3),
    ]

    consent = Consent(
        contact_toegestaan=True,
        delen_toegestaan=True,
        reikwijdte="Verzuim en gedrag op school",
        datum=today,
        gegeven_door=[sanne.id, emre.id],
    )
    school = Partner(
        organisatie="Fictief College De Duinen",
        rol="mentor",
        contactpersoon="dhr. T. Voorbeeld",
        telefoon="0223-000000",
        domeinen=["onderwijs"],
        toestemming=consent,
    )
    schuldhulp = Partner(
        organisatie="Schuldhulpverlening (gemeente)",
        rol="schuldhulpverlener",
        domeinen=["werk_inkomen"],
        toestemming=consent.model_copy(update={"reikwijdte": "Inkomen en schulden"}),
    )
    oma = NetworkPerson(
        naam="Oma Bakker",
        relatie="oma (moederskant)",
        domeinen=["sociaal_netwerk", "opvoeding_gezin"],
        toestemming=consent.model_copy(update={"reikwijdte": "Afspraken over oppas en opvoeding"}),
    )

    daan_assessment = SafetyAssessment(
        child_id=daan.id,
        instrument=INSTRUMENT,
        datum=today,
        antwoorden={
            **_no_signals(),
            "risico_ouders_schulden": ItemAnswer(aanwezig=True, toelichting="Spanning over geld thuis; Daan trekt zich terug."),
            "risico_kind_terugtrekken": ItemAnswer(aanwezig=True, toelichting="Spijbelt."),
            "beschermend_netwerk": ItemAnswer(aanwezig=True, toelichting="Oma is betrokken."),
        },
        veiligheid_nu=SafetyNow.VEILIG,
        risico=RiskLater.VERHOOGD,
        onderbouwing="Geen signalen van onveiligheid; spanningen over geld en opvoeding geven een verhoogd risico. Oma en school zijn beschermend.",
        afgerond=True,
    )

    doelen = [
        Goal(
            prioriteit=1,
            omschrijving="Daan gaat weer elke dag naar school.",
            resultaat="Geen ongeoorloofd verzuim in de komende zes weken.",
            eigenaar="Sanne en Emre",
            streefdatum=today + dt.timedelta(weeks=6),
            domeinen=["onderwijs", "opvoeding_gezin"],
            acties=[Action(omschrijving="Gesprek met mentor over verzuim", wie="wijkcoach", wanneer=today + dt.timedelta(days=7))],
        ),
        Goal(
            prioriteit=2,
            omschrijving="De schulden zijn in beeld en er is een betalingsregeling.",
            resultaat="Overzicht van alle schulden bij schuldhulpverlening.",
            eigenaar="Sanne",
            streefdatum=today + dt.timedelta(weeks=8),
            domeinen=["werk_inkomen", "wonen"],
            acties=[Action(omschrijving="Aanmelden bij schuldhulpverlening", wie="Sanne", wanneer=today + dt.timedelta(days=3))],
        ),
        Goal(
            prioriteit=3,
            omschrijving="Ouders hebben weer lucht en meer mensen om op terug te vallen.",
            resultaat="Sanne slaapt beter; er zijn twee vaste oppasmomenten per week buiten oma.",
            eigenaar="Sanne en Emre",
            streefdatum=today + dt.timedelta(weeks=12),
            domeinen=["gezondheid", "sociaal_netwerk"],
            acties=[
                Action(omschrijving="Afspraak huisarts over slaapproblemen", wie="Sanne", wanneer=today + dt.timedelta(days=14)),
                Action(omschrijving="Samen netwerkkaart maken en wie-kan-wat bespreken", wie="wijkcoach", wanneer=today + dt.timedelta(days=10)),
                Action(omschrijving="Afspraken maken over bedtijd en gamen", wie="Emre", wanneer=today + dt.timedelta(days=7)),
            ],
        ),
    ]

    return Dossier(
        huishouden=Household(
            adres=Address(straat="Voorbeeldstraat", huisnummer="12", postcode="1781 AB", plaats="Den Helder"),
            leden=members,
        ),
        gesprek=Gesprek(
            datum=today,
            plaats="Thuis, aan de keukentafel",
            volgende_evaluatie=today + dt.timedelta(weeks=6),  # "plant de evaluatie over zes weken"
            aanwezig=[sanne.id, emre.id, daan.id, noor.id, lieke.id],
            contacten=[
                ContactRecord(member_id=sanne.id, status=ContactStatus.GESPROKEN),
                ContactRecord(member_id=emre.id, status=ContactStatus.GESPROKEN),
                ContactRecord(member_id=daan.id, status=ContactStatus.GESPROKEN),
                ContactRecord(member_id=noor.id, status=ContactStatus.GESPROKEN),
                ContactRecord(member_id=lieke.id, status=ContactStatus.GEZIEN),
            ],
        ),
        leefgebieden_set=DOMAIN_SET,
        leefgebieden=leefgebieden,
        netwerk=[oma],
        partners=[school, schuldhulp],
        veiligheid=[daan_assessment],
        hulpvraag=Hulpvraag(tekst="We willen dat Daan weer naar school gaat en dat er rust komt over het geld.", stem=Voice.BEIDE),
        plan=Plan(
            probleemanalyse="De geldzorgen sinds het verlies van Emre's baan geven spanning thuis; ouders reageren verschillend op Daan, die zich terugtrekt en spijbelt. Eerdere hulp (opvoedcursus 2022) is niet afgemaakt.",
            perspectief="Een gezin met rust over geld, waarin ouders samen optrekken en Daan zijn school afmaakt.",
            doelen=doelen,
            regisseur=Regisseur(
                soort="wijkcoach",
                naam="Wijkcoach (demo)",
                bereikbaar="Via het wijkteam, 0223-000000",
                taken="Houdt het overzicht over het hele plan, stemt af met school en schuldhulpverlening, plant de evaluatie over zes weken en mag hulp inzetten binnen het wijkteam.",
            ),
        ),
        familiegroepsplan=Familiegroepsplan(aangeboden=True, datum=today, uitkomst="afgewezen", toelichting="Ouders willen eerst zelf aan de slag."),
    )


def demo_signature_png() -> bytes:
    """A small valid PNG (a dark stroke on transparent) standing in for a drawn signature."""
    width, height = 24, 8
    rows = b"".join(
        b"\x00" + b"".join(b"\x14\x21\x3d\xff" if y == 4 or x == y * 3 else b"\x00\x00\x00\x00" for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def sign_at_the_table(dossier: Dossier, wijkcoach: str = "Wijkcoach (demo)") -> Dossier:
    """Every adult parent/carer at the table and the wijkcoach sign (in place; returned)."""
    on = dossier.gesprek.datum
    plaats = dossier.huishouden.adres.plaats
    present = set(dossier.gesprek.aanwezig)
    png = demo_signature_png()
    signatures = [
        Signature(member_id=m.id, naam=m.naam, plaats=plaats, datum=on, afbeelding_png=png)
        for m in dossier.adults()
        if m.id in present
    ]
    signatures.append(Signature(member_id=None, naam=wijkcoach, plaats=plaats, datum=on, afbeelding_png=png))
    dossier.handtekeningen = signatures
    return dossier


def child_assessment(
    child: Member,
    on: dt.date,
    *,
    now: SafetyNow = SafetyNow.VEILIG,
    risk: RiskLater = RiskLater.LAAG,
    onderbouwing: str = "Geen signalen van onveiligheid; beschermende factoren wegen zwaarder dan de risico's.",
    **answers: ItemAnswer,
) -> SafetyAssessment:
    """A concluded assessment of one child under the shipped instrument: no signals
    present, the given judgment and rationale (a consultation is added when the
    judgment needs one). Handy in tests.

    The judgment on risk rests on answered factors (forms.rules): when ``answers`` give
    none for it, 'laag' gets a protective factor (a parent's warmth) and 'verhoogd' or
    'hoog' a risk factor (problems piling up) answered present."""
    from .definitions import shipped_definitions

    inst = shipped_definitions().instrument(INSTRUMENT)
    factors = {i.id for s in inst.secties if s.soort != "signalen" for i in s.items}
    if not any(k in factors for k, v in answers.items() if v.aanwezig is True):
        if risk is RiskLater.LAAG:
            answers = {"beschermend_ouder": ItemAnswer(aanwezig=True), **answers}
        elif risk is not None:
            answers = {"risico_gezin_stapeling": ItemAnswer(aanwezig=True), **answers}
    consult = None
    if inst.requires_consultation(now, risk):
        consult = Consultation(met="gedragswetenschapper", naam="Gedragswetenschapper (demo)", datum=on, uitkomst="Oordeel besproken en onderschreven.")
    return SafetyAssessment(
        child_id=child.id,
        instrument=INSTRUMENT,
        datum=on,
        antwoorden={**_no_signals(), **answers},
        veiligheid_nu=now,
        risico=risk,
        onderbouwing=onderbouwing,
        consultatie=consult,
        afgerond=True,
    )


def complete_demo_dossier(today: dt.date | None = None) -> Dossier:
    """The demo with the two missing safety assessments and the signatures added: no
    blocking gap left."""
    dossier = demo_dossier(today)
    on = dossier.gesprek.datum
    by_name = {m.voornaam: m for m in dossier.huishouden.leden}
    dossier.veiligheid = [
        *dossier.veiligheid,
        child_assessment(
            by_name["Noor"],
            on,
            risk=RiskLater.LAAG,
            onderbouwing="Noor laat geen signalen zien; ze gaat graag naar school en oma is dichtbij. De geldzorgen merkt ze, maar ouders schermen haar goed af.",
            risico_ouders_schulden=ItemAnswer(aanwezig=True, toelichting="Merkt de spanning, ouders praten er met haar over."),
            beschermend_school=ItemAnswer(aanwezig=True),
        ),
        child_assessment(
            by_name["Liëke"],
            on,
            risk=RiskLater.VERHOOGD,
            onderbouwing="Geen signalen; Liëke is goed verzorgd en groeit goed. Omdat ze twee is en volledig afhankelijk, en de ouders onder spanning staan, is het risico verhoogd. Oma past wekelijks op.",
            risico_kind_jong=ItemAnswer(aanwezig=True),
            beschermend_netwerk=ItemAnswer(aanwezig=True, toelichting="Oma past wekelijks op."),
        ),
    ]
    return sign_at_the_table(dossier)


# --- a trajectory: intake, one evaluatie, the next evaluatie being written (issue 13) ----------


@dataclass(frozen=True)
class DemoTrajectory:
    """The demo household's history: ``versions`` the finalised gesprekken (versie 1 the
    intake, versie 2 an evaluatie), ``current`` the editable evaluatie after them."""

    versions: list[Dossier]
    current: Dossier


INTAKE_WEEKS_AGO = 8  # the intake was held 8 weeks before `today`
EVALUATIE_WEEKS_AGO = 2  # the first evaluatie 6 weeks after it


def _everyone_at_the_table(dossier: Dossier) -> None:
    """Everyone present; the adults and children from 4 spoken with, the youngest seen."""
    on = dossier.gesprek.datum
    leden = dossier.huishouden.leden
    dossier.gesprek.aanwezig = [m.id for m in leden]
    dossier.gesprek.contacten = [
        ContactRecord(member_id=m.id, status=ContactStatus.GEZIEN if m.age_on(on) < 4 else ContactStatus.GESPROKEN)
        for m in leden
    ]


def _held(on: dt.date) -> dt.datetime:
    """The moment a gesprek on ``on`` was finalised: at the end of that afternoon."""
    return dt.datetime.combine(on, dt.time(16, 0), tzinfo=dt.UTC)


def demo_trajectory(today: dt.date | None = None) -> DemoTrajectory:
    """The demo family with a history (every version passes :func:`forms.finalise`):

    1. the intake, eight weeks before ``today``, complete and signed (versie 1);
    2. an evaluatie six weeks later (versie 2): every goal evaluated with the family, every
       child assessed again; Noor's risk is judged higher than at the intake (school
       reports she is withdrawn since the tension at home rose), which is a kernbeslissing
       ('veiligheid verslechterd') taken after consulting the gedragswetenschapper; the plan
       gets a goal for Noor (a new plan version with its reason), the next evaluatie is in
       four weeks;
    3. ``current``: the next evaluatie, started ``today`` and not yet filled in.

    The caller builds the PDFs (forms.verslag) and stores the versions.
    """
    from .finalise import finalise, start_gesprek

    today = today or dt.date.today()
    intake_on = today - dt.timedelta(weeks=INTAKE_WEEKS_AGO)
    eval_on = today - dt.timedelta(weeks=EVALUATIE_WEEKS_AGO)

    # 1. the intake: every child's assessment made at this gesprek
    intake = complete_demo_dossier(intake_on)
    for a in intake.veiligheid:
        a.gesprek_id = intake.gesprek.id
    intake.gesprek.volgende_evaluatie = eval_on
    v1 = finalise(intake, now=_held(intake_on))

    # 2. the first evaluatie
    ev = start_gesprek(v1, GesprekSoort.EVALUATIE, eval_on)
    ev.gesprek.plaats = "Thuis, aan de keukentafel"
    _everyone_at_the_table(ev)
    by_name = {m.voornaam: m for m in ev.huishouden.leden}
    daan, noor, lieke = by_name["Daan"], by_name["Noor"], by_name["Liëke"]
    goals = sorted(ev.plan.doelen, key=lambda g: g.prioriteit)
    ev.gesprek.doel_evaluaties = [
        DoelEvaluatie(
            goal_id=goals[0].id,
            uitkomst=DoelUitkomst.DEELS,
            familie="Daan gaat weer, maar op maandag blijft hij vaak thuis.",
            coach="Verzuim gehalveerd volgens de mentor; de maandag is het knelpunt.",
        ),
        DoelEvaluatie(
            goal_id=goals[1].id,
            uitkomst=DoelUitkomst.BEHAALD,
            familie="Alle schulden staan op papier; de regeling loopt.",
            coach="Betalingsregeling getekend bij schuldhulpverlening.",
        ),
        DoelEvaluatie(
            goal_id=goals[2].id,
            uitkomst=DoelUitkomst.NIET_BEHAALD,
            familie="We zijn er nog niet aan toegekomen; het was te druk.",
            coach="Geen vaste oppasmomenten; Sanne slaapt nog slecht. Doel blijft staan.",
        ),
    ]
    ev.veiligheid = [
        *ev.veiligheid,
        child_assessment(
            daan,
            eval_on,
            risk=RiskLater.VERHOOGD,
            onderbouwing="Geen signalen; het verzuim neemt af. De spanningen thuis blijven een risico.",
            risico_ouders_schulden=ItemAnswer(aanwezig=True),
            beschermend_netwerk=ItemAnswer(aanwezig=True, toelichting="Oma en de voetbalclub."),
        ),
        child_assessment(
            noor,
            eval_on,
            risk=RiskLater.VERHOOGD,
            onderbouwing="Geen signalen van onveiligheid nu. Noor is volgens school stiller en trekt zich terug sinds de spanning thuis opliep; het risico is daarom verhoogd (bij de intake laag).",
            risico_kind_terugtrekken=ItemAnswer(aanwezig=True, toelichting="Stiller in de klas, meldt de leerkracht."),
            beschermend_school=ItemAnswer(aanwezig=True),
        ),
        child_assessment(
            lieke,
            eval_on,
            risk=RiskLater.VERHOOGD,
            onderbouwing="Geen signalen; goed verzorgd. Jong en volledig afhankelijk terwijl de ouders onder druk staan: risico blijft verhoogd.",
            risico_kind_jong=ItemAnswer(aanwezig=True),
            beschermend_netwerk=ItemAnswer(aanwezig=True, toelichting="Oma past wekelijks op."),
        ),
    ]
    for a in ev.veiligheid[-3:]:
        a.gesprek_id = ev.gesprek.id
    ev.kernbeslissingen = [
        Kernbeslissing(
            gesprek_id=ev.gesprek.id,
            datum=eval_on,
            soort="veiligheid_verslechterd",
            child_id=noor.id,
            beslissing="Noor krijgt een eigen doel in het plan; de intern begeleider van school volgt haar wekelijks. Geen opschaling: er zijn geen signalen van onveiligheid en de ouders werken mee.",
            raadplegingen=[
                Raadpleging(
                    met="gedragswetenschapper",
                    naam="Gedragswetenschapper (demo)",
                    datum=eval_on,
                    over="Het hogere risico voor Noor: is vrijwillige hulp genoeg?",
                    uitkomst="Vrijwillige hulp volstaat; over vier weken opnieuw beoordelen.",
                )
            ],
            informatie="Gesprek met Noor en haar ouders; melding van de leerkracht; de veiligheidsbeoordelingen van de intake en nu.",
            veiligheidsplan_nodig=False,
        )
    ]
    ev.plan.doelen = [
        *ev.plan.doelen,
        Goal(
            prioriteit=4,
            omschrijving="Noor voelt zich thuis en op school weer veilig en vrolijk.",
            resultaat="De leerkracht ziet Noor weer meedoen; Noor vertelt zelf hoe het gaat.",
            eigenaar="Sanne en Emre",
            streefdatum=today + dt.timedelta(weeks=8),
            domeinen=["opvoeding_gezin", "onderwijs"],
            acties=[
                Action(omschrijving="Wekelijks kort contact intern begeleider", wie="school", wanneer=eval_on + dt.timedelta(days=7)),
            ],
        ),
    ]
    ev.gesprek.plan_reden = "Noor heeft een eigen doel gekregen (haar risico is hoger dan bij de intake); doel 3 blijft staan met dezelfde acties, het gezin wil het nu oppakken."
    ev.gesprek.volgende_evaluatie = today + dt.timedelta(weeks=4)
    sign_at_the_table(ev)
    v2 = finalise(ev, now=_held(eval_on))

    # 3. the next evaluatie, started today
    current = start_gesprek(v2, GesprekSoort.EVALUATIE, today)
    current.gesprek.plaats = "Thuis, aan de keukentafel"
    return DemoTrajectory(versions=[v1, v2], current=current)
