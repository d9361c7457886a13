"""The Huishouden, Contact and Netwerk step pages, driven through their widgets."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from dataclasses import dataclass

import pytest
from apphelpers import has_focus, shown
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.steps.huishouden import HuishoudenPage
from desktop.widgets import to_qdate
from forms import Role


@dataclass
class Loc:
    """Stands in for forms' Location (section, member_id, domein, field)."""

    section: str
    member_id: object = None
    domein: str | None = None
    field: str | None = None


def retype(qtbot, edit, text):
    edit.selectAll()
    edit.clear()
    qtbot.keyClicks(edit, text)


def leave(edit):
    """The user leaves the field (the binder shows a message or the normalised value then)."""
    QApplication.sendEvent(edit, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))


def member(dossier, voornaam):
    return next(m for m in dossier.huishouden.leden if m.voornaam == voornaam)


# --- Huishouden ---------------------------------------------------------------------------


@pytest.fixture
def huishouden(qtbot, context, dossier):
    page = HuishoudenPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def test_address_is_assigned_per_keystroke_and_postcode_normalised(qtbot, huishouden, dossier):
    page = huishouden
    assert page.postcode.text() == "1781 AB"
    with qtbot.waitSignal(page.changed):
        retype(qtbot, page.straat, "Kade")
    assert dossier.huishouden.adres.straat == "Kade"

    retype(qtbot, page.postcode, "1234ab")
    leave(page.postcode)
    assert dossier.huishouden.adres.postcode == "1234 AB"
    assert page.postcode.text() == "1234 AB"
    assert page.errors["postcode"].isHidden()


def test_invalid_postcode_shows_dutch_message_and_keeps_model(qtbot, huishouden, dossier):
    page = huishouden
    retype(qtbot, page.postcode, "12")
    leave(page.postcode)
    assert dossier.huishouden.adres.postcode == "1781 AB"
    assert not page.errors["postcode"].isHidden()
    assert page.errors["postcode"].text() == "Vul een Nederlandse postcode in, zoals 1234 AB."
    retype(qtbot, page.postcode, "1781 AC")
    assert page.errors["postcode"].isHidden()
    assert dossier.huishouden.adres.postcode == "1781 AC"


def test_bad_huisnummer_and_empty_plaats_keep_the_model(qtbot, huishouden, dossier):
    page = huishouden
    retype(qtbot, page.huisnummer, "a")
    leave(page.huisnummer)
    assert dossier.huishouden.adres.huisnummer == "12"
    assert "huisnummer" in page.errors["huisnummer"].text()
    page.woonplaats.clear()
    leave(page.woonplaats)
    assert dossier.huishouden.adres.plaats == "Den Helder"
    assert page.errors["plaats"].text() == "Dit veld mag niet leeg zijn."


def test_members_table_shows_age_and_marks_children(huishouden, dossier):
    page = huishouden
    assert page.table.rowCount() == 5
    rows = {page.table.item(r, 0).text(): page.table.item(r, 3).text() for r in range(5)}
    assert rows["Sanne Bakker"] == "38 jaar"
    assert rows["Noor Yılmaz"] == "kind, 9 jaar"
    assert rows["Liëke Yılmaz"] == "kind, 2 jaar"


def test_editing_selected_member_updates_model_and_table(qtbot, huishouden, dossier):
    page = huishouden
    page.table.setCurrentCell(2, 0)
    daan = member(dossier, "Daan")
    assert page.voornaam.text() == "Daan"
    with qtbot.waitSignal(page.changed):
        retype(qtbot, page.voornaam, "Daniel")
    assert daan.voornaam == "Daniel"
    assert page.table.item(2, 0).text() == "Daniel Yılmaz"
    # emptying a required name keeps the last good one and says why
    page.voornaam.clear()
    leave(page.voornaam)
    assert daan.voornaam == "Daniel"
    assert page.errors["voornaam"].text() == "Dit veld mag niet leeg zijn."


