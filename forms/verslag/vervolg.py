"""The verslagen of the gesprekken after the intake, and the veiligheidsplan (issue 13).

- The **evaluatieverslag** (T10, T11, T12, T14, T15): who was there, each goal with its
  evaluation, the safety of every child then and now (a picture per child: the first
  assessment, the previous one and this one), Meldcode step 5, what changed in the plan
  and why, the kernbeslissingen and opschalingen of this gesprek, the next evaluation.
- The **afsluitverslag** (T13): the goals' final evaluation, how the trajectory ends, the
  partners told that the help ends, the final safety check per child, the resultaat and
  the waakvlam.
- The **veiligheidsplan** of one kernbeslissing (T14): its afspraken (wat, wie, wanneer),
  signed with the family like a verslag.

They share the intake verslag's look and furniture (:mod:`forms.verslag.build`): fonts and
scripts, letterhead, "pagina x van y", the hash, metadata without personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ..errors import KeukentafelError
from ..models import (
    Dossier,
    Goal,
    Kernbeslissing,
    Member,
    Opschaling,
    Plan,
    PlanVersie,
    RiskLater,
    SafetyAssessment,
    SafetyNow,
)
from ..models import (
    GesprekSoort as Soort,
)
from ..trajectory import SafetyPoint, first_and_previous, gesprek_soort, safety_history
from .build import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    PAGE_H,
    SOORT_TITEL,
    TEXT_W,
    _facts,
    _h1,
    _join,
    _now_word,
    _or_dash,
    _p,
    _t,
    _table,
    _Verslag,
    datum,
    render_document,
)
from .chart import Lane, level_chart
from .lookup import Lookup, default_definitions
from .settings import VerslagSettings

__all__ = [
    "AFSLUITING_HEADINGS",
    "EVALUATIE_HEADINGS",
    "VEILIGHEIDSPLAN_HEADINGS",
    "GeenVeiligheidsplan",
    "PlanChange",
    "build_veiligheidsplan_pdf",
    "follow_up_story",
    "plan_changes",
]

# The section headings of each document, in the order they appear; every one is printed,
# also when its section is empty (it then says so), as in the intake verslag.
EVALUATIE_HEADINGS: tuple[str, ...] = (
    "Het gesprek",
    "Het gezin en wie erbij waren",
    "Hoe het gaat met de doelen",
    "Veiligheid van de kinderen: toen en nu",
    "Meldcode: helpt de hulp genoeg?",
    "Wat er in het plan verandert",
    "Doelen en afspraken",
    "Belangrijke beslissingen",
    "Opschaling",
    "De volgende evaluatie",
    "Handtekeningen",
    "Controlecode",
)
AFSLUITING_HEADINGS: tuple[str, ...] = (
    "Het gesprek",
    "Het gezin en wie erbij waren",
    "Wat er is bereikt",
    "Hoe het verder gaat",
    "Wie wij hebben verteld dat de hulp stopt",
    "Veiligheid van de kinderen: de laatste controle",
    "Belangrijke beslissingen",
    "Opschaling",
    "Handtekeningen",
    "Controlecode",
)
VEILIGHEIDSPLAN_HEADINGS: tuple[str, ...] = (
    "Waarom dit plan",
    "De afspraken",
    "Met wie wij hebben overlegd",
    "Handtekeningen",
    "Controlecode",
)

MAANDEN_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

_UITKOMST_KLEUR = {
    "behaald": "#3F6B33",
    "deels": "#8A5A0B",
    "niet_behaald": "#9A2F22",
    "niet_meer_van_toepassing": "#5B6B78",
}
_RAADPLEGING_MET = {
    "collega": "Collega",
    "gedragswetenschapper": "Gedragswetenschapper",
    "partner": "Netwerkpartner",
}
_NOW_LEVEL = {SafetyNow.VEILIG: 0, SafetyNow.ONVEILIG: 1, SafetyNow.ACUUT_ONVEILIG: 2}
_RISK_LEVEL = {RiskLater.LAAG: 0, RiskLater.VERHOOGD: 1, RiskLater.HOOG: 2}
_Logged = TypeVar("_Logged", Kernbeslissing, Opschaling)
CHART_COLUMNS = 8  # assessments shown in a child's picture: the first and the latest ones


class GeenVeiligheidsplan(KeukentafelError, LookupError):  # noqa: N818 (a Dutch domain word)
    """The kernbeslissing is not in the dossier, or has no veiligheidsplan."""

    def __init__(self, kernbeslissing_id: UUID, *, bestaat: bool) -> None:
        self.kernbeslissing_id = kernbeslissing_id
        if bestaat:
            message = f"kernbeslissing {kernbeslissing_id} has no veiligheidsplan"
            melding = "Bij deze kernbeslissing is geen veiligheidsplan gemaakt."
        else:
            message = f"kernbeslissing {kernbeslissing_id} is not in the dossier"
            melding = "Deze kernbeslissing staat niet in dit dossier."
        super().__init__(message, melding)


# --- the plan, then and now --------------------------------------------------------------


@dataclass(frozen=True)
class PlanChange:
    """One change to the plan: ``wat`` names it ("Nieuw doel"), ``tekst`` and ``was`` are
    the plan's own words now and before (plain text, not markup)."""

    wat: str
    tekst: str
    was: str = ""
    details: tuple[str, ...] = ()


