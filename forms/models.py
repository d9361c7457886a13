"""The dossier of one household: what a keukentafelgesprek captures.

Plain pydantic 2 models, no Qt and no SQL. The screens edit these objects, the
rules in :mod:`forms.rules` judge them, :mod:`storage` saves them as JSON.

Conventions:
- every entity has a UUID ``id``; references between entities are by id;
- life domains, instruments and their items are referenced by the string ids of
  the definitions in ``forms/definitions`` (data, not code), and every captured
  answer records the definition id and version it was given under
  (:class:`DefinitionRef`);
- Dutch domain words are kept as field names where English would lose meaning
  (glossary in DOMAIN.md);
- ``SCHEMA_VERSION`` changes when the stored JSON shape changes; old shapes are
  upgraded by :func:`forms.migrate.upgrade` before validation.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final, Literal
from uuid import UUID, uuid4

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .validators import (
    LongText,
    MediumText,
    PhoneText,
    ShortText,
    ascii_digits,
    check_bsn,
    nfc,
    normalise_postcode,
)

__all__ = [
    "SCHEMA_VERSION",
    "ADULT_AGE",
    "Model",
    "DefinitionRef",
    "Role",
    "ContactStatus",
    "Address",
    "Member",
    "Household",
    "ContactRecord",
    "Gesprek",
    "DomainEntry",
    "Consent",
    "NetworkPerson",
    "Partner",
    "ItemAnswer",
    "SafetyNow",
    "RiskLater",
    "Consultation",
    "SafetyAssessment",
    "VeiligThuisMelding",
    "MeldcodeRecord",
    "Voice",
    "Hulpvraag",
    "Action",
    "Goal",
    "Regisseur",
    "Plan",
    "Familiegroepsplan",
    "Signature",
    "GesprekSoort",
    "DoelUitkomst",
    "DoelEvaluatie",
    "PartnerGeinformeerd",
    "Afsluiting",
    "PlanVersie",
    "Raadpleging",
    "Afspraak",
    "Veiligheidsplan",
    "Evaluation",
    "Opschaling",
    "Kernbeslissing",
    "Finalisation",
    "VersionRef",
    "Dossier",
    "age_on",
    "current_domain_set",
]

SCHEMA_VERSION: Final = 2
ADULT_AGE = 18


def _new_id() -> UUID:
    return uuid4()


def _today() -> dt.date:
    return dt.date.today()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def current_domain_set() -> DefinitionRef:
    """The newest version of the active life-domain set: what a new household is made with.

    Read from :func:`forms.definitions.default_definitions` (the shipped definitions plus
    the folder ``$KEUKENTAFEL_DEFINITIES`` names), so a municipality's own set reaches new
    households; a broken folder raises its :class:`forms.DefinitionError` (Dutch melding).
    """
    from .definitions import default_definitions  # definitions import this module

    return default_definitions().current_refs().leefgebieden.model_copy()


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in whole years on a given date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class Model(BaseModel):
    """Base for every dossier model: strict about unknown fields, checks assignments."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        # bytes (a drawn signature's PNG) travel as base64 in JSON; utf-8 would fail on them
        ser_json_bytes="base64",
        val_json_bytes="base64",
        # str(ValidationError) leaves out the rejected value (a mistyped BSN, a name, a text),
        # so an error that reaches a log or a traceback carries no personal data
        hide_input_in_errors=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: object) -> object:
        """Every text in Unicode NFC: the same name is stored the same however it was typed
        (digit fields are further normalised to ASCII digits by their own validators)."""
        return nfc(value)


class DefinitionRef(Model):
    """Which definition (and which version of it) an answer was given under."""

    id: Annotated[str, Field(min_length=1, max_length=80)]
    version: Annotated[int, Field(ge=1)]


# --- household -----------------------------------------------------------------


class Role(StrEnum):
    OUDER = "ouder"  # ouder/verzorger
    KIND = "kind"
    OVERIG = "overig"  # overig huisgenoot

    @property
    def label(self) -> str:
        return {"ouder": "Ouder/verzorger", "kind": "Kind", "overig": "Overig huisgenoot"}[
            self.value
        ]


