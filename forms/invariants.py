"""What must always hold: for every dossier the vault stores, and for every final dossier.

The rules in :mod:`forms.rules` say what is still missing while a gesprek is being
written; the invariants are the promises the product keeps on *every* path (the desktop,
a script, the sync's pull and merge). They are stated here once; the checks behind them
live in one place each:

STORAGE invariants (``storage`` refuses to store a dossier that breaks one, with
``storage.InvalidDossier``, and nothing already stored changes):

- ``laadbaar`` — every stored dossier loads again: its JSON validates again as a
  :class:`forms.Dossier`. Assignment and list edits bypass the model's own checks
  (``dossier.gesprek.datum = …`` does not re-run the dossier's date check,
  ``leden.append(…)`` runs nothing), so the check is a round trip through the JSON that
  is stored: :func:`storage_problems`.
- ``definitief_intact`` — a final dossier still matches its frozen hash
  (:func:`forms.verify`): a final verslag is never changed, also not by accident.

FINAL invariants (:func:`forms.finalise` refuses a dossier that breaks one, with
:class:`forms.IncompleteDossier`). Each is the absence of blocking gaps of
:data:`forms.RULES`; :data:`FINAL_INVARIANTS` names which codes keep which promise, and
every blocking rule belongs to exactly one of them:

- ``opslaanbaar`` — a final dossier meets the storage invariants (it can be kept);
- ``meldcode_consistent`` — no child's safety judgment contradicts the Meldcode
  afwegingskader, and what the afwegingen require (a report to Veilig Thuis) is recorded;
- ``ondertekend`` — every parent/carer at the table signed or refused with a reason,
  and the wijkcoach signed;
- ``niet_in_toekomst`` — the gesprek is not dated after the day it is made final;
- ``oordeel_onderbouwd`` — every child's judgment rests on answered factors: the
  signals are answered, 'laag' rests on a protective factor present, 'verhoogd'/'hoog'
  on a risk factor or signal present, and the judgment is concluded with its rationale
  and, where required, a second professional;
- ``compleet`` — everything else the inspections expect (T1–T14; the trajectory's
  rules per kind of gesprek are in :mod:`forms.rules`).

Not an invariant here: "records of earlier gesprekken are not changed" (an assessment,
kernbeslissing, opschaling or plan version with another ``gesprek_id``). A dossier holds
the earlier gesprekken only by reference (:class:`forms.VersionRef`: version, SHA-256,
kind, date); their content is in the vault's stored versions, not in the dossier, so
the check cannot be made from the dossier alone. What the dossier alone does guarantee:
each earlier version stays verifiable against its own stored JSON (the vault refuses to
change a stored version), and a final dossier's own content, including everything it
carried over, matches its hash (``definitief_intact``). Keeping the carried-over
records read-only while a later gesprek is written is left to the screens (they show an
earlier gesprek's records without editing them); a vault-level comparison against the
last stored version would be the place to enforce it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .models import Dossier
from .rules import RULES, Gap, Location, Severity
from .validators import dutch_messages

__all__ = [
    "Invariant",
    "Problem",
    "STORAGE_INVARIANTS",
    "FINAL_INVARIANTS",
    "FINAL_GAP_CODES",
    "storage_problems",
    "final_problems",
    "problem_gaps",
]


@dataclass(frozen=True)
class Invariant:
    """One promise: ``code``, what it says in English and in Dutch, and (for a final
    invariant) the gap codes of :data:`forms.RULES` whose absence keeps it."""

    code: str
    description: str
    melding: str
    gap_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A broken storage invariant: a precise ``code`` (the pydantic error type or the
    invariant's code), the Dutch ``melding`` as the screens show it (it may name a
    member by first name), ``anoniem`` the same without any name (for error dialogs and
    the storage error), and where in the dossier (``loc``) and which step (``section``)."""

    code: str
    melding: str
    anoniem: str
    loc: tuple[str | int, ...]
    section: str


STORAGE_INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "laadbaar",
        "the stored JSON validates again as a Dossier (every stored dossier loads again)",
        "Elk opgeslagen dossier kan weer worden geopend.",
    ),
    Invariant(
        "definitief_intact",
        "a final dossier's content matches its frozen SHA-256 (forms.verify)",
        "Een definitief verslag verandert niet meer.",
    ),
)

