"""The rules: what a keukentafelgesprek still lacks before its verslag can be final.

``gaps(dossier)`` returns every gap, blocking or warning, in step order and then in
household order (the household as a whole first, then the members as listed). Each
gap has a stable ``code`` (see :data:`RULES`), a Dutch ``message`` naming the member by
first name where relevant, and a :class:`Location` the screens can jump to.

Every answer is checked against the definition version it was given under: a child's
latest safety assessment against *its* instrument version, the Meldcode record against
*its* afwegingskader, the life domains against the dossier's domain-set version.

Decisions worth knowing (the inspection findings behind them are in DOMAIN.md):

- a life domain marked 'besproken' with no text at all (no zorgen, krachten or
  hulpvraag) blocks: a ticked box is not an exploration (T2). "Geen bijzonderheden" in
  krachten is enough;
- a child under ``child_spoken_age`` may be only 'gezien'; from that age 'gezien' needs a
  reason why the child was not spoken with (T1). 'Niet gesproken' always needs a reason;
- every member under 18 on the gesprek date needs a concluded assessment, whatever the
  request is about and whether or not police or Veilig Thuis are involved (T4);
- an assessment counts as concluded when marked ``afgerond``, every item of a
  ``verplicht`` section (the signals) is answered yes/no, both judgments are given, the
  rationale is written, and, when the instrument says so, the consultation is recorded
  with its outcome;
- the Meldcode's fifth question (does help lead to results in time?) is answered at an
  evaluation and may stay open at the first gesprek (``later`` in the definition);
- a familiegroepsplan not offered blocks (T7: it must be offered); offered needs its
  outcome;
- every parent/carer at the table signs or refuses with a reason, and the wijkcoach
  signs: both block (T16). Signing happens at the table as the last step, and
  ``finalise`` freezes the content including the signatures;
- a gesprek dated after today blocks: a verslag is final only once the gesprek was held;
- a child's judgment and the Meldcode afwegingskader never contradict each other
  (:func:`_meldcode_consistent`), and the judgment on risk rests on answered factors
  (:func:`_balans`).

The trajectory (issue 13): the checks depend on the kind of gesprek (``_CHECKS``), as
a wijkcoach would run an evaluatie or an afsluiting:

- at every gesprek: the household is not empty; every member has a contact status at
  *this* gesprek, with a reason where needed (T1: every gesprek is held with the whole
  family, not only the intake); the gesprek is not dated in the future (nor, for an
  evaluatie or afsluiting, before the previous gesprek); the parents at the table and
  the wijkcoach sign its own verslag (T16); every kernbeslissing and opschaling recorded
  at this gesprek is complete (T11, T14);
- only at the intake: the life domains (T2, T5), the network and consents (T3) and the
  hulpvraag (T6). They were explored and recorded at the intake and carry over; an
  evaluatie looks at the goals, not at every domain again;
- the intake and every evaluatie plan the next evaluation within the municipality's
  maximum interval (T10);
- at an evaluatie: every goal of the plan as signed before it is evaluated with the
  family; every child is assessed again at this gesprek (the rules judge that new
  assessment, not the old one; the old one stays for comparison); the Meldcode
  afwegingskader stays consistent, step 5 is answered while a track is open; the plan
  still meets T7-T9 and a change has a reason (T12); an unsafe or worse judgment is a
  kernbeslissing (T11);
- at an afsluiting: the goals evaluated, a final safety check per child at this gesprek,
  the closing record (T13), a changed plan explained, closing with children a
  kernbeslissing (T14). The plan rules (T8) do not apply: the plan is no longer worked on.
  The Meldcode consistency still does (a final dossier never contradicts it); the
  afsluiting has no Meldcode step, so such a gap is shown on the Controle step.

A gap whose step the kind of gesprek does not have is located on "controle" (see
:func:`_relocated`). Records of earlier gesprekken (assessments, kernbeslissingen,
opschalingen with another ``gesprek_id``, or none: schema 1) are not judged again; the
rules only judge what was made at this gesprek.

:mod:`forms.invariants` names what must hold for every final dossier in terms of
these codes; this module is the one place that checks them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from .definitions import Definitions, DomainSet, default_definitions
from .definitions.schemas import MeldcodeDefinition, MeldcodeVraag, SafetyInstrument
from .errors import UnknownDefinition
from .glossary import term
from .models import (
    ContactStatus,
    DefinitionRef,
    DoelUitkomst,
    Dossier,
    GesprekSoort,
    Goal,
    Kernbeslissing,
    MeldcodeRecord,
    Plan,
    RiskLater,
    Role,
    SafetyAssessment,
    SafetyNow,
    Voice,
)

__all__ = [
    "SECTIONS",
    "SECTIONS_EVALUATIE",
    "SECTIONS_AFSLUITING",
    "sections_for",
    "meldcode_track_open",
    "is_worse",
    "Severity",
    "Location",
    "Gap",
    "RuleSettings",
    "RULES",
    "gaps",
    "blocking",
    "is_complete",
]

# The steps of the gesprek, in order: gap locations use them and the desktop builds its
# step list from them (desktop/steps/base.py STEP_IDS is this tuple).
SECTIONS: tuple[str, ...] = (
    "huishouden",
    "contact",
    "leefgebieden",
    "netwerk",
    "veiligheid",
    "meldcode",
    "hulpvraag",
    "plan",
    "controle",
    "ondertekenen",
)
_SECTION_INDEX = {s: i for i, s in enumerate(SECTIONS)}

# The steps of an evaluatie and an afsluiting (issue 13). "evaluatie": the goals evaluated
# with the family; "kernbeslissingen": the key decisions and opschalingen of this gesprek;
# "afsluiting": how the trajectory ends. Gap locations use these too.
SECTIONS_EVALUATIE: tuple[str, ...] = (
    "contact",
    "evaluatie",
    "veiligheid",
    "meldcode",
    "plan",
    "kernbeslissingen",
    "controle",
    "ondertekenen",
)
SECTIONS_AFSLUITING: tuple[str, ...] = (
    "contact",
    "evaluatie",
    "veiligheid",
    "kernbeslissingen",
    "afsluiting",
    "controle",
    "ondertekenen",
)


def sections_for(soort: GesprekSoort | str) -> tuple[str, ...]:
    """The steps of a gesprek of this kind, in order (the desktop's step list)."""
    soort = GesprekSoort(soort)
    if soort is GesprekSoort.EVALUATIE:
        return SECTIONS_EVALUATIE
    if soort is GesprekSoort.AFSLUITING:
        return SECTIONS_AFSLUITING
    return SECTIONS


def _section_order(soort: GesprekSoort) -> dict[str, int]:
    """Step order for sorting gaps: the kind's own steps first, then any other step a gap
    may point at (e.g. "hulpvraag" for the plan's analysis), in the intake's order."""
    own = sections_for(soort)
    rest = [s for s in (*SECTIONS, "evaluatie", "kernbeslissingen", "afsluiting") if s not in own]
    return {s: i for i, s in enumerate((*own[:-2], *rest, *own[-2:]))}


class Severity(StrEnum):
    BLOKKEREND = "blokkerend"
    WAARSCHUWING = "waarschuwing"

    @property
    def label(self) -> str:
        return {"blokkerend": "Blokkerend", "waarschuwing": "Waarschuwing"}[self.value]


@dataclass(frozen=True)
class Location:
    """Where a gap is fixed.

    ``section``: a step id (:data:`SECTIONS`); ``member_id``: the member concerned (None:
    the household or no one in particular); ``domein``: a life-domain id; ``field``: the
    model field to edit (e.g. ``"reden"``, ``"onderbouwing"``, ``"prioriteit"``);
    ``ref``: the id of the object holding the field when there may be several (a goal,
    a partner, a network person, a safety assessment, a domain entry); ``item``: an
    instrument item or Meldcode question id within ``field`` (``"antwoorden"``).
    """

    section: str
    member_id: UUID | None = None
    domein: str | None = None
    field: str | None = None
    ref: UUID | None = None
    item: str | None = None


@dataclass(frozen=True)
class Gap:
    code: str
    severity: Severity
    message: str
    location: Location

    @property
    def blokkerend(self) -> bool:
        return self.severity is Severity.BLOKKEREND


@dataclass(frozen=True)
class RuleSettings:
    """Tunable thresholds (a municipality's policy), with the defaults we ship."""

    child_spoken_age: int = 12  # from this age a child must be spoken with, not only seen
    assessment_max_age_days: int = 30  # a safety judgment older than this (before the gesprek) warns


B, W = Severity.BLOKKEREND, Severity.WAARSCHUWING

# Every rule: code -> (severity, what it checks). Tests assert every emitted code is here.
RULES: dict[str, tuple[Severity, str]] = {
    # the dossier itself (emitted by forms.finalise from forms.invariants.storage_problems)
    "dossier_ongeldig": (B, "the dossier does not validate again as a Dossier, or a final one no longer matches its hash"),
    # huishouden
    "huishouden_leeg": (B, "the household has no members"),
    "huishouden_geen_volwassene": (W, "no member is 18 or older"),
    # contact (T1)
    "gesprek_datum_toekomst": (B, "the gesprek date lies after today: a gesprek is final only once it was held"),
    "contact_status_ontbreekt": (B, "a member has no contact status"),
    "contact_reden_ontbreekt": (B, "an adult 'niet gesproken' without a reason"),
    "contact_kind_niet_gezien": (B, "a child neither spoken with nor seen, without a reason"),
    "contact_kind_niet_gesproken": (B, "a child of child_spoken_age or older only seen, without a reason"),
    # leefgebieden (T2, T5)
    "definitie_onbekend": (B, "an answer refers to a definition id/version that is not loaded"),
    "leefgebied_niet_besproken": (B, "a required life domain (household or member) is neither covered nor n.v.t."),
    "leefgebied_nvt_reden": (B, "a life domain marked n.v.t. without a reason"),
    "leefgebied_zonder_inhoud": (B, "a life domain marked besproken with no zorgen, krachten or hulpvraag"),
    "leefgebied_onbekend": (W, "an entry for a domain id that is not in its domain set"),
    "zrm_ontbreekt": (W, "no ZRM score on a covered ZRM domain for an adult or the household"),
    "zrm_bij_kind": (W, "a ZRM score on a child's entry (the ZRM is for adults)"),
    # netwerk (T3)
    "partner_toestemming_ontbreekt": (B, "a partner on a domain with concerns without the family's consent answer"),
    "partner_toestemming_open": (W, "a partner without the family's consent answer"),
    "netwerk_toestemming_open": (W, "a network person without the family's consent answer"),
    "netwerk_leeg": (W, "no network person and no partner recorded"),
    # veiligheid (T4)
    "veiligheid_ontbreekt": (B, "a child under 18 without a safety assessment"),
    "veiligheid_niet_afgerond": (B, "a child's latest assessment is not concluded"),
    "veiligheid_signalen_open": (B, "items of a required section (signals) not answered yes/no"),
    "veiligheid_oordeel_nu_ontbreekt": (B, "no judgment on safety now"),
    "veiligheid_oordeel_risico_ontbreekt": (B, "no judgment on risk in the near future"),
    "veiligheid_onderbouwing_ontbreekt": (B, "no written rationale for the judgment"),
    "veiligheid_consultatie_ontbreekt": (B, "the judgment requires a consultation that is not recorded"),
    "veiligheid_consultatie_uitkomst": (B, "a required consultation without its outcome"),
    "veiligheid_verouderd": (W, "the latest judgment is older than assessment_max_age_days before the gesprek"),
    "veiligheid_signaal_bij_veilig": (W, "a signal of unsafety present while the judgment is 'veilig'"),
    "veiligheid_laag_zonder_bescherming": (B, "risk 'laag' (protective factors outweigh the risks) with no protective factor answered present"),
    "veiligheid_risico_zonder_factor": (B, "risk 'verhoogd' or 'hoog' with no risk factor and no signal answered present"),
    # meldcode (T15)
    "meldcode_niet_doorlopen": (B, "the Meldcode applies but the afwegingskader was not started"),
    "meldcode_open": (B, "an afweging on the path is unanswered"),
    "meldcode_melding_ontbreekt": (B, "the answers require a report to Veilig Thuis, none recorded"),
    "meldcode_tegenstrijdig": (B, "afweging 1 'no suspicion' while a child is judged (acutely) unsafe"),
    "meldcode_acuut_tegenstrijdig": (B, "afweging 2 'no acute or structural unsafety' while a child is judged acutely unsafe"),
    "meldcode_resultaat_tegenstrijdig": (B, "afweging 5 'help leads to the necessary safety results' while a child is judged (acutely) unsafe"),
    # hulpvraag (T6)
    "hulpvraag_ontbreekt": (B, "no hulpvraag text"),
    "hulpvraag_stem_ontbreekt": (B, "no record of whose voice the hulpvraag is"),
    "hulpvraag_zonder_kind": (W, "the hulpvraag is the parents' only while a child of child_spoken_age+ lives there"),
    # plan (T5, T7, T8, T9)
    "plan_probleemanalyse_ontbreekt": (B, "no integral problem analysis"),
    "plan_perspectief_ontbreekt": (B, "no desired perspective"),
    "plan_doelen_ontbreken": (B, "no goal"),
    "doel_prioriteit_dubbel": (B, "two goals share a priority"),
    "doel_resultaat_ontbreekt": (B, "a goal without a concrete result"),
    "doel_eigenaar_ontbreekt": (B, "a goal without an owner"),
    "doel_streefdatum_ontbreekt": (B, "a goal without a target date"),
    "doel_domein_ontbreekt": (B, "a goal not linked to any life domain"),
    "doel_domein_onbekend": (W, "a goal linked to a domain id not in the domain set"),
    "doel_streefdatum_verleden": (W, "a goal's target date lies before the gesprek"),
    "doel_zonder_acties": (W, "a goal without actions"),
    "actie_onvolledig": (W, "an action without who or when"),
    "zrm_acuut_zonder_doel": (W, "ZRM 1 on a domain that no goal addresses"),
    "zorgen_zonder_doel": (W, "concerns on a domain that no goal addresses"),
    "regisseur_ontbreekt": (B, "no regisseur (exactly one is required)"),
    "regisseur_taken_ontbreken": (W, "the regisseur's tasks and mandate are not written down"),
    "regisseur_onbekend": (W, "the regisseur refers to a member, network person or partner that is not in the dossier"),
    "fgp_aanbod_ontbreekt": (B, "not recorded whether a familiegroepsplan was offered"),
    "fgp_niet_aangeboden": (B, "a familiegroepsplan was not offered"),
    "fgp_uitkomst_ontbreekt": (B, "a familiegroepsplan offered without its outcome"),
    # ondertekenen (T16)
    "handtekening_ontbreekt": (B, "a parent/carer at the table has neither signed nor refused with a reason"),
    "handtekening_wijkcoach_ontbreekt": (B, "the wijkcoach has not signed"),
    # --- the trajectory (issue 13) ---
    "gesprek_datum_voor_vorige": (B, "T10: an evaluatie or afsluiting dated before the previous finalised gesprek"),
    # T10: evaluation of the goals, the next evaluation, Meldcode step 5
    "evaluatie_doel_open": (B, "T10/T13: a goal of the plan (as signed before this gesprek) not evaluated (no uitkomst)"),
    "evaluatie_familie_ontbreekt": (B, "T10: a goal evaluated without what the family says"),
    "evaluatie_doel_onbekend": (W, "T10: an evaluation of a goal that was never in the plan"),
    "evaluatie_datum_ontbreekt": (B, "T10: the next evaluation date is not set (intake and evaluatie)"),
    "evaluatie_datum_niet_na_gesprek": (B, "T10: the next evaluation date is not after the gesprek"),
    "evaluatie_datum_te_laat": (B, "T10: the next evaluation lies beyond the definitions' evaluatie_interval_max_dagen"),
    "veiligheid_herbeoordeling_ontbreekt": (B, "T10: at an evaluatie, a child without a safety assessment made at this gesprek"),
    "meldcode_stap5_open": (B, "T10/T15: a Meldcode track is open and step 5 is not answered at this evaluatie"),
    "meldcode_nieuwe_melding_ontbreekt": (B, "T10/T15: step 5 answered 'nee' without the new report to Veilig Thuis"),
    # T11: opschaling, unsafe or worsening judgments
    "opschaling_kernbeslissing_ontbreekt": (B, "T11: an opschaling of this gesprek not linked to a kernbeslissing of soort 'opschaling'"),
    "opschaling_naar_anders_ontbreekt": (B, "T11: an opschaling to 'anders' without saying to whom"),
    "kernbeslissing_onveilig_ontbreekt": (B, "T11: a child judged (acuut) onveilig at an evaluatie/afsluiting without a kernbeslissing on it at this gesprek"),
    "kernbeslissing_verslechterd_ontbreekt": (B, "T11: a child judged worse than at the previous assessment without a kernbeslissing on it at this gesprek"),
    "acuut_onveilig_zonder_opschaling": (B, "T11: a child judged acuut onveilig at an evaluatie/afsluiting: no opschaling and no written reason why not"),
    # T12: plan versions
    "plan_reden_ontbreekt": (B, "T12: the plan changed since the last plan version and plan_reden (why) is empty"),
    "plan_ongewijzigd_reden_ontbreekt": (B, "T12: a goal niet behaald or a worse safety judgment, the plan unchanged, and no reason why it stays"),
    # T13: afsluiting
    "afsluiting_ontbreekt": (B, "T13: an afsluiting without its closing record"),
    "afsluiting_vervolg_ontbreekt": (B, "T13: neither 'zelfstandig verder' nor a partner who takes over"),
    "afsluiting_vervolg_partner_onbekend": (B, "T13: the follow-up partner is not among the dossier's partners"),
    "afsluiting_vervolg_afspraak_ontbreekt": (B, "T13: a follow-up partner without what was arranged with them"),
    "afsluiting_partner_niet_geinformeerd": (B, "T13: a partner the family allowed contact with is not marked as informed (date, how)"),
    "afsluiting_veiligheid_ontbreekt": (B, "T13: a child without a final safety check made at the afsluiting"),
    "afsluiting_resultaat_ontbreekt": (B, "T13: no resultaat"),
    "afsluiting_resultaat_onbekend": (B, "T13: a resultaat that is not in the trajectory definitions' resultaten"),
    "afsluiting_waakvlam_verleden": (B, "T13: a waakvlam date on or before the afsluiting, or before today"),
    # T14: kernbeslissingen and veiligheidsplannen
    "kernbeslissing_raadpleging_ontbreekt": (B, "T14: a kernbeslissing of this gesprek without any raadpleging"),
    "raadpleging_onderwerp_ontbreekt": (B, "T14: a raadpleging without what it was about"),
    "kernbeslissing_informatie_ontbreekt": (B, "T14: a kernbeslissing of this gesprek without the information it rests on"),
    "kernbeslissing_veiligheidsplan_open": (B, "T14: not answered whether a veiligheidsplan is needed"),
    "veiligheidsplan_ontbreekt": (B, "T14: a veiligheidsplan is needed but has no afspraak"),
    "veiligheidsplan_afspraak_onvolledig": (B, "T14: an afspraak of a veiligheidsplan without who or when"),
    "veiligheidsplan_handtekening_ontbreekt": (B, "T14: a veiligheidsplan not signed by at least one adult of the household and the wijkcoach"),
    "kernbeslissing_afsluiten_ontbreekt": (B, "T14: closing a trajectory with children without the kernbeslissing 'afsluiten_met_kinderen'"),
    "kernbeslissing_soort_onbekend": (W, "T14: a kernbeslissing whose soort is not in the trajectory definitions' list"),
}


# --- helpers ---------------------------------------------------------------------------


class _Ctx:
    def __init__(self, dossier: Dossier, definitions: Definitions, today: dt.date, settings: RuleSettings):
        self.d = dossier
        self.defs = definitions
        self.today = today
        self.s = settings
        self.on = dossier.gesprek.datum
        self.members = {m.id: m for m in dossier.huishouden.leden}
        self.order = {m.id: i for i, m in enumerate(dossier.huishouden.leden)}
        self.goal_domains = {dom for g in dossier.plan.doelen for dom in g.domeinen}
        self.soort = dossier.gesprek.soort
        self.intake = self.soort is GesprekSoort.INTAKE
        self.gid = dossier.gesprek.id
        self.traject = definitions.trajectory
        try:
            self.domain_set: DomainSet | None = definitions.domain_set(dossier.leefgebieden_set)
        except UnknownDefinition:
            self.domain_set = None

    def name(self, member_id: UUID | None) -> str:
        m = self.members.get(member_id) if member_id else None
        return m.voornaam if m else "het huishouden"

    def domain_name(self, domain_id: str) -> str:
        if self.domain_set is not None and self.domain_set.has(domain_id):
            return self.domain_set.domein(domain_id).naam
        return domain_id

    def gap(self, code: str, message: str, section: str, **where: object) -> Gap:
        return Gap(code, RULES[code][0], message, Location(section, **where))  # type: ignore[arg-type]

    def assessment(self, child_id: UUID) -> SafetyAssessment | None:
        """The assessment the rules judge: at an intake the child's latest; at an evaluatie
        or afsluiting the latest one made at THIS gesprek (None: not assessed again yet)."""
        if self.intake:
            return self.d.latest_assessment(child_id)
        here = [a for a in self.d.assessments_for(child_id) if a.gesprek_id == self.gid]
        return here[-1] if here else None

    def previous_assessment(self, child_id: UUID) -> SafetyAssessment | None:
        """The child's latest assessment made before this gesprek."""
        before = [a for a in self.d.assessments_for(child_id) if a.gesprek_id != self.gid]
        return before[-1] if before else None

    def here(self, gesprek_id: UUID | None) -> bool:
        """Whether a record (kernbeslissing, opschaling) was made at this gesprek. A record
        without a gesprek id predates schema 2 and belongs to an earlier gesprek."""
        return gesprek_id is not None and gesprek_id == self.gid

    def signed_plan(self) -> Plan | None:
        """The plan as signed at the last gesprek before this one (None: no plan version yet,
        e.g. a dossier finalised under schema 1)."""
        before = [pv for pv in self.d.plan_versies if pv.gesprek_id != self.gid]
        return before[-1].plan if before else None


def _unknown(ctx: _Ctx, section: str, def_ref: DefinitionRef, soort: str, field_name: str, **where: object) -> Gap:
    return ctx.gap(
        "definitie_onbekend",
        f"De definitie '{def_ref.id}' versie {def_ref.version} ({soort}) is niet geladen; dit onderdeel "
        "kan niet worden gecontroleerd. Vraag de functioneel beheerder de definitie toe te voegen.",
        section,
        field=field_name,
        **where,
    )


def _goal_label(goal: Goal) -> str:
    text = goal.omschrijving if len(goal.omschrijving) <= 50 else goal.omschrijving[:47] + "..."
    return f"Doel {goal.prioriteit} ('{text}')"


# --- the checks, one per step -------------------------------------------------------------


def _huishouden(ctx: _Ctx) -> Iterator[Gap]:
    if not ctx.d.huishouden.leden:
        yield ctx.gap("huishouden_leeg", "Er staan nog geen gezinsleden in het huishouden.", "huishouden", field="leden")
    elif not ctx.d.adults():
        yield ctx.gap(
            "huishouden_geen_volwassene",
            "Er staat geen volwassene in het huishouden. Klopt dat?",
            "huishouden",
            field="leden",
        )


def _contact(ctx: _Ctx) -> Iterator[Gap]:
    if ctx.on > ctx.today:
        yield ctx.gap(
            "gesprek_datum_toekomst",
            f"De datum van het gesprek ({ctx.on:%d-%m-%Y}) ligt in de toekomst. Een verslag wordt pas "
            "definitief op of na de dag van het gesprek; controleer de datum.",
            "contact",
            field="datum",
        )
    for m in ctx.d.huishouden.leden:
        c = ctx.d.contact(m.id)
        if c is None:
            yield ctx.gap(
                "contact_status_ontbreekt",
                f"Leg voor {m.voornaam} vast of die gesproken, gezien of niet gesproken is.",
                "contact",
                member_id=m.id,
                field="status",
            )
            continue
        if c.reden:
            continue
        if m.is_minor_on(ctx.on):
            age = m.age_on(ctx.on)
            if c.status is ContactStatus.NIET:
                yield ctx.gap(
                    "contact_kind_niet_gezien",
                    f"{m.voornaam} is niet gesproken en niet gezien. Noteer waarom.",
                    "contact",
                    member_id=m.id,
                    field="reden",
                )
            elif c.status is ContactStatus.GEZIEN and age >= ctx.s.child_spoken_age:
                yield ctx.gap(
                    "contact_kind_niet_gesproken",
                    f"{m.voornaam} is {age} en is alleen gezien, niet gesproken. Noteer waarom.",
                    "contact",
                    member_id=m.id,
                    field="reden",
                )
        elif c.status is ContactStatus.NIET:
            yield ctx.gap(
                "contact_reden_ontbreekt",
                f"{m.voornaam} is niet gesproken. Noteer waarom.",
                "contact",
                member_id=m.id,
                field="reden",
            )


def _leefgebieden(ctx: _Ctx) -> Iterator[Gap]:
    ds = ctx.domain_set
    if ds is None:
        yield _unknown(ctx, "leefgebieden", ctx.d.leefgebieden_set, "leefgebieden", "leefgebieden_set")
        return
    for domain_id, member_id in ds.required_cells(ctx.d):
        naam = ds.domein(domain_id).naam
        wie = f"voor {ctx.name(member_id)}" if member_id else "voor het huishouden"
        e = ctx.d.domain_entry(domain_id, member_id)
        where = dict(member_id=member_id, domein=domain_id, ref=e.id if e else None)
        if e is None or not (e.besproken or e.niet_van_toepassing):
            yield ctx.gap(
                "leefgebied_niet_besproken",
                f"Het leefgebied {naam} is {wie} nog niet besproken. Bespreek het, of markeer het "
                "als niet van toepassing met een reden.",
                "leefgebieden",
                field="besproken",
                **where,
            )
        elif e.niet_van_toepassing and not e.nvt_reden:
            yield ctx.gap(
                "leefgebied_nvt_reden",
                f"Het leefgebied {naam} is {wie} niet van toepassing, maar de reden ontbreekt.",
                "leefgebieden",
                field="nvt_reden",
                **where,
            )
        elif e.besproken and not (e.zorgen or e.krachten or e.hulpvraag):
            yield ctx.gap(
                "leefgebied_zonder_inhoud",
                f"Het leefgebied {naam} is {wie} als besproken aangevinkt, maar er staat niets bij. "
                "Noteer zorgen of krachten ('geen bijzonderheden' mag ook).",
                "leefgebieden",
                field="zorgen",
                **where,
            )
    for e in ctx.d.leefgebieden:
        own = ds
        if e.definitie != ctx.d.leefgebieden_set:
            try:
                own = ctx.defs.domain_set(e.definitie)
            except UnknownDefinition:
                yield _unknown(ctx, "leefgebieden", e.definitie, "leefgebieden", "definitie",
                               member_id=e.member_id, domein=e.domein, ref=e.id)
                continue
        if not own.has(e.domein):
            yield ctx.gap(
                "leefgebied_onbekend",
                f"Er staat een leefgebied '{e.domein}' in het dossier dat niet in de set "
                f"'{own.naam}' voorkomt.",
                "leefgebieden",
                member_id=e.member_id,
                domein=e.domein,
                ref=e.id,
                field="domein",
            )
            continue
        dom = own.domein(e.domein)
        member = ctx.members.get(e.member_id) if e.member_id else None
        if e.member_id is not None and member is None:
            continue  # an entry for someone no longer in the household: nothing to check
        minor = member is not None and member.is_minor_on(ctx.on)
        if minor and member is not None and e.zrm is not None:
            yield ctx.gap(
                "zrm_bij_kind",
                f"Bij {dom.naam} staat een ZRM-score voor {member.voornaam}; de ZRM is voor volwassenen.",
                "leefgebieden",
                member_id=e.member_id,
                domein=e.domein,
                ref=e.id,
                field="zrm",
            )
        elif dom.zrm and not minor and e.besproken and e.zrm is None:
            wie = f"voor {member.voornaam}" if member else "voor het huishouden"
            yield ctx.gap(
                "zrm_ontbreekt",
                f"Geef {wie} een ZRM-score bij {dom.naam}.",
                "leefgebieden",
                member_id=e.member_id,
                domein=e.domein,
                ref=e.id,
                field="zrm",
            )


def _netwerk(ctx: _Ctx) -> Iterator[Gap]:
    concerned = [e.domein for e in ctx.d.leefgebieden if e.zorgen and not e.niet_van_toepassing]
    for p in ctx.d.partners:
        if p.toestemming is not None:
            continue
        hit = next((dom for dom in concerned if dom in p.domeinen), None)
        if hit is not None:
            yield ctx.gap(
                "partner_toestemming_ontbreekt",
                f"Er zijn zorgen over {ctx.domain_name(hit)} en {p.organisatie} is betrokken. Leg vast "
                "of het gezin toestemming geeft om contact op te nemen en informatie te delen.",
                "netwerk",
                domein=hit,
                ref=p.id,
                field="toestemming",
            )
        else:
            yield ctx.gap(
                "partner_toestemming_open",
                f"Leg vast of het gezin toestemming geeft voor contact met {p.organisatie}.",
                "netwerk",
                ref=p.id,
                field="toestemming",
            )
    for n in ctx.d.netwerk:
        if n.toestemming is None:
            yield ctx.gap(
                "netwerk_toestemming_open",
                f"Leg vast of het gezin toestemming geeft voor contact met {n.naam}.",
                "netwerk",
                ref=n.id,
                field="toestemming",
            )
    if not ctx.d.netwerk and not ctx.d.partners:
        yield ctx.gap(
            "netwerk_leeg",
            "Er is nog niemand uit het netwerk vastgelegd: familie, vrienden, buren of netwerkpartners.",
            "netwerk",
            field="netwerk",
        )


def _veiligheid(ctx: _Ctx) -> Iterator[Gap]:
    for child in ctx.d.children():
        a = ctx.assessment(child.id)
        n = child.voornaam
        if a is None and ctx.d.latest_assessment(child.id) is None:
            yield ctx.gap(
                "veiligheid_ontbreekt",
                f"Voor {n} is nog geen veiligheidsbeoordeling afgerond.",
                "veiligheid",
                member_id=child.id,
            )
            continue
        if a is None and ctx.soort is GesprekSoort.EVALUATIE:
            yield ctx.gap(
                "veiligheid_herbeoordeling_ontbreekt",
                f"Beoordeel de veiligheid van {n} opnieuw in deze evaluatie en vergelijk die met "
                "de vorige beoordeling.",
                "veiligheid",
                member_id=child.id,
            )
            continue
        if a is None:
            yield ctx.gap(
                "afsluiting_veiligheid_ontbreekt",
                f"Beoordeel bij de afsluiting nog één keer de veiligheid van {n}: is het traject "
                "veilig af te sluiten?",
                "veiligheid",
                member_id=child.id,
            )
            continue
        where = dict(member_id=child.id, ref=a.id)
        try:
            inst = ctx.defs.instrument(a.instrument)
        except UnknownDefinition:
            yield _unknown(ctx, "veiligheid", a.instrument, "veiligheidsinstrument", "instrument", **where)
            continue
        if not a.afgerond:
            yield ctx.gap(
                "veiligheid_niet_afgerond",
                f"De veiligheidsbeoordeling van {n} is nog niet afgerond.",
                "veiligheid",
                field="afgerond",
                **where,
            )
        open_items = inst.unanswered_required(a)
        if open_items:
            k = len(open_items)
            yield ctx.gap(
                "veiligheid_signalen_open",
                f"Bij de veiligheidsbeoordeling van {n} {'is' if k == 1 else 'zijn'} nog {k} "
                f"{'vraag' if k == 1 else 'vragen'} niet met ja of nee beantwoord.",
                "veiligheid",
                field="antwoorden",
                item=open_items[0].id,
                **where,
            )
        if a.veiligheid_nu is None:
            yield ctx.gap(
                "veiligheid_oordeel_nu_ontbreekt",
                f"Geef een oordeel over de veiligheid van {n} nu.",
                "veiligheid",
                field="veiligheid_nu",
                **where,
            )
        if a.risico is None:
            yield ctx.gap(
                "veiligheid_oordeel_risico_ontbreekt",
                f"Geef een oordeel over het {term('risico_later')} voor {n}.",
                "veiligheid",
                field="risico",
                **where,
            )
        if not a.onderbouwing:
            yield ctx.gap(
                "veiligheid_onderbouwing_ontbreekt",
                f"Onderbouw het veiligheidsoordeel over {n}.",
                "veiligheid",
                field="onderbouwing",
                **where,
            )
        if inst.requires_consultation(a.veiligheid_nu, a.risico):
            oordeel = ", ".join(
                x
                for x in (
                    a.veiligheid_nu.label.lower() if a.veiligheid_nu else "",
                    f"risico {a.risico.label.lower()}" if a.risico else "",
                )
                if x
            )
            if a.consultatie is None:
                yield ctx.gap(
                    "veiligheid_consultatie_ontbreekt",
                    f"Het oordeel over {n} ({oordeel}) vraagt overleg met een collega of "
                    "gedragswetenschapper. Leg vast met wie, wanneer en wat de uitkomst is.",
                    "veiligheid",
                    field="consultatie",
                    **where,
                )
            elif not a.consultatie.uitkomst:
                yield ctx.gap(
                    "veiligheid_consultatie_uitkomst",
                    f"Noteer de uitkomst van het overleg over {n}.",
                    "veiligheid",
                    field="consultatie",
                    **where,
                )
        yield from _balans(ctx, inst, a, n, where)
        age_days = (ctx.on - a.datum).days
        if ctx.intake and age_days > ctx.s.assessment_max_age_days:
            yield ctx.gap(
                "veiligheid_verouderd",
                f"Het veiligheidsoordeel over {n} is {age_days} dagen ouder dan het gesprek. "
                "Beoordeel opnieuw.",
                "veiligheid",
                field="datum",
                **where,
            )
        if a.veiligheid_nu is SafetyNow.VEILIG and inst.signals_present(a):
            yield ctx.gap(
                "veiligheid_signaal_bij_veilig",
                f"Bij {n} is een signaal van onveiligheid aangevinkt, maar het oordeel is 'veilig'. "
                "Licht dat toe in de onderbouwing.",
                "veiligheid",
                field="onderbouwing",
                **where,
            )


def _balans(ctx: _Ctx, inst: SafetyInstrument, a: SafetyAssessment, n: str, where: Mapping[str, object]) -> Iterator[Gap]:
    """The judgment on risk rests on the balans: risk factors weighed against protective
    factors (balansmodel). The instrument's own words for the judgments say what each
    needs: 'laag' means "the protective factors clearly outweigh the risks", so at least
    one protective factor must be answered present; 'verhoogd' ("there are risks that
    need attention") and 'hoog' ("without change unsafety is likely soon") need at least
    one risk factor or signal of unsafety answered present. A judgment that weighs
    nothing is no judgment. Rules for a kind of section the instrument lacks are skipped."""
    if a.risico is RiskLater.LAAG and inst.has_soort("beschermend") and not inst.present(a, "beschermend"):
        yield ctx.gap(
            "veiligheid_laag_zonder_bescherming",
            f"Het risico voor {n} is ‘laag’: de beschermende factoren wegen zwaarder dan de risico’s. "
            "Maar bij de beschermende factoren is er geen enkele met ‘ja’ beantwoord. Vul de "
            "beschermende factoren in, of pas het oordeel aan.",
            "veiligheid",
            field="antwoorden",
            **where,
        )
    elif a.risico in (RiskLater.VERHOOGD, RiskLater.HOOG) and inst.has_soort("risico"):
        if not inst.present(a, "risico") and not inst.present(a, "signalen"):
            yield ctx.gap(
                "veiligheid_risico_zonder_factor",
                f"Het risico voor {n} is ‘{a.risico.label.lower()}’, maar er is geen risicofactor en "
                "geen signaal met ‘ja’ beantwoord. Vul in op welke risico's het oordeel rust, of pas "
                "het oordeel aan.",
                "veiligheid",
                field="antwoorden",
                **where,
            )


def _meldcode(ctx: _Ctx) -> Iterator[Gap]:
    record = ctx.d.meldcode
    if record is not None:
        try:
            mc = ctx.defs.meldcode(record.definitie)
        except UnknownDefinition:
            yield _unknown(ctx, "meldcode", record.definitie, "meldcode", "definitie")
            return
    else:
        mc = ctx.defs.meldcode()
        if not mc.is_relevant(ctx.d, ctx.defs):
            return
        yield ctx.gap(
            "meldcode_niet_doorlopen",
            "Er zijn signalen van onveiligheid of een oordeel onveilig of hoog risico. Doorloop het "
            "afwegingskader van de Meldcode.",
            "meldcode",
            field="antwoorden",
            item=mc.stappen[0].id,
        )
        return
    answered, open_q, report = mc.walk(record)
    if open_q is not None:
        yield ctx.gap(
            "meldcode_open",
            f"Afweging {open_q.stap} van de Meldcode is nog niet beantwoord: {open_q.vraag}",
            "meldcode",
            field="antwoorden",
            item=open_q.id,
        )
    if report and record.melding is None:
        last = answered[-1]
        uitkomst = last.uitkomst_ja if record.antwoorden.get(last.id) else last.uitkomst_nee
        yield ctx.gap(
            "meldcode_melding_ontbreekt",
            f"Afweging {last.stap} leidt tot: {uitkomst} Leg de melding bij Veilig Thuis vast "
            "(datum en kenmerk).",
            "meldcode",
            field="melding",
            item=last.id,
        )
    yield from _meldcode_consistent(ctx, mc, record, answered)


def _judged(ctx: _Ctx, *levels: SafetyNow) -> list[str]:
    """First names of the children whose latest judgment on safety now is one of ``levels``."""
    return [
        c.voornaam
        for c in ctx.d.children()
        if (a := ctx.d.latest_assessment(c.id)) is not None and a.veiligheid_nu in levels
    ]


def _meldcode_consistent(
    ctx: _Ctx, mc: MeldcodeDefinition, record: MeldcodeRecord, answered: list[MeldcodeVraag]
) -> Iterator[Gap]:
    """The children's judgments and the afwegingskader are two records of one professional
    assessment; in a final verslag they never contradict each other. Afweging by afweging
    (read from the definition, on the path the answers take):

    1. "is there a suspicion?" answered 'nee' (the question that stops the afweging)
       contradicts any child judged onveilig or acuut onveilig: that judgment *is* a
       suspicion of unsafety;
    2. "acute or structural unsafety?" (the first question whose 'ja' means reporting)
       answered 'nee' contradicts a child judged acuut onveilig ("in direct danger now",
       exactly what this question asks); 'ja' while every child is safe is no
       contradiction, since the Meldcode also covers violence between adults;
    3. and 4. ask whether help can be offered and is accepted: they say nothing about the
       child's safety, so no judgment contradicts them;
    5. "does help lead to the necessary results for safety in time?" (the question
       answered later) answered 'ja' contradicts a child judged (acuut) onveilig now.

    Together with meldcode_niet_doorlopen, meldcode_open and meldcode_melding_ontbreekt
    this means: a child judged acuut onveilig is never final without a recorded report
    to Veilig Thuis.
    """
    unsafe = _judged(ctx, SafetyNow.ONVEILIG, SafetyNow.ACUUT_ONVEILIG)
    if not unsafe:
        return
    on_path = {q.id for q in answered}
    first = mc.stappen[0]
    if first.stop_bij is not None and record.antwoorden.get(first.id) == first.stop_bij:
        yield ctx.gap(
            "meldcode_tegenstrijdig",
            f"Bij afweging 1 staat ‘geen vermoeden’, maar de veiligheid van {', '.join(unsafe)} is "
            "als onveilig beoordeeld. Die twee spreken elkaar tegen: pas de afweging of het oordeel aan.",
            "meldcode",
            field="antwoorden",
            item=first.id,
        )
        return
    acute = _judged(ctx, SafetyNow.ACUUT_ONVEILIG)
    report_q = next((q for q in mc.stappen if q.melden_bij is True), None)
    if acute and report_q is not None and report_q.id in on_path:
        if record.antwoorden.get(report_q.id) is (not report_q.melden_bij):
            yield ctx.gap(
                "meldcode_acuut_tegenstrijdig",
                f"Bij afweging {report_q.stap} staat dat er geen acute of structurele onveiligheid is, "
                f"maar {', '.join(acute)} is als acuut onveilig beoordeeld. Bij acute onveiligheid "
                "volgt een melding bij Veilig Thuis: pas de afweging of het oordeel aan.",
                "meldcode",
                field="antwoorden",
                item=report_q.id,
            )
    for q in mc.stappen:
        if q.later and q.id in on_path and q.melden_bij is False and record.antwoorden.get(q.id) is True:
            yield ctx.gap(
                "meldcode_resultaat_tegenstrijdig",
                f"Bij afweging {q.stap} staat dat de hulp op tijd tot de nodige resultaten voor de "
                f"veiligheid leidt, maar {', '.join(unsafe)} is nu als onveilig beoordeeld. Pas de "
                "afweging of het oordeel aan.",
                "meldcode",
                field="antwoorden",
                item=q.id,
            )


def _hulpvraag(ctx: _Ctx) -> Iterator[Gap]:
    h = ctx.d.hulpvraag
    if not h.tekst:
        yield ctx.gap(
            "hulpvraag_ontbreekt", "Schrijf de hulpvraag op, in de woorden van het gezin.", "hulpvraag", field="tekst"
        )
    if h.stem is None:
        yield ctx.gap(
            "hulpvraag_stem_ontbreekt",
            "Leg vast van wie de hulpvraag is: de ouders, de kinderen of allebei.",
            "hulpvraag",
            field="stem",
        )
    elif h.stem is Voice.OUDER:
        older = [c for c in ctx.d.children() if c.age_on(ctx.on) >= ctx.s.child_spoken_age]
        if older:
            names = ", ".join(c.voornaam for c in older)
            yield ctx.gap(
                "hulpvraag_zonder_kind",
                f"De hulpvraag is alleen van de ouders. Wat vraagt {names} zelf?",
                "hulpvraag",
                field="stem",
            )


def _plan(ctx: _Ctx) -> Iterator[Gap]:
    plan = ctx.d.plan
    if not plan.probleemanalyse:
        yield ctx.gap(
            "plan_probleemanalyse_ontbreekt",
            "Schrijf een probleemanalyse over alle leefgebieden heen: oorzaken, patronen en eerdere hulp.",
            "hulpvraag",  # edited on the Hulpvraag, analyse en perspectief step
            field="probleemanalyse",
        )
    if not plan.perspectief:
        yield ctx.gap(
            "plan_perspectief_ontbreekt",
            "Beschrijf het gewenste perspectief: waar wil het gezin naartoe?",
            "hulpvraag",  # edited on the Hulpvraag, analyse en perspectief step
            field="perspectief",
        )
    if not plan.doelen:
        yield ctx.gap("plan_doelen_ontbreken", "Het plan heeft nog geen doelen.", "plan", field="doelen")
    seen: set[int] = set()
    ds = ctx.domain_set
    for g in plan.doelen:
        label = _goal_label(g)
        where = dict(ref=g.id)
        if g.prioriteit in seen:
            yield ctx.gap(
                "doel_prioriteit_dubbel",
                f"{label} heeft dezelfde prioriteit als een ander doel. Geef elk doel een eigen prioriteit.",
                "plan",
                field="prioriteit",
                **where,
            )
        seen.add(g.prioriteit)
        if not g.resultaat:
            yield ctx.gap(
                "doel_resultaat_ontbreekt",
                f"{label}: beschrijf het concrete resultaat (wat is er dan anders?).",
                "plan",
                field="resultaat",
                **where,
            )
        if not g.eigenaar:
            yield ctx.gap(
                "doel_eigenaar_ontbreekt", f"{label}: wie is eigenaar van dit doel?", "plan", field="eigenaar", **where
            )
        if g.streefdatum is None:
            yield ctx.gap(
                "doel_streefdatum_ontbreekt",
                f"{label}: vul een streefdatum in.",
                "plan",
                field="streefdatum",
                **where,
            )
        elif g.streefdatum < ctx.on:
            yield ctx.gap(
                "doel_streefdatum_verleden",
                f"{label}: de streefdatum ligt voor de datum van het gesprek.",
                "plan",
                field="streefdatum",
                **where,
            )
        if not g.domeinen:
            yield ctx.gap(
                "doel_domein_ontbreekt",
                f"{label}: koppel het doel aan minstens één leefgebied.",
                "plan",
                field="domeinen",
                **where,
            )
        elif ds is not None:
            for domein in g.domeinen:
                if not ds.has(domein):
                    yield ctx.gap(
                        "doel_domein_onbekend",
                        f"{label} verwijst naar een onbekend leefgebied '{domein}'.",
                        "plan",
                        domein=domein,
                        field="domeinen",
                        **where,
                    )
        if not g.acties:
            yield ctx.gap(
                "doel_zonder_acties",
                f"{label} heeft nog geen acties (wie doet wat, wanneer).",
                "plan",
                field="acties",
                **where,
            )
        for act in g.acties:
            if not act.wie or act.wanneer is None:
                yield ctx.gap(
                    "actie_onvolledig",
                    f"{label}: bij de actie '{act.omschrijving[:40]}' ontbreekt wie of wanneer.",
                    "plan",
                    field="acties",
                    **where,
                )
    # domains that need a goal: ZRM 1 (acute) first, then any concerns
    if ds is not None:
        for dom in ds.domeinen:
            if dom.id in ctx.goal_domains:
                continue
            entries = [e for e in ctx.d.leefgebieden if e.domein == dom.id and not e.niet_van_toepassing]
            if any(e.zrm == 1 for e in entries):
                yield ctx.gap(
                    "zrm_acuut_zonder_doel",
                    f"Bij {dom.naam} is de ZRM-score 1 (acute problematiek), maar geen doel gaat daarover.",
                    "plan",
                    domein=dom.id,
                    field="doelen",
                )
            elif any(e.zorgen for e in entries):
                yield ctx.gap(
                    "zorgen_zonder_doel",
                    f"Er zijn zorgen over {dom.naam}, maar geen doel gaat daarover.",
                    "plan",
                    domein=dom.id,
                    field="doelen",
                )
    r = plan.regisseur
    if r is None:
        yield ctx.gap(
            "regisseur_ontbreekt",
            "Wijs één regisseur aan: wie houdt de regie over het plan?",
            "plan",
            field="regisseur",
        )
    else:
        if not r.taken:
            yield ctx.gap(
                "regisseur_taken_ontbreken",
                f"Beschrijf de taken en het mandaat van de regisseur ({r.naam}).",
                "plan",
                field="regisseur",
            )
        known = {
            "gezinslid": set(ctx.members),
            "netwerk": {n.id for n in ctx.d.netwerk},
            "partner": {p.id for p in ctx.d.partners},
        }
        if r.soort in known and r.ref is not None and r.ref not in known[r.soort]:
            yield ctx.gap(
                "regisseur_onbekend",
                f"De regisseur ({r.naam}) staat niet (meer) in het dossier.",
                "plan",
                field="regisseur",
            )
    f = ctx.d.familiegroepsplan
    if f.aangeboden is None:
        yield ctx.gap(
            "fgp_aanbod_ontbreekt",
            "Leg vast of een familiegroepsplan is aangeboden.",
            "plan",
            field="aangeboden",
        )
    elif not f.aangeboden:
        yield ctx.gap(
            "fgp_niet_aangeboden",
            "Bied het gezin de mogelijkheid van een familiegroepsplan aan en leg de uitkomst vast.",
            "plan",
            field="aangeboden",
        )
    elif f.uitkomst is None:
        yield ctx.gap(
            "fgp_uitkomst_ontbreekt",
            "Een familiegroepsplan is aangeboden; leg de uitkomst vast.",
            "plan",
            field="uitkomst",
        )


def _ondertekenen(ctx: _Ctx) -> Iterator[Gap]:
    """T16: the parents sign the gesprek-adviesverslag. Every adult parent/carer at the
    table (``gesprek.aanwezig``; the desktop gives exactly them a signature card) has a
    signature: drawn, or "wil niet tekenen" with the reason. The wijkcoach signs too (a
    drawn signature: the professional cannot refuse their own verslag)."""
    done = {
        s.member_id
        for s in ctx.d.handtekeningen
        if s.member_id is not None and (s.afbeelding_png or s.weigering_reden)
    }
    present = set(ctx.d.gesprek.aanwezig)
    for m in ctx.d.huishouden.leden:
        if m.rol is Role.OUDER and m.id in present and not m.is_minor_on(ctx.on) and m.id not in done:
            yield ctx.gap(
                "handtekening_ontbreekt",
                f"{m.voornaam} heeft het verslag nog niet ondertekend. Laat {m.voornaam} tekenen, of "
                "vink ‘Wil niet tekenen’ aan en noteer de reden.",
                "ondertekenen",
                member_id=m.id,
            )
    if not any(s.member_id is None and s.afbeelding_png for s in ctx.d.handtekeningen):
        yield ctx.gap(
            "handtekening_wijkcoach_ontbreekt",
            "U heeft het verslag als wijkcoach nog niet ondertekend.",
            "ondertekenen",
            field="handtekeningen",
        )


# --- the trajectory: evaluatie, kernbeslissingen, afsluiting (issue 13, T10-T14) ---------------

_NOW_RANK = {SafetyNow.VEILIG: 0, SafetyNow.ONVEILIG: 1, SafetyNow.ACUUT_ONVEILIG: 2}
_RISK_RANK = {RiskLater.LAAG: 0, RiskLater.VERHOOGD: 1, RiskLater.HOOG: 2}


def is_worse(now: SafetyAssessment, before: SafetyAssessment) -> bool:
    """Whether ``now`` judges the child's safety now or the risk later worse than ``before``
    (a judgment missing on either side compares as not worse)."""
    if now.veiligheid_nu is not None and before.veiligheid_nu is not None:
        if _NOW_RANK[now.veiligheid_nu] > _NOW_RANK[before.veiligheid_nu]:
            return True
    if now.risico is not None and before.risico is not None:
        return _RISK_RANK[now.risico] > _RISK_RANK[before.risico]
    return False


def _date(d: dt.date) -> str:
    return f"{d:%d-%m-%Y}"


def _vorige_datum(ctx: _Ctx) -> Iterator[Gap]:
    """An evaluatie or afsluiting is not dated before the gesprek finalised before it."""
    dates = [r.datum for r in ctx.d.vorige_versies if r.datum is not None]
    if dates and ctx.on < dates[-1]:
        yield ctx.gap(
            "gesprek_datum_voor_vorige",
            f"De datum van dit gesprek ({_date(ctx.on)}) ligt voor het vorige gesprek "
            f"({_date(dates[-1])}). Controleer de datum.",
            "contact",
            field="datum",
        )


def _volgende_evaluatie(ctx: _Ctx) -> Iterator[Gap]:
    """T10: an intake and every evaluatie plan the next evaluation, within the
    municipality's maximum interval (definitions: evaluatie_interval_max_dagen)."""
    section = "plan"
    nxt = ctx.d.gesprek.volgende_evaluatie
    max_days = ctx.traject.evaluatie_interval_max_dagen
    if nxt is None:
        yield ctx.gap(
            "evaluatie_datum_ontbreekt",
            f"Plan de volgende evaluatie met het gezin: vul de datum in (uiterlijk {max_days} dagen "
            "na dit gesprek).",
            section,
            field="volgende_evaluatie",
        )
    elif nxt <= ctx.on:
        yield ctx.gap(
            "evaluatie_datum_niet_na_gesprek",
            f"De volgende evaluatie ({_date(nxt)}) ligt niet na dit gesprek. Plan een nieuwe datum.",
            section,
            field="volgende_evaluatie",
        )
    elif (nxt - ctx.on).days > max_days:
        yield ctx.gap(
            "evaluatie_datum_te_laat",
            f"De volgende evaluatie ({_date(nxt)}) ligt meer dan {max_days} dagen na dit gesprek. "
            f"Plan haar uiterlijk op {_date(ctx.on + dt.timedelta(days=max_days))}.",
            section,
            field="volgende_evaluatie",
        )


def _evaluatie(ctx: _Ctx) -> Iterator[Gap]:
    """T10 (and T13 at the afsluiting): every goal of the plan as signed before this gesprek
    is evaluated with the family: an uitkomst and what the family says. Goals added at this
    gesprek are evaluated next time. A dossier without any plan version (finalised under
    schema 1) evaluates the goals of its plan."""
    signed = ctx.signed_plan()
    goals = signed.doelen if signed is not None else ctx.d.plan.doelen
    by_goal = {e.goal_id: e for e in ctx.d.gesprek.doel_evaluaties}
    for g in sorted(goals, key=lambda g: g.prioriteit):
        label = _goal_label(g)
        e = by_goal.get(g.id)
        if e is None or e.uitkomst is None:
            yield ctx.gap(
                "evaluatie_doel_open",
                f"{label} is nog niet geëvalueerd. Bespreek met het gezin of het doel behaald is.",
                "evaluatie",
                ref=g.id,
                field="uitkomst",
            )
        elif not e.familie:
            yield ctx.gap(
                "evaluatie_familie_ontbreekt",
                f"{label}: noteer wat het gezin zelf over dit doel zegt.",
                "evaluatie",
                ref=g.id,
                field="familie",
            )
    known = {g.id for g in goals} | {g.id for g in ctx.d.plan.doelen}
    for pv in ctx.d.plan_versies:
        known |= {g.id for g in pv.plan.doelen}
    for e in ctx.d.gesprek.doel_evaluaties:
        if e.goal_id not in known:
            yield ctx.gap(
                "evaluatie_doel_onbekend",
                "Er staat een evaluatie bij een doel dat niet (meer) in het plan staat. Verwijder die evaluatie.",
                "evaluatie",
                ref=e.goal_id,
                field="doel_evaluaties",
            )


def meldcode_track_open(ctx_defs: Definitions, record: MeldcodeRecord | None) -> bool:
    """Whether a Meldcode track is open, so that step 5 ("leidt de hulp tijdig tot de
    noodzakelijke resultaten?") must be answered at an evaluatie.

    Open means: the afwegingskader was started (a :class:`MeldcodeRecord` exists) and its
    answers lead to the help path: afweging 1 found a suspicion, and afwegingen 2-4 were
    answered without ending in a report (no acute or structural unsafety, help possible,
    help accepted), so the wijkteam offers the help and must follow its results. A record
    that stopped at afweging 1 (no suspicion), or that ended in a report to Veilig Thuis
    at afweging 2-4 (Veilig Thuis takes it from there), or that is not answered that far,
    has no open track. The record's own answer to the 'later' question (step 5 at an
    earlier gesprek) does not close it: step 5 is answered anew at every evaluatie
    (``Gesprek.meldcode_stap5``).
    """
    if record is None:
        return False
    try:
        mc = ctx_defs.meldcode(record.definitie)
    except UnknownDefinition:
        return False
    for q in mc.stappen:
        if q.later:
            return True  # every question before the later one answered, none ending the path
        answer = record.antwoorden.get(q.id)
        if answer is None:
            return False
        if (q.melden_bij is not None and answer == q.melden_bij) or (q.stop_bij is not None and answer == q.stop_bij):
            return False
    return False


def _meldcode_stap5(ctx: _Ctx) -> Iterator[Gap]:
    """T10/T15 at an evaluatie: with a Meldcode track open (:func:`meldcode_track_open`)
    step 5 is answered; 'nee' requires the new report (date and reference); 'ja' while a
    child is judged (acuut) onveilig contradicts the judgment."""
    g = ctx.d.gesprek
    if not meldcode_track_open(ctx.defs, ctx.d.meldcode):
        return
    if g.meldcode_stap5 is None:
        yield ctx.gap(
            "meldcode_stap5_open",
            "Er loopt een Meldcode-traject. Beantwoord afweging 5: leidt de hulp op tijd tot de "
            "noodzakelijke resultaten voor de veiligheid en het welzijn?",
            "meldcode",
            field="meldcode_stap5",
        )
    elif g.meldcode_stap5 is False and g.nieuwe_melding is None:
        yield ctx.gap(
            "meldcode_nieuwe_melding_ontbreekt",
            "De hulp leidt niet op tijd tot de nodige resultaten: meld (opnieuw) bij Veilig Thuis "
            "en leg de melding vast (datum en kenmerk).",
            "meldcode",
            field="nieuwe_melding",
        )
    elif g.meldcode_stap5 is True:
        unsafe = _judged(ctx, SafetyNow.ONVEILIG, SafetyNow.ACUUT_ONVEILIG)
        if unsafe:
            yield ctx.gap(
                "meldcode_resultaat_tegenstrijdig",
                f"Bij afweging 5 staat dat de hulp op tijd tot de nodige resultaten leidt, maar "
                f"{', '.join(unsafe)} is nu als onveilig beoordeeld. Pas de afweging of het oordeel aan.",
                "meldcode",
                field="meldcode_stap5",
            )


def _kb_for(ctx: _Ctx, soorten: tuple[str, ...], child_id: UUID | None = None) -> list[Kernbeslissing]:
    """Kernbeslissingen of this gesprek of one of ``soorten`` (about this child, or about
    no child in particular)."""
    return [
        kb
        for kb in ctx.d.kernbeslissingen
        if ctx.here(kb.gesprek_id) and kb.soort in soorten and (child_id is None or kb.child_id in (None, child_id))
    ]


def _listed(ctx: _Ctx, *soorten: str) -> tuple[str, ...]:
    """The ids among ``soorten`` the trajectory definitions count as kernbeslissingen."""
    return tuple(k for k in soorten if ctx.traject.is_kernbeslissing(k))


def _opschaling(ctx: _Ctx) -> Iterator[Gap]:
    """T11: an opschaling of this gesprek says to whom, why (the model requires a reason
    and a date) and is a kernbeslissing: linked to one of soort 'opschaling' (which T14
    then requires to have a raadpleging). Not required when a municipality's definitions
    do not count 'opschaling' as a kernbeslissing."""
    own = {kb.id: kb for kb in ctx.d.kernbeslissingen}
    for op in ctx.d.opschalingen:
        if not ctx.here(op.gesprek_id):
            continue
        naar = ctx.traject.opschaling_label(op.naar)
        if op.naar == "anders" and not op.naar_anders:
            yield ctx.gap(
                "opschaling_naar_anders_ontbreekt",
                "Bij de opschaling staat ‘anders’: vul in naar wie is opgeschaald.",
                "kernbeslissingen",
                ref=op.id,
                field="naar_anders",
            )
        if not ctx.traject.is_kernbeslissing("opschaling"):
            continue
        kb = own.get(op.kernbeslissing_id) if op.kernbeslissing_id is not None else None
        if kb is None or kb.soort != "opschaling":
            yield ctx.gap(
                "opschaling_kernbeslissing_ontbreekt",
                f"De opschaling naar {naar} is een kernbeslissing. Leg die vast (wat is besloten, wie "
                "is geraadpleegd, op welke informatie) en koppel haar aan de opschaling.",
                "kernbeslissingen",
                ref=op.id,
                field="kernbeslissing_id",
            )


def _veiligheid_beslissingen(ctx: _Ctx) -> Iterator[Gap]:
    """T11 at an evaluatie or afsluiting, per child assessed at this gesprek:

    - judged onveilig or acuut onveilig: a kernbeslissing of soort 'onveilig_oordeel' (or
      'veiligheid_verslechterd') at this gesprek, about this child or the whole family;
    - judged worse than at the previous assessment (safety now or risk later): a
      kernbeslissing of soort 'veiligheid_verslechterd' (or 'onveilig_oordeel');
    - judged acuut onveilig: besides that kernbeslissing, an opschaling recorded at this
      gesprek, or, when the wijkcoach decides not to scale up, the reason why not written
      in that kernbeslissing's ``toelichting`` (the decision not to scale up is itself the
      kernbeslissing, with its raadpleging). The Meldcode rules already require the
      report to Veilig Thuis for an acute unsafety.

    Each requirement holds only while the trajectory definitions list the soort as a
    kernbeslissing (T14: the list decides).
    """
    if ctx.intake:
        return
    unsafe_ids = _listed(ctx, "onveilig_oordeel", "veiligheid_verslechterd")
    worse_ids = _listed(ctx, "veiligheid_verslechterd", "onveilig_oordeel")
    for child in ctx.d.children():
        a = ctx.assessment(child.id)
        if a is None:
            continue
        n = child.voornaam
        unsafe = a.veiligheid_nu in (SafetyNow.ONVEILIG, SafetyNow.ACUUT_ONVEILIG)
        if unsafe and "onveilig_oordeel" in unsafe_ids and not _kb_for(ctx, unsafe_ids, child.id):
            yield ctx.gap(
                "kernbeslissing_onveilig_ontbreekt",
                f"{n} is als {a.veiligheid_nu.label.lower() if a.veiligheid_nu else 'onveilig'} beoordeeld. "
                "Dat vraagt een kernbeslissing: wat besluit u, wie heeft u geraadpleegd en op welke "
                "informatie?",
                "kernbeslissingen",
                member_id=child.id,
                ref=a.id,
                field="kernbeslissingen",
            )
        before = ctx.previous_assessment(child.id)
        if (
            before is not None
            and is_worse(a, before)
            and "veiligheid_verslechterd" in worse_ids
            and not _kb_for(ctx, worse_ids, child.id)
        ):
            yield ctx.gap(
                "kernbeslissing_verslechterd_ontbreekt",
                f"De veiligheid van {n} is slechter beoordeeld dan op {_date(before.datum)}. Leg als "
                "kernbeslissing vast wat u daarmee doet, wie u heeft geraadpleegd en op welke informatie.",
                "kernbeslissingen",
                member_id=child.id,
                ref=a.id,
                field="kernbeslissingen",
            )
        if a.veiligheid_nu is SafetyNow.ACUUT_ONVEILIG:
            opgeschaald = any(ctx.here(op.gesprek_id) for op in ctx.d.opschalingen)
            reden = any(kb.toelichting for kb in _kb_for(ctx, unsafe_ids or ("onveilig_oordeel",), child.id))
            if not opgeschaald and not reden:
                yield ctx.gap(
                    "acuut_onveilig_zonder_opschaling",
                    f"{n} is acuut onveilig. Leg de opschaling vast (Veilig Thuis, Raad voor de "
                    "Kinderbescherming, procesmanager), of schrijf bij de kernbeslissing waarom u niet "
                    "opschaalt.",
                    "kernbeslissingen",
                    member_id=child.id,
                    ref=a.id,
                    field="opschalingen",
                )


def _plan_reden(ctx: _Ctx) -> Iterator[Gap]:
    """T12. The plan as it is now is compared with the plan as signed before this gesprek
    (the last plan version of an earlier gesprek):

    - changed: ``plan_reden`` says why (at an evaluatie and an afsluiting; at the intake the
      first plan version needs no reason);
    - unchanged while a goal was evaluated 'niet behaald' or a child's safety is judged worse
      than before (evaluatie only): ``plan_reden`` says why the plan stays as it is.

    A dossier without any plan version (finalised under schema 1) has nothing to compare
    with: then the second rule asks for a reason whenever a goal failed or safety worsened.
    """
    if ctx.intake:
        return
    signed = ctx.signed_plan()
    if ctx.d.gesprek.plan_reden:
        return
    changed = signed is not None and signed.model_dump_json() != ctx.d.plan.model_dump_json()
    if changed:
        yield ctx.gap(
            "plan_reden_ontbreekt",
            "Het plan is aangepast. Schrijf op waarom: wat is er veranderd in de situatie of de behoeften?",
            "plan",
            field="plan_reden",
        )
        return
    if ctx.soort is not GesprekSoort.EVALUATIE:
        return
    failed = [
        e for e in ctx.d.gesprek.doel_evaluaties if e.uitkomst is DoelUitkomst.NIET_BEHAALD
    ]
    worse = []
    for child in ctx.d.children():
        a, before = ctx.assessment(child.id), ctx.previous_assessment(child.id)
        if a is not None and before is not None and is_worse(a, before):
            worse.append(child.voornaam)
    if failed or worse:
        why = "Een doel is niet behaald" if failed else f"De veiligheid van {', '.join(worse)} is slechter beoordeeld"
        yield ctx.gap(
            "plan_ongewijzigd_reden_ontbreekt",
            f"{why}, maar het plan is niet aangepast. Pas het plan aan, of schrijf op "
            "waarom het plan zo blijft.",
            "plan",
            field="plan_reden",
        )


def _kernbeslissingen(ctx: _Ctx) -> Iterator[Gap]:
    """T14, for every kernbeslissing recorded at this gesprek (earlier ones were final with
    their gesprek): who was consulted (at least one raadpleging, each saying about what), on
    which information, and whether a veiligheidsplan is needed; when it is, the plan has
    at least one afspraak (wat, wie, wanneer) and is signed by at least one adult of the
    household and the wijkcoach. A soort that is not in the definitions' list warns.

    Which events require a kernbeslissing is decided by the definitions' list
    (forms.definitions.schemas.KERNBESLISSING_EVENTS): 'opschaling' (:func:`_opschaling`),
    'onveilig_oordeel' and 'veiligheid_verslechterd' (:func:`_veiligheid_beslissingen`),
    'afsluiten_met_kinderen' (:func:`_afsluiting`). 'afschaling', 'overig' and a
    municipality's own ids are no event the dossier can show (going back from a
    compulsory framework happens outside it): the wijkcoach records them, and then they
    need everything above like any kernbeslissing."""
    adults = {m.id for m in ctx.d.adults()}
    for kb in ctx.d.kernbeslissingen:
        if not ctx.here(kb.gesprek_id):
            continue
        label = f"De kernbeslissing ‘{ctx.traject.kernbeslissing_label(kb.soort)}’"
        where = dict(ref=kb.id, member_id=kb.child_id if kb.child_id in ctx.members else None)
        if not ctx.traject.is_kernbeslissing(kb.soort):
            yield ctx.gap(
                "kernbeslissing_soort_onbekend",
                f"{label} is geen soort uit de lijst van kernbeslissingen van de gemeente. Kies een soort uit de lijst.",
                "kernbeslissingen",
                field="soort",
                **where,
            )
        if not kb.raadplegingen:
            yield ctx.gap(
                "kernbeslissing_raadpleging_ontbreekt",
                f"{label} is nog met niemand overlegd. Leg vast wie u heeft geraadpleegd (collega, "
                "gedragswetenschapper of partner), wanneer en waarover.",
                "kernbeslissingen",
                field="raadplegingen",
                **where,
            )
        for r in kb.raadplegingen:
            if not r.over:
                yield ctx.gap(
                    "raadpleging_onderwerp_ontbreekt",
                    f"{label}: noteer waarover u {r.naam} heeft geraadpleegd.",
                    "kernbeslissingen",
                    field="raadplegingen",
                    **where,
                )
        if not kb.informatie:
            yield ctx.gap(
                "kernbeslissing_informatie_ontbreekt",
                f"{label}: noteer op welke informatie de beslissing rust.",
                "kernbeslissingen",
                field="informatie",
                **where,
            )
        if kb.veiligheidsplan_nodig is None:
            yield ctx.gap(
                "kernbeslissing_veiligheidsplan_open",
                f"{label}: leg vast of een veiligheidsplan nodig is.",
                "kernbeslissingen",
                field="veiligheidsplan_nodig",
                **where,
            )
            continue
        if not kb.veiligheidsplan_nodig:
            continue
        plan = kb.veiligheidsplan
        if plan is None or not plan.afspraken:
            yield ctx.gap(
                "veiligheidsplan_ontbreekt",
                f"{label} vraagt een veiligheidsplan. Maak met het gezin afspraken: wat, wie en wanneer.",
                "kernbeslissingen",
                field="veiligheidsplan",
                **where,
            )
            continue
        for af in plan.afspraken:
            if not af.wie or af.wanneer is None:
                yield ctx.gap(
                    "veiligheidsplan_afspraak_onvolledig",
                    f"Veiligheidsplan: bij de afspraak ‘{af.wat[:40]}’ ontbreekt wie of wanneer.",
                    "kernbeslissingen",
                    field="veiligheidsplan",
                    **where,
                )
        adult_signed = any(
            sig.member_id in adults and sig.afbeelding_png for sig in plan.handtekeningen
        )
        coach_signed = any(sig.member_id is None and sig.afbeelding_png for sig in plan.handtekeningen)
        if not (adult_signed and coach_signed):
            wie = "een ouder of verzorger en u als wijkcoach" if not (adult_signed or coach_signed) else (
                "u als wijkcoach" if adult_signed else "minstens één volwassene uit het gezin"
            )
            yield ctx.gap(
                "veiligheidsplan_handtekening_ontbreekt",
                f"Het veiligheidsplan is nog niet ondertekend door {wie}.",
                "kernbeslissingen",
                field="veiligheidsplan",
                **where,
            )


def _afsluiting(ctx: _Ctx) -> Iterator[Gap]:
    """T13: close only when the family goes on alone or follow-up is arranged with a named
    partner; every partner the family allowed contact with is told (date, how); a resultaat
    from the definitions' list; an optional waakvlam after the afsluiting and not in the
    past. Closing a trajectory while a child lives in the household is a kernbeslissing
    (T14) when the definitions list 'afsluiten_met_kinderen'."""
    af = ctx.d.gesprek.afsluiting
    if af is None:
        yield ctx.gap(
            "afsluiting_ontbreekt",
            "Leg vast hoe het traject eindigt: gaat het gezin zelfstandig verder of neemt een partner het over?",
            "afsluiting",
            field="afsluiting",
        )
        return
    partners = {p.id: p for p in ctx.d.partners}
    if af.zelfstandig_verder is not True:
        if af.vervolg_partner_id is None:
            yield ctx.gap(
                "afsluiting_vervolg_ontbreekt",
                "Afsluiten kan als het gezin zelfstandig verder kan, of als het vervolg is geregeld met "
                "een partner. Kies een van de twee.",
                "afsluiting",
                field="zelfstandig_verder",
            )
        elif af.vervolg_partner_id not in partners:
            yield ctx.gap(
                "afsluiting_vervolg_partner_onbekend",
                "De partner die het vervolg oppakt staat niet (meer) bij de netwerkpartners. Kies een partner.",
                "afsluiting",
                field="vervolg_partner_id",
            )
        elif not af.vervolg_afspraak:
            yield ctx.gap(
                "afsluiting_vervolg_afspraak_ontbreekt",
                f"Noteer wat u met {partners[af.vervolg_partner_id].organisatie} heeft afgesproken over het vervolg.",
                "afsluiting",
                ref=af.vervolg_partner_id,
                field="vervolg_afspraak",
            )
    told = {i.partner_id for i in af.geinformeerd}
    for p in ctx.d.partners:
        if p.toestemming is not None and p.toestemming.contact_toegestaan and p.id not in told:
            yield ctx.gap(
                "afsluiting_partner_niet_geinformeerd",
                f"Laat {p.organisatie} weten dat de hulp stopt, en noteer wanneer en hoe.",
                "afsluiting",
                ref=p.id,
                field="geinformeerd",
            )
    if af.resultaat is None:
        yield ctx.gap(
            "afsluiting_resultaat_ontbreekt",
            "Kies het resultaat van het traject (bijvoorbeeld zelfstandig verder of overgedragen).",
            "afsluiting",
            field="resultaat",
        )
    elif ctx.traject.resultaat(af.resultaat) is None:
        yield ctx.gap(
            "afsluiting_resultaat_onbekend",
            f"Het resultaat ‘{af.resultaat}’ staat niet in de lijst van de gemeente. Kies een resultaat uit de lijst.",
            "afsluiting",
            field="resultaat",
        )
    if af.waakvlam is not None and (af.waakvlam <= ctx.on or af.waakvlam < ctx.today):
        yield ctx.gap(
            "afsluiting_waakvlam_verleden",
            f"De waakvlam ({_date(af.waakvlam)}) ligt niet na het afsluitgesprek of is al voorbij. "
            "Kies een datum in de toekomst, of laat de waakvlam leeg.",
            "afsluiting",
            field="waakvlam",
        )
    if ctx.d.children() and ctx.traject.is_kernbeslissing("afsluiten_met_kinderen"):
        if not _kb_for(ctx, ("afsluiten_met_kinderen",)):
            yield ctx.gap(
                "kernbeslissing_afsluiten_ontbreekt",
                "Een traject afsluiten terwijl er kinderen in het gezin zijn is een kernbeslissing. Leg "
                "vast wat u besluit, met wie u heeft overlegd en op welke informatie.",
                "kernbeslissingen",
                field="kernbeslissingen",
            )


Check = Callable[[_Ctx], Iterator[Gap]]

# The checks per kind of gesprek (see the module docstring for what applies when, and why).
_CHECKS: dict[GesprekSoort, tuple[Check, ...]] = {
    GesprekSoort.INTAKE: (
        _huishouden,
        _contact,
        _leefgebieden,
        _netwerk,
        _veiligheid,
        _meldcode,
        _hulpvraag,
        _plan,
        _volgende_evaluatie,
        _opschaling,
        _kernbeslissingen,
        _ondertekenen,
    ),
    GesprekSoort.EVALUATIE: (
        _huishouden,
        _contact,
        _vorige_datum,
        _evaluatie,
        _veiligheid,
        _meldcode,
        _meldcode_stap5,
        _plan,
        _plan_reden,
        _volgende_evaluatie,
        _veiligheid_beslissingen,
        _opschaling,
        _kernbeslissingen,
        _ondertekenen,
    ),
    GesprekSoort.AFSLUITING: (
        _huishouden,
        _contact,
        _vorige_datum,
        _evaluatie,
        _veiligheid,
        _meldcode,
        _plan_reden,
        _veiligheid_beslissingen,
        _opschaling,
        _kernbeslissingen,
        _afsluiting,
        _ondertekenen,
    ),
}


def _relocated(g: Gap) -> Gap:
    """A gap at a step this kind of gesprek does not have (e.g. the plan's analysis, edited
    on the intake's Hulpvraag step, at an evaluatie; the Meldcode at an afsluiting) is shown
    on the Controle step, the rest of its location kept."""
    loc = g.location
    return Gap(g.code, g.severity, g.message, Location("controle", loc.member_id, loc.domein, loc.field, loc.ref, loc.item))


def gaps(
    dossier: Dossier,
    definitions: Definitions | None = None,
    *,
    today: dt.date | None = None,
    settings: RuleSettings | None = None,
) -> list[Gap]:
    """Every gap in the dossier, blocking and warning, in step order then member order."""
    ctx = _Ctx(
        dossier,
        definitions if definitions is not None else default_definitions(),
        today if today is not None else dt.date.today(),
        settings if settings is not None else RuleSettings(),
    )
    own = set(sections_for(ctx.soort))
    found = [
        g if g.location.section in own else _relocated(g)
        for check in _CHECKS[ctx.soort]
        for g in check(ctx)
    ]
    order = _section_order(dossier.gesprek.soort)

    def key(item: tuple[int, Gap]) -> tuple[int, int, int]:
        i, g = item
        member = g.location.member_id
        return (order[g.location.section], ctx.order.get(member, -1) if member else -1, i)

    return [g for _i, g in sorted(enumerate(found), key=key)]


def blocking(
    dossier: Dossier,
    definitions: Definitions | None = None,
    *,
    today: dt.date | None = None,
    settings: RuleSettings | None = None,
) -> list[Gap]:
    """Only the blocking gaps."""
    return [g for g in gaps(dossier, definitions, today=today, settings=settings) if g.blokkerend]


def is_complete(dossier: Dossier, definitions: Definitions | None = None, **kw: object) -> bool:
    return not blocking(dossier, definitions, **kw)  # type: ignore[arg-type]
