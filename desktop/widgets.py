"""Small widget helpers the step pages share.

The public surface is deliberately small:

- :func:`assign` sets one model attribute with validation and returns the Dutch
  messages (empty list on success); on failure the model is left unchanged.
- :class:`ErrorLabel` is the small red inline message next to a field.
- :func:`label` and :func:`button` build a label or push button in one call;
  :func:`notice_label` is an amber label.
- :func:`labelled` puts a label, a field and its error label under each other.
- :func:`required_text` reads a line edit that must not be empty (or says so).
- :func:`form_row` adds ``label + field + error label`` to a ``QFormLayout``,
  with the label as buddy (mnemonics) and returns the error label; :func:`bound_row`
  binds the field to a dossier path too.
- :func:`make_date_edit`, :func:`to_qdate`, :func:`from_qdate`: a ``QDateEdit``
  with calendar popup and ``dd-MM-yyyy`` display, and conversions.
- :class:`OptionalDateEdit`: a date that may be empty ("datum bekend" checkbox).
- :class:`RadioChoice`: an exclusive row of radio buttons that may have no choice.
- :class:`CheckList`: a row/column of checkboxes for a list of values.
- :func:`scroll_wrap`: put a page's content in a ``QScrollArea`` (1366×768, 200 %).
- :func:`line_edit`, :func:`combo` (:func:`refill`), :func:`short_text`, :func:`tab_chain`,
  :func:`bare`: small builders.
- :func:`confirm`: a Dutch yes/no question box.

All user-visible text is Dutch; nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError
from PySide6.QtCore import QDate, QSignalBlocker, QSize, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forms import dutch_messages

if TYPE_CHECKING:  # the binder imports this module
    from .binder import Binder, PathSpec

__all__ = [
    "ERROR_COLOR",
    "NOTICE_COLOR",
    "notice_label",
    "intro_layout",
    "labelled",
    "required_text",
    "line_edit",
    "combo",
    "refill",
    "short_text",
    "tab_chain",
    "value_row",
    "bare",
    "DATE_FORMAT",
    "error_messages",
    "messages_by_field",
    "assign",
    "ErrorLabel",
    "make_form",
    "form_row",
    "bound_row",
    "with_error",
    "make_date_edit",
    "short_date_edit",
    "to_qdate",
    "from_qdate",
    "format_date",
    "OptionalDateEdit",
    "RadioChoice",
    "ReflowGrid",
    "CheckList",
    "ResponsiveRow",
    "scroll_wrap",
    "clear_layout",
    "confirm",
    "KEEP_ENABLED",
    "button",
    "label",
]

_Layout = TypeVar("_Layout", bound=QLayout)

# A widget with this dynamic property set to True stays usable in a read-only page
# (navigation such as "Ga naar", "Toon verslag").
KEEP_ENABLED = "keukentafelKeepEnabled"

ERROR_COLOR = "#b00020"
NOTICE_COLOR = "#7a4d00"  # "still to do" (amber, readable contrast on light backgrounds)
DATE_FORMAT = "dd-MM-yyyy"

_TOO_LONG = "Deze tekst is te lang"

# Friendlier texts for the generic pydantic errors dutch_messages calls "niet geldig".
_GENERIC = {
    "string_too_short": "Dit veld mag niet leeg zijn.",
    "string_pattern_mismatch": "Deze invoer heeft niet de goede vorm.",
}


def error_messages(error: ValidationError, overrides: dict[str, str] | None = None) -> list[str]:
    """``forms.dutch_messages``, with clearer texts for empty or malformed input.

    ``overrides`` maps a pydantic error type to a field-specific message, e.g.
    ``{"string_pattern_mismatch": "Vul een huisnummer in, zoals 12 of 12a."}``.
    """
    table = {**_GENERIC, **(overrides or {})}
    messages = dutch_messages(error)
    items = error.errors()
    if len(items) == len(messages):
        messages = [table.get(item["type"], msg) for item, msg in zip(items, messages, strict=True)]
    unique: list[str] = []
    for msg in messages:
        if msg not in unique:
            unique.append(msg)
    return unique


def messages_by_field(
    error: ValidationError, overrides: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """The Dutch messages grouped by the first part of each error's location
    (the field name when a whole model is validated); ``""`` for model-level errors."""
    table = {**_GENERIC, **(overrides or {})}
    items = error.errors()
    messages = dutch_messages(error)
    if len(messages) != len(items):  # pragma: no cover (dutch_messages gives one per item)
        return {"": messages}
    out: dict[str, list[str]] = {}
    for item, msg in zip(items, messages, strict=True):
        key = str(item["loc"][0]) if item["loc"] else ""
        text = table.get(item["type"], msg)
        if text not in out.setdefault(key, []):
            out[key].append(text)
    return out


def assign(
    target: Any, attr: str, value: Any, overrides: dict[str, str] | None = None
) -> list[str]:
    """Set ``target.attr = value`` with validation; return Dutch messages ([] = accepted).

    On failure the attribute keeps its old value, also for models with an "after"
    model validator (pydantic leaves those mutated when the validator fails).
    """
    old = getattr(target, attr)
    try:
        setattr(target, attr, value)
    except ValidationError as error:
        if getattr(target, attr) is not old:
            target.__dict__[attr] = old
        return error_messages(error, overrides)
    return []


class ErrorLabel(QLabel):
    """A small red message under a field; hidden while there is nothing to say."""

    def __init__(self, field: QWidget | None = None) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        self.setFont(font)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Foutmelding")
        self.field = field  # the field the message is about
        self.hide()

    def show_messages(self, messages: Sequence[str]) -> None:
        text = "\n".join(messages)
        self.setText(text)
        self.setVisible(bool(text))
        if self.field is not None:
            self.field.setAccessibleDescription(text)

    def clear_messages(self) -> None:
        self.show_messages([])

    @property
    def showing(self) -> bool:
        return bool(self.text())


def make_form(parent: QWidget | None = None) -> QFormLayout:
    """A ``QFormLayout`` whose fields use the width and whose long rows wrap (200 %)."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def button(
    text: str,
    clicked: Callable[[], object] | None = None,
    *,
    name: str = "",
    tip: str = "",
    object_name: str = "",
    keep_enabled: bool = False,
) -> QPushButton:
    """A push button in one call: ``clicked`` is called without arguments (never with the
    checked flag, which a lambda's default argument would take), ``name`` its accessible name, ``tip`` its tooltip, ``keep_enabled`` usable in a
    read-only page (:data:`KEEP_ENABLED`)."""
    widget = QPushButton(text)
    if isinstance(clicked, SignalInstance):  # a signal is relayed (its emit() is the slot)
        widget.clicked.connect(clicked.emit)
    elif clicked is not None:
        widget.clicked.connect(lambda: clicked())
    _describe(widget, name, tip, object_name)
    if keep_enabled:
        widget.setProperty(KEEP_ENABLED, True)
    return widget


