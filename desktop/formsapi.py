"""The few ``forms`` functions the desktop calls, in one place.

``forms`` is pure Python (no Qt); this module only adds what the screens need on
top: one cached set of definitions, and gaps timed against the UI budget (the
workspace recomputes them on the UI thread after an edit; past ~20 ms that should
move to a worker, and the log says so).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time

import forms
from forms import Definitions, IncompleteDossier

__all__ = ["definitions", "gaps", "new_version", "start_gesprek", "IncompleteDossier"]

log = logging.getLogger("keukentafel.forms")
GAPS_BUDGET_MS = 20


@functools.cache
def definitions() -> Definitions:
    """The municipality's definitions (leefgebieden, instruments, meldcode), loaded once."""
    from forms.definitions import default_definitions

    return default_definitions()


def gaps(dossier: forms.Dossier, defs: Definitions | None = None) -> list[forms.Gap]:
    """``forms.gaps`` (what is still missing), timed."""
    start = time.perf_counter()
    found = list(forms.gaps(dossier, defs if defs is not None else definitions()))
    took = (time.perf_counter() - start) * 1000
    if took > GAPS_BUDGET_MS:
        log.warning("forms.gaps duurde %d ms", int(took))
    return found


def new_version(dossier: forms.Dossier) -> forms.Dossier:
    return forms.new_version(dossier)


def start_gesprek(final: forms.Dossier, soort: forms.GesprekSoort, datum: dt.date | None = None) -> forms.Dossier:
    """The editable next gesprek after the finalised ``final`` (``forms.start_gesprek``): raises
    ``forms.NotFinal``, or ``forms.TrajectoryClosed`` for an evaluatie after an afsluiting."""
    return forms.start_gesprek(final, soort, datum)
