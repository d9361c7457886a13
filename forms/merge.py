"""Three-way merge of JSON documents (a dossier's dump), field by field. Pure: no I/O.

``merge(base, local, remote)`` combines two edits of the same ``base``:

- a value changed on one side only takes that side's value;
- dicts merge key by key (recursively);
- lists whose items are all objects with an ``"id"`` merge item by item, by id (an item
  added on either side is kept; an item deleted on one side and unchanged on the other is
  deleted; the order is the side that reordered, local when both did);
- anything else (scalars, other lists, a type change) that both sides changed differently
  is a **conflict**: the result keeps the *local* value, and the :class:`Conflict` records
  the path, the local and the remote value. Nothing is thrown away.

"Absent" (a deleted dict key or list item) is a value too, written :data:`MISSING`; a
conflict can be "deleted here, changed there".

:func:`merge_validated` adds a validation step for typed documents (the dossier): when
the field-by-field result breaks a rule of the model (say ``besproken`` from one side and
``niet_van_toepassing`` from the other), the remote changes inside the offending object
are turned back into conflicts, until the result validates. The local document itself
is always valid, so this ends.

The sync merges a local edit with the central copy; the desktop merges a window's
unsaved edits with a dossier stored meanwhile. Paths are :mod:`forms.paths`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .paths import MISSING, Item, Path, Segment, get_at, is_id_list, parse_path, path_text, set_at

__all__ = [
    "MISSING",
    "Item",
    "Path",
    "Conflict",
    "MergeResult",
    "Validated",
    "merge",
    "merge_validated",
    "get_at",
    "set_at",
    "path_text",
    "parse_path",
]

_is_id_list = is_id_list


@dataclass(frozen=True)
class Conflict:
    """Both sides changed the value at ``path`` differently; the merge kept ``local``."""

    path: Path
    local: Any  # MISSING when deleted locally
    remote: Any  # MISSING when deleted remotely

    @property
    def text(self) -> str:
        return path_text(self.path)


@dataclass
class MergeResult:
    value: Any
    conflicts: list[Conflict] = field(default_factory=list)
    #: Paths where the result took the remote value (used to undo them on a rule break).
    remote_taken: list[Path] = field(default_factory=list)




def merge(base: Any, local: Any, remote: Any) -> MergeResult:
    """Merge ``local`` and ``remote``, both derived from ``base`` (JSON values)."""
    result = MergeResult(value=None)
    result.value = _merge(base, local, remote, (), result)
    return result


def _merge(base: Any, local: Any, remote: Any, path: Path, out: MergeResult) -> Any:
    if local == remote:
        return copy.deepcopy(local)
    if base == local:
        out.remote_taken.append(path)
        return copy.deepcopy(remote)
    if base == remote:
        return copy.deepcopy(local)
    if isinstance(local, dict) and isinstance(remote, dict) and (base is MISSING or base is None or isinstance(base, dict)):
        return _merge_dicts(base if isinstance(base, dict) else {}, local, remote, path, out)
    if (
        isinstance(local, list)
        and isinstance(remote, list)
        and _is_id_list(local)
        and _is_id_list(remote)
        and (base is MISSING or base is None or _is_id_list(base))
    ):
        return _merge_id_lists(base if isinstance(base, list) else [], local, remote, path, out)
    out.conflicts.append(Conflict(path, copy.deepcopy(local), copy.deepcopy(remote)))
    return copy.deepcopy(local)


def _merge_dicts(base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any], path: Path, out: MergeResult) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    keys = list(local) + [k for k in remote if k not in local]
    for key in keys:
        value = _merge(base.get(key, MISSING), local.get(key, MISSING), remote.get(key, MISSING), (*path, key), out)
        if value is not MISSING:
            merged[key] = value
    return merged


def _ids(items: list[Any]) -> list[str]:
    return [str(item["id"]) for item in items]


def _merge_id_lists(base: list[Any], local: list[Any], remote: list[Any], path: Path, out: MergeResult) -> list[Any]:
    b = {str(i["id"]): i for i in base}
    lo = {str(i["id"]): i for i in local}
    ro = {str(i["id"]): i for i in remote}
    base_order, local_order, remote_order = _ids(base), _ids(local), _ids(remote)
    if local_order == base_order:
        order = remote_order + [i for i in local_order if i not in ro]
    else:
        order = local_order + [i for i in remote_order if i not in lo]
    # items deleted on both sides, or deleted on one side and kept unchanged on the other
    # simply do not come back; every id present anywhere is decided by _merge.
    for ident in base_order:
        if ident not in order:
            order.append(ident)
    merged: list[Any] = []
    for ident in order:
        value = _merge(b.get(ident, MISSING), lo.get(ident, MISSING), ro.get(ident, MISSING), (*path, Item(ident)), out)
        if value is not MISSING:
            merged.append(value)
    return merged


# --- merge with a validity check ------------------------------------------------------------------

T = TypeVar("T")


@dataclass
class Validated(Generic[T]):
    document: T
    value: Any
    conflicts: list[Conflict]


def _loc_to_path(value: Any, loc: Iterable[Any]) -> Path:
    """A pydantic error location (list indices) as a merge path (ids); the enclosing object."""
    path: list[Segment] = []
    node = value
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            if 0 <= part < len(node) and isinstance(node[part], dict) and "id" in node[part]:
                path.append(Item(str(node[part]["id"])))
                node = node[part]
                continue
            break  # a list without ids is merged as a whole: stop at the list
        if isinstance(part, str) and isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
            continue
        break
    # the error is about the object containing a field: undo within that object
    while path and not isinstance(get_at(value, tuple(path)), dict):
        path.pop()
    return tuple(path)


def _under(path: Path, prefix: Path) -> bool:
    return path[: len(prefix)] == prefix


def merge_validated(
    base: Any,
    local: Any,
    remote: Any,
    validate: Callable[[Any], T],
    error_locations: Callable[[Exception], list[tuple[Any, ...]] | None],
    *,
    max_rounds: int = 8,
) -> Validated[T]:
    """:func:`merge`, then ``validate`` (e.g. ``Dossier.model_validate``).

    ``error_locations(exc)`` returns the locations of a validation error (or None when
    ``exc`` is not one, which is re-raised). Remote changes inside an object that fails a
    rule become conflicts (local value kept), until the result validates; ``local``
    itself must validate.
    """
    result = merge(base, local, remote)
    value = result.value
    conflicts = list(result.conflicts)
    taken = list(result.remote_taken)
    for _ in range(max_rounds):
        try:
            return Validated(validate(value), value, conflicts)
        except Exception as exc:  # noqa: BLE001 - classified by error_locations
            locations = error_locations(exc)
            if locations is None:
                raise
        prefixes = [_loc_to_path(value, loc) for loc in locations] or [()]
        undo = [p for p in taken if any(_under(p, prefix) or _under(prefix, p) for prefix in prefixes)]
        if not undo:
            undo = list(taken)
        if not undo:
            break
        for p in undo:
            conflicts.extend(_differences(local, remote, p))
            value = _restore(value, local, p)
            taken.remove(p)
    # Could not make a valid combination: keep the local document, every remote change a conflict.
    for p in taken:
        conflicts.extend(_differences(local, remote, p))
    return Validated(validate(local), copy.deepcopy(local), conflicts)


def _differences(local: Any, remote: Any, path: Path) -> list[Conflict]:
    """Conflicts for each field where ``local`` and ``remote`` differ under ``path``,
    as fine-grained as the merge itself (dict keys, id-list items)."""
    lv, rv = get_at(local, path), get_at(remote, path)
    if lv == rv:
        return []
    if isinstance(lv, dict) and isinstance(rv, dict):
        out: list[Conflict] = []
        for key in list(lv) + [k for k in rv if k not in lv]:
            out.extend(_differences(local, remote, (*path, key)))
        return out
    if isinstance(lv, list) and isinstance(rv, list) and _is_id_list(lv) and _is_id_list(rv):
        out = []
        ids = _ids(lv) + [i for i in _ids(rv) if i not in set(_ids(lv))]
        for ident in ids:
            out.extend(_differences(local, remote, (*path, Item(ident))))
        return out
    return [Conflict(path, copy.deepcopy(lv), copy.deepcopy(rv))]


def _restore(value: Any, local: Any, path: Path) -> Any:
    try:
        return set_at(value, path, get_at(local, path))
    except KeyError:
        return value
