"""The Leefgebieden, Veiligheid and Meldcode step pages, driven through their widgets.

Everything these pages show comes from the definitions; the tests read domain, item
and question ids from the definitions too, never from a hard-coded list.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.steps.base import StepContext
from desktop.steps.leefgebieden import CellState, LeefgebiedenPage
from forms.definitions import default_definitions
from forms.demo import demo_dossier


@dataclass
class Loc:
    """Stands in for forms' Location (section, member_id, domein, field)."""

    section: str
    member_id: object = None
    domein: str | None = None
    field: str | None = None


@pytest.fixture(scope="module")
def definitions():
    return default_definitions()


@pytest.fixture
def context(definitions):
    return StepContext(definitions=definitions)


@pytest.fixture
def dossier():
    return demo_dossier()


def shown(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page


def has_focus(qtbot, widget):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)
    return True


def member(dossier, voornaam):
    return next(m for m in dossier.huishouden.leden if m.voornaam == voornaam)


# --- Leefgebieden --------------------------------------------------------------------


@pytest.fixture
def leefgebieden(qtbot, context, dossier):
    page = LeefgebiedenPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def cell_text(page, domain_id, member_id):
    row, col = page._position((domain_id, member_id))
    return page.matrix.item(row, col).text()


def select(page, domain_id, member_id):
    page.matrix.setCurrentCell(*page._position((domain_id, member_id)))


def open_cell(page, dossier, definitions):
    """A required cell of the demo with nothing recorded: (domain id, member)."""
    for domain_id, member_id in definitions.domain_set().required_cells(dossier):
        if member_id is not None and dossier.domain_entry(domain_id, member_id) is None:
            return domain_id, member_id
    raise AssertionError("the demo has no open cell")


def test_matrix_is_built_from_the_domain_set(leefgebieden, dossier, definitions):
    domain_set = definitions.domain_set(dossier.leefgebieden_set)
    page = leefgebieden
    assert page.matrix.rowCount() == len(domain_set.domeinen)
    assert [page.matrix.verticalHeaderItem(r).text() for r in range(page.matrix.rowCount())] == [
        d.naam for d in domain_set.domeinen
    ]
    assert page.matrix.columnCount() == 1 + len(dossier.huishouden.leden)
    assert page.matrix.horizontalHeaderItem(0).text() == "Huishouden"
    required = set(domain_set.required_cells(dossier))
    for domain in domain_set.domeinen:
        for m in [None, *dossier.huishouden.leden]:
            member_id = m.id if m else None
            entry = dossier.domain_entry(domain.id, member_id)
            text = cell_text(page, domain.id, member_id)
            if entry is not None and entry.besproken:
                assert text == CellState.BESPROKEN.text
            elif entry is not None and entry.niet_van_toepassing:
                assert text == CellState.NVT.text
            elif (domain.id, member_id) in required:
                assert text == CellState.OPEN.text
            else:
                assert text == "—"
    # colour helps, text carries the meaning
    assert "besproken" in CellState.BESPROKEN.text and "open" in CellState.OPEN.text


def test_typing_concerns_creates_the_entry_and_marks_it_discussed(qtbot, leefgebieden, dossier, definitions):
    page = leefgebieden
    domain_id, member_id = open_cell(page, dossier, definitions)
    select(page, domain_id, member_id)
    assert page.status.value() is CellState.OPEN
    before = len(dossier.leefgebieden)
    with qtbot.waitSignal(page.changed):
        qtbot.keyClicks(page.zorgen, "Slaapt slecht")
    entry = dossier.domain_entry(domain_id, member_id)
    assert entry is not None and len(dossier.leefgebieden) == before + 1
    assert entry.zorgen == "Slaapt slecht"
    assert entry.definitie == dossier.leefgebieden_set
    assert entry.besproken and not entry.niet_van_toepassing
    assert page.status.value() is CellState.BESPROKEN
    assert cell_text(page, domain_id, member_id) == CellState.BESPROKEN.text
    qtbot.keyClicks(page.krachten, "Sport")
    qtbot.keyClicks(page.hulpvraag, "Hulp")
    assert (entry.krachten, entry.hulpvraag) == ("Sport", "Hulp")
    assert len(dossier.leefgebieden) == before + 1  # still the one entry


def test_choosing_not_applicable_needs_a_reason_and_keeps_the_words(qtbot, leefgebieden, dossier):
    page = leefgebieden
    entry = next(e for e in dossier.leefgebieden if e.besproken and e.zorgen)
    select(page, entry.domein, entry.member_id)
    assert not page.reden.isVisibleTo(page)
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.status.buttons[CellState.NVT], Qt.MouseButton.LeftButton)
    assert entry.niet_van_toepassing and not entry.besproken
    assert entry.zorgen  # nothing typed earlier is thrown away
    assert page.reden.isVisibleTo(page)
    qtbot.keyClicks(page.reden, "Geen eigen inkomen")
    assert entry.nvt_reden == "Geen eigen inkomen"
    assert cell_text(page, entry.domein, entry.member_id) == CellState.NVT.text
    # typing concerns does not silently undo an explicit n.v.t.
    qtbot.keyClicks(page.zorgen, " meer")
    assert entry.niet_van_toepassing
    qtbot.mouseClick(page.status.buttons[CellState.BESPROKEN], Qt.MouseButton.LeftButton)
    assert entry.besproken and not entry.niet_van_toepassing


