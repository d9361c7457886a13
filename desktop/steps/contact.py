"""Step 2, "Wie is er gesproken": per member gesproken / gezien / niet gesproken (T1)."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from forms import ContactRecord, ContactStatus, Dossier, Member
from forms.paths import Item, Path
from forms.rules import RuleSettings

from ..widgets import (
    ErrorLabel,
    RadioChoice,
    clear_layout,
    form_row,
    label,
    line_edit,
    make_date_edit,
    make_form,
    notice_label,
    tab_chain,
)
from .base import StepContext, StepPage
from .huishouden import age_text

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
        self.choice = RadioChoice(_OPTIONS, f"{member.naam}")
        self.state = notice_label()
        self.reason = line_edit("bijv. lag te slapen, was op school, wilde niet")
        form = make_form()
        form.addRow(self.choice)
        form.addRow(self.state)
        self._state_row = form.rowCount() - 1
        self.error: ErrorLabel = form_row(form, "Reden:", self.reason, accessible_name=f"Reden bij {member.naam}")
        self._reason_row = form.rowCount() - 1
        self.form = form
        column = QVBoxLayout(self)
        column.addLayout(form)
        record: Path = ("gesprek", "contacten", Item(str(member.id), "member_id"))
        bind, emit = page.binder.bind, page.changed.emit
        bind(self.choice, (*record, "status"), label=f"contact met {member.voornaam}", on_edit=emit)
        bind(self.reason, (*record, "reden"), label=f"reden bij {member.voornaam}", error=self.error, on_edit=emit)

    @property
    def reason_shown(self) -> bool:
        return self.form.isRowVisible(self._reason_row)

    @property
    def record(self) -> ContactRecord | None:
        assert self.page.dossier is not None
        return self.page.dossier.contact(self.member.id)

    def update_state(self) -> None:
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

    step_id = "contact"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: dict[UUID, _MemberRow] = {}
        column = QVBoxLayout(self.content)
        column.addWidget(label(GUIDANCE, bold=True))
        column.addWidget(label(
            "Kies per gezinslid wat er is gebeurd. Bij ‘niet gesproken’, en bij een kind "
            f"van {SPEAK_AGE} jaar of ouder dat alleen is gezien, vult u de reden in."
        ))
        date_form = make_form()
        self.gesprek_datum = make_date_edit(context.today, "Datum van het gesprek")
        self.gesprek_datum.setMaximumWidth(200)
        self.datum_error = form_row(date_form, "&Datum van het gesprek:", self.gesprek_datum)
        self.binder.bind(self.gesprek_datum, ("gesprek", "datum"), label="datum van het gesprek",
                         error=self.datum_error, live_errors=True, on_edit=self.changed.emit)
        column.addLayout(date_form)
        self.list = QVBoxLayout()
        column.addLayout(self.list)
        column.addStretch(1)

    def rebuild(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        self.binder.unbind([w for row in self.rows.values() for w in (row.choice, row.reason)])
        clear_layout(self.list)
        self.rows = {}
        for member in dossier.huishouden.leden:
            row = _MemberRow(self, member)
            self.list.addWidget(row)
            self.rows[member.id] = row
        rows = self.rows.values()
        tab_chain(self.gesprek_datum, *(w for row in rows for w in (*row.choice.buttons.values(), row.reason)))
        if not self.rows:
            self.list.addWidget(QLabel("Voeg eerst de gezinsleden toe (stap Huishouden)."))
        self.relock()
        for row in self.rows.values():
            row.update_state()

    def on_changed(self, paths: list[Path]) -> None:
        super().on_changed(paths)
        for row in self.rows.values():
            row.update_state()

    def widget_for_path(self, path: Path) -> QWidget | None:
        # a member without a record yet: the choice of the first one still open
        row = next((r for r in self.rows.values() if r.record is None), next(iter(self.rows.values()), None))
        return row.choice if row is not None else None