class ContactStatus(StrEnum):
    GESPROKEN = "gesproken"
    GEZIEN = "gezien"
    NIET = "niet_gesproken"

    @property
    def label(self) -> str:
        return {
            "gesproken": "Gesproken",
            "gezien": "Gezien",
            "niet_gesproken": "Niet gesproken",
        }[self.value]


Postcode = Annotated[str, AfterValidator(normalise_postcode)]
Bsn = Annotated[str, AfterValidator(check_bsn)]


class Address(Model):
    straat: ShortText = ""
    huisnummer: Annotated[
        str,
        Field(min_length=1, max_length=10, pattern=r"^[0-9]+\s?\S*$"),
        BeforeValidator(ascii_digits),  # after the constraints: they keep their string_* errors
    ]
    postcode: Postcode
    plaats: Annotated[str, Field(min_length=1, max_length=80)]

    def one_line(self) -> str:
        street = f"{self.straat} {self.huisnummer}".strip()
        return f"{street}, {self.postcode} {self.plaats}"


class Member(Model):
    id: UUID = Field(default_factory=_new_id)
    voornaam: Annotated[str, Field(min_length=1, max_length=100)]
    achternaam: Annotated[str, Field(min_length=1, max_length=100)]
    geboortedatum: dt.date
    rol: Role
    # Only where a beschikking needs it (data minimisation); checked with the elfproef.
    bsn: Bsn | None = None

    @field_validator("geboortedatum")
    @classmethod
    def _not_in_future(cls, value: dt.date) -> dt.date:
        if value > _today():
            raise PydanticCustomError(
                "datum_geboorte_toekomst", "Een geboortedatum kan niet in de toekomst liggen."
            )
        if value.year < 1900:
            raise PydanticCustomError(
                "datum_geboorte_oud", "Controleer de geboortedatum: die ligt voor 1900."
            )
        return value

    @property
    def naam(self) -> str:
        return f"{self.voornaam} {self.achternaam}"

    def age_on(self, on: dt.date) -> int:
        return age_on(self.geboortedatum, on)

    def is_minor_on(self, on: dt.date) -> bool:
        return self.age_on(on) < ADULT_AGE


class Household(Model):
    adres: Address
    leden: list[Member] = Field(default_factory=list, max_length=30)

    @model_validator(mode="after")
    def _unique_ids(self) -> Household:
        ids = [m.id for m in self.leden]
        if len(ids) != len(set(ids)):
            raise PydanticCustomError("dossier_dubbel_lid", "Een gezinslid staat er twee keer in.")
        return self


# --- the conversation ----------------------------------------------------------


class ContactRecord(Model):
    """Was this member spoken with, seen, or not — and if not, why (T1)."""

    member_id: UUID
    status: ContactStatus
    reden: MediumText = ""


class GesprekSoort(StrEnum):
    """The kind of gesprek: a trajectory is an intake, any number of evaluaties, an afsluiting."""

    INTAKE = "intake"
    EVALUATIE = "evaluatie"
    AFSLUITING = "afsluiting"

    @property
    def label(self) -> str:
        return {"intake": "Intake", "evaluatie": "Evaluatie", "afsluiting": "Afsluiting"}[
            self.value
        ]


class DoelUitkomst(StrEnum):
    BEHAALD = "behaald"
    DEELS = "deels"
    NIET_BEHAALD = "niet_behaald"
    NIET_MEER_VAN_TOEPASSING = "niet_meer_van_toepassing"

    @property
    def label(self) -> str:
        return {
            "behaald": "Behaald",
            "deels": "Deels behaald",
            "niet_behaald": "Niet behaald",
            "niet_meer_van_toepassing": "Niet meer van toepassing",
        }[self.value]


class DoelEvaluatie(Model):
    """One goal of the plan, evaluated with the family at an evaluatie or afsluiting (T10)."""

    goal_id: UUID
    uitkomst: DoelUitkomst | None = None
    familie: LongText = ""  # what the family says
    coach: LongText = ""  # what the wijkcoach sees


class PartnerGeinformeerd(Model):
    """A netwerkpartner told that the help ends (T13): when and how."""

    partner_id: UUID
    datum: dt.date
    hoe: Annotated[str, Field(min_length=1, max_length=200)]  # "telefonisch", "per brief", …


