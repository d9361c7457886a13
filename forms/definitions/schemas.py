"""The shapes of the definition files, checked by pydantic when a file is loaded.

Five kinds, told apart by the ``soort`` field of each JSON file:

- ``leefgebieden``: a life-domain set (:class:`DomainSet`);
- ``zrm``: the Zelfredzaamheid-Matrix scale (:class:`ZrmScale`);
- ``veiligheid``: a child-safety instrument (:class:`SafetyInstrument`);
- ``meldcode``: the Meldcode afwegingskader (:class:`MeldcodeDefinition`);
- ``trajectory``: the municipality's trajectory policy: the maximum interval between
  evaluations, which decisions are kernbeslissingen, the resultaten of a closed
  trajectory and where a case is scaled up to (:class:`TrajectoryDefinition`).

Every definition has an ``id`` and a ``version``; answers in a dossier record both
(:class:`forms.models.DefinitionRef`). A version, once shipped, never changes: a
change is a new version, and dossiers answered under the old one are still checked
against the old one.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ..models import DefinitionRef, Dossier, MeldcodeRecord, Member, RiskLater, Role, SafetyAssessment, SafetyNow

if TYPE_CHECKING:  # pragma: no cover
    from . import Definitions

__all__ = [
    "DefinitionKind",
    "Definition",
    "AgeBand",
    "PerLid",
    "DomainDefinition",
    "DomainSet",
    "ZrmNiveau",
    "ZrmScale",
    "Item",
    "Section",
    "Judgment",
    "SafetyInstrument",
    "MeldcodeVraag",
    "MeldcodeTrigger",
    "MeldcodeDefinition",
    "Keuze",
    "KernbeslissingSoort",
    "TrajectoryDefinition",
    "KERNBESLISSING_EVENTS",
    "OPSCHALING_NAAR",
    "Cell",
]

Id = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Cell = tuple[str, UUID | None]  # (domain id, member id or None for the household)


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


DefinitionKind = Literal["leefgebieden", "zrm", "veiligheid", "meldcode", "trajectory"]


class _Base(Schema):
    id: Id
    version: Annotated[int, Field(ge=1)]
    naam: Text
    omschrijving: str = ""
    bron: str = ""  # where the content comes from / licence note

    _file: str | None = PrivateAttr(default=None)

    @property
    def ref(self) -> DefinitionRef:
        return DefinitionRef(id=self.id, version=self.version)

    @property
    def file(self) -> str | None:
        """The file this definition was loaded from (None when built in code)."""
        return self._file


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what} id {v!r}")
        seen.add(v)


# --- life domains --------------------------------------------------------------------


class AgeBand(Schema):
    """Guiding questions for children aged ``van`` up to (not including) ``tot``."""

    van: Annotated[int, Field(ge=0, le=120)]
    tot: Annotated[int, Field(ge=1, le=121)]
    vragen: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _order(self) -> AgeBand:
        if self.tot <= self.van:
            raise ValueError(f"'tot' ({self.tot}) must be greater than 'van' ({self.van})")
        return self

    def contains(self, age: int) -> bool:
        return self.van <= age < self.tot


class PerLid(Schema):
    """Which members a domain must be covered for, one by one.

    A member matches when their role is in ``rollen`` (empty: any role) and their age
    on the gesprek date is in [``leeftijd_van``, ``leeftijd_tot``) (None: unbounded).
    """

    rollen: list[Role] = Field(default_factory=list)
    leeftijd_van: Annotated[int, Field(ge=0, le=120)] | None = None
    leeftijd_tot: Annotated[int, Field(ge=1, le=121)] | None = None

    @model_validator(mode="after")
    def _order(self) -> PerLid:
        if (
            self.leeftijd_van is not None
            and self.leeftijd_tot is not None
            and self.leeftijd_tot <= self.leeftijd_van
        ):
            raise ValueError("'leeftijd_tot' must be greater than 'leeftijd_van'")
        return self

    def matches(self, member: Member, on: dt.date) -> bool:
        if self.rollen and member.rol not in self.rollen:
            return False
        age = member.age_on(on)
        if self.leeftijd_van is not None and age < self.leeftijd_van:
            return False
        if self.leeftijd_tot is not None and age >= self.leeftijd_tot:
            return False
        return True


class DomainDefinition(Schema):
    id: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]
    naam: Text
    beschrijving: Text
    # at which level the domain must be covered (T2): the household as a whole, and/or
    # each member matching one of `per_lid`
    huishouden: bool = False
    per_lid: list[PerLid] = Field(default_factory=list)
    # the ZRM applies to adults on this domain (T5), mapped to these ZRM domains
    zrm: bool = False
    zrm_domeinen: list[Text] = Field(default_factory=list)
    vragen_volwassenen: list[Text] = Field(default_factory=list)
    vragen_kinderen: list[AgeBand] = Field(default_factory=list)
    toelichting_nvt: str = ""  # hint on when 'niet van toepassing' is reasonable

    @model_validator(mode="after")
    def _level(self) -> DomainDefinition:
        if not self.huishouden and not self.per_lid:
            raise ValueError(
                f"domain {self.id!r} must be required for the household ('huishouden': true) "
                "and/or per member ('per_lid')"
            )
        bands = sorted(self.vragen_kinderen, key=lambda b: b.van)
        for a, b in itertools.pairwise(bands):
            if b.van < a.tot:
                raise ValueError(
                    f"age bands {a.van}-{a.tot} and {b.van}-{b.tot} of domain {self.id!r} overlap"
                )
        return self

    def applies_to(self, member: Member, on: dt.date) -> bool:
        """Whether this domain must be covered for this member individually."""
        return any(p.matches(member, on) for p in self.per_lid)

    def vragen_voor(self, member: Member | None, on: dt.date) -> list[str]:
        """The guiding questions for a member (adults' questions for the household)."""
        if member is None or not member.is_minor_on(on):
            return list(self.vragen_volwassenen)
        age = member.age_on(on)
        band = next((b for b in self.vragen_kinderen if b.contains(age)), None)
        return list(band.vragen) if band else []


class DomainSet(_Base):
    soort: Literal["leefgebieden"]
    zrm_schaal: DefinitionRef = Field(
        default_factory=lambda: DefinitionRef(id="zrm", version=1)
    )  # the ZRM scale the scores on this set are given on
    domeinen: list[DomainDefinition] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> DomainSet:
        _unique([d.id for d in self.domeinen], "domain")
        return self

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.domeinen]

    def domein(self, domain_id: str) -> DomainDefinition:
        for d in self.domeinen:
            if d.id == domain_id:
                return d
        raise KeyError(f"domain {domain_id!r} is not in {self.id} v{self.version}")

    def has(self, domain_id: str) -> bool:
        return any(d.id == domain_id for d in self.domeinen)

    def cells_for(self, domain: DomainDefinition, dossier: Dossier) -> list[Cell]:
        on = dossier.gesprek.datum
        cells: list[Cell] = [(domain.id, None)] if domain.huishouden else []
        cells += [(domain.id, m.id) for m in dossier.huishouden.leden if domain.applies_to(m, on)]
        return cells

    def required_cells(self, dossier: Dossier) -> list[Cell]:
        """Every (domain id, member id | None) that must be covered or marked n.v.t.

        In domain order; per domain the household first, then members in household order.
        """
        out: list[Cell] = []
        for d in self.domeinen:
            out += self.cells_for(d, dossier)
        return out


