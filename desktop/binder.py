"""Widgets bound to dossier paths, in the spirit of ``QDataWidgetMapper``.

A page binds each input once to a :mod:`forms.paths` path of its
:class:`desktop.document.DossierDocument`; the binder writes the user's edits to the
document as undoable commands and refreshes exactly the widgets whose path lies on a
``changed(paths)`` (an undo, a redo, a colleague's change from the sync)::

    class HulpvraagPage(StepPage):
        def __init__(self, context):
            super().__init__(context)
            self.tekst = text_edit("Hulpvraag")
            self.binder.bind(self.tekst, ("hulpvraag", "tekst"), label="hulpvraag")
            # a path that follows the page's selection: a callable, read on every use
            self.binder.bind(self.doel, lambda: ("plan", "doelen", Item(self.goal_id), "omschrijving"),
                             label="doel", error=self.doel_error)

Refresh never feeds back: the widget's signals are blocked while the binder writes it,
a value already shown is not written again (the cursor stays), and the widget the user
is typing in is not rewritten with its own (normalised) value. "Ga naar" asks
:meth:`Binder.widget_for` for the widget of a gap's path.

A field a colleague changed too (the document recorded a conflict when it merged their
change with unsaved edits here) gets a note under it: "Ook gewijzigd door collega: …" with
a button to take that value (an undoable edit) and one to keep this one.

Supported: ``QLineEdit``, ``QPlainTextEdit``, ``QCheckBox`` (and radio buttons),
``QComboBox`` (item data), ``QDateEdit``, ``QSpinBox``, and any widget with
``value()``/``setValue()``/``valueChanged`` (``RadioChoice``, ``OptionalDateEdit``,
``CheckList`` in :mod:`desktop.widgets`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QDate, QEvent, QObject, Qt, SignalInstance
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from forms.paths import MISSING, Path, related

from .document import DossierDocument, ReadOnlyDossier
from .widgets import NOTICE_COLOR, ErrorLabel, error_messages

__all__ = ["TARGET_PATH", "Binder", "Binding", "PathSpec", "is_undo_key"]

PathSpec = Path | Callable[[], Path | None]

_TOO_LONG = "Deze tekst is te lang"


#: Set on a widget whose bound path is a callable that points at an ancestor while that
#: ancestor is absent (``trajectory_widgets.bind_nested``): the path the widget stands for,
#: so that "Ga naar" (:meth:`Binder.widget_for`) lands on it and not on a sibling.
TARGET_PATH = "_keukentafel_target_path"


@dataclass
class Binding:
    widget: QWidget
    spec: PathSpec
    label: str | Callable[[], str]
    error: ErrorLabel | None
    to_model: Callable[[Any], Any]
    to_widget: Callable[[Any], Any]
    live_errors: bool
    overrides: dict[str, str] | None
    on_edit: Callable[[], None] | None = None
    prepare: Callable[[Any], list[tuple[Path, Any]]] | None = None
    pending: list[str] | None = None
    note: ConflictNote | None = None

    @property
    def path(self) -> Path | None:
        return self.spec() if callable(self.spec) else self.spec

    @property
    def text(self) -> str:
        return self.label() if callable(self.label) else self.label


def _describe(value: object) -> str:
    if value is MISSING or value is None or value == "":
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    label = getattr(value, "label", None)
    text = str(label if isinstance(label, str) else getattr(value, "value", value))
    return text if len(text) <= 200 else text[:197] + "…"


class ConflictNote(QFrame):
    """Under a field: the value a colleague gave it meanwhile, and the choice."""

    def __init__(self, remote: object) -> None:
        super().__init__()
        self.setObjectName("conflictNote")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(f"Ook gewijzigd door collega: {_describe(remote)}")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setStyleSheet(f"color: {NOTICE_COLOR};")
        self.take_button = QPushButton("Waarde van collega nemen")
        self.keep_button = QPushButton("Deze houden")
        row.addWidget(self.label, 1)
        row.addWidget(self.take_button)
        row.addWidget(self.keep_button)


def is_undo_key(event: QEvent) -> bool:
    """Ctrl+Z, Ctrl+Y or Ctrl+Shift+Z: the dossier's undo and redo, not a text field's own."""
    if not isinstance(event, QKeyEvent):
        return False
    return bool(
        event.matches(QKeySequence.StandardKey.Undo)
        or event.matches(QKeySequence.StandardKey.Redo)
        or QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+Shift+Z")
    )


def _read(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QDateEdit):
        d = widget.date()
        return dt.date(d.year(), d.month(), d.day())
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    return widget.value()  # type: ignore[attr-defined]


def _write(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText("" if value is None else str(value))
    elif isinstance(widget, QAbstractButton):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(value), 0 if value is None else -1))
    elif isinstance(widget, QDateEdit):
        if value is not None:
            widget.setDate(QDate(value.year, value.month, value.day))
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(value if value is not None else widget.minimum())
    else:
        widget.setValue(value)  # type: ignore[attr-defined]


def _signal(widget: QWidget) -> SignalInstance:
    """The signal of a user's edit (programmatic writes are blocked around it)."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        return widget.textChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QDateEdit):
        return widget.dateChanged
    return widget.valueChanged  # type: ignore[attr-defined]