def test_future_birth_date_is_refused_with_dutch_message(qtbot, huishouden, dossier):
    page = huishouden
    page.table.setCurrentCell(3, 0)
    noor = member(dossier, "Noor")
    before = noor.geboortedatum
    page.geboortedatum.setDate(to_qdate(dt.date.today() + dt.timedelta(days=30)))
    assert noor.geboortedatum == before
    assert page.errors["geboortedatum"].text() == "Een geboortedatum kan niet in de toekomst liggen."
    with qtbot.waitSignal(page.document.changed):
        page.geboortedatum.setDate(to_qdate(dt.date(2010, 5, 1)))
    assert noor.geboortedatum == dt.date(2010, 5, 1)
    assert page.errors["geboortedatum"].isHidden()


def test_gesprek_date_before_a_birth_is_refused(qtbot, huishouden, dossier):
    page = huishouden
    lieke = member(dossier, "Liëke")
    before = dossier.gesprek.datum
    page.gesprek_datum.setDate(to_qdate(lieke.geboortedatum - dt.timedelta(days=1)))
    assert dossier.gesprek.datum == before
    assert "geboortedatum van Liëke" in page.errors["datum"].text()
    with qtbot.waitSignal(page.document.changed):
        page.gesprek_datum.setDate(to_qdate(before - dt.timedelta(days=1)))
    assert dossier.gesprek.datum == before - dt.timedelta(days=1)
    with qtbot.waitSignal(page.changed):
        retype(qtbot, page.gesprek_plaats, "Wijkcentrum")
    assert dossier.gesprek.plaats == "Wijkcentrum"


def test_role_change_is_an_edit_and_shows_in_the_table(qtbot, huishouden, dossier):
    page = huishouden
    page.table.setCurrentCell(1, 0)
    with qtbot.waitSignal(page.document.changed):
        page.rol.setCurrentIndex(page.rol.findData(Role.OVERIG))
    assert member(dossier, "Emre").rol is Role.OVERIG
    assert page.table.item(1, 1).text() == "Overig huisgenoot"


def test_bsn_is_behind_a_disclosure_and_checked_with_elfproef(qtbot, huishouden, dossier):
    page = huishouden
    page.table.setCurrentCell(0, 0)
    sanne = member(dossier, "Sanne")
    assert not page.bsn.isVisible()
    page.bsn_toggle.click()
    assert page.bsn.isVisible()
    retype(qtbot, page.bsn, "123456789")
    leave(page.bsn)
    assert sanne.bsn is None
    assert "elfproef" in page.errors["bsn"].text()
    retype(qtbot, page.bsn, "111222333")
    assert sanne.bsn == "111222333"
    assert page.errors["bsn"].isHidden()
    page.bsn.clear()
    assert sanne.bsn is None


def test_presence_checkboxes_and_other_people(qtbot, huishouden, dossier):
    page = huishouden
    lieke = member(dossier, "Liëke")
    with qtbot.waitSignal(page.changed):
        page._presence[lieke.id].click()
    assert lieke.id not in dossier.gesprek.aanwezig
    assert len(dossier.gesprek.aanwezig) == 4
    page._presence[lieke.id].click()
    assert dossier.gesprek.aanwezig[-1] == lieke.id
    retype(qtbot, page.overige, "tolk Turks")
    assert dossier.gesprek.overige_aanwezigen == "tolk Turks"