def label(
    text: str = "",
    *,
    name: str = "",
    object_name: str = "",
    wrap: bool = True,
    tip: str = "",
    hidden: bool = False,
    style: str = "",
    bold: bool = False,
) -> QLabel:
    """A label in one call, word-wrapped unless ``wrap`` is False; ``object_name`` picks
    its style in the stylesheet ("hint", "heading", "subheading" …), ``style`` sets its
    own stylesheet (a colour), ``bold`` its font."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    _describe(widget, name, tip, object_name)
    if style:
        widget.setStyleSheet(style)
    if bold:
        font = widget.font()
        font.setBold(True)
        widget.setFont(font)
    if hidden:
        widget.hide()  # never setHidden(False): that would show a label without a parent as a window
    return widget


def _describe(widget: QWidget, name: str, tip: str, object_name: str) -> None:
    if name:
        widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    if object_name:
        widget.setObjectName(object_name)


def value_row(form: QFormLayout, caption: str, name: str, text: str = "") -> QLabel:
    """A row of ``form``: ``caption``, then a selectable value (returned) named ``name``."""
    value = label(text, name=name)
    value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    form.addRow(caption, value)
    return value


def notice_label(text: str = "", *, name: str = "", hidden: bool = False) -> QLabel:
    """A word-wrapped amber label for what is still open ("Nog niet gevraagd")."""
    return label(text, style=f"color: {NOTICE_COLOR};", name=name, hidden=hidden)


def intro_layout(parent: QWidget, intro: str) -> QVBoxLayout:
    """``parent``'s column, starting with a word-wrapped introduction (a page's content)."""
    layout = QVBoxLayout(parent)
    layout.addWidget(label(intro))
    return layout


def labelled(layout: QBoxLayout, caption: str | QLabel, field: QWidget, stretch: int = 0) -> ErrorLabel:
    """Add ``caption`` (text with a ``&`` mnemonic: word-wrapped), its buddy ``field`` and an
    error label for it to ``layout``, one under the other; returns the error label."""
    if isinstance(caption, str):
        caption = label(caption)
    caption.setBuddy(field)
    error = ErrorLabel(field)
    layout.addWidget(caption)
    layout.addWidget(field, stretch)
    layout.addWidget(error)
    return error


def required_text(edit: QLineEdit, error: ErrorLabel, message: str) -> str:
    """The stripped text of ``edit``; when empty, ``message`` under it and the focus in it."""
    text = edit.text().strip()
    if text:
        error.clear_messages()
    else:
        error.show_messages([message])
        edit.setFocus()
    return text


def line_edit(placeholder: str = "", name: str = "") -> QLineEdit:
    """A line edit with a placeholder (an example, a question) and an accessible name."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    if name:
        edit.setAccessibleName(name)
    return edit


