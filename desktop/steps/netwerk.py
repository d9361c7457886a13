"""Step 4, "Netwerk en toestemming": the sociaal netwerk, the netwerkpartners, and per
person or partner the family's explicit, dated consent to contact and to share (T3, AVG)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forms import Consent, Dossier, NetworkPerson, Partner

from ..widgets import (
    NOTICE_COLOR,
    CheckList,
    ErrorLabel,
    RadioChoice,
    ResponsiveRow,
    TextBinding,
    assign,
    bind_text,
    confirm,
    form_row,
    format_date,
    from_qdate,
    make_date_edit,
    make_form,
    notice_label,
    scroll_wrap,
    to_qdate,
)
from .base import StepContext, StepPage, apply_read_only

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
    """The family's consent for one person or partner.

    Nothing is stored until both questions are answered ja/nee; then a
    :class:`forms.Consent` is created (dated ``context.today``) and every further
    edit goes straight into it. Choosing "Nog niet gevraagd" again removes the
    consent from the model; what was typed stays in the fields and comes back
    when the questions are answered again.
    """

    def __init__(self, page: NetwerkPage) -> None:
        super().__init__("Toestemming van het gezin")
        self.page = page
        self.party: Party | None = None
        self.setAccessibleName("Toestemming van het gezin")
        self.state = notice_label()
        self.state.setAccessibleName("Stand van de toestemming")
        self.contact = RadioChoice(_ANSWERS, "Mogen wij contact opnemen?")
        self.delen = RadioChoice(_ANSWERS, "Mogen wij informatie delen?")
        self.reikwijdte = QLineEdit()
        self.reikwijdte.setPlaceholderText("bijv. verzuim en gedrag op school")
        self.datum = make_date_edit(page.context.today, "Datum van de toestemming")
        self.datum.setMaximumWidth(200)
        self.gegeven_door = CheckList([], "Gegeven door", columns=2)
        form = make_form(self)
        form.addRow(self.state)
        self.errors: dict[str, ErrorLabel] = {}
        self.errors["contact"] = form_row(form, "Mogen wij &contact opnemen?", self.contact,
                                          buddy=self.contact)
        self.errors["delen"] = form_row(form, "Mogen wij informatie &delen?", self.delen,
                                        buddy=self.delen)
        self.errors["reikwijdte"] = form_row(form, "&Wat mag gedeeld worden?", self.reikwijdte)
        self.errors["datum"] = form_row(form, "D&atum:", self.datum)
        self.errors["gegeven_door"] = form_row(form, "&Gegeven door:", self.gegeven_door)
        # labels focus the first radio button of each question
        for choice in (self.contact, self.delen):
            label = form.labelForField(choice.parentWidget())
            if isinstance(label, QLabel):
                label.setBuddy(choice.focus_button())
        self.binding: TextBinding = bind_text(
            self.reikwijdte, None, "reikwijdte", self.errors["reikwijdte"], self._edited
        )
        self.contact.valueChanged.connect(self._answered)
        self.delen.valueChanged.connect(self._answered)
        self.datum.dateChanged.connect(self._datum_changed)
        self.gegeven_door.valueChanged.connect(self._gegeven_door_changed)

    # --- model -> widgets -------------------------------------------------------------

    def set_party(self, party: Party | None, adults: list[tuple[UUID, str]]) -> None:
        self.party = party
        consent = party.toestemming if party is not None else None
        # the list of adults who can give consent, plus anyone recorded who is no longer one
        self.gegeven_door.setParent(None)
        self.gegeven_door.deleteLater()
        known = dict(adults)
        extra = [i for i in (consent.gegeven_door if consent else []) if i not in known]
        self.gegeven_door = CheckList(
            [*adults, *((i, "(niet meer in het huishouden)") for i in extra)],
            "Gegeven door",
            consent.gegeven_door if consent else [],
            columns=2,
        )
        self.gegeven_door.valueChanged.connect(self._gegeven_door_changed)
        self.errors["gegeven_door"].parentWidget().layout().insertWidget(0, self.gegeven_door)
        self.errors["gegeven_door"].field = self.gegeven_door
        self.contact.setValue(_OPEN if consent is None else consent.contact_toegestaan)
        self.delen.setValue(_OPEN if consent is None else consent.delen_toegestaan)
        self.binding.retarget(consent)
        if consent is None:
            self.reikwijdte.blockSignals(True)
            self.reikwijdte.clear()
            self.reikwijdte.blockSignals(False)
        self.datum.blockSignals(True)
        self.datum.setDate(to_qdate(consent.datum if consent else self.page.context.today))
        self.datum.blockSignals(False)
        for error in self.errors.values():
            error.clear_messages()
        self.setEnabled(party is not None)
        self._update()

    def _update(self) -> None:
        consent = self.party.toestemming if self.party is not None else None
        for widget in (self.reikwijdte, self.datum, self.gegeven_door):
            widget.setEnabled(consent is not None)
        if self.party is None:
            self.state.setText("")
        elif consent is None:
            answered = [c.value() for c in (self.contact, self.delen) if c.value() not in (_OPEN, None)]
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
        self.page.relock()

    # --- widgets -> model -------------------------------------------------------------

    def _edited(self) -> None:
        self.page.party_edited(self.party)

    def _answered(self, _: Any) -> None:
        party = self.party
        if party is None:
            return
        contact, delen = self.contact.value(), self.delen.value()
        consent = party.toestemming
        if isinstance(contact, bool) and isinstance(delen, bool):
            if consent is None:
                try:
                    consent = Consent(
                        contact_toegestaan=contact,
                        delen_toegestaan=delen,
                        reikwijdte=self.reikwijdte.text(),
                        datum=from_qdate(self.datum.date()),
                        gegeven_door=self.gegeven_door.value(),
                    )
                except Exception:  # e.g. a future date typed earlier: store with today
                    consent = Consent(
                        contact_toegestaan=contact,
                        delen_toegestaan=delen,
                        datum=min(self.page.context.today, dt.date.today()),
                    )
                messages = assign(party, "toestemming", consent)
                if messages:
                    self.errors["contact"].show_messages(messages)
                    return
                self.binding.retarget(consent)
                self.datum.blockSignals(True)
                self.datum.setDate(to_qdate(consent.datum))
                self.datum.blockSignals(False)
            else:
                assign(consent, "contact_toegestaan", contact)
                assign(consent, "delen_toegestaan", delen)
        elif consent is not None:
            party.toestemming = None  # back to "not asked"; the fields keep what was typed
            self.binding.retarget(None)
        else:
            self._update()
            return
        self._update()
        self.page.party_edited(party)

    def _datum_changed(self, value: QDate) -> None:
        consent = self.party.toestemming if self.party is not None else None
        if consent is None:
            return
        before = consent.datum
        messages = assign(consent, "datum", from_qdate(value))
        self.errors["datum"].show_messages(messages)
        if not messages and consent.datum != before:
            self.page.party_edited(self.party)

    def _gegeven_door_changed(self, values: list[Any]) -> None:
        consent = self.party.toestemming if self.party is not None else None
        if consent is None:
            return
        if not assign(consent, "gegeven_door", values):
            self._update()
            self.page.party_edited(self.party)


@dataclass(frozen=True)
class _Kind:
    """What differs between the two lists."""

    attr: Literal["netwerk", "partners"]
    tab: str
    model: type
    name_field: str
    name_label: str
    fields: tuple[tuple[str, str], ...]  # (model field, label with mnemonic), name first
    columns: tuple[str, str]  # table headers besides "Toestemming"
    add_placeholder: str
    intro: str


NETWERK = _Kind(
    attr="netwerk",
    tab="&Sociaal netwerk",
    model=NetworkPerson,
    name_field="naam",
    name_label="&Naam:",
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
    name_label="&Organisatie:",
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
        left = QVBoxLayout(left_widget)
        left.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(kind.intro)
        intro.setWordWrap(True)
        left.addWidget(intro)
        add_row = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(kind.add_placeholder)
        self.new_name.setAccessibleName(f"{kind.columns[0]} van de nieuwe regel")
        self.add_button = QPushButton("T&oevoegen")
        self.add_button.setAccessibleName(f"{kind.tab.replace('&', '')}: toevoegen")
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        left.addLayout(add_row)
        self.add_error = ErrorLabel()
        self.add_error.field = self.new_name
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
        self.remove_button = QPushButton("&Verwijderen…")
        self.remove_button.setAccessibleName(f"{kind.tab.replace('&', '')}: verwijderen")
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_button)
        remove_row.addStretch(1)
        left.addLayout(remove_row)
        self.empty = notice_label()
        left.addWidget(self.empty)

        # right: details
        self.detail = QWidget()
        detail_column = QVBoxLayout(self.detail)
        detail_column.setContentsMargins(0, 0, 0, 0)
        fields_box = QGroupBox("Gegevens")
        form = make_form(fields_box)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.bindings: list[TextBinding] = []
        for field, label in kind.fields:
            edit = QLineEdit()
            self.edits[field] = edit
            self.errors[field] = form_row(form, label, edit)
            self.bindings.append(
                bind_text(edit, None, field, self.errors[field], self._field_edited)
            )
        self.edits["email"].setPlaceholderText("naam@organisatie.nl") if "email" in self.edits else None
        self.domeinen = CheckList(page.domain_options(), "Leefgebieden", columns=2)
        self.errors["domeinen"] = form_row(form, "&Leefgebieden:", self.domeinen)
        self.domeinen.valueChanged.connect(self._domeinen_changed)
        self.consent = ConsentEditor(page)
        detail_column.addWidget(fields_box)
        detail_column.addWidget(self.consent)
        detail_column.addStretch(1)

        row = ResponsiveRow(110)
        row.addWidget(left_widget, 2)
        row.addWidget(self.detail, 3)
        outer = QVBoxLayout(self)
        outer.addWidget(row)

        self.new_name.returnPressed.connect(self.add)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.currentCellChanged.connect(self._row_changed)
        self.new_name.textChanged.connect(lambda _: self.add_error.clear_messages())

    # --- model -> widgets -------------------------------------------------------------

    @property
    def parties(self) -> list[Party]:
        assert self.page.dossier is not None
        return getattr(self.page.dossier, self.kind.attr)

    def fill(self, select: UUID | None = None) -> None:
        parties = self.parties
        self.table.blockSignals(True)
        self.table.setRowCount(len(parties))
        for row, party in enumerate(parties):
            self._fill_row(row, party)
        self.table.blockSignals(False)
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

    def _fill_row(self, row: int, party: Party) -> None:
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

    def refresh_row(self, party: Party) -> None:
        row = self.row_of(party.id)
        if row is not None:
            self._fill_row(row, party)

    def row_of(self, party_id: UUID) -> int | None:
        return next((i for i, p in enumerate(self.parties) if p.id == party_id), None)

    def _set_party(self, party: Party | None) -> None:
        self.party = party
        for binding in self.bindings:
            binding.retarget(party)
        self.domeinen.setValue(party.domeinen if party is not None else [])
        self.errors["domeinen"].clear_messages()
        self.consent.set_party(party, self.page.adult_options())
        self.detail.setEnabled(party is not None)
        self.remove_button.setEnabled(party is not None)
        self.page.relock()

    def _row_changed(self, row: int, *_: int) -> None:
        parties = self.parties
        self._set_party(parties[row] if 0 <= row < len(parties) else None)

    # --- edits ----------------------------------------------------------------------------

    def _field_edited(self) -> None:
        if self.party is not None:
            self.page.party_edited(self.party)

    def _domeinen_changed(self, values: list[Any]) -> None:
        if self.party is None:
            return
        messages = assign(self.party, "domeinen", values)
        self.errors["domeinen"].show_messages(messages)
        if not messages:
            self.page.party_edited(self.party)

    def add(self) -> Party | None:
        dossier = self.page.dossier
        if dossier is None or self.page.read_only:
            return None
        name = self.new_name.text().strip()
        if not name:
            self.add_error.show_messages([f"Vul eerst de {self.kind.columns[0].lower()} in."])
            self.new_name.setFocus()
            return None
        try:
            party = self.kind.model(**{self.kind.name_field: name})
        except Exception as error:  # too long
            from pydantic import ValidationError

            from ..widgets import error_messages

            if isinstance(error, ValidationError):
                self.add_error.show_messages(error_messages(error))
                return None
            raise
        messages = assign(dossier, self.kind.attr, [*self.parties, party])
        if messages:
            self.add_error.show_messages(messages)
            return None
        self.new_name.clear()
        self.fill(select=party.id)
        self.page.structure_edited()
        # go on with the next detail (relatie / rol)
        self.edits[self.kind.fields[1][0]].setFocus()
        return party

    def remove_selected(self) -> bool:
        dossier = self.page.dossier
        party = self.party
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
        assign(dossier, self.kind.attr, [p for p in self.parties if p.id != party.id])
        rest = self.parties
        self.fill(select=rest[min(row, len(rest) - 1)].id if rest else None)
        self.page.structure_edited()
        (self.table if rest else self.new_name).setFocus()
        return True

    # --- focus --------------------------------------------------------------------------

    def select(self, party_id: UUID) -> None:
        row = self.row_of(party_id)
        if row is not None:
            self.table.setCurrentCell(row, 0)

    @staticmethod
    def _answer_button(choice: RadioChoice) -> QWidget:
        """Not asked yet: 'Ja' (the first answer); answered: the chosen one."""
        if choice.value() in (_OPEN, None):
            return choice.buttons[True]
        return choice.focus_button() or choice

    def widget_for(self, field: str) -> QWidget:
        if field in ("toestemming", "contact_toegestaan"):
            return self._answer_button(self.consent.contact)
        if field == "delen_toegestaan":
            return self._answer_button(self.consent.delen)
        if field == "reikwijdte":
            if self.consent.reikwijdte.isEnabled():
                return self.consent.reikwijdte
            return self._answer_button(self.consent.contact)
        if field == "gegeven_door":
            target = self.consent.gegeven_door
            return target if target.isEnabled() else self._answer_button(self.consent.contact)
        if field == "domeinen":
            return self.domeinen
        if field in self.edits:
            return self.edits[field]
        return self.table if self.parties else self.new_name


class NetwerkPage(StepPage):
    @classmethod
    def open_points(cls, dossier: Dossier) -> int:
        """A person or partner whose consent is "nog niet gevraagd"."""
        return sum(1 for p in [*dossier.netwerk, *dossier.partners] if p.toestemming is None)

    """The sociaal netwerk and the netwerkpartners, each with the family's consent (T3)."""

    scroll: QScrollArea  # type: ignore[assignment]  # shadows QWidget.scroll(dx, dy); nothing calls that here

    step_id = "netwerk"
    title = "Netwerk en toestemming"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.confirm = lambda title, text: confirm(self, title, text)  # tests replace this
        content = QWidget()
        column = QVBoxLayout(content)
        intro = QLabel(
            "Leg vast wie er om het gezin heen staan en welke organisaties betrokken zijn. "
            "Vraag per persoon en per organisatie of u contact mag opnemen en informatie mag delen."
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.open_notice = notice_label()
        self.open_notice.setAccessibleName("Toestemming nog niet gevraagd")
        column.addWidget(self.open_notice)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Netwerk en partners")
        self.netwerk = _PartyPanel(self, NETWERK)
        self.partners = _PartyPanel(self, PARTNERS)
        self.tabs.addTab(self.netwerk, NETWERK.tab)
        self.tabs.addTab(self.partners, PARTNERS.tab)
        column.addWidget(self.tabs, 1)
        self.scroll = scroll_wrap(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

    def relock(self) -> None:
        """Widgets enabled or created after set_read_only(True) must stay locked too."""
        if self.read_only:
            apply_read_only(self, True)

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

    def set_dossier(self, dossier: Dossier) -> None:
        keep = {
            panel: panel.party.id if panel.party is not None else None
            for panel in (self.netwerk, self.partners)
        }
        super().set_dossier(dossier)
        options = self.domain_options()
        for panel in (self.netwerk, self.partners):
            if list(panel.domeinen.boxes)[: len(options)] != [o for o, _ in options]:
                self._rebuild_domains(panel, options)
            panel.fill(select=keep[panel])
        self._update_summary()

    def _rebuild_domains(self, panel: _PartyPanel, options: list[tuple[str, str]]) -> None:
        old = panel.domeinen
        new = CheckList(options, "Leefgebieden", columns=2)
        new.valueChanged.connect(panel._domeinen_changed)
        container = panel.errors["domeinen"].parentWidget().layout()
        container.replaceWidget(old, new)
        old.setParent(None)
        old.deleteLater()
        panel.domeinen = new
        panel.errors["domeinen"].field = new
        form_label = new.parentWidget().parentWidget().layout().labelForField(new.parentWidget())
        if isinstance(form_label, QLabel):
            form_label.setBuddy(new)

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

    # --- called by the panels ----------------------------------------------------------------

    def party_edited(self, party: Party | None) -> None:
        if party is None:
            return
        panel = self.netwerk if isinstance(party, NetworkPerson) else self.partners
        panel.refresh_row(party)
        self._update_summary()
        self.changed.emit()

    def structure_edited(self) -> None:
        self._update_summary()
        self.changed.emit()
        self.structure_changed.emit()

    # --- focus --------------------------------------------------------------------------

    def focus_location(self, location: object) -> None:
        if self.dossier is None:
            return
        field = getattr(location, "field", None) or ""
        ref = getattr(location, "ref", None) or getattr(location, "member_id", None)
        panel: _PartyPanel | None = None
        if ref is not None:
            if any(p.id == ref for p in self.dossier.netwerk):
                panel = self.netwerk
            elif any(p.id == ref for p in self.dossier.partners):
                panel = self.partners
        if panel is None:
            if field in ("partners", "partner"):
                panel, ref = self.partners, None
            elif field == "netwerk":
                panel, ref = self.netwerk, None
            else:  # no particular one: the first without consent, else the first list
                open_ = next(
                    (
                        (pl, p.id)
                        for pl, parties in ((self.netwerk, self.dossier.netwerk), (self.partners, self.dossier.partners))
                        for p in parties
                        if p.toestemming is None
                    ),
                    None,
                )
                panel, ref = open_ if open_ else (self.netwerk, None)
                if open_ and not field:
                    field = "toestemming"
        self.tabs.setCurrentWidget(panel)
        if ref is not None:
            panel.select(ref)
            widget = panel.widget_for(field)
        else:
            widget = panel.new_name if field in ("netwerk", "partners", "partner") or not panel.parties else panel.table
        self.scroll.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
