"""Fictional families for the forms tests: built complete, then broken one way at a time.

All names are invented. Ages are given in years on the gesprek date.
"""

from __future__ import annotations

import datetime as dt

from forms.definitions import shipped_definitions
from forms.demo import DOMAIN_SET, INSTRUMENT, _born, child_assessment, sign_at_the_table
from forms.models import (
    Action,
    Address,
    Consent,
    ContactRecord,
    ContactStatus,
    DomainEntry,
    Dossier,
    Familiegroepsplan,
    Gesprek,
    Goal,
    Household,
    Hulpvraag,
    Member,
    NetworkPerson,
    Plan,
    Regisseur,
    Role,
    Voice,
)

TODAY = dt.date(2025, 3, 12)


def born(on: dt.date, years: int, days_earlier: int = 30) -> dt.date:
    """A birth date that makes someone ``years`` old on ``on`` (the demo's helper)."""
    return _born(on, years, days_earlier)


def member(voornaam: str, age: int, rol: Role | None = None, on: dt.date = TODAY, achternaam: str = "Verzonnen") -> Member:
    if rol is None:
        rol = Role.OUDER if age >= 18 else Role.KIND
    return Member(voornaam=voornaam, achternaam=achternaam, geboortedatum=born(on, age), rol=rol)


def complete_family(members: list[Member], on: dt.date = TODAY) -> Dossier:
    """A dossier with every section filled in so that nothing blocks."""
    defs = shipped_definitions()
    ds = defs.domain_set(DOMAIN_SET)
    contacts = []
    for m in members:
        status = ContactStatus.GEZIEN if m.age_on(on) < 4 else ContactStatus.GESPROKEN
        contacts.append(ContactRecord(member_id=m.id, status=status))
    d = Dossier(
        huishouden=Household(
            adres=Address(straat="Verzonnenlaan", huisnummer="1", postcode="9999 ZZ", plaats="Nergensdorp"),
            leden=members,
        ),
        gesprek=Gesprek(
            datum=on,
            plaats="Thuis",
            aanwezig=[m.id for m in members],
            contacten=contacts,
            volgende_evaluatie=on + dt.timedelta(weeks=6),  # an intake plans the first evaluation (T10)
        ),
        leefgebieden_set=DOMAIN_SET,
    )
    entries = []
    for domain_id, member_id in ds.required_cells(d):
        dom = ds.domein(domain_id)
        m = d.member(member_id) if member_id else None
        adult_or_household = m is None or not m.is_minor_on(on)
        entries.append(
            DomainEntry(
                domein=domain_id,
                member_id=member_id,
                definitie=DOMAIN_SET,
                besproken=True,
                krachten="Geen bijzonderheden.",
                zrm=4 if dom.zrm and adult_or_household else None,
            )
        )
    d.leefgebieden = entries
    adults = [m for m in members if not m.is_minor_on(on)]
    d.netwerk = [
        NetworkPerson(
            naam="Tante Verzonnen",
            relatie="tante",
            toestemming=Consent(contact_toegestaan=True, delen_toegestaan=False, datum=on, gegeven_door=[a.id for a in adults]),
        )
    ]
    d.veiligheid = [child_assessment(c, on) for c in d.children()]
    d.hulpvraag = Hulpvraag(tekst="Meer rust in huis.", stem=Voice.BEIDE)
    d.plan = Plan(
        probleemanalyse="Een drukke periode na een verhuizing; eerdere hulp was er niet.",
        perspectief="Een gezin dat het weer zelf redt.",
        doelen=[
            Goal(
                prioriteit=1,
                omschrijving="Een vaste weekstructuur.",
                resultaat="Elke week een planning op de koelkast.",
                eigenaar="Ouders",
                streefdatum=on + dt.timedelta(weeks=6),
                domeinen=["opvoeding_gezin"],
                acties=[Action(omschrijving="Weekplanning maken", wie="Ouders", wanneer=on + dt.timedelta(days=7))],
            )
        ],
        regisseur=Regisseur(soort="wijkcoach", naam="Wijkcoach Test", taken="Houdt de regie, evalueert over zes weken."),
    )
    d.familiegroepsplan = Familiegroepsplan(aangeboden=True, datum=on, uitkomst="afgewezen", toelichting="Niet nodig.")
    return sign_at_the_table(d, "Wijkcoach Test")


def family_of_five(on: dt.date = TODAY) -> Dossier:
    """Two parents and three children (14, 9 and 2), complete and signed."""
    return complete_family(
        [member("Fatima", 36, on=on), member("Joris", 39, on=on), member("Mila", 14, on=on),
         member("Ties", 9, on=on), member("Roos", 2, on=on)],
        on,
    )


def by_name(d: Dossier, voornaam: str) -> Member:
    return next(m for m in d.huishouden.leden if m.voornaam == voornaam)


def codes(found) -> list[str]:
    return [g.code for g in found]


def blocking_codes(found) -> list[str]:
    return [g.code for g in found if g.blokkerend]


__all__ = ["TODAY", "DOMAIN_SET", "INSTRUMENT", "born", "member", "complete_family", "by_name", "codes", "blocking_codes"]
