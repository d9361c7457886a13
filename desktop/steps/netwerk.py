"""Step 4, "Netwerk en toestemming": the sociaal netwerk, the netwerkpartners, and per
person or partner the family's explicit, dated consent to contact and to share (T3, AVG)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal
from uuid import UUID

from pydantic import ValidationError
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forms import Consent, Dossier, NetworkPerson, Partner
from forms.paths import Item, Path

from ..widgets import (
    NOTICE_COLOR,
    CheckList,
    ErrorLabel,
    RadioChoice,
    ResponsiveRow,
    bare,
    button,
    confirm,
    error_messages,
    form_row,
    format_date,
    intro_layout,
    line_edit,
    make_date_edit,
    make_form,
    notice_label,
    required_text,
)
from .base import StepContext, StepPage, structural

__all__ = ["NetwerkPage", "ConsentEditor", "consent_text", "NOG_NIET_GEVRAAGD"]

NOG_NIET_GEVRAAGD = "Nog niet gevraagd"
_OPEN = "open"  # radio value: not asked yet
_ANSWERS = [(True, "Ja"), (False, "Nee"), (_OPEN, NOG_NIET_GEVRAAGD)]

Party = NetworkPerson | Partner


def consent_text(consent: Consent | None, *, short: bool = False) -> str:
    """'Nog niet gevraagd', or e.g. 'contact: ja, delen: nee (25-11-2026)';
    ``short``: 'contact ja, delen nee'."""
    if consent is None:
        return NOG_NIET_GEVRAAGD
    yes_no = {True: "ja", False: "nee"}
    contact, delen = yes_no[consent.contact_toegestaan], yes_no[consent.delen_toegestaan]
    if short:
        return f"contact {contact}, delen {delen}"
    return f"contact: {contact}, delen: {delen} ({format_date(consent.datum)})"


class ConsentEditor(QGroupBox):
    """The family's consent for the person or partner selected in ``panel``.

    Nothing is stored until both questions are answered ja/nee: the first answer waits in
    the radio (``_pending``); the second makes a :class:`forms.Consent` dated
    ``context.today``, in the same undo step. "Nog niet gevraagd" again removes the
    consent from the model (Ctrl+Z brings it back). Every input is bound to the party's
    ``toestemming`` path; the two questions to the whole consent while not answered.
    """

    def __init__(self, panel: _PartyPanel) -> None:
        super().__init__("Toestemming van het gezin")
        self.panel = panel
        page = panel.page
        self._pending: dict[str, Any] = {}  # an answer given before the other one
        self.setAccessibleName("Toestemming van het gezin")
        self.state = notice_label(name="Stand van de toestemming")
        self.contact = RadioChoice(_ANSWERS, "Mogen wij contact opnemen?")
        self.delen = RadioChoice(_ANSWERS, "Mogen wij informatie delen?")
        self.reikwijdte = line_edit("bijv. verzuim en gedrag op school")
        self.datum = make_date_edit(page.context.today, "Datum van de toestemming")
        self.datum.setMaximumWidth(200)
        self.gegeven_door = CheckList([], "Gegeven door", columns=2)
        form = make_form(self)
        form.addRow(self.state)
        self.errors: dict[str, ErrorLabel] = {}
        self.errors["contact"] = form_row(form, "Mogen wij &contact opnemen?", self.contact)
        self.errors["delen"] = form_row(form, "Mogen wij informatie &delen?", self.delen)
        self.errors["reikwijdte"] = form_row(form, "&Wat mag gedeeld worden?", self.reikwijdte)
        self.errors["datum"] = form_row(form, "D&atum:", self.datum)
        self.errors["gegeven_door"] = form_row(form, "&Gegeven door:", self.gegeven_door)
        # labels focus the first radio button of each question
        for choice in (self.contact, self.delen):
            label = form.labelForField(choice.parentWidget())
            if isinstance(label, QLabel):
                label.setBuddy(choice.focus_button())
        bind = page.binder.bind
        for name, choice, key in (("contact_toegestaan", self.contact, "contact"),
                                  ("delen_toegestaan", self.delen, "delen")):
            bind(choice, self._answer_path(name, choice), label=self._label, error=self.errors[key],
                 to_model=partial(self._answered, name), to_widget=partial(self._shown_answer, name),
                 prepare=self._made, on_edit=self._edited)
            choice.valueChanged.connect(lambda _: self._update())  # "Beantwoord beide vragen"
        bind(self.reikwijdte, self._path("reikwijdte"), label=self._label, error=self.errors["reikwijdte"],
             on_edit=page.changed.emit)
        bind(self.datum, self._path("datum"), label=self._label, error=self.errors["datum"], live_errors=True,
             to_widget=lambda v: v if isinstance(v, dt.date) else page.context.today, on_edit=page.changed.emit)
        self._bind_gegeven_door()

    # --- paths ----------------------------------------------------------------------------

    @property
    def consent(self) -> Consent | None:
        party = self.panel.party
        return party.toestemming if party is not None else None

    def _path(self, *rest: str) -> Callable[[], Path | None]:
        def path() -> Path | None:
            party = self.panel.path()
            return (*party, "toestemming", *rest) if party is not None else None

        return path

    def _answer_path(self, name: str, choice: RadioChoice) -> Callable[[], Path | None]:
        """"Nog niet gevraagd": the whole consent (None); an answer: its field."""
        whole, field = self._path(), self._path(name)
        return lambda: whole() if choice.value() in (_OPEN, None) else field()

    def _answered(self, name: str, value: Any) -> Any:
        self._pending[name] = value
        if value == _OPEN and self.consent is not None:  # back to "not asked": the other answer stays
            other = "delen_toegestaan" if name == "contact_toegestaan" else "contact_toegestaan"
            self._pending[other] = getattr(self.consent, other)
        return None if value == _OPEN else value

    def _shown_answer(self, name: str, value: Any) -> Any:
        if isinstance(value, Consent):
            return getattr(value, name)
        return value if isinstance(value, bool) else self._pending.get(name, _OPEN)

    def _made(self, value: Any) -> list[tuple[Path, Any]]:
        """The second answer: the consent made first, in the same step."""
        where = self._path()()
        answers = [self._pending.get(n) for n in ("contact_toegestaan", "delen_toegestaan")]
        if self.consent is not None or where is None or not all(isinstance(a, bool) for a in answers):
            return []  # one answer only: it waits in the radio (the document refuses the field)
        self._pending.clear()
        today = min(self.panel.page.context.today, dt.date.today())
        return [(where, Consent(contact_toegestaan=answers[0], delen_toegestaan=answers[1], datum=today))]

    def _label(self) -> str:
        party = self.panel.party
        return f"toestemming van {getattr(party, self.panel.kind.name_field)}" if party else "toestemming"

    # --- model -> widgets -------------------------------------------------------------

    def _bind_gegeven_door(self) -> None:
        """The adults who can give consent, plus anyone recorded who is no longer one."""
        consent, page = self.consent, self.panel.page
        page.binder.unbind([self.gegeven_door])
        self.gegeven_door.setParent(None)
        self.gegeven_door.deleteLater()
        adults = page.adult_options()
        known = dict(adults)
        extra = [i for i in (consent.gegeven_door if consent else []) if i not in known]
        self.gegeven_door = CheckList(
            [*adults, *((i, "(niet meer in het huishouden)") for i in extra)], "Gegeven door", columns=2
        )
        self.errors["gegeven_door"].parentWidget().layout().insertWidget(0, self.gegeven_door)
        self.errors["gegeven_door"].field = self.gegeven_door
        page.binder.bind(self.gegeven_door, self._path("gegeven_door"), label=self._label,
                         error=self.errors["gegeven_door"], to_widget=lambda v: v if isinstance(v, list) else [],
                         on_edit=self._edited)

    def party_selected(self) -> None:
        self._pending.clear()
        for choice in (self.contact, self.delen):  # an answer given for the previous one
            with QSignalBlocker(choice):
                choice.setValue(_OPEN)
        self._bind_gegeven_door()
        for error in self.errors.values():
            error.clear_messages()
        self.setEnabled(self.panel.party is not None)
        self._update()

    def _edited(self) -> None:
        self._update()
        self.panel.page.changed.emit()

    def _update(self) -> None:
        consent = self.consent
        for widget in (self.reikwijdte, self.datum, self.gegeven_door):
            widget.setEnabled(consent is not None)
        if self.panel.party is None:
            self.state.setText("")
        elif consent is None:
            answered = any(c.value() not in (_OPEN, None) for c in (self.contact, self.delen))
            self.state.setText(
                f"{NOG_NIET_GEVRAAGD}. Beantwoord beide vragen om de toestemming vast te leggen."
                if answered
                else f"{NOG_NIET_GEVRAAGD}."
            )
        elif not consent.gegeven_door:
            self.state.setText("Vink aan wie de toestemming heeft gegeven.")
        else:
            self.state.setText("")
        self.state.setVisible(bool(self.state.text()))
        self.panel.page.relock()


@dataclass(frozen=True)
class _Kind:
    """What differs between the two lists."""

    attr: Literal["netwerk", "partners"]
    tab: str
    model: type
    name_field: str
    fields: tuple[tuple[str, str], ...]  # (model field, label with mnemonic), name first
    columns: tuple[str, str]  # table headers besides "Toestemming"
    add_placeholder: str
    intro: str


NETWERK = _Kind(
    attr="netwerk",
    tab="&Sociaal netwerk",
    model=NetworkPerson,
    name_field="naam",
    fields=(("naam", "&Naam:"), ("relatie", "&Relatie:"), ("telefoon", "&Telefoon:")),
    columns=("Naam", "Relatie"),
    add_placeholder="Naam, bijv. Oma Bakker",
    intro="Familie, vrienden, buren: wie staan om het gezin heen?",
)
PARTNERS = _Kind(
    attr="partners",
    tab="Netwerk&partners",
    model=Partner,
    name_field="organisatie",
    fields=(
        ("organisatie", "&Organisatie:"),
        ("rol", "&Rol:"),
        ("contactpersoon", "&Contactpersoon:"),
        ("telefoon", "&Telefoon:"),
        ("email", "&E-mail:"),
    ),
    columns=("Organisatie", "Rol"),
    add_placeholder="Organisatie, bijv. huisarts of school",
    intro="School, huisarts, GGZ, woningcorporatie, schuldhulpverlening: wie zijn er betrokken?",
)


class _PartyPanel(QWidget):
    """One list (sociaal netwerk or partners): table, add and remove, and the details."""

    def __init__(self, page: NetwerkPage, kind: _Kind) -> None:
        super().__init__()
        self.page = page
        self.kind = kind
        self.party: Party | None = None

        # left: add, table, remove
        left_widget = QWidget()
        left = bare(intro_layout(left_widget, kind.intro))
        add_row = QHBoxLayout()
        self.new_name = line_edit(kind.add_placeholder, f"{kind.columns[0]} van de nieuwe regel")
        self.add_button = button("T&oevoegen", self.add, name=f"{kind.tab.replace('&', '')}: toevoegen")
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        left.addLayout(add_row)
        self.add_error = ErrorLabel(self.new_name)
        left.addWidget(self.add_error)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([*kind.columns, "Toestemming"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName(kind.tab.replace("&", ""))
        self.table.setMinimumHeight(140)
        left.addWidget(self.table, 1)
        self.remove_button = button("&Verwijderen…", self.remove_selected,
                                    name=f"{kind.tab.replace('&', '')}: verwijderen")
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_button)
        remove_row.addStretch(1)
        left.addLayout(remove_row)
        self.empty = notice_label()
        left.addWidget(self.empty)

        # right: details
        self.detail = QWidget()
        detail_column = bare(QVBoxLayout(self.detail))
        fields_box = QGroupBox("Gegevens")
        form = make_form(fields_box)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        for field, label in kind.fields:
            self.edits[field] = QLineEdit()
            self.errors[field] = form_row(form, label, self.edits[field])
            page.binder.bind(self.edits[field], self._path(field), label=self._label(field), error=self.errors[field],
                             on_edit=page.changed.emit)
        self.edits["email"].setPlaceholderText("naam@organisatie.nl") if "email" in self.edits else None
        self.domeinen = CheckList([], "Leefgebieden", columns=2)
        self.errors["domeinen"] = form_row(form, "&Leefgebieden:", self.domeinen)
        self.consent = ConsentEditor(self)
        detail_column.addWidget(fields_box)
        detail_column.addWidget(self.consent)
        detail_column.addStretch(1)

        row = ResponsiveRow(110)
        row.addWidget(left_widget, 2)
        row.addWidget(self.detail, 3)
        outer = QVBoxLayout(self)
        outer.addWidget(row)

        self.new_name.returnPressed.connect(self.add)
        self.table.currentCellChanged.connect(self._row_changed)
        self.new_name.textChanged.connect(lambda _: self.add_error.clear_messages())

    # --- model -> widgets -------------------------------------------------------------

    @property
    def parties(self) -> list[Party]:
        assert self.page.dossier is not None
        return getattr(self.page.dossier, self.kind.attr)

    def path(self) -> Path | None:
        return (self.kind.attr, Item(str(self.party.id))) if self.party is not None else None

    def _path(self, field: str) -> Callable[[], Path | None]:
        return lambda: (*where, field) if (where := self.path()) is not None else None

    def _label(self, field: str) -> Callable[[], str]:
        return lambda: f"{field} van {getattr(self.party, self.kind.name_field)}" if self.party else field

    def fill(self, select: UUID | None = None) -> None:
        parties = self.parties
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(parties))
            for row, party in enumerate(parties):
                self.fill_row(row, party)
        self.table.resizeRowsToContents()
        if not parties:
            self.empty.setText("Nog niemand vastgelegd. Typ een naam en kies Toevoegen.")
            self.empty.show()
            self._set_party(None)
            return
        self.empty.hide()
        index = next((i for i, p in enumerate(parties) if p.id == select), 0)
        self.table.setCurrentCell(index, 0)
        self._set_party(parties[index])

    def fill_row(self, row: int, party: Party) -> None:
        values = [getattr(party, f) for f, _ in self.kind.fields[:2]]
        texts = [*values, consent_text(party.toestemming, short=True)]
        for col, text in enumerate(texts):
            item = self.table.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, col, item)
            item.setText(text)
            item.setToolTip(consent_text(party.toestemming) if col == 2 else text)
            if col == 2:
                open_ = party.toestemming is None
                item.setForeground(QBrush(QColor(NOTICE_COLOR)) if open_ else QBrush())
                font = item.font()
                font.setBold(open_)
                item.setFont(font)

    def row_of(self, party_id: UUID) -> int | None:
        return next((i for i, p in enumerate(self.parties) if p.id == party_id), None)

    def _set_party(self, party: Party | None) -> None:
        self.party = party
        self.consent.party_selected()
        self.page.binder.refresh([(self.kind.attr,)])  # the fields follow the selection
        self.detail.setEnabled(party is not None)
        self.remove_button.setEnabled(party is not None)
        self.page.relock()

    def _row_changed(self, row: int, *_: int) -> None:
        parties = self.parties
        self._set_party(parties[row] if 0 <= row < len(parties) else None)

    def set_domains(self, options: list[tuple[str, str]]) -> None:
        """The leefgebieden of the dossier's set (rebuilt when the set differs)."""
        if list(self.domeinen.boxes) == [o for o, _ in options]:
            return
        old, self.domeinen = self.domeinen, CheckList(options, "Leefgebieden", columns=2)
        self.page.binder.unbind([old])
        old.parentWidget().layout().replaceWidget(old, self.domeinen)
        old.setParent(None)
        old.deleteLater()
        self.errors["domeinen"].field = self.domeinen
        form_label = self.domeinen.parentWidget().parentWidget().layout().labelForField(self.domeinen.parentWidget())
        if isinstance(form_label, QLabel):
            form_label.setBuddy(self.domeinen)
        self.page.binder.bind(self.domeinen, self._path("domeinen"), label=self._label("leefgebieden"),
                              error=self.errors["domeinen"], to_widget=lambda v: v if isinstance(v, list) else [],
                              on_edit=self.page.changed.emit)

    # --- edits ----------------------------------------------------------------------------

    def add(self) -> Party | None:
        if self.page.dossier is None or self.page.read_only:
            return None
        name = required_text(self.new_name, self.add_error, f"Vul eerst de {self.kind.columns[0].lower()} in.")
        if not name:
            return None
        try:
            party = self.kind.model(**{self.kind.name_field: name})
            self.page.edit((self.kind.attr, Item(str(party.id))), party, f"{name} toevoegen")
        except ValidationError as error:  # too long
            self.add_error.show_messages(error_messages(error))
            return None
        self.new_name.clear()
        self.fill(select=party.id)
        # go on with the next detail (relatie / rol)
        self.edits[self.kind.fields[1][0]].setFocus()
        return party

    def remove_selected(self) -> bool:
        dossier, party = self.page.dossier, self.party
        if dossier is None or party is None or self.page.read_only:
            return False
        label = getattr(party, self.kind.name_field)
        text = f"Wilt u {label} verwijderen?"
        if party.toestemming is not None:
            text += "\n\nDe vastgelegde toestemming verdwijnt dan ook."
        r = dossier.plan.regisseur
        if r is not None and r.ref == party.id:
            text += (
                f"\n\nLet op: {label} is de regisseur van het plan. Kies daarna in de stap Plan "
                "een nieuwe regisseur."
            )
        if not self.page.confirm(f"{self.kind.tab.replace('&', '')}: verwijderen", text):
            return False
        row = self.row_of(party.id) or 0
        # the whole list: an undo puts the party back in its place (an item path would append it)
        self.page.edit((self.kind.attr,), [p for p in self.parties if p.id != party.id], f"{label} verwijderen")
        rest = self.parties
        self.fill(select=rest[min(row, len(rest) - 1)].id if rest else None)
        (self.table if rest else self.new_name).setFocus()
        return True

    def select(self, party_id: UUID) -> None:
        row = self.row_of(party_id)
        if row is not None:
            self.table.setCurrentCell(row, 0)