# --- ZRM ------------------------------------------------------------------------------


class ZrmNiveau(Schema):
    score: Annotated[int, Field(ge=1, le=5)]
    label: Text
    omschrijving: Text


class ZrmScale(_Base):
    soort: Literal["zrm"]
    niveaus: list[ZrmNiveau] = Field(min_length=5, max_length=5)

    @model_validator(mode="after")
    def _scores(self) -> ZrmScale:
        if sorted(n.score for n in self.niveaus) != [1, 2, 3, 4, 5]:
            raise ValueError("niveaus must have the scores 1, 2, 3, 4 and 5 exactly once")
        return self

    def niveau(self, score: int) -> ZrmNiveau:
        for n in self.niveaus:
            if n.score == score:
                return n
        raise KeyError(f"no ZRM score {score}")

    def label(self, score: int) -> str:
        return self.niveau(score).label


# --- the child-safety instrument --------------------------------------------------------


class Item(Schema):
    id: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]
    tekst: Text
    toelichting_hint: str = ""


class Section(Schema):
    id: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]
    titel: Text
    # signalen: signs of unsafety now; risico: risk factors; beschermend: protective factors
    soort: Literal["signalen", "risico", "beschermend"]
    betreft: Literal["kind", "ouders", "gezin", "omgeving"] | None = None
    uitleg: str = ""
    # every item must be answered (present yes/no) before the assessment counts as concluded
    verplicht: bool = False
    items: list[Item] = Field(min_length=1)


