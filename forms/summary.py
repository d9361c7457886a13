"""What the caseload shows of a dossier, derived in one place from the model and the rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from .glossary import label
from .models import Dossier

__all__ = ["GesprekStatus", "Summary", "summarise", "trajectory_columns"]


class GesprekStatus(StrEnum):
    CONCEPT = "concept"
    KLAAR = "klaar_om_te_tekenen"
    GETEKEND = "getekend"

    @property
    def label(self) -> str:
        return {"concept": "Concept", "klaar_om_te_tekenen": "Klaar om te tekenen", "getekend": label("afgerond")}[self.value]


@dataclass(frozen=True)
class Summary:
    id: UUID
    titel: str
    adres: str
    postcode: str
    gesprek_datum: dt.date
    status: GesprekStatus
    blokkerend: int  # number of blocking gaps
    # where the trajectory stands (forms.trajectory; issue 13)
    fase: str = "intake"  # forms.trajectory.Fase value
    volgende_evaluatie: dt.date | None = None
    waakvlam: dt.date | None = None


def trajectory_columns(dossier: Dossier) -> tuple[str, dt.date | None, dt.date | None]:
    """(fase, volgende_evaluatie, waakvlam) of a dossier, as the caseload stores them."""
    from . import trajectory  # imports the definitions; keep model imports light

    return (
        trajectory.fase(dossier).value,
        trajectory.volgende_evaluatie(dossier),
        trajectory.waakvlam(dossier),
    )


def summarise(dossier: Dossier) -> Summary:
    from .rules import blocking as blocking_gaps  # the rules import the definitions; keep model imports light

    blocking = len(blocking_gaps(dossier))
    if dossier.definitief is not None:
        status = GesprekStatus.GETEKEND
    elif blocking == 0:
        status = GesprekStatus.KLAAR
    else:
        status = GesprekStatus.CONCEPT
    adres = dossier.huishouden.adres
    fase, volgende, waakvlam = trajectory_columns(dossier)
    return Summary(
        id=dossier.id,
        titel=dossier.titel,
        adres=adres.one_line(),
        postcode=adres.postcode,
        gesprek_datum=dossier.gesprek.datum,
        status=status,
        blokkerend=blocking,
        fase=fase,
        volgende_evaluatie=volgende,
        waakvlam=waakvlam,
    )