class Afsluiting(Model):
    """How the trajectory ends (T13): the family goes on alone or follow-up is arranged."""

    zelfstandig_verder: bool | None = None  # the family can go on without us
    vervolg_partner_id: UUID | None = None  # the named partner who takes over
    vervolg_afspraak: MediumText = ""  # what was arranged with them
    geinformeerd: list[PartnerGeinformeerd] = Field(default_factory=list)
    # key of the trajectory definitions' resultaten (and of the sync's resultaattypen)
    resultaat: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")] | None = None
    waakvlam: dt.date | None = None  # a check-in date on the caseload after closing
    toelichting: LongText = ""


class Gesprek(Model):
    """One gesprek of the trajectory: its own date, who was there, its own signatures
    (``Dossier.handtekeningen`` of this version) and its own verslag. The kind decides
    what it must contain (forms.rules); a finalised gesprek is a stored version and
    never changes."""

    id: UUID = Field(default_factory=_new_id)
    soort: GesprekSoort = GesprekSoort.INTAKE
    datum: dt.date = Field(default_factory=_today)
    plaats: ShortText = ""
    aanwezig: list[UUID] = Field(default_factory=list)  # members present at the table
    overige_aanwezigen: MediumText = ""  # e.g. a tolk or a netwerkpartner
    contacten: list[ContactRecord] = Field(default_factory=list)
    # --- evaluatie and afsluiting (T10, T12, T13) ---
    doel_evaluaties: list[DoelEvaluatie] = Field(default_factory=list)
    # Meldcode step 5: "leidt de hulp tijdig tot de noodzakelijke resultaten?"
    meldcode_stap5: bool | None = None
    meldcode_stap5_toelichting: MediumText = ""
    nieuwe_melding: VeiligThuisMelding | None = None  # required when step 5 is answered "nee"
    # why the plan was changed at this gesprek, or why it stays as it is (T12)
    plan_reden: MediumText = ""
    volgende_evaluatie: dt.date | None = None
    afsluiting: Afsluiting | None = None


class DomainEntry(Model):
    """One life domain, for the household as a whole (member_id None) or one member (T2, T5)."""

    id: UUID = Field(default_factory=_new_id)
    domein: Annotated[str, Field(min_length=1, max_length=80)]
    member_id: UUID | None = None
    definitie: DefinitionRef
    besproken: bool = False
    niet_van_toepassing: bool = False
    nvt_reden: MediumText = ""
    zorgen: LongText = ""
    krachten: LongText = ""
    hulpvraag: LongText = ""
    zrm: Annotated[int, Field(ge=1, le=5)] | None = None  # adults only; see rules

    @model_validator(mode="after")
    def _not_both(self) -> DomainEntry:
        if self.besproken and self.niet_van_toepassing:
            raise PydanticCustomError(
                "dossier_domein_beide",
                "Een leefgebied is besproken of niet van toepassing, niet allebei.",
            )
        return self


# --- network and consent (T3, AVG) ----------------------------------------------


class Consent(Model):
    """The family's explicit, dated answer on contacting and sharing with one party."""

    contact_toegestaan: bool
    delen_toegestaan: bool
    reikwijdte: MediumText = ""  # what may be shared, e.g. "schoolresultaten en verzuim"
    datum: dt.date
    gegeven_door: list[UUID] = Field(default_factory=list)  # members who gave it

    @field_validator("datum")
    @classmethod
    def _not_future(cls, value: dt.date) -> dt.date:
        if value > _today():
            raise PydanticCustomError(
                "datum_toestemming_toekomst", "Toestemming kan niet in de toekomst gegeven zijn."
            )
        return value


class NetworkPerson(Model):
    """Someone in the sociaal netwerk: family, friends, neighbours."""

    id: UUID = Field(default_factory=_new_id)
    naam: Annotated[str, Field(min_length=1, max_length=100)]
    relatie: ShortText = ""  # e.g. "oma (moederskant)", "buurvrouw"
    telefoon: PhoneText = ""
    domeinen: list[str] = Field(default_factory=list)
    toestemming: Consent | None = None


