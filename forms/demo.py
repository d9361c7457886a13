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
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

from .models import (
    Action,
    Address,
    Consent,
    Consultation,
    ContactRecord,
    ContactStatus,
    DefinitionRef,
    DomainEntry,
    Dossier,
    Familiegroepsplan,
    Gesprek,
    Goal,
    Household,
    Hulpvraag,
    ItemAnswer,
    Member,
    NetworkPerson,
    Partner,
    Plan,
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