# whom a wijkcoach consults; by default both
_CONSULTANTS: tuple[Literal["collega", "gedragswetenschapper"], ...] = ("collega", "gedragswetenschapper")


class Judgment(Schema):
    """How the professional's judgment is given and when it needs a second professional."""

    onderbouwing_verplicht: Literal[True] = True  # the rationale is always required
    consultatie_bij_veiligheid: list[SafetyNow] = Field(default_factory=list)
    consultatie_bij_risico: list[RiskLater] = Field(default_factory=list)
    consultatie_met: list[Literal["collega", "gedragswetenschapper"]] = Field(
        default_factory=lambda: list(_CONSULTANTS), min_length=1
    )
    uitleg_veiligheid: dict[SafetyNow, str] = Field(default_factory=dict)
    uitleg_risico: dict[RiskLater, str] = Field(default_factory=dict)


class SafetyInstrument(_Base):
    soort: Literal["veiligheid"]
    secties: list[Section] = Field(min_length=1)
    oordeel: Judgment

    @model_validator(mode="after")
    def _ids(self) -> SafetyInstrument:
        _unique([s.id for s in self.secties], "section")
        _unique([i.id for s in self.secties for i in s.items], "item")
        return self

    @property
    def items(self) -> list[Item]:
        return [i for s in self.secties for i in s.items]

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(f"item {item_id!r} is not in {self.id} v{self.version}")

    def sectie(self, section_id: str) -> Section:
        for s in self.secties:
            if s.id == section_id:
                return s
        raise KeyError(f"section {section_id!r} is not in {self.id} v{self.version}")

    def requires_consultation(self, now: SafetyNow | None, risk: RiskLater | None) -> bool:
        return (now is not None and now in self.oordeel.consultatie_bij_veiligheid) or (
            risk is not None and risk in self.oordeel.consultatie_bij_risico
        )

    def signal_ids(self) -> list[str]:
        return [i.id for s in self.secties if s.soort == "signalen" for i in s.items]

    def signals_present(self, assessment: SafetyAssessment) -> list[Item]:
        """The items of a 'signalen' section answered as present."""
        return [
            i
            for s in self.secties
            if s.soort == "signalen"
            for i in s.items
            if (a := assessment.antwoorden.get(i.id)) is not None and a.aanwezig is True
        ]

    def has_soort(self, soort: str) -> bool:
        """Whether the instrument has a section of this kind (signalen, risico, beschermend)."""
        return any(s.soort == soort for s in self.secties)

    def present(self, assessment: SafetyAssessment, soort: str) -> list[Item]:
        """The items of the sections of one kind answered as present (``aanwezig`` True):
        the factors a judgment on the balans (risk against protection) rests on."""
        return [
            i
            for s in self.secties
            if s.soort == soort
            for i in s.items
            if (a := assessment.antwoorden.get(i.id)) is not None and a.aanwezig is True
        ]

    def unanswered_required(self, assessment: SafetyAssessment) -> list[Item]:
        """Items of a ``verplicht`` section with no yes/no answer yet."""
        return [
            i
            for s in self.secties
            if s.verplicht
            for i in s.items
            if (a := assessment.antwoorden.get(i.id)) is None or a.aanwezig is None
        ]


