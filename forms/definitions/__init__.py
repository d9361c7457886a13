"""Definitions as data: life domains, the ZRM scale, the child-safety instrument, the
Meldcode afwegingskader and the trajectory policy (evaluation interval, kernbeslissingen,
resultaten), loaded from JSON files and checked by pydantic.

The shipped files live next to this module. A municipality points the application at
its own folder (a licensed LIRIK, its own domain set) without code changes::

    load_definitions(Path("/etc/keukentafel/definities"))   # shipped + the folder's
    default_definitions()                                    # shipped + $KEUKENTAFEL_DEFINITIES

Rules for a folder (shipped or extra):

- every ``*.json`` file directly in it is one definition, its kind in ``soort``;
  ``actief.json`` is not a definition but an optional choice of which id is current per
  kind, e.g. ``{"veiligheid": "lirik"}``;
- an (id, version) is immutable: an extra folder may add new ids and new versions, and
  may repeat a shipped one only with identical content;
- "current" (``ref=None``) is the newest version of the active id of a kind. Without
  ``actief.json`` the active id is the shipped one, unless the extra folder brings exactly
  one new id of that kind, which then becomes active.

Anything wrong raises :class:`forms.DefinitionError` naming the file, the path inside it
and the problem (``.melding`` in Dutch).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import TypeAdapter, ValidationError

from ..errors import DefinitionError, UnknownDefinition
from ..models import DefinitionRef
from .schemas import (
    AgeBand,
    Cell,
    Definition,
    DefinitionKind,
    DomainDefinition,
    DomainSet,
    Item,
    Judgment,
    KernbeslissingSoort,
    Keuze,
    MeldcodeDefinition,
    MeldcodeTrigger,
    MeldcodeVraag,
    PerLid,
    SafetyInstrument,
    Section,
    TrajectoryDefinition,
    ZrmNiveau,
    ZrmScale,
)

__all__ = [
    "ENV_VAR",
    "SHIPPED_FOLDER",
    "ACTIVE_FILE",
    "KINDS",
    "Definitions",
    "CurrentRefs",
    "load_definitions",
    "default_definitions",
    "shipped_definitions",
    "clear_cache",
    "read_folder",
    "read_file",
    # schemas
    "AgeBand",
    "Cell",
    "Definition",
    "DefinitionKind",
    "DomainDefinition",
    "DomainSet",
    "Item",
    "Judgment",
    "Keuze",
    "KernbeslissingSoort",
    "TrajectoryDefinition",
    "MeldcodeDefinition",
    "MeldcodeTrigger",
    "MeldcodeVraag",
    "PerLid",
    "SafetyInstrument",
    "Section",
    "ZrmNiveau",
    "ZrmScale",
    "DefinitionError",
    "UnknownDefinition",
]

ENV_VAR = "KEUKENTAFEL_DEFINITIES"
SHIPPED_FOLDER = Path(__file__).resolve().parent
ACTIVE_FILE = "actief.json"
KINDS: tuple[str, ...] = ("leefgebieden", "zrm", "veiligheid", "meldcode", "trajectory")
_CLASSES = {
    "leefgebieden": DomainSet,
    "zrm": ZrmScale,
    "veiligheid": SafetyInstrument,
    "meldcode": MeldcodeDefinition,
    "trajectory": TrajectoryDefinition,
}
_ADAPTER: TypeAdapter[Definition] = TypeAdapter(Definition)

T = TypeVar("T")


def _loc(parts: Iterable[object]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def _read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad writes a BOM
    except OSError as exc:
        raise DefinitionError(f"cannot read the file ({exc.strerror or exc})", bestand=path) from None
    except UnicodeDecodeError as exc:
        raise DefinitionError(f"the file is not UTF-8 ({exc.reason})", bestand=path) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            f"invalid JSON: {exc.msg}",
            bestand=path,
            pad=f"regel {exc.lineno}, kolom {exc.colno}",
        ) from None


def read_file(path: Path) -> Definition:
    """Read and check one definition file."""
    raw = _read_json(path)
    if not isinstance(raw, dict):
        raise DefinitionError("the file must hold one JSON object", bestand=path)
    try:
        definition = _ADAPTER.validate_python(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        loc = list(first["loc"])
        # the discriminated union puts the kind in the location: drop it
        if loc and isinstance(loc[0], str) and loc[0] in _CLASSES:
            loc = loc[1:]
        problem = first["msg"]
        if first["type"] == "union_tag_invalid":
            loc, problem = ["soort"], f"'soort' must be one of {', '.join(KINDS)}"
        elif first["type"] == "union_tag_not_found":
            loc, problem = ["soort"], f"'soort' is missing (one of {', '.join(KINDS)})"
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise DefinitionError(problem + more, bestand=path, pad=_loc(loc)) from None
    definition._file = str(path)
    return definition


def _read_active(path: Path) -> dict[str, str]:
    raw = _read_json(path)
    if not isinstance(raw, dict):
        raise DefinitionError("must be an object: kind -> definition id", bestand=path)
    out: dict[str, str] = {}
    for kind, value in raw.items():
        if kind not in KINDS:
            raise DefinitionError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})", bestand=path, pad=kind)
        if not isinstance(value, str) or not value:
            raise DefinitionError("must be a definition id (text)", bestand=path, pad=kind)
        out[kind] = value
    return out


def read_folder(folder: Path) -> tuple[list[Definition], dict[str, str]]:
    """The definitions in one folder and its optional active-id choice."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DefinitionError(
            "the definitions folder does not exist or is not a folder",
            bestand=folder,
            melding=f"De map met definities '{folder}' bestaat niet. Controleer {ENV_VAR} of de instelling.",
        )
    found: list[Definition] = []
    seen: dict[tuple[str, str, int], Path] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name == ACTIVE_FILE:
            continue
        d = read_file(path)
        key = (d.soort, d.id, d.version)
        if key in seen:
            raise DefinitionError(
                f"{d.soort} definition {d.id} v{d.version} is also defined in {seen[key].name}",
                bestand=path,
                pad="id",
            )
        seen[key] = path
        found.append(d)
    active_path = folder / ACTIVE_FILE
    active = _read_active(active_path) if active_path.is_file() else {}
    return found, active


