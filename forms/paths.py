"""One path form for the whole product: where a value sits in a dossier.

A path is a tuple of segments: a ``str`` is a dict key (a model field), an :class:`Item`
is the item of a list whose ``"id"`` (or another key, see :class:`Item`) equals a value.
:func:`path_text` / :func:`parse_path` give the stable text form stored in the vault's
audit trail and the sync state, e.g. ``plan/doelen/[3f2c…]/omschrijving``.

The same path addresses a JSON dump of a dossier (:func:`get_at`, :func:`set_at`,
:func:`diff`), the typed :class:`forms.models.Dossier` (:func:`get`, :func:`assign`), the
three-way merge (:mod:`forms.merge`), a gap's location (:func:`from_location`) and a
widget on a step page (the desktop's binder).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from .rules import Location

__all__ = [
    "MISSING",
    "Item",
    "Segment",
    "Path",
    "get_at",
    "set_at",
    "path_text",
    "parse_path",
    "diff",
    "is_id_list",
    "related",
    "get",
    "assign",
    "from_location",
]


class _Missing:
    """The value of an absent key or list item."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __deepcopy__(self, memo: dict[int, Any]) -> _Missing:
        return self

    def __copy__(self) -> _Missing:
        return self


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Item:
    """A path segment: the item of a list whose ``key`` (``"id"`` unless said) equals ``id``.

    Lists of objects with an ``"id"`` are addressed by it (text ``[<id>]``). A list whose
    items have no id but are unique by another field (``gesprek/contacten`` by
    ``member_id``) is addressed by that field (text ``[member_id=<value>]``); the merge and
    :func:`diff` treat such a list as one value.
    """

    id: str
    key: str = "id"


Segment = str | Item
Path = tuple[Segment, ...]


# --- text form -----------------------------------------------------------------------------------


def _escape(key: str) -> str:
    text = key.replace("~", "~0").replace("/", "~1")
    return "~2" + text[1:] if text.startswith("[") else text


def _unescape(text: str) -> str:
    if text.startswith("~2"):
        text = "[" + text[2:]
    return text.replace("~1", "/").replace("~0", "~")


def _escape_id(ident: str) -> str:
    return ident.replace("~", "~0").replace("/", "~1").replace("=", "~3")


def _unescape_id(text: str) -> str:
    return text.replace("~3", "=").replace("~1", "/").replace("~0", "~")


def _segment_text(seg: Segment) -> str:
    if isinstance(seg, Item):
        prefix = "" if seg.key == "id" else _escape_id(seg.key) + "="
        return f"[{prefix}{_escape_id(seg.id)}]"
    return _escape(seg)


def path_text(path: Path) -> str:
    """``a/b/[id]/c``; keys escaped like JSON Pointer (``~0`` ``~``, ``~1`` ``/``, ``~2`` a
    leading ``[``; in an item ``~3`` is ``=``)."""
    return "/".join(_segment_text(seg) for seg in path)


def parse_path(text: str) -> Path:
    if text == "":
        return ()
    out: list[Segment] = []
    for part in text.split("/"):
        if part.startswith("[") and part.endswith("]"):
            inner = part[1:-1]
            key, sep, ident = inner.partition("=")
            out.append(Item(_unescape_id(ident), _unescape_id(key)) if sep else Item(_unescape_id(inner)))
        else:
            out.append(_unescape(part))
    return tuple(out)


