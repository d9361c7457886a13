"""Finalising a gesprek version: freeze its content under a SHA-256 hash.

- :func:`content_hash` is the SHA-256 of the canonical JSON of the dossier without
  ``definitief``: ``model_dump(mode="json")``, keys sorted, no whitespace, UTF-8. The
  same content always gives the same hash, also after a save and load.
- :func:`finalise` refuses (:class:`forms.IncompleteDossier`, carrying the blocking gaps)
  while anything blocks (a dossier that would not load again counts as blocking too:
  ``dossier_ongeldig``, see :mod:`forms.invariants`), and otherwise returns a *copy* with ``definitief`` set. The
  caller's object is left as it was.
- Finalising records the plan as signed (T12): when the plan differs from the last
  :class:`forms.PlanVersie` (or there is none yet) a new one is appended, with the
  gesprek's ``plan_reden``, before the hash is taken.
- A final version is never edited. :func:`start_gesprek` returns the next gesprek of the
  trajectory (an evaluatie, an afsluiting, or after a closed trajectory a new intake):
  ``versie + 1``, the final one listed in ``vorige_versies``, a new :class:`forms.Gesprek`
  and no signatures; the plan, network, consents, assessments, kernbeslissingen and
  opschalingen carry over. :func:`new_version` re-opens the *same* gesprek for a
  correction (same kind, date, attendance and contacts; signed anew). Pydantic objects
  cannot be deep-frozen in memory, so :func:`verify` is the guard: it recomputes the
  hash, and any change made to a final copy makes it fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from .definitions import Definitions
from .errors import AlreadyFinal, IncompleteDossier, NotFinal, TrajectoryClosed
from .invariants import problem_gaps, storage_problems
from .models import SCHEMA_VERSION, Dossier, Finalisation, Gesprek, GesprekSoort, Plan, PlanVersie, VersionRef
from .rules import RuleSettings, gaps

__all__ = [
    "canonical_json",
    "content_hash",
    "finalise",
    "is_frozen",
    "verify",
    "new_version",
    "start_gesprek",
    "plan_changed",
]


# Keys schema 2 added, with the value a dossier upgraded from schema 1 has for them.
_V2_GESPREK_KEYS: dict[str, Any] = {
    "soort": "intake",
    "doel_evaluaties": [],
    "meldcode_stap5": None,
    "meldcode_stap5_toelichting": "",
    "nieuwe_melding": None,
    "plan_reden": "",
    "volgende_evaluatie": None,
    "afsluiting": None,
}
_V2_REF_KEYS: dict[str, Any] = {"soort": "intake", "gesprek_id": None, "datum": None}
_V2_KB_KEYS: dict[str, Any] = {"gesprek_id": None, "soort": "overig", "child_id": None, "raadplegingen": []}
_V2_OP_KEYS: dict[str, Any] = {"gesprek_id": None, "naar_anders": "", "uitkomst": "", "kernbeslissing_id": None}


def _drop_defaults(obj: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Remove the schema-2 keys that hold what an upgrade gives them; a key with any
    other value stays, so a change made after the upgrade still changes the hash."""
    for key, default in defaults.items():
        if key in obj and obj[key] == default:
            del obj[key]


def _schema1_shape(data: dict[str, Any]) -> dict[str, Any]:
    """A schema-2 dump in the shape schema 1 stored (the reverse of forms.migrate's step
    1 -> 2), so a version finalised under schema 1 keeps its hash after the upgrade."""
    data["schema_version"] = 1
    if data.get("plan_versies") == []:
        del data["plan_versies"]
    _drop_defaults(data["gesprek"], _V2_GESPREK_KEYS)
    for assessment in data["veiligheid"]:
        _drop_defaults(assessment, {"gesprek_id": None})
    for ref in data["vorige_versies"]:
        _drop_defaults(ref, _V2_REF_KEYS)
    for kb in data["kernbeslissingen"]:
        text = kb.get("toelichting", "")
        if kb.get("veiligheidsplan") is None and (text == "" or text.startswith("Geraadpleegd: ")):
            del kb["toelichting"]
            kb["geraadpleegd"] = text.removeprefix("Geraadpleegd: ")
            del kb["veiligheidsplan"]
            kb["veiligheidsplan"] = bool(kb.pop("veiligheidsplan_nodig", None))
        _drop_defaults(kb, _V2_KB_KEYS)
    for op in data["opschalingen"]:
        _drop_defaults(op, _V2_OP_KEYS)
    return data