class Partner(Model):
    """A netwerkpartner: school, huisarts, GGZ, schuldhulpverlening, …"""

    id: UUID = Field(default_factory=_new_id)
    organisatie: Annotated[str, Field(min_length=1, max_length=120)]
    rol: ShortText = ""  # e.g. "mentor", "huisarts"
    contactpersoon: ShortText = ""
    telefoon: PhoneText = ""
    email: ShortText = ""
    domeinen: list[str] = Field(default_factory=list)
    toestemming: Consent | None = None


# --- child safety (T4, T10) -----------------------------------------------------


class ItemAnswer(Model):
    """The answer to one item of an instrument: present or not, with a note."""

    aanwezig: bool | None = None
    toelichting: MediumText = ""


class SafetyNow(StrEnum):
    VEILIG = "veilig"
    ONVEILIG = "onveilig"
    ACUUT_ONVEILIG = "acuut_onveilig"

    @property
    def label(self) -> str:
        return {"veilig": "Veilig", "onveilig": "Onveilig", "acuut_onveilig": "Acuut onveilig"}[
            self.value
        ]


class RiskLater(StrEnum):
    LAAG = "laag"
    VERHOOGD = "verhoogd"
    HOOG = "hoog"

    @property
    def label(self) -> str:
        return {"laag": "Laag", "verhoogd": "Verhoogd", "hoog": "Hoog"}[self.value]


class Consultation(Model):
    """The second professional an unsafe or high-risk judgment needs."""

    met: Literal["collega", "gedragswetenschapper"]
    naam: ShortText = ""
    datum: dt.date
    uitkomst: LongText = ""


class SafetyAssessment(Model):
    """One child-safety assessment of one child, under one instrument version.

    Re-assessments are new objects; the first one stays for comparison (T10).
    """

    id: UUID = Field(default_factory=_new_id)
    child_id: UUID
    gesprek_id: UUID | None = None  # the gesprek it was made at (None: before schema 2)
    instrument: DefinitionRef
    datum: dt.date = Field(default_factory=_today)
    antwoorden: dict[str, ItemAnswer] = Field(default_factory=dict)  # item id -> answer
    veiligheid_nu: SafetyNow | None = None
    risico: RiskLater | None = None
    onderbouwing: LongText = ""
    consultatie: Consultation | None = None
    afgerond: bool = False  # the professional concluded the judgment


class VeiligThuisMelding(Model):
    datum: dt.date
    referentie: Annotated[str, Field(min_length=1, max_length=80)]


class MeldcodeRecord(Model):
    """The Meldcode afwegingskader as answered: question id -> yes/no (T15)."""

    definitie: DefinitionRef
    antwoorden: dict[str, bool | None] = Field(default_factory=dict)
    toelichting: LongText = ""
    melding: VeiligThuisMelding | None = None


# --- request, plan, regie (T6–T9) ------------------------------------------------


class Voice(StrEnum):
    OUDER = "ouder"
    KIND = "kind"
    BEIDE = "beide"


class Hulpvraag(Model):
    tekst: LongText = ""
    stem: Voice | None = None  # whose request it is


class Action(Model):
    id: UUID = Field(default_factory=_new_id)
    omschrijving: Annotated[str, Field(min_length=1, max_length=500)]
    wie: ShortText = ""
    wanneer: dt.date | None = None


class Goal(Model):
    id: UUID = Field(default_factory=_new_id)
    prioriteit: Annotated[int, Field(ge=1, le=99)]
    omschrijving: Annotated[str, Field(min_length=1, max_length=500)]
    resultaat: MediumText = ""  # the concrete, observable result
    eigenaar: ShortText = ""
    streefdatum: dt.date | None = None
    domeinen: list[str] = Field(default_factory=list)
    acties: list[Action] = Field(default_factory=list)


class Regisseur(Model):
    """The one person responsible for the plan (T9)."""

    soort: Literal["wijkcoach", "gezinslid", "netwerk", "partner"]
    ref: UUID | None = None  # member, network person or partner id
    naam: Annotated[str, Field(min_length=1, max_length=100)]
    bereikbaar: ShortText = ""  # how the family reaches them
    taken: MediumText = ""


class Plan(Model):
    probleemanalyse: LongText = ""  # integral: causes, patterns, previous help
    perspectief: LongText = ""  # the desired perspective
    doelen: list[Goal] = Field(default_factory=list)
    regisseur: Regisseur | None = None