def _goal_details(old: Goal, new: Goal) -> tuple[str, ...]:
    details: list[str] = []
    if old.prioriteit != new.prioriteit:
        details.append(f"Belangrijkheid: was {old.prioriteit}, nu {new.prioriteit}")
    if old.resultaat != new.resultaat:
        details.append(f"Dat ziet u aan: {new.resultaat or '–'} (was: {old.resultaat or '–'})")
    if old.eigenaar != new.eigenaar:
        details.append(f"Wie: {new.eigenaar or '–'} (was: {old.eigenaar or '–'})")
    if old.streefdatum != new.streefdatum:
        details.append(f"Wanneer: {datum(new.streefdatum)} (was: {datum(old.streefdatum)})")
    old_actions = {a.id: a for a in old.acties}
    new_actions = {a.id: a for a in new.acties}
    for a in new.acties:
        before = old_actions.get(a.id)
        if before is None:
            details.append(f"Nieuwe afspraak: {a.omschrijving}")
        elif before != a:
            details.append(f"Afspraak aangepast: {a.omschrijving}")
    details += [f"Afspraak vervalt: {a.omschrijving}" for a in old.acties if a.id not in new_actions]
    return tuple(details)


def plan_changes(old: Plan, new: Plan) -> list[PlanChange]:
    """What changed from ``old`` to ``new``, in the plan's reading order: the analysis,
    the perspective, the goals (by id: new, changed, dropped), the regisseur."""
    changes: list[PlanChange] = []
    if old.probleemanalyse != new.probleemanalyse:
        changes.append(PlanChange("Wat er speelt", new.probleemanalyse, old.probleemanalyse))
    if old.perspectief != new.perspectief:
        changes.append(PlanChange("Waar we naartoe willen", new.perspectief, old.perspectief))
    old_goals = {g.id: g for g in old.doelen}
    new_ids = {g.id for g in new.doelen}
    for goal in sorted(new.doelen, key=lambda g: g.prioriteit):
        before = old_goals.get(goal.id)
        if before is None:
            changes.append(PlanChange("Nieuw doel", goal.omschrijving))
        elif before != goal:
            was = before.omschrijving if before.omschrijving != goal.omschrijving else ""
            changes.append(PlanChange("Doel aangepast", goal.omschrijving, was, _goal_details(before, goal)))
    for goal in sorted(old.doelen, key=lambda g: g.prioriteit):
        if goal.id not in new_ids:
            changes.append(PlanChange("Doel vervalt", goal.omschrijving))
    if old.regisseur != new.regisseur:
        now = new.regisseur.naam if new.regisseur else "niemand"
        was = old.regisseur.naam if old.regisseur else "niemand"
        changes.append(PlanChange("Regisseur", now, was if was != now else ""))
    return changes


# --- the verslagen ---------------------------------------------------------------------------


