"""Where a household's trajectory stands, read from the dossier alone (issue 13, T10-T14).

A dossier holds the current gesprek (``gesprek``, its ``handtekeningen`` and
``definitief``) and references to the finalised gesprekken before it
(``vorige_versies``: kind, date, gesprek id). Everything that carries over (plan
versions, assessments, kernbeslissingen, opschalingen) says at which gesprek it was
made. From that this module derives:

- :func:`fase`: intake (the first gesprek is being written), lopend (a gesprek was
  finalised and the trajectory runs), evaluatie / afsluiting (such a gesprek is being
  written), afgesloten (an afsluiting was finalised);
- :func:`volgende_evaluatie` and :func:`te_laat`: the next evaluation as planned at the
  last gesprek, never later than the municipality's maximum interval after it;
- :func:`waakvlam`: the check-in date after a closed trajectory;
- :func:`timeline`: everything that happened, oldest first, with Dutch titles;
- :func:`safety_history` and :func:`first_and_previous`: the safety of each child over
  time (T10: "safety now compared with the start").

No Qt, no SQL: the caseload and the timeline screens read these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal
from uuid import UUID

from .definitions import Definitions, default_definitions
from .models import (
    Dossier,
    GesprekSoort,
    RiskLater,
    SafetyAssessment,
    SafetyNow,
)

__all__ = [
    "Fase",
    "fase",
    "is_closed",
    "volgende_evaluatie",
    "te_laat",
    "waakvlam",
    "TimelineKind",
    "TimelineEntry",
    "timeline",
    "SafetyPoint",
    "safety_history",
    "first_and_previous",
    "gesprek_soort",
]


class Fase(StrEnum):
    INTAKE = "intake"
    LOPEND = "lopend"
    EVALUATIE = "evaluatie"
    AFSLUITING = "afsluiting"
    AFGESLOTEN = "afgesloten"

    @property
    def label(self) -> str:
        return {
            "intake": "Intake",
            "lopend": "Lopend",
            "evaluatie": "Evaluatie",
            "afsluiting": "Afsluiting",
            "afgesloten": "Afgesloten",
        }[self.value]


def fase(dossier: Dossier) -> Fase:
    """The phase: the kind of the gesprek being written, or, when the current gesprek is
    final, lopend (after an intake or evaluatie) or afgesloten (after an afsluiting)."""
    soort = dossier.gesprek.soort
    if dossier.definitief is None:
        return {
            GesprekSoort.INTAKE: Fase.INTAKE,
            GesprekSoort.EVALUATIE: Fase.EVALUATIE,
            GesprekSoort.AFSLUITING: Fase.AFSLUITING,
        }[soort]
    return Fase.AFGESLOTEN if soort is GesprekSoort.AFSLUITING else Fase.LOPEND


def is_closed(dossier: Dossier) -> bool:
    """Whether an afsluiting was finalised (the current gesprek)."""
    return fase(dossier) is Fase.AFGESLOTEN


def _max_days(definitions: Definitions | None) -> int:
    defs = definitions if definitions is not None else default_definitions()
    return defs.trajectory.evaluatie_interval_max_dagen


def volgende_evaluatie(dossier: Dossier, definitions: Definitions | None = None) -> dt.date | None:
    """The next evaluation: the date set at the last finalised gesprek, and never later
    than the maximum interval (definitions' ``evaluatie_interval_max_dagen``) after that
    gesprek's date. None while nothing is finalised (an intake being written) and after
    the trajectory was closed.

    While an evaluatie or afsluiting is being written, the dossier holds the last
    finalised gesprek's date only as a reference; :func:`forms.start_gesprek` fills the
    planned date into the new gesprek, so the date in it counts (capped by the interval
    after the last finalised gesprek) until this gesprek is finalised. The same holds for
    a finalised gesprek re-opened for a correction (:func:`forms.new_version`).
    """
    max_days = dt.timedelta(days=_max_days(definitions))
    if dossier.definitief is not None:
        if dossier.gesprek.soort is GesprekSoort.AFSLUITING:
            return None
        base = dossier.gesprek.datum
    else:
        refs = [r for r in dossier.vorige_versies if r.datum is not None]
        if not refs:
            return None  # nothing finalised yet
        last = refs[-1]
        if last.soort is GesprekSoort.AFSLUITING:
            return None  # closed, or a new trajectory's intake after it
        assert last.datum is not None
        base = last.datum
    cap = base + max_days
    planned = dossier.gesprek.volgende_evaluatie
    return cap if planned is None else min(planned, cap)


def te_laat(dossier: Dossier, today: dt.date, definitions: Definitions | None = None) -> bool:
    """Whether the next evaluation is overdue on ``today``."""
    due = volgende_evaluatie(dossier, definitions)
    return due is not None and due < today


def waakvlam(dossier: Dossier) -> dt.date | None:
    """The waakvlam (check-in date) of a closed trajectory, if one was set."""
    if not is_closed(dossier) or dossier.gesprek.afsluiting is None:
        return None
    return dossier.gesprek.afsluiting.waakvlam


# --- the timeline -------------------------------------------------------------------------

TimelineKind = Literal["gesprek", "planversie", "veiligheid", "kernbeslissing", "opschaling", "afsluiting"]
_KIND_ORDER: dict[str, int] = {
    "gesprek": 0,
    "veiligheid": 1,
    "kernbeslissing": 2,
    "opschaling": 3,
    "planversie": 4,
    "afsluiting": 5,
}


@dataclass(frozen=True)
class TimelineEntry:
    """One event of the trajectory. ``versie``: the dossier version (gesprek) it belongs
    to, when known; ``ref``: the id of the object (gesprek, plan version's gesprek,
    assessment, kernbeslissing, opschaling)."""

    kind: TimelineKind
    datum: dt.date
    titel: str
    detail: str
    versie: int | None = None
    ref: UUID | None = None


def _gesprekken(dossier: Dossier) -> dict[UUID, tuple[int, GesprekSoort, dt.date | None]]:
    """gesprek id -> (the newest version of it, its kind, its date)."""
    out: dict[UUID, tuple[int, GesprekSoort, dt.date | None]] = {}
    for ref in dossier.vorige_versies:
        if ref.gesprek_id is not None:
            out[ref.gesprek_id] = (ref.versie, ref.soort, ref.datum)
    out[dossier.gesprek.id] = (dossier.versie, dossier.gesprek.soort, dossier.gesprek.datum)
    return out


def gesprek_soort(dossier: Dossier, gesprek_id: UUID | None) -> GesprekSoort:
    """The kind of the gesprek with this id (an assessment without one predates schema 2
    and was made at the intake)."""
    if gesprek_id is None:
        return GesprekSoort.INTAKE
    found = _gesprekken(dossier).get(gesprek_id)
    return found[1] if found is not None else GesprekSoort.INTAKE


def _oordeel(a: SafetyAssessment) -> str:
    parts = []
    if a.veiligheid_nu is not None:
        parts.append(a.veiligheid_nu.label.lower())
    if a.risico is not None:
        parts.append(f"risico {a.risico.label.lower()}")
    return ", ".join(parts) if parts else "nog geen oordeel"


def timeline(dossier: Dossier, definitions: Definitions | None = None) -> list[TimelineEntry]:
    """Everything that happened in the trajectory, oldest first (on one day: the gesprek,
    then safety, kernbeslissingen, opschalingen, the plan version, the afsluiting)."""
    defs = definitions if definitions is not None else default_definitions()
    traj = defs.trajectory
    gesprekken = _gesprekken(dossier)
    names = {m.id: m.voornaam for m in dossier.huishouden.leden}

    def versie_of(gesprek_id: UUID | None) -> int | None:
        found = gesprekken.get(gesprek_id) if gesprek_id is not None else None
        return found[0] if found is not None else None

    out: list[TimelineEntry] = []
    for ref in dossier.vorige_versies:
        datum = ref.datum if ref.datum is not None else ref.op.date()
        out.append(
            TimelineEntry(
                "gesprek",
                datum,
                ref.soort.label,
                f"Versie {ref.versie}, definitief op {ref.op:%d-%m-%Y}.",
                ref.versie,
                ref.gesprek_id,
            )
        )
    g = dossier.gesprek
    if dossier.definitief is not None:
        detail = f"Versie {dossier.versie}, definitief op {dossier.definitief.op:%d-%m-%Y}."
    else:
        detail = f"Versie {dossier.versie}, nog niet definitief."
    out.append(TimelineEntry("gesprek", g.datum, g.soort.label, detail, dossier.versie, g.id))

    for pv in dossier.plan_versies:
        doelen = len(pv.plan.doelen)
        detail = f"{doelen} {'doel' if doelen == 1 else 'doelen'}."
        if pv.reden:
            detail += f" Reden: {pv.reden}"
        out.append(
            TimelineEntry("planversie", pv.datum, f"Planversie {pv.versie}", detail, versie_of(pv.gesprek_id), pv.gesprek_id)
        )

    for a in dossier.veiligheid:
        naam = names.get(a.child_id, "een kind")
        oordeel = _oordeel(a)
        detail = oordeel[:1].upper() + oordeel[1:] + "."
        if not a.afgerond:
            detail += " (nog niet afgerond)"
        out.append(
            TimelineEntry("veiligheid", a.datum, f"Veiligheid {naam}", detail, versie_of(a.gesprek_id), a.id)
        )

    for kb in dossier.kernbeslissingen:
        wie = ", ".join(f"{r.naam} ({r.met})" for r in kb.raadplegingen)
        detail = kb.beslissing
        detail += f" Geraadpleegd: {wie}." if wie else " Nog niemand geraadpleegd."
        if kb.veiligheidsplan_nodig:
            detail += " Met veiligheidsplan."
        titel = "Kernbeslissing: " + traj.kernbeslissing_label(kb.soort)
        if kb.child_id is not None and kb.child_id in names:
            titel += f" ({names[kb.child_id]})"
        out.append(TimelineEntry("kernbeslissing", kb.datum, titel, detail, versie_of(kb.gesprek_id), kb.id))

    for op in dossier.opschalingen:
        naar = op.naar_anders if op.naar == "anders" and op.naar_anders else traj.opschaling_label(op.naar)
        detail = f"Reden: {op.reden}"
        if op.uitkomst:
            detail += f" Uitkomst: {op.uitkomst}"
        out.append(TimelineEntry("opschaling", op.datum, f"Opgeschaald naar {naar}", detail, versie_of(op.gesprek_id), op.id))

    af = g.afsluiting
    if g.soort is GesprekSoort.AFSLUITING and af is not None:
        parts = []
        if af.resultaat:
            parts.append(f"Resultaat: {traj.resultaat_label(af.resultaat)}.")
        if af.zelfstandig_verder:
            parts.append("Het gezin gaat zelfstandig verder.")
        elif af.vervolg_partner_id is not None:
            partner = next((p.organisatie for p in dossier.partners if p.id == af.vervolg_partner_id), "een partner")
            parts.append(f"Vervolg bij {partner}.")
        if af.waakvlam is not None:
            parts.append(f"Waakvlam op {af.waakvlam:%d-%m-%Y}.")
        titel = "Traject afgesloten" if dossier.definitief is not None else "Afsluiting (in voorbereiding)"
        out.append(TimelineEntry("afsluiting", g.datum, titel, " ".join(parts), dossier.versie, g.id))

    def key(item: tuple[int, TimelineEntry]) -> tuple[dt.date, int, int, int]:
        i, e = item
        return (e.datum, e.versie if e.versie is not None else 0, _KIND_ORDER[e.kind], i)

    return [e for _i, e in sorted(enumerate(out), key=key)]


# --- safety over time (T10) ------------------------------------------------------------------


@dataclass(frozen=True)
class SafetyPoint:
    """One child's judgment at one gesprek."""

    datum: dt.date
    veiligheid_nu: SafetyNow | None
    risico: RiskLater | None
    soort: GesprekSoort
    gesprek_id: UUID | None
    assessment_id: UUID | None = None
    afgerond: bool = True


def safety_history(dossier: Dossier) -> dict[UUID, list[SafetyPoint]]:
    """Per child (every member with an assessment), the judgments oldest first."""
    out: dict[UUID, list[SafetyPoint]] = {}
    for m in dossier.huishouden.leden:
        points = [
            SafetyPoint(
                a.datum,
                a.veiligheid_nu,
                a.risico,
                gesprek_soort(dossier, a.gesprek_id),
                a.gesprek_id,
                a.id,
                a.afgerond,
            )
            for a in dossier.assessments_for(m.id)
        ]
        if points:
            out[m.id] = points
    return out


def first_and_previous(
    dossier: Dossier, child_id: UUID
) -> tuple[SafetyAssessment | None, SafetyAssessment | None]:
    """The child's first assessment, and the latest one made BEFORE the current gesprek
    (any assessment with another gesprek id; None when there is none)."""
    found = dossier.assessments_for(child_id)
    if not found:
        return None, None
    current = dossier.gesprek.id
    before = [a for a in found if a.gesprek_id != current]
    return found[0], (before[-1] if before else None)
