"""Step "Afsluiting": how the trajectory ends (T13).

Closing is allowed only when the family can go on alone, or when follow-up is arranged
with a named netwerkpartner (chosen from the dossier's partners, with what was agreed);
every partner the family allowed contact with is told that the help ends (when and how);
the resultaat comes from the municipality's list (``Definitions.trajectory.resultaten``);
an optional waakvlam date puts the household back on the caseload later. The final
safety check per child is the veiligheid step: this page shows where each child stands
and goes there.

Everything lives in ``gesprek.afsluiting`` (made by the first edit); the inputs are
bound in :meth:`AfsluitingPage._bind_fixed` and :meth:`AfsluitingPage._bind_partner`.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any
from uuid import UUID

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.widgets import (
    NOTICE_COLOR,
    OptionalDateEdit,
    RadioChoice,
    bare,
    button,
    clear_layout,
    combo,
    form_row,
    format_date,
    label,
    labelled,
    line_edit,
    make_form,
    refill,
    short_date_edit,
)
from forms import Dossier, Partner
from forms.paths import Item, Path
from forms.rules import Location

from .base import StepContext, StepPage
from .hulpvraag import text_edit
from .safety_compare import current_assessment
from .trajectory_widgets import bind_nested, hint, trajectory_options

__all__ = ["AfsluitingPage", "PartnerRow"]

_AFSLUITING: Path = ("gesprek", "afsluiting")


def _partner_name(partner: Partner) -> str:
    return f"{partner.organisatie} ({partner.contactpersoon})" if partner.contactpersoon else partner.organisatie


def informed_partners(dossier: Dossier) -> list[Partner]:
    """The partners the family allowed contact with: they are told that the help ends."""
    return [p for p in dossier.partners if p.toestemming is not None and p.toestemming.contact_toegestaan]


class PartnerRow(QWidget):
    """One partner to inform: how and when."""

    def __init__(self, partner: Partner, today: dt.date) -> None:
        super().__init__()
        self.partner = partner
        name = _partner_name(partner)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.addWidget(label(f"<b>{name}</b>"), 0, 0, 1, 2)
        self.status = label(name=f"Is {partner.organisatie} geïnformeerd")
        grid.addWidget(self.status, 1, 0, 1, 2)
        form = make_form()
        grid.addLayout(form, 2, 0, 1, 2)
        self.hoe = line_edit("Bijvoorbeeld: telefonisch, per brief, in een overleg")
        self.hoe_error = form_row(form, "Hoe geïnformeerd:", self.hoe, accessible_name=f"Hoe is {partner.organisatie} geïnformeerd")
        self.datum = short_date_edit(today, f"Datum waarop {partner.organisatie} is geïnformeerd")
        self.datum_error = form_row(form, "Datum:", self.datum)

    def path(self, field: str | None = None) -> Path:
        item: Path = (*_AFSLUITING, "geinformeerd", Item(str(self.partner.id), "partner_id"))
        return (*item, field) if field else item


class AfsluitingPage(StepPage):
    """Zelfstandig verder or vervolg; partners informed; resultaat; waakvlam; safety per child."""

    step_id = "afsluiting"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.options = trajectory_options(context.definitions)
        self.rows: list[PartnerRow] = []
        self.intro_column(
            "Sluit de hulp pas af als het gezin zelfstandig verder kan of als het vervolg met een "
            "netwerkpartner is geregeld. Laat elke partner die bij het gezin betrokken was weten dat "
            "de hulp stopt, en kijk voor elk kind nog één keer naar de veiligheid.",
            self._build_verder(),
            self._build_partners(),
            self._build_result(),
            self._build_safety(),
        )
        self._bind_fixed()

    # --- construction ---------------------------------------------------------------------

    def _build_verder(self) -> QGroupBox:
        box = QGroupBox("Hoe gaat het gezin verder?")
        column = QVBoxLayout(box)
        self.zelfstandig = RadioChoice(
            [(True, "Ja, het gezin kan zelfstandig verder"), (False, "Nee, er is vervolg met een netwerkpartner")],
            "Kan het gezin zelfstandig verder",
            vertical=True,
        )
        self.zelfstandig_error = labelled(column, QLabel("&Kan het gezin zelfstandig verder?"), self.zelfstandig)
        self.vervolg = QWidget()
        form = bare(make_form(self.vervolg))
        self.partner = combo("Netwerkpartner die het vervolg doet")
        self.partner_error = form_row(form, "Vervolg &met:", self.partner)
        self.no_partners = hint("Er zijn nog geen netwerkpartners vastgelegd; voeg ze toe in de stap 'Netwerk en toestemming'.")
        form.addRow(self.no_partners)
        self.afspraak = text_edit("Wat is met de partner afgesproken", lines=2, grow=False)
        self.afspraak_error = form_row(form, "&Afspraak met de partner:", self.afspraak)
        column.addWidget(self.vervolg)
        return box

    def _build_partners(self) -> QGroupBox:
        box = QGroupBox("Partners informeren")
        column = QVBoxLayout(box)
        column.addWidget(hint("Laat elke netwerkpartner waarmee het gezin contact toestond weten dat de hulp stopt: wanneer en hoe."))
        self.partner_rows = QVBoxLayout()
        column.addLayout(self.partner_rows)
        self.no_informed = hint("Er zijn geen netwerkpartners met toestemming voor contact: er is niemand om te informeren.")
        column.addWidget(self.no_informed)
        return box

    def _build_result(self) -> QGroupBox:
        box = QGroupBox("Resultaat en waakvlam")
        form = make_form(box)
        self.resultaat = RadioChoice(self.options.resultaten, "Resultaat van het traject", vertical=True)
        self.resultaat_error = form_row(form, "&Resultaat:", self.resultaat)
        self.waakvlam = OptionalDateEdit(accessible_name="Datum van de waakvlam", check_text="afgesproken")
        self.waakvlam_error = form_row(form, "&Waakvlam:", self.waakvlam)
        form.addRow(
            hint(
                "Een waakvlam is een datum waarop u na het afsluiten nog eens contact opneemt; het "
                "huishouden staat dan weer op uw lijst."
            )
        )
        self.toelichting = text_edit("Toelichting bij de afsluiting", lines=2, grow=False)
        self.toelichting_error = form_row(form, "&Toelichting:", self.toelichting)
        return box

    def _build_safety(self) -> QGroupBox:
        box = QGroupBox("Veiligheid per kind bij het afsluiten")
        column = QVBoxLayout(box)
        column.addWidget(hint("Beoordeel de veiligheid van elk kind bij dit gesprek opnieuw, in de stap 'Veiligheid per kind'."))
        self.children_grid = QGridLayout()
        column.addLayout(self.children_grid)
        self.child_buttons: dict[UUID, QPushButton] = {}
        self.child_status: dict[UUID, QLabel] = {}
        return box

    # --- binding ----------------------------------------------------------------------------

    def _bind_fixed(self) -> None:
        emit = self.changed.emit
        defaults = {_AFSLUITING: dict}
        for widget, field, error, what, extra in (
            (self.zelfstandig, "zelfstandig_verder", self.zelfstandig_error, "zelfstandig verder", {}),
            (self.partner, "vervolg_partner_id", self.partner_error, "vervolg met partner", {"to_model": lambda v: v or None}),
            (self.afspraak, "vervolg_afspraak", self.afspraak_error, "afspraak met de partner", {}),
            (self.resultaat, "resultaat", self.resultaat_error, "resultaat", {}),
            (self.waakvlam, "waakvlam", self.waakvlam_error, "waakvlam", {}),
            (self.toelichting, "toelichting", self.toelichting_error, "toelichting afsluiting", {}),
        ):
            bind_nested(self.binder, widget, (*_AFSLUITING, field), defaults, label=what, error=error, on_edit=emit,
                        **extra)

    def _bind_partner(self, row: PartnerRow) -> None:
        pid = str(row.partner.id)

        def new_row() -> dict[str, Any]:
            return {"partner_id": pid, "datum": row.datum.date().toPython(), "hoe": row.hoe.text()}  # type: ignore[attr-defined]

        defaults = {_AFSLUITING: dict, row.path(): new_row}
        name, emit = row.partner.organisatie, self.changed.emit
        bind_nested(self.binder, row.hoe, row.path("hoe"), defaults, label=f"hoe {name} is geïnformeerd",
                    error=row.hoe_error, on_edit=emit)
        bind_nested(self.binder, row.datum, row.path("datum"), defaults, label=f"datum waarop {name} is geïnformeerd",
                    error=row.datum_error, on_edit=emit, live_errors=True,
                    overrides={"string_too_short": f"Vul eerst in hoe {name} is geïnformeerd."})

    # --- the dossier -----------------------------------------------------------------------

    def rebuild(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        partners = [(str(p.id), _partner_name(p)) for p in dossier.partners]
        refill(self.partner, [("", "Kies een netwerkpartner"), *partners])
        self.binder.refresh([(*_AFSLUITING, "vervolg_partner_id")])
        self.no_partners.setVisible(not dossier.partners)
        self.binder.unbind([w for row in self.rows for w in (row.hoe, row.datum)])
        clear_layout(self.partner_rows)
        self.rows = []
        for partner in informed_partners(dossier):
            row = PartnerRow(partner, self.context.today)
            self.partner_rows.addWidget(row)
            self._bind_partner(row)
            self.rows.append(row)
        self.no_informed.setVisible(not self.rows)
        self._build_children(dossier)
        self._update()
        self.setEnabled(True)

    def _build_children(self, dossier: Dossier) -> None:
        clear_layout(self.children_grid)
        self.child_buttons, self.child_status = {}, {}
        for r, child in enumerate(dossier.children()):
            status = label(name=f"Veiligheid van {child.voornaam} bij het afsluiten")
            # navigation: also in a finalised gesprek
            go = button(f"Naar de veiligheid van {child.voornaam}", partial(self.show_child_safety, child.id),
                        keep_enabled=True)
            self.children_grid.addWidget(status, r, 0)
            self.children_grid.addWidget(go, r, 1)
            self.children_grid.setColumnStretch(0, 1)
            self.child_buttons[child.id], self.child_status[child.id] = go, status

    def on_changed(self, paths: list[Path]) -> None:
        if any(not p or p[0] in ("partners", "huishouden") or p[:2] == ("gesprek", "datum") for p in paths):
            self.set_dossier(self.dossier) if self.dossier is not None else None
            return
        self._update()

    def _update(self) -> None:
        dossier = self.dossier
        if dossier is None:
            return
        closing = dossier.gesprek.afsluiting
        self.vervolg.setVisible(closing is not None and (closing.zelfstandig_verder is False or closing.vervolg_partner_id is not None))
        told = {t.partner_id: t for t in closing.geinformeerd} if closing else {}
        for row in self.rows:
            entry = told.get(row.partner.id)
            row.status.setText(
                f"✓ Geïnformeerd op {format_date(entry.datum)} ({entry.hoe})." if entry else "Nog niet geïnformeerd."
            )
            row.status.setStyleSheet("" if entry else f"color: {NOTICE_COLOR};")
        for child in dossier.children():
            status = self.child_status.get(child.id)
            if status is None:
                continue
            now = current_assessment(dossier, child.id)
            if now is not None and now.afgerond:
                judged = now.veiligheid_nu.label.lower() if now.veiligheid_nu else "zonder oordeel"
                status.setText(f"{child.naam}: ✓ opnieuw beoordeeld bij dit gesprek ({judged}).")
                status.setStyleSheet("")
            else:
                status.setText(f"{child.naam}: nog niet opnieuw beoordeeld bij dit gesprek.")
                status.setStyleSheet(f"color: {NOTICE_COLOR};")

    def show_child_safety(self, child_id: UUID) -> None:
        """Go to the veiligheid step with this child's tab (the workspace's "Ga naar")."""
        self.go_to_location.emit(Location(section="veiligheid", member_id=child_id))

    # --- gaps ------------------------------------------------------------------------------

    def reveal(self, path: Path) -> None:
        if path[:3] in ((*_AFSLUITING, "vervolg_partner_id"), (*_AFSLUITING, "vervolg_afspraak")):
            self.vervolg.setVisible(True)

    def widget_for_path(self, path: Path) -> QWidget | None:
        if path[:3] == (*_AFSLUITING, "geinformeerd") and self.rows:
            return self.rows[0].hoe
        return None