@dataclass(frozen=True)
class CurrentRefs:
    """The newest ref of the active definition of each kind: what new answers use."""

    leefgebieden: DefinitionRef
    zrm: DefinitionRef
    veiligheid: DefinitionRef
    meldcode: DefinitionRef
    trajectory: DefinitionRef

    def of(self, kind: str) -> DefinitionRef:
        ref: DefinitionRef = getattr(self, kind)
        return ref


class Definitions:
    """All loaded definitions, by kind, id and version. Immutable once built."""

    def __init__(self, definitions: Iterable[Definition], active: dict[str, str]) -> None:
        self._by_key: dict[tuple[str, str, int], Definition] = {}
        for d in definitions:
            self._by_key[(d.soort, d.id, d.version)] = d
        self._active = dict(active)
        for kind in KINDS:
            if kind not in self._active:
                raise DefinitionError(f"no {kind} definition is loaded")
            if not self.versions(kind, self._active[kind]):
                raise DefinitionError(
                    f"the active {kind} definition {self._active[kind]!r} is not loaded", pad=kind
                )
        # cross-references: every domain set names a loaded ZRM scale
        for d in self._by_key.values():
            if isinstance(d, DomainSet) and not self.has(d.zrm_schaal, "zrm"):
                raise DefinitionError(
                    f"zrm_schaal {d.zrm_schaal.id} v{d.zrm_schaal.version} is not loaded",
                    bestand=d.file,
                    pad="zrm_schaal",
                )

    # --- lookups ---------------------------------------------------------------------

    def versions(self, kind: str, definition_id: str) -> list[int]:
        return sorted(v for (k, i, v) in self._by_key if k == kind and i == definition_id)

    def ids(self, kind: str) -> list[str]:
        return sorted({i for (k, i, _v) in self._by_key if k == kind})

    def active_id(self, kind: str) -> str:
        return self._active[kind]

    def has(self, ref: DefinitionRef, kind: str | None = None) -> bool:
        kinds = [kind] if kind else list(KINDS)
        return any((k, ref.id, ref.version) in self._by_key for k in kinds)

    def get(self, kind: str, ref: DefinitionRef | None = None) -> Definition:
        if ref is None:
            definition_id = self._active[kind]
            return self._by_key[(kind, definition_id, self.versions(kind, definition_id)[-1])]
        try:
            return self._by_key[(kind, ref.id, ref.version)]
        except KeyError:
            raise UnknownDefinition(kind, ref.id, ref.version) from None

    def domain_set(self, ref: DefinitionRef | None = None) -> DomainSet:
        return self.get("leefgebieden", ref)  # type: ignore[return-value]

    def zrm(self, ref: DefinitionRef | None = None) -> ZrmScale:
        return self.get("zrm", ref)  # type: ignore[return-value]

    def instrument(self, ref: DefinitionRef | None = None) -> SafetyInstrument:
        return self.get("veiligheid", ref)  # type: ignore[return-value]

    def meldcode(self, ref: DefinitionRef | None = None) -> MeldcodeDefinition:
        return self.get("meldcode", ref)  # type: ignore[return-value]

    @property
    def trajectory(self) -> TrajectoryDefinition:
        """The current trajectory policy (newest version of the active id). Dossiers do not
        record a version of it: its ids (kernbeslissingen, resultaten) are stable keys."""
        return self.get("trajectory")  # type: ignore[return-value]

    def current_refs(self) -> CurrentRefs:
        return CurrentRefs(**{kind: self.get(kind).ref for kind in KINDS})

    def all(self) -> list[Definition]:
        return [self._by_key[k] for k in sorted(self._by_key)]

    def __repr__(self) -> str:
        return "Definitions(" + ", ".join(f"{k}:{i}v{v}" for (k, i, v) in sorted(self._by_key)) + ")"