def _rows_fit_a_page(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> bool:
    """Whether every row of a table is well shorter than a page (then no row needs to
    break over two pages)."""
    limit = 0.8 * (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)
    for row in rows:
        for cell, width in zip(row, widths, strict=True):
            if isinstance(cell, Flowable) and cell.wrap(width - 10, 2 * limit)[1] > limit:
                return False
    return True


def _kort(d: dt.date) -> str:
    return f"{d.day} {MAANDEN_KORT[d.month - 1]} {d.year}"


class _Vervolg(_Verslag):
    """What the evaluatieverslag, the afsluitverslag and the veiligheidsplan share."""

    H: tuple[str, ...] = ()  # the document's section headings

    def __init__(self, dossier: Dossier, lookup: Lookup, settings: VerslagSettings) -> None:
        super().__init__(dossier, lookup, settings)
        self.gid = dossier.gesprek.id
        self.soort = dossier.gesprek.soort
        self.history = safety_history(dossier)

    # the trajectory ---------------------------------------------------------------------

    def previous_plan(self) -> PlanVersie | None:
        """The plan as signed at an earlier gesprek: the last version not made at this one."""
        earlier = [v for v in self.d.plan_versies if v.gesprek_id != self.gid]
        return earlier[-1] if earlier else None

    def goal(self, goal_id: UUID) -> Goal | None:
        """A goal of the plan now, or of an earlier plan version (a goal that was dropped)."""
        for plan in [self.d.plan, *(v.plan for v in reversed(self.d.plan_versies))]:
            found = next((g for g in plan.doelen if g.id == goal_id), None)
            if found is not None:
                return found
        return None

    def here(self, items: Sequence[_Logged]) -> list[_Logged]:
        """The kernbeslissingen or opschalingen recorded at this gesprek, by date."""
        return sorted((i for i in items if i.gesprek_id == self.gid), key=lambda i: i.datum)

    def child_name(self, child_id: UUID | None) -> str:
        member = self.d.member(child_id) if child_id is not None else None
        return member.voornaam if member is not None else ""

    # sections ------------------------------------------------------------------------------

    def begin(self, lead: str, doelen_uitleg: str) -> list[Flowable]:
        """The opening every follow-up verslag shares: title, the gesprek (with the ones
        before it), who was there, and how the goals were evaluated."""
        earlier = [
            f"{v.soort.label.lower()} op {datum(v.datum)}" if v.datum else v.soort.label.lower()
            for v in self.d.vorige_versies
        ]
        extra = [("Eerdere gesprekken", _join(earlier))] if earlier else []
        return [
            *self.intro(SOORT_TITEL[self.soort], lead, extra),
            *self.gezin(),
            *self.doel_evaluaties(self.H[2], doelen_uitleg),
        ]

    def doel_evaluaties(self, heading: str, uitleg: str) -> list[Flowable]:
        """Every goal of the plan as it stood, with what the family says, what the coach
        sees and the outcome (T10)."""
        out: list[Flowable] = [CondPageBreak(45 * mm), _h1(heading), _p(uitleg), Spacer(1, 2 * mm)]
        evaluations = {e.goal_id: e for e in self.d.gesprek.doel_evaluaties}
        previous = self.previous_plan()
        goals = sorted((previous.plan if previous else self.d.plan).doelen, key=lambda g: g.prioriteit)
        listed = {g.id for g in goals}
        goals += [g for e in self.d.gesprek.doel_evaluaties if e.goal_id not in listed and (g := self.goal(e.goal_id))]
        rows: list[list[Any]] = [[_p(h, "cell_head") for h in ("", "Doel", "Uitkomst")]]
        for g in goals:
            ev = evaluations.get(g.id)
            text = f"<b>{_t(g.omschrijving)}</b>"
            if g.resultaat:
                text += f"<br/><font color='#5B6B78'>Dat ziet u aan: {_t(g.resultaat)}</font>"
            if ev is not None:
                text += f"<br/><i>Wat u zegt:</i> {_or_dash(ev.familie)}"
                text += f"<br/><i>Wat wij zien:</i> {_or_dash(ev.coach)}"
            if ev is None or ev.uitkomst is None:
                outcome = _p("Nog niet besproken", "cell_muted")
            else:
                colour = _UITKOMST_KLEUR[ev.uitkomst.value]
                outcome = _p(f"<font color='{colour}'><b>{ev.uitkomst.label}</b></font>", "cell")
            rows.append([_p(f"<b>{g.prioriteit}</b>", "cell"), _p(text, "cell"), outcome])
        if not goals:
            rows.append(["", _p("Er waren nog geen doelen afgesproken.", "cell_muted"), ""])
        # a goal moves whole to the next page, its outcome beside it, unless one is too
        # long for a page (the family's words may run to pages)
        widths = [9 * mm, TEXT_W - 9 * mm - 36 * mm, 36 * mm]
        out.append(_table(rows, widths, split_rows=not _rows_fit_a_page(rows, widths)))
        return out

    def safety_over_time(self, heading: str, uitleg: str) -> list[Flowable]:
        intro: list[Flowable] = [_h1(heading), _p(uitleg)]
        children = self.d.children()
        if not children:
            return [*intro, _p("Er wonen geen kinderen onder de 18 jaar in het gezin.", "cell_muted")]
        out: list[Flowable] = []
        for index, child in enumerate(children):
            # the name, the picture and the judgment in words stay together (the section's
            # heading with the first child); the rationale and the table may flow on
            head, rest = self.child_then_and_now(child)
            out += [KeepTogether((intro if index == 0 else []) + head), *rest]
        return out

    def child_then_and_now(self, child: Member) -> tuple[list[Flowable], list[Flowable]]:
        """The child's name, picture and judgment in words; then the rationale, the
        comparison with the previous judgment and the table of then and now."""
        naam = _t(child.voornaam)
        head: list[Flowable] = [_p(f"{naam} ({child.age_on(self.on)} jaar)", "h2")]
        block: list[Flowable] = []
        history = [
            p for p in self.history.get(child.id, [])
            if p.afgerond and p.veiligheid_nu is not None and p.risico is not None
        ]
        first, previous = first_and_previous(self.d, child.id)
        here = [a for a in self.d.assessments_for(child.id) if a.gesprek_id == self.gid]
        now = here[-1] if here else None
        if history:
            head += [self.safety_picture(history), Spacer(1, 2 * mm)]
        if now is None:
            head.append(_p(f"Bij dit gesprek is de veiligheid van {naam} niet opnieuw ingeschat."))
        elif not now.afgerond or now.veiligheid_nu is None or now.risico is None:
            head.append(_p(f"De nieuwe inschatting van de veiligheid van {naam} is nog niet klaar."))
        else:
            conclusion, *why = self._judgment(naam, now, now.veiligheid_nu, now.risico)
            head.append(conclusion)
            block += why
            if previous is not None:
                block.append(_p(_compare(naam, previous, now), "small"))
        rows = [("Eerste inschatting", first)]
        if previous is not None and previous is not first:
            rows.append(("Vorige inschatting", previous))
        if now is not None:
            rows.append(("Nu", now))
        if first is not None:
            block.append(KeepTogether([Spacer(1, 1.5 * mm), self._then_and_now_table(rows)]))
        return head, block

    def safety_picture(self, history: Sequence[SafetyPoint]) -> Flowable:
        """The child's concluded judgments over time (the first, then the latest ones)."""
        shown = list(history)
        if len(shown) > CHART_COLUMNS:  # the first, then the latest ones
            shown = [shown[0], *shown[-(CHART_COLUMNS - 1):]]
        columns = [
            (_kort(p.datum), "dit gesprek" if p.gesprek_id == self.gid else p.soort.label.lower())
            for p in shown
        ]
        here = [i for i, p in enumerate(shown) if p.gesprek_id == self.gid]
        lanes = [
            Lane("Thuis nu", ("veilig", "niet veilig", "acuut niet veilig"),
                 [_NOW_LEVEL[p.veiligheid_nu] if p.veiligheid_nu else None for p in shown]),
            Lane("Risico later", ("laag", "verhoogd", "hoog"),
                 [_RISK_LEVEL[p.risico] if p.risico else None for p in shown]),
        ]
        return level_chart(columns, lanes, width=TEXT_W, highlight=here[-1] if here else None)

    def _then_and_now_table(self, rows: Sequence[tuple[str, SafetyAssessment | None]]) -> Flowable:
        data: list[list[Any]] = [[_p(h, "cell_head") for h in ("", "Datum", "Thuis nu", "Risico later")]]
        for label, a in rows:
            if a is None:
                continue
            concluded = a.afgerond and a.veiligheid_nu is not None and a.risico is not None
            nu = _now_word(a.veiligheid_nu) if concluded and a.veiligheid_nu else "nog niet klaar"
            risico = a.risico.label.lower() if concluded and a.risico else "–"
            data.append([
                _p(label, "cell_b"),
                _p(f"{datum(a.datum)} ({gesprek_soort(self.d, a.gesprek_id).label.lower()})", "cell"),
                _p(nu, "cell"),
                _p(risico, "cell"),
            ])
        return _table(data, [38 * mm, 58 * mm, 38 * mm, TEXT_W - 134 * mm], zebra=True)

    def kernbeslissingen(self, heading: str) -> list[Flowable]:
        out: list[Flowable] = [
            _h1(heading),
            _p(
                "Een kernbeslissing is een belangrijke beslissing met grote gevolgen voor u en uw "
                "kinderen. Die nemen wij niet alleen: wij overleggen eerst met een collega, een "
                "gedragswetenschapper of een andere hulpverlener."
            ),
        ]
        found = self.here(self.d.kernbeslissingen)
        if not found:
            out.append(_p("Bij dit gesprek zijn geen kernbeslissingen genomen.", "cell_muted"))
        for kb in found:
            out += self.kernbeslissing(kb)
        return out

    def kernbeslissing(self, kb: Kernbeslissing) -> list[Flowable]:
        titel = _t(self.lookup.kernbeslissing_label(kb.soort))
        kind = self.child_name(kb.child_id)
        if kind:
            titel += f" – over {_t(kind)}"
        rows = [
            ("Datum", datum(kb.datum)),
            ("Wat wij besloten", _t(kb.beslissing)),
            ("Op basis van", _or_dash(kb.informatie)),
            ("Veiligheidsplan", self._veiligheidsplan_text(kb)),
        ]
        if kb.toelichting:
            rows.append(("Toelichting", _t(kb.toelichting)))
        block: list[Flowable] = [_p(titel, "h2"), _facts(rows), Spacer(1, 1.5 * mm)]
        block.append(self.raadplegingen(kb))
        return [KeepTogether(block)]

    @staticmethod
    def _veiligheidsplan_text(kb: Kernbeslissing) -> str:
        if kb.veiligheidsplan_nodig is None:
            return "Nog niet besloten of een veiligheidsplan nodig is."
        if not kb.veiligheidsplan_nodig:
            return "Niet nodig."
        if kb.veiligheidsplan is None or not kb.veiligheidsplan.afspraken:
            return "Nodig; het veiligheidsplan wordt nog gemaakt."
        count = len(kb.veiligheidsplan.afspraken)
        return f"Ja: het veiligheidsplan met {count} {'afspraak' if count == 1 else 'afspraken'} staat in een apart document."

    def raadplegingen(self, kb: Kernbeslissing) -> Flowable:
        rows: list[list[Any]] = [
            [_p(h, "cell_head") for h in ("Met wie", "Wanneer", "Waarover", "Wat zij adviseerden")]
        ]
        for r in sorted(kb.raadplegingen, key=lambda r: r.datum):
            rows.append([
                _p(f"<b>{_t(r.naam)}</b><br/><font color='#5B6B78'>{_RAADPLEGING_MET[r.met]}</font>", "cell"),
                _p(datum(r.datum), "cell"),
                _p(_or_dash(r.over), "cell"),
                _p(_or_dash(r.uitkomst), "cell"),
            ])
        if not kb.raadplegingen:
            rows.append([_p("Er is (nog) niemand geraadpleegd.", "cell_muted"), "", "", ""])
        rest = TEXT_W - 50 * mm - 27 * mm
        return _table(rows, [50 * mm, 27 * mm, rest / 2, rest / 2])

    def opschalingen(self, heading: str) -> list[Flowable]:
        intro: list[Flowable] = [
            _h1(heading),
            _p(
                "Soms is hulp op vrijwillige basis niet genoeg om de kinderen veilig te laten "
                "opgroeien. Dan schakelen wij een andere organisatie in, zoals Veilig Thuis of de "
                "Raad voor de Kinderbescherming. Dat heet opschalen."
            ),
        ]
        found = self.here(self.d.opschalingen)
        if not found:
            return [*intro, _p("Bij dit gesprek is niet opgeschaald.", "cell_muted")]
        by_id = {kb.id: kb for kb in self.d.kernbeslissingen}
        blocks: list[list[Flowable]] = []
        for op in found:
            naar = op.naar_anders if op.naar == "anders" and op.naar_anders else self.lookup.opschaling_label(op.naar)
            rows = [
                ("Datum", datum(op.datum)),
                ("Waarom", _t(op.reden)),
                ("Wat eruit kwam", _t(op.uitkomst) if op.uitkomst else "Nog niet bekend."),
            ]
            kb = by_id.get(op.kernbeslissing_id) if op.kernbeslissing_id else None
            if kb is not None:
                rows.append(("Kernbeslissing", f"{_t(self.lookup.kernbeslissing_label(kb.soort))}, {datum(kb.datum)}"))
            blocks.append([_p(f"Naar {_t(naar)}", "h2"), _facts(rows)])
        # the heading and its explanation stay with the first
        return [KeepTogether(intro + blocks[0])] + [KeepTogether(b) for b in blocks[1:]]


class _Evaluatieverslag(_Vervolg):
    H = EVALUATIE_HEADINGS

    def story(self) -> list[Flowable]:
        h = self.H
        s = self.begin(
            "In dit verslag staat hoe het gaat met de doelen die we samen hebben afgesproken, hoe "
            "het nu gaat met de veiligheid van de kinderen, en wat we in het plan veranderen.",
            "Wij hebben elk doel samen met u besproken: wat u zelf ziet, wat wij zien, en of het "
            "doel is behaald.",
        )
        s += self.safety_over_time(
            h[3],
            "Voor ieder kind kijken wij opnieuw of het thuis nu veilig is, en hoe groot de kans is op "
            "problemen in de komende tijd. De tekening laat per kind de eerste inschatting, de "
            "vorige en die van nu zien: hoe hoger de stip, hoe veiliger.",
        )
        s += self.meldcode_stap5()
        s += self.plan_wijzigingen()
        s += self.doelen()
        s += self.kernbeslissingen(h[7])
        s += self.opschalingen(h[8])
        s += self.volgende_evaluatie()
        s += self.handtekeningen(
            uitleg="Met uw handtekening laat u zien dat u dit verslag heeft gelezen, en dat u het "
            "eens bent met de afspraken en met het plan zoals het nu is."
        )
        s += self.controlecode()
        return s

    def meldcode_stap5(self) -> list[Flowable]:
        g = self.d.gesprek
        out: list[Flowable] = [
            _h1(self.H[4]),
            _p(
                "Als er zorgen zijn over huiselijk geweld of kindermishandeling, werken wij volgens de "
                "Meldcode. Die vraagt ons bij elke evaluatie: <i>leidt de hulp op tijd tot de "
                "resultaten die nodig zijn?</i> Is het antwoord nee, dan melden wij opnieuw bij "
                "Veilig Thuis."
            ),
        ]
        if g.meldcode_stap5 is None:
            if self.d.meldcode is None:
                out.append(_p("Er loopt geen traject volgens de Meldcode. Deze vraag is nu niet aan de orde.",
                              "cell_muted"))
            else:
                out.append(_p("Deze vraag is bij dit gesprek nog niet beantwoord.", "cell_muted"))
            return out
        rows = [("Ons antwoord", "<b>Ja</b>" if g.meldcode_stap5 else "<b>Nee</b>")]
        if g.meldcode_stap5_toelichting:
            rows.append(("Toelichting", _t(g.meldcode_stap5_toelichting)))
        if g.nieuwe_melding is not None:
            m = g.nieuwe_melding
            rows.append(
                ("Nieuwe melding", f"Bij Veilig Thuis op {datum(m.datum)} (kenmerk {_t(m.referentie)}).")
            )
        elif not g.meldcode_stap5:
            rows.append(("Nieuwe melding", "Nog niet gedaan."))
        out.append(_facts(rows))
        return out

    def plan_wijzigingen(self) -> list[Flowable]:
        out: list[Flowable] = [CondPageBreak(40 * mm), _h1(self.H[5])]
        reden = self.d.gesprek.plan_reden
        previous = self.previous_plan()
        if previous is None:
            out.append(
                _p("Er is geen eerdere versie van het plan vastgelegd. Hieronder staat het plan zoals "
                   "het nu is.", "cell_muted")
            )
            if reden:
                out.append(_p(f"Waarom: {_t(reden)}"))
            return out
        changes = plan_changes(previous.plan, self.d.plan)
        since = f"Vergeleken met het plan van {datum(previous.datum)} (versie {previous.versie})"
        if not changes:
            out.append(_p(f"{since} blijft het plan zoals het was."))
            if reden:
                out.append(_p(f"Waarom: {_t(reden)}"))
            return out
        out.append(_p(f"{since} verandert dit:"))
        if reden:
            out.append(_p(f"<b>Waarom:</b> {_t(reden)}"))
        rows: list[list[Any]] = [[_p("Wat", "cell_head"), _p("Hoe het nu is", "cell_head")]]
        for c in changes:
            text = _t(c.tekst) if c.tekst else "–"
            if c.was:
                text += f"<br/><font color='#5B6B78'>Was: {_t(c.was)}</font>"
            for detail in c.details:
                text += f"<br/>· {_t(detail)}"
            rows.append([_p(escape(c.wat), "cell_b"), _p(text, "cell")])
        out += [Spacer(1, 2 * mm), _table(rows, [40 * mm, TEXT_W - 40 * mm])]
        return out

    def volgende_evaluatie(self) -> list[Flowable]:
        when = self.d.gesprek.volgende_evaluatie
        text = (
            f"Wij bespreken samen weer hoe het gaat, uiterlijk op <b>{datum(when)}</b>."
            if when is not None
            else "Er is nog geen datum voor de volgende evaluatie afgesproken."
        )
        return [_h1(self.H[9]), _p(text, "body" if when else "cell_muted")]


class _Afsluitverslag(_Vervolg):
    H = AFSLUITING_HEADINGS

    def story(self) -> list[Flowable]:
        h = self.H
        s = self.begin(
            "Met dit gesprek sluiten wij de hulp van het wijkteam af. In dit verslag staat wat er is "
            "bereikt, hoe het verder gaat, en wie wij hebben verteld dat de hulp stopt.",
            "Wij hebben elk doel voor de laatste keer samen met u besproken: wat u zelf ziet, wat "
            "wij zien, en of het doel is behaald.",
        )
        s += self.verder()
        s += self.geinformeerd()
        s += self.safety_over_time(
            h[5],
            "Voordat de hulp stopt, kijken wij voor ieder kind nog een keer of het thuis veilig is. "
            "De tekening laat per kind alle inschattingen zien, van de eerste tot nu: hoe hoger de "
            "stip, hoe veiliger.",
        )
        s += self.kernbeslissingen(h[6])
        s += self.opschalingen(h[7])
        s += self.handtekeningen(
            uitleg="Met uw handtekening laat u zien dat u dit verslag heeft gelezen, en dat u weet "
            "hoe het na de hulp van het wijkteam verder gaat."
        )
        s += self.controlecode()
        return s

    def verder(self) -> list[Flowable]:
        a = self.d.gesprek.afsluiting
        out: list[Flowable] = [_h1(self.H[3])]
        if a is None:
            return [*out, _p("Hoe het verder gaat, is nog niet vastgelegd.", "cell_muted")]
        partner = next((p for p in self.d.partners if p.id == a.vervolg_partner_id), None)
        if partner is not None:
            who = ", ".join(x for x in (partner.rol, partner.contactpersoon) if x)
            text = f"De hulp gaat verder bij <b>{_t(partner.organisatie)}</b>"
            text += f" ({_t(who)})." if who else "."
            out.append(_p(text))
            if a.vervolg_afspraak:
                out.append(_p(f"Wat wij met hen hebben afgesproken: {_t(a.vervolg_afspraak)}"))
        if a.zelfstandig_verder:
            out.append(_p("U kunt zelf verder, zonder hulp van het wijkteam."))
        elif partner is None:
            out.append(_p("Nog niet vastgelegd of u zelf verder kunt of wie de hulp overneemt.", "cell_muted"))
        rows = [("Resultaat", _t(self.lookup.resultaat_label(a.resultaat)) if a.resultaat else "–")]
        if a.waakvlam is not None:
            rows.append((
                "Waakvlam",
                f"Op {datum(a.waakvlam)} nemen wij nog een keer contact met u op om te horen hoe het gaat.",
            ))
        else:
            rows.append(("Waakvlam", "Niet afgesproken."))
        out += [Spacer(1, 1.5 * mm), _facts(rows)]
        if a.toelichting:  # a long text: a paragraph, which may break over pages
            out.append(_p(f"Toelichting: {_t(a.toelichting)}"))
        return out

    def geinformeerd(self) -> list[Flowable]:
        out: list[Flowable] = [
            _h1(self.H[4]),
            _p("Wij laten de hulpverleners met wie wij contact mochten hebben weten dat onze hulp stopt."),
            Spacer(1, 2 * mm),
        ]
        a = self.d.gesprek.afsluiting
        told = {i.partner_id: i for i in (a.geinformeerd if a is not None else [])}
        rows: list[list[Any]] = [[_p("Met wie", "cell_head"), _p("Wanneer en hoe", "cell_head")]]
        for p in self.d.partners:
            detail = ", ".join(x for x in (p.rol, p.contactpersoon) if x)
            who = f"<b>{_t(p.organisatie)}</b>" + (f"<br/><font color='#5B6B78'>{_t(detail)}</font>" if detail else "")
            info = told.get(p.id)
            if info is not None:
                when = _p(f"Op {datum(info.datum)}, {_t(info.hoe)}.", "cell")
            elif p.toestemming is not None and p.toestemming.contact_toegestaan:
                when = _p("Nog niet verteld.", "cell_muted")
            else:
                when = _p("Niet verteld: u gaf geen toestemming voor contact.", "cell_muted")
            rows.append([_p(who, "cell"), when])
        if not self.d.partners:
            rows.append([_p("Er waren geen andere hulpverleners betrokken.", "cell_muted"), ""])
        out.append(_table(rows, [70 * mm, TEXT_W - 70 * mm]))
        return out


def _compare(naam: str, before: SafetyAssessment, now: SafetyAssessment) -> str:
    """A sentence comparing this judgment with the previous one (both concluded)."""
    if before.veiligheid_nu is None or before.risico is None or now.veiligheid_nu is None or now.risico is None:
        return f"De vorige inschatting van {naam} ({datum(before.datum)}) was nog niet klaar."

    def word(old: int, new: int, better: str, worse: str) -> str:
        return "gelijk gebleven" if old == new else (better if new < old else worse)

    thuis = word(_NOW_LEVEL[before.veiligheid_nu], _NOW_LEVEL[now.veiligheid_nu], "beter", "slechter")
    risico = word(_RISK_LEVEL[before.risico], _RISK_LEVEL[now.risico], "kleiner", "groter")
    return (
        f"Vergeleken met de vorige inschatting ({datum(before.datum)}) is de veiligheid thuis "
        f"{'gelijk gebleven' if thuis == 'gelijk gebleven' else thuis + ' geworden'} en is het "
        f"risico later {'gelijk gebleven' if risico == 'gelijk gebleven' else risico + ' geworden'}."
    )


def follow_up_story(dossier: Dossier, lookup: Lookup, settings: VerslagSettings) -> list[Flowable]:
    """The story of the evaluatieverslag or afsluitverslag (by the gesprek's soort)."""
    if dossier.gesprek.soort is Soort.AFSLUITING:
        return _Afsluitverslag(dossier, lookup, settings).story()
    if dossier.gesprek.soort is Soort.EVALUATIE:
        return _Evaluatieverslag(dossier, lookup, settings).story()
    raise ValueError(f"no follow-up verslag for a gesprek of kind {dossier.gesprek.soort}")


# --- the veiligheidsplan ---------------------------------------------------------------------


class _Veiligheidsplan(_Vervolg):
    H = VEILIGHEIDSPLAN_HEADINGS

    def __init__(self, dossier: Dossier, lookup: Lookup, settings: VerslagSettings, kb: Kernbeslissing) -> None:
        super().__init__(dossier, lookup, settings)
        self.kb = kb

    def story(self) -> list[Flowable]:
        kb, d = self.kb, self.d
        assert kb.veiligheidsplan is not None  # checked by build_veiligheidsplan_pdf
        kind = d.member(kb.child_id) if kb.child_id is not None else None
        voor = f"{_t(kind.voornaam)}" if kind is not None else "de kinderen"
        is_zijn = "is" if kind is not None else "zijn"
        s: list[Flowable] = [
            Spacer(1, 4 * mm),
            _p("Veiligheidsplan", "title"),
            _p(_t(d.titel), "subtitle"),
            Spacer(1, 4 * mm),
            _p(
                f"In dit plan staan de afspraken die wij samen met u hebben gemaakt, zodat {voor} "
                f"thuis veilig {is_zijn}. Iedereen doet wat hieronder bij zijn of haar naam staat. "
                "Lukt een afspraak niet? Neem dan meteen contact op met uw regisseur.",
                "lead",
            ),
        ]
        rows = [
            ("Datum", datum(kb.datum)),
            ("Voor", f"{_t(kind.naam)} ({kind.age_on(kb.datum)} jaar)" if kind is not None else "De kinderen in het gezin"),
            ("Gemaakt bij", self.made_at(kb)),
        ]
        regisseur = d.plan.regisseur
        if regisseur is not None:
            rows.append(("Uw regisseur", _t(regisseur.naam)))
            if regisseur.bereikbaar:
                rows.append(("Bereikbaar via", _t(regisseur.bereikbaar)))
        s += [_facts(rows)]
        s += [
            _h1(self.H[0]),
            _p(f"<b>{_t(self.lookup.kernbeslissing_label(kb.soort))}.</b> {_t(kb.beslissing)}"),
        ]
        if kb.informatie:
            s.append(_p(f"Waar wij dit op baseren: {_t(kb.informatie)}"))
        s += [_h1(self.H[1]), Spacer(1, 1 * mm), self.afspraken()]
        s += [_h1(self.H[2]), self.raadplegingen(kb)]
        s += self.handtekeningen(
            signatures=kb.veiligheidsplan.handtekeningen,
            uitleg="Met uw handtekening laat u zien dat u deze afspraken kent, en dat u doet wat "
            "bij uw naam staat.",
            whole=True,
        )
        s += self.controlecode("veiligheidsplan")
        return s

    def made_at(self, kb: Kernbeslissing) -> str:
        """The gesprek the kernbeslissing was made at: this one or an earlier one (a
        later version of the dossier carries the kernbeslissing over)."""
        ref = next((v for v in self.d.vorige_versies if v.gesprek_id == kb.gesprek_id), None)
        if kb.gesprek_id == self.gid:
            when: dt.date | None = self.d.gesprek.datum
        else:
            when = ref.datum if ref is not None else None
        soort = gesprek_soort(self.d, kb.gesprek_id).label.lower()
        return f"de {soort} van {datum(when)}" if when is not None else f"de {soort}"

    def afspraken(self) -> Flowable:
        assert self.kb.veiligheidsplan is not None
        rows: list[list[Any]] = [[_p(h, "cell_head") for h in ("", "Wat", "Wie", "Wanneer")]]
        for number, a in enumerate(self.kb.veiligheidsplan.afspraken, start=1):
            rows.append([
                _p(f"<b>{number}</b>", "cell"),
                _p(_t(a.wat), "cell"),
                _p(_or_dash(a.wie), "cell"),
                _p(datum(a.wanneer) if a.wanneer else "–", "cell"),
            ])
        if len(rows) == 1:
            rows.append(["", _p("Er zijn nog geen afspraken gemaakt.", "cell_muted"), "", ""])
        return _table(rows, [9 * mm, TEXT_W - 9 * mm - 42 * mm - 30 * mm, 42 * mm, 30 * mm])


def build_veiligheidsplan_pdf(
    final: Dossier,
    kernbeslissing_id: UUID,
    definitions: Any | None = None,
    settings: VerslagSettings | None = None,
) -> bytes:
    """The veiligheidsplan of one kernbeslissing of ``final`` as PDF bytes, signed with the
    family like a verslag (its own signatures), with the dossier version's code.

    Raises :class:`GeenVeiligheidsplan` when the kernbeslissing is not in the dossier or
    has no veiligheidsplan. Deterministic, like :func:`forms.verslag.build_pdf`.
    """
    kb = next((k for k in final.kernbeslissingen if k.id == kernbeslissing_id), None)
    if kb is None or kb.veiligheidsplan is None:
        raise GeenVeiligheidsplan(kernbeslissing_id, bestaat=kb is not None)
    settings = settings or VerslagSettings()
    if definitions is None:
        definitions = default_definitions()
    story = _Veiligheidsplan(final, Lookup(final, definitions), settings, kb).story()
    return render_document(final, story, settings, "Veiligheidsplan")

