"""The edit layer: DossierDocument (edits by path, undo/redo, autosave, changes from outside)
and the binder, on real pages and a real vault."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from apphelpers import PASSPHRASE, WAIT_MS, run_db, shown
from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

import storage
from desktop.document import DossierDocument, ReadOnlyDossier
from desktop.steps.hulpvraag import HulpvraagPage
from forms import Voice
from forms.demo import complete_demo_dossier, demo_dossier
from forms.finalise import finalise


def _reload(path: Path, dossier_id: Any) -> Any:
    vault = storage.open_vault(path, PASSPHRASE)
    try:
        return vault.load(dossier_id)
    finally:
        vault.close()


def test_keystrokes_merge_into_one_step_and_undo_restores_model_and_widget(qtbot, context, dossier):
    page = shown(qtbot, HulpvraagPage(context))
    page.set_dossier(dossier)
    doc = page.document
    before = dossier.plan.perspectief
    page.perspectief_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(page.perspectief_edit, " Samen.")
    assert dossier.plan.perspectief == before + " Samen."
    assert doc.undo_stack.count() == 1  # seven keystrokes, one step
    assert doc.create_undo_action(page).text() == "Ongedaan maken: perspectief"
    page.voice.buttons[Voice.KIND].click()
    assert dossier.hulpvraag.stem is Voice.KIND and doc.undo_stack.count() == 2

    doc.undo()
    assert dossier.hulpvraag.stem is Voice.BEIDE and page.voice.value() is Voice.BEIDE
    doc.undo()
    assert dossier.plan.perspectief == before
    assert page.perspectief_edit.toPlainText() == before
    doc.redo()
    assert page.perspectief_edit.toPlainText() == before + " Samen."
    assert dossier.plan.perspectief == before + " Samen."


def test_leaving_a_field_starts_a_new_step(qtbot, context, dossier):
    page = shown(qtbot, HulpvraagPage(context))
    page.set_dossier(dossier)
    page.hulpvraag_edit.setFocus()
    qtbot.keyClicks(page.hulpvraag_edit, "a")
    page.analyse_edit.setFocus()
    qtbot.waitUntil(page.analyse_edit.hasFocus)
    page.hulpvraag_edit.setFocus()
    qtbot.waitUntil(page.hulpvraag_edit.hasFocus)
    qtbot.keyClicks(page.hulpvraag_edit, "b")
    assert page.document.undo_stack.count() == 2


def test_a_rejected_value_changes_nothing_and_is_not_a_step(qtbot, context, dossier):
    doc = DossierDocument(dossier)
    goal = dossier.plan.doelen[0]
    from forms.paths import Item

    with pytest.raises(ValidationError):
        doc.set(("plan", "doelen", Item(str(goal.id)), "omschrijving"), "", label="doel")
    assert goal.omschrijving and doc.undo_stack.count() == 0 and not doc.dirty


def test_a_finalised_gesprek_is_read_only_in_the_document(qtbot, context, definitions):
    final = finalise(complete_demo_dossier(), definitions)
    doc = DossierDocument(final)
    with pytest.raises(ReadOnlyDossier) as raised:
        doc.set(("hulpvraag", "tekst"), "anders", label="hulpvraag")
    assert raised.value.path == ("hulpvraag", "tekst")
    assert "afgerond" in raised.value.melding
    page = shown(qtbot, HulpvraagPage(context))
    page.set_dossier(final)
    page.set_read_only(True)
    page.hulpvraag_edit.setPlainText("getypt")  # as if: the field is read-only on screen too
    assert final.hulpvraag.tekst != "getypt"


def test_undo_after_an_autosave_is_saved_again(qtbot, open_workspace, vault_path):
    d = demo_dossier()
    ws = open_workspace(d, start_step="hulpvraag")
    page = ws.show_step("hulpvraag")
    original = d.hulpvraag.tekst
    page.hulpvraag_edit.setPlainText("Eerst dit")
    qtbot.waitUntil(lambda: ws.save_label.text().startswith("Opgeslagen"), timeout=WAIT_MS)
    assert run_db(qtbot, ws.tasks, lambda v: v.load(d.id)).hulpvraag.tekst == "Eerst dit"
    ws.undo_action.trigger()  # Ctrl+Z
    assert page.hulpvraag_edit.toPlainText() == original
    assert ws.dirty
    qtbot.waitUntil(lambda: not ws.dirty and not ws.saving, timeout=WAIT_MS)
    assert run_db(qtbot, ws.tasks, lambda v: v.load(d.id)).hulpvraag.tekst == original
    assert ws.edit_menu.title() == "&Bewerken"
    assert ws.redo_action.text() == "Opnieuw: hulpvraag"


def test_a_change_from_outside_shows_without_reopening(qtbot, open_workspace):
    d = demo_dossier()
    ws = open_workspace(d, start_step="hulpvraag")
    page = ws.show_step("hulpvraag")
    # a colleague's version reaches the vault (the sync pulled it)
    theirs = d.model_copy(deep=True)
    theirs.plan.probleemanalyse = "Analyse van de collega."
    run_db(qtbot, ws.tasks, lambda v: v.save(theirs))
    stored = run_db(qtbot, ws.tasks, lambda v: v.load(d.id))
    ws.document.apply_external(stored)
    assert page.analyse_edit.toPlainText() == "Analyse van de collega."
    assert ws.dossier.plan.probleemanalyse == "Analyse van de collega."
    assert ws.document.undo_stack.count() == 0  # nobody here can undo a colleague's change
    assert not ws.dirty


def test_a_conflict_on_an_open_field_shows_both_values(qtbot, open_workspace):
    d = demo_dossier()
    ws = open_workspace(d, start_step="hulpvraag")
    page = ws.show_step("hulpvraag")
    page.perspectief_edit.setPlainText("Mijn perspectief")  # not saved yet
    theirs = d.model_copy(deep=True)
    theirs.plan.perspectief = "Perspectief van de collega"
    theirs.hulpvraag.tekst = "Hulpvraag van de collega"
    ws.document.apply_external(theirs)
    # the field keeps the local value; the colleague's is shown under it
    assert page.perspectief_edit.toPlainText() == "Mijn perspectief"
    note = page.binder.bindings()[3].note
    assert note is not None and note.isVisible()
    assert note.label.text() == "Ook gewijzigd door collega: Perspectief van de collega"
    # a field changed only there simply shows the new value
    assert page.hulpvraag_edit.toPlainText() == "Hulpvraag van de collega"
    qtbot.mouseClick(note.take_button, Qt.MouseButton.LeftButton)
    assert page.perspectief_edit.toPlainText() == "Perspectief van de collega"
    assert ws.dossier.plan.perspectief == "Perspectief van de collega"
    assert page.binder.bindings()[3].note is None
    ws.document.undo()  # taking it is an edit like any other
    assert page.perspectief_edit.toPlainText() == "Mijn perspectief"


def test_ga_naar_from_controle_focuses_the_field_for_several_gap_kinds(qtbot, open_workspace):
    from forms import ContactStatus

    d = demo_dossier()
    d.hulpvraag.stem = None
    emre = next(m for m in d.huishouden.leden if m.voornaam == "Emre")
    d.gesprek.contacten = [c for c in d.gesprek.contacten if c.member_id != emre.id]
    d.plan.doelen[1].eigenaar = ""
    ws = open_workspace(d, start_step="controle")
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)

    def go(code: str) -> Any:
        gap = next(g for g in ws.gaps if g.code == code)
        ws.go_to(gap.location)
        return gap

    go("hulpvraag_stem_ontbreekt")
    page = ws.pages["hulpvraag"]
    qtbot.waitUntil(lambda: page.voice.buttons[Voice.OUDER].hasFocus(), timeout=WAIT_MS)

    go("contact_status_ontbreekt")  # a member without a record: that member's choice
    contact = ws.pages["contact"]
    qtbot.waitUntil(lambda: contact.rows[emre.id].choice.buttons[ContactStatus.GESPROKEN].hasFocus(), timeout=WAIT_MS)
    contact.rows[emre.id].choice.buttons[ContactStatus.NIET].click()
    ws.refresh_gaps()
    ws.show_step("controle")
    go("contact_reden_ontbreekt")  # now the reason asked for
    qtbot.waitUntil(lambda: contact.rows[emre.id].reason.hasFocus(), timeout=WAIT_MS)

    gap = go("doel_eigenaar_ontbreekt")  # a goal's field: that goal chosen, its field focused
    plan = ws.pages["plan"]
    qtbot.waitUntil(lambda: plan.eigenaar_edit.hasFocus(), timeout=WAIT_MS)
    assert plan._current_goal().id == gap.location.ref


def test_ctrl_z_in_a_text_field_undoes_the_dossier_step(qtbot, open_workspace):
    d = demo_dossier()
    ws = open_workspace(d, start_step="hulpvraag")
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)
    page = ws.show_step("hulpvraag")
    page.voice.buttons[Voice.KIND].click()
    page.analyse_edit.setFocus()
    qtbot.waitUntil(page.analyse_edit.hasFocus, timeout=WAIT_MS)
    page.analyse_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(page.analyse_edit, "xyz")
    assert ws.undo_action.text() == "Ongedaan maken: probleemanalyse"
    qtbot.keyClick(page.analyse_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not ws.dossier.plan.probleemanalyse.endswith("xyz")
    assert not page.analyse_edit.toPlainText().endswith("xyz")
    assert ws.undo_action.text() == "Ongedaan maken: van wie de hulpvraag is"
    qtbot.keyClick(page.analyse_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.analyse_edit.toPlainText().endswith("xyz")


def test_the_document_saves_with_the_stored_revision_and_merges_a_save_from_elsewhere(qtbot, open_workspace):
    d = demo_dossier()
    ws = open_workspace(d, start_step="hulpvraag")
    doc = ws.document
    qtbot.waitUntil(lambda: doc.revision is not None, timeout=WAIT_MS)  # read at open
    assert doc.revision == run_db(qtbot, ws.tasks, lambda v: v.load_revision(d.id))[1]
    doc.set(("hulpvraag", "tekst"), "Van hier", label="hulpvraag")
    doc.save_now()
    qtbot.waitUntil(lambda: not ws.saving, timeout=WAIT_MS)
    assert doc.revision == run_db(qtbot, ws.tasks, lambda v: v.load_revision(d.id))[1]
    # stored meanwhile by someone else (the sync merged a colleague's change)
    theirs = run_db(qtbot, ws.tasks, lambda v: v.load(d.id))
    theirs.plan.perspectief = "Van elders"
    run_db(qtbot, ws.tasks, lambda v: v.save(theirs))
    doc.set(("plan", "probleemanalyse"), "Ook van hier", label="probleemanalyse")
    doc.save_now()  # refused (stale), merged, saved again
    page = ws.pages["hulpvraag"]
    qtbot.waitUntil(lambda: page.perspectief_edit.toPlainText() == "Van elders", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not ws.dirty and not ws.saving, timeout=WAIT_MS)
    stored = run_db(qtbot, ws.tasks, lambda v: v.load(d.id))
    assert stored.plan.perspectief == "Van elders"
    assert stored.plan.probleemanalyse == "Ook van hier"
    assert stored.hulpvraag.tekst == "Van hier"


# --- undo and redo on each step page: the model and the widget come back -----------------------


def _undo_redo(page: Any, read: Any, model: Any, edit: Any) -> None:
    """Edit through the widget; undo restores model and widget, redo brings the edit back."""
    before_model, before_widget = model(), read()
    edit()
    after_model, after_widget = model(), read()
    assert after_model != before_model and after_widget != before_widget
    page.document.undo()
    assert model() == before_model and read() == before_widget
    page.document.redo()
    assert model() == after_model and read() == after_widget


def test_undo_redo_contact(qtbot, context, dossier):
    from desktop.steps.contact import ContactPage
    from forms import ContactStatus

    page = shown(qtbot, ContactPage(context))
    page.set_dossier(dossier)
    emre = next(m for m in dossier.huishouden.leden if m.voornaam == "Emre")
    row = page.rows[emre.id]
    _undo_redo(page, row.choice.value, lambda: page.dossier.contact(emre.id).status,
               lambda: row.choice.buttons[ContactStatus.NIET].click())
    assert row.reason_shown  # the rest of the row follows the undo and redo too
    page.document.undo()
    assert not row.reason_shown


def test_undo_redo_meldcode_first_answer_and_the_melding(qtbot, context, dossier, definitions):
    from desktop.steps.meldcode import MeldcodePage

    page = shown(qtbot, MeldcodePage(context))
    page.set_dossier(dossier)
    first = definitions.meldcode().stappen[0]
    choice = page.questions[first.id].choice
    assert dossier.meldcode is None
    choice.buttons[True].click()  # the record is made with the first answer: one step
    assert dossier.meldcode is not None and dossier.meldcode.antwoorden[first.id] is True
    assert page.document.undo_stack.count() == 1
    page.document.undo()
    assert dossier.meldcode is None and choice.value() is None
    page.document.redo()
    assert dossier.meldcode.antwoorden[first.id] is True and choice.value() is True
    _undo_redo(page, page.toelichting.toPlainText, lambda: dossier.meldcode.toelichting,
               lambda: page.toelichting.setPlainText("Overlegd met een collega"))


def test_undo_redo_hulpvraag(qtbot, context, dossier):
    page = shown(qtbot, HulpvraagPage(context))
    page.set_dossier(dossier)
    _undo_redo(page, page.hulpvraag_edit.toPlainText, lambda: dossier.hulpvraag.tekst,
               lambda: page.hulpvraag_edit.setPlainText("Rust in huis"))


def test_undo_redo_plan_goal_and_action(qtbot, context, dossier):
    from desktop.steps.plan import PlanPage

    page = shown(qtbot, PlanPage(context))
    page.set_dossier(dossier)
    page.goal_list.setCurrentRow(0)

    def remove() -> None:
        page.remove_goal()

    _undo_redo(page, page.goal_list.count, lambda: [g.id for g in dossier.plan.doelen], remove)
    page.goal_list.setCurrentRow(0)
    goal = sorted(dossier.plan.doelen, key=lambda g: g.prioriteit)[0]

    def add_action() -> None:
        page.new_action_edit.setText("Bellen met school")
        page.add_action()

    _undo_redo(page, lambda: len(page._action_widgets), lambda: [a.omschrijving for a in goal.acties], add_action)


def test_undo_redo_leefgebieden_names_the_step_and_takes_the_new_entry_along(qtbot, context, dossier):
    from desktop.steps.leefgebieden import CellState, LeefgebiedenPage

    page = shown(qtbot, LeefgebiedenPage(context))
    page.set_dossier(dossier)
    doc = page.document
    sanne = next(m for m in dossier.huishouden.leden if m.voornaam == "Sanne")
    page.focus_location(SimpleNamespace(section="leefgebieden", domein="wonen", member_id=sanne.id, field="zorgen"))
    assert page._cell == ("wonen", sanne.id)
    assert dossier.domain_entry("wonen", sanne.id) is None
    page.zorgen.setFocus()
    qtbot.keyClicks(page.zorgen, "Huur")
    entry = dossier.domain_entry("wonen", sanne.id)
    assert entry is not None and entry.zorgen == "Huur" and entry.besproken  # made and marked in one go
    assert page.status.value() is CellState.BESPROKEN
    undo = doc.create_undo_action(page)
    assert undo.text() == "Ongedaan maken: zorgen bij Wonen (Sanne)"
    doc.undo()  # the keystrokes after the first are one step
    assert dossier.domain_entry("wonen", sanne.id).zorgen == "H"
    doc.undo()  # the first keystroke, the entry it made and the mark go together
    assert dossier.domain_entry("wonen", sanne.id) is None
    assert page.zorgen.toPlainText() == "" and page.status.value() is CellState.OPEN
    doc.redo()
    doc.redo()
    assert dossier.domain_entry("wonen", sanne.id).zorgen == "Huur"
    assert page.zorgen.toPlainText() == "Huur" and page.status.value() is CellState.BESPROKEN
    _undo_redo(page, page.status.value, lambda: dossier.domain_entry("wonen", sanne.id).niet_van_toepassing,
               lambda: page.status.buttons[CellState.NVT].click())


def test_a_sync_run_that_changed_an_open_dossier_shows_it_without_reopening(qtbot, make_app):
    """The application after a sync run: the window of a dossier the run changed gets the
    stored dossier through its document, and unsaved edits there stay."""
    from apphelpers import create_through_dialog

    from sync.report import SyncReport

    app = make_app()
    create_through_dialog(qtbot, app)
    d = demo_dossier()
    run_db(qtbot, app.tasks, lambda v: v.save(d.model_copy(deep=True)))
    app.open_dossier(d.id, step="hulpvraag")
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    ws = app.workspace
    page = ws.show_step("hulpvraag")
    assert ws.document.revision == run_db(qtbot, app.tasks, lambda v: v.load_revision(d.id))[1]
    page.hulpvraag_edit.setPlainText("Hier getypt, nog niet opgeslagen")
    # the run stored a colleague's version (as the pull does)
    theirs = d.model_copy(deep=True)
    theirs.plan.perspectief = "Van de gemeente"
    run_db(qtbot, app.tasks, lambda v: v.save(theirs))
    app._sync_finished(SyncReport(changed=[d.id]))
    qtbot.waitUntil(lambda: page.perspectief_edit.toPlainText() == "Van de gemeente", timeout=WAIT_MS)
    assert page.hulpvraag_edit.toPlainText() == "Hier getypt, nog niet opgeslagen"
    qtbot.waitUntil(lambda: not ws.dirty and not ws.saving, timeout=WAIT_MS)
    stored = run_db(qtbot, app.tasks, lambda v: v.load(d.id))
    assert (stored.plan.perspectief, stored.hulpvraag.tekst) == ("Van de gemeente", "Hier getypt, nog niet opgeslagen")


def test_undo_redo_a_signature_on_ondertekenen(qtbot, open_workspace):
    """A stroke, a name typed after it and a refusal are undo steps like any other edit:
    Ctrl+Z in a card's field undoes the dossier's step, and the card shows what the
    dossier holds again."""
    from test_signing import ZIGZAG, draw

    d = complete_demo_dossier()
    d.handtekeningen = []
    ws = open_workspace(d, start_step="ondertekenen")
    ws.resize(1400, 1000)
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)
    page = ws.show_step("ondertekenen")
    first = page.signing.cards[0]
    page.focus_widget(first.pad.canvas)
    draw(qtbot, first.pad.canvas, ZIGZAG)
    [signed] = [s.model_copy(deep=True) for s in ws.dossier.handtekeningen]  # the live one changes in place
    assert ws.undo_action.text() == f"Ongedaan maken: handtekening van {first.name_edit.text()}"

    first.name_edit.setFocus()
    qtbot.waitUntil(first.name_edit.hasFocus, timeout=WAIT_MS)
    first.name_edit.end(False)
    qtbot.keyClicks(first.name_edit, " jr")  # three keystrokes, one step
    assert ws.dossier.handtekeningen[0].naam == signed.naam + " jr"
    qtbot.keyClick(first.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.dossier.handtekeningen == [signed]  # the dossier's step, not the field's own undo
    card = page.signing.cards[0]
    assert card.name_edit.text() == signed.naam and card.pad.to_png() == signed.afbeelding_png

    ws.undo_action.trigger()  # the stroke
    assert ws.dossier.handtekeningen == []
    card = page.signing.cards[0]
    assert card.pad.is_empty() and card.state == "open"
    assert "0 van" in page.signing.summary.text() and not page.finalise_button.isEnabled()

    ws.redo_action.trigger()
    assert ws.dossier.handtekeningen == [signed]
    assert page.signing.cards[0].pad.to_png() == signed.afbeelding_png

    refusing = page.signing.cards[1]
    refusing.refuse_check.setChecked(True)
    qtbot.keyClicks(refusing.reason_edit, "Eerst overleggen")
    assert [s.weigering_reden for s in ws.dossier.handtekeningen][1:] == ["Eerst overleggen"]
    ws.undo_action.trigger()
    assert ws.dossier.handtekeningen == [signed]
    assert not page.signing.cards[1].refuse_check.isChecked()