FINAL_INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "opslaanbaar",
        "a final dossier meets the storage invariants",
        "Een definitief dossier kan worden bewaard en weer geopend.",
        ("dossier_ongeldig",),
    ),
    Invariant(
        "meldcode_consistent",
        "no child's judgment contradicts the afwegingskader; what it requires is recorded",
        "Het veiligheidsoordeel en de afwegingen van de Meldcode spreken elkaar niet tegen, "
        "en een melding die de afwegingen vragen is vastgelegd.",
        (
            "meldcode_niet_doorlopen",
            "meldcode_open",
            "meldcode_melding_ontbreekt",
            "meldcode_tegenstrijdig",
            "meldcode_acuut_tegenstrijdig",
            "meldcode_resultaat_tegenstrijdig",
        ),
    ),
    Invariant(
        "ondertekend",
        "every parent/carer at the table signed or refused with a reason; the wijkcoach signed",
        "Iedere ouder of verzorger aan tafel heeft getekend of de weigering met reden is "
        "vastgelegd, en de wijkcoach heeft getekend.",
        ("handtekening_ontbreekt", "handtekening_wijkcoach_ontbreekt"),
    ),
    Invariant(
        "niet_in_toekomst",
        "the gesprek is not dated after the day it is made final",
        "Het gesprek is niet gedateerd na de dag waarop het definitief wordt.",
        ("gesprek_datum_toekomst",),
    ),
    Invariant(
        "oordeel_onderbouwd",
        "every child's judgment rests on answered factors and is concluded",
        "Elk veiligheidsoordeel rust op beantwoorde factoren en is afgerond en onderbouwd.",
        (
            "veiligheid_ontbreekt",
            "veiligheid_niet_afgerond",
            "veiligheid_signalen_open",
            "veiligheid_oordeel_nu_ontbreekt",
            "veiligheid_oordeel_risico_ontbreekt",
            "veiligheid_onderbouwing_ontbreekt",
            "veiligheid_consultatie_ontbreekt",
            "veiligheid_consultatie_uitkomst",
            "veiligheid_laag_zonder_bescherming",
            "veiligheid_risico_zonder_factor",
        ),
    ),
)
_CLAIMED = {c for inv in FINAL_INVARIANTS for c in inv.gap_codes}
FINAL_INVARIANTS += (
    Invariant(
        "compleet",
        "everything else the Toezichtkader expects is recorded (the other blocking rules)",
        "Al het andere wat het toezichtkader vraagt is vastgelegd.",
        tuple(c for c, (sev, _) in RULES.items() if sev is Severity.BLOKKEREND and c not in _CLAIMED),
    ),
)

#: Every gap code a final dossier never has: exactly the blocking rules.
FINAL_GAP_CODES: frozenset[str] = frozenset(c for inv in FINAL_INVARIANTS for c in inv.gap_codes)

# The step where a part of the dossier is edited (for a storage problem's location).
_SECTION_OF = {
    "huishouden": "huishouden",
    "gesprek": "contact",
    "leefgebieden": "leefgebieden",
    "leefgebieden_set": "leefgebieden",
    "netwerk": "netwerk",
    "partners": "netwerk",
    "veiligheid": "veiligheid",
    "meldcode": "meldcode",
    "hulpvraag": "hulpvraag",
    "plan": "plan",
    "familiegroepsplan": "plan",
    "handtekeningen": "ondertekenen",
}
_SECTION_OF_TYPE = {"datum_gesprek_voor_geboorte": "contact", "dossier_dubbel_lid": "huishouden"}


def _anonymous(item: ErrorDetails, message: str) -> str:
    """The message without the names a model check put into it (its ``ctx``)."""
    for key, value in (item.get("ctx") or {}).items():
        if key in ("naam", "voornaam") and isinstance(value, str) and value:
            message = message.replace(value, "een gezinslid")
    return message


def storage_problems(dossier: Dossier, text: str | None = None) -> list[Problem]:
    """What breaks the storage invariants; [] when the dossier may be stored.

    ``text``: the dossier's JSON as it will be stored (``dossier.model_dump_json()``),
    when the caller has it already; it is validated again exactly as a load would.
    """
    if text is None:
        text = dossier.model_dump_json()
    try:
        again = Dossier.model_validate_json(text)
    except ValidationError as exc:
        out = []
        for item, message in zip(exc.errors(), dutch_messages(exc), strict=False):
            loc = tuple(item.get("loc") or ())
            section = _SECTION_OF_TYPE.get(item["type"]) or _SECTION_OF.get(str(loc[0]) if loc else "", "controle")
            out.append(Problem(item["type"], message, _anonymous(item, message), loc, section))
        return out
    if dossier.definitief is not None:
        from .finalise import verify

        if not verify(again):
            melding = (
                "Dit dossier is definitief, maar de inhoud klopt niet meer met het verslag dat "
                "definitief is gemaakt. Een definitief verslag verandert niet; start een nieuwe "
                "versie om iets te wijzigen."
            )
            return [Problem("definitief_intact", melding, melding, ("definitief",), "ondertekenen")]
    return []


def problem_gaps(problems: Sequence[Problem]) -> list[Gap]:
    """Storage problems as blocking gaps (code ``dossier_ongeldig``), for finalise."""
    return [
        Gap("dossier_ongeldig", RULES["dossier_ongeldig"][0], p.melding, Location(p.section))
        for p in problems
    ]


def final_problems(
    dossier: Dossier,
    definitions: object = None,
    *,
    on: dt.date | None = None,
    settings: object = None,
) -> list[Gap]:
    """What breaks the final invariants for ``dossier`` made final on ``on`` (default:
    the day of its ``definitief``, else today): the storage problems, then every gap
    whose code is in :data:`FINAL_GAP_CODES`. [] means: this dossier may be final."""
    from .rules import gaps

    problems = problem_gaps(storage_problems(dossier))
    if problems:
        return problems
    if on is None:
        on = dossier.definitief.op.date() if dossier.definitief is not None else dt.date.today()
    return [
        g
        for g in gaps(dossier, definitions, today=on, settings=settings)  # type: ignore[arg-type]
        if g.code in FINAL_GAP_CODES
    ]
