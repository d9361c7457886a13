"""What the caseload shows of a dossier, derived in one place from the model and the rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from .glossary import label
from .models import Dossier

__all__ = ["GesprekStatus", "Summary", "summarise"]


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
    return Summary(
        id=dossier.id,
        titel=dossier.titel,
        adres=adres.one_line(),
        postcode=adres.postcode,
        gesprek_datum=dossier.gesprek.datum,
        status=status,
        blokkerend=blocking,
    )
