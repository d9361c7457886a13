"""Step "Doelen, acties en regisseur" (DOMAIN T7, T8, T9).

Goals in order of priority (1 = first; always renumbered 1..n, so priorities are
distinct), each concrete: the observable result, whose goal it is, when it should
be reached, the life domains it serves and the actions under it (what, who, when).
Then the one regisseur, named, with how the family reaches them and their tasks;
and the familiegroepsplan offer with its outcome.

Keyboard: in the goal list Alt+Up / Alt+Down move the chosen goal, Delete removes it;
Enter in "Nieuw doel" / "Nieuwe actie" adds one. Every edit is a step of the dossier's
undo history (Ctrl+Z, menu Bewerken): the fields are bound by path (the goal's fields to
the chosen goal's), the list and the regisseur choice edit through ``self.edit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import QObject, QSignalBlocker, QStringListModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import (
    CheckList,
    ErrorLabel,
    OptionalDateEdit,
    RadioChoice,
    ResponsiveRow,
    assign,
    bare,
    bound_row,
    button,
    clear_layout,
    combo,
    error_messages,
    form_row,
    intro_layout,
    label,
    line_edit,
    required_text,
    tab_chain,
)
from forms import Action, Dossier, GesprekSoort, Goal, Regisseur
from forms.paths import Item, Path

from . import plan_followup
from .base import StepContext, StepPage, apply_read_only, structural
from .hulpvraag import domain_name, domain_options, text_edit

__all__ = ["PlanPage", "RegisseurOption", "UITKOMSTEN", "MAX_GOALS"]

MAX_GOALS = 99  # Goal.prioriteit is 1..99

UITKOMSTEN: list[tuple[str | None, str]] = [
    (None, "— nog niet bekend —"),
    ("geaccepteerd", "Geaccepteerd"),
    ("afgewezen", "Afgewezen"),
    ("in_voorbereiding", "In voorbereiding"),
]

_SOORT_LABELS = {
    "wijkcoach": "Wijkcoach",
    "gezinslid": "Gezinslid",
    "netwerk": "Netwerk",
    "partner": "Partner",
}

_NAME_NEEDED = "Vul de naam van de regisseur in."
_W = TypeVar("_W", bound=QWidget)


class RegisseurOption(NamedTuple):
    """One choice in the regisseur list: who, and whether the name is typed by hand."""

    soort: str
    ref: UUID | None
    naam: str
    typed: bool


def _menu_text(text: str) -> str:
    """Data text for a label/checkbox: a literal '&' is no mnemonic."""
    return text.replace("&", "&&")


class PlanPage(StepPage):
    step_id = "plan"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._goal_id: UUID | None = None
        self._reg_options: list[RegisseurOption | None] = []
        self._action_widgets: dict[UUID, dict[str, QWidget]] = {}
        self._names = QStringListModel(self)
        self._new_goal_domain: str | None = None  # a goal added next serves this domain
        self._domain_options: list[tuple[str, str]] | None = None

        layout = intro_layout(
            self.content,
            "Eén plan voor het hele gezin. Zet de doelen op volgorde van belang (1 = eerst) "
            "en maak ze concreet: welk resultaat ziet u, van wie is het doel, wanneer is het "
            "bereikt en wie doet wat?",
        )
        layout.addWidget(self._build_goals())
        bottom = ResponsiveRow()
        bottom.addWidget(self._build_regisseur(), 1)
        bottom.addWidget(self._build_familiegroepsplan(), 1)
        layout.addWidget(bottom)
        layout.addWidget(self._build_first_evaluation())
        # evaluatie: the next evaluation, the reason for a changed plan
        self.followup = plan_followup.PlanFollowUp(self).attach(layout)
        layout.addStretch(1)
        self._tab_order()
        self.setEnabled(False)  # until a dossier is set

    # --- construction ----------------------------------------------------------------

    def _build_goals(self) -> QGroupBox:
        box = QGroupBox("Doelen, op volgorde van prioriteit")
        box_layout = QVBoxLayout(box)
        row = ResponsiveRow()
        box_layout.addWidget(row)

        # Left: the ordered list, its buttons and the new-goal field.
        self.goal_panel = QWidget()
        left = bare(QVBoxLayout(self.goal_panel))
        label = QLabel("&Doelen (1 = hoogste prioriteit)")
        self.goal_list = QListWidget()
        self.goal_list.setAccessibleName("Doelen op volgorde van prioriteit")
        self.goal_list.setAccessibleDescription(
            "Alt+Omhoog en Alt+Omlaag verplaatsen het gekozen doel; Delete verwijdert het."
        )
        self.goal_list.setWordWrap(True)
        self.goal_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.goal_list.setMinimumHeight(self.goal_list.fontMetrics().lineSpacing() * 6)
        label.setBuddy(self.goal_list)
        left.addWidget(label)
        left.addWidget(self.goal_list, 1)

        buttons = QHBoxLayout()
        self.up_button = button("Omhoog", lambda: self.move_goal(-1), name="Doel omhoog",
                                tip="Doel een plaats hoger in prioriteit (Alt+Omhoog)")
        self.down_button = button("Omlaag", lambda: self.move_goal(+1), name="Doel omlaag",
                                  tip="Doel een plaats lager in prioriteit (Alt+Omlaag)")
        self.remove_goal_button = button("Doel ver&wijderen", self.remove_goal, name="Doel verwijderen",
                                         tip="Het gekozen doel verwijderen (Delete)")
        for each in (self.up_button, self.down_button, self.remove_goal_button):
            buttons.addWidget(each)
        buttons.addStretch(1)
        left.addLayout(buttons)
        self.goal_list_error = ErrorLabel(self.goal_list)
        left.addWidget(self.goal_list_error)

        label = QLabel("N&ieuw doel")
        new_row = QHBoxLayout()
        self.new_goal_edit, self.add_goal_button = self._add_row(
            new_row, label, "Nieuw doel", "Wat wil het gezin bereiken?", "Doel toevoegen", self.add_goal
        )
        left.addWidget(label)
        left.addLayout(new_row)
        self.new_goal_error = ErrorLabel(self.new_goal_edit)
        left.addWidget(self.new_goal_error)

        row.addWidget(self.goal_panel, 1)

        # Right: the chosen goal.
        self.goal_editor = QGroupBox("Gekozen doel")
        form = QFormLayout(self.goal_editor)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        bound, goal = partial(bound_row, self.binder, form, on_edit=self.changed.emit), self._goal_path
        self.omschrijving_edit = QLineEdit()
        self.omschrijving_error = bound(
            "&Omschrijving", self.omschrijving_edit, goal("omschrijving"), label="doel", live_errors=True,
            accessible_name="Doel: omschrijving", on_edit=lambda: (self._refresh_goal_texts(), self.changed.emit()),
        )
        self.resultaat_edit = text_edit("Doel: concreet resultaat", lines=2, grow=False)
        self.resultaat_edit.setPlaceholderText("Wat is er dan zichtbaar anders? Bijv. geen verzuim in zes weken.")
        bound("&Concreet resultaat", self.resultaat_edit, goal("resultaat"), label="resultaat van het doel")
        self.eigenaar_edit = line_edit("Van wie is dit doel?", "Doel: eigenaar")
        bound("&Eigenaar", self.eigenaar_edit, goal("eigenaar"), label="eigenaar van het doel")
        self.streefdatum_edit = OptionalDateEdit(
            accessible_name="Doel: streefdatum", check_text="datum bekend", default=self.context.today
        )
        _limit_width(self.streefdatum_edit)
        bound("&Streefdatum", self.streefdatum_edit, goal("streefdatum"), label="streefdatum")
        self.domains_holder = QWidget()
        self.domains_holder.setAccessibleName("Doel: leefgebieden")
        self._domains_layout = bare(QVBoxLayout(self.domains_holder))
        self.domains_check: CheckList | None = None
        self.domains_error = form_row(form, "&Leefgebieden", self.domains_holder)

        actions = QWidget()
        actions_layout = bare(QVBoxLayout(actions))
        self.actions_widget = QWidget()
        self.actions_grid = bare(QGridLayout(self.actions_widget))
        actions_layout.addWidget(self.actions_widget)
        new_action = QHBoxLayout()
        label = QLabel("Nieuwe &actie")
        new_action.addWidget(label)
        self.new_action_edit, self.add_action_button = self._add_row(
            new_action, label, "Nieuwe actie", "Wat gaat er gebeuren?", "Actie toe&voegen", self.add_action
        )
        actions_layout.addLayout(new_action)
        self.new_action_error = ErrorLabel(self.new_action_edit)
        actions_layout.addWidget(self.new_action_error)
        form.addRow(QLabel("Acties"), actions)
        row.addWidget(self.goal_editor, 2)

        # Wiring.
        self.goal_list.currentRowChanged.connect(self._goal_chosen)
        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("Alt+Up", lambda: self.move_goal(-1)),
            ("Alt+Down", lambda: self.move_goal(+1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.goal_panel)
            shortcut.setContext(scope)
            shortcut.activated.connect(slot)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.goal_list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_goal)

        self.eigenaar_edit.setCompleter(self._completer(self))
        return box

    def _add_row(self, row: QHBoxLayout, label: QLabel, name: str, placeholder: str, text: str,
                 add: Callable[[], None]) -> tuple[QLineEdit, QPushButton]:
        """A field for a new goal or action and its button, in ``row``; Enter adds too."""
        edit = line_edit(placeholder, name)
        edit.returnPressed.connect(add)
        label.setBuddy(edit)
        add_button = button(text, add, name=text.replace("&", ""))
        row.addWidget(edit, 1)
        row.addWidget(add_button)
        return edit, add_button

    def _completer(self, parent: QObject) -> QCompleter:
        """Names of the family, the network and the partners, for "eigenaar" and "wie"."""
        completer = QCompleter(self._names, parent)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        return completer

    def _build_regisseur(self) -> QGroupBox:
        box, form = _form_box(
            "Regisseur", "Eén regisseur houdt het overzicht over het hele plan en spreekt partners aan."
        )
        self.regisseur_combo = combo("Regisseur", min_length=20)
        form_row(form, "Re&gisseur", self.regisseur_combo)
        bound = partial(bound_row, self.binder, form, on_edit=self.changed.emit)
        self.regisseur_naam = QLineEdit()
        self.regisseur_naam_error = bound(
            "Naa&m", self.regisseur_naam, ("plan", "regisseur", "naam"), label="naam van de regisseur",
            accessible_name="Regisseur: naam", overrides={"string_too_short": _NAME_NEEDED},
            prepare=self._regisseur_first,
        )
        self.regisseur_bereikbaar = line_edit("Bijv. telefoonnummer of e-mail")
        bound("&Bereikbaar via", self.regisseur_bereikbaar, ("plan", "regisseur", "bereikbaar"),
              label="bereikbaarheid van de regisseur", accessible_name="Regisseur: bereikbaar via")
        self.regisseur_taken = text_edit("Regisseur: taken en mandaat", lines=3, grow=False)
        self.regisseur_taken.setPlaceholderText("Wat doet de regisseur, en wat mag hij of zij beslissen?")
        bound("Ta&ken en mandaat", self.regisseur_taken, ("plan", "regisseur", "taken"), label="taken van de regisseur")
        self.regisseur_combo.currentIndexChanged.connect(self._regisseur_chosen)
        return box

    def _build_first_evaluation(self) -> QGroupBox:
        """The intake plans the first evaluation with the family (T10); an evaluatie sets the
        next one on its own page. The municipality's maximum interval is shown."""
        days = self.context.definitions.trajectory.evaluatie_interval_max_dagen
        box, form = _form_box(
            "Eerste evaluatie",
            f"Spreek met het gezin af wanneer u het plan samen evalueert: uiterlijk {days} dagen na dit gesprek.",
            QFormLayout.RowWrapPolicy.WrapAllRows,
        )
        self.first_evaluation = OptionalDateEdit(
            accessible_name="Eerste evaluatie op",
            default=self.context.today + dt.timedelta(days=min(days, 56)),
        )
        _limit_width(self.first_evaluation)
        bound_row(self.binder, form, "Ee&rste evaluatie op", self.first_evaluation, ("gesprek", "volgende_evaluatie"),
                  label="eerste evaluatie")
        self._first_evaluation_box = box
        return box

    def _build_familiegroepsplan(self) -> QGroupBox:
        # labels above their fields: beside them, WrapLongRows cut "datum bekend" at 150 %
        box, form = _form_box(
            "Familiegroepsplan",
            "Bied het gezin een familiegroepsplan aan: een plan dat het gezin samen met het eigen netwerk maakt.",
            QFormLayout.RowWrapPolicy.WrapAllRows,
        )
        bound, fgp = partial(bound_row, self.binder, form, on_edit=self.changed.emit), "familiegroepsplan"
        self.fgp_aangeboden = RadioChoice([(True, "&Ja"), (False, "&Nee")], "Familiegroepsplan aangeboden")
        bound("Aangeboden?", self.fgp_aangeboden, (fgp, "aangeboden"), label="familiegroepsplan aangeboden",
              on_edit=lambda: (self._enable_fgp_fields(), self.changed.emit()))
        self.fgp_datum = OptionalDateEdit(
            accessible_name="Familiegroepsplan: aangeboden op", default=self.context.today
        )
        _limit_width(self.fgp_datum)
        bound("Aangeboden o&p", self.fgp_datum, (fgp, "datum"), label="datum familiegroepsplan")
        self.fgp_uitkomst = QComboBox()
        for value, text in UITKOMSTEN:
            self.fgp_uitkomst.addItem(text, value)
        bound("&Uitkomst", self.fgp_uitkomst, (fgp, "uitkomst"), label="uitkomst familiegroepsplan",
              accessible_name="Familiegroepsplan: uitkomst")
        self.fgp_toelichting = text_edit("Familiegroepsplan: toelichting", lines=2, grow=False)
        self.fgp_toelichting.setPlaceholderText("Bijv. waarom het gezin het aanbod afwijst")
        self.fgp_toelichting_error = bound("Toelic&hting", self.fgp_toelichting, (fgp, "toelichting"),
                                           label="toelichting familiegroepsplan")
        return box

    def _tab_order(self) -> None:
        tab_chain(self.goal_list, self.up_button, self.down_button, self.remove_goal_button, self.new_goal_edit,
                  self.add_goal_button, self.omschrijving_edit, self.resultaat_edit, self.eigenaar_edit,
                  self.streefdatum_edit.check, self.streefdatum_edit.edit)
        tab_chain(self.new_action_edit, self.add_action_button, self.regisseur_combo, self.regisseur_naam,
                  self.regisseur_bereikbaar, self.regisseur_taken, *self.fgp_aangeboden.buttons.values(),
                  self.fgp_datum.check, self.fgp_datum.edit, self.fgp_uitkomst, self.fgp_toelichting)

    # --- model access -----------------------------------------------------------------

    def _ordered(self) -> list[Goal]:
        """The goals in priority order (stable for equal priorities)."""
        assert self.dossier is not None
        return sorted(self.dossier.plan.doelen, key=lambda g: g.prioriteit)

    def _current_goal(self) -> Goal | None:
        if self.dossier is None or self._goal_id is None:
            return None
        return next((g for g in self.dossier.plan.doelen if g.id == self._goal_id), None)

    def _goal_path(self, field: str) -> Callable[[], Path]:
        """The path of ``field`` of the chosen goal (of no goal: shows empty, takes no edit)."""
        return lambda: ("plan", "doelen", Item(str(self._goal_id or "")), field)

    def _write_order(self, goals: list[Goal], label: str) -> None:
        """Store the goals in this order with priorities 1..n: one step of the undo history."""
        ordered = [g.model_copy(update={"prioriteit": n}) for n, g in enumerate(goals, start=1)]
        self.edit(("plan", "doelen"), ordered, label)

    # --- contract --------------------------------------------------------------------

    def set_dossier(self, dossier: Dossier) -> None:
        if dossier is not self.dossier:
            self._goal_id = None
            self._set_new_goal_domain(None)
            for error in self.findChildren(ErrorLabel):
                error.clear_messages()
        super().set_dossier(dossier)

    def rebuild(self) -> None:
        assert self.dossier is not None
        self._fill_names()
        self._fill_domains()
        self._fill_goal_list()
        self._fill_regisseur()
        self._enable_fgp_fields()
        self._first_evaluation_box.setVisible(self.dossier.gesprek.soort is GesprekSoort.INTAKE)
        self.setEnabled(True)

    def on_changed(self, paths: list[Path]) -> None:
        """Goals, actions, people or the regisseur added, moved or removed (here, by an undo,
        on another page): show the lists again; else only what follows from a field."""
        if structural(paths):
            self.rebuild()
        else:
            self._refresh_goal_texts()
            self._enable_fgp_fields()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        if self.dossier is not None:
            self._update_goal_buttons()
            self._enable_fgp_fields()

    # --- "Ga naar" ------------------------------------------------------------------------

    def focus_location(self, location: object) -> None:
        """A gap asking a goal for a life domain: the next new goal gets that domain."""
        domain = getattr(location, "domein", None)
        if getattr(location, "field", None) == "doelen" and domain:
            self._set_new_goal_domain(domain)
        super().focus_location(location)

    def reveal(self, path: Path) -> None:
        if path[:2] == ("plan", "doelen") and len(path) > 2 and isinstance(path[2], Item):
            goal_id = path[2].id
            self._select_goal(next((g.id for g in self._ordered() if str(g.id) == goal_id), None))

    def focus_path(self, path: Path) -> bool:
        self.reveal(path)
        widget = self.widget_for_path(path)  # what no field is bound to comes first
        if widget is None:
            return super().focus_path(path)
        self.focus_widget(widget)
        return True

    def widget_for_path(self, path: Path) -> QWidget | None:
        """The goal list, the add fields, the regisseur choice, the first incomplete action."""
        if path == ("plan", "doelen"):
            return self.new_goal_edit if self._new_goal_domain or not self.goal_list.count() else self.goal_list
        if path[:2] == ("plan", "doelen") and (len(path) == 3 or path[3:] == ("prioriteit",)):
            return self.goal_list
        if path[:2] == ("plan", "doelen") and path[3:] == ("acties",):
            goal = self._current_goal()
            action = next((a for a in goal.acties if not a.wie or a.wanneer is None), None) if goal else None
            if action is None or action.id not in self._action_widgets:
                return self.new_action_edit
            return self._action_widgets[action.id]["wie" if not action.wie else "wanneer"]
        if path == ("plan", "regisseur"):
            regisseur = self.dossier.plan.regisseur if self.dossier is not None else None
            if regisseur is not None and self._regisseur_known():
                if not regisseur.naam:
                    return self.regisseur_naam
                if not regisseur.taken:
                    return self.regisseur_taken
            return self.regisseur_combo
        return None

    # --- goal list ---------------------------------------------------------------------

    def _fill_goal_list(self) -> None:
        goals = self._ordered()
        ids = [g.id for g in goals]
        row = ids.index(self._goal_id) if self._goal_id in ids else (0 if ids else -1)
        with QSignalBlocker(self.goal_list):
            self.goal_list.clear()
            for _ in goals:
                self.goal_list.addItem(QListWidgetItem())
            self._refresh_goal_texts()
            self.goal_list.setCurrentRow(row)
        self._goal_chosen(row)

    def _refresh_goal_texts(self) -> None:
        goals = self._ordered()
        for row, goal in enumerate(goals):
            item = self.goal_list.item(row)
            if item is None:
                continue
            number = row + 1
            item.setText(f"{number}. {goal.omschrijving}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Prioriteit {number}: {goal.omschrijving}")

    def _update_goal_buttons(self) -> None:
        row = self.goal_list.currentRow()
        count = self.goal_list.count()
        editable = not self.read_only
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < count - 1)
        self.remove_goal_button.setEnabled(editable and row >= 0)
        self.add_goal_button.setEnabled(editable and count < MAX_GOALS)
        self.new_goal_edit.setEnabled(count < MAX_GOALS)

    def _goal_chosen(self, row: int) -> None:
        """Show the goal in ``row`` in the editor: the bound fields follow its path."""
        goals = self._ordered()
        self._goal_id = goals[row].id if 0 <= row < len(goals) else None
        goal = self._current_goal()
        for error in (self.goal_list_error, *self.goal_editor.findChildren(ErrorLabel)):  # fields and actions
            error.clear_messages()
        self.goal_editor.setEnabled(goal is not None)
        self.goal_editor.setTitle(f"Doel {row + 1}" if goal else "Nog geen doel: typ links een nieuw doel")
        self.binder.refresh([("plan", "doelen")])
        for edit in (self.omschrijving_edit, self.eigenaar_edit):
            if not edit.hasFocus():
                edit.setCursorPosition(0)
        self._fill_actions(goal)
        self._update_goal_buttons()

    def _select_goal(self, goal_id: UUID | None) -> None:
        ids = [g.id for g in self._ordered()]
        if goal_id in ids:
            self.goal_list.setCurrentRow(ids.index(goal_id))  # loads it via _goal_chosen

    def add_goal(self) -> None:
        if self.dossier is None or self.read_only:
            return
        text = required_text(self.new_goal_edit, self.new_goal_error, "Typ eerst wat het doel is.")
        goals = self._ordered()
        if not text:
            return
        if len(goals) >= MAX_GOALS:
            self.new_goal_error.show_messages([f"Er kunnen hooguit {MAX_GOALS} doelen in een plan."])
            return
        try:
            goal = Goal(prioriteit=len(goals) + 1, omschrijving=text)
        except ValidationError as exc:
            self.new_goal_error.show_messages(_field_messages(Goal, {"prioriteit": 1, "omschrijving": text}, "omschrijving") or [str(exc)])
            return
        if self._new_goal_domain is not None:
            goal.domeinen = [self._new_goal_domain]
            self._set_new_goal_domain(None)
        self.new_goal_error.clear_messages()
        self._goal_id = goal.id
        self._write_order([*goals, goal], f"doel ‘{_short(goal.omschrijving)}’ toevoegen")
        self.new_goal_edit.clear()

    def _set_new_goal_domain(self, domain_id: str | None) -> None:
        """Remember the life domain a gap asked a goal for; the next new goal gets it."""
        self._new_goal_domain = domain_id
        if domain_id is None:
            self.new_goal_edit.setPlaceholderText("Wat wil het gezin bereiken?")
            self.new_goal_edit.setAccessibleDescription("")
        else:
            assert self.dossier is not None
            name = domain_name(self.context.definitions, self.dossier, domain_id)
            self.new_goal_edit.setPlaceholderText(f"Een doel voor {name}: wat wil het gezin bereiken?")
            self.new_goal_edit.setAccessibleDescription(f"Het nieuwe doel wordt gekoppeld aan {name}.")

    def move_goal(self, step: int) -> None:
        """Move the chosen goal one place up (-1) or down (+1) and renumber 1..n."""
        if self.dossier is None or self.read_only:
            return
        goals = self._ordered()
        row = self.goal_list.currentRow()
        target = row + step
        if not (0 <= row < len(goals) and 0 <= target < len(goals)):
            return
        goals[row], goals[target] = goals[target], goals[row]
        self._goal_id = goals[target].id
        self._write_order(goals, f"doel ‘{_short(goals[target].omschrijving)}’ verplaatsen")

    def remove_goal(self) -> None:
        if self.dossier is None or self.read_only:
            return
        goals = self._ordered()
        row = self.goal_list.currentRow()
        if not 0 <= row < len(goals):
            return
        goal = goals[row]
        if any(e.goal_id == goal.id for e in self.dossier.evaluaties):
            self.goal_list_error.show_messages(
                ["Dit doel is al geëvalueerd en blijft daarom in het plan."]
            )
            return
        del goals[row]
        self._goal_id = goals[min(row, len(goals) - 1)].id if goals else None
        self._write_order(goals, f"doel ‘{_short(goal.omschrijving)}’ verwijderen")
        self.goal_list.setFocus()

    def _fill_domains(self) -> None:
        """The life domains of the dossier's set, once per set; bound to the chosen goal."""
        assert self.dossier is not None
        options = [(i, _menu_text(n)) for i, n in domain_options(self.context.definitions, self.dossier)]
        if options == self._domain_options:
            return
        self._domain_options = options
        if self.domains_check is not None:
            self.binder.unbind([self.domains_check])
        clear_layout(self._domains_layout)
        self.domains_check = CheckList(options, "Leefgebieden van dit doel", [], columns=2)
        self._domains_layout.addWidget(self.domains_check)
        self.binder.bind(self.domains_check, self._goal_path("domeinen"), label="leefgebieden van het doel",
                         error=self.domains_error, to_widget=lambda v: v if isinstance(v, list) else [], on_edit=self.changed.emit)
        if self.read_only:
            apply_read_only(self.domains_check, True)
        self.domains_holder.setFocusProxy(self.domains_check)

    # --- actions --------------------------------------------------------------------

    def _fill_actions(self, goal: Goal | None) -> None:
        self.binder.unbind([w for row in self._action_widgets.values() for w in row.values()])
        clear_layout(self.actions_grid)
        self._action_widgets = {}
        if goal is None or not goal.acties:
            empty = QLabel("Nog geen acties bij dit doel." if goal else "")
            self.actions_grid.addWidget(empty, 0, 0)
            self._chain_actions([])
            return
        chain: list[QWidget] = []
        for number, action in enumerate(goal.acties, start=1):
            widgets = self._action_row(action, number)
            self._action_widgets[action.id] = widgets
            chain += [
                widgets["omschrijving"],
                widgets["verwijderen"],
                widgets["wie"],
                widgets["wanneer"].check,
                widgets["wanneer"].edit,
            ]
        self._chain_actions(chain)
        if self.read_only:
            apply_read_only(self.actions_widget, True)

    def _action_row(self, action: Action, number: int) -> dict[str, QWidget]:
        """One action in a light frame: what (and remove) above, who and when below."""
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(frame)
        column.setContentsMargins(6, 4, 6, 4)
        column.setSpacing(2)

        top = QHBoxLayout()
        goal = self._current_goal()
        assert goal is not None
        where: Path = ("plan", "doelen", Item(str(goal.id)), "acties", Item(str(action.id)))
        errors: list[ErrorLabel] = []

        def bound(widget: _W, field: str, label: str) -> _W:
            errors.append(ErrorLabel(widget))
            self.binder.bind(widget, (*where, field), label=label, error=errors[-1], on_edit=self.changed.emit)
            return widget

        omschrijving = bound(line_edit(name=f"Actie {number}: wat"), "omschrijving", "actie")
        omschrijving.setToolTip(action.omschrijving)
        omschrijving.textChanged.connect(omschrijving.setToolTip)  # the full text of a long action
        omschrijving.setCursorPosition(0)  # show the start of a long text, not its end
        remove = button("Verwijderen", lambda: self.remove_action(action.id), name=f"Actie {number} verwijderen")
        top.addWidget(QLabel(f"{number}."))
        top.addWidget(omschrijving, 1)
        top.addWidget(remove)
        column.addLayout(top)

        bottom = QHBoxLayout()
        wie = bound(line_edit("Naam of rol", f"Actie {number}: wie"), "wie", "wie bij de actie")
        wie.setCursorPosition(0)
        wie.setCompleter(self._completer(wie))
        wanneer = OptionalDateEdit(
            action.wanneer, accessible_name=f"Actie {number}: wanneer", check_text="bekend", default=self.context.today
        )
        wanneer.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        bound(wanneer, "wanneer", "wanneer bij de actie")
        who_label = QLabel("Wie")
        who_label.setBuddy(wie)
        bottom.addWidget(who_label)
        bottom.addWidget(wie, 1)
        bottom.addSpacing(8)
        bottom.addWidget(QLabel("Wanneer"))
        bottom.addWidget(wanneer)
        column.addLayout(bottom)
        for error in errors:
            column.addWidget(error)
        self.actions_grid.addWidget(frame, number - 1, 0)
        return {"omschrijving": omschrijving, "wie": wie, "wanneer": wanneer, "verwijderen": remove}

    def _chain_actions(self, chain: list[QWidget]) -> None:
        tab_chain(self.streefdatum_edit.edit, *self._domain_boxes(), *chain, self.new_action_edit)

    def _domain_boxes(self) -> list[QWidget]:
        return list(self.domains_check.boxes.values()) if self.domains_check else []

    def add_action(self) -> None:
        goal = self._current_goal()
        if goal is None or self.read_only:
            return
        text = required_text(self.new_action_edit, self.new_action_error, "Typ eerst wat de actie is.")
        if not text:
            return
        try:
            action = Action(omschrijving=text)
        except ValidationError:
            self.new_action_error.show_messages(_field_messages(Action, {"omschrijving": text}, "omschrijving"))
            return
        try:
            self.edit(("plan", "doelen", Item(str(goal.id)), "acties"), [*goal.acties, action], f"actie ‘{_short(text)}’ toevoegen")
        except ValidationError as exc:
            self.new_action_error.show_messages(error_messages(exc))
            return
        self.new_action_error.clear_messages()
        self.new_action_edit.clear()

    def remove_action(self, action_id: UUID) -> None:
        goal = self._current_goal()
        if goal is None or self.read_only:
            return
        index = next((i for i, a in enumerate(goal.acties) if a.id == action_id), None)
        if index is None:
            return
        action = goal.acties[index]
        remaining = [a for a in goal.acties if a.id != action_id]
        self.edit(("plan", "doelen", Item(str(goal.id)), "acties"), remaining, f"actie ‘{_short(action.omschrijving)}’ verwijderen")
        self.new_action_edit.setFocus()

    # --- names for the completers -----------------------------------------------------------

    def _fill_names(self) -> None:
        assert self.dossier is not None
        names: list[str] = []
        parents = [m.voornaam for m in self.dossier.adults()]
        if len(parents) > 1:
            names.append(" en ".join([", ".join(parents[:-1]), parents[-1]]))
        names += [m.voornaam for m in self.dossier.huishouden.leden]
        names.append(self.context.wijkcoach)
        names += [n.naam for n in self.dossier.netwerk]
        for p in self.dossier.partners:
            names += [x for x in (p.contactpersoon, p.organisatie) if x]
        self._names.setStringList(list(dict.fromkeys(names)))

    # --- regisseur ---------------------------------------------------------------------

    def _fill_regisseur(self) -> None:
        assert self.dossier is not None
        current = self.dossier.plan.regisseur
        coach = current.naam if current is not None and current.soort == "wijkcoach" else self.context.wijkcoach
        choices: list[tuple[RegisseurOption | None, str]] = [
            (None, "— nog niet gekozen —"),
            (RegisseurOption("wijkcoach", None, coach, False), f"Wijkcoach: {coach}"),
            *((RegisseurOption("gezinslid", m.id, m.naam, False), f"Gezinslid: {m.naam}")
              for m in self.dossier.adults()),
            *((RegisseurOption("netwerk", p.id, p.naam, False),
               f"Netwerk: {p.naam}" + (f" ({p.relatie})" if p.relatie else "")) for p in self.dossier.netwerk),
        ]
        for partner in self.dossier.partners:
            naam = f"{partner.contactpersoon} ({partner.organisatie})" if partner.contactpersoon else partner.organisatie
            label = f"Partner: {partner.organisatie}" + (f", {partner.rol}" if partner.rol else "")
            choices.append((RegisseurOption("partner", partner.id, naam[:100], False), label))
        typed: list[tuple[RegisseurOption | None, str]] = [
            (RegisseurOption("partner", None, "", True), "Andere professional (naam typen)"),
            (RegisseurOption("netwerk", None, "", True), "Iemand anders uit het netwerk (naam typen)"),
        ]
        index = 0
        if current is not None:
            keys = [(o.soort, o.ref) if o else None for o, _ in choices + typed]
            if current.soort == "wijkcoach":
                index = 1
            elif (current.soort, current.ref) in keys:
                index = keys.index((current.soort, current.ref))
            else:  # a person no longer in the dossier, or a typed family member
                label = f"{_SOORT_LABELS.get(current.soort, current.soort)}: {current.naam}"
                choices.append((RegisseurOption(current.soort, current.ref, current.naam, True), label))
                index = len(choices) - 1
        choices += typed
        self._reg_options = [option for option, _ in choices]
        with QSignalBlocker(self.regisseur_combo):
            self.regisseur_combo.clear()
            self.regisseur_combo.addItems([text for _, text in choices])
            self.regisseur_combo.setCurrentIndex(index)
        self._enable_regisseur_fields()

    def _enable_regisseur_fields(self) -> None:
        chosen = self._current_option() is not None
        for widget in (self.regisseur_naam, self.regisseur_bereikbaar, self.regisseur_taken):
            widget.setEnabled(chosen)

    def _current_option(self) -> RegisseurOption | None:
        index = self.regisseur_combo.currentIndex()
        return self._reg_options[index] if 0 <= index < len(self._reg_options) else None

    def _regisseur_chosen(self, _: int) -> None:
        """Another person chosen: one undoable edit (how to reach them and the tasks stay)."""
        assert self.dossier is not None
        option = self._current_option()
        self._enable_regisseur_fields()
        if option is None:
            self.edit(("plan", "regisseur"), None, "regisseur")
        elif option.typed and not option.naam:  # the name typed next makes the regisseur
            self.regisseur_naam.clear()
            self.regisseur_naam_error.show_messages([_NAME_NEEDED])
            self.regisseur_naam.setFocus()
        else:
            self.edit(("plan", "regisseur"), self._regisseur(option, option.naam), "regisseur")

    def _regisseur(self, option: RegisseurOption, naam: str) -> Regisseur:
        assert self.dossier is not None
        old = self.dossier.plan.regisseur
        keep = {"bereikbaar": old.bereikbaar, "taken": old.taken} if old is not None else {}
        return Regisseur(soort=option.soort, ref=option.ref, naam=naam, **keep)

    def _regisseur_first(self, naam: str) -> list[tuple[Path, Any]]:
        """A name typed for a newly chosen "naam typen" option: that person first."""
        assert self.dossier is not None
        option, old = self._current_option(), self.dossier.plan.regisseur
        if option is None or (old is not None and (old.soort, old.ref) == (option.soort, option.ref)):
            return []
        return [(("plan", "regisseur"), self._regisseur(option, naam))]

    def _regisseur_known(self) -> bool:
        """Whether the regisseur's person is (still) in the dossier."""
        assert self.dossier is not None
        r = self.dossier.plan.regisseur
        if r is None or r.ref is None:
            return r is not None
        known = {
            "gezinslid": {m.id for m in self.dossier.huishouden.leden},
            "netwerk": {n.id for n in self.dossier.netwerk},
            "partner": {p.id for p in self.dossier.partners},
        }
        return r.ref in known.get(r.soort, set())

    # --- familiegroepsplan ----------------------------------------------------------------

    def _enable_fgp_fields(self) -> None:
        offered = self.dossier is not None and self.dossier.familiegroepsplan.aangeboden is True
        self.fgp_datum.setEnabled(offered)
        self.fgp_uitkomst.setEnabled(offered and not self.read_only)


# --- module helpers -------------------------------------------------------------------


def _field_messages(model: type[BaseModel], values: dict[str, Any], attr: str) -> list[str]:
    """The Dutch messages for one field of a would-be model (others not checked)."""
    draft = model.model_construct(**values)
    return assign(draft, attr, values[attr])


def _form_box(
    title: str, intro: str, wrap: QFormLayout.RowWrapPolicy = QFormLayout.RowWrapPolicy.WrapLongRows
) -> tuple[QGroupBox, QFormLayout]:
    """A group box holding a form whose rows wrap as ``wrap`` says, starting with ``intro``."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setRowWrapPolicy(wrap)
    form.addRow(label(intro))
    return box, form


def _limit_width(widget: OptionalDateEdit) -> None:
    """A date needs no full row; keep "datum bekend" and the date together."""
    # Maximum: never wider than its size hint (a fixed pixel width cut "datum bekend" at 125 %).
    widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
