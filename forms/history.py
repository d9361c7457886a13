"""The field-level audit trail in words. Pure: no I/O, no Qt, no SQL.

Each save records in the vault's audit log WHICH fields changed, as paths
(:mod:`forms.paths`), never their values. This module decides what such a path may hold
and turns it into what a person reads:

- :func:`audit_paths`: the changed paths between two dumps of a dossier, in the text form
  the vault stores. A path holds field names, definition item ids and list item ids (UUIDs)
  only; a segment of any other shape (free text used as a key) is cut off with everything
  after it, so no value, name or free text can ever reach the audit log;
- :func:`label`: a path as a Dutch label, "Plan › Doel 2 › omschrijving", with the names
  and numbers resolved from the *current* dossier at display time (never stored), e.g.
  "Veiligheid › Noor › onderbouwing";
- :func:`section_counts`: how many paths changed per section (the dossier's top-level
  field), the content-free summary the sync sends with each dossier version, and
  :func:`change_summary`, the same as one Dutch line::

      change_summary(section_counts(audit_paths(base_json, new_json)))
      # "Gewijzigd: Leefgebieden 3, Plan 1"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic_core import from_json

from .definitions import Definitions, default_definitions
from .definitions.schemas import MeldcodeDefinition, SafetyInstrument
from .errors import KeukentafelError
from .models import Dossier, Member
from .paths import MISSING, Item, Path, diff, get, parse_path, path_text

__all__ = [
    "SECTION_LABELS",
    "SEPARATOR",
    "audit_paths",
    "safe_path",
    "label",
    "section_of",
    "section_counts",
    "change_summary",
]

SEPARATOR = " › "

#: The dossier's top-level fields as a person names them (the step they are edited on).
SECTION_LABELS: dict[str, str] = {
    "schema_version": "Dossier",
    "id": "Dossier",
    "versie": "Versie",
    "aangemaakt": "Dossier",
    "huishouden": "Huishouden",
    "gesprek": "Gesprek",
    "leefgebieden_set": "Leefgebieden",
    "leefgebieden": "Leefgebieden",
    "netwerk": "Netwerk",
    "partners": "Netwerkpartners",
    "veiligheid": "Veiligheid",
    "meldcode": "Meldcode",
    "hulpvraag": "Hulpvraag",
    "plan": "Plan",
    "plan_versies": "Planversies",
    "familiegroepsplan": "Familiegroepsplan",
    "handtekeningen": "Ondertekenen",
    "evaluaties": "Evaluaties",
    "opschalingen": "Opschalingen",
    "kernbeslissingen": "Kernbeslissingen",
    "definitief": "Definitief",
    "vorige_versies": "Eerdere versies",
}

# Field names whose plain form (underscores as spaces) does not read well.
_FIELD_LABELS: dict[str, str] = {
    "leden": "gezinsleden",
    "nvt_reden": "reden niet van toepassing",
    "zrm": "ZRM-score",
    "bsn": "BSN",
    "veiligheid_nu": "veiligheid nu",
    "risico": "risico later",
    "member_id": "gezinslid",
    "child_id": "kind",
    "goal_id": "doel",
    "afbeelding_png": "handtekening",
    "weigering_reden": "reden van weigeren",
    "contacten": "contact met gezinsleden",
    "stem": "wiens vraag",
    "email": "e-mail",
    "ref": "verwijzing",
    "definitie": "definitie",
    "leefgebieden_set": "set leefgebieden",
    "sha256": "controlegetal",
    "doel_evaluaties": "evaluatie van de doelen",
    "meldcode_stap5": "Meldcode stap 5",
    "meldcode_stap5_toelichting": "toelichting Meldcode stap 5",
    "vervolg_partner_id": "vervolgpartner",
    "partner_id": "partner",
    "kernbeslissing_id": "kernbeslissing",
    "gesprek_id": "gesprek",
    "veiligheidsplan_nodig": "veiligheidsplan nodig",
}

# What an item of each id-list is called when it is no longer in the current dossier.
_GONE: dict[str, str] = {
    "leden": "verwijderd gezinslid",
    "leefgebieden": "verwijderd leefgebied",
    "netwerk": "verwijderde persoon",
    "partners": "verwijderde partner",
    "veiligheid": "verwijderde beoordeling",
    "doelen": "verwijderd doel",
    "acties": "verwijderde actie",
    "contacten": "verwijderd gezinslid",
    "handtekeningen": "verwijderde handtekening",
    "evaluaties": "verwijderde evaluatie",
    "opschalingen": "verwijderde opschaling",
    "kernbeslissingen": "verwijderde kernbeslissing",
    "vorige_versies": "verwijderde versie",
    "afspraken": "verwijderde afspraak",
}

# The only shapes a stored path segment may have: a field name or definition item id, and
# an item addressed by a UUID under a field name. Anything else is cut off (see safe_path).
_KEY_FORM = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
_ID_FORM = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# --- what the vault stores ----------------------------------------------------------------


def safe_path(path: Path) -> Path:
    """``path`` up to (not including) its first segment that could carry free text.

    Dossier field names and definition ids are ``[a-z][a-z0-9_]*``, list items are
    addressed by UUID; a dict key of another shape would be content, so it and what
    follows are dropped (the change is then recorded at its parent).
    """
    out: list[Item | str] = []
    for seg in path:
        if isinstance(seg, Item):
            if not (_KEY_FORM.match(seg.key) and _ID_FORM.match(seg.id)):
                break
        elif not _KEY_FORM.match(seg):
            break
        out.append(seg)
    return tuple(out)


def audit_paths(old: Any, new: Any) -> list[str]:
    """The changed fields between two dumps of a dossier (dicts or JSON text), as the vault
    stores them: :func:`safe_path` text, each once, in document order. Empty when equal."""
    if isinstance(old, str):
        old = from_json(old)  # pydantic's parser: the same values as json.loads, 2.5x as fast
    if isinstance(new, str):
        new = from_json(new)
    out: list[str] = []
    seen: set[str] = set()
    for path in diff(old, new):
        text = path_text(safe_path(path))
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


# --- what a person reads --------------------------------------------------------------------


def section_of(path: Path | str) -> str:
    """The section (top-level field) a path lies in; ``""`` for the whole dossier."""
    if isinstance(path, str):
        path = parse_path(path)
    first = path[0] if path else ""
    return first if isinstance(first, str) else ""


def section_counts(paths: Iterable[Path | str]) -> dict[str, int]:
    """How many changed paths lie in each section, e.g. ``{"leefgebieden": 3, "plan": 1}``.

    Keys are the dossier's top-level field names (stable, no content), sorted; a summary
    the sync may send with a dossier version: counts only, never a value or an id.
    """
    counts: dict[str, int] = {}
    for path in paths:
        section = section_of(path)
        if section:
            counts[section] = counts.get(section, 0) + 1
    return dict(sorted(counts.items()))


def change_summary(counts: Mapping[str, int]) -> str:
    """:func:`section_counts` as one Dutch line for a dossier version's metadata (the
    ``beschrijving`` the sync sends): ``"Gewijzigd: Leefgebieden 3, Plan 1"``. Section
    names and counts only; ``""`` when nothing changed."""
    merged: dict[str, int] = {}
    for section, count in counts.items():
        name = SECTION_LABELS.get(section, _field_label(section))
        merged[name] = merged.get(name, 0) + int(count)
    if not merged:
        return ""
    return "Gewijzigd: " + ", ".join(f"{name} {count}" for name, count in merged.items())


def _field_label(name: str) -> str:
    return _FIELD_LABELS.get(name, name.replace("_", " "))


def _first_name(dossier: Dossier, member_id: Any) -> str | None:
    member: Member | None = next(
        (m for m in dossier.huishouden.leden if str(m.id) == str(member_id)), None
    )
    return None if member is None else member.voornaam


def _position(items: list[Any], wanted: Any) -> int:
    return next(i for i, x in enumerate(items) if x is wanted) + 1


def _sibling_list(dossier: Dossier, node: Any) -> list[Any]:
    """The veiligheidsplan afspraken list that holds ``node``."""
    for beslissing in dossier.kernbeslissingen:
        plan = beslissing.veiligheidsplan
        if plan is not None and any(a is node for a in plan.afspraken):
            return list(plan.afspraken)
    return [node]


def _definitions(definitions: Definitions | None) -> Definitions | None:
    if definitions is not None:
        return definitions
    try:
        return default_definitions()
    except KeukentafelError:  # a broken municipal definition folder: labels fall back to ids
        return None


def _item_label(dossier: Dossier, list_name: str, seg: Item, node: Any, defs: Definitions | None) -> str:
    """The label of one list item, from the current dossier (``node`` is MISSING if gone)."""
    if seg.key in ("member_id", "child_id"):
        name = _first_name(dossier, seg.id)
        if name is None:
            return _GONE.get(list_name, "verwijderd gezinslid")
        if list_name == "veiligheid":
            return name
        if list_name == "handtekeningen":
            return f"handtekening {name}"
        if list_name == "contacten":
            return f"contact met {name}"
        return name
    if node is MISSING:
        return _GONE.get(list_name, "verwijderd onderdeel")
    if list_name == "leden":
        return str(node.voornaam)
    if list_name == "leefgebieden":
        domain = str(node.domein)
        if defs is not None:
            try:
                domain = defs.domain_set(dossier.leefgebieden_set).domein(node.domein).naam
            except (KeukentafelError, KeyError, LookupError, ValueError):
                pass
        who = "huishouden" if node.member_id is None else (_first_name(dossier, node.member_id) or "verwijderd gezinslid")
        return f"{domain} ({who})"
    if list_name == "veiligheid":
        name = _first_name(dossier, node.child_id) or "verwijderd kind"
        first = dossier.assessments_for(node.child_id)
        return name if not first or first[0] is node else f"{name} (herbeoordeling)"
    if list_name == "doelen":
        ordered = sorted(dossier.plan.doelen, key=lambda g: g.prioriteit)
        return f"Doel {_position(ordered, node)}"
    if list_name == "acties":
        goal = next((g for g in dossier.plan.doelen if any(a is node for a in g.acties)), None)
        return f"actie {_position(goal.acties, node)}" if goal is not None else "actie"
    if list_name == "netwerk":
        return str(node.naam)
    if list_name == "partners":
        return str(node.organisatie)
    if list_name == "handtekeningen":
        name = "wijkcoach" if node.member_id is None else _first_name(dossier, node.member_id)
        return f"handtekening {name or 'verwijderd gezinslid'}"
    if list_name in ("evaluaties", "opschalingen", "kernbeslissingen"):
        noun = {"evaluaties": "Evaluatie", "opschalingen": "Opschaling", "kernbeslissingen": "Kernbeslissing"}
        return f"{noun[list_name]} van {node.datum:%d-%m-%Y}"
    if list_name == "afspraken":
        return f"afspraak {_position(_sibling_list(dossier, node), node)}"
    if list_name == "vorige_versies":
        return f"versie {node.versie}"
    return "onderdeel"


def _answer_label(dossier: Dossier, owner: Any, key: str, defs: Definitions | None) -> str:
    """An instrument item or Meldcode question by its number in the definition."""
    if defs is not None:
        try:
            if owner is dossier.meldcode and dossier.meldcode is not None:
                meldcode: MeldcodeDefinition = defs.meldcode(dossier.meldcode.definitie)
                for number, vraag in enumerate(meldcode.vragen, start=1):
                    if vraag.id == key:
                        return f"vraag {number}"
            elif owner is not MISSING and hasattr(owner, "instrument"):
                instrument: SafetyInstrument = defs.instrument(owner.instrument)
                items = [item for section in instrument.secties for item in section.items]
                for number, item in enumerate(items, start=1):
                    if item.id == key:
                        return f"vraag {number}"
        except (KeukentafelError, KeyError, LookupError, AttributeError):
            pass
    return "antwoord"


def label(path: Path | str, dossier: Dossier, definitions: Definitions | None = None) -> str:
    """A changed path as a Dutch label: ``"Leefgebieden › Wonen (huishouden) › zorgen"``.

    Names and numbers come from ``dossier`` (the current one, at display time); an item no
    longer in it reads "verwijderd doel" and the like. ``definitions`` resolves domain
    names and instrument items (default: the configured definitions).
    """
    if isinstance(path, str):
        path = parse_path(path)
    if not path:
        return "Dossier"
    defs = _definitions(definitions)
    head = path[0]
    parts = [SECTION_LABELS.get(head, _field_label(head)) if isinstance(head, str) else "Dossier"]
    list_name = head if isinstance(head, str) else ""
    for index in range(1, len(path)):
        seg = path[index]
        if isinstance(seg, Item):
            node = get(dossier, path[: index + 1])
            parts.append(_item_label(dossier, list_name, seg, node, defs))
            list_name = ""
        elif list_name == "antwoorden":
            owner = get(dossier, path[: index - 1])
            parts[-1] = _answer_label(dossier, owner, seg, defs)  # "vraag 3" says it is an answer
            list_name = ""
        else:
            list_name = seg
            if index + 1 < len(path) and isinstance(path[index + 1], Item):
                continue  # the item's own label names it: "Plan › Doel 2", not "Plan › doelen › Doel 2"
            parts.append(_field_label(seg))
    return SEPARATOR.join(parts)
