"""Finalising a gesprek version: freeze its content under a SHA-256 hash.

- :func:`content_hash` is the SHA-256 of the canonical JSON of the dossier without
  ``definitief``: ``model_dump(mode="json")``, keys sorted, no whitespace, UTF-8. The
  same content always gives the same hash, also after a save and load.
- :func:`finalise` refuses (:class:`forms.IncompleteDossier`, carrying the blocking gaps)
  while anything blocks (a dossier that would not load again counts as blocking too:
  ``dossier_ongeldig``, see :mod:`forms.invariants`), and otherwise returns a *copy* with ``definitief`` set. The
  caller's object is left as it was.
- A final version is never edited: :func:`new_version` returns an editable copy with
  ``versie + 1`` and the final one listed in ``vorige_versies``. Pydantic objects cannot
  be deep-frozen in memory, so :func:`verify` is the guard: it recomputes the hash, and
  any change made to a final copy makes it fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from .definitions import Definitions
from .errors import AlreadyFinal, IncompleteDossier, NotFinal
from .invariants import problem_gaps, storage_problems
from .models import Dossier, Finalisation, VersionRef
from .rules import RuleSettings, gaps

__all__ = ["canonical_json", "content_hash", "finalise", "is_frozen", "verify", "new_version"]


def canonical_json(dossier: Dossier) -> bytes:
    """The dossier's content (without ``definitief``) as canonical JSON bytes."""
    data = dossier.model_dump(mode="json", exclude={"definitief"})
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(dossier: Dossier) -> str:
    return hashlib.sha256(canonical_json(dossier)).hexdigest()


def finalise(
    dossier: Dossier,
    definitions: Definitions | None = None,
    *,
    now: dt.datetime | None = None,
    settings: RuleSettings | None = None,
) -> Dossier:
    """A final copy of ``dossier``, or :class:`IncompleteDossier` while a gap blocks."""
    if dossier.definitief is not None:
        raise AlreadyFinal(dossier.versie)
    now = now if now is not None else dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.astimezone()  # a naive time is taken as local time
    # The final invariants (forms.invariants): the dossier can be stored and loaded again,
    # then no blocking gap (forms.rules is the one place that checks them).
    problems = storage_problems(dossier)
    if problems:
        raise IncompleteDossier(problem_gaps(problems))
    blocking = [
        g for g in gaps(dossier, definitions, today=now.date(), settings=settings) if g.blokkerend
    ]
    if blocking:
        raise IncompleteDossier(blocking)
    final = dossier.model_copy(deep=True)
    final.definitief = Finalisation(sha256=content_hash(final), op=now)
    return final


def is_frozen(dossier: Dossier) -> bool:
    """Whether this version was finalised (see :func:`verify` for whether it is intact)."""
    return dossier.definitief is not None


def verify(dossier: Dossier) -> bool:
    """True when the dossier is final and its content still matches the frozen hash."""
    return dossier.definitief is not None and dossier.definitief.sha256 == content_hash(dossier)


def new_version(finalised: Dossier) -> Dossier:
    """An editable next version of a final dossier; the final one is left unchanged."""
    if finalised.definitief is None:
        raise NotFinal(finalised.versie)
    nxt = finalised.model_copy(deep=True)
    nxt.vorige_versies = [
        *finalised.vorige_versies,
        VersionRef(versie=finalised.versie, sha256=finalised.definitief.sha256, op=finalised.definitief.op),
    ]
    nxt.versie = finalised.versie + 1
    nxt.definitief = None
    nxt.handtekeningen = []  # signatures belong to the version that was signed
    return nxt
