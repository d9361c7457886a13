"""The Hulpvraag and Plan step pages, driven through their widgets."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from apphelpers import has_focus, shown
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.steps.base import StepContext
from desktop.steps.hulpvraag import HulpvraagPage
from forms import Location, Voice, gaps


def Loc(section, field=None, **more):  # noqa: N802 (reads like the class it builds)
    return Location(section=section, field=field, **more)


@pytest.fixture
def context(definitions):
    """The conftest's context, with a wijkcoach's name."""
    return StepContext(definitions=definitions, wijkcoach="Fatima el Amrani")


def press_space(qtbot, button):
    """Toggle a checkbox or radio button the way a keyboard user does."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


# --- Hulpvraag ---------------------------------------------------------------------


@pytest.fixture
def hulpvraag(qtbot, context, dossier):
    page = HulpvraagPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def test_hulpvraag_shows_the_model(hulpvraag, dossier):
    assert hulpvraag.hulpvraag_edit.toPlainText() == dossier.hulpvraag.tekst
    assert hulpvraag.analyse_edit.toPlainText() == dossier.plan.probleemanalyse
    assert hulpvraag.perspectief_edit.toPlainText() == dossier.plan.perspectief
    assert hulpvraag.voice.buttons[Voice.BEIDE].isChecked()


def test_typing_updates_the_model_per_keystroke(qtbot, hulpvraag, dossier):
    hulpvraag.hulpvraag_edit.clear()
    with qtbot.waitSignal(hulpvraag.changed):
        qtbot.keyClicks(hulpvraag.hulpvraag_edit, "Rust in huis")
    assert dossier.hulpvraag.tekst == "Rust in huis"

    hulpvraag.analyse_edit.clear()
    qtbot.keyClicks(hulpvraag.analyse_edit, "Geldzorgen")
    assert dossier.plan.probleemanalyse == "Geldzorgen"
    hulpvraag.perspectief_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(hulpvraag.perspectief_edit, " Samen verder.")
    assert dossier.plan.perspectief.endswith("afmaakt. Samen verder.")


def test_voice_radio_sets_whose_request(qtbot, hulpvraag, dossier):
    with qtbot.waitSignal(hulpvraag.changed):
        qtbot.mouseClick(hulpvraag.voice.buttons[Voice.KIND], Qt.MouseButton.LeftButton)
    assert dossier.hulpvraag.stem is Voice.KIND


def test_no_voice_shows_no_choice(qtbot, context, dossier):
    dossier.hulpvraag.stem = None
    page = HulpvraagPage(context)
    page.set_dossier(dossier)
    assert not any(b.isChecked() for b in page.voice.buttons.values())


def test_too_long_text_shows_dutch_message_and_keeps_model(qtbot, hulpvraag, dossier):
    before = dossier.plan.perspectief
    changes = []
    hulpvraag.changed.connect(lambda: changes.append(1))
    hulpvraag.perspectief_edit.setPlainText("x" * 20_001)
    assert dossier.plan.perspectief == before
    assert not changes
    assert hulpvraag.perspectief_error.isVisible()
    assert "te lang" in hulpvraag.perspectief_error.text()
    hulpvraag.perspectief_edit.setPlainText("Kort")
    assert dossier.plan.perspectief == "Kort"
    assert not hulpvraag.perspectief_error.isVisible()


def concern_lines(page):
    view = page.concerns_list
    return [
        ("# " if view.item(i).font().bold() else "") + view.item(i).text() for i in range(view.count())
    ]


def test_concerns_listed_per_domain_with_whose(hulpvraag):
    lines = concern_lines(hulpvraag)
    assert lines[:5] == [
        "# Wonen",
        "Gezin: Huurachterstand van drie maanden; brief van de woningcorporatie.",
        "# Werk, inkomen en schulden",
        "Sanne: Schulden bij zorgverzekeraar en energie, post blijft liggen.",
        "Emre: Sinds een half jaar werkloos.",
    ]
    # Domains without concerns (veiligheid) are not listed.
    assert "# Veiligheid" not in lines