def combo(name: str, options: Iterable[tuple[Any, str]] = (), min_length: int = 16) -> QComboBox:
    """A choice of ``(data, text)`` options whose width does not follow its longest option
    (a long one would push the page wider than the window at 200 %)."""
    box = QComboBox()
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(min_length)
    for data, text in options:
        box.addItem(text, data)
    return box


def refill(box: QComboBox, options: Iterable[tuple[Any, str]]) -> None:
    """Replace the ``(data, text)`` options of ``box`` without a change signal (a bound
    choice then shows its value again on the binder's refresh)."""
    with QSignalBlocker(box):
        box.clear()
        for data, text in options:
            box.addItem(text, data)


def short_text(rows: int = 3, spare: int = 3) -> QPlainTextEdit:
    """A multi-line field that Tab leaves (the wijkcoach never needs a tab character),
    ``rows`` lines high; it grows by ``spare`` lines at most, never filling the page."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    line = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(line * rows + 14)
    edit.setMaximumHeight(line * (rows + spare) + 14)
    return edit


def bare(layout: _Layout) -> _Layout:
    """``layout`` without margins (a part inside a box or row that has its own)."""
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


def tab_chain(*widgets: QWidget) -> None:
    """Tab goes from each widget to the next, in this order."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def form_row(
    form: QFormLayout,
    text: str,
    field: QWidget,
    *,
    accessible_name: str | None = None,
    buddy: QWidget | None = None,
) -> ErrorLabel:
    """Add ``text`` (with a ``&`` mnemonic) as the buddy label of ``field`` plus an error label.

    ``buddy`` is the control inside ``field`` that gets the focus and the accessible
    name when ``field`` is a container (default: ``field`` itself). The accessible
    name defaults to the label text without ``&`` and ``:``.
    """
    target = buddy or field
    label = QLabel(text)
    label.setBuddy(target)
    if not target.accessibleName():
        target.setAccessibleName(accessible_name or text.replace("&", "").rstrip(": "))
    box, error = with_error(field, target=target)
    form.addRow(label, box)
    return error


