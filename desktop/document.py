"""One open dossier: the only way the screens change it.

A :class:`DossierDocument` owns the :class:`forms.Dossier` of one open gesprek. Every edit
is a ``QUndoCommand`` addressed by a :mod:`forms.paths` path::

    document.set(("hulpvraag", "tekst"), "Rust in huis", label="hulpvraag")

``set`` validates the whole dossier with the new value first (a rule across fields holds;
a ``pydantic.ValidationError`` leaves everything as it was), then pushes the command on the
document's ``QUndoStack``. Keystrokes in one field merge into one undo step until the field
is left (:meth:`DossierDocument.end_typing`). After every apply, undo and redo the document
emits ``changed(paths)``; screens refresh only what lies on those paths (the binder in
:mod:`desktop.binder` does that for bound widgets).

The value is put in place in the live dossier (the object a page holds stays the same), so
``document.dossier`` is always the current, valid dossier.

The document saves itself: 700 ms after the last edit and never later than 1 s after the
first unsaved one, a deep copy goes to the vault thread. Undo and redo are edits like any
other, so an undo after a save is saved again.

A finalised gesprek is read-only here: ``set`` raises :class:`ReadOnlyDossier`.

A change that arrives from outside (the sync pulled a colleague's edit) comes in through
:meth:`DossierDocument.apply_external`: the difference between what the document last
loaded or saved (its *base*) and the stored dossier is merged three-way with the unsaved
local edits (:func:`forms.merge.merge_validated`), applied as a change nobody can undo,
and announced with ``changed(paths)``. Where both changed an open field differently, the
local value stays and the other is kept in :attr:`DossierDocument.conflicts` (the page
shows it under the field, with a button to take it).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from shiboken6 import isValid

from forms import Dossier
from forms import paths as fp
from forms.errors import KeukentafelError
from forms.merge import Conflict, merge_validated
from forms.paths import MISSING, Item, Path
from forms.summary import Summary
from storage import StaleDossier, Vault

from .errors import message_for
from .tasks import TaskManager

__all__ = [
    "DossierDocument",
    "ReadOnlyDossier",
    "AUTOSAVE_DEBOUNCE_MS",
    "AUTOSAVE_MAX_DELAY_MS",
    "UNDO_PREFIX",
    "REDO_PREFIX",
]

log = logging.getLogger("keukentafel.document")

AUTOSAVE_DEBOUNCE_MS = 700
AUTOSAVE_MAX_DELAY_MS = 1000
UNDO_PREFIX = "Ongedaan maken"
REDO_PREFIX = "Opnieuw"

_SET_COMMAND_ID = 0x4B54  # "KT": QUndoStack merges only commands with the same id


class ReadOnlyDossier(KeukentafelError):
    """An edit of a finalised gesprek (``path`` is the field it was meant for)."""

    def __init__(self, versie: int, path: Path) -> None:
        self.path = path
        super().__init__(
            f"version {versie} is final; refused to set {fp.path_text(path)}",
            f"Versie {versie} is afgerond en kan niet meer worden gewijzigd. Maak een nieuwe versie.",
        )


class _SetCommand(QUndoCommand):
    def __init__(self, document: DossierDocument, path: Path, old: Any, new: Any, label: str, serial: int | None) -> None:
        super().__init__(label)
        self.document = document
        self.path = path
        self.old = old
        self.new = new
        self.serial = serial  # None: never merges
        self.checked: Dossier | None = None  # set() validated the first apply already

    def id(self) -> int:
        return _SET_COMMAND_ID if self.serial is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt name)
        if not isinstance(other, _SetCommand) or other.path != self.path or other.serial != self.serial:
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        checked, self.checked = self.checked, None
        self.document._apply(self.path, self.new, checked)

    def undo(self) -> None:
        self.document._apply(self.path, self.old)


class _ActionNamer(QObject):
    def __init__(self, action: QAction, prefix: str) -> None:
        super().__init__(action)
        self.action = action
        self.prefix = prefix

    @Slot(str)
    def name(self, text: str) -> None:
        if not isValid(self.action):  # an action nobody kept
            return
        self.action.setText(f"{self.prefix}: {text}" if text else self.prefix)

    @Slot(bool)
    def enable(self, enabled: bool) -> None:
        if isValid(self.action):
            self.action.setEnabled(enabled)


def _store(vault: Vault, dossier: Dossier, expected: str | None) -> tuple[Summary, str]:
    """On the vault thread: save with the revision check (none while the revision is not
    known yet), and the revision now stored (the SHA-256 of the stored JSON, as
    ``Vault.load_revision`` gives it; a test holds the two together)."""
    summary = vault.save(dossier) if expected is None else vault.save(dossier, expected=expected)
    return summary, revision_of(dossier)


def revision_of(dossier: Dossier) -> str:
    return hashlib.sha256(dossier.model_dump_json().encode("utf-8")).hexdigest()


class DossierDocument(QObject):
    """One open dossier: path-addressed edits, undo/redo, autosave, external changes."""

    changed = Signal(list)  # list[Path]: what an apply, undo, redo or external change touched
    replaced = Signal()  # the whole dossier was replaced (finalise, new version, a conflict chosen)
    conflicts_changed = Signal(list)  # list[Path]: conflicts recorded or resolved on these paths
    save_status = Signal(str)  # Dutch status text for the status bar
    saved = Signal(object)  # the Summary storage returned

    def __init__(self, dossier: Dossier, tasks: TaskManager | None = None, *, revision: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dossier = dossier
        self.tasks = tasks
        self.revision = revision
        self._base: dict[str, Any] = dossier.model_dump()  # as stored: what external changes are merged against
        self.conflicts: dict[Path, Conflict] = {}
        self.undo_stack = QUndoStack(self)
        self._serial = 0
        self._dirty = False
        self._in_flight = 0
        self._last_saved: dt.datetime | None = None
        self._debounce = QTimer(self, singleShot=True, interval=AUTOSAVE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save_now)
        self._max_delay = QTimer(self, singleShot=True, interval=AUTOSAVE_MAX_DELAY_MS)
        self._max_delay.timeout.connect(self.save_now)
        if tasks is not None and revision is None:
            tasks.run_db(lambda vault: vault.load_revision(dossier.id), self._revision_known, lambda _exc: None, owner=self)

    def _revision_known(self, loaded: tuple[Dossier, str]) -> None:
        """The stored revision at open; what was stored since the window read it comes in too."""
        stored, revision = loaded
        if self.revision is None:
            self.apply_external(stored, revision)

    # --- reading ------------------------------------------------------------------------

    @property
    def dossier(self) -> Dossier:
        return self._dossier

    @property
    def read_only(self) -> bool:
        return self._dossier.definitief is not None

    def get(self, path: Path) -> Any:
        """The value at ``path`` (:data:`forms.paths.MISSING` when absent)."""
        return fp.get(self._dossier, path)

    # --- editing --------------------------------------------------------------------------

    def set(self, path: Path, value: Any, *, label: str = "wijziging", typing: bool = False) -> bool:
        """Set ``value`` at ``path`` as one undo step named ``label`` ("zorgen bij Wonen").

        ``typing``: a keystroke; successive ones at the same path merge into one step until
        :meth:`end_typing`. Returns False when the value is already there. Raises
        :class:`ReadOnlyDossier`, ``pydantic.ValidationError`` (nothing changed) or
        ``KeyError`` (the path's parent does not exist).
        """
        if self.read_only:
            raise ReadOnlyDossier(self._dossier.versie, path)
        old = self.get(path)
        if _same(old, value):
            return False
        checked = fp.assign(self._dossier, path, value)  # raises before anything changes
        new = fp.get(checked, path)
        serial = self._serial if typing else None
        if not typing:
            self.end_typing()
        command = _SetCommand(self, path, _copy(old), new, label, serial)
        command.checked = checked
        self.undo_stack.push(command)
        return True

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Several edits as one undo step named ``label`` (nothing kept when one fails)."""
        self.undo_stack.beginMacro(label)
        try:
            yield
        except BaseException:
            self.undo_stack.endMacro()
            self.undo_stack.undo()  # the part already done
            raise
        self.undo_stack.endMacro()

    def end_typing(self) -> None:
        """The next keystroke starts a new undo step (the user left the field)."""
        self._serial += 1

    def undo(self) -> None:
        self.end_typing()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.end_typing()
        self.undo_stack.redo()

    def create_undo_action(self, parent: QObject) -> QAction:
        """"Ongedaan maken: <step>", enabled while there is something to undo (what
        ``QUndoStack.createUndoAction`` makes, with the Dutch colon; PySide6 let that one
        be deleted under its owner)."""
        return self._action(parent, UNDO_PREFIX, self.undo, self.undo_stack.canUndo(), self.undo_stack.undoText(),
                            self.undo_stack.canUndoChanged, self.undo_stack.undoTextChanged)

    def create_redo_action(self, parent: QObject) -> QAction:
        return self._action(parent, REDO_PREFIX, self.redo, self.undo_stack.canRedo(), self.undo_stack.redoText(),
                            self.undo_stack.canRedoChanged, self.undo_stack.redoTextChanged)

    @staticmethod
    def _action(parent: QObject, prefix: str, slot: Callable[[], None], enabled: bool, text: str,
                enabled_changed: SignalInstance, text_changed: SignalInstance) -> QAction:
        action = QAction(prefix, parent)
        namer = _ActionNamer(action, prefix)
        enabled_changed.connect(namer.enable)
        text_changed.connect(namer.name)
        namer.enable(enabled)
        namer.name(text)
        action.triggered.connect(slot)
        return action

    def _apply(self, path: Path, value: Any, checked: Dossier | None = None) -> None:
        """Put ``value`` at ``path`` in the live dossier (validated, or ``checked`` with it
        already), then announce it."""
        try:
            if checked is None:
                checked = fp.assign(self._dossier, path, value)
        except ValidationError:
            # An undo across a change from outside can make an invalid combination; the
            # history before that change no longer applies.
            log.warning("Ongedaan maken niet mogelijk na een wijziging van buiten; geschiedenis gewist")
            QTimer.singleShot(0, self.undo_stack.clear)
            return
        self._graft(checked, path)
        self._edited([path])

    def _graft(self, checked: Dossier, path: Path) -> None:
        """Copy the subtree at ``path`` of the validated ``checked`` into the live dossier.

        The value goes where its parent exists; when the parent does not (a ``None`` model
        that becomes one), the nearest existing ancestor takes the subtree."""
        for depth in range(len(path), 0, -1):
            where = path[:depth]
            parent = fp.get(self._dossier, where[:-1])
            if parent is MISSING or parent is None:
                continue
            _put(parent, where[-1], fp.get(checked, where))
            return
        for name in type(self._dossier).model_fields:  # the whole dossier
            self._dossier.__dict__[name] = getattr(checked, name)

    def _edited(self, paths: list[Path]) -> None:
        self.mark_dirty()
        self.changed.emit(paths)

    def mark_dirty(self) -> None:
        """To be saved (after an edit; after a finalise that failed once :meth:`mark_clean`
        was called: the edits since the last autosave are still only in memory)."""
        self._dirty = True
        self.save_status.emit("Wijzigingen nog niet opgeslagen…")
        if self.tasks is not None:
            self._debounce.start()
            if not self._max_delay.isActive():
                self._max_delay.start()

    def replace(self, dossier: Dossier, *, dirty: bool = False, stored: bool = True, revision: str | None = None) -> None:
        """A new dossier object (finalised, a new version, a conflict chosen): no undo across it."""
        self._dossier = dossier
        self.undo_stack.clear()
        self.conflicts.clear()
        if stored:
            self._base = dossier.model_dump()
            self.revision = revision if revision is not None else self.revision
        self.replaced.emit()
        self.changed.emit([()])
        if dirty:
            self._dirty = True
            self.save_now()

    # --- changes from outside -----------------------------------------------------------

    def apply_external(self, stored: Dossier, revision: str | None = None) -> list[Path]:
        """Apply what changed in the stored dossier since the document's base.

        Unsaved local edits are kept (a three-way merge); the change is not undoable and
        is announced with ``changed(paths)``. Where both changed the same field differently
        the local value stays and :attr:`conflicts` keeps the stored one. Returns the paths
        that changed on screen.
        """
        if stored.id != self._dossier.id:
            raise ValueError("apply_external: another dossier")
        remote = stored.model_dump()
        local = self._dossier.model_dump()
        if remote == self._base and revision == self.revision:
            return []
        result = merge_validated(self._base, local, remote, Dossier.model_validate, _error_locations)
        merged: Dossier = result.document
        touched = fp.diff(local, merged.model_dump())
        for path in touched:
            self._graft(merged, path)
        self._base = remote
        self.revision = revision
        new_conflicts = {c.path: c for c in result.conflicts}
        resolved = [p for p in self.conflicts if p not in new_conflicts and fp.get(self._dossier, p) == fp.get(stored, p)]
        for path in resolved:
            del self.conflicts[path]
        self.conflicts.update(new_conflicts)
        self._dirty = self._dirty and self._dossier.model_dump() != remote  # local edits still to save
        if self._dirty and self.tasks is not None:
            self._debounce.start()
        if touched:
            self.changed.emit(touched)
        if new_conflicts or resolved:
            self.conflicts_changed.emit([*new_conflicts, *resolved])
        return touched

    def take_other(self, path: Path, *, label: str = "waarde van collega") -> None:
        """Take the colleague's value of a conflict (an undoable edit), and forget the conflict."""
        conflict = self.conflicts.pop(path)
        self.conflicts_changed.emit([path])
        self.set(path, conflict.remote, label=label)

    def keep_mine(self, path: Path) -> None:
        if self.conflicts.pop(path, None) is not None:
            self.conflicts_changed.emit([path])

    # --- saving ---------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def saving(self) -> bool:
        return self._in_flight > 0

    def mark_clean(self) -> None:
        """Nothing to save (the caller stored the dossier itself, e.g. finalising)."""
        self._debounce.stop()
        self._max_delay.stop()
        self._dirty = False

    def save_now(self, after: Callable[[], None] | None = None) -> None:
        """Send a deep copy of the dossier to the vault thread now (Ctrl+S, flush)."""
        self._debounce.stop()
        self._max_delay.stop()
        if not self._dirty or self.tasks is None:
            if not self._in_flight and self._last_saved is not None:
                self._show_saved()
            return
        self._dirty = False
        snapshot = self._dossier.model_copy(deep=True)
        dump = snapshot.model_dump()
        expected = self.revision
        self._in_flight += 1

        def done(result: tuple[Summary, str]) -> None:
            summary, self.revision = result
            self._in_flight -= 1
            self._last_saved = dt.datetime.now()
            self._base = dump
            if not self._dirty and not self._in_flight:
                self._show_saved()
            self.saved.emit(summary)

        self.tasks.run_db(lambda vault: _store(vault, snapshot, expected), done, self._save_failed, owner=self)

    flush = save_now

    def _show_saved(self) -> None:
        if self._last_saved is not None:
            self.save_status.emit(f"Opgeslagen {self._last_saved:%H:%M}")

    def _save_failed(self, exc: BaseException) -> None:
        self._in_flight -= 1
        self._dirty = True  # the in-memory dossier is kept; the next edit or Ctrl+S retries
        if isinstance(exc, StaleDossier) and self.tasks is not None:
            # stored meanwhile (the sync merged a colleague's change): merge it here, save again
            self.save_status.emit("Intussen gewijzigd door een collega; de wijzigingen worden samengevoegd…")
            self.tasks.run_db(lambda vault: vault.load_revision(self._dossier.id), self._reload_then_save, self._failed_reload, owner=self)
            return
        self.save_status.emit(f"Niet opgeslagen: {message_for(exc)}")

    def _reload_then_save(self, loaded: tuple[Dossier, str]) -> None:
        stored, revision = loaded
        self.apply_external(stored, revision)
        self._dirty = True
        self.save_now()

    def _failed_reload(self, exc: BaseException) -> None:
        self.save_status.emit(f"Niet opgeslagen: {message_for(exc)}")


# --- helpers ----------------------------------------------------------------------------


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except Exception:  # noqa: BLE001 - incomparable values are different
        return False


def _copy(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_copy(deep=True)
    return copy.deepcopy(value)


def _put(parent: Any, segment: fp.Segment, value: Any) -> None:
    """Set one segment in a live (already validated) parent, in place."""
    if isinstance(segment, Item):
        items: list[Any] = parent
        index = next(
            (i for i, x in enumerate(items) if str(getattr(x, segment.key, None) if isinstance(x, BaseModel) else x.get(segment.key)) == segment.id),
            None,
        )
        if value is MISSING:
            if index is not None:
                del items[index]
        elif index is None:
            items.append(value)
        else:
            items[index] = _patched(items[index], value)
    elif isinstance(parent, BaseModel):
        parent.__dict__[segment] = _patched(parent.__dict__.get(segment), value)
        parent.__pydantic_fields_set__.add(segment)
    elif isinstance(parent, dict):
        if value is MISSING:
            parent.pop(segment, None)
        else:
            parent[segment] = _patched(parent.get(segment), value)


def _patched(live: Any, new: Any) -> Any:
    """``new``, keeping the live objects it matches (a model of the same kind, list items
    with the same id) and changing them in place: what a screen holds stays current."""
    if isinstance(live, BaseModel) and type(live) is type(new):
        for name in type(live).model_fields:
            old_value, new_value = live.__dict__.get(name), new.__dict__.get(name)
            if old_value is not new_value and old_value != new_value:
                live.__dict__[name] = _patched(old_value, new_value)
        return live
    if isinstance(live, list) and isinstance(new, list):
        by_id = {getattr(x, "id", None): x for x in live if isinstance(x, BaseModel)}
        by_id.pop(None, None)  # items without an id (contacten) are not matched: else all became one
        live[:] = [_patched(by_id.get(getattr(x, "id", None)), x) if isinstance(x, BaseModel) else x for x in new]
        return live
    return new


def _error_locations(exc: Exception) -> list[tuple[Any, ...]] | None:
    if isinstance(exc, ValidationError):
        return [tuple(e["loc"]) for e in exc.errors()]
    return None