def test_concerns_refresh_on_set_dossier(hulpvraag, dossier):
    entry = dossier.domain_entry("veiligheid", None)
    entry.zorgen = "Ruzies lopen soms hoog op.\nBuren hoorden geschreeuw."
    hulpvraag.set_dossier(dossier)
    lines = concern_lines(hulpvraag)
    at = lines.index("# Veiligheid")
    assert lines[at + 1] == "Gezin: Ruzies lopen soms hoog op."


@pytest.mark.parametrize(
    "field, attr",
    [
        ("probleemanalyse", "analyse_edit"),
        ("perspectief", "perspectief_edit"),
        ("hulpvraag", "hulpvraag_edit"),
        (None, "hulpvraag_edit"),
    ],
)
def test_hulpvraag_focus_location(qtbot, hulpvraag, field, attr):
    hulpvraag.concerns_list.setFocus()
    hulpvraag.focus_location(Loc("hulpvraag", field))
    assert has_focus(qtbot, getattr(hulpvraag, attr))


def test_hulpvraag_focus_voice(qtbot, hulpvraag):
    hulpvraag.focus_location(Loc("hulpvraag", field="stem"))
    assert has_focus(qtbot, hulpvraag.voice.buttons[Voice.BEIDE])


def unnamed_controls(page):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )

    found = []
    for cls in (QPlainTextEdit, QLineEdit, QAbstractButton, QAbstractItemView, QComboBox, QAbstractSpinBox):
        for widget in page.findChildren(cls):
            inner = isinstance(widget.parent(), (QAbstractSpinBox, QComboBox))
            if not inner and widget.isVisibleTo(page) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                if not widget.accessibleName():
                    found.append(widget)
    return found


def test_every_control_has_an_accessible_name(hulpvraag):
    assert unnamed_controls(hulpvraag) == []


# --- Plan ------------------------------------------------------------------------------

from desktop.steps.plan import PlanPage  # noqa: E402


@pytest.fixture
def plan(qtbot, context, dossier):
    page = PlanPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def goal_texts(page):
    return [page.goal_list.item(i).text() for i in range(page.goal_list.count())]


def priorities(dossier):
    return [(g.prioriteit, g.omschrijving) for g in dossier.plan.doelen]


def test_plan_shows_goals_in_priority_order(plan, dossier):
    assert goal_texts(plan) == [f"{g.prioriteit}. {g.omschrijving}" for g in dossier.plan.doelen]
    assert plan.goal_list.currentRow() == 0
    first = dossier.plan.doelen[0]
    assert plan.omschrijving_edit.text() == first.omschrijving
    assert plan.resultaat_edit.toPlainText() == first.resultaat
    assert plan.eigenaar_edit.text() == first.eigenaar
    assert plan.streefdatum_edit.value() == first.streefdatum
    assert set(plan.domains_check.value()) == set(first.domeinen)
    assert plan.regisseur_naam.text() == dossier.plan.regisseur.naam


def test_editing_the_chosen_goal(qtbot, plan, dossier):
    plan.goal_list.setCurrentRow(1)
    second = dossier.plan.doelen[1]
    assert plan.omschrijving_edit.text() == second.omschrijving
    plan.eigenaar_edit.clear()
    with qtbot.waitSignal(plan.changed):
        qtbot.keyClicks(plan.eigenaar_edit, "Emre")
    assert second.eigenaar == "Emre"
    assert dossier.plan.doelen[0].eigenaar == "Sanne en Emre"
    plan.resultaat_edit.selectAll()
    qtbot.keyClicks(plan.resultaat_edit, "Een betalingsregeling is getekend.")
    assert second.resultaat == "Een betalingsregeling is getekend."
    plan.omschrijving_edit.selectAll()
    qtbot.keyClicks(plan.omschrijving_edit, "Rust over geld")
    assert second.omschrijving == "Rust over geld"
    assert goal_texts(plan)[1] == "2. Rust over geld"