def test_add_member_through_the_dialog(qtbot, huishouden, dossier, monkeypatch):
    page = huishouden
    dialog = page.make_member_dialog()
    qtbot.addWidget(dialog)
    # nothing filled: the dialog refuses and says why
    assert dialog.build() is None
    assert dialog.errors["voornaam"].text() == "Dit veld mag niet leeg zijn."
    assert dialog.errors["geboortedatum"].text() == "Vul de geboortedatum in."
    qtbot.keyClicks(dialog.voornaam, "Sem")
    qtbot.keyClicks(dialog.achternaam, "Yilmaz")  # keyClicks is ASCII-only
    dialog.rol.setCurrentIndex(dialog.rol.findData(Role.KIND))
    dialog.geboortedatum.setDate(to_qdate(dt.date.today() + dt.timedelta(days=3)))
    assert dialog.build() is None
    assert dialog.errors["geboortedatum"].text() == "Een geboortedatum kan niet in de toekomst liggen."
    dialog.geboortedatum.setDate(to_qdate(dt.date.today() - dt.timedelta(days=400)))
    monkeypatch.setattr(page, "make_member_dialog", lambda: dialog)
    QTimer.singleShot(0, dialog.ok_button.click)
    with qtbot.waitSignal(page.document.changed):
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert [m.voornaam for m in dossier.huishouden.leden][-1] == "Sem"
    assert page.table.rowCount() == 6
    assert page.table.item(5, 3).text() == "kind, 1 jaar"
    assert page.voornaam.text() == "Sem"  # the new member is selected
    assert len(page._presence) == 6


def test_remove_member_asks_and_removes_everything_about_them(qtbot, huishouden, dossier):
    page = huishouden
    daan = member(dossier, "Daan")
    page.table.setCurrentCell(2, 0)
    asked = []
    page.confirm = lambda title, text: asked.append(text) or False
    assert not page.remove_selected()
    assert daan in dossier.huishouden.leden
    assert "veiligheidstaxatie" in asked[0] and "leefgebied-notitie" in asked[0]
    assert "contact" in asked[0]

    page.confirm = lambda title, text: True
    with qtbot.waitSignal(page.document.changed):
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert dossier.member(daan.id) is None
    assert dossier.contact(daan.id) is None
    assert all(e.member_id != daan.id for e in dossier.leefgebieden)
    assert dossier.assessments_for(daan.id) == []
    assert daan.id not in dossier.gesprek.aanwezig
    assert page.table.rowCount() == 4
    assert page.voornaam.text() == "Noor"  # the next member is selected


def test_focus_location_lands_on_the_exact_widget(qtbot, huishouden, dossier):
    page = huishouden
    noor = member(dossier, "Noor")
    page.focus_location(Loc("huishouden", member_id=noor.id, field="geboortedatum"))
    assert has_focus(qtbot, page.geboortedatum)
    assert page.table.currentRow() == 3 and page.voornaam.text() == "Noor"
    page.focus_location(Loc("huishouden", field="postcode"))
    assert has_focus(qtbot, page.postcode)
    page.focus_location(Loc("huishouden", member_id=noor.id, field="bsn"))
    assert has_focus(qtbot, page.bsn)
    page.focus_location(Loc("huishouden", member_id=noor.id, field="aanwezig"))
    assert has_focus(qtbot, page._presence[noor.id])
    page.focus_location(Loc("huishouden", field="datum"))
    assert has_focus(qtbot, page.gesprek_datum)


# --- Contact ------------------------------------------------------------------------------

from desktop.steps.contact import GUIDANCE, ContactPage  # noqa: E402
from forms import ContactStatus  # noqa: E402


@pytest.fixture
def contact(qtbot, context, dossier):
    page = ContactPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def test_contact_shows_guidance_and_current_status(contact, dossier):
    page = contact
    texts = [w.text() for w in page.findChildren(type(page.rows[dossier.huishouden.leden[0].id].state))]
    assert GUIDANCE in texts
    lieke = member(dossier, "Liëke")
    assert page.rows[lieke.id].choice.value() is ContactStatus.GEZIEN
    assert "kind, 2 jaar" in page.rows[lieke.id].title()
    # a two-year-old only seen needs no reason
    assert page.rows[lieke.id].reason_shown is False


def test_niet_gesproken_asks_reason_and_stores_it(qtbot, contact, dossier):
    page = contact
    emre = member(dossier, "Emre")
    row = page.rows[emre.id]
    assert row.reason_shown is False
    with qtbot.waitSignal(page.changed):
        row.choice.buttons[ContactStatus.NIET].click()
    assert dossier.contact(emre.id).status is ContactStatus.NIET
    assert row.reason_shown
    assert row.state.text() == "Vul de reden in."
    qtbot.keyClicks(row.reason, "Was aan het werk")
    assert dossier.contact(emre.id).reden == "Was aan het werk"
    assert row.state.isHidden()
    row.choice.buttons[ContactStatus.GESPROKEN].click()
    assert dossier.contact(emre.id).status is ContactStatus.GESPROKEN
    assert row.reason_shown is False


