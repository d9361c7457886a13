"""Netwerk en toestemming on the edit layer: undo and redo restore model and widgets;
"Ga naar" for a consent gap focuses the question to answer."""

from __future__ import annotations

from apphelpers import has_focus, shown

from desktop.steps.netwerk import NOG_NIET_GEVRAAGD, NetwerkPage
from forms import gaps
from forms.rules import Location


def _partner_page(qtbot, context, dossier):
    dossier.partners[1].toestemming = None  # schuldhulpverlening: not asked yet
    page = NetwerkPage(context)
    page.set_dossier(dossier)
    shown(qtbot, page)
    page.tabs.setCurrentWidget(page.partners)
    page.partners.table.setCurrentCell(1, 0)
    return page, page.partners


def test_undo_redo_consent_field_and_answers(qtbot, context, dossier):
    page, panel = _partner_page(qtbot, context, dossier)
    consent = panel.consent
    consent.contact.buttons[True].click()
    consent.delen.buttons[False].click()  # the second answer makes the consent: one step
    assert page.document.undo_stack.undoText().startswith("toestemming van Schuldhulpverlening")
    consent.reikwijdte.setText("Alleen afspraken")
    consent.reikwijdte.clearFocus()
    page.document.end_typing()

    page.document.undo()  # the reikwijdte
    assert page.dossier.partners[1].toestemming.reikwijdte == ""
    assert consent.reikwijdte.text() == ""
    page.document.undo()  # the consent itself
    assert page.dossier.partners[1].toestemming is None
    assert consent.contact.value() == "open" and consent.delen.value() == "open"
    assert not consent.reikwijdte.isEnabled()
    assert panel.table.item(1, 2).text() == NOG_NIET_GEVRAAGD
    assert "Schuldhulpverlening" in page.open_notice.text()

    page.document.redo()
    page.document.redo()
    made = page.dossier.partners[1].toestemming
    assert (made.contact_toegestaan, made.delen_toegestaan, made.reikwijdte) == (True, False, "Alleen afspraken")
    assert consent.contact.value() is True and consent.delen.value() is False
    assert consent.reikwijdte.text() == "Alleen afspraken" and consent.reikwijdte.isEnabled()
    assert panel.table.item(1, 2).text() == "contact ja, delen nee"
    assert page.open_notice.isHidden()

    consent.contact.buttons["open"].click()  # back to "not asked": the consent leaves the model
    assert page.dossier.partners[1].toestemming is None
    assert consent.delen.value() is False  # the other answer stays on screen
    assert "Beantwoord beide vragen" in consent.state.text()
    page.document.undo()
    assert page.dossier.partners[1].toestemming == made
    assert consent.contact.value() is True and consent.delen.value() is False


def test_undo_redo_adding_and_removing_a_partner(qtbot, context, dossier):
    page, panel = _partner_page(qtbot, context, dossier)
    before = [p.organisatie for p in dossier.partners]
    panel.new_name.setText("Huisarts De Linde")
    panel.add()
    assert [p.organisatie for p in page.dossier.partners] == [*before, "Huisarts De Linde"]
    assert panel.table.rowCount() == len(before) + 1
    page.document.undo()
    assert [p.organisatie for p in page.dossier.partners] == before
    assert panel.table.rowCount() == len(before)
    page.document.redo()
    assert panel.table.item(len(before), 0).text() == "Huisarts De Linde"

    page.confirm = lambda title, text: True
    panel.table.setCurrentCell(0, 0)
    panel.remove_selected()
    assert [p.organisatie for p in page.dossier.partners] == [*before[1:], "Huisarts De Linde"]
    page.document.undo()
    assert [p.organisatie for p in page.dossier.partners] == [*before, "Huisarts De Linde"]
    assert panel.table.item(0, 0).text() == before[0]


def test_ga_naar_a_consent_gap_focuses_its_question(qtbot, context, dossier):
    page, panel = _partner_page(qtbot, context, dossier)
    page.tabs.setCurrentWidget(page.netwerk)  # elsewhere on the page
    partner = dossier.partners[1]
    gap = next(g for g in gaps(dossier) if g.location.section == "netwerk" and g.location.ref == partner.id)
    page.focus_location(gap.location)
    assert page.tabs.currentWidget() is panel and panel.party is partner
    assert has_focus(qtbot, panel.consent.contact.buttons[True])  # not asked: "Ja" first
    # a consent given by nobody yet: "Ga naar" its gegeven_door goes to the check boxes
    panel.consent.contact.buttons[True].click()
    panel.consent.delen.buttons[True].click()
    page.tabs.setCurrentWidget(page.netwerk)
    page.focus_location(Location(section="netwerk", ref=partner.id, field="gegeven_door"))
    assert page.tabs.currentWidget() is panel
    assert has_focus(qtbot, next(iter(panel.consent.gegeven_door.boxes.values())))