def _merge(
    shipped: list[Definition],
    shipped_active: dict[str, str],
    extra: list[Definition],
    extra_active: dict[str, str],
) -> Definitions:
    by_key = {(d.soort, d.id, d.version): d for d in shipped}
    shipped_ids = {(d.soort, d.id) for d in shipped}
    for d in extra:
        key = (d.soort, d.id, d.version)
        if key in by_key:
            if by_key[key].model_dump() != d.model_dump():
                raise DefinitionError(
                    f"{d.soort} definition {d.id} v{d.version} is already shipped with other "
                    "content; a changed definition needs a new version number",
                    bestand=d.file,
                    pad="version",
                )
            continue
        by_key[key] = d
    active = dict(shipped_active)
    for kind in KINDS:
        new_ids = sorted({d.id for d in extra if d.soort == kind and (kind, d.id) not in shipped_ids})
        if len(new_ids) == 1:
            active[kind] = new_ids[0]
        elif len(new_ids) > 1 and kind not in extra_active:
            folder = Path(extra[0].file).parent if extra[0].file else None
            raise DefinitionError(
                f"the folder brings {len(new_ids)} new {kind} definitions ({', '.join(new_ids)}); "
                f"name the current one in {ACTIVE_FILE}",
                bestand=folder / ACTIVE_FILE if folder else None,
                pad=kind,
            )
    active.update(extra_active)
    return Definitions(by_key.values(), active)


def _shipped_active(found: list[Definition], active: dict[str, str]) -> dict[str, str]:
    out = dict(active)
    for kind in KINDS:
        ids = sorted({d.id for d in found if d.soort == kind})
        if kind not in out and len(ids) == 1:
            out[kind] = ids[0]
    return out


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Definition, ...], tuple[tuple[str, str], ...]]:
    found, active = read_folder(SHIPPED_FOLDER)
    return tuple(found), tuple(sorted(_shipped_active(found, active).items()))


def load_definitions(extra_folder: Path | str | None = None) -> Definitions:
    """The shipped definitions, merged with those in ``extra_folder`` (if given).

    ``None`` means the shipped ones only; :func:`default_definitions` adds the folder
    named by ``$KEUKENTAFEL_DEFINITIES``.
    """
    shipped, shipped_active = _shipped()
    if extra_folder is None:
        return Definitions(shipped, dict(shipped_active))
    extra, extra_active = read_folder(Path(extra_folder))
    for kind, definition_id in extra_active.items():
        known = {d.id for d in (*shipped, *extra) if d.soort == kind}
        if definition_id not in known:
            raise DefinitionError(
                f"{kind} definition {definition_id!r} is neither shipped nor in this folder",
                bestand=Path(extra_folder) / ACTIVE_FILE,
                pad=kind,
            )
    return _merge(list(shipped), dict(shipped_active), extra, extra_active)


@lru_cache(maxsize=8)
def _cached(extra: str | None) -> Definitions:
    return load_definitions(Path(extra) if extra else None)


def shipped_definitions() -> Definitions:
    """The shipped definitions only (cached); what the demo and tests build on."""
    return _cached(None)


def default_definitions() -> Definitions:
    """The shipped definitions plus ``$KEUKENTAFEL_DEFINITIES`` if set (cached per value)."""
    return _cached(os.environ.get(ENV_VAR) or None)


def clear_cache() -> None:
    """Forget loaded definitions (after a folder's files changed)."""
    _cached.cache_clear()
    _shipped.cache_clear()
