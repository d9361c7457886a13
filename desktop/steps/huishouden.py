"""Step 1, "Huishouden en gezinsleden": address, the gesprek, the members, who is present."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from pydantic_core import PydanticCustomError
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forms import Dossier, Member, Role
from forms.verslag.fonts import unprintable

from ..widgets import (
    ErrorLabel,
    ReflowGrid,
    ResponsiveRow,
    assign,
    bind_text,
    confirm,
    form_row,
    format_date,
    from_qdate,
    make_date_edit,
    make_form,
    messages_by_field,
    notice_label,
    scroll_wrap,
    to_qdate,
)
from .base import KEEP_ENABLED, StepContext, StepPage, apply_read_only

__all__ = [
    "HuishoudenPage",
    "MemberDialog",
    "age_text",
    "remove_member",
    "removal_summary",
    "set_gesprek_datum",
    "set_geboortedatum",
]

BSN_LABEL = "&BSN (alleen nodig voor een beschikking):"
BSN_TOGGLE = "&BSN (alleen nodig voor een beschikking)"
BSN_HINT = "Laat leeg als er geen beschikking nodig is: we leggen zo min mogelijk vast."
HUISNUMMER = {"string_pattern_mismatch": "Vul een huisnummer in, zoals 12 of 12a."}
_ROLES = [Role.OUDER, Role.KIND, Role.OVERIG]


def age_text(member: Member, on: dt.date) -> str:
    """'38 jaar', or 'kind, 9 jaar' for anyone under 18 (whatever their role)."""
    age = member.age_on(on)
    return f"kind, {age} jaar" if member.is_minor_on(on) else f"{age} jaar"


def _dates_messages(dossier: Dossier) -> list[str]:
    """The dossier-wide date check (gesprek after every birth), which an assignment to a
    member or to the gesprek does not run by itself."""
    try:
        Dossier._dates_consistent(dossier)
    except PydanticCustomError as error:
        return [error.message()]
    return []


def _assign_date(dossier: Dossier, target: Any, attr: str, value: dt.date) -> list[str]:
    old = getattr(target, attr)
    messages = assign(target, attr, value)
    if not messages:
        messages = _dates_messages(dossier)
        if messages:
            target.__dict__[attr] = old
    return messages


def set_gesprek_datum(dossier: Dossier, value: dt.date) -> list[str]:
    """Set the gesprek date, also checked against every birth date; Dutch messages or []."""
    return _assign_date(dossier, dossier.gesprek, "datum", value)


def set_geboortedatum(dossier: Dossier, member: Member, value: dt.date) -> list[str]:
    """Set a birth date, also checked against the gesprek date; Dutch messages or []."""
    return _assign_date(dossier, member, "geboortedatum", value)


def removal_summary(dossier: Dossier, member_id: UUID) -> list[str]:
    """What else goes when a member is removed, in Dutch, one line per kind."""
    lines: list[str] = []
    if dossier.contact(member_id) is not None:
        lines.append("wat is vastgelegd over het contact (gesproken/gezien)")
    entries = sum(1 for e in dossier.leefgebieden if e.member_id == member_id)
    if entries:
        lines.append(f"{entries} leefgebied-notitie{'s' if entries != 1 else ''} over dit gezinslid")
    assessments = sum(1 for a in dossier.veiligheid if a.child_id == member_id)
    if assessments:
        lines.append(
            f"{assessments} veiligheidstaxatie{'s' if assessments != 1 else ''} van dit kind"
        )
    if member_id in dossier.gesprek.aanwezig:
        lines.append("de aanwezigheid bij het gesprek")
    if any(s.member_id == member_id for s in dossier.handtekeningen):
        lines.append("de handtekening")
    consents = sum(
        1
        for party in (*dossier.netwerk, *dossier.partners)
        if party.toestemming is not None and member_id in party.toestemming.gegeven_door
    )
    regisseur = dossier.plan.regisseur
    if regisseur is not None and regisseur.soort == "gezinslid" and regisseur.ref == member_id:
        lines.append("de rol als regisseur van het plan (kies daarna in de stap Plan een nieuwe regisseur)")
    if consents:
        lines.append(f"de vermelding als toestemminggever bij {consents} contact{'en' if consents != 1 else ''}")
    return lines


def remove_member(dossier: Dossier, member_id: UUID) -> None:
    """Remove a member and everything recorded only about them (no dangling ids)."""
    dossier.huishouden.leden = [m for m in dossier.huishouden.leden if m.id != member_id]
    gesprek = dossier.gesprek
    gesprek.aanwezig = [i for i in gesprek.aanwezig if i != member_id]
    gesprek.contacten = [c for c in gesprek.contacten if c.member_id != member_id]
    dossier.leefgebieden = [e for e in dossier.leefgebieden if e.member_id != member_id]
    dossier.veiligheid = [a for a in dossier.veiligheid if a.child_id != member_id]
    dossier.handtekeningen = [s for s in dossier.handtekeningen if s.member_id != member_id]
    for party in (*dossier.netwerk, *dossier.partners):
        if party.toestemming is not None and member_id in party.toestemming.gegeven_door:
            party.toestemming.gegeven_door = [
                i for i in party.toestemming.gegeven_door if i != member_id
            ]
    # A regisseur who was this member keeps pointing at them: the rules then warn
    # 'regisseur_onbekend' and the Plan step asks for a new regisseur.


def unprintable_notice(*edits: QLineEdit) -> QLabel:
    """A notice under the name fields, shown while they hold characters the verslag
    cannot print (no bundled font has them), so it is said before the family signs."""
    label = notice_label()
    label.setAccessibleName("Waarschuwing over het afdrukken van de naam")
    label.hide()

    def update() -> None:
        found = set().union(*(unprintable(edit.text()) for edit in edits))
        typed = "".join(edit.text() for edit in edits)
        missing = sorted(found, key=lambda ch: (typed.find(ch) % (len(typed) + 1), ch))  # as typed
        label.setVisible(bool(missing))
        if missing:
            shown = " ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
            label.setText(
                f"Let op: deze tekens kan het verslag niet afdrukken: {shown}. Op papier staat "
                "daar een vervangend teken (�). Schrijf de naam zo nodig ook in Latijnse letters."
            )

    for edit in edits:
        edit.textChanged.connect(update)
    label.refresh = update  # for text set with signals blocked (another member selected)
    return label


def _role_combo(name: str) -> QComboBox:
    combo = QComboBox()
    for role in _ROLES:
        combo.addItem(role.label, role)
    combo.setAccessibleName(name)
    return combo


class MemberDialog(QDialog):
    """Add a member: the required fields first, so no half member enters the dossier."""

    def __init__(self, gesprek_datum: dt.date, default_role: Role, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Gezinslid toevoegen")
        self.setAccessibleName("Gezinslid toevoegen")
        self.gesprek_datum = gesprek_datum
        self.member: Member | None = None
        self._date_touched = False

        form = make_form()
        self.voornaam = QLineEdit()
        self.achternaam = QLineEdit()
        self.rol = _role_combo("Rol")
        self.rol.setCurrentIndex(_ROLES.index(default_role))
        self.geboortedatum = make_date_edit(gesprek_datum, "Geboortedatum")
        self.geboortedatum_hint = notice_label("Nog niet ingevuld")
        self.bsn = QLineEdit()
        self.bsn.setPlaceholderText("9 cijfers")
        self.errors: dict[str, ErrorLabel] = {}
        self.errors["voornaam"] = form_row(form, "&Voornaam:", self.voornaam)
        self.errors["achternaam"] = form_row(form, "&Achternaam:", self.achternaam)
        self.print_notice = unprintable_notice(self.voornaam, self.achternaam)
        form.addRow("", self.print_notice)
        self.errors["rol"] = form_row(form, "&Rol:", self.rol)
        date_box = QWidget()
        date_row = QHBoxLayout(date_box)
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(self.geboortedatum, 1)
        date_row.addWidget(self.geboortedatum_hint)
        self.errors["geboortedatum"] = form_row(
            form, "&Geboortedatum:", date_box, buddy=self.geboortedatum
        )
        self.errors["bsn"] = form_row(form, BSN_LABEL, self.bsn, accessible_name="BSN")
        hint = QLabel(BSN_HINT)
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.general_error = ErrorLabel()

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Toevoegen", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        cancel.setAccessibleName("Annuleren")
        self.ok_button.setAccessibleName("Gezinslid toevoegen")

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.geboortedatum.dateChanged.connect(self._date_changed)
        self.setTabOrder(self.voornaam, self.achternaam)
        self.setTabOrder(self.achternaam, self.rol)
        self.setTabOrder(self.rol, self.geboortedatum)
        self.setTabOrder(self.geboortedatum, self.bsn)
        self.voornaam.setFocus()

    def _date_changed(self, _: QDate) -> None:
        self._date_touched = True
        self.geboortedatum_hint.hide()

    def build(self) -> Member | None:
        """The member the fields describe, or None (and the messages shown)."""
        for label in (*self.errors.values(), self.general_error):
            label.clear_messages()
        ok = True
        if not self._date_touched:
            self.errors["geboortedatum"].show_messages(["Vul de geboortedatum in."])
            ok = False
        birth = from_qdate(self.geboortedatum.date())
        if ok and birth > self.gesprek_datum and birth <= dt.date.today():
            self.errors["geboortedatum"].show_messages(
                [f"De geboortedatum ligt na de datum van het gesprek ({format_date(self.gesprek_datum)})."]
            )
            ok = False
        values: dict[str, Any] = {
            "voornaam": self.voornaam.text(),
            "achternaam": self.achternaam.text(),
            "rol": self.rol.currentData(),
            "geboortedatum": birth,
            "bsn": self.bsn.text().strip() or None,
        }
        try:
            member = Member(**values)
        except ValidationError as error:
            for field, messages in messages_by_field(error).items():
                if field == "geboortedatum" and not self._date_touched:
                    continue
                self.errors.get(field, self.general_error).show_messages(messages)
            return None
        return member if ok else None

    def accept(self) -> None:
        member = self.build()
        if member is None:
            return
        self.member = member
        super().accept()


class HuishoudenPage(StepPage):
    """Address, gesprek date and place, the members, and who sits at the table."""

    scroll: QScrollArea  # type: ignore[assignment]  # shadows QWidget.scroll(dx, dy); nothing calls that here

    step_id = "huishouden"
    title = "Huishouden en gezinsleden"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._member: Member | None = None
        self._presence: dict[UUID, QCheckBox] = {}
        self.confirm = lambda title, text: confirm(self, title, text)  # tests replace this

        content = QWidget()
        column = QVBoxLayout(content)

        # --- address and gesprek, side by side
        top = ResponsiveRow(100)
        adres_box = QGroupBox("Adres")
        adres_form = make_form(adres_box)
        self.straat = QLineEdit()
        self.huisnummer = QLineEdit()
        self.huisnummer.setMaximumWidth(120)
        self.postcode = QLineEdit()
        self.postcode.setPlaceholderText("1234 AB")
        self.postcode.setMaximumWidth(120)
        self.woonplaats = QLineEdit()
        self.errors: dict[str, ErrorLabel] = {}
        self.errors["straat"] = form_row(adres_form, "&Straat:", self.straat)
        self.errors["huisnummer"] = form_row(adres_form, "&Huisnummer:", self.huisnummer)
        self.errors["postcode"] = form_row(adres_form, "&Postcode:", self.postcode)
        self.errors["plaats"] = form_row(adres_form, "&Woonplaats:", self.woonplaats)

        gesprek_box = QGroupBox("Het gesprek")
        gesprek_form = make_form(gesprek_box)
        self.gesprek_datum = make_date_edit(context.today, "Datum van het gesprek")
        self.gesprek_plaats = QLineEdit()
        self.gesprek_plaats.setPlaceholderText("bijv. thuis, aan de keukentafel")
        self.errors["datum"] = form_row(gesprek_form, "&Datum van het gesprek:", self.gesprek_datum)
        self.errors["gesprek_plaats"] = form_row(
            gesprek_form, "P&laats van het gesprek:", self.gesprek_plaats
        )
        top.addWidget(adres_box, 1)
        top.addWidget(gesprek_box, 1)
        column.addWidget(top)

        # --- members: table and buttons left, the selected member's details right
        leden_box = QGroupBox("Gezinsleden")
        leden_row = ResponsiveRow(100)
        QVBoxLayout(leden_box).addWidget(leden_row)
        left_widget = QWidget()
        left = QVBoxLayout(left_widget)
        left.setContentsMargins(0, 0, 0, 0)
        table_label = QLabel("Wie horen bij het huishouden? &Gezinsleden, met hun leeftijd op de dag van het gesprek:")
        table_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Naam", "Rol", "Geboortedatum", "Leeftijd"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance("Naam") + 4 * header.fontMetrics().height())
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Gezinsleden")
        self.table.setMinimumHeight(150)
        table_label.setBuddy(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Gezinslid &toevoegen…")
        self.add_button.setAccessibleName("Gezinslid toevoegen")
        self.remove_button = QPushButton("Gezinslid &verwijderen…")
        self.remove_button.setAccessibleName("Gezinslid verwijderen")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        left.addWidget(table_label)
        left.addWidget(self.table, 1)
        left.addLayout(buttons)

        self.detail = QGroupBox("Gegevens van het gezinslid")
        detail_form = make_form(self.detail)
        self.voornaam = QLineEdit()
        self.achternaam = QLineEdit()
        self.rol = _role_combo("Rol")
        self.geboortedatum = make_date_edit(None, "Geboortedatum")
        self.bsn = QLineEdit()
        self.bsn.setPlaceholderText("9 cijfers, alleen voor een beschikking")
        self.errors["voornaam"] = form_row(detail_form, "Voor&naam:", self.voornaam)
        self.errors["achternaam"] = form_row(detail_form, "&Achternaam:", self.achternaam)
        self.print_notice = unprintable_notice(self.voornaam, self.achternaam)
        detail_form.addRow("", self.print_notice)
        self.errors["rol"] = form_row(detail_form, "&Rol:", self.rol)
        self.errors["geboortedatum"] = form_row(detail_form, "G&eboortedatum:", self.geboortedatum)
        # the BSN is behind a disclosure: only recorded where a beschikking needs it
        self.bsn_toggle = QToolButton()
        self.bsn_toggle.setText(BSN_TOGGLE)
        self.bsn_toggle.setAccessibleName("BSN invullen (alleen nodig voor een beschikking)")
        self.bsn_toggle.setCheckable(True)
        self.bsn_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.bsn_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.bsn_toggle.setAutoRaise(True)
        self.bsn_toggle.setProperty(KEEP_ENABLED, True)  # showing is no edit
        detail_form.addRow(self.bsn_toggle)
        self.errors["bsn"] = form_row(detail_form, "BSN:", self.bsn, accessible_name="BSN")
        self._bsn_row = detail_form.rowCount() - 1
        self._bsn_form = detail_form
        bsn_hint = QLabel(BSN_HINT)
        bsn_hint.setWordWrap(True)
        detail_form.addRow("", bsn_hint)
        self.bsn_toggle.toggled.connect(self._show_bsn)
        leden_row.addWidget(left_widget, 3)
        leden_row.addWidget(self.detail, 2)
        column.addWidget(leden_box)

        # --- who is at the table
        aanwezig_box = QGroupBox("Aanwezig bij het gesprek")
        aanwezig_column = QVBoxLayout(aanwezig_box)
        self.presence_grid = ReflowGrid(3)
        aanwezig_column.addWidget(self.presence_grid)
        overige_form = make_form()
        self.overige = QLineEdit()
        self.overige.setPlaceholderText("bijv. een tolk, oma, de mentor van school")
        self.errors["overige_aanwezigen"] = form_row(
            overige_form, "&Overige aanwezigen:", self.overige
        )
        aanwezig_column.addLayout(overige_form)
        column.addWidget(aanwezig_box)
        column.addStretch(1)

        self.scroll = scroll_wrap(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        # bindings (targets are set in set_dossier)
        emit = self.changed.emit
        self._adres_bindings = [
            bind_text(self.straat, None, "straat", self.errors["straat"], emit),
            bind_text(
                self.huisnummer, None, "huisnummer", self.errors["huisnummer"], emit,
                overrides=HUISNUMMER,
            ),
            bind_text(self.postcode, None, "postcode", self.errors["postcode"], emit, normalise=True),
            bind_text(self.woonplaats, None, "plaats", self.errors["plaats"], emit),
        ]
        self._gesprek_bindings = [
            bind_text(self.gesprek_plaats, None, "plaats", self.errors["gesprek_plaats"], emit),
            bind_text(self.overige, None, "overige_aanwezigen", self.errors["overige_aanwezigen"], emit),
        ]
        self._member_bindings = [
            bind_text(self.voornaam, None, "voornaam", self.errors["voornaam"], self._name_edited),
            bind_text(self.achternaam, None, "achternaam", self.errors["achternaam"], self._name_edited),
            bind_text(
                self.bsn, None, "bsn", self.errors["bsn"], emit, empty_is_none=True, normalise=True
            ),
        ]
        self.gesprek_datum.dateChanged.connect(self._gesprek_datum_changed)
        self.rol.currentIndexChanged.connect(self._rol_changed)
        self.geboortedatum.dateChanged.connect(self._geboortedatum_changed)
        self.table.currentCellChanged.connect(self._row_changed)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_selected)

        # tab order: address, gesprek, table, buttons, details, presence
        order = [
            self.straat, self.huisnummer, self.postcode, self.woonplaats,
            self.gesprek_datum, self.gesprek_plaats,
            self.table, self.add_button, self.remove_button,
            self.voornaam, self.achternaam, self.rol, self.geboortedatum,
            self.bsn_toggle, self.bsn,
        ]
        for a, b in itertools.pairwise(order):
            QWidget.setTabOrder(a, b)
        self._set_member(None)

    # --- building from the model ------------------------------------------------------

    def _relock(self) -> None:
        """Widgets enabled or created after set_read_only(True) must stay locked too."""
        if self.read_only:
            apply_read_only(self, True)

    def set_dossier(self, dossier: Dossier) -> None:
        keep = self._member.id if self._member is not None else None
        super().set_dossier(dossier)
        for binding in self._adres_bindings:
            binding.retarget(dossier.huishouden.adres)
        for binding in self._gesprek_bindings:
            binding.retarget(dossier.gesprek)
        self.gesprek_datum.blockSignals(True)
        self.gesprek_datum.setDate(to_qdate(dossier.gesprek.datum))
        self.gesprek_datum.blockSignals(False)
        self.errors["datum"].clear_messages()
        self._fill_table(select=keep)
        self._fill_presence()

    def _fill_table(self, select: UUID | None = None) -> None:
        assert self.dossier is not None
        leden = self.dossier.huishouden.leden
        self.table.blockSignals(True)
        self.table.setRowCount(len(leden))
        for row, member in enumerate(leden):
            self._fill_row(row, member)
        self.table.blockSignals(False)
        if not leden:
            self._set_member(None)
            return
        index = next((i for i, m in enumerate(leden) if m.id == select), 0)
        self.table.setCurrentCell(index, 0)
        self._set_member(leden[index])

    def _fill_row(self, row: int, member: Member) -> None:
        assert self.dossier is not None
        on = self.dossier.gesprek.datum
        texts = [member.naam, member.rol.label, format_date(member.geboortedatum), age_text(member, on)]
        for col, text in enumerate(texts):
            item = self.table.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, col, item)
            item.setText(text)
            item.setData(Qt.ItemDataRole.UserRole, str(member.id))
            font = item.font()
            font.setBold(col == 3 and member.is_minor_on(on))
            item.setFont(font)

    def _refresh_rows(self) -> None:
        assert self.dossier is not None
        for row, member in enumerate(self.dossier.huishouden.leden):
            self._fill_row(row, member)

    def _fill_presence(self) -> None:
        assert self.dossier is not None
        self.presence_grid.clear()
        self._presence = {}
        present = set(self.dossier.gesprek.aanwezig)
        previous: QWidget = self.remove_button if not self.detail.isEnabled() else self.bsn
        on = self.dossier.gesprek.datum
        for member in self.dossier.huishouden.leden:
            box = QCheckBox(f"{member.naam} ({age_text(member, on)})")
            box.setAccessibleName(f"Aanwezig: {member.naam}")
            box.setChecked(member.id in present)
            box.toggled.connect(lambda checked, mid=member.id: self._presence_toggled(mid, checked))
            self.presence_grid.add(box)
            self._presence[member.id] = box
            QWidget.setTabOrder(previous, box)
            previous = box
        if not self._presence:
            empty = QLabel("Voeg eerst de gezinsleden toe.")
            self.presence_grid.add(empty)
        QWidget.setTabOrder(previous, self.overige)
        self._relock()

    def _set_member(self, member: Member | None) -> None:
        self._member = member
        for binding in self._member_bindings:
            binding.retarget(member)
        for key in ("rol", "geboortedatum"):
            self.errors[key].clear_messages()
        self.detail.setEnabled(member is not None)
        self.remove_button.setEnabled(member is not None)
        self.rol.blockSignals(True)
        self.geboortedatum.blockSignals(True)
        if member is not None:
            self.rol.setCurrentIndex(_ROLES.index(member.rol))
            self.geboortedatum.setDate(to_qdate(member.geboortedatum))
            self.detail.setTitle(f"Gegevens van {member.voornaam}")
            self.bsn_toggle.setChecked(member.bsn is not None)
        else:
            self.detail.setTitle("Gegevens van het gezinslid")
        self.rol.blockSignals(False)
        self.geboortedatum.blockSignals(False)
        self.print_notice.refresh()
        self._show_bsn(self.bsn_toggle.isChecked())
        self._relock()

    def _show_bsn(self, shown: bool) -> None:
        self.bsn_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        for row in (self._bsn_row, self._bsn_row + 1):
            self._bsn_form.setRowVisible(row, shown)

    # --- edits ----------------------------------------------------------------------------

    def _row_changed(self, row: int, *_: int) -> None:
        if self.dossier is None:
            return
        leden = self.dossier.huishouden.leden
        self._set_member(leden[row] if 0 <= row < len(leden) else None)

    def _row_of(self, member_id: UUID) -> int:
        assert self.dossier is not None
        return next(i for i, m in enumerate(self.dossier.huishouden.leden) if m.id == member_id)

    def _name_edited(self) -> None:
        if self._member is None or self.dossier is None:
            return
        self._fill_row(self._row_of(self._member.id), self._member)
        self.detail.setTitle(f"Gegevens van {self._member.voornaam}")
        box = self._presence.get(self._member.id)
        if box is not None:
            box.setText(f"{self._member.naam} ({age_text(self._member, self.dossier.gesprek.datum)})")
            box.setAccessibleName(f"Aanwezig: {self._member.naam}")
        self.changed.emit()

    def _rol_changed(self, index: int) -> None:
        member = self._member
        if member is None or index < 0:
            return
        messages = assign(member, "rol", self.rol.itemData(index))
        self.errors["rol"].show_messages(messages)
        if not messages:
            self._refresh_rows()
            self.changed.emit()
            self.structure_changed.emit()

    def _geboortedatum_changed(self, value: QDate) -> None:
        member = self._member
        if member is None or self.dossier is None:
            return
        old = member.geboortedatum
        messages = set_geboortedatum(self.dossier, member, from_qdate(value))
        self.errors["geboortedatum"].show_messages(messages)
        if not messages and member.geboortedatum != old:
            self._refresh_rows()
            self._refresh_presence_texts()
            self.changed.emit()
            self.structure_changed.emit()

    def _gesprek_datum_changed(self, value: QDate) -> None:
        if self.dossier is None:
            return
        old = self.dossier.gesprek.datum
        messages = set_gesprek_datum(self.dossier, from_qdate(value))
        self.errors["datum"].show_messages(messages)
        if not messages and self.dossier.gesprek.datum != old:
            self._refresh_rows()
            self._refresh_presence_texts()
            self.changed.emit()
            self.structure_changed.emit()  # who counts as a child may have changed

    def _refresh_presence_texts(self) -> None:
        assert self.dossier is not None
        on = self.dossier.gesprek.datum
        for member in self.dossier.huishouden.leden:
            box = self._presence.get(member.id)
            if box is not None:
                box.setText(f"{member.naam} ({age_text(member, on)})")

    def _presence_toggled(self, member_id: UUID, checked: bool) -> None:
        if self.dossier is None:
            return
        present = {mid for mid, box in self._presence.items() if box.isChecked()}
        ordered = [m.id for m in self.dossier.huishouden.leden if m.id in present]
        if assign(self.dossier.gesprek, "aanwezig", ordered):
            return
        if checked and self._prefill_contact(member_id):
            self.structure_changed.emit()  # "Wie is er gesproken" shows the filled-in status
        else:
            self.changed.emit()

    def _prefill_contact(self, member_id: UUID) -> bool:
        """Someone at the table was at least seen: fill in "Wie is er gesproken" for them
        (spoken with; a child under the speaking age: seen). Never overwrites a choice."""
        from forms import ContactRecord, ContactStatus
        from forms.rules import RuleSettings

        dossier = self.dossier
        assert dossier is not None
        member = next((m for m in dossier.huishouden.leden if m.id == member_id), None)
        if member is None or dossier.contact(member_id) is not None:
            return False
        young = member.rol is Role.KIND and member.age_on(dossier.gesprek.datum) < RuleSettings().child_spoken_age
        record = ContactRecord(member_id=member_id, status=ContactStatus.GEZIEN if young else ContactStatus.GESPROKEN)
        return not assign(dossier.gesprek, "contacten", [*dossier.gesprek.contacten, record])

    def _default_role(self) -> Role:
        assert self.dossier is not None
        parents = sum(1 for m in self.dossier.huishouden.leden if m.rol is Role.OUDER)
        return Role.OUDER if parents < 2 and not self.dossier.children() else Role.KIND

    def make_member_dialog(self) -> MemberDialog:
        assert self.dossier is not None
        return MemberDialog(self.dossier.gesprek.datum, self._default_role(), self)

    def add_member(self) -> Member | None:
        """Ask for a new member (dialog) and add them; returns the member or None."""
        if self.dossier is None or self.read_only:
            return None
        dialog = self.make_member_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.member is None:
            return None
        return self.insert_member(dialog.member)

    def insert_member(self, member: Member) -> Member | None:
        assert self.dossier is not None
        household = self.dossier.huishouden
        if assign(household, "leden", [*household.leden, member]):
            return None
        self._fill_table(select=member.id)
        self._fill_presence()
        self.changed.emit()
        self.structure_changed.emit()
        self.table.setFocus()
        return member

    def remove_selected(self) -> bool:
        """Remove the selected member after confirmation; True when removed."""
        member = self._member
        if member is None or self.dossier is None or self.read_only:
            return False
        also = removal_summary(self.dossier, member.id)
        text = f"Wilt u {member.naam} uit het huishouden verwijderen?"
        if also:
            text += "\n\nDan verdwijnt ook:\n" + "\n".join(f"• {line}" for line in also)
        if not self.confirm("Gezinslid verwijderen", text):
            return False
        row = self._row_of(member.id)
        remove_member(self.dossier, member.id)
        leden = self.dossier.huishouden.leden
        keep = leden[min(row, len(leden) - 1)].id if leden else None
        self._fill_table(select=keep)
        self._fill_presence()
        self.changed.emit()
        self.structure_changed.emit()
        (self.table if leden else self.add_button).setFocus()
        return True

    # --- focus --------------------------------------------------------------------------

    def _reveal(self, widget: QWidget) -> None:
        self.scroll.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_location(self, location: object) -> None:
        if self.dossier is None:
            return
        field = getattr(location, "field", None) or ""
        member_id = getattr(location, "member_id", None)
        if member_id is not None and self.dossier.member(member_id) is not None:
            row = self._row_of(member_id)
            self.table.setCurrentCell(row, 0)
            if field in ("aanwezig",) and member_id in self._presence:
                self._reveal(self._presence[member_id])
                return
            widget = {
                "voornaam": self.voornaam,
                "achternaam": self.achternaam,
                "naam": self.voornaam,
                "rol": self.rol,
                "geboortedatum": self.geboortedatum,
                "leeftijd": self.geboortedatum,
                "bsn": self.bsn,
            }.get(field, self.table)
            if widget is self.bsn:
                self.bsn_toggle.setChecked(True)
            self._reveal(widget)
            return
        widget = {
            "adres": self.straat,
            "straat": self.straat,
            "huisnummer": self.huisnummer,
            "postcode": self.postcode,
            "plaats": self.woonplaats,
            "woonplaats": self.woonplaats,
            "datum": self.gesprek_datum,
            "gesprek_datum": self.gesprek_datum,
            "gesprek_plaats": self.gesprek_plaats,
            "overige_aanwezigen": self.overige,
            "leden": self.table if self.dossier.huishouden.leden else self.add_button,
            "gezinsleden": self.table if self.dossier.huishouden.leden else self.add_button,
        }.get(field)
        if widget is None and field == "aanwezig":
            widget = next(iter(self._presence.values()), self.overige)
        self._reveal(widget or (self.table if self.dossier.huishouden.leden else self.add_button))
