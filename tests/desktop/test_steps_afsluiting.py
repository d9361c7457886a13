"""The Afsluiting step (issue 13, T13), driven through its widgets on a dossier at its
afsluiting (the demo family: two partners with consent, three children)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from apphelpers import has_focus, shown
from trajectory_fixtures import at_gesprek

from desktop.steps.afsluiting import AfsluitingPage, informed_partners
from desktop.steps.trajectory_widgets import trajectory_options
from forms.rules import Location


@pytest.fixture
def closing_dossier():
    return at_gesprek("afsluiting")


@pytest.fixture
def page(qtbot, context, closing_dossier):
    page = AfsluitingPage(context)
    page.set_dossier(closing_dossier)
    page.set_read_only(False)
    return shown(qtbot, page)


def test_follow_up_with_a_named_partner_is_recorded_through_the_widgets(qtbot, page, closing_dossier):
    d = closing_dossier
    assert d.gesprek.afsluiting is None and not page.vervolg.isVisible()
    page.zelfstandig.buttons[False].click()
    assert d.gesprek.afsluiting is not None and d.gesprek.afsluiting.zelfstandig_verder is False
    assert page.vervolg.isVisible()
    partner = d.partners[1]
    page.partner.setCurrentIndex(page.partner.findData(str(partner.id)))
    assert d.gesprek.afsluiting.vervolg_partner_id == partner.id
    page.afspraak.setFocus()
    qtbot.keyClicks(page.afspraak, "Maandelijks contact over de schulden")
    assert d.gesprek.afsluiting.vervolg_afspraak == "Maandelijks contact over de schulden"
    page.partner.setCurrentIndex(0)  # "Kies een netwerkpartner": none
    assert d.gesprek.afsluiting.vervolg_partner_id is None


def test_undo_of_the_first_answer_takes_the_afsluiting_away_again(qtbot, page, closing_dossier):
    page.zelfstandig.buttons[True].click()
    assert closing_dossier.gesprek.afsluiting.zelfstandig_verder is True
    page.document.undo()
    assert closing_dossier.gesprek.afsluiting is None
    assert page.zelfstandig.value() is None


def test_every_partner_with_consent_is_marked_informed_with_date_and_how(qtbot, page, closing_dossier, context):
    d = closing_dossier
    assert [row.partner.id for row in page.rows] == [p.id for p in informed_partners(d)]
    assert len(page.rows) == 2
    first, second = page.rows
    assert "Nog niet" in first.status.text()
    # a date alone is not enough: how is required, nothing is saved
    first.datum.setFocus()
    first.datum.setDate(first.datum.date().addDays(-1))
    assert d.gesprek.afsluiting is None or not d.gesprek.afsluiting.geinformeerd
    assert first.datum_error.isVisible() and "hoe" in first.datum_error.text()
    first.hoe.setFocus()
    qtbot.keyClicks(first.hoe, "telefonisch")
    told = d.gesprek.afsluiting.geinformeerd
    assert [(t.partner_id, t.hoe, t.datum) for t in told] == [(first.partner.id, "telefonisch", context.today - dt.timedelta(days=1))]
    assert first.status.text().startswith("✓")
    second.hoe.setFocus()
    qtbot.keyClicks(second.hoe, "per brief")
    second.datum.setDate(second.datum.date().addDays(-3))
    told = {t.partner_id: t for t in d.gesprek.afsluiting.geinformeerd}
    assert told[second.partner.id].datum == context.today - dt.timedelta(days=3)
    assert len(told) == 2


def test_resultaat_waakvlam_and_toelichting(qtbot, page, closing_dossier, context):
    d = closing_dossier
    options = trajectory_options(context.definitions).resultaten
    assert [b.text() for b in page.resultaat.buttons.values()] == [label for _, label in options]
    key = options[0][0]
    page.resultaat.buttons[key].click()
    assert d.gesprek.afsluiting.resultaat == key
    page.waakvlam.check.click()
    assert d.gesprek.afsluiting.waakvlam == page.waakvlam.value()
    page.waakvlam.edit.setDate(page.waakvlam.edit.date().addMonths(3))
    assert d.gesprek.afsluiting.waakvlam == page.waakvlam.value()
    page.toelichting.setFocus()
    qtbot.keyClicks(page.toelichting, "Het gezin redt het samen met oma")
    assert d.gesprek.afsluiting.toelichting == "Het gezin redt het samen met oma"


def test_the_safety_check_per_child_links_to_the_veiligheid_step(qtbot, page, closing_dossier):
    children = closing_dossier.children()
    assert set(page.child_buttons) == {c.id for c in children}
    assert all("nog niet opnieuw beoordeeld" in page.child_status[c.id].text() for c in children)
    with qtbot.waitSignal(page.go_to_location) as asked:
        page.child_buttons[children[1].id].click()
    assert asked.args == [Location(section="veiligheid", member_id=children[1].id)]


def test_ga_naar_reaches_the_afsluitings_fields(qtbot, page, closing_dossier):
    page.focus_location(Location(section="afsluiting", field="resultaat"))
    assert has_focus(qtbot, page.resultaat.focus_button())
    page.focus_location(Location(section="afsluiting", field="vervolg_partner_id"))
    assert has_focus(qtbot, page.partner)
    row = page.rows[1]
    page.focus_location(Location(section="afsluiting", ref=row.partner.id, field="hoe"))
    assert has_focus(qtbot, row.hoe)


def test_every_gap_on_this_step_is_reachable_with_ga_naar(qtbot, page, closing_dossier, context):
    import forms

    found = [g for g in forms.gaps(closing_dossier, context.definitions) if g.location.section == "afsluiting"]
    for gap in found:
        page.focus_location(gap.location)
        focused = page.window().focusWidget()
        assert focused is not None and page.isAncestorOf(focused), gap


def test_a_finalised_afsluiting_is_read_only_but_still_navigates(qtbot, context, closing_dossier):
    page = AfsluitingPage(context)
    page.set_dossier(closing_dossier)
    page.set_read_only(True)
    shown(qtbot, page)
    assert not page.zelfstandig.buttons[True].isEnabled() and page.rows[0].hoe.isReadOnly()
    assert all(b.isEnabled() for b in page.child_buttons.values())