def related(a: Path, b: Path) -> bool:
    """One path lies within the other (a change at either touches both)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


# --- JSON values ----------------------------------------------------------------------------------


def is_id_list(value: Any) -> bool:
    """A list of objects with unique ``"id"``s: merged and diffed item by item."""
    if not isinstance(value, list):
        return False
    ids = []
    for item in value:
        if not isinstance(item, dict) or "id" not in item or isinstance(item["id"], (dict, list)):
            return False
        ids.append(str(item["id"]))
    return len(ids) == len(set(ids))


def _find(items: list[Any], seg: Item) -> int | None:
    for index, item in enumerate(items):
        if isinstance(item, dict) and seg.key in item and str(item[seg.key]) == seg.id:
            return index
    return None


def get_at(root: Any, path: Path) -> Any:
    """The value at ``path``, or :data:`MISSING`."""
    node = root
    for seg in path:
        if isinstance(seg, Item):
            if not isinstance(node, list):
                return MISSING
            index = _find(node, seg)
            if index is None:
                return MISSING
            node = node[index]
        else:
            if not isinstance(node, dict) or seg not in node:
                return MISSING
            node = node[seg]
    return node


def set_at(root: Any, path: Path, value: Any, *, create: bool = False, in_place: bool = False) -> Any:
    """A copy of ``root`` with ``value`` at ``path`` (:data:`MISSING` deletes).

    A list item that is not there is appended. Raises ``KeyError`` when a parent on the
    path does not exist; with ``create``, a missing list item on the way is appended as
    ``{key: id}`` (validation then says what else it needs). ``in_place``: change ``root``
    itself (a fresh dump nobody else holds) instead of a copy.
    """
    if not path:
        return copy.deepcopy(value)
    out = root if in_place else copy.deepcopy(root)
    parent = out
    for seg in path[:-1]:
        child = get_at(parent, (seg,))
        if child is MISSING and create and isinstance(seg, Item) and isinstance(parent, list):
            child = {seg.key: seg.id}
            parent.append(child)
        elif child is MISSING:
            raise KeyError(path_text(path))
        parent = child
    last = path[-1]
    if isinstance(last, Item):
        if not isinstance(parent, list):
            raise KeyError(path_text(path))
        index = _find(parent, last)
        if value is MISSING:
            if index is not None:
                del parent[index]
        elif index is None:
            parent.append(copy.deepcopy(value))
        else:
            parent[index] = copy.deepcopy(value)
    else:
        if not isinstance(parent, dict):
            raise KeyError(path_text(path))
        if value is MISSING:
            parent.pop(last, None)
        else:
            parent[last] = copy.deepcopy(value)
    return out


def diff(old: Any, new: Any) -> list[Path]:
    """The changed leaf paths between two dumps of a dossier, in document order.

    Dicts are compared key by key and id-lists item by item (like the merge); an item
    added or removed is one path (the item's), a reordered id-list is its own path, and
    anything else that differs (a text, a list without ids, a type change) is one path.
    """
    out: list[Path] = []
    _diff(old, new, (), out)
    return out


def _diff(old: Any, new: Any, path: Path, out: list[Path]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            _diff(old.get(key, MISSING), new.get(key, MISSING), (*path, key), out)
        return
    if is_id_list(old) and is_id_list(new):
        old_ids = [str(i["id"]) for i in old]
        new_ids = [str(i["id"]) for i in new]
        if [i for i in old_ids if i in new_ids] != [i for i in new_ids if i in old_ids]:
            out.append(path)
        old_by = dict(zip(old_ids, old, strict=True))
        new_by = dict(zip(new_ids, new, strict=True))
        for ident in old_ids + [i for i in new_ids if i not in old_by]:
            _diff(old_by.get(ident, MISSING), new_by.get(ident, MISSING), (*path, Item(ident)), out)
        return
    out.append(path)


# --- typed dossiers -------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


def get(model: BaseModel, path: Path) -> Any:
    """The value at ``path`` in a pydantic model (a model, list, dict or scalar as the model
    holds it), or :data:`MISSING`."""
    node: Any = model
    for seg in path:
        if isinstance(seg, Item):
            if not isinstance(node, list):
                return MISSING
            node = next((x for x in node if str(_field(x, seg.key)) == seg.id), MISSING)
        elif isinstance(node, BaseModel):
            node = getattr(node, seg, MISSING) if seg in type(node).model_fields else MISSING
        elif isinstance(node, dict):
            node = node.get(seg, MISSING)
        else:
            return MISSING
        if node is MISSING:
            return MISSING
    return node


def _field(node: Any, key: str) -> Any:
    if isinstance(node, BaseModel):
        return getattr(node, key, MISSING)
    if isinstance(node, dict):
        return node.get(key, MISSING)
    return MISSING


def assign(model: M, path: Path, value: Any) -> M:
    """A new, validated model with ``value`` at ``path`` (:data:`MISSING` deletes).

    ``value`` may be a model, or plain Python values as a dump holds them. The whole model
    is validated again, so a rule across fields (a gesprek before a birth date) holds.
    A list item on the way that is not there yet is made (``gesprek/contacten/[member_id=…]
    /status`` for a member without a record). Raises ``pydantic.ValidationError`` (the model is unchanged) or ``KeyError`` (no such
    parent).
    """
    if isinstance(value, BaseModel):
        value = value.model_dump()
    elif isinstance(value, list):
        value = [v.model_dump() if isinstance(v, BaseModel) else v for v in value]
    dumped = set_at(model.model_dump(), path, value, create=True, in_place=True)
    return type(model).model_validate(dumped)


# Fields of the current gesprek that a gap in the evaluatie, meldcode or afsluiting step names.
_GESPREK_FIELDS = ("volgende_evaluatie", "meldcode_stap5", "meldcode_stap5_toelichting", "nieuwe_melding", "plan_reden")


def from_location(loc: Location, dossier: Any) -> Path | None:
    """The path of the field a gap's :class:`forms.rules.Location` points at.

    The most precise path the location allows: the field of the object (``ref``) when
    there is one, else the object, else the list or section. None when the location
    names no place in the dossier (the Controle step itself).
    """
    # read leniently: screens and tests pass look-alikes with fewer attributes
    field: str | None = getattr(loc, "field", None)
    item_id: str | None = getattr(loc, "item", None)
    ref = _text(getattr(loc, "ref", None))
    member = _text(getattr(loc, "member_id", None))
    section = getattr(loc, "section", None)
    if section == "huishouden":
        base: Path = ("huishouden", "leden")
        if member is not None:
            base = (*base, Item(member))
            return (*base, field) if field and field != "leden" else base
        return base
    if section == "contact":
        if field == "datum" or member is None:
            return ("gesprek", field) if field in ("datum", "plaats", "aanwezig", "overige_aanwezigen") else ("gesprek",)
        item: Path = ("gesprek", "contacten", Item(member, "member_id"))
        return (*item, field) if field else item
    if section == "leefgebieden":
        if ref is None:
            return ("leefgebieden",)
        entry: Path = ("leefgebieden", Item(ref))
        return (*entry, field) if field else entry
    if section == "netwerk":
        if ref is None:
            return ("netwerk",)
        lists = ("partners", "netwerk")
        where = next((name for name in lists if get(dossier, (name, Item(ref))) is not MISSING), "netwerk")
        person: Path = (where, Item(ref))
        return (*person, field) if field else person
    if section == "veiligheid":
        if ref is None:
            return ("veiligheid", Item(member, "child_id")) if member else ("veiligheid",)
        assessment: Path = ("veiligheid", Item(ref))
        if field is None:
            return assessment
        if field == "antwoorden" and item_id:
            return (*assessment, "antwoorden", item_id)
        return (*assessment, field)
    if section in ("plan", "meldcode", "evaluatie", "afsluiting") and field in _GESPREK_FIELDS:
        return ("gesprek", field)
    if section == "meldcode":
        if field == "antwoorden" and item_id:
            return ("meldcode", "antwoorden", item_id)
        return ("meldcode", field) if field else ("meldcode",)
    if section == "hulpvraag":
        if field in ("probleemanalyse", "perspectief"):
            return ("plan", field)
        return ("hulpvraag", field) if field else ("hulpvraag",)
    if section == "plan":
        if field in ("aangeboden", "uitkomst", "datum", "toelichting") and ref is None:
            return ("familiegroepsplan", field)
        if ref is not None:
            goal: Path = ("plan", "doelen", Item(ref))
            return (*goal, field) if field else goal
        if field in ("regisseur", "probleemanalyse", "perspectief", "doelen"):
            return ("plan", field)
        return ("plan",)
    if section == "evaluatie":
        if ref is None:
            return ("gesprek", "doel_evaluaties")
        evaluation: Path = ("gesprek", "doel_evaluaties", Item(ref, "goal_id"))
        return (*evaluation, field) if field and field != "doel_evaluaties" else evaluation
    if section == "kernbeslissingen":
        if ref is None:
            return (field,) if field in ("kernbeslissingen", "opschalingen") else ("kernbeslissingen",)
        where = "opschalingen" if get(dossier, ("opschalingen", Item(ref))) is not MISSING else "kernbeslissingen"
        decision: Path = (where, Item(ref))
        return (*decision, field) if field else decision
    if section == "afsluiting":
        base = ("gesprek", "afsluiting")
        if ref is not None:
            told: Path = (*base, "geinformeerd", Item(ref, "partner_id"))
            return (*told, field) if field and field != "geinformeerd" else told
        return (*base, field) if field and field != "afsluiting" else base
    if section == "ondertekenen":
        if member is not None:
            return ("handtekeningen", Item(member, "member_id"))
        return ("handtekeningen",)
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