def test_child_of_twelve_or_older_only_seen_asks_why_not_spoken(qtbot, contact, dossier):
    page = contact
    daan, noor = member(dossier, "Daan"), member(dossier, "Noor")
    page.rows[noor.id].choice.buttons[ContactStatus.GEZIEN].click()
    assert page.rows[noor.id].reason_shown is False  # 9 years old: seen is enough
    row = page.rows[daan.id]
    row.choice.buttons[ContactStatus.GEZIEN].click()
    assert row.reason_shown
    assert "alleen gezien" in row.reason.accessibleName()
    qtbot.keyClicks(row.reason, "Wilde niet praten")
    assert dossier.contact(daan.id).reden == "Wilde niet praten"


def test_member_without_record_gets_one_on_first_choice(qtbot, contact, dossier, context):
    noor = member(dossier, "Noor")
    dossier.gesprek.contacten = [c for c in dossier.gesprek.contacten if c.member_id != noor.id]
    page = contact
    page.set_dossier(dossier)
    row = page.rows[noor.id]
    assert row.choice.value() is None
    assert row.state.text() == "Nog niet vastgelegd."
    row.choice.buttons[ContactStatus.NIET].click()
    record = dossier.contact(noor.id)
    assert record is not None and record.status is ContactStatus.NIET
    retype(qtbot, row.reason, "x" * 501)
    assert record.reden == "x" * 500  # the last accepted keystroke
    assert "te lang" in row.error.text()


def test_contact_focus_location(qtbot, contact, dossier):
    page = contact
    emre, noor = member(dossier, "Emre"), member(dossier, "Noor")
    page.rows[emre.id].choice.buttons[ContactStatus.NIET].click()
    page.focus_location(Loc("contact", member_id=emre.id, field="reden"))
    assert has_focus(qtbot, page.rows[emre.id].reason)
    page.focus_location(Loc("contact", member_id=noor.id, field="status"))
    assert has_focus(qtbot, page.rows[noor.id].choice.buttons[ContactStatus.GESPROKEN])


def test_adult_only_seen_needs_no_reason(contact, dossier):
    sanne = member(dossier, "Sanne")
    row = contact.rows[sanne.id]
    row.choice.buttons[ContactStatus.GEZIEN].click()
    assert dossier.contact(sanne.id).status is ContactStatus.GEZIEN
    assert row.reason_shown is False


def test_contact_gesprek_date_gap_and_edit(qtbot, contact, dossier):
    page = contact
    page.focus_location(Loc("contact", field="datum"))  # the rule 'gesprek_datum_toekomst'
    assert has_focus(qtbot, page.gesprek_datum)
    lieke = member(dossier, "Liëke")
    before = dossier.gesprek.datum
    page.gesprek_datum.setDate(to_qdate(lieke.geboortedatum - dt.timedelta(days=1)))
    assert dossier.gesprek.datum == before
    assert "Liëke" in page.datum_error.text()
    # a year earlier Daan was 13: the rows are rebuilt with the ages of that day
    with qtbot.waitSignal(page.document.changed):
        page.gesprek_datum.setDate(to_qdate(before - dt.timedelta(days=365)))
    assert "13 jaar" in page.rows[member(dossier, "Daan").id].title()