def test_emptied_goal_description_is_refused_in_dutch(qtbot, plan, dossier):
    before = dossier.plan.doelen[0].omschrijving
    plan.omschrijving_edit.selectAll()
    qtbot.keyClick(plan.omschrijving_edit, Qt.Key.Key_Delete)
    assert dossier.plan.doelen[0].omschrijving == before
    assert plan.omschrijving_error.isVisible()
    assert plan.omschrijving_error.text() == "Dit veld mag niet leeg zijn."
    qtbot.keyClicks(plan.omschrijving_edit, "Daan gaat naar school")
    assert dossier.plan.doelen[0].omschrijving == "Daan gaat naar school"
    assert not plan.omschrijving_error.isVisible()


def test_alt_down_and_up_reorder_and_renumber(qtbot, plan, dossier):
    first, second = dossier.plan.doelen[0], dossier.plan.doelen[1]
    n = len(dossier.plan.doelen)
    plan.goal_list.setFocus()
    with qtbot.waitSignals([plan.changed, plan.document.changed]):
        qtbot.keyClick(plan.goal_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert dossier.plan.doelen[:2] == [second, first]
    assert [g.prioriteit for g in dossier.plan.doelen] == list(range(1, n + 1))
    assert (first.prioriteit, second.prioriteit) == (2, 1)
    assert plan.goal_list.currentRow() == 1  # the moved goal stays chosen
    assert plan.omschrijving_edit.text() == first.omschrijving
    assert goal_texts(plan)[1] == f"2. {first.omschrijving}"
    qtbot.keyClick(plan.goal_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert dossier.plan.doelen[:2] == [first, second]
    assert first.prioriteit == 1


def test_move_buttons_and_their_limits(qtbot, plan, dossier):
    assert not plan.up_button.isEnabled()
    qtbot.mouseClick(plan.down_button, Qt.MouseButton.LeftButton)
    assert plan.goal_list.currentRow() == 1
    assert plan.up_button.isEnabled()
    plan.goal_list.setCurrentRow(plan.goal_list.count() - 1)
    assert not plan.down_button.isEnabled()
    plan.move_goal(+1)  # nothing below the last one
    assert sorted(g.prioriteit for g in dossier.plan.doelen) == list(range(1, len(dossier.plan.doelen) + 1))


def test_priorities_are_renumbered_from_a_messy_model(qtbot, context, dossier):
    dossier.plan.doelen[0].prioriteit = 5
    dossier.plan.doelen[1].prioriteit = 5
    page = shown(qtbot, PlanPage(context))
    page.set_dossier(dossier)
    page.goal_list.setCurrentRow(0)
    page.move_goal(+1)
    assert sorted(g.prioriteit for g in dossier.plan.doelen) == list(range(1, len(dossier.plan.doelen) + 1))


def test_add_goal_with_enter(qtbot, plan, dossier):
    n = len(dossier.plan.doelen)
    qtbot.keyClick(plan.new_goal_edit, Qt.Key.Key_Return)
    assert len(dossier.plan.doelen) == n
    assert plan.new_goal_error.text() == "Typ eerst wat het doel is."
    with qtbot.waitSignal(plan.document.changed):
        qtbot.keyClicks(plan.new_goal_edit, "Emre heeft werk")
        qtbot.keyClick(plan.new_goal_edit, Qt.Key.Key_Return)
    assert len(dossier.plan.doelen) == n + 1
    new = dossier.plan.doelen[-1]
    assert (new.prioriteit, new.omschrijving) == (n + 1, "Emre heeft werk")
    assert plan.new_goal_edit.text() == ""
    assert not plan.new_goal_error.isVisible()
    assert plan.goal_list.currentRow() == n
    assert plan.omschrijving_edit.text() == "Emre heeft werk"


def test_delete_goal_renumbers_and_undo_restores(qtbot, plan, dossier):
    goals = list(dossier.plan.doelen)
    plan.goal_list.setCurrentRow(0)
    plan.goal_list.setFocus()
    with qtbot.waitSignal(plan.document.changed):
        qtbot.keyClick(plan.goal_list, Qt.Key.Key_Delete)
    assert dossier.plan.doelen == goals[1:]
    assert [g.prioriteit for g in dossier.plan.doelen] == list(range(1, len(goals)))
    assert plan.document.undo_stack.undoText() == f"doel ‘{goals[0].omschrijving[:40]}’ verwijderen" or (
        plan.document.undo_stack.undoText().startswith("doel ‘")
    )
    plan.document.undo()  # Ctrl+Z, menu Bewerken
    assert dossier.plan.doelen == goals
    assert [g.prioriteit for g in dossier.plan.doelen] == list(range(1, len(goals) + 1))
    plan.goal_list.setCurrentRow(0)
    assert plan.omschrijving_edit.text() == goals[0].omschrijving
    plan.document.redo()
    assert dossier.plan.doelen[0].id == goals[1].id


def test_evaluated_goal_is_not_removed(qtbot, plan, dossier):
    import datetime as dt

    from forms import Evaluation

    goal = dossier.plan.doelen[0]
    dossier.evaluaties = [Evaluation(datum=dt.date.today(), goal_id=goal.id, bevinding="Gaat goed")]
    plan.goal_list.setCurrentRow(0)
    plan.remove_goal()
    assert dossier.plan.doelen[0] is goal
    assert "geëvalueerd" in plan.goal_list_error.text()


def test_streefdatum_can_be_unknown(qtbot, plan, dossier):
    import datetime as dt

    goal = dossier.plan.doelen[0]
    press_space(qtbot, plan.streefdatum_edit.check)
    assert goal.streefdatum is None
    assert not plan.streefdatum_edit.edit.isEnabled()
    press_space(qtbot, plan.streefdatum_edit.check)
    assert goal.streefdatum is not None
    plan.streefdatum_edit.edit.setDate(plan.streefdatum_edit.edit.date().addDays(3))
    assert isinstance(goal.streefdatum, dt.date)
    assert plan.streefdatum_edit.value() == goal.streefdatum


def test_domain_checkboxes_from_the_definitions(qtbot, plan, dossier, definitions):
    goal = dossier.plan.doelen[0]
    names = [d.naam for d in definitions.domain_set(dossier.leefgebieden_set).domeinen]
    assert [b.text() for b in plan.domains_check.boxes.values()] == names
    with qtbot.waitSignal(plan.changed):
        press_space(qtbot, plan.domains_check.boxes["wonen"])
    assert goal.domeinen == ["wonen", "opvoeding_gezin", "onderwijs"]
    press_space(qtbot, plan.domains_check.boxes["onderwijs"])
    assert goal.domeinen == ["wonen", "opvoeding_gezin"]


def test_actions_add_edit_remove_undo(qtbot, plan, dossier):
    goal = dossier.plan.doelen[0]
    n = len(goal.acties)
    with qtbot.waitSignal(plan.document.changed):
        qtbot.keyClicks(plan.new_action_edit, "Daan meldt zich bij de mentor")
        qtbot.keyClick(plan.new_action_edit, Qt.Key.Key_Return)
    assert len(goal.acties) == n + 1
    action = goal.acties[-1]
    assert action.omschrijving == "Daan meldt zich bij de mentor"
    row = plan._action_widgets[action.id]
    qtbot.keyClicks(row["wie"], "Daan")
    assert action.wie == "Daan"
    press_space(qtbot, row["wanneer"].check)
    assert action.wanneer == plan.context.today
    row["omschrijving"].clear()
    assert action.omschrijving == "Daan meldt zich bij de mentor"  # empty refused
    row["omschrijving"].setFocus()
    qtbot.keyClicks(row["omschrijving"], "Daan belt de mentor")
    assert action.omschrijving == "Daan belt de mentor"

    qtbot.mouseClick(row["verwijderen"], Qt.MouseButton.LeftButton)
    assert action not in goal.acties
    plan.document.undo()  # Ctrl+Z, menu Bewerken
    assert goal.acties[-1] == action


def test_regisseur_chosen_from_the_household(qtbot, plan, dossier):
    sanne = dossier.adults()[0]
    combo = plan.regisseur_combo
    index = combo.findText(f"Gezinslid: {sanne.naam}")
    assert index > 0
    with qtbot.waitSignal(plan.changed):
        combo.setCurrentIndex(index)
    regisseur = dossier.plan.regisseur
    assert (regisseur.soort, regisseur.ref, regisseur.naam) == ("gezinslid", sanne.id, sanne.naam)
    assert regisseur.bereikbaar == "Via het wijkteam, 0223-000000"  # kept from the widgets
    plan.regisseur_bereikbaar.clear()
    qtbot.keyClicks(plan.regisseur_bereikbaar, "06-00000000")
    assert dossier.plan.regisseur.bereikbaar == "06-00000000"
    plan.regisseur_taken.setFocus()
    plan.regisseur_taken.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(plan.regisseur_taken, " Belt school.")
    assert dossier.plan.regisseur.taken.endswith("Belt school.")


def test_regisseur_typed_name_needs_a_name(qtbot, plan, dossier):
    before = dossier.plan.regisseur
    combo = plan.regisseur_combo
    combo.setCurrentIndex(combo.findText("Andere professional (naam typen)"))
    assert dossier.plan.regisseur == before  # no name yet: the model keeps the old one
    assert plan.regisseur_naam_error.text() == "Vul de naam van de regisseur in."
    qtbot.keyClicks(plan.regisseur_naam, "mw. P. Casus (Veilig Thuis)")
    regisseur = dossier.plan.regisseur
    assert (regisseur.soort, regisseur.ref, regisseur.naam) == ("partner", None, "mw. P. Casus (Veilig Thuis)")
    assert not plan.regisseur_naam_error.isVisible()


def test_regisseur_can_be_cleared_and_fields_follow(qtbot, plan, dossier):
    plan.regisseur_combo.setCurrentIndex(0)
    assert dossier.plan.regisseur is None
    assert not plan.regisseur_naam.isEnabled()
    plan.regisseur_combo.setCurrentIndex(1)
    assert dossier.plan.regisseur.soort == "wijkcoach"


def test_regisseur_no_longer_in_dossier_is_still_shown(qtbot, context, dossier):
    from uuid import uuid4

    from forms import Regisseur

    dossier.plan.regisseur = Regisseur(soort="netwerk", ref=uuid4(), naam="Tante Ans")
    page = PlanPage(context)
    page.set_dossier(dossier)
    assert page.regisseur_combo.currentText() == "Netwerk: Tante Ans"
    assert page.regisseur_naam.text() == "Tante Ans"


def test_familiegroepsplan_offer_and_outcome(qtbot, plan, dossier):
    fgp = dossier.familiegroepsplan
    qtbot.mouseClick(plan.fgp_aangeboden.buttons[False], Qt.MouseButton.LeftButton)
    assert fgp.aangeboden is False
    assert not plan.fgp_uitkomst.isEnabled()
    qtbot.mouseClick(plan.fgp_aangeboden.buttons[True], Qt.MouseButton.LeftButton)
    assert fgp.aangeboden is True
    assert plan.fgp_uitkomst.isEnabled()
    plan.fgp_uitkomst.setCurrentIndex(plan.fgp_uitkomst.findData("in_voorbereiding"))
    assert fgp.uitkomst == "in_voorbereiding"
    plan.fgp_uitkomst.setCurrentIndex(0)
    assert fgp.uitkomst is None
    press_space(qtbot, plan.fgp_datum.check)
    assert fgp.datum is None
    plan.fgp_toelichting.setFocus()
    plan.fgp_toelichting.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(plan.fgp_toelichting, " Oma wil meedenken.")
    assert fgp.toelichting.endswith("Oma wil meedenken.")


def test_too_long_toelichting_is_refused(plan, dossier):
    before = dossier.familiegroepsplan.toelichting
    plan.fgp_toelichting.setPlainText("x" * 501)
    assert dossier.familiegroepsplan.toelichting == before
    assert "hooguit 500 tekens" in plan.fgp_toelichting_error.text()


@pytest.mark.parametrize(
    "field, widget",
    [
        ("resultaat", "resultaat_edit"),
        ("eigenaar", "eigenaar_edit"),
        ("omschrijving", "omschrijving_edit"),
    ],
)
def test_plan_focus_goal_field_of_the_right_goal(qtbot, plan, dossier, field, widget):
    goal = dossier.plan.doelen[1]
    plan.focus_location(Loc("plan", field=field, ref=goal.id))
    assert plan.goal_list.currentRow() == 1
    assert has_focus(qtbot, getattr(plan, widget))


def test_plan_focus_priority_selects_goal_in_list(qtbot, plan, dossier):
    goal = dossier.plan.doelen[2]
    plan.focus_location(Loc("plan", field="prioriteit", ref=goal.id))
    assert plan.goal_list.currentRow() == 2
    assert has_focus(qtbot, plan.goal_list)


def test_plan_focus_streefdatum_gap_selects_the_goal_missing_it(qtbot, plan, dossier, definitions):
    dossier.plan.doelen[1].streefdatum = None
    plan.set_dossier(dossier)
    gap = next(g for g in plan_gaps(dossier, definitions) if g.code == "doel_streefdatum_ontbreekt")
    plan.focus_location(gap.location)
    assert plan.goal_list.currentRow() == 1
    assert has_focus(qtbot, plan.streefdatum_edit.check)  # unknown date: the checkbox


def test_plan_focus_domains_and_actions(qtbot, plan, dossier, definitions):
    goal = dossier.plan.doelen[0]
    plan.focus_location(Loc("plan", field="domeinen", ref=goal.id))
    assert has_focus(qtbot, plan.domains_check.boxes["wonen"])
    goal.acties[0].wie = ""
    plan.set_dossier(dossier)
    gap = next(g for g in plan_gaps(dossier, definitions) if g.code == "actie_onvolledig")
    assert gap.location.ref == goal.id
    plan.focus_location(gap.location)
    assert has_focus(qtbot, plan._action_widgets[goal.acties[0].id]["wie"])


@pytest.mark.parametrize(
    "field, widget",
    [
        ("regisseur", "regisseur_combo"),  # what forms.rules emits for the regisseur (a complete one here)
        ("uitkomst", "fgp_uitkomst"),
    ],
)
def test_plan_focus_regisseur_and_fgp(qtbot, plan, field, widget):
    plan.focus_location(Loc("plan", field=field))
    assert has_focus(qtbot, getattr(plan, widget))


@pytest.mark.parametrize(
    "path, widget",
    [
        (("plan", "regisseur", "taken"), "regisseur_taken"),
        (("plan", "regisseur", "bereikbaar"), "regisseur_bereikbaar"),
        (("plan", "regisseur", "naam"), "regisseur_naam"),
        (("familiegroepsplan", "toelichting"), "fgp_toelichting"),
    ],
)
def test_plan_focus_path_of_a_bound_field(qtbot, plan, path, widget):
    assert plan.focus_path(path)
    assert has_focus(qtbot, getattr(plan, widget))


def test_plan_focus_familiegroepsplan_goes_to_the_offer(qtbot, plan, dossier, definitions):
    dossier.familiegroepsplan.aangeboden = None
    plan.set_dossier(dossier)
    gap = next(g for g in plan_gaps(dossier, definitions) if g.code == "fgp_aanbod_ontbreekt")
    plan.focus_location(gap.location)
    assert has_focus(qtbot, plan.fgp_aangeboden.buttons[True])


def test_plan_without_goals(qtbot, context, dossier):
    dossier.plan.doelen = []
    dossier.plan.regisseur = None
    page = shown(qtbot, PlanPage(context))
    page.set_dossier(dossier)
    assert not page.goal_editor.isEnabled()
    assert page.regisseur_combo.currentIndex() == 0
    page.focus_location(Loc("plan", field="doelen"))
    assert has_focus(qtbot, page.new_goal_edit)
    page.focus_location(Loc("plan", field="regisseur"))
    assert has_focus(qtbot, page.regisseur_combo)


def test_plan_every_control_has_an_accessible_name(plan):
    assert unnamed_controls(plan) == []


# --- driven by the real rules -------------------------------------------------------------


def plan_gaps(dossier, definitions, section="plan"):
    return [g for g in gaps(dossier, definitions) if g.location.section == section]


def test_hulpvraag_gaps_land_on_their_fields(qtbot, hulpvraag, dossier, definitions):
    dossier.hulpvraag.tekst = ""
    dossier.hulpvraag.stem = None
    hulpvraag.set_dossier(dossier)
    found = {g.code: g for g in plan_gaps(dossier, definitions, "hulpvraag")}
    hulpvraag.focus_location(found["hulpvraag_stem_ontbreekt"].location)
    assert has_focus(qtbot, hulpvraag.voice.buttons[Voice.OUDER])
    hulpvraag.focus_location(found["hulpvraag_ontbreekt"].location)
    assert has_focus(qtbot, hulpvraag.hulpvraag_edit)


def test_analysis_gaps_belong_to_the_hulpvraag_step(dossier, definitions):
    dossier.plan.probleemanalyse = ""
    found = {g.code: g for g in plan_gaps(dossier, definitions, "hulpvraag")}
    location = found["plan_probleemanalyse_ontbreekt"].location
    assert (location.section, location.field) == ("hulpvraag", "probleemanalyse")


@pytest.fixture
def gappy(dossier):
    """The demo with the plan's typical holes: an unfinished second goal, no tasks, no offer."""
    goal = dossier.plan.doelen[1]
    goal.resultaat = ""
    goal.eigenaar = ""
    goal.streefdatum = None
    goal.domeinen = []
    goal.acties[0].wie = ""
    dossier.plan.doelen[2].acties = []
    dossier.plan.regisseur.taken = ""
    dossier.familiegroepsplan.aangeboden = None
    for g in dossier.plan.doelen:  # nobody works on 'wonen' any more
        g.domeinen = [d for d in g.domeinen if d != "wonen"]
    return dossier


def test_every_plan_gap_lands_on_its_widget(qtbot, context, gappy, definitions):
    page = shown(qtbot, PlanPage(context))
    page.set_dossier(gappy)
    goal = gappy.plan.doelen[1]
    expected = {
        "doel_resultaat_ontbreekt": lambda: page.resultaat_edit,
        "doel_eigenaar_ontbreekt": lambda: page.eigenaar_edit,
        "doel_streefdatum_ontbreekt": lambda: page.streefdatum_edit.check,
        "doel_domein_ontbreekt": lambda: next(iter(page.domains_check.boxes.values())),
        "actie_onvolledig": lambda: page._action_widgets[goal.acties[0].id]["wie"],
        "doel_zonder_acties": lambda: page.new_action_edit,
        "regisseur_taken_ontbreken": lambda: page.regisseur_taken,
        "fgp_aanbod_ontbreekt": lambda: page.fgp_aangeboden.buttons[True],
        "zorgen_zonder_doel": lambda: page.new_goal_edit,
    }
    found = {g.code: g for g in plan_gaps(gappy, definitions)}
    assert set(expected) <= set(found), sorted(found)
    for code, widget in expected.items():
        page.goal_list.setFocus()
        page.focus_location(found[code].location)
        ref = found[code].location.ref
        if ref is not None:
            assert page._current_goal().id == ref, code
        assert has_focus(qtbot, widget()), code


def test_goal_for_a_domain_without_one_gets_that_domain(qtbot, plan, gappy, definitions):
    plan.set_dossier(gappy)
    gap = next(g for g in plan_gaps(gappy, definitions) if g.code == "zorgen_zonder_doel")
    plan.focus_location(gap.location)
    assert "Wonen" in plan.new_goal_edit.placeholderText()
    qtbot.keyClicks(plan.new_goal_edit, "De huurachterstand is ingelopen")
    qtbot.keyClick(plan.new_goal_edit, Qt.Key.Key_Return)
    assert gappy.plan.doelen[-1].domeinen == [gap.location.domein]
    assert not any(g.code == "zorgen_zonder_doel" and g.location.domein == gap.location.domein
                   for g in plan_gaps(gappy, definitions))


def test_duplicate_priorities_are_found_and_fixed_by_moving(qtbot, context, dossier, definitions):
    dossier.plan.doelen[1].prioriteit = 1
    page = shown(qtbot, PlanPage(context))
    page.set_dossier(dossier)
    gap = next(g for g in plan_gaps(dossier, definitions) if g.code == "doel_prioriteit_dubbel")
    page.focus_location(gap.location)
    assert has_focus(qtbot, page.goal_list)
    assert page._current_goal().id == gap.location.ref
    qtbot.keyClick(page.goal_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert not any(g.code == "doel_prioriteit_dubbel" for g in plan_gaps(dossier, definitions))


def test_unknown_regisseur_focuses_the_choice(qtbot, context, dossier, definitions):
    from uuid import uuid4

    from forms import Regisseur

    dossier.plan.regisseur = Regisseur(soort="partner", ref=uuid4(), naam="Oud contact", taken="Alles")
    page = shown(qtbot, PlanPage(context))
    page.set_dossier(dossier)
    gap = next(g for g in plan_gaps(dossier, definitions) if g.code == "regisseur_onbekend")
    page.focus_location(gap.location)
    assert has_focus(qtbot, page.regisseur_combo)


def test_read_only_plan_cannot_be_changed(qtbot, plan, dossier):
    before = [(g.id, g.prioriteit) for g in dossier.plan.doelen]
    changes = []
    plan.changed.connect(lambda: changes.append(1))
    plan.set_read_only(True)
    plan.goal_list.setFocus()
    qtbot.keyClick(plan.goal_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(plan.goal_list, Qt.Key.Key_Delete)
    assert [(g.id, g.prioriteit) for g in dossier.plan.doelen] == before
    assert not plan.down_button.isEnabled()
    assert plan.omschrijving_edit.isReadOnly()
    plan.goal_list.setCurrentRow(1)  # reading another goal is fine, its rows stay locked
    assert all(not b.isEnabled() for b in plan.domains_check.boxes.values())
    for widgets in plan._action_widgets.values():
        assert widgets["omschrijving"].isReadOnly()
        assert not widgets["verwijderen"].isEnabled()
    assert not plan.fgp_uitkomst.isEnabled()
    assert changes == []
    plan.set_read_only(False)
    assert plan.down_button.isEnabled()


def test_undo_and_redo_of_a_goal_field_and_the_regisseur_restore_model_and_widget(qtbot, plan, dossier):
    plan.goal_list.setCurrentRow(1)
    goal_id = dossier.plan.doelen[1].id
    before = dossier.plan.doelen[1].resultaat
    plan.resultaat_edit.selectAll()
    qtbot.keyClicks(plan.resultaat_edit, "Geen aanmaningen meer.")
    plan.regisseur_bereikbaar.setFocus()  # leaving the field ends the typing step
    taken_before = dossier.plan.regisseur.taken
    plan.regisseur_taken.selectAll()
    qtbot.keyClicks(plan.regisseur_taken, "Belt elke week.")
    plan.goal_list.setFocus()
    goal = next(g for g in plan.document.dossier.plan.doelen if g.id == goal_id)
    assert (goal.resultaat, plan.document.dossier.plan.regisseur.taken) == ("Geen aanmaningen meer.", "Belt elke week.")

    plan.document.undo()
    assert plan.document.dossier.plan.regisseur.taken == taken_before
    assert plan.regisseur_taken.toPlainText() == taken_before
    plan.document.undo()
    goal = next(g for g in plan.document.dossier.plan.doelen if g.id == goal_id)
    assert goal.resultaat == before
    assert plan.resultaat_edit.toPlainText() == before
    plan.document.redo()
    plan.document.redo()
    goal = next(g for g in plan.document.dossier.plan.doelen if g.id == goal_id)
    assert goal.resultaat == plan.resultaat_edit.toPlainText() == "Geen aanmaningen meer."
    assert plan.document.dossier.plan.regisseur.taken == plan.regisseur_taken.toPlainText() == "Belt elke week."


def test_ga_naar_for_a_goal_gap_and_a_familiegroepsplan_gap(qtbot, context, gappy, definitions):
    gappy.familiegroepsplan.aangeboden = True  # offered, no outcome yet
    gappy.familiegroepsplan.uitkomst = None
    page = shown(qtbot, PlanPage(context))
    page.set_dossier(gappy)
    found = {g.code: g for g in plan_gaps(gappy, definitions)}
    page.goal_list.setCurrentRow(0)
    page.focus_location(found["doel_eigenaar_ontbreekt"].location)
    assert page._current_goal().id == gappy.plan.doelen[1].id
    assert has_focus(qtbot, page.eigenaar_edit)
    page.focus_location(found["fgp_uitkomst_ontbreekt"].location)
    assert has_focus(qtbot, page.fgp_uitkomst)