def bound_row(
    binder: Binder,
    form: QFormLayout,
    text: str,
    field: QWidget,
    path: PathSpec,
    *,
    accessible_name: str | None = None,
    **bind: Any,
) -> ErrorLabel:
    """:func:`form_row`, with ``field`` bound to ``path`` and its error label (``bind``: the
    binder's options: ``label``, ``on_edit``, …); returns the error label."""
    error = form_row(form, text, field, accessible_name=accessible_name)
    binder.bind(field, path, error=error, **bind)
    return error


def with_error(
    field: QWidget, *below: QWidget, target: QWidget | None = None
) -> tuple[QWidget, ErrorLabel]:
    """``field``, then ``below`` (e.g. a hint), then an error label, in one box.

    The error label's ``field`` is ``target`` (default: ``field``), the widget its
    messages are about.
    """
    error = ErrorLabel(target or field)
    box = QWidget()
    column = bare(QVBoxLayout(box))
    column.setSpacing(2)
    for widget in (field, *below, error):
        column.addWidget(widget)
    return box, error


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


def make_date_edit(value: dt.date | None = None, accessible_name: str = "") -> QDateEdit:
    """A ``QDateEdit`` with a calendar popup, ``dd-MM-yyyy`` display, 1900–2100."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setDateRange(QDate(1900, 1, 1), QDate(2100, 12, 31))
    edit.setDate(to_qdate(value or dt.date.today()))
    if accessible_name:
        edit.setAccessibleName(accessible_name)
    return edit


def short_date_edit(value: dt.date | None = None, accessible_name: str = "") -> QDateEdit:
    """:func:`make_date_edit` no wider than a date needs."""
    edit = make_date_edit(value, accessible_name)
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00-00-00000") + 60)
    return edit


class OptionalDateEdit(QWidget):
    """A date that may be unknown: a "datum bekend" checkbox and a date field.

    ``value()`` is ``None`` while the box is unticked; ``valueChanged`` carries a
    ``datetime.date`` or ``None``. Focus goes to the date when known, else to the box.
    """

    valueChanged = Signal(object)

    def __init__(
        self,
        value: dt.date | None = None,
        accessible_name: str = "Datum",
        check_text: str = "datum bekend",
        default: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.check.setAccessibleName(f"{accessible_name}: {check_text}")
        self.check.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # never cut off
        self.edit = make_date_edit(value or default, accessible_name)
        row = bare(QHBoxLayout(self))
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)
        self.setAccessibleName(accessible_name)
        self.setValue(value)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(self._date_changed)
        QWidget.setTabOrder(self.check, self.edit)

    def value(self) -> dt.date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def setValue(self, value: dt.date | None) -> None:
        for w in (self.check, self.edit):
            w.blockSignals(True)
        try:
            self.check.setChecked(value is not None)
            if value is not None:
                self.edit.setDate(to_qdate(value))
            self.edit.setEnabled(value is not None)
        finally:
            for w in (self.check, self.edit):
                w.blockSignals(False)
        self._update_proxy()

    def _update_proxy(self) -> None:
        self.setFocusProxy(self.edit if self.check.isChecked() else self.check)

    def _toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self._update_proxy()
        self.valueChanged.emit(self.value())

    def _date_changed(self, _: QDate) -> None:
        if self.check.isChecked():
            self.valueChanged.emit(self.value())


# --- choices ----------------------------------------------------------------------


class RadioChoice(QWidget):
    """Exclusive radio buttons for ``(value, label)`` options; no choice is allowed.

    ``valueChanged`` carries the chosen value (only on user choices and
    :meth:`setValue` with ``emit=True``). Each button's accessible name is
    ``"<question>: <label>"``.
    """

    valueChanged = Signal(object)

    def __init__(
        self,
        options: Iterable[tuple[Any, str]],
        question: str,
        value: Any = None,
        *,
        vertical: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[Any, QRadioButton] = {}
        self._values: dict[int, Any] = {}
        layout: QBoxLayout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, (option, label) in enumerate(options):
            button = QRadioButton(label)
            button.setAccessibleName(f"{question}: {label.replace('&', '')}")
            self.group.addButton(button, index)
            self._values[index] = option
            self.buttons[option] = button
            layout.addWidget(button)
        if not vertical:
            layout.addStretch(1)
        self._box = layout
        self._wraps = not vertical  # side by side while they fit, else one under the other
        self.setAccessibleName(question)
        self.setValue(value)
        self.group.idClicked.connect(self._clicked)
        first = next(iter(self.buttons.values()), None)
        if first is not None:
            self.setFocusProxy(first)

    def _row_width(self) -> int:
        spacing = max(self._box.spacing(), 0)
        return sum(b.sizeHint().width() + spacing for b in self.buttons.values())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().minimumSizeHint()
        if self._wraps and self.buttons:  # one under the other needs only the widest option
            hint.setWidth(max(b.sizeHint().width() for b in self.buttons.values()))
        return hint

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        if self._wraps:
            direction = (
                QBoxLayout.Direction.LeftToRight
                if event.size().width() >= self._row_width()
                else QBoxLayout.Direction.TopToBottom
            )
            if self._box.direction() != direction:
                self._box.setDirection(direction)
                self._box.invalidate()
                # the parent layout makes room for the taller (or shorter) stack
                self.setMinimumHeight(self._box.totalMinimumSize().height())
                self.updateGeometry()
        super().resizeEvent(event)

    def value(self) -> Any:
        checked = self.group.checkedId()
        return self._values.get(checked) if checked >= 0 else None

    def setValue(self, value: Any, emit: bool = False) -> None:
        if value is None or value not in self.buttons:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[value].setChecked(True)
        if emit:
            self.valueChanged.emit(self.value())

    def focus_button(self) -> QAbstractButton | None:
        """The button focus should go to: the chosen one, else the first."""
        value = self.value()
        if value is not None:
            return self.buttons[value]
        return next(iter(self.buttons.values()), None)

    def setFocus(self, *args: Any) -> None:  # noqa: N802 (Qt name)
        button = self.focus_button()
        if button is not None:
            button.setFocus(*args)
        else:
            super().setFocus(*args)

    def _clicked(self, index: int) -> None:
        self.valueChanged.emit(self._values[index])


class ReflowGrid(QWidget):
    """Widgets in as many equal columns as fit (at most ``max_columns``), re-flowed on
    resize; its minimum width is one column, so it never forces a horizontal scroll bar."""

    def __init__(self, max_columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QGridLayout

        self.max_columns = max(1, max_columns)
        self.grid = bare(QGridLayout(self))
        self.items: list[QWidget] = []
        self._columns = 1

    def add(self, widget: QWidget) -> None:
        self.items.append(widget)
        self._place()

    def clear(self) -> None:
        for widget in self.items:
            self.grid.removeWidget(widget)
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        self.items = []

    def columns(self) -> int:
        return self._columns

    def _fit(self, width: int) -> int:
        if not self.items:
            return 1
        spacing = max(self.grid.horizontalSpacing(), 0)
        column = max(w.sizeHint().width() for w in self.items) + spacing
        return max(1, min(self.max_columns, (width + spacing) // max(column, 1)))

    def _place(self) -> None:
        for widget in self.items:
            self.grid.removeWidget(widget)
        for index, widget in enumerate(self.items):
            self.grid.addWidget(widget, index // self._columns, index % self._columns)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().minimumSizeHint()
        if self.items:
            hint.setWidth(max(w.minimumSizeHint().width() for w in self.items))
        return hint

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        columns = self._fit(event.size().width())
        if columns != self._columns:
            self._columns = columns
            self._place()
        super().resizeEvent(event)


class CheckList(ReflowGrid):
    """Checkboxes for ``(value, label)`` options; ``value()`` is the checked values in order.

    ``columns`` is the most columns used when there is room. Values in ``setValue``
    that are not among the options are kept (shown as an extra, checked box) so
    nothing recorded under an older definition is lost.
    """

    valueChanged = Signal(list)

    def __init__(
        self,
        options: Iterable[tuple[Any, str]],
        question: str,
        value: Iterable[Any] = (),
        *,
        columns: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(columns, parent)
        self.question = question
        self.boxes: dict[Any, QCheckBox] = {}
        for option, label in options:
            self._add(option, label)
        self.setAccessibleName(question)
        self.setValue(value)

    def _add(self, option: Any, label: str) -> QCheckBox:
        box = QCheckBox(label)
        box.setAccessibleName(f"{self.question}: {label.replace('&', '')}")
        self.boxes[option] = box
        self.add(box)
        box.toggled.connect(self._toggled)
        if len(self.boxes) == 1:
            self.setFocusProxy(box)
        return box

    def value(self) -> list[Any]:
        return [option for option, box in self.boxes.items() if box.isChecked()]

    def setValue(self, values: Iterable[Any]) -> None:
        wanted = list(values)
        for option in wanted:
            if option not in self.boxes:
                self._add(option, str(option))
        for option, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(option in wanted)
            box.blockSignals(False)

    def _toggled(self, _: bool) -> None:
        self.valueChanged.emit(self.value())


# --- layout --------------------------------------------------------------------------


class ResponsiveRow(QWidget):
    """Children side by side when there is room, stacked when narrow (200 % on 1366×768).

    Stacks below ``breakpoint_chars`` average characters of width, or when the children
    do not fit side by side. Its minimum width is that of the widest child, so a page
    in a scroll area never needs a horizontal scroll bar because of it.
    """

    def __init__(self, breakpoint_chars: int = 100, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.breakpoint_chars = breakpoint_chars
        self.box = bare(QBoxLayout(QBoxLayout.Direction.LeftToRight, self))
        self._stretches: dict[QWidget, int] = {}

    def addWidget(self, widget: QWidget, stretch: int = 0) -> None:  # noqa: N802 (Qt name)
        self._stretches[widget] = stretch
        self.box.addWidget(widget, stretch)

    def _side_by_side_width(self) -> int:
        widths = [w.minimumSizeHint().width() for w in self._stretches if not w.isHidden()]
        return sum(widths) + self.box.spacing() * max(0, len(widths) - 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().minimumSizeHint()
        widths = [w.minimumSizeHint().width() for w in self._stretches if not w.isHidden()]
        if widths:
            hint.setWidth(max(widths))
        return hint

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        width = event.size().width()
        need = max(
            self.fontMetrics().averageCharWidth() * self.breakpoint_chars,
            self._side_by_side_width(),
        )
        direction = (
            QBoxLayout.Direction.TopToBottom if width < need else QBoxLayout.Direction.LeftToRight
        )
        if direction != self.box.direction():
            self.box.setDirection(direction)
            # stacked, the stretch factors would share out height: let each take its own
            for widget, stretch in self._stretches.items():
                self.box.setStretchFactor(widget, 0 if direction == QBoxLayout.Direction.TopToBottom else stretch)
        super().resizeEvent(event)


def scroll_wrap(inner: QWidget) -> QScrollArea:
    """``inner`` in a frameless, resizable scroll area (pages must fit 1366×768 at 200 %)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every item of ``layout`` (widgets and nested layouts)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())
            item.layout().deleteLater()


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Verwijderen") -> bool:
    """Ask a Dutch yes/no question; ``True`` when the user chose ``yes``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is yes_button


def busy_bar() -> QProgressBar:
    """A thin indeterminate progress bar ("Bezig") for a dialog waiting on a job."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(10)
    bar.setAccessibleName("Bezig")
    return bar