class NetwerkPage(StepPage):
    """The sociaal netwerk and the netwerkpartners, each with the family's consent (T3)."""

    step_id = "netwerk"

    @classmethod
    def open_points(cls, dossier: Dossier) -> int:
        """A person or partner whose consent is "nog niet gevraagd"."""
        return sum(1 for p in [*dossier.netwerk, *dossier.partners] if p.toestemming is None)

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.confirm = lambda title, text: confirm(self, title, text)  # tests replace this
        column = intro_layout(
            self.content,
            "Leg vast wie er om het gezin heen staan en welke organisaties betrokken zijn. "
            "Vraag per persoon en per organisatie of u contact mag opnemen en informatie mag delen.",
        )
        self.open_notice = notice_label(name="Toestemming nog niet gevraagd")
        column.addWidget(self.open_notice)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Netwerk en partners")
        self.netwerk = _PartyPanel(self, NETWERK)
        self.partners = _PartyPanel(self, PARTNERS)
        self.tabs.addTab(self.netwerk, NETWERK.tab)
        self.tabs.addTab(self.partners, PARTNERS.tab)
        column.addWidget(self.tabs, 1)

    # --- what the panels read ------------------------------------------------------------

    def domain_options(self) -> list[tuple[str, str]]:
        definitions = self.context.definitions
        if definitions is None:
            return []
        ref = self.dossier.leefgebieden_set if self.dossier is not None else None
        try:
            domain_set = definitions.domain_set(ref)
        except Exception:  # an unknown set version: fall back to the current set
            domain_set = definitions.domain_set()
        return [(d.id, d.naam) for d in domain_set.domeinen]

    def adult_options(self) -> list[tuple[UUID, str]]:
        if self.dossier is None:
            return []
        return [(m.id, m.naam) for m in self.dossier.adults()]

    # --- building -----------------------------------------------------------------------

    def rebuild(self) -> None:
        options = self.domain_options()
        for panel in (self.netwerk, self.partners):
            panel.set_domains(options)
            panel.fill(select=panel.party.id if panel.party is not None else None)
        self._update_summary()

    def on_changed(self, paths: list[Path]) -> None:
        """A party added or removed, a member, the domain set: rebuild; an edit within a
        party (the binder shows it): its row, the summary and the consent's state."""
        if structural([p for p in paths if p[:1] not in (("netwerk",), ("partners",)) or len(p) <= 2]):
            super().on_changed(paths)
            return
        if self.dossier is None:
            return
        for panel in (self.netwerk, self.partners):
            for row, party in enumerate(panel.parties):
                panel.fill_row(row, party)
            panel.consent._update()
        self._update_summary()

    def _update_summary(self) -> None:
        if self.dossier is None:
            return
        names = [p.naam for p in self.dossier.netwerk if p.toestemming is None] + [
            p.organisatie for p in self.dossier.partners if p.toestemming is None
        ]
        self.open_notice.setText(
            f"Toestemming {NOG_NIET_GEVRAAGD.lower()} voor: {', '.join(names)}." if names else ""
        )
        self.open_notice.setVisible(bool(names))
        for index, kind in enumerate((NETWERK, PARTNERS)):
            count = len(getattr(self.dossier, kind.attr))
            self.tabs.setTabText(index, f"{kind.tab} ({count})")

    # --- "Ga naar" ------------------------------------------------------------------------

    def _panel(self, path: Path) -> _PartyPanel:
        return self.partners if path[:1] == ("partners",) else self.netwerk

    def reveal(self, path: Path) -> None:
        panel = self._panel(path)
        self.tabs.setCurrentWidget(panel)
        if len(path) > 1 and isinstance(path[1], Item):
            panel.select(UUID(path[1].id))

    def focus_path(self, path: Path) -> bool:
        if len(path) == 3 and path[2] in Consent.model_fields:  # a consent's field named on the party
            path = (*path[:2], "toestemming", path[2])
        return super().focus_path(path)

    def widget_for_path(self, path: Path) -> QWidget | None:
        return self._panel(path).new_name  # an empty list: add the first one

    def focus_widget(self, widget: QWidget) -> None:
        consent = self.partners.consent if self.tabs.currentWidget() is self.partners else self.netwerk.consent
        if consent.isAncestorOf(widget) and not widget.isEnabled():
            widget = consent.contact  # no consent yet: its first question
        if isinstance(widget, RadioChoice) and widget.value() == _OPEN:
            widget = widget.buttons[True]  # not asked yet: start at "Ja"
        super().focus_widget(widget)