def test_contact_focus_follows_the_rules_gaps(qtbot, context, dossier):
    from forms import gaps

    noor = member(dossier, "Noor")
    dossier.gesprek.contacten = [c for c in dossier.gesprek.contacten if c.member_id != noor.id]
    page = shown(qtbot, ContactPage(context))
    page.set_dossier(dossier)
    gap = next(g for g in gaps(dossier) if g.location.section == "contact")
    assert gap.location.member_id == noor.id
    page.focus_location(gap.location)
    assert has_focus(qtbot, page.rows[noor.id].choice.buttons[ContactStatus.GESPROKEN])
    page.rows[noor.id].choice.buttons[ContactStatus.NIET].click()
    gap = next(g for g in gaps(dossier) if g.location.section == "contact")
    assert gap.location.field == "reden"
    page.focus_location(gap.location)
    assert has_focus(qtbot, page.rows[noor.id].reason)


# --- Netwerk ------------------------------------------------------------------------------

from desktop.steps.netwerk import NOG_NIET_GEVRAAGD, NetwerkPage  # noqa: E402


@pytest.fixture
def netwerk(qtbot, context, dossier):
    dossier.partners[1].toestemming = None  # schuldhulpverlening: not asked yet
    page = NetwerkPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def test_missing_consent_is_visibly_not_asked(netwerk, dossier):
    page = netwerk
    assert page.partners.table.item(1, 2).text() == NOG_NIET_GEVRAAGD
    assert "Schuldhulpverlening (gemeente)" in page.open_notice.text()
    assert not page.open_notice.isHidden()
    page.tabs.setCurrentWidget(page.partners)
    page.partners.table.setCurrentCell(1, 0)
    consent = page.partners.consent
    assert consent.contact.value() == "open" and consent.delen.value() == "open"
    assert consent.state.text().startswith(NOG_NIET_GEVRAAGD)
    assert not consent.reikwijdte.isEnabled()


def test_answering_both_questions_records_dated_consent(qtbot, netwerk, dossier):
    page = netwerk
    partner = dossier.partners[1]
    page.tabs.setCurrentWidget(page.partners)
    page.partners.table.setCurrentCell(1, 0)
    consent = page.partners.consent
    consent.contact.buttons[True].click()
    assert partner.toestemming is None  # one answer is not yet a consent
    assert "Beantwoord beide vragen" in consent.state.text()
    with qtbot.waitSignal(page.changed):
        consent.delen.buttons[False].click()
    assert partner.toestemming is not None
    assert partner.toestemming.contact_toegestaan is True
    assert partner.toestemming.delen_toegestaan is False
    assert partner.toestemming.datum == dt.date.today()
    assert page.partners.table.item(1, 2).text() == "contact ja, delen nee"
    assert page.open_notice.isHidden()
    qtbot.keyClicks(consent.reikwijdte, "Alleen afspraken")
    assert partner.toestemming.reikwijdte == "Alleen afspraken"
    sanne = member(dossier, "Sanne")
    assert consent.state.text() == "Vink aan wie de toestemming heeft gegeven."
    consent.gegeven_door.boxes[sanne.id].click()
    assert partner.toestemming.gegeven_door == [sanne.id]
    # children cannot give consent here: only the adults are offered
    assert set(consent.gegeven_door.boxes) == {m.id for m in dossier.adults()}
    # a future date is refused in Dutch, the model keeps its date
    consent.datum.setDate(to_qdate(dt.date.today() + dt.timedelta(days=2)))
    assert partner.toestemming.datum == dt.date.today()
    assert consent.errors["datum"].text() == "Toestemming kan niet in de toekomst gegeven zijn."
    # back to "not asked": the consent leaves the model
    consent.contact.buttons["open"].click()
    assert partner.toestemming is None
    assert page.partners.table.item(1, 2).text() == NOG_NIET_GEVRAAGD


