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
    Dossier,
    GesprekSoort,
    Goal,
    MeldcodeRecord,
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
        a = ctx.d.latest_assessment(child.id)
        n = child.voornaam
        if a is None:
            yield ctx.gap(
                "veiligheid_ontbreekt",
                f"Voor {n} is nog geen veiligheidsbeoordeling afgerond.",
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
        if age_days > ctx.s.assessment_max_age_days:
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


_CHECKS: tuple[Callable[[_Ctx], Iterator[Gap]], ...] = (
    _huishouden,
    _contact,
    _leefgebieden,
    _netwerk,
    _veiligheid,
    _meldcode,
    _hulpvraag,
    _plan,
    _ondertekenen,
)


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
    found = [g for check in _CHECKS for g in check(ctx)]
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