class Familiegroepsplan(Model):
    aangeboden: bool | None = None
    datum: dt.date | None = None
    uitkomst: Literal["geaccepteerd", "afgewezen", "in_voorbereiding"] | None = None
    toelichting: MediumText = ""


class Signature(Model):
    id: UUID = Field(default_factory=_new_id)
    member_id: UUID | None = None  # None: the wijkcoach
    naam: Annotated[str, Field(min_length=1, max_length=100)]
    plaats: ShortText = ""
    datum: dt.date = Field(default_factory=_today)
    afbeelding_png: bytes | None = None  # the drawn signature
    weigering_reden: MediumText = ""  # "wil niet tekenen" and why


# --- follow-up (T10–T14) ----------------------------------------------------------


class PlanVersie(Model):
    """The plan as it was signed at one gesprek (T12): every change after signing is a new
    version with a reason. Appended by forms.finalise when the plan differs from the last."""

    versie: Annotated[int, Field(ge=1)]
    gesprek_id: UUID
    datum: dt.date
    reden: MediumText = ""
    plan: Plan


class Evaluation(Model):
    """A free evaluation note of schema 1 (no screen made them); kept as stored. Goals are
    evaluated per gesprek in ``Gesprek.doel_evaluaties``."""

    id: UUID = Field(default_factory=_new_id)
    datum: dt.date
    goal_id: UUID | None = None
    bevinding: LongText = ""


class Raadpleging(Model):
    """Who was consulted about a kernbeslissing (T14): name, date, about what."""

    met: Literal["collega", "gedragswetenschapper", "partner"]
    naam: Annotated[str, Field(min_length=1, max_length=100)]
    datum: dt.date
    over: MediumText = ""  # what was asked
    uitkomst: MediumText = ""  # what they advised


class Afspraak(Model):
    """One agreement of a veiligheidsplan: what, who, when."""

    id: UUID = Field(default_factory=_new_id)
    wat: Annotated[str, Field(min_length=1, max_length=500)]
    wie: ShortText = ""
    wanneer: dt.date | None = None


class Veiligheidsplan(Model):
    """The safety plan a kernbeslissing may need, signed with the family like a verslag."""

    afspraken: list[Afspraak] = Field(default_factory=list)
    handtekeningen: list[Signature] = Field(default_factory=list)


class Opschaling(Model):
    """Scaling up when voluntary help does not suffice (T11); it is a kernbeslissing."""

    id: UUID = Field(default_factory=_new_id)
    gesprek_id: UUID | None = None
    datum: dt.date
    naar: Literal["veilig_thuis", "raad_kinderbescherming", "procesmanager", "anders"]
    naar_anders: ShortText = ""  # who, when ``naar`` is "anders"
    reden: Annotated[str, Field(min_length=1, max_length=2000)]
    uitkomst: MediumText = ""  # what came of it (may follow later)
    kernbeslissing_id: UUID | None = None


class Kernbeslissing(Model):
    """A key decision (T14): what was decided, who was consulted about what, on which
    information, and whether a veiligheidsplan is needed. ``soort`` is an id of the
    trajectory definitions' list of kernbeslissingen (opschaling, afschaling, …)."""

    id: UUID = Field(default_factory=_new_id)
    gesprek_id: UUID | None = None
    datum: dt.date
    soort: Annotated[str, Field(min_length=1, max_length=80)] = "overig"
    child_id: UUID | None = None  # the child it concerns, if one
    beslissing: Annotated[str, Field(min_length=1, max_length=2000)]
    raadplegingen: list[Raadpleging] = Field(default_factory=list)
    informatie: MediumText = ""  # on which information
    veiligheidsplan_nodig: bool | None = None
    veiligheidsplan: Veiligheidsplan | None = None
    toelichting: MediumText = ""  # schema 1's free "geraadpleegd" text lands here


# --- versions ----------------------------------------------------------------------


class Finalisation(Model):
    """Set by forms.finalise: the frozen content's hash."""

    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    op: dt.datetime
    # the schema the hash was computed in: a version finalised under schema 1 is hashed
    # over its schema-1 shape (forms.finalise.canonical_json), so it stays intact
    schema_version: Annotated[int, Field(ge=1)] = SCHEMA_VERSION


