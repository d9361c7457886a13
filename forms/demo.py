"""A fictional demo household for newcomers, screenshots and tests.

Family Bakker-Yılmaz: two parents, three children (14, 9 and 2 years old on the
day of the gesprek). The names are invented; any likeness is coincidence. Ages are
computed from today, so the demo never ages out of its shape.

The demo is deliberately *not* complete: like the cases the inspections found, the
safety assessment was done for the child the request is about (the eldest) only,
so the application has something to show in its Controle step.
"""

from __future__ import annotations

import datetime as dt

from .models import (
    Action,
    Address,
    Consent,
    ContactRecord,
    ContactStatus,
    DefinitionRef,
    Dossier,
    DomainEntry,
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
    Voice,
)

__all__ = ["demo_dossier", "DOMAIN_SET", "INSTRUMENT"]

DOMAIN_SET = DefinitionRef(id="leefgebieden-basis", version=1)
INSTRUMENT = DefinitionRef(id="kt-veiligheid", version=1)


def _born(today: dt.date, years: int, days_earlier: int = 40) -> dt.date:
    """A birth date that makes someone `years` old today."""
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - dt.timedelta(days=days_earlier)


def demo_dossier(today: dt.date | None = None) -> Dossier:
    today = today or dt.date.today()
    sanne = Member(voornaam="Sanne", achternaam="Bakker", geboortedatum=_born(today, 38), rol=Role.OUDER)
    emre = Member(voornaam="Emre", achternaam="Yılmaz", geboortedatum=_born(today, 41, 100), rol=Role.OUDER)
    daan = Member(voornaam="Daan", achternaam="Yılmaz", geboortedatum=_born(today, 14, 75), rol=Role.KIND)
    noor = Member(voornaam="Noor", achternaam="Yılmaz", geboortedatum=_born(today, 9, 200), rol=Role.KIND)
    lieke = Member(voornaam="Liëke", achternaam="Yılmaz", geboortedatum=_born(today, 2, 30), rol=Role.KIND)
    members = [sanne, emre, daan, noor, lieke]

    def entry(domein: str, member: Member | None, **fields: object) -> DomainEntry:
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
        entry("onderwijs", daan, besproken=True, zorgen="Spijbelt; school heeft contact gezocht.", krachten="Goed in techniek."),
        entry("onderwijs", noor, besproken=True, krachten="Gaat graag naar school."),
        entry("onderwijs", lieke, niet_van_toepassing=True, nvt_reden="Lieke is twee en gaat nog niet naar de opvang."),
        entry("veiligheid", None, besproken=True, krachten="Geen politiecontacten; ouders benoemen zelf de spanningen."),
        entry("sociaal_netwerk", None, besproken=True, zorgen="Weinig contact met familie.", krachten="Oma (moederskant) past wekelijks op."),
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
    oma = NetworkPerson(naam="Oma Bakker", relatie="oma (moederskant)", domeinen=["sociaal_netwerk", "opvoeding_gezin"])

    daan_assessment = SafetyAssessment(
        child_id=daan.id,
        instrument=INSTRUMENT,
        datum=today,
        antwoorden={
            "signaal_letsel": ItemAnswer(aanwezig=False),
            "risico_ouders_schulden": ItemAnswer(aanwezig=True, toelichting="Spanning over geld thuis."),
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
            regisseur=Regisseur(soort="wijkcoach", naam="Wijkcoach (demo)", bereikbaar="Via het wijkteam, 0223-000000"),
        ),
        familiegroepsplan=Familiegroepsplan(aangeboden=True, datum=today, uitkomst="afgewezen", toelichting="Ouders willen eerst zelf aan de slag."),
    )
