"""Step 1, "Huishouden en gezinsleden": address, the gesprek, the members, who is present."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forms import Dossier, Member, Role
from forms.paths import Item, Path, assign, get, related
from forms.verslag.fonts import unprintable

from ..binder import TARGET_PATH
from ..widgets import (
    ErrorLabel,
    ReflowGrid,
    ResponsiveRow,
    bare,
    button,
    confirm,
    form_row,
    format_date,
    from_qdate,
    label,
    line_edit,
    make_date_edit,
    make_form,
    messages_by_field,
    notice_label,
    tab_chain,
)
from .base import KEEP_ENABLED, StepContext, StepPage

__all__ = [
    "HuishoudenPage",
    "MemberDialog",
    "age_text",
    "removal_edits",
    "remove_member",
    "removal_summary",
]

BSN_LABEL = "&BSN (alleen nodig voor een beschikking):"
BSN_TOGGLE = "&BSN (alleen nodig voor een beschikking)"
BSN_HINT = "Laat leeg als er geen beschikking nodig is: we leggen zo min mogelijk vast."
HUISNUMMER = {"string_pattern_mismatch": "Vul een huisnummer in, zoals 12 of 12a."}
_ROLES = [Role.OUDER, Role.KIND, Role.OVERIG]
_LEDEN: Path = ("huishouden", "leden")


def age_text(member: Member, on: dt.date) -> str:
    """'38 jaar', or 'kind, 9 jaar' for anyone under 18 (whatever their role)."""
    age = member.age_on(on)
    return f"kind, {age} jaar" if member.is_minor_on(on) else f"{age} jaar"


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


def removal_edits(dossier: Dossier, member_id: UUID) -> list[tuple[Path, Any]]:
    """The edits that remove a member and everything recorded only about them (no dangling
    ids): what refers to them first, the member last (each step stays a valid dossier)."""
    g = dossier.gesprek
    edits: list[tuple[Path, Any]] = [
        (("gesprek", "aanwezig"), [i for i in g.aanwezig if i != member_id]),
        (("gesprek", "contacten"), [c for c in g.contacten if c.member_id != member_id]),
        (("leefgebieden",), [e for e in dossier.leefgebieden if e.member_id != member_id]),
        (("veiligheid",), [a for a in dossier.veiligheid if a.child_id != member_id]),
        (("handtekeningen",), [s for s in dossier.handtekeningen if s.member_id != member_id]),
    ]
    for where, parties in (("netwerk", dossier.netwerk), ("partners", dossier.partners)):
        for party in parties:
            if party.toestemming is not None and member_id in party.toestemming.gegeven_door:
                kept = [i for i in party.toestemming.gegeven_door if i != member_id]
                edits.append(((where, Item(str(party.id)), "toestemming", "gegeven_door"), kept))
    edits.append((("huishouden", "leden"), [m for m in dossier.huishouden.leden if m.id != member_id]))
    # A regisseur who was this member keeps pointing at them: the rules then warn
    # 'regisseur_onbekend' and the Plan step asks for a new regisseur.
    return [(path, value) for path, value in edits if get(dossier, path) != value]


def remove_member(dossier: Dossier, member_id: UUID) -> None:
    """Remove a member and everything recorded only about them, in place (no undo)."""
    new = dossier
    for path, value in removal_edits(dossier, member_id):
        new = assign(new, path, value)
    dossier.__dict__.update(new.__dict__)


def unprintable_notice(*edits: QLineEdit) -> QLabel:
    """A notice under the name fields, shown while they hold characters the verslag
    cannot print (no bundled font has them), so it is said before the family signs."""
    label = notice_label(name="Waarschuwing over het afdrukken van de naam", hidden=True)

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
        self.bsn = line_edit("9 cijfers")
        self.errors: dict[str, ErrorLabel] = {}
        self.errors["voornaam"] = form_row(form, "&Voornaam:", self.voornaam)
        self.errors["achternaam"] = form_row(form, "&Achternaam:", self.achternaam)
        self.print_notice = unprintable_notice(self.voornaam, self.achternaam)
        form.addRow("", self.print_notice)
        self.errors["rol"] = form_row(form, "&Rol:", self.rol)
        date_box = QWidget()
        date_row = bare(QHBoxLayout(date_box))
        date_row.addWidget(self.geboortedatum, 1)
        date_row.addWidget(self.geboortedatum_hint)
        self.errors["geboortedatum"] = form_row(form, "&Geboortedatum:", date_box, buddy=self.geboortedatum)
        self.errors["bsn"] = form_row(form, BSN_LABEL, self.bsn, accessible_name="BSN")
        form.addRow("", label(BSN_HINT))
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
        tab_chain(self.voornaam, self.achternaam, self.rol, self.geboortedatum, self.bsn)
        self.voornaam.setFocus()

    def _date_changed(self, _: QDate) -> None:
        self._date_touched = True
        self.geboortedatum_hint.hide()

    def build(self) -> Member | None:
        """The member the fields describe, or None (and the messages shown)."""
        for error in (*self.errors.values(), self.general_error):
            error.clear_messages()
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
    """Address, gesprek date and place, the members, and who sits at the table.

    Every input is bound to its dossier path; the member fields to those of the member
    selected in the table. Adding and removing a member are undoable edits."""

    step_id = "huishouden"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._member_id: UUID | None = None
        self._row = 0  # the row selected last (the next member is selected after a removal)
        self._presence: dict[UUID, QCheckBox] = {}
        self.confirm = lambda title, text: confirm(self, title, text)  # tests replace this
        column = QVBoxLayout(self.content)

        # --- address and gesprek, side by side
        top = ResponsiveRow(100)
        adres_box = QGroupBox("Adres")
        adres_form = make_form(adres_box)
        self.straat = QLineEdit()
        self.huisnummer = QLineEdit()
        self.huisnummer.setMaximumWidth(120)
        self.postcode = line_edit("1234 AB")
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
        self.gesprek_plaats = line_edit("bijv. thuis, aan de keukentafel")
        self.errors["datum"] = form_row(gesprek_form, "&Datum van het gesprek:", self.gesprek_datum)
        self.errors["gesprek_plaats"] = form_row(gesprek_form, "P&laats van het gesprek:", self.gesprek_plaats)
        top.addWidget(adres_box, 1)
        top.addWidget(gesprek_box, 1)
        column.addWidget(top)

        # --- members: table and buttons left, the selected member's details right
        leden_box = QGroupBox("Gezinsleden")
        leden_row = ResponsiveRow(100)
        QVBoxLayout(leden_box).addWidget(leden_row)
        left_widget = QWidget()
        left = bare(QVBoxLayout(left_widget))
        table_label = label("Wie horen bij het huishouden? &Gezinsleden, met hun leeftijd op de dag van het gesprek:")
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
        self.add_button = button("Gezinslid &toevoegen…", self.add_member, name="Gezinslid toevoegen")
        self.remove_button = button("Gezinslid &verwijderen…", self.remove_selected, name="Gezinslid verwijderen")
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
        self.bsn = line_edit("9 cijfers, alleen voor een beschikking")
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
        detail_form.addRow("", label(BSN_HINT))
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
        self.overige = line_edit("bijv. een tolk, oma, de mentor van school")
        self.errors["overige_aanwezigen"] = form_row(overige_form, "&Overige aanwezigen:", self.overige)
        aanwezig_column.addLayout(overige_form)
        column.addWidget(aanwezig_box)
        column.addStretch(1)

        bind, emit = self.binder.bind, self.changed.emit
        for widget, field, what in ((self.straat, "straat", "straat"), (self.huisnummer, "huisnummer", "huisnummer"),
                                    (self.postcode, "postcode", "postcode"), (self.woonplaats, "plaats", "woonplaats")):
            bind(widget, ("huishouden", "adres", field), label=what, error=self.errors[field], on_edit=emit,
                 overrides=HUISNUMMER if field == "huisnummer" else None)
        bind(self.gesprek_datum, ("gesprek", "datum"), label="datum van het gesprek", error=self.errors["datum"],
             live_errors=True, on_edit=emit)
        bind(self.gesprek_plaats, ("gesprek", "plaats"), label="plaats van het gesprek",
             error=self.errors["gesprek_plaats"], on_edit=emit)
        bind(self.overige, ("gesprek", "overige_aanwezigen"), label="overige aanwezigen",
             error=self.errors["overige_aanwezigen"], on_edit=emit)
        for widget, field in ((self.voornaam, "voornaam"), (self.achternaam, "achternaam"), (self.rol, "rol"),
                              (self.geboortedatum, "geboortedatum"), (self.bsn, "bsn")):
            bind(widget, lambda field=field: self._member_path(field), label=lambda field=field: self._member_label(field),
                 error=self.errors[field], empty_is_none=field == "bsn", live_errors=isinstance(widget, QDateEdit),
                 on_edit=emit)
        self.table.currentCellChanged.connect(self._row_changed)

        # tab order: address, gesprek, table, buttons, details, presence
        tab_chain(self.straat, self.huisnummer, self.postcode, self.woonplaats, self.gesprek_datum, self.gesprek_plaats,
                  self.table, self.add_button, self.remove_button,
                  self.voornaam, self.achternaam, self.rol, self.geboortedatum, self.bsn_toggle, self.bsn)
        self._select(None)

    # --- the selected member --------------------------------------------------------------

    @property
    def _member(self) -> Member | None:
        return self.dossier.member(self._member_id) if self.dossier is not None and self._member_id else None

    def _member_path(self, field: str) -> Path | None:
        return None if self._member_id is None else (*_LEDEN, Item(str(self._member_id)), field)

    def _member_label(self, field: str) -> str:
        member = self._member
        return f"{'BSN' if field == 'bsn' else field} van {member.voornaam if member else 'gezinslid'}"

    def _row_changed(self, row: int, *_: int) -> None:
        leden = self.dossier.huishouden.leden if self.dossier is not None else []
        self._select(leden[row].id if 0 <= row < len(leden) else None)

    def _select(self, member_id: UUID | None) -> None:
        """Show ``member_id``'s fields in the detail form (None: nobody)."""
        self._member_id = member_id
        for key in ("voornaam", "achternaam", "rol", "geboortedatum", "bsn"):
            self.errors[key].clear_messages()
        member = self._member
        if member is not None:
            self._row = self._row_of(member.id)
            self.bsn_toggle.setChecked(member.bsn is not None)
            self.binder.refresh([_LEDEN])
        self.detail.setEnabled(member is not None)
        self.remove_button.setEnabled(member is not None)
        self._show_texts()
        self.print_notice.refresh()
        self._show_bsn(self.bsn_toggle.isChecked())
        self.relock()

    def _row_of(self, member_id: UUID) -> int:
        assert self.dossier is not None
        return next(i for i, m in enumerate(self.dossier.huishouden.leden) if m.id == member_id)

    def _show_bsn(self, shown: bool) -> None:
        self.bsn_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        for row in (self._bsn_row, self._bsn_row + 1):
            self._bsn_form.setRowVisible(row, shown)

    # --- building from the dossier ----------------------------------------------------------

    def rebuild(self) -> None:
        """The table and a presence box per member; the selected member stays selected
        (after a removal: the one now in its row)."""
        dossier = self.dossier
        assert dossier is not None
        leden = dossier.huishouden.leden
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(leden))
        self.binder.unbind(list(self._presence.values()))
        self.presence_grid.clear()
        self._presence = {}
        previous: QWidget = self.bsn
        for member in leden:
            box = QCheckBox()
            setattr(box, TARGET_PATH, (*_LEDEN, Item(str(member.id)), "aanwezig"))  # "Ga naar" a member's presence
            self.binder.bind(box, ("gesprek", "aanwezig"), label=f"aanwezigheid van {member.voornaam}",
                             to_widget=lambda ids, mid=member.id: mid in ids,
                             to_model=lambda checked, mid=member.id: self._aanwezig(mid, checked),
                             prepare=lambda ids, mid=member.id: self._prefill_contact(mid) if mid in ids else [],
                             on_edit=self.changed.emit)
            self.presence_grid.add(box)
            self._presence[member.id] = box
            QWidget.setTabOrder(previous, box)
            previous = box
        if not leden:
            self.presence_grid.add(QLabel("Voeg eerst de gezinsleden toe."))
        QWidget.setTabOrder(previous, self.overige)
        keep = self._member_id if self._member is not None else None
        if keep is None and leden:
            keep = leden[min(self._row, len(leden) - 1)].id
        if keep is not None:
            with QSignalBlocker(self.table):
                self.table.setCurrentCell(self._row_of(keep), 0)
        self._select(keep)

    def _show_texts(self) -> None:
        """The table's rows, the presence boxes' names and the detail form's title."""
        dossier = self.dossier
        if dossier is None:
            return
        on = dossier.gesprek.datum
        for row, member in enumerate(dossier.huishouden.leden):
            texts = [member.naam, member.rol.label, format_date(member.geboortedatum), age_text(member, on)]
            for col, text in enumerate(texts):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, col, item)
                item.setText(text)
                font = item.font()
                font.setBold(col == 3 and member.is_minor_on(on))
                item.setFont(font)
            box = self._presence.get(member.id)
            if box is not None:
                box.setText(f"{member.naam} ({age_text(member, on)})")
                box.setAccessibleName(f"Aanwezig: {member.naam}")
        member = self._member
        self.detail.setTitle(f"Gegevens van {member.voornaam}" if member else "Gegevens van het gezinslid")

    def on_changed(self, paths: list[Path]) -> None:
        if any(len(p) <= 3 and related(p, _LEDEN) for p in paths):  # members added, removed, replaced
            self.rebuild()
        elif any(related(p, _LEDEN) or related(p, ("gesprek", "datum")) for p in paths):
            self._show_texts()
            self.print_notice.refresh()

    # --- edits ----------------------------------------------------------------------------

    def _aanwezig(self, member_id: UUID, checked: bool) -> list[UUID]:
        assert self.dossier is not None
        present = (set(self.dossier.gesprek.aanwezig) - {member_id}) | ({member_id} if checked else set())
        return [m.id for m in self.dossier.huishouden.leden if m.id in present]

    def _prefill_contact(self, member_id: UUID) -> list[tuple[Path, Any]]:
        """Someone at the table was at least seen: fill in "Wie is er gesproken" for them
        (spoken with; a child under the speaking age: seen). Never overwrites a choice."""
        from forms import ContactRecord, ContactStatus
        from forms.rules import RuleSettings

        dossier = self.dossier
        assert dossier is not None
        member = dossier.member(member_id)
        if member is None or dossier.contact(member_id) is not None:
            return []
        young = member.rol is Role.KIND and member.age_on(dossier.gesprek.datum) < RuleSettings().child_spoken_age
        record = ContactRecord(member_id=member_id, status=ContactStatus.GEZIEN if young else ContactStatus.GESPROKEN)
        return [(("gesprek", "contacten", Item(str(member_id), "member_id")), record)]

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
        """Add ``member`` as one undoable edit and select them."""
        assert self.dossier is not None
        previous, self._member_id = self._member_id, member.id
        try:
            self.edit(_LEDEN, [*self.dossier.huishouden.leden, member], f"{member.voornaam} toevoegen")
        except ValidationError:
            self._member_id = previous
            return None
        self.table.setFocus()
        return member

    def remove_selected(self) -> bool:
        """Remove the selected member after confirmation, as one undoable step; True when removed."""
        member = self._member
        if member is None or self.document is None or self.read_only:
            return False
        also = removal_summary(self.document.dossier, member.id)
        text = f"Wilt u {member.naam} uit het huishouden verwijderen?"
        if also:
            text += "\n\nDan verdwijnt ook:\n" + "\n".join(f"• {line}" for line in also)
        if not self.confirm("Gezinslid verwijderen", text):
            return False
        label = f"{member.voornaam} verwijderen"
        with self.document.step(label):
            for path, value in removal_edits(self.document.dossier, member.id):
                self.document.set(path, value, label=label)
        self.changed.emit()
        (self.table if self.document.dossier.huishouden.leden else self.add_button).setFocus()
        return True

    # --- "Ga naar" --------------------------------------------------------------------------

    def reveal(self, path: Path) -> None:
        if path[:2] == _LEDEN and len(path) > 2 and isinstance(path[2], Item) and self.dossier is not None:
            member = next((m for m in self.dossier.huishouden.leden if str(m.id) == path[2].id), None)
            if member is not None:
                self.table.setCurrentCell(self._row_of(member.id), 0)
            if path[3:] == ("bsn",):
                self.bsn_toggle.setChecked(True)

    def focus_path(self, path: Path) -> bool:
        if path != _LEDEN:
            return super().focus_path(path)
        # the list itself: no input is bound to it (the binder's nearest would be a member's name)
        self.focus_widget(self.table if self.table.rowCount() else self.add_button)
        return True