class VersionRef(Model):
    """An earlier, finalised version of this dossier (kept unchanged in the vault): one
    gesprek of the trajectory."""

    versie: int
    sha256: str
    op: dt.datetime
    soort: GesprekSoort = GesprekSoort.INTAKE
    gesprek_id: UUID | None = None
    datum: dt.date | None = None  # the gesprek's date


class Dossier(Model):
    """A household's trajectory: the current gesprek (``gesprek``, its ``handtekeningen``
    and ``definitief``) and the finalised ones before it (``vorige_versies``, stored in the
    vault with their verslag). The plan, network, consents, safety assessments,
    kernbeslissingen and opschalingen carry over from one gesprek to the next."""

    schema_version: Literal[2] = SCHEMA_VERSION
    id: UUID = Field(default_factory=_new_id)
    versie: Annotated[int, Field(ge=1)] = 1
    aangemaakt: dt.datetime = Field(default_factory=_now)
    huishouden: Household
    gesprek: Gesprek = Field(default_factory=Gesprek)
    # A new dossier gets the configured life-domain set's newest version (shipped, or the
    # municipality's via $KEUKENTAFEL_DEFINITIES); a stored one keeps the version it has.
    leefgebieden_set: DefinitionRef = Field(default_factory=lambda: current_domain_set())
    leefgebieden: list[DomainEntry] = Field(default_factory=list)
    netwerk: list[NetworkPerson] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    veiligheid: list[SafetyAssessment] = Field(default_factory=list)
    meldcode: MeldcodeRecord | None = None
    hulpvraag: Hulpvraag = Field(default_factory=Hulpvraag)
    plan: Plan = Field(default_factory=Plan)
    plan_versies: list[PlanVersie] = Field(default_factory=list)
    familiegroepsplan: Familiegroepsplan = Field(default_factory=Familiegroepsplan)
    handtekeningen: list[Signature] = Field(default_factory=list)
    evaluaties: list[Evaluation] = Field(default_factory=list)
    opschalingen: list[Opschaling] = Field(default_factory=list)
    kernbeslissingen: list[Kernbeslissing] = Field(default_factory=list)
    definitief: Finalisation | None = None
    vorige_versies: list[VersionRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_consistent(self) -> Dossier:
        for member in self.huishouden.leden:
            if self.gesprek.datum < member.geboortedatum:
                raise PydanticCustomError(
                    "datum_gesprek_voor_geboorte",
                    "De datum van het gesprek ligt voor de geboortedatum van {naam}.",
                    {"naam": member.voornaam},
                )
        return self

    # --- lookups the screens and rules use --------------------------------------------

    def member(self, member_id: UUID) -> Member | None:
        return next((m for m in self.huishouden.leden if m.id == member_id), None)

    def children(self) -> list[Member]:
        """Everyone under 18 on the gesprek date, whatever their role: every child counts."""
        return [m for m in self.huishouden.leden if m.is_minor_on(self.gesprek.datum)]

    def adults(self) -> list[Member]:
        return [m for m in self.huishouden.leden if not m.is_minor_on(self.gesprek.datum)]

    def contact(self, member_id: UUID) -> ContactRecord | None:
        return next((c for c in self.gesprek.contacten if c.member_id == member_id), None)

    def domain_entry(self, domein: str, member_id: UUID | None) -> DomainEntry | None:
        return next(
            (e for e in self.leefgebieden if e.domein == domein and e.member_id == member_id),
            None,
        )

    def assessments_for(self, child_id: UUID) -> list[SafetyAssessment]:
        """This child's assessments, oldest first."""
        return sorted(
            (a for a in self.veiligheid if a.child_id == child_id), key=lambda a: a.datum
        )

    def latest_assessment(self, child_id: UUID) -> SafetyAssessment | None:
        found = self.assessments_for(child_id)
        return found[-1] if found else None

    @property
    def titel(self) -> str:
        """'Familie De Vries-Jansen': the parents' family names, else all members'."""
        parents = [m for m in self.huishouden.leden if m.rol is Role.OUDER]
        names: list[str] = []
        for m in parents or self.huishouden.leden:
            if m.achternaam not in names:
                names.append(m.achternaam)
        return "Familie " + "-".join(names) if names else "Nieuw huishouden"
