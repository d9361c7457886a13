"""Step 2, "Wie is er gesproken": per member gesproken / gezien / niet gesproken (T1)."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from forms import ContactRecord, ContactStatus, Dossier, Member
from forms.rules import RuleSettings

from ..widgets import (
    ErrorLabel,
    RadioChoice,
    assign,
    bind_text,
    clear_layout,
    form_row,
    from_qdate,
    make_date_edit,
    make_form,
    notice_label,
    scroll_wrap,
    to_qdate,
)
from .base import StepContext, StepPage, apply_read_only
from .huishouden import age_text, set_gesprek_datum

__all__ = ["ContactPage", "SPEAK_AGE", "needs_reason"]

GUIDANCE = "Spreek met alle gezinsleden; zeer jonge kinderen ziet u in elk geval."
# From this age a child must be spoken with; 'only seen' then needs a reason (T1).
SPEAK_AGE = RuleSettings().child_spoken_age
_OPTIONS = [
    (ContactStatus.GESPROKEN, ContactStatus.GESPROKEN.label),
    (ContactStatus.GEZIEN, ContactStatus.GEZIEN.label),
    (ContactStatus.NIET, ContactStatus.NIET.label),
]


def needs_reason(member: Member, status: ContactStatus | None, dossier: Dossier) -> bool:
    """'Niet gesproken' always needs a reason; a child only 'gezien' from SPEAK_AGE on too
    (the same rule as forms.rules; adults only seen need none)."""
    if status is ContactStatus.NIET:
        return True
    on = dossier.gesprek.datum
    return (
        status is ContactStatus.GEZIEN
        and member.is_minor_on(on)
        and member.age_on(on) >= SPEAK_AGE
    )


def reason_question(member: Member, status: ContactStatus | None, dossier: Dossier) -> str:
    if status is ContactStatus.GEZIEN:
        age = member.age_on(dossier.gesprek.datum)
        return f"{member.voornaam} is {age}: waarom alleen gezien en niet gesproken?"
    return f"Waarom is {member.voornaam} niet gesproken?"


class _MemberRow(QGroupBox):
    """One member: the status choice and, when needed, the reason."""

    def __init__(self, page: ContactPage, member: Member) -> None:
        assert page.dossier is not None
        on = page.dossier.gesprek.datum
        super().__init__(f"{member.naam} ({age_text(member, on)})")
        self.page = page
        self.member = member
        self.setAccessibleName(f"{member.naam}, {age_text(member, on)}")
        record = page.dossier.contact(member.id)
        self.choice = RadioChoice(
            _OPTIONS, f"{member.naam}", record.status if record else None
        )
        self.state = notice_label()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("bijv. lag te slapen, was op school, wilde niet")
        form = make_form()
        form.addRow(self.choice)
        form.addRow(self.state)
        self._state_row = form.rowCount() - 1
        self.reason_label_text = ""
        self.error: ErrorLabel = form_row(
            form, "Reden:", self.reason, accessible_name=f"Reden bij {member.naam}"
        )
        self._reason_row = form.rowCount() - 1
        self.form = form
        column = QVBoxLayout(self)
        column.addLayout(form)
        self.binding = bind_text(self.reason, record, "reden", self.error, page.changed.emit)
        self.choice.valueChanged.connect(self._status_chosen)
        self._update()

    @property
    def reason_shown(self) -> bool:
        return self.form.isRowVisible(self._reason_row)

    @property
    def record(self) -> ContactRecord | None:
        assert self.page.dossier is not None
        return self.page.dossier.contact(self.member.id)

    def _status_chosen(self, status: ContactStatus) -> None:
        dossier = self.page.dossier
        assert dossier is not None
        record = self.record
        if record is None:
            record = ContactRecord(member_id=self.member.id, status=status)
            if assign(dossier.gesprek, "contacten", [*dossier.gesprek.contacten, record]):
                return
            self.binding.retarget(record)
            if self.reason.text().strip():  # typed before? keep it
                assign(record, "reden", self.reason.text())
        elif assign(record, "status", status):
            return
        self._update()
        self.page.changed.emit()

    def _update(self) -> None:
        dossier = self.page.dossier
        assert dossier is not None
        record = self.record
        status = record.status if record else None
        show = needs_reason(self.member, status, dossier)
        self.form.setRowVisible(self._reason_row, show)
        label = self.form.itemAt(self._reason_row, self.form.ItemRole.LabelRole).widget()
        question = reason_question(self.member, status, dossier)
        label.setText(question)
        self.reason.setAccessibleName(question)
        if record is None:
            self.state.setText("Nog niet vastgelegd.")
        elif show and not record.reden:
            self.state.setText("Vul de reden in.")
        else:
            self.state.setText("")
        self.form.setRowVisible(self._state_row, bool(self.state.text()))


class ContactPage(StepPage):
    """Who was spoken with, who was seen, and why not (T1)."""

    scroll: QScrollArea  # type: ignore[assignment]  # shadows QWidget.scroll(dx, dy); nothing calls that here

    step_id = "contact"
    title = "Wie is er gesproken"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: dict[UUID, _MemberRow] = {}
        content = QWidget()
        column = QVBoxLayout(content)
        guidance = QLabel(GUIDANCE)
        guidance.setWordWrap(True)
        font = guidance.font()
        font.setBold(True)
        guidance.setFont(font)
        column.addWidget(guidance)
        explain = QLabel(
            "Kies per gezinslid wat er is gebeurd. Bij ‘niet gesproken’, en bij een kind "
            f"van {SPEAK_AGE} jaar of ouder dat alleen is gezien, vult u de reden in."
        )
        explain.setWordWrap(True)
        column.addWidget(explain)
        date_form = make_form()
        self.gesprek_datum = make_date_edit(context.today, "Datum van het gesprek")
        self.gesprek_datum.setMaximumWidth(200)
        self.datum_error = form_row(date_form, "&Datum van het gesprek:", self.gesprek_datum)
        self.gesprek_datum.dateChanged.connect(self._datum_changed)
        column.addLayout(date_form)
        self.list = QVBoxLayout()
        column.addLayout(self.list)
        column.addStretch(1)
        self.scroll = scroll_wrap(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.changed.connect(self._refresh_states)

    def set_dossier(self, dossier: Dossier) -> None:
        super().set_dossier(dossier)
        self.gesprek_datum.blockSignals(True)
        self.gesprek_datum.setDate(to_qdate(dossier.gesprek.datum))
        self.gesprek_datum.blockSignals(False)
        self.datum_error.clear_messages()
        self._build_rows()

    def _build_rows(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        clear_layout(self.list)
        self.rows = {}
        previous: QWidget | None = self.gesprek_datum
        for member in dossier.huishouden.leden:
            row = _MemberRow(self, member)
            self.list.addWidget(row)
            self.rows[member.id] = row
            for button in row.choice.buttons.values():
                if previous is not None:
                    QWidget.setTabOrder(previous, button)
                previous = button
            QWidget.setTabOrder(previous, row.reason)
            previous = row.reason
        if not self.rows:
            self.list.addWidget(QLabel("Voeg eerst de gezinsleden toe (stap Huishouden)."))
        if self.read_only:
            apply_read_only(self, True)

    def _datum_changed(self, value: QDate) -> None:
        if self.dossier is None:
            return
        old = self.dossier.gesprek.datum
        messages = set_gesprek_datum(self.dossier, from_qdate(value))
        self.datum_error.show_messages(messages)
        if not messages and self.dossier.gesprek.datum != old:
            self._build_rows()  # ages, and so which reasons are asked, depend on the date
            self.changed.emit()
            self.structure_changed.emit()

    def _refresh_states(self) -> None:
        for row in self.rows.values():
            row._update()

    def focus_location(self, location: object) -> None:
        member_id = getattr(location, "member_id", None)
        field = getattr(location, "field", None) or ""
        if field == "datum" and member_id is None:  # e.g. 'gesprek_datum_toekomst'
            self.scroll.ensureWidgetVisible(self.gesprek_datum)
            self.gesprek_datum.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        row = self.rows.get(member_id) if member_id is not None else None
        if row is None:
            # the first member still without a status, else the first member
            row = next(
                (r for r in self.rows.values() if r.record is None),
                next(iter(self.rows.values()), None),
            )
        if row is None:
            return
        if field == "reden" and row.reason_shown:
            target: QWidget = row.reason
        elif field == "reden" and row.record is None:
            target = row.choice.buttons[ContactStatus.NIET]
        else:
            target = row.choice.focus_button() or row
        self.scroll.ensureWidgetVisible(row)
        self.scroll.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