def _shown(widget: QWidget, value: Any) -> bool:
    current = _read(widget)
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        return str(current).strip() == ("" if value is None else str(value)).strip()
    return bool(current == value)


def _text_default(value: Any) -> Any:
    return "" if value is None or value is MISSING else value


def _identity(value: Any) -> Any:
    return None if value is MISSING else value


class Binder(QObject):
    """Binds widgets to paths of one document; see the module docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: DossierDocument | None = None
        self._bindings: list[Binding] = []
        self._by_widget: dict[QWidget, Binding] = {}
        self._source: QWidget | None = None

    # --- the document ---------------------------------------------------------------------

    def set_document(self, document: DossierDocument) -> None:
        if self.document is document:
            return
        if self.document is not None:
            self.document.changed.disconnect(self.refresh)
            self.document.conflicts_changed.disconnect(self.show_conflicts)
        self.document = document
        document.changed.connect(self.refresh)
        document.conflicts_changed.connect(self.show_conflicts)
        for binding in self._bindings:
            if binding.error is not None:
                binding.error.clear_messages()
        self.refresh(None)
        self.show_conflicts(None)

    # --- binding ----------------------------------------------------------------------------

    def bind(
        self,
        widget: QWidget,
        path: PathSpec,
        *,
        label: str | Callable[[], str],
        error: ErrorLabel | None = None,
        to_model: Callable[[Any], Any] | None = None,
        to_widget: Callable[[Any], Any] | None = None,
        empty_is_none: bool = False,
        live_errors: bool | None = None,
        overrides: dict[str, str] | None = None,
        on_edit: Callable[[], None] | None = None,
        prepare: Callable[[Any], list[tuple[Path, Any]]] | None = None,
    ) -> QWidget:
        """Bind ``widget`` to ``path`` (or a callable giving the current path).

        ``label`` names the undo step ("Ongedaan maken: <label>"). ``to_model`` /
        ``to_widget`` convert between the widget's and the model's value (default: text
        fields show ``None`` as ""; ``empty_is_none`` stores an empty text as ``None``).
        ``error`` shows the Dutch messages of a rejected value: at once for multi-line
        text (``live_errors``), for a line edit when the user leaves it. ``on_edit`` runs
        after each accepted edit of this widget. ``prepare(value)`` names edits that must
        come first, in the same undo step (make the record the path lies in; mark a life
        domain besproken when something is written in it); none: keystrokes merge as usual.
        """
        text = isinstance(widget, (QLineEdit, QPlainTextEdit))
        if to_model is None:
            to_model = (lambda v: None if not str(v).strip() else v) if empty_is_none else (lambda v: v)
        if to_widget is None:
            to_widget = _text_default if text else _identity
        if error is not None and error.field is None:
            error.field = widget
        binding = Binding(
            widget,
            path,
            label,
            error,
            to_model,
            to_widget,
            isinstance(widget, QPlainTextEdit) if live_errors is None else live_errors,
            overrides,
            on_edit,
            prepare,
        )
        self._bindings.append(binding)
        self._by_widget[widget] = binding
        _signal(widget).connect(lambda *_: self._edited(binding))
        widget.installEventFilter(self)
        widget.destroyed.connect(lambda *_: self._forget(binding))
        if self.document is not None:
            self._show(binding)
        return widget

    def unbind(self, widgets: Sequence[QWidget]) -> None:
        """Forget bindings (before a page rebuilds a dynamic part)."""
        for widget in widgets:
            binding = self._by_widget.get(widget)
            if binding is not None:
                self._forget(binding)

    def _forget(self, binding: Binding) -> None:
        if binding in self._bindings:
            self._bindings.remove(binding)
        self._by_widget.pop(binding.widget, None)

    def bindings(self) -> list[Binding]:
        return list(self._bindings)

    def widgets(self) -> list[QWidget]:
        return [b.widget for b in self._bindings]

    # --- widget -> document ------------------------------------------------------------------

    def _edited(self, binding: Binding) -> None:
        document, path = self.document, binding.path
        if document is None or path is None:
            return
        value = binding.to_model(_read(binding.widget))
        typing = isinstance(binding.widget, (QLineEdit, QPlainTextEdit, QAbstractSpinBox))
        self._source = binding.widget
        try:
            first = binding.prepare(value) if binding.prepare is not None else []
            if first:
                with document.step(binding.text):
                    for where, what in first:
                        document.set(where, what, label=binding.text)
                    document.set(path, value, label=binding.text)
            else:
                document.set(path, value, label=binding.text, typing=typing)
        except ValidationError as exc:
            binding.pending = error_messages(exc, binding.overrides)
            if binding.error is not None and (
                binding.live_errors or binding.error.showing or any(m.startswith(_TOO_LONG) for m in binding.pending)
            ):
                binding.error.show_messages(binding.pending)
            return
        except (ReadOnlyDossier, KeyError):
            self._show(binding)  # the model did not change: show what it holds
            return
        finally:
            self._source = None
        binding.pending = None
        if binding.error is not None:
            binding.error.clear_messages()
        if binding.on_edit is not None:
            binding.on_edit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.ShortcutOverride and is_undo_key(event):
            event.ignore()  # Ctrl+Z is the dossier's undo, not the text field's own
            return True
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QWidget):
            binding = self._by_widget.get(watched)
            if binding is not None:
                if self.document is not None:
                    self.document.end_typing()
                if binding.pending and binding.error is not None:
                    binding.error.show_messages(binding.pending)
                elif not binding.pending:
                    self._show(binding, force=True)  # the normalised value ("1234 AB")
        return False

    # --- document -> widgets ------------------------------------------------------------------

    def refresh(self, paths: list[Path] | None = None) -> None:
        """Show the model's value in every widget bound on one of ``paths`` (None: all)."""
        if self.document is None:
            return
        for binding in list(self._bindings):
            if binding.widget is self._source:
                continue
            path = binding.path
            if path is None:
                continue
            if paths is None or any(related(path, p) for p in paths):
                self._show(binding)

    def show_conflicts(self, paths: list[Path] | None = None) -> None:
        """Show or hide the colleague's value under each bound field on ``paths``."""
        if self.document is None:
            return
        for binding in list(self._bindings):
            path = binding.path
            if path is None or (paths is not None and not any(related(path, p) for p in paths)):
                continue
            conflict = self.document.conflicts.get(path)
            if binding.note is not None:
                binding.note.deleteLater()
                binding.note = None
            if conflict is not None:
                binding.note = self._add_note(binding, path, conflict.remote)

    def _add_note(self, binding: Binding, path: Path, remote: object) -> ConflictNote | None:
        anchor = binding.widget
        layout = anchor.parentWidget().layout() if anchor.parentWidget() is not None else None
        if not isinstance(layout, QBoxLayout) or layout.indexOf(anchor) < 0:
            return None
        note = ConflictNote(binding.to_widget(remote) if remote is not MISSING else remote)
        layout.insertWidget(layout.indexOf(anchor) + 1, note)
        note.setVisible(anchor.isVisible())
        document = self.document
        assert document is not None
        note.take_button.clicked.connect(lambda: document.take_other(path, label=binding.text))
        note.keep_button.clicked.connect(lambda: document.keep_mine(path))
        return note

    def _show(self, binding: Binding, *, force: bool = False) -> None:
        document, path = self.document, binding.path
        if document is None or path is None:
            return
        value = binding.to_widget(document.get(path))
        widget = binding.widget
        if (not force and _shown(widget, value)) or (force and _read(widget) == value):
            return
        blocked = widget.blockSignals(True)
        try:
            _write(widget, value)
        finally:
            widget.blockSignals(blocked)
        if binding.error is not None and binding.pending:
            binding.pending = None
            binding.error.clear_messages()

    # --- "Ga naar" -----------------------------------------------------------------------------

    def widget_for(self, path: Path, usable: Callable[[QWidget], bool] | None = None) -> QWidget | None:
        """The widget to focus for ``path``: bound to it exactly, else the one bound to the
        nearest place (the longest common start; the first bound among equals). Only
        widgets for which ``usable`` holds count (e.g. shown on the page)."""
        for binding in self._bindings:  # bound for ``path`` while an ancestor is absent
            if getattr(binding.widget, TARGET_PATH, None) == path and (usable is None or usable(binding.widget)):
                return binding.widget
        best: tuple[int, QWidget] | None = None
        for binding in self._bindings:
            bound = binding.path
            if bound is None or (usable is not None and not usable(binding.widget)):
                continue
            if bound == path:
                return binding.widget
            common = 0
            for a, b in zip(bound, path, strict=False):
                if a != b:
                    break
                common += 1
            if common and (best is None or common > best[0]):
                best = (common, binding.widget)
        return best[1] if best is not None else None
