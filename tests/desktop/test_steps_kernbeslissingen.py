"""The Kernbeslissingen step (issue 13, T11/T14), driven through its widgets on a dossier
at an evaluatie."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from apphelpers import has_focus, shown
from PySide6.QtCore import QPoint, Qt
from trajectory_fixtures import at_gesprek

from desktop.steps.kernbeslissingen import KernbeslissingenPage
from forms import Kernbeslissing, Opschaling, Raadpleging
from forms.rules import Location


@pytest.fixture
def dossier_at_evaluatie():
    return at_gesprek("evaluatie")


@pytest.fixture
def page(qtbot, context, dossier_at_evaluatie):
    page = KernbeslissingenPage(context)
    page.set_dossier(dossier_at_evaluatie)
    page.set_read_only(False)
    return shown(qtbot, page)


def choose(combo, key):
    combo.setCurrentIndex(combo.findData(key))


def add_decision(qtbot, page, soort="veiligheid_verslechterd", text="Extra hulp inzetten voor Daan"):
    choose(page.new_soort, soort)
    page.new_beslissing.setFocus()
    qtbot.keyClicks(page.new_beslissing, text)
    page.add_button.click()


def draw(qtbot, canvas):
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    for i in range(12):
        qtbot.mouseMove(canvas, QPoint(30 + i * 10, 20 + (10 if i % 2 else -5)))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(150, 25))


def test_a_kernbeslissing_with_its_consultation_and_information_is_recorded_through_the_widgets(qtbot, page, dossier_at_evaluatie):
    d = dossier_at_evaluatie
    page.add_button.click()  # nothing decided yet: said, nothing added
    assert page.new_error.isVisible() and not d.kernbeslissingen
    add_decision(qtbot, page)
    assert len(d.kernbeslissingen) == 1
    kb = d.kernbeslissingen[0]
    assert (kb.soort, kb.beslissing, kb.gesprek_id, kb.datum) == (
        "veiligheid_verslechterd", "Extra hulp inzetten voor Daan", d.gesprek.id, d.gesprek.datum)
    assert page.kb_editor.isVisible() and "nog niemand geraadpleegd" in page.decisions.item(0).text()
    page.kb_informatie.setFocus()
    qtbot.keyClicks(page.kb_informatie, "Veiligheidsbeoordeling van vandaag")
    assert kb.informatie == "Veiligheidsbeoordeling van vandaag"
    daan = d.children()[0]
    choose(page.kb_child, str(daan.id))
    assert kb.child_id == daan.id
    # the consultation: met, naam, datum, over, uitkomst
    choose(page.r_met, "gedragswetenschapper")
    page.r_naam.setFocus()
    qtbot.keyClicks(page.r_naam, "A. de Vries")
    qtbot.keyClicks(page.r_over, "Is extra hulp genoeg?")
    qtbot.keyClicks(page.r_uitkomst, "Ja, met een veiligheidsplan")
    page.r_add.click()
    assert kb.raadplegingen == [
        Raadpleging(met="gedragswetenschapper", naam="A. de Vries", datum=page.context.today, over="Is extra hulp genoeg?", uitkomst="Ja, met een veiligheidsplan")
    ]
    assert "nog niemand" not in page.decisions.item(0).text()
    assert len(page.raadplegingen.remove_buttons) == 1
    # undo takes the consultation away again, and the screen follows
    page.document.undo()
    assert kb.raadplegingen == [] or d.kernbeslissingen[0].raadplegingen == []


def test_a_veiligheidsplan_has_afspraken_and_is_signed_with_the_family(qtbot, page, dossier_at_evaluatie):
    d = dossier_at_evaluatie
    add_decision(qtbot, page)
    assert not page.plan_box.isVisible()
    page.kb_plan_nodig.buttons[True].click()
    kb = d.kernbeslissingen[0]
    assert kb.veiligheidsplan_nodig is True and page.plan_box.isVisible()
    page.a_wat.setFocus()
    qtbot.keyClicks(page.a_wat, "Oma haalt Daan op bij ruzie")
    qtbot.keyClicks(page.a_wie, "Oma")
    page.a_add.click()
    kb = d.kernbeslissingen[0]
    assert [(a.wat, a.wie) for a in kb.veiligheidsplan.afspraken] == [("Oma haalt Daan op bij ruzie", "Oma")]
    # one card per parent and one for the wijkcoach; a drawn signature and a refusal are kept
    assert len(page.cards) == 3
    draw(qtbot, page.cards[0].pad.canvas)
    page.cards[1].refuse_check.setChecked(True)
    qtbot.keyClicks(page.cards[1].reason_edit, "Wil eerst overleggen")
    signed = d.kernbeslissingen[0].veiligheidsplan.handtekeningen
    assert [s.member_id for s in signed] == [page.cards[0].member_id, page.cards[1].member_id]
    assert signed[0].afbeelding_png and signed[1].weigering_reden == "Wil eerst overleggen"


def test_an_opschaling_offers_its_kernbeslissing_in_one_undo_step(qtbot, page, dossier_at_evaluatie):
    d = dossier_at_evaluatie
    choose(page.new_naar, "veilig_thuis")
    page.new_reden.setFocus()
    qtbot.keyClicks(page.new_reden, "Geen verbetering na twee maanden")
    assert page.new_as_kb.isChecked()
    page.add_op_button.click()
    assert len(d.opschalingen) == 1 and len(d.kernbeslissingen) == 1
    op, kb = d.opschalingen[0], d.kernbeslissingen[0]
    assert op.kernbeslissing_id == kb.id and kb.soort == "opschaling" and op.gesprek_id == d.gesprek.id
    assert "Veilig Thuis" in kb.beslissing and op.naar == "veilig_thuis"
    assert page.op_kb.currentData() == str(kb.id)
    page.op_uitkomst.setFocus()
    qtbot.keyClicks(page.op_uitkomst, "Onderzoek gestart")
    assert d.opschalingen[0].uitkomst == "Onderzoek gestart"
    page.document.undo()  # the outcome
    page.document.undo()  # the opschaling and its kernbeslissing together
    assert d.opschalingen == [] and d.kernbeslissingen == []


def test_earlier_gesprekken_entries_are_read_only_except_an_opschalings_outcome(qtbot, context):
    d = at_gesprek("evaluatie")
    earlier = d.vorige_versies[0].gesprek_id
    kb = Kernbeslissing(gesprek_id=earlier, datum=d.gesprek.datum - dt.timedelta(days=30), soort="onveilig_oordeel", beslissing="Daan tijdelijk bij oma")
    kb.raadplegingen.append(Raadpleging(met="collega", naam="B. Bakker", datum=kb.datum))
    d.kernbeslissingen.append(kb)
    d.opschalingen.append(Opschaling(gesprek_id=earlier, datum=kb.datum, naar="veilig_thuis", reden="Onveilig", kernbeslissing_id=kb.id))
    page = KernbeslissingenPage(context)
    page.set_dossier(d)
    page.set_read_only(False)
    shown(qtbot, page)
    assert "(eerder gesprek)" in page.decisions.item(0).text()
    assert page.kb_earlier.isVisible()
    assert page.kb_beslissing.isReadOnly() and page.kb_informatie.isReadOnly()
    assert not page.kb_soort.isEnabled() and not page.kb_plan_nodig.buttons[True].isEnabled()
    assert not page.r_form.isVisible() and page.raadplegingen.remove_buttons == []
    qtbot.keyClicks(page.kb_beslissing, "anders")
    assert d.kernbeslissingen[0].beslissing == "Daan tijdelijk bij oma"
    # the opschaling: its outcome may follow later
    assert page.op_earlier.isVisible() and page.op_reden.isReadOnly() and not page.op_naar.isEnabled()
    assert not page.op_uitkomst.isReadOnly()
    page.op_uitkomst.setFocus()
    qtbot.keyClicks(page.op_uitkomst, "Veilig Thuis heeft het overgenomen")
    assert d.opschalingen[0].uitkomst == "Veilig Thuis heeft het overgenomen"
    # a new one of this gesprek is editable beside them
    add_decision(qtbot, page, text="Afschalen naar de huisarts")
    assert not page.kb_earlier.isVisible() and not page.kb_beslissing.isReadOnly()


def test_ga_naar_selects_the_entry_and_focuses_the_field(qtbot, page, dossier_at_evaluatie):
    d = dossier_at_evaluatie
    add_decision(qtbot, page, text="Eerste")
    add_decision(qtbot, page, text="Tweede")
    first = d.kernbeslissingen[0]
    page.focus_location(Location(section="kernbeslissingen", ref=first.id, field="informatie"))
    assert page.current_kb == str(first.id)
    assert has_focus(qtbot, page.kb_informatie)
    page.focus_location(Location(section="kernbeslissingen", ref=first.id, field="raadplegingen"))
    assert has_focus(qtbot, page.r_naam)
    page.new_reden.setFocus()
    qtbot.keyClicks(page.new_reden, "Reden")
    page.add_op_button.click()
    op = d.opschalingen[0]
    page.focus_location(Location(section="kernbeslissingen", ref=op.id, field="uitkomst"))
    assert has_focus(qtbot, page.op_uitkomst)


def test_every_gap_on_this_step_is_reachable_with_ga_naar(qtbot, page, dossier_at_evaluatie, context):
    import forms

    add_decision(qtbot, page)  # a kernbeslissing without a consultation
    found = [g for g in forms.gaps(dossier_at_evaluatie, context.definitions) if g.location.section == "kernbeslissingen"]
    for gap in found:
        page.focus_location(gap.location)
        focused = page.window().focusWidget()
        assert focused is not None and page.isAncestorOf(focused), gap


def test_a_finalised_gesprek_shows_its_entries_without_forms_to_add(qtbot, context, dossier_at_evaluatie):
    d = dossier_at_evaluatie
    d.kernbeslissingen.append(Kernbeslissing(gesprek_id=d.gesprek.id, datum=d.gesprek.datum, beslissing="Afschalen"))
    page = KernbeslissingenPage(context)
    page.set_dossier(d)
    page.set_read_only(True)
    shown(qtbot, page)
    assert page.decisions.isVisible() and page.decisions.isEnabled()
    assert not page.new_kb_box.isVisible() and not page.new_op_box.isVisible() and not page.r_form.isVisible()
    assert page.kb_beslissing.isReadOnly() and not page.kb_earlier.isVisible()


def test_the_add_buttons_can_be_clicked_with_the_mouse(qtbot, page, dossier_at_evaluatie):
    """Every button that adds to a kernbeslissing is laid out with room to click (a button
    of 0 px high was reachable only with the keyboard)."""
    add_decision(qtbot, page)
    page.r_naam.setText("J. de Vries")
    qtbot.wait(100)  # the layout settles
    for button in (page.r_add, page.add_button):
        assert button.isVisible() and button.height() >= button.sizeHint().height() // 2, button.text()
    page.scroll_area.ensureWidgetVisible(page.r_add)
    qtbot.wait(50)
    qtbot.mouseClick(page.r_add, Qt.MouseButton.LeftButton)
    assert dossier_at_evaluatie.kernbeslissingen[0].raadplegingen