def test_add_edit_and_remove_network_person(qtbot, netwerk, dossier, definitions):
    page = netwerk
    panel = page.netwerk
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.add_error.text() == "Vul eerst de naam in."
    qtbot.keyClicks(panel.new_name, "Buurvrouw Els")
    with qtbot.waitSignal(page.document.changed):
        qtbot.keyClick(panel.new_name, Qt.Key.Key_Return)
    person = dossier.netwerk[-1]
    assert person.naam == "Buurvrouw Els" and person.toestemming is None
    assert panel.table.rowCount() == 2 and panel.table.currentRow() == 1
    assert has_focus(qtbot, panel.edits["relatie"])
    qtbot.keyClicks(panel.edits["relatie"], "buurvrouw")
    assert person.relatie == "buurvrouw"
    assert panel.table.item(1, 1).text() == "buurvrouw"
    panel.edits["naam"].setFocus()
    panel.edits["naam"].clear()
    panel.edits["relatie"].setFocus()  # leaving the field shows why the empty name was refused
    assert has_focus(qtbot, panel.edits["relatie"])
    assert person.naam == "Buurvrouw Els"
    assert panel.errors["naam"].text() == "Dit veld mag niet leeg zijn."
    wonen = definitions.domain_set().domein("wonen")
    panel.domeinen.boxes["wonen"].click()
    assert person.domeinen == ["wonen"]
    assert panel.domeinen.boxes["wonen"].text() == wonen.naam
    assert "Buurvrouw Els" in page.open_notice.text()

    page.confirm = lambda title, text: False
    assert not panel.remove_selected()
    page.confirm = lambda title, text: True
    with qtbot.waitSignal(page.document.changed):
        qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert [p.naam for p in dossier.netwerk] == ["Oma Bakker"]


def test_partner_fields_and_removal_warns_about_regisseur(qtbot, netwerk, dossier):
    page = netwerk
    panel = page.partners
    page.tabs.setCurrentWidget(panel)
    panel.table.setCurrentCell(0, 0)
    school = dossier.partners[0]
    retype(qtbot, panel.edits["email"], "mentor@duinen.example")
    assert school.email == "mentor@duinen.example"
    dossier.plan.regisseur.soort = "partner"
    dossier.plan.regisseur.ref = school.id
    asked = []
    page.confirm = lambda title, text: asked.append(text) or True
    panel.remove_selected()
    assert "regisseur" in asked[0] and "toestemming" in asked[0]
    assert [p.organisatie for p in dossier.partners] == ["Schuldhulpverlening (gemeente)"]


def test_netwerk_focus_location_from_the_rules(qtbot, netwerk, dossier):
    from forms import gaps

    page = netwerk
    partner = dossier.partners[1]
    gap = next(g for g in gaps(dossier) if g.location.section == "netwerk")
    assert gap.location.ref == partner.id and gap.location.field == "toestemming"
    page.focus_location(gap.location)
    assert page.tabs.currentWidget() is page.partners
    assert page.partners.party is partner
    assert has_focus(qtbot, page.partners.consent.contact.buttons[True])

    dossier.netwerk.clear()
    dossier.partners.clear()
    page.set_dossier(dossier)
    gap = next(g for g in gaps(dossier) if g.location.section == "netwerk")
    assert gap.code == "netwerk_leeg"
    page.focus_location(gap.location)
    assert page.tabs.currentWidget() is page.netwerk
    assert has_focus(qtbot, page.netwerk.new_name)
    assert not page.netwerk.detail.isEnabled()


# --- read-only (a finalised dossier) --------------------------------------------------------


def test_read_only_pages_stay_locked_when_the_selection_changes(qtbot, context, dossier):
    page = shown(qtbot, HuishoudenPage(context))
    page.set_dossier(dossier)
    page.set_read_only(True)
    page.table.setCurrentCell(2, 0)  # selecting still works ...
    assert page.voornaam.text() == "Daan"
    assert not page.remove_button.isEnabled() and not page.add_button.isEnabled()
    assert page.voornaam.isReadOnly()
    assert not page.remove_selected()
    assert page.bsn_toggle.isEnabled()  # showing the BSN field is no edit

    net = shown(qtbot, NetwerkPage(context))
    net.set_dossier(dossier)
    net.set_read_only(True)
    net.tabs.setCurrentWidget(net.partners)
    net.partners.table.setCurrentCell(1, 0)
    consent = net.partners.consent
    assert not any(b.isEnabled() for b in consent.gegeven_door.boxes.values())
    assert not any(b.isEnabled() for b in consent.contact.buttons.values())
    assert not net.partners.remove_button.isEnabled()
    assert net.partners.add() is None

    contact = shown(qtbot, ContactPage(context))
    contact.set_dossier(dossier)
    contact.set_read_only(True)
    contact.set_dossier(dossier)  # rebuilt rows stay locked
    row = next(iter(contact.rows.values()))
    assert not any(b.isEnabled() for b in row.choice.buttons.values())