# --- the Meldcode afwegingskader ----------------------------------------------------------


class MeldcodeVraag(Schema):
    id: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]
    stap: Annotated[int, Field(ge=1)]
    vraag: Text
    uitleg: str = ""
    melden_bij: bool | None = None  # this answer means: report to Veilig Thuis
    stop_bij: bool | None = None  # this answer ends the afweging without a report
    # answered later (at an evaluation), so it may stay open when the verslag is finalised
    later: bool = False
    uitkomst_ja: Text
    uitkomst_nee: Text

    @model_validator(mode="after")
    def _consistent(self) -> MeldcodeVraag:
        if self.melden_bij is not None and self.melden_bij == self.stop_bij:
            raise ValueError(f"question {self.id!r}: the same answer cannot both report and stop")
        return self


class MeldcodeTrigger(Schema):
    """When the afwegingskader must be gone through (besides: a record already started)."""

    signaal_aanwezig: bool = True  # any 'signalen' item answered present
    veiligheid_nu: list[SafetyNow] = Field(default_factory=list)
    risico: list[RiskLater] = Field(default_factory=list)


class MeldcodeDefinition(_Base):
    soort: Literal["meldcode"]
    vragen: list[MeldcodeVraag] = Field(min_length=1)
    relevant_bij: MeldcodeTrigger = Field(default_factory=MeldcodeTrigger)

    @model_validator(mode="after")
    def _steps(self) -> MeldcodeDefinition:
        _unique([q.id for q in self.vragen], "question")
        steps = sorted(q.stap for q in self.vragen)
        if steps != list(range(1, len(steps) + 1)):
            raise ValueError(f"'stap' must number the questions 1..{len(steps)} exactly once")
        return self

    @property
    def stappen(self) -> list[MeldcodeVraag]:
        return sorted(self.vragen, key=lambda q: q.stap)

    def vraag(self, question_id: str) -> MeldcodeVraag:
        for q in self.vragen:
            if q.id == question_id:
                return q
        raise KeyError(f"question {question_id!r} is not in {self.id} v{self.version}")

    def walk(self, record: MeldcodeRecord) -> tuple[list[MeldcodeVraag], MeldcodeVraag | None, bool]:
        """Follow the answers step by step.

        Returns (the questions answered on the path, the first open question that must be
        answered now or None, whether the path ends in a report). A 'later' question that is
        still open does not count as open.
        """
        answered: list[MeldcodeVraag] = []
        for q in self.stappen:
            answer = record.antwoorden.get(q.id)
            if answer is None:
                return answered, (None if q.later else q), False
            answered.append(q)
            if q.melden_bij is not None and answer == q.melden_bij:
                return answered, None, True
            if q.stop_bij is not None and answer == q.stop_bij:
                return answered, None, False
        return answered, None, False

    def report_required(self, record: MeldcodeRecord) -> bool:
        """Whether the answers given lead to a report to Veilig Thuis."""
        return self.walk(record)[2]

    def open_question(self, record: MeldcodeRecord) -> MeldcodeVraag | None:
        return self.walk(record)[1]

    def is_relevant(self, dossier: Dossier, definitions: Definitions | None = None) -> bool:
        """Whether the Meldcode step applies: a record already started, a signal of
        unsafety present, or a judgment this definition names (each child's latest
        assessment, read against its own instrument version)."""
        if dossier.meldcode is not None:
            return True
        if definitions is None:
            from . import default_definitions

            definitions = default_definitions()
        trig = self.relevant_bij
        for child in dossier.huishouden.leden:
            a = dossier.latest_assessment(child.id)
            if a is None:
                continue
            if a.veiligheid_nu in trig.veiligheid_nu or a.risico in trig.risico:
                return True
            if trig.signaal_aanwezig and definitions.has(a.instrument, "veiligheid"):
                if definitions.instrument(a.instrument).signals_present(a):
                    return True
        return False


