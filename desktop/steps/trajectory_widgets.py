"""What the trajectory's step pages (evaluatie, kernbeslissingen, afsluiting) share.

- :func:`bind_nested` binds a widget to a field whose parent may not exist yet (a goal's
  evaluation at this gesprek, ``gesprek.afsluiting`` while it is ``None``, a partner's
  "geïnformeerd" row): the first edit creates the parent (one undo step), later edits
  set the field itself. The binder (:mod:`desktop.binder`) does the rest.
- :func:`trajectory_options`: the municipality's lists for the trajectory
  (``Definitions.trajectory``): kinds of kernbeslissingen, resultaten, opschaling_naar,
  and the maximum interval between evaluations.
- :func:`meldcode_open`: a Meldcode track is open (afweging 5 is asked at each evaluatie).
- :func:`from_earlier_gesprek`: an entry recorded at an earlier (finalised) gesprek.
- small label helpers in the pages' style.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self
from uuid import UUID

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.binder import TARGET_PATH
from desktop.widgets import ErrorLabel, bare, label
from forms import Definitions, Dossier
from forms.paths import MISSING, Item, Path

__all__ = [
    "GREY",
    "TrajectoryOptions",
    "trajectory_options",
    "bind_nested",
    "meldcode_open",
    "FollowsDocument",
    "from_earlier_gesprek",
    "hint",
    "heading",
]

GREY = "color: #52606d;"


# --- the municipality's lists ---------------------------------------------------------------


@dataclass(frozen=True)
class TrajectoryOptions:
    """``(id, label)`` lists from ``Definitions.trajectory``."""

    kernbeslissingen: list[tuple[str, str]]
    resultaten: list[tuple[str, str]]
    opschaling_naar: list[tuple[str, str]]
    evaluatie_interval_max_dagen: int

    def label(self, kind: str, key: str | None) -> str:
        """The label of ``key`` in list ``kind`` (the key itself when unknown, "—" for None)."""
        if key is None:
            return "—"
        return dict(getattr(self, kind)).get(key, key)


def _pairs(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        return [(str(k), str(v)) for k, v in value.items()]
    out: list[tuple[str, str]] = []
    for entry in value or []:
        if isinstance(entry, Mapping):
            out.append((str(entry["id"]), str(entry.get("label", entry["id"]))))
        else:
            out.append((str(entry.id), str(getattr(entry, "label", entry.id))))
    return out


def trajectory_options(definitions: Definitions) -> TrajectoryOptions:
    """The trajectory lists of ``definitions`` (a municipality may override them)."""
    trajectory = definitions.trajectory
    return TrajectoryOptions(
        kernbeslissingen=_pairs(trajectory.kernbeslissingen),
        resultaten=_pairs(trajectory.resultaten),
        opschaling_naar=_pairs(trajectory.opschaling_naar),
        evaluatie_interval_max_dagen=int(trajectory.evaluatie_interval_max_dagen),
    )


# --- binding a field whose parent may be missing ---------------------------------------------


def _absent(value: Any) -> bool:
    return value is MISSING or value is None


def _nest(path: Path, start: int, defaults: Mapping[Path, Callable[[], dict[str, Any]]], value: Any) -> Any:
    """The object at ``path[:start]`` (a new one) holding ``value`` at ``path``."""
    top: Any = defaults[path[:start]]()
    parent = top
    for index in range(start, len(path)):
        seg = path[index]
        prefix = path[: index + 1]
        if index == len(path) - 1:
            child: Any = value
        elif prefix in defaults:
            child = defaults[prefix]()
        elif isinstance(parent, dict) and isinstance(parent.get(seg), (dict, list)):
            child = parent[seg]  # the skeleton has it already (e.g. "geinformeerd": [])
        else:
            child = [] if isinstance(path[index + 1], Item) else {}
        if isinstance(seg, Item):
            parent.append(child)
        else:
            parent[seg] = child
        parent = child
    return top


def bind_nested(
    binder: Any,  # desktop.binder.Binder
    widget: QWidget,
    path: Path,
    defaults: Mapping[Path, Callable[[], dict[str, Any]]],
    *,
    label: str,
    error: ErrorLabel | None = None,
    on_edit: Callable[[], None] | None = None,
    live_errors: bool | None = None,
    overrides: dict[str, str] | None = None,
    to_model: Callable[[Any], Any] | None = None,
) -> QWidget:
    """Bind ``widget`` to ``path``; ``defaults`` names the ancestors that may be absent
    (``None`` or a missing list item) with the fields a new one starts with.

    While such an ancestor is absent, the widget is bound to it and an edit creates it
    with the edited value in place; once it exists, to ``path`` itself."""
    order = sorted(defaults, key=len)

    def missing_at() -> int | None:
        document = binder.document
        if document is None:
            return None
        for ancestor in order:
            if _absent(document.get(ancestor)):
                return len(ancestor)
        return None

    def current() -> Path:
        start = missing_at()
        return path if start is None else path[:start]

    convert = to_model or (lambda value: value)

    def model_value(value: Any) -> Any:
        value = convert(value)
        start = missing_at()
        return value if start is None else _nest(path, start, defaults, value)

    def widget_value(value: Any) -> Any:
        return None if missing_at() is not None else (None if value is MISSING else value)

    setattr(widget, TARGET_PATH, path)
    text_like = isinstance(widget, (QLineEdit, QPlainTextEdit))
    return binder.bind(
        widget,
        current,
        label=label,
        error=error,
        on_edit=on_edit,
        live_errors=live_errors,
        overrides=overrides,
        to_model=model_value,
        to_widget=(lambda value: widget_value(value) or "") if text_like else widget_value,
    )


# --- facts the pages show ----------------------------------------------------------------------


def meldcode_open(dossier: Dossier, definitions: Definitions) -> bool:
    """A Meldcode track is open: afweging 5 is asked at each evaluatie (the rules' test)."""
    from forms.rules import meldcode_track_open

    return bool(meldcode_track_open(definitions, dossier.meldcode))


class FollowsDocument(QWidget):
    """A part attached to another step's page that shows facts of the dossier besides its
    bound fields: :meth:`refresh` runs whenever the page's document changes (an edit, an
    undo, a colleague's change), from the moment it is first shown. It stays visible itself
    (an empty part takes no room) and shows or hides what it holds.

    It binds its fields to the page's binder itself; :meth:`attach` puts it in the page's layout."""

    def __init__(self, page: Any) -> None:
        super().__init__()
        self.page = page
        self._document: Any = None
        self.column = bare(QVBoxLayout(self))

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        document = getattr(self.page, "document", None)
        if document is not self._document:
            if self._document is not None:
                self._document.changed.disconnect(self._changed)
            self._document = document
            if document is not None:
                document.changed.connect(self._changed)
        self._changed([])
        super().showEvent(event)

    def _changed(self, _paths: list[Any]) -> None:
        if self._document is not None:
            self.refresh(self._document.dossier)

    def refresh(self, dossier: Dossier) -> None:
        """Show what follows from ``dossier``."""
    def attach(self, layout: QVBoxLayout, index: int = -1) -> Self:
        """Insert the part in its page's ``layout`` at ``index`` (-1: at the end) and refresh
        it after each edit of the page; returns the part."""
        page = self.page
        layout.insertWidget(index, self)
        page.changed.connect(lambda: page.dossier is not None and self.refresh(page.dossier))
        if getattr(page, "dossier", None) is not None:
            self.refresh(page.dossier)
        return self


def from_earlier_gesprek(gesprek_id: UUID | None, dossier: Dossier) -> bool:
    """Recorded at an earlier gesprek (or before gesprekken had ids): read-only now."""
    return gesprek_id != dossier.gesprek.id


def hint(text: str = "", *, name: str = "") -> QLabel:
    return label(text, style=GREY, name=name)


def heading(text: str) -> QLabel:
    return label(text, object_name="subheading", bold=True)


def days_text(days: int) -> str:
    """'91 dagen (ongeveer 3 maanden)'."""
    months = round(days / 30.4)
    return f"{days} dagen (ongeveer {months} maanden)" if months >= 2 else f"{days} dagen"
