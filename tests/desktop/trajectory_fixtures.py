"""Dossiers in the middle of a trajectory for the page tests: the demo family after its
intake (finalised), now at an evaluatie or an afsluiting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms import Dossier, Gesprek, GesprekSoort, PlanVersie, RiskLater, SafetyAssessment, SafetyNow, VersionRef
from forms.demo import complete_demo_dossier


def at_gesprek(soort: str = "evaluatie", today: dt.date | None = None, *, intake_days_ago: int = 90) -> Dossier:
    """The demo family's intake (``intake_days_ago`` days back), finalised, then a new
    gesprek of ``soort`` today: the plan, assessments and partners carried over."""
    today = today or dt.date.today()
    intake_day = today - dt.timedelta(days=intake_days_ago)
    dossier = complete_demo_dossier(today)
    intake = dossier.gesprek
    intake.datum = intake_day
    for assessment in dossier.veiligheid:
        assessment.gesprek_id = intake.id
        assessment.datum = intake_day
    dossier.plan_versies = [PlanVersie(versie=1, gesprek_id=intake.id, datum=intake_day, plan=dossier.plan.model_copy(deep=True))]
    dossier.vorige_versies = [
        VersionRef(versie=1, sha256="0" * 64, op=dt.datetime.now(dt.UTC), soort=GesprekSoort.INTAKE, gesprek_id=intake.id, datum=intake_day)
    ]
    dossier.versie = 2
    dossier.handtekeningen = []
    dossier.gesprek = Gesprek(soort=GesprekSoort(soort), datum=today)
    return dossier


def earlier_evaluatie(dossier: Dossier, datum: dt.date) -> Any:
    """Pretend an evaluatie was finalised on ``datum`` between the intake and now: its id."""
    gesprek = Gesprek(soort=GesprekSoort.EVALUATIE, datum=datum)
    dossier.vorige_versies.append(
        VersionRef(versie=len(dossier.vorige_versies) + 1, sha256="1" * 64, op=dt.datetime.now(dt.UTC), soort=GesprekSoort.EVALUATIE, gesprek_id=gesprek.id, datum=datum)
    )
    dossier.versie = len(dossier.vorige_versies) + 1
    return gesprek.id


def reassess(dossier: Dossier, child_id: Any, datum: dt.date, veiligheid_nu: str, risico: str, gesprek_id: Any = None) -> SafetyAssessment:
    """Another concluded assessment of a child (at a new earlier evaluatie unless said)."""
    if gesprek_id is None:
        gesprek_id = earlier_evaluatie(dossier, datum)
    first = dossier.assessments_for(child_id)[0]
    assessment = first.model_copy(deep=True, update={"datum": datum, "veiligheid_nu": SafetyNow(veiligheid_nu), "risico": RiskLater(risico)})
    assessment = SafetyAssessment.model_validate(
        {**assessment.model_dump(), "id": SafetyAssessment(child_id=child_id, instrument=first.instrument).id, "gesprek_id": gesprek_id}
    )
    dossier.veiligheid.append(assessment)
    return assessment