# --- the trajectory (issue 13, T10-T14) ---------------------------------------------------

# The kernbeslissing ids forms.rules recognises as events in a dossier: when the active
# trajectory definition lists one of these ids, the event requires a kernbeslissing of that
# soort at the gesprek where it happens (see forms.rules, T14). Other ids a municipality
# lists are recorded by the wijkcoach and need a raadpleging like every kernbeslissing.
KERNBESLISSING_EVENTS: tuple[str, ...] = (
    "opschaling",  # an Opschaling recorded at this gesprek
    "afsluiten_met_kinderen",  # an afsluiting while a child under 18 lives in the household
    "onveilig_oordeel",  # a child judged onveilig or acuut onveilig at an evaluatie/afsluiting
    "veiligheid_verslechterd",  # a child judged worse than at the previous assessment
)
# Where a case can be scaled up to: exactly the values forms.models.Opschaling.naar allows.
OPSCHALING_NAAR: tuple[str, ...] = ("veilig_thuis", "raad_kinderbescherming", "procesmanager", "anders")


class Keuze(Schema):
    """One choice of a list: a stable id (stored in dossiers, sent to the zaaksysteem)
    and its Dutch label."""

    id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    label: Text


class KernbeslissingSoort(Keuze):
    """A kind of decision that counts as a kernbeslissing, and when it arises."""

    aanleiding: str = ""


class TrajectoryDefinition(_Base):
    soort: Literal["trajectory"]
    evaluatie_interval_max_dagen: Annotated[int, Field(ge=7, le=366)] = 91
    kernbeslissingen: list[KernbeslissingSoort] = Field(min_length=1)
    resultaten: list[Keuze] = Field(min_length=1)
    opschaling_naar: list[Keuze] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> TrajectoryDefinition:
        _unique([k.id for k in self.kernbeslissingen], "kernbeslissing")
        _unique([k.id for k in self.resultaten], "resultaat")
        _unique([k.id for k in self.opschaling_naar], "opschaling_naar")
        if "overig" not in {k.id for k in self.kernbeslissingen}:
            raise ValueError("kernbeslissingen must contain 'overig' (a decision of another kind)")
        unknown = [k.id for k in self.opschaling_naar if k.id not in OPSCHALING_NAAR]
        if unknown:
            raise ValueError(
                f"opschaling_naar {unknown[0]!r} is not one of {', '.join(OPSCHALING_NAAR)} "
                "(use 'anders' with a name in the dossier)"
            )
        return self

    def kernbeslissing(self, soort: str) -> KernbeslissingSoort | None:
        return next((k for k in self.kernbeslissingen if k.id == soort), None)

    def is_kernbeslissing(self, soort: str) -> bool:
        return self.kernbeslissing(soort) is not None

    def kernbeslissing_label(self, soort: str) -> str:
        k = self.kernbeslissing(soort)
        return k.label if k is not None else soort

    def resultaat(self, resultaat_id: str) -> Keuze | None:
        return next((k for k in self.resultaten if k.id == resultaat_id), None)

    def resultaat_label(self, resultaat_id: str) -> str:
        k = self.resultaat(resultaat_id)
        return k.label if k is not None else resultaat_id

    def opschaling_label(self, naar: str) -> str:
        k = next((k for k in self.opschaling_naar if k.id == naar), None)
        return k.label if k is not None else naar


Definition = Annotated[
    DomainSet | ZrmScale | SafetyInstrument | MeldcodeDefinition | TrajectoryDefinition,
    Field(discriminator="soort"),
]
