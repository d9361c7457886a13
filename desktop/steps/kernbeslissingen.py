"""Step "Kernbeslissingen en opschaling" (T11, T14).

A log of the key decisions of the trajectory (``Dossier.kernbeslissingen``): what kind
(the municipality's list, ``Definitions.trajectory.kernbeslissingen``), what was decided,
about which child, who was consulted (collega, gedragswetenschapper, partner: name, date,
about what, their advice), on which information, and whether a veiligheidsplan is needed
— and then the veiligheidsplan itself: afspraken (wat, wie, wanneer), signed with the
family on the signature pad of :mod:`desktop.signing`.

Below it the opschalingen (``Dossier.opschalingen``): to Veilig Thuis, the Raad voor de
Kinderbescherming, a procesmanager or another party, with reason, date, outcome and the
kernbeslissing it is; adding one offers to record that kernbeslissing at once.

Entries of earlier gesprekken are finalised history: they show, but only an
opschaling's outcome (which may come later) can still be filled in.

The editors are bound once (``bound_row``), to the selected entry's paths (``_kb_path``, ``_op_path``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID, uuid4

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.signing import KEYBOARD_NOTE, SignerCard
from desktop.widgets import (
    RadioChoice,
    bare,
    bound_row,
    button,
    clear_layout,
    combo,
    form_row,
    format_date,
    label,
    line_edit,
    make_form,
    notice_label,
    refill,
    required_text,
    short_date_edit,
)
from forms import Kernbeslissing, Opschaling, Raadpleging, Role, Signature
from forms.paths import Item, Path

from .base import KEEP_ENABLED, StepContext, StepPage, apply_read_only
from .hulpvraag import text_edit
from .trajectory_widgets import from_earlier_gesprek, hint, trajectory_options

__all__ = ["KernbeslissingenPage", "MET_LABELS"]

MET_LABELS = {"collega": "Collega", "gedragswetenschapper": "Gedragswetenschapper", "partner": "Netwerkpartner"}
_ID = Qt.ItemDataRole.UserRole
# a choice whose first item ("Het hele gezin", "Geen") stands for no id
_OPTIONAL_ID: dict[str, Callable[[Any], Any]] = {
    "to_widget": lambda v: str(v) if v else "",
    "to_model": lambda v: v or None,
}


def _first_line(text: str, limit: int = 60) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _current_id(view: QListWidget) -> str | None:
    """The id of the selected row. (currentItem() is avoided: PySide6 6.12 drops a reference
    to None each time a Qt call returns a null pointer, which aborts Python after a few
    thousand calls.)"""
    row = view.currentRow()
    return str(view.item(row).data(_ID)) if 0 <= row < view.count() else None


def _list(
    column: QVBoxLayout, caption: str, name: str, empty: str, selected: Callable[[], None]
) -> tuple[QListWidget, QLabel]:
    """A list of entries under its label, and the hint shown instead while there are none."""
    view = QListWidget()
    view.setAccessibleName(name)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setProperty(KEEP_ENABLED, True)  # earlier entries stay readable in a finalised gesprek
    line = view.fontMetrics().lineSpacing()
    view.setMinimumHeight(line * 4 + 8)
    view.setMaximumHeight(line * 8 + 8)
    view.currentRowChanged.connect(lambda _row: selected())
    title = QLabel(caption)
    title.setBuddy(view)
    none = hint(empty)
    for widget in (title, view, none):
        column.addWidget(widget)
    return view, none


def _editor(column: QVBoxLayout, title: str, earlier: str) -> tuple[QGroupBox, QLabel, QVBoxLayout, QFormLayout]:
    """The box editing the chosen entry: a note shown while it is an earlier gesprek's, then a form."""
    editor = QGroupBox(title)
    column.addWidget(editor)
    layout = QVBoxLayout(editor)
    note = notice_label(earlier)
    layout.addWidget(note)
    form = make_form()
    layout.addLayout(form)
    return editor, note, layout, form