# --- accessibility ----------------------------------------------------------------------------


def unnamed_controls(root):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
    )

    missing = []
    for widget in root.findChildren(QWidget):
        if (
            isinstance(widget, QHeaderView)
            or isinstance(widget.parent(), (QComboBox, QAbstractSpinBox, QAbstractItemView))
            or widget.window() is not root.window()
        ):
            continue  # parts of a named control, or its popup
        if isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QAbstractButton)):
            if not widget.accessibleName():
                missing.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()}")
    return missing


def test_every_control_has_an_accessible_name(qtbot, context, dossier):
    dossier.partners[1].toestemming = None
    for cls in (HuishoudenPage, ContactPage, NetwerkPage):
        page = shown(qtbot, cls(context))
        page.set_dossier(dossier)
        if cls is NetwerkPage:
            page.tabs.setCurrentWidget(page.partners)
            page.partners.table.setCurrentCell(1, 0)
        assert unnamed_controls(page) == [], cls.__name__
    dialog = HuishoudenPage(context)
    dialog.set_dossier(dossier)
    member_dialog = dialog.make_member_dialog()
    qtbot.addWidget(dialog)
    assert unnamed_controls(member_dialog) == []


def test_keyboard_tab_order_and_mnemonics(qtbot, huishouden):
    page = huishouden
    page.straat.setFocus()
    assert has_focus(qtbot, page.straat)
    for expected in (page.huisnummer, page.postcode, page.woonplaats, page.gesprek_datum):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert has_focus(qtbot, expected)
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # &Postcode
    assert has_focus(qtbot, page.postcode)
    qtbot.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # G&eboortedatum
    assert has_focus(qtbot, page.geboortedatum)


def test_empty_household_focuses_the_add_button(qtbot, context, dossier):
    from forms import gaps

    for m in list(dossier.huishouden.leden):
        from desktop.steps.huishouden import remove_member

        remove_member(dossier, m.id)
    assert dossier.gesprek.contacten == [] and dossier.veiligheid == []
    page = shown(qtbot, HuishoudenPage(context))
    page.set_dossier(dossier)
    assert not page.detail.isEnabled() and not page.remove_button.isEnabled()
    gap = next(g for g in gaps(dossier) if g.location.section == "huishouden")
    assert gap.code == "huishouden_leeg"
    page.focus_location(gap.location)
    assert has_focus(qtbot, page.add_button)


def test_a_name_the_verslag_cannot_print_is_flagged_while_typed(qtbot, huishouden, dossier):
    """Devanagari has no bundled font: the notice says so as it is typed; Arabic, Ge'ez
    and Chinese print, so they raise no notice."""
    page = huishouden
    dialog = page.make_member_dialog()
    qtbot.addWidget(dialog)
    dialog.voornaam.insert("Anjali")
    assert dialog.print_notice.isHidden()
    dialog.achternaam.insert("देवी")
    assert not dialog.print_notice.isHidden()
    assert "niet afdrukken" in dialog.print_notice.text() and "द" in dialog.print_notice.text()
    dialog.achternaam.clear()
    dialog.achternaam.insert("王 يوسف ተስፋይ")
    assert dialog.print_notice.isHidden()
    # the detail form of a member already in the household, also when another is selected
    page.table.setCurrentCell(2, 0)
    page.voornaam.selectAll()
    page.voornaam.insert("Daan 𓀀")
    assert not page.print_notice.isHidden() and "𓀀" in page.print_notice.text()
    page.table.setCurrentCell(1, 0)
    assert page.print_notice.isHidden()