def test_zrm_shows_score_and_label_for_adults_only(qtbot, leefgebieden, dossier, definitions):
    page = leefgebieden
    zrm = definitions.zrm()
    domain_set = definitions.domain_set()
    domain = next(d for d in domain_set.domeinen if d.zrm and not d.huishouden)
    sanne, daan = member(dossier, "Sanne"), member(dossier, "Daan")
    select(page, domain.id, sanne.id)
    assert page.zrm.isVisibleTo(page)
    texts = [page.zrm.itemText(i) for i in range(page.zrm.count())]
    assert f"3 – {zrm.label(3)}" in texts
    entry = dossier.domain_entry(domain.id, sanne.id)
    with qtbot.waitSignal(page.changed):
        page.zrm.setCurrentIndex(page.zrm.findData(4))
    assert entry.zrm == 4
    assert page.zrm_uitleg.text() == zrm.niveau(4).omschrijving
    page.zrm.setCurrentIndex(0)
    assert entry.zrm is None
    select(page, domain.id, daan.id)
    assert not page.zrm.isVisibleTo(page)


def test_guiding_questions_follow_the_member(leefgebieden, dossier, definitions):
    page = leefgebieden
    on = dossier.gesprek.datum
    domain = next(d for d in definitions.domain_set().domeinen if d.vragen_kinderen and d.per_lid)
    for m in dossier.huishouden.leden:
        if (domain.id, m.id) not in page._required:
            continue
        select(page, domain.id, m.id)
        for vraag in domain.vragen_voor(m, on):
            assert vraag.replace("&", "&amp;") in page.questions.text()
    household = next(d for d in definitions.domain_set().domeinen if d.huishouden)
    select(page, household.id, None)
    assert household.vragen_volwassenen[0] in page.questions.text()


def test_too_long_text_shows_a_dutch_message_and_keeps_the_model(qtbot, leefgebieden, dossier):
    page = leefgebieden
    entry = next(e for e in dossier.leefgebieden if e.besproken)
    select(page, entry.domein, entry.member_id)
    before = entry.nvt_reden
    page.status.buttons[CellState.NVT].click()
    page.reden.setText("x" * 501)
    assert entry.nvt_reden == before
    error = page._errors["nvt_reden"]
    assert error.isVisibleTo(page) and "te lang" in error.text()
    page.reden.setText("Korte reden")
    assert entry.nvt_reden == "Korte reden" and not error.isVisibleTo(page)


def test_enter_on_a_cell_opens_its_editor(qtbot, leefgebieden, dossier, definitions):
    page = leefgebieden
    domain_id, member_id = open_cell(page, dossier, definitions)
    page.matrix.setFocus()
    select(page, domain_id, member_id)
    qtbot.keyClick(page.matrix, Qt.Key.Key_Return)
    assert has_focus(qtbot, page.zorgen)
    assert page._cell == (domain_id, member_id)


def test_next_open_goes_through_every_open_cell(qtbot, leefgebieden, dossier, definitions):
    page = leefgebieden
    open_cells = [
        c
        for c in definitions.domain_set().required_cells(dossier)
        if dossier.domain_entry(*c) is None
    ]
    assert open_cells
    for _ in open_cells:
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
        assert page._cell in open_cells
        assert has_focus(qtbot, page.zorgen)
        qtbot.keyClicks(page.zorgen, "Besproken aan tafel")
    assert all(dossier.domain_entry(*c).besproken for c in open_cells)
    assert not page.next_button.isEnabled()
    assert "Alle" in page.progress.text()


@pytest.mark.parametrize("field", ["zorgen", "krachten", "hulpvraag", "zrm", "reden", None])
def test_focus_location_lands_on_the_field(qtbot, leefgebieden, dossier, field):
    page = leefgebieden
    entry = next(e for e in dossier.leefgebieden if e.member_id is not None and e.zrm is not None)
    if field == "reden":
        entry = next(e for e in dossier.leefgebieden if e.niet_van_toepassing)
    page.focus_location(Loc("leefgebieden", entry.member_id, entry.domein, field))
    assert page._cell == (entry.domein, entry.member_id)
    expected = {
        "zorgen": page.zorgen,
        "krachten": page.krachten,
        "hulpvraag": page.hulpvraag,
        "zrm": page.zrm,
        "reden": page.reden,
        None: page.status.focus_button(),
    }[field]
    assert has_focus(qtbot, expected)


def test_focus_location_without_domain_selects_an_open_cell(qtbot, leefgebieden, dossier):
    page = leefgebieden
    daan = member(dossier, "Daan")
    page.focus_location(Loc("leefgebieden", daan.id, None, "domeinen"))
    assert page._cell[1] == daan.id
    assert page.status.value() is CellState.OPEN
    assert has_focus(qtbot, page.matrix)


def test_a_new_member_gets_a_column(leefgebieden, dossier):
    from forms import Member, Role

    page = leefgebieden
    extra = Member(
        voornaam="Opa", achternaam="Bakker", geboortedatum=dt.date(1950, 1, 1), rol=Role.OVERIG
    )
    dossier.huishouden.leden.append(extra)
    page.set_dossier(dossier)
    assert page.matrix.columnCount() == 1 + len(dossier.huishouden.leden)
    assert page.matrix.horizontalHeaderItem(page.matrix.columnCount() - 1).text().startswith("Opa")