class _Rows(QWidget):
    """A short list of recorded things (raadplegingen, afspraken), each with "Verwijderen"."""

    def __init__(self, empty: str) -> None:
        super().__init__()
        self.empty = empty
        self.column = bare(QVBoxLayout(self))
        self.remove_buttons: list[QPushButton] = []

    def show_rows(self, rows: list[str], remove: Callable[[int], None] | None, what: str) -> None:
        clear_layout(self.column)
        self.remove_buttons = []
        if not rows:
            self.column.addWidget(hint(self.empty))
        for index, text in enumerate(rows):
            line = QWidget()
            row = bare(QHBoxLayout(line))
            shown = label(text)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.addWidget(shown, 1)
            if remove is not None:
                remove_button = button("Verwijderen", partial(remove, index), name=f"{what} {index + 1} verwijderen")
                row.addWidget(remove_button, 0, Qt.AlignmentFlag.AlignTop)
                self.remove_buttons.append(remove_button)
            self.column.addWidget(line)


class KernbeslissingenPage(StepPage):
    """The log of kernbeslissingen with their consultations and veiligheidsplan; the opschalingen."""

    step_id = "kernbeslissingen"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.options = trajectory_options(context.definitions)
        self.current_kb: str | None = None
        self.current_op: str | None = None
        self.cards: list[SignerCard] = []
        self._cards_for: UUID | None = None
        self._locked_kb: str | None = None  # the entries the editors' lock was last set for
        self._locked_op: str | None = None
        self._op_locked = False
        self.intro_column(
            "Leg elke kernbeslissing vast: wat is besloten, met wie u overlegde en waarover, op welke "
            "informatie, en of er een veiligheidsplan nodig is. Een opschaling is altijd een kernbeslissing.",
            self._build_decisions(),
            self._build_opschalingen(),
        )

    # --- construction: kernbeslissingen ---------------------------------------------------------

    def _build_decisions(self) -> QGroupBox:
        box = QGroupBox("Kernbeslissingen")
        column = QVBoxLayout(box)
        new = self.new_kb_box = QGroupBox("Nieuwe kernbeslissing")
        form = make_form(new)
        self.new_soort = combo("Soort nieuwe kernbeslissing", self.options.kernbeslissingen)
        # an opschaling is recorded below, with its kernbeslissing: not the default here
        self.new_soort.setCurrentIndex(next((i for i, (k, _) in enumerate(self.options.kernbeslissingen) if k != "opschaling"), 0))
        form_row(form, "&Soort:", self.new_soort)
        self.new_beslissing = line_edit("Wat is besloten?")
        self.new_beslissing.returnPressed.connect(self.add_decision)
        self.new_error = form_row(form, "&Beslissing:", self.new_beslissing, accessible_name="Wat is besloten (nieuwe kernbeslissing)")
        self.add_button = button("Kernbeslissing &toevoegen", self.add_decision)
        form.addRow(self.add_button)
        column.addWidget(new)
        self.decisions, self.no_decisions = _list(
            column, "&Kernbeslissingen van dit huishouden", "Kernbeslissingen", "Nog geen kernbeslissingen vastgelegd.",
            self._select_kb,
        )

        self.kb_editor, self.kb_earlier, ed, form = _editor(
            column,
            "De gekozen kernbeslissing",
            "Deze kernbeslissing is vastgelegd bij een eerder gesprek en blijft zoals zij is.",
        )
        kb, row = self._kb_path, partial(bound_row, self.binder, form, on_edit=self.changed.emit)
        self.kb_soort = combo("Soort kernbeslissing", self.options.kernbeslissingen)
        row("Soort:", self.kb_soort, kb("soort"), label="soort kernbeslissing")
        self.kb_datum = short_date_edit(self.context.today, "Datum van de kernbeslissing")
        row("&Datum:", self.kb_datum, kb("datum"), label="datum kernbeslissing")
        self.kb_child = combo("Over welk kind")
        row("Over &welk kind:", self.kb_child, kb("child_id"), label="kind bij de kernbeslissing", **_OPTIONAL_ID)
        self.kb_beslissing = text_edit("Wat is besloten", lines=2, grow=False)
        row("Wat is b&esloten:", self.kb_beslissing, kb("beslissing"), label="kernbeslissing")
        self.kb_informatie = text_edit("Op welke informatie is de beslissing gebaseerd", lines=2, grow=False)
        self.kb_informatie.setPlaceholderText("Bijvoorbeeld: de veiligheidsbeoordeling, een gesprek met school")
        row("Op welke &informatie:", self.kb_informatie, kb("informatie"), label="informatie bij de kernbeslissing")

        consult = QGroupBox("Wie is geraadpleegd")
        consult.setAccessibleName("Raadplegingen")
        cl = QVBoxLayout(consult)
        self.raadplegingen = _Rows("Nog niemand geraadpleegd. Bij een kernbeslissing is overleg verplicht.")
        cl.addWidget(self.raadplegingen)
        self.r_form = QWidget()
        add = bare(make_form(self.r_form))
        cl.addWidget(self.r_form)
        self.r_met = combo("Geraadpleegd: met wie", MET_LABELS.items())
        form_row(add, "&Met:", self.r_met)
        self.r_naam = QLineEdit()
        self.r_error = form_row(add, "&Naam:", self.r_naam, accessible_name="Naam van wie is geraadpleegd")
        self.r_datum = short_date_edit(self.context.today, "Datum van de raadpleging")
        form_row(add, "Datum overleg:", self.r_datum)
        self.r_over = line_edit("Waarover is overlegd?")
        form_row(add, "Waarover:", self.r_over, accessible_name="Waarover is overlegd")
        self.r_uitkomst = line_edit("Wat was het advies?")
        form_row(add, "&Advies:", self.r_uitkomst, accessible_name="Advies of uitkomst van de raadpleging")
        self.r_add = button("&Raadpleging toevoegen", self.add_raadpleging)
        add.addRow(self.r_add)
        ed.addWidget(consult)

        plan_form = make_form()
        ed.addLayout(plan_form)
        self.kb_plan_nodig = RadioChoice([(True, "Ja"), (False, "Nee")], "Is een veiligheidsplan nodig")
        bound_row(self.binder, plan_form, "Veiligheids&plan nodig?", self.kb_plan_nodig, kb("veiligheidsplan_nodig"),
                  label="veiligheidsplan nodig", on_edit=self.changed.emit)
        ed.addWidget(self._build_plan())
        return box

    def _build_plan(self) -> QGroupBox:
        box = self.plan_box = QGroupBox("Veiligheidsplan")
        column = QVBoxLayout(box)
        column.addWidget(hint("Maak met het gezin concrete afspraken: wat er gebeurt, wie het doet en wanneer."))
        self.afspraken = _Rows("Nog geen afspraken.")
        column.addWidget(self.afspraken)
        self.a_form = QWidget()
        form = bare(make_form(self.a_form))
        column.addWidget(self.a_form)
        self.a_wat = line_edit("Wat wordt afgesproken?")
        self.a_error = form_row(form, "Afspraak (wat):", self.a_wat, accessible_name="Wat wordt afgesproken")
        self.a_wie = QLineEdit()
        form_row(form, "Wie:", self.a_wie, accessible_name="Wie doet het")
        self.a_wanneer = short_date_edit(self.context.today, "Wanneer")
        form_row(form, "Wanneer:", self.a_wanneer)
        self.a_add = button("Afspraak toevoe&gen", self.add_afspraak)
        form.addRow(self.a_add)
        column.addWidget(QLabel("<b>Ondertekenen met het gezin</b>"))
        column.addWidget(hint(KEYBOARD_NOTE))
        self.cards_box = QVBoxLayout()
        column.addLayout(self.cards_box)
        return box

    # --- construction: opschalingen --------------------------------------------------------------

    def _build_opschalingen(self) -> QGroupBox:
        box = QGroupBox("Opschalingen")
        column = QVBoxLayout(box)
        new = self.new_op_box = QGroupBox("Nieuwe opschaling")
        form = make_form(new)
        self.new_naar = combo("Opschalen naar", self.options.opschaling_naar)
        form_row(form, "&Opschalen naar:", self.new_naar)
        self.new_reden = line_edit("Waarom is vrijwillige hulp niet genoeg?")
        self.new_reden.returnPressed.connect(self.add_opschaling)
        self.new_op_error = form_row(form, "Reden van de opscha&ling:", self.new_reden, accessible_name="Reden van de nieuwe opschaling")
        self.new_as_kb = QCheckBox("Ook als kernbeslissing vastleggen")
        self.new_as_kb.setChecked(True)
        form.addRow(self.new_as_kb)
        self.add_op_button = button("Opschaling toevoegen", self.add_opschaling)
        form.addRow(self.add_op_button)
        column.addWidget(new)
        self.escalations, self.no_escalations = _list(
            column, "Opsc&halingen van dit huishouden", "Opschalingen", "Nog geen opschalingen vastgelegd.",
            self._select_op,
        )

        self.op_editor, self.op_earlier, _, form = _editor(
            column,
            "De gekozen opschaling",
            "Deze opschaling is vastgelegd bij een eerder gesprek; alleen de uitkomst kunt u nog aanvullen.",
        )
        op, row = self._op_path, partial(bound_row, self.binder, form, on_edit=self.changed.emit)
        self.op_naar = combo("Opgeschaald naar", self.options.opschaling_naar)
        row("Naar:", self.op_naar, op("naar"), label="opschalen naar")
        self.op_anders = QLineEdit()
        row("Wie (bij anders):", self.op_anders, op("naar_anders"), label="opschalen naar (anders)",
            accessible_name="Naar wie, bij anders")
        self.op_datum = short_date_edit(self.context.today, "Datum van de opschaling")
        row("Datum opschaling:", self.op_datum, op("datum"), label="datum opschaling")
        self.op_reden = text_edit("Reden van de opschaling", lines=2, grow=False)
        row("Reden:", self.op_reden, op("reden"), label="reden opschaling")
        self.op_uitkomst = text_edit("Uitkomst van de opschaling", lines=2, grow=False)
        self.op_uitkomst.setPlaceholderText("Wat kwam eruit? Dit mag u later aanvullen.")
        row("&Uitkomst:", self.op_uitkomst, op("uitkomst"), label="uitkomst opschaling")
        self.op_kb = combo("Bij welke kernbeslissing hoort de opschaling")
        row("Kernbeslissing:", self.op_kb, op("kernbeslissing_id"), label="kernbeslissing bij de opschaling",
            **_OPTIONAL_ID)
        return box

    # --- binding ---------------------------------------------------------------------------------

    def _kb_path(self, field: str) -> Callable[[], Path | None]:
        return lambda: ("kernbeslissingen", Item(self.current_kb), field) if self.current_kb else None

    def _op_path(self, field: str) -> Callable[[], Path | None]:
        return lambda: ("opschalingen", Item(self.current_op), field) if self.current_op else None

    # --- the dossier ------------------------------------------------------------------------------

    def rebuild(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        refill(self.kb_child, [("", "Het hele gezin"), *((str(c.id), c.naam) for c in dossier.children())])
        if self.current_kb is not None:
            self.binder.refresh([("kernbeslissingen", Item(self.current_kb), "child_id")])
        self._fill_lists()
        self.setEnabled(True)

    def on_changed(self, paths: list[Path]) -> None:
        if any(not p or p[0] in ("kernbeslissingen", "opschalingen", "huishouden") or p == ("gesprek",) for p in paths):
            if any(not p or p[0] == "huishouden" for p in paths):
                self.rebuild()
            else:
                self._fill_lists()

    def _fill_lists(self) -> None:
        dossier = self.dossier
        assert dossier is not None
        lists: list[tuple[QListWidget, list[Any], Callable[[Any], str], str | None, QLabel]] = [
            (self.decisions, list(dossier.kernbeslissingen), self._kb_text, self.current_kb, self.no_decisions),
            (self.escalations, list(dossier.opschalingen), self._op_text, self.current_op, self.no_escalations),
        ]
        for view, entries, describe, current, empty in lists:
            view.setVisible(bool(entries))
            empty.setVisible(not entries)
            with QSignalBlocker(view):
                view.clear()
                for entry in sorted(entries, key=lambda e: e.datum):
                    item = QListWidgetItem(describe(entry))
                    item.setData(_ID, str(entry.id))
                    view.addItem(item)
                    if str(entry.id) == current:
                        view.setCurrentRow(view.count() - 1)
                if view.currentRow() < 0 and view.count():
                    view.setCurrentRow(view.count() - 1)
        refill(self.op_kb, [("", "Geen"), *((str(kb.id), self._kb_text(kb)) for kb in dossier.kernbeslissingen)])
        if self.current_op is not None:  # the refilled list shows the linked one again
            self.binder.refresh([("opschalingen", Item(self.current_op), "kernbeslissing_id")])
        self._select_kb()
        self._select_op()

    def _kb_text(self, kb: Kernbeslissing) -> str:
        assert self.dossier is not None
        text = f"{format_date(kb.datum)} · {self.options.label('kernbeslissingen', kb.soort)}: {_first_line(kb.beslissing)}"
        if from_earlier_gesprek(kb.gesprek_id, self.dossier):
            text += " (eerder gesprek)"
        elif not kb.raadplegingen:
            text += " — nog niemand geraadpleegd"
        return text

    def _op_text(self, op: Opschaling) -> str:
        assert self.dossier is not None
        naar = op.naar_anders if op.naar == "anders" and op.naar_anders else self.options.label("opschaling_naar", op.naar)
        text = f"{format_date(op.datum)} · naar {naar}: {_first_line(op.reden)}"
        return text + (" (eerder gesprek)" if from_earlier_gesprek(op.gesprek_id, self.dossier) else "")

    def kernbeslissing(self) -> Kernbeslissing | None:
        assert self.dossier is not None
        return next((k for k in self.dossier.kernbeslissingen if str(k.id) == self.current_kb), None)

    def opschaling(self) -> Opschaling | None:
        assert self.dossier is not None
        return next((o for o in self.dossier.opschalingen if str(o.id) == self.current_op), None)

    def _select_kb(self) -> None:
        """Show the selected kernbeslissing; lock it when it is of an earlier gesprek. The
        lock runs only when the selection changes (it visits every widget of the editor)."""
        chosen = _current_id(self.decisions)
        moved, self.current_kb = chosen != self._locked_kb, chosen
        kb = self.kernbeslissing()
        self.kb_editor.setVisible(kb is not None)
        if kb is None:
            return
        if moved:
            self.binder.refresh([("kernbeslissingen", Item(str(kb.id)))])
        self._show_kb_details(kb)
        if moved:
            self._lock_entries()

    def _select_op(self) -> None:
        chosen = _current_id(self.escalations)
        moved, self.current_op = chosen != self._locked_op, chosen
        op = self.opschaling()
        self.op_editor.setVisible(op is not None)
        if op is None:
            return
        if moved:
            self.binder.refresh([("opschalingen", Item(str(op.id)))])
            self._lock_entries()
        self.op_anders.setEnabled(not self._op_locked and (op.naar == "anders" or bool(op.naar_anders)))

    def _show_kb_details(self, kb: Kernbeslissing) -> None:
        assert self.dossier is not None
        earlier = from_earlier_gesprek(kb.gesprek_id, self.dossier) or self.read_only
        self.raadplegingen.show_rows(
            [
                f"{MET_LABELS.get(r.met, r.met)} {r.naam}, {format_date(r.datum)}"
                + (f" · over: {r.over}" if r.over else "")
                + (f" · advies: {r.uitkomst}" if r.uitkomst else "")
                for r in kb.raadplegingen
            ],
            None if earlier else self.remove_raadpleging,
            "Raadpleging",
        )
        plan = kb.veiligheidsplan
        self.plan_box.setVisible(bool(kb.veiligheidsplan_nodig) or plan is not None)
        afspraken = plan.afspraken if plan is not None else []
        self.afspraken.show_rows(
            [f"{a.wat} · wie: {a.wie or '—'} · wanneer: {format_date(a.wanneer)}" for a in afspraken],
            None if earlier else self.remove_afspraak,
            "Afspraak",
        )
        self._build_cards(kb)

    def _build_cards(self, kb: Kernbeslissing) -> None:
        """One card per parent and one for the wijkcoach; rebuilt only for another
        kernbeslissing or when the signatures changed elsewhere (an undo), never while typing."""
        assert self.dossier is not None
        signed = kb.veiligheidsplan.handtekeningen if kb.veiligheidsplan else []
        if self._cards_for == kb.id and [s for c in self.cards if (s := c.signature()) is not None] == signed:
            return
        self._cards_for = kb.id
        clear_layout(self.cards_box)
        existing = {s.member_id: s for s in (kb.veiligheidsplan.handtekeningen if kb.veiligheidsplan else [])}
        self.cards = []
        people: list[tuple[UUID | None, str, str]] = [
            (m.id, m.naam, Role.OUDER.label) for m in self.dossier.huishouden.leden if m.rol is Role.OUDER
        ]
        people.append((None, self.context.wijkcoach if self.context.wijkcoach != "wijkcoach" else "", "Wijkcoach"))
        for member_id, naam, rol in people:
            card = SignerCard(
                member_id=member_id,
                naam=naam,
                rol=rol,
                plaats=self.dossier.gesprek.plaats,
                datum=self.dossier.gesprek.datum,
                existing=existing.get(member_id),
            )
            card.changed.connect(self._cards_changed)
            self.cards_box.addWidget(card)
            self.cards.append(card)

    # --- locks ------------------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self._lock_entries()

    def _lock_entries(self) -> None:
        """An earlier gesprek's entry is read-only; an opschaling's outcome stays open."""
        dossier = self.dossier
        if dossier is None:
            return
        kb, op = self.kernbeslissing(), self.opschaling()
        kb_locked = self.read_only or (kb is not None and from_earlier_gesprek(kb.gesprek_id, dossier))
        op_locked = self.read_only or (op is not None and from_earlier_gesprek(op.gesprek_id, dossier))
        self._locked_kb, self._locked_op, self._op_locked = self.current_kb, self.current_op, op_locked
        self.kb_earlier.setVisible(kb is not None and kb_locked and not self.read_only)
        self.op_earlier.setVisible(op is not None and op_locked and not self.read_only)
        apply_read_only(self.kb_editor, kb_locked)
        # nothing to add in a finalised gesprek, nor to an earlier gesprek's kernbeslissing
        self.new_kb_box.setVisible(not self.read_only)
        self.new_op_box.setVisible(not self.read_only)
        self.r_form.setVisible(not kb_locked)
        self.a_form.setVisible(not kb_locked)
        for card in self.cards:
            card.set_read_only(kb_locked)
        apply_read_only(self.op_editor, op_locked)
        if not self.read_only:
            apply_read_only(self.op_uitkomst, False)
            self.op_uitkomst.setReadOnly(False)

    # --- adding and removing ------------------------------------------------------------------------

    def add_decision(self) -> None:
        dossier = self.dossier
        if dossier is None or self.read_only:
            return
        beslissing = required_text(self.new_beslissing, self.new_error, "Vul in wat er is besloten.")
        if not beslissing:
            return
        kb = Kernbeslissing(
            gesprek_id=dossier.gesprek.id, datum=dossier.gesprek.datum, soort=self.new_soort.currentData(), beslissing=beslissing
        )
        self.current_kb = str(kb.id)
        if self.edit(("kernbeslissingen", Item(str(kb.id))), kb, "nieuwe kernbeslissing"):
            self.new_beslissing.clear()
            self._fill_lists()
            self.focus_widget(self.r_naam)

    def add_raadpleging(self) -> None:
        kb = self.kernbeslissing()
        if kb is None or self.read_only:
            return
        naam = required_text(self.r_naam, self.r_error, "Vul de naam in van wie u raadpleegde.")
        if not naam:
            return
        new = Raadpleging(
            met=self.r_met.currentData(),
            naam=naam,
            datum=self.r_datum.date().toPython(),  # type: ignore[attr-defined]
            over=self.r_over.text().strip(),
            uitkomst=self.r_uitkomst.text().strip(),
        )
        if self.edit(("kernbeslissingen", Item(str(kb.id)), "raadplegingen"), [*kb.raadplegingen, new], "raadpleging"):
            for edit in (self.r_naam, self.r_over, self.r_uitkomst):
                edit.clear()
            self.r_naam.setFocus()

    def remove_raadpleging(self, index: int) -> None:
        kb = self.kernbeslissing()
        if kb is not None:
            kept = [r for i, r in enumerate(kb.raadplegingen) if i != index]
            self.edit(("kernbeslissingen", Item(str(kb.id)), "raadplegingen"), kept, "raadpleging verwijderd")

    def _edit_plan(self, field: str, value: Any, label: str) -> bool:
        """Set a field of the selected kernbeslissing's veiligheidsplan (made by the first edit)."""
        kb = self.kernbeslissing()
        if kb is None:
            return False
        plan: Path = ("kernbeslissingen", Item(str(kb.id)), "veiligheidsplan")
        if kb.veiligheidsplan is None:
            return self.edit(plan, {"afspraken": [], "handtekeningen": [], field: value}, label)
        return self.edit((*plan, field), value, label)

    def add_afspraak(self) -> None:
        kb = self.kernbeslissing()
        if kb is None or self.read_only:
            return
        wat = required_text(self.a_wat, self.a_error, "Vul in wat er wordt afgesproken.")
        if not wat:
            return
        new = {"id": str(uuid4()), "wat": wat, "wie": self.a_wie.text().strip(), "wanneer": self.a_wanneer.date().toPython()}  # type: ignore[attr-defined]
        current = [a.model_dump() for a in kb.veiligheidsplan.afspraken] if kb.veiligheidsplan else []
        if self._edit_plan("afspraken", [*current, new], "afspraak veiligheidsplan"):
            self.a_wat.clear()
            self.a_wie.clear()
            self.a_wat.setFocus()

    def remove_afspraak(self, index: int) -> None:
        kb = self.kernbeslissing()
        if kb is not None and kb.veiligheidsplan is not None:
            kept = [a for i, a in enumerate(kb.veiligheidsplan.afspraken) if i != index]
            self._edit_plan("afspraken", kept, "afspraak verwijderd")

    def _cards_changed(self) -> None:
        kb = self.kernbeslissing()
        if kb is None or self.read_only:
            return
        signatures: list[Signature] = [s for card in self.cards if (s := card.signature()) is not None]
        current = kb.veiligheidsplan.handtekeningen if kb.veiligheidsplan else []
        if signatures != current:
            self._edit_plan("handtekeningen", signatures, "handtekening veiligheidsplan")

    def add_opschaling(self) -> None:
        dossier, document = self.dossier, self.document
        if dossier is None or document is None or self.read_only:
            return
        reden = required_text(self.new_reden, self.new_op_error, "Vul de reden van de opschaling in.")
        if not reden:
            return
        naar = self.new_naar.currentData()
        gesprek = dossier.gesprek
        op = Opschaling(gesprek_id=gesprek.id, datum=gesprek.datum, naar=naar, reden=reden)
        with document.step("nieuwe opschaling"):
            if self.new_as_kb.isChecked():
                soort = "opschaling" if "opschaling" in dict(self.options.kernbeslissingen) else "overig"
                kb = Kernbeslissing(
                    gesprek_id=gesprek.id,
                    datum=gesprek.datum,
                    soort=soort,
                    beslissing=f"Opschalen naar {self.options.label('opschaling_naar', naar)}: {reden}",
                )
                op.kernbeslissing_id = kb.id
                self.edit(("kernbeslissingen", Item(str(kb.id))), kb, "kernbeslissing bij de opschaling")
                self.current_kb = str(kb.id)
            self.edit(("opschalingen", Item(str(op.id))), op, "nieuwe opschaling")
        self.current_op = str(op.id)
        self.new_reden.clear()
        self._fill_lists()
        self.focus_widget(self.op_naar if naar != "anders" else self.op_anders)

    # --- gaps ------------------------------------------------------------------------------------

    def reveal(self, path: Path) -> None:
        if len(path) >= 2 and isinstance(path[1], Item):
            view = self.decisions if path[0] == "kernbeslissingen" else self.escalations
            for row in range(view.count()):
                if view.item(row).data(_ID) == path[1].id:
                    view.setCurrentRow(row)

    def focus_path(self, path: Path) -> bool:
        self.reveal(path)
        # the lists a kernbeslissing holds have an "add" form, not a bound field
        unbound = {"raadplegingen": self.r_naam, "veiligheidsplan": self.a_wat}
        if path[:1] == ("kernbeslissingen",) and len(path) >= 3 and path[2] in unbound:
            self.focus_widget(unbound[str(path[2])])
            return True
        if len(path) == 1:
            self.focus_widget(self.new_beslissing if path[0] == "kernbeslissingen" else self.new_reden)
            return True
        return super().focus_path(path)