def canonical_json(dossier: Dossier, schema_version: int | None = None) -> bytes:
    """The dossier's content (without ``definitief``) as canonical JSON bytes.

    ``schema_version``: the shape to hash in; by default the one the dossier was
    finalised in (``definitief.schema_version``), else the current schema. A version
    finalised under schema 1 and upgraded on load is hashed in its schema-1 shape.
    """
    if schema_version is None:
        final = dossier.definitief
        schema_version = final.schema_version if final is not None else SCHEMA_VERSION
    data = dossier.model_dump(mode="json", exclude={"definitief"})
    if schema_version == 1:
        data = _schema1_shape(data)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(dossier: Dossier, schema_version: int | None = None) -> str:
    """SHA-256 of :func:`canonical_json` (same ``schema_version`` rule)."""
    return hashlib.sha256(canonical_json(dossier, schema_version)).hexdigest()


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
    if plan_changed(final):
        final.plan_versies = [
            *final.plan_versies,
            PlanVersie(
                versie=len(final.plan_versies) + 1,
                gesprek_id=final.gesprek.id,
                datum=final.gesprek.datum,
                reden=final.gesprek.plan_reden,
                plan=final.plan.model_copy(deep=True),
            ),
        ]
    final.definitief = Finalisation(
        sha256=content_hash(final, SCHEMA_VERSION), op=now, schema_version=SCHEMA_VERSION
    )
    return final


def is_frozen(dossier: Dossier) -> bool:
    """Whether this version was finalised (see :func:`verify` for whether it is intact)."""
    return dossier.definitief is not None


def verify(dossier: Dossier) -> bool:
    """True when the dossier is final and its content still matches the frozen hash."""
    return dossier.definitief is not None and dossier.definitief.sha256 == content_hash(dossier)


def _plan_json(plan: Plan) -> str:
    return plan.model_dump_json()


def plan_changed(dossier: Dossier) -> bool:
    """Whether the dossier's plan differs from the last :class:`PlanVersie` (True when
    there is none: the first finalisation records the first plan version)."""
    if not dossier.plan_versies:
        return True
    return _plan_json(dossier.plan) != _plan_json(dossier.plan_versies[-1].plan)


def _next_version(finalised: Dossier) -> Dossier:
    if finalised.definitief is None:
        raise NotFinal(finalised.versie)
    nxt = finalised.model_copy(deep=True)
    nxt.vorige_versies = [
        *finalised.vorige_versies,
        VersionRef(
            versie=finalised.versie,
            sha256=finalised.definitief.sha256,
            op=finalised.definitief.op,
            soort=finalised.gesprek.soort,
            gesprek_id=finalised.gesprek.id,
            datum=finalised.gesprek.datum,
        ),
    ]
    nxt.versie = finalised.versie + 1
    nxt.definitief = None
    nxt.handtekeningen = []  # signatures belong to the version that was signed
    return nxt


def new_version(finalised: Dossier) -> Dossier:
    """An editable next version of a final dossier that re-opens the same gesprek (a
    correction: same kind, id, date, attendance and contacts; signed anew). The final one
    is left unchanged. The next gesprek of the trajectory is :func:`start_gesprek`."""
    return _next_version(finalised)


def start_gesprek(final: Dossier, soort: GesprekSoort, datum: dt.date | None = None) -> Dossier:
    """The editable next gesprek after a finalised one: ``versie + 1``, the final one
    listed in ``vorige_versies``, a new :class:`Gesprek` of ``soort`` on ``datum`` (default
    today) with nobody present or spoken to yet and no signatures. Everything else carries
    over (plan, network, consents, assessments, Meldcode, kernbeslissingen, opschalingen,
    plan versions). The next evaluation date planned at the last gesprek is filled in for
    an evaluatie or afsluiting (the planned date stands until the wijkcoach plans the next);
    a new intake after a closed trajectory starts without one.

    Raises :class:`NotFinal` when ``final`` is not final, :class:`TrajectoryClosed` for an
    evaluatie or afsluiting after a finalised afsluiting (help needed again starts with an
    intake). ``final`` is left unchanged."""
    soort = GesprekSoort(soort)
    if final.definitief is None:
        raise NotFinal(final.versie)
    closed = final.gesprek.soort is GesprekSoort.AFSLUITING
    if closed and soort is not GesprekSoort.INTAKE:
        raise TrajectoryClosed(final.versie, soort.value)
    nxt = _next_version(final)
    nxt.gesprek = Gesprek(
        soort=soort,
        datum=datum if datum is not None else dt.date.today(),
        volgende_evaluatie=None if closed else final.gesprek.volgende_evaluatie,
    )
    return nxt
