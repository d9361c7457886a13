"""The Huishouden page on the edit layer: undo and redo restore model and widgets, adding
and removing a member are undo steps, and "Ga naar" lands on the right widget."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from typing import Any

import pytest
from apphelpers import WAIT_MS, has_focus, shown
from PySide6.QtWidgets import QApplication

from desktop.steps.huishouden import HuishoudenPage, remove_member
from desktop.widgets import from_qdate, to_qdate
from forms import Member, Role
from forms.demo import demo_dossier
from forms.paths import Item
from forms.rules import Location


def _member(dossier: Any, voornaam: str) -> Any:
    return next(m for m in dossier.huishouden.leden if m.voornaam == voornaam)


@pytest.fixture
def page(qtbot: Any, context: Any, dossier: Any) -> HuishoudenPage:
    page = shown(qtbot, HuishoudenPage(context))
    page.set_dossier(dossier)
    return page


def test_undo_redo_address_and_gesprek_date_restore_model_and_widget(qtbot: Any, page: HuishoudenPage, dossier: Any) -> None:
    page.postcode.selectAll()
    qtbot.keyClicks(page.postcode, "1234 CD")  # keystrokes in one field: one step
    assert dossier.huishouden.adres.postcode == "1234 CD"
    assert page.document.undo_stack.count() == 1
    page.document.undo()
    assert dossier.huishouden.adres.postcode == "1781 AB" and page.postcode.text() == "1781 AB"
    page.document.redo()
    assert dossier.huishouden.adres.postcode == "1234 CD" and page.postcode.text() == "1234 CD"

    before = dossier.gesprek.datum
    noor = _member(dossier, "Noor")
    row = [m.id for m in dossier.huishouden.leden].index(noor.id)
    age_before = page.table.item(row, 3).text()
    page.gesprek_datum.setDate(to_qdate(before + dt.timedelta(days=366)))
    assert page.table.item(row, 3).text() != age_before  # the ages follow the gesprek date
    page.document.undo()
    assert dossier.gesprek.datum == before and from_qdate(page.gesprek_datum.date()) == before
    assert page.table.item(row, 3).text() == age_before
    page.document.redo()
    assert dossier.gesprek.datum == before + dt.timedelta(days=366)
    assert from_qdate(page.gesprek_datum.date()) == dossier.gesprek.datum


def test_undo_redo_a_member_field_restores_model_widget_and_table(qtbot: Any, page: HuishoudenPage, dossier: Any) -> None:
    daan = _member(dossier, "Daan")
    page.table.setCurrentCell(2, 0)
    page.voornaam.selectAll()
    qtbot.keyClicks(page.voornaam, "Daniel")
    assert daan.voornaam == "Daniel" and page.table.item(2, 0).text() == "Daniel Yılmaz"
    assert page.document.undo_stack.undoText() == "voornaam van Daan"  # named as the step began
    page.document.undo()
    assert daan.voornaam == "Daan" and page.voornaam.text() == "Daan"
    assert page.table.item(2, 0).text() == "Daan Yılmaz" and page.detail.title() == "Gegevens van Daan"
    assert page._presence[daan.id].text().startswith("Daan Yılmaz")
    page.document.redo()
    assert daan.voornaam == "Daniel" and page.voornaam.text() == "Daniel"
    assert page.table.item(2, 0).text() == "Daniel Yılmaz"

    page.rol.setCurrentIndex(page.rol.findData(Role.OVERIG))
    assert daan.rol is Role.OVERIG
    page.document.undo()
    assert daan.rol is Role.KIND and page.rol.currentData() == Role.KIND
    assert page.table.item(2, 1).text() == Role.KIND.label


def test_setting_a_list_of_items_without_id_keeps_each_item(qtbot: Any) -> None:
    """gesprek/contacten are keyed by member_id, not id: set as a whole list (a removal) and
    undone, each record stays its own (they once all became the last one)."""
    from desktop.document import DossierDocument

    d = demo_dossier()
    document = DossierDocument(d)
    before = [c.model_dump() for c in d.gesprek.contacten]
    daan = _member(d, "Daan")
    document.set(("gesprek", "contacten"), [c for c in d.gesprek.contacten if c.member_id != daan.id])
    assert [c.model_dump() for c in d.gesprek.contacten] == [c for c in before if c["member_id"] != daan.id]
    document.undo()
    assert [c.model_dump() for c in d.gesprek.contacten] == before


def test_adding_a_member_is_one_undo_step(qtbot: Any, page: HuishoudenPage, dossier: Any) -> None:
    sem = Member(voornaam="Sem", achternaam="Yilmaz", rol=Role.KIND,
                 geboortedatum=dossier.gesprek.datum - dt.timedelta(days=400))
    with qtbot.waitSignal(page.document.changed):
        page.insert_member(sem)
    assert dossier.member(sem.id) is not None and page.table.rowCount() == 6
    assert page.voornaam.text() == "Sem" and sem.id in page._presence
    page.document.undo()
    assert dossier.member(sem.id) is None and page.table.rowCount() == 5
    assert sem.id not in page._presence and page.voornaam.text() != "Sem"
    page.document.redo()
    assert dossier.member(sem.id) is not None and page.table.rowCount() == 6


def test_removing_a_member_is_one_undo_step_that_brings_everything_back(qtbot: Any, page: HuishoudenPage, dossier: Any) -> None:
    daan = _member(dossier, "Daan")
    before = dossier.model_dump()
    assert dossier.contact(daan.id) is not None and dossier.assessments_for(daan.id)
    page.table.setCurrentCell(2, 0)
    page.confirm = lambda title, text: True
    assert page.remove_selected()
    assert dossier.member(daan.id) is None and dossier.contact(daan.id) is None
    assert page.table.rowCount() == 4 and daan.id not in page._presence
    assert page.document.undo_stack.undoText() == "Daan verwijderen"
    page.document.undo()
    assert dossier.model_dump() == before  # the member, their contact, notes, taxaties, presence
    assert page.table.rowCount() == 5 and page.table.item(2, 0).text() == "Daan Yılmaz"
    assert page._presence[daan.id].isChecked() == (daan.id in dossier.gesprek.aanwezig)
    page.document.redo()
    assert dossier.member(daan.id) is None and page.table.rowCount() == 4


def test_a_member_a_colleague_added_shows_without_reopening(qtbot: Any, page: HuishoudenPage, dossier: Any) -> None:
    stored = dossier.model_copy(deep=True)
    sem = Member(voornaam="Sem", achternaam="Yilmaz", rol=Role.KIND,
                 geboortedatum=dossier.gesprek.datum - dt.timedelta(days=400))
    stored.huishouden.leden.append(sem)
    page.document.apply_external(stored)
    assert dossier.member(sem.id) is not None
    assert page.table.rowCount() == 6 and page.table.item(5, 0).text() == "Sem Yilmaz"
    assert sem.id in page._presence


def test_undo_redo_presence_and_the_contact_it_filled_in(qtbot: Any, context: Any) -> None:
    dossier = demo_dossier()
    daan = _member(dossier, "Daan")
    dossier.gesprek.aanwezig = [i for i in dossier.gesprek.aanwezig if i != daan.id]
    dossier.gesprek.contacten = [c for c in dossier.gesprek.contacten if c.member_id != daan.id]
    page = shown(qtbot, HuishoudenPage(context))
    page.set_dossier(dossier)
    page._presence[daan.id].click()
    assert daan.id in dossier.gesprek.aanwezig and dossier.contact(daan.id) is not None
    page.document.undo()  # one step: presence and the contact filled in with it
    assert daan.id not in dossier.gesprek.aanwezig and dossier.contact(daan.id) is None
    assert not page._presence[daan.id].isChecked()
    page.document.redo()
    assert daan.id in dossier.gesprek.aanwezig and page._presence[daan.id].isChecked()


def test_ga_naar_from_controle_lands_on_the_members_list(qtbot: Any, open_workspace: Any) -> None:
    d = demo_dossier()
    for adult in list(d.adults()):
        remove_member(d, adult.id)
    ws = open_workspace(d, start_step="controle")
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)
    gap = next(g for g in ws.gaps if g.code == "huishouden_geen_volwassene")
    ws.go_to(gap.location)
    page = ws.pages["huishouden"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table, timeout=WAIT_MS)

    noor = _member(d, "Noor")
    ws.go_to(Location("huishouden", member_id=noor.id, field="geboortedatum"))
    assert has_focus(qtbot, page.geboortedatum)
    assert page.voornaam.text() == "Noor" and page.table.currentRow() == [m.id for m in d.huishouden.leden].index(noor.id)
    ws.go_to(Location("huishouden", member_id=noor.id, field="aanwezig"))
    assert has_focus(qtbot, page._presence[noor.id])
    assert page.focus_path(("huishouden", "leden", Item(str(noor.id)), "bsn"))
    assert has_focus(qtbot, page.bsn) and page.bsn.isVisible()
