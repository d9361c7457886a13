"""The Leefgebieden, Veiligheid and Meldcode step pages, driven through their widgets.

Everything these pages show comes from the definitions; the tests read domain, item
and question ids from the definitions too, never from a hard-coded list.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from apphelpers import has_focus, shown
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from desktop.steps.leefgebieden import CellState, LeefgebiedenPage
from forms.rules import Location as Loc


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


def open_cells(page, dossier, definitions, count=1):
    """Make the first ``count`` required member cells open (the demo covers every one)."""
    cells = [c for c in definitions.domain_set().required_cells(dossier) if c[1] is not None]
    chosen = cells[:: max(1, len(cells) // count)][:count]
    for cell in chosen:
        entry = dossier.domain_entry(*cell)
        if entry is not None:
            dossier.leefgebieden.remove(entry)
    page.set_dossier(dossier)
    return chosen


def open_cell(page, dossier, definitions):
    return open_cells(page, dossier, definitions)[0]


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
    # every score's criteria are shown; the chosen one is marked
    assert f"<b>▶ 4 – {zrm.niveau(4).label}: {zrm.niveau(4).omschrijving}</b>" in page.zrm_uitleg.text()
    assert zrm.niveau(1).omschrijving in page.zrm_uitleg.text()
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
    cells = open_cells(page, dossier, definitions, count=3)
    assert len(cells) == 3 and page.next_button.isEnabled()
    assert "nog open: 3" in page.progress.text()
    for _ in cells:
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
        assert page._cell in cells
        assert has_focus(qtbot, page.zorgen)
        qtbot.keyClicks(page.zorgen, "Besproken aan tafel")
    assert all(dossier.domain_entry(*c).besproken for c in cells)
    assert not page.next_button.isEnabled()
    assert "Alle" in page.progress.text()


@pytest.mark.parametrize("field", ["zorgen", "krachten", "hulpvraag", "zrm", "nvt_reden", "besproken", None])
def test_focus_location_lands_on_the_field(qtbot, leefgebieden, dossier, field):
    page = leefgebieden
    entry = next(e for e in dossier.leefgebieden if e.member_id is not None and e.zrm is not None)
    if field == "nvt_reden":
        entry = next(e for e in dossier.leefgebieden if e.niet_van_toepassing)
    page.focus_location(Loc("leefgebieden", entry.member_id, entry.domein, field))
    assert page._cell == (entry.domein, entry.member_id)
    expected = {
        "zorgen": page.zorgen,
        "krachten": page.krachten,
        "hulpvraag": page.hulpvraag,
        "zrm": page.zrm,
        "nvt_reden": page.reden,
        "besproken": page.status.focus_button(),
        None: page.status.focus_button(),
    }[field]
    assert has_focus(qtbot, expected)


def test_focus_location_without_domain_selects_an_open_cell(qtbot, leefgebieden, dossier, definitions):
    page = leefgebieden
    _, member_id = open_cell(page, dossier, definitions)
    page.focus_location(Loc("leefgebieden", member_id, None, "domeinen"))
    assert page._cell[1] == member_id
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


# --- Veiligheid per kind ----------------------------------------------------------------

from desktop.steps.veiligheid import ONBEKEND, VeiligheidPage  # noqa: E402
from forms import RiskLater, SafetyNow  # noqa: E402


@pytest.fixture
def veiligheid(qtbot, context, dossier):
    page = VeiligheidPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def unassessed_child(dossier):
    return next(c for c in dossier.children() if dossier.latest_assessment(c.id) is None)


def assessed_child(dossier):
    return next(c for c in dossier.children() if dossier.latest_assessment(c.id) is not None)


def tab_of(page, child):
    return list(page.panels).index(child.id)


def panel_of(page, child):
    """Show the child's tab, as the wijkcoach would, and return its panel."""
    page.tabs.setCurrentIndex(tab_of(page, child))
    return page.panels[child.id]


def test_one_tab_per_child_with_its_state(veiligheid, dossier):
    page = veiligheid
    children = dossier.children()
    assert len(children) >= 2
    assert page.tabs.count() == len(children)
    for child in children:
        title = page.tabs.tabText(tab_of(page, child))
        assert title.startswith(child.voornaam)
        latest = dossier.latest_assessment(child.id)
        assert title.endswith("✓ afgerond" if latest and latest.afgerond else "open")


def test_the_tab_is_generated_from_the_instrument(veiligheid, dossier, definitions):
    page = veiligheid
    instrument = definitions.instrument()
    panel = panel_of(page, unassessed_child(dossier))
    assert [box.accessibleName() for box in panel.sections] == [s.titel for s in instrument.secties]
    assert list(panel.answer_choices) == [i.id for i in instrument.items]
    assert "verplicht" in panel.onderbouwing.accessibleName()
    assert not panel.consult_box.isVisibleTo(page)


def test_answering_an_item_creates_the_assessment(qtbot, veiligheid, dossier, definitions, context):
    page = veiligheid
    child = unassessed_child(dossier)
    page.tabs.setCurrentIndex(tab_of(page, child))
    panel = page.panels[child.id]
    instrument = definitions.instrument()
    item = instrument.items[0]
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(panel.answer_choices[item.id].buttons[False], Qt.MouseButton.LeftButton)
    assessment = dossier.latest_assessment(child.id)
    assert assessment is not None and assessment.instrument == instrument.ref
    assert assessment.datum == context.today
    assert assessment.antwoorden[item.id].aanwezig is False
    second = instrument.items[1]
    qtbot.keyClicks(panel.answer_notes[second.id], "Niet gezien")
    assert assessment.antwoorden[second.id].toelichting == "Niet gezien"
    assert panel.answer_choices[second.id].value() == ONBEKEND  # what the model now holds
    assert len(dossier.assessments_for(child.id)) == 1
    panel.answer_notes[second.id].setText("x" * 501)
    assert assessment.antwoorden[second.id].toelichting == "Niet gezien"
    assert "te lang" in panel._errors[f"item:{second.id}"].text()
    assert page.tabs.tabText(tab_of(page, child)).endswith("open")


def test_consultation_appears_only_when_the_judgment_needs_it(qtbot, veiligheid, dossier, definitions, context):
    page = veiligheid
    child = unassessed_child(dossier)
    panel = panel_of(page, child)
    instrument = definitions.instrument()
    safe = next(v for v in SafetyNow if not instrument.requires_consultation(v, None))
    unsafe = next(v for v in SafetyNow if instrument.requires_consultation(v, None))
    low = next(v for v in RiskLater if not instrument.requires_consultation(None, v))
    panel.veiligheid_nu.buttons[safe].click()
    panel.risico.buttons[low].click()
    assert not panel.consult_box.isVisibleTo(page)
    assert panel.veiligheid_uitleg.text() == instrument.oordeel.uitleg_veiligheid[safe]
    panel.veiligheid_nu.buttons[unsafe].click()
    assessment = dossier.latest_assessment(child.id)
    assert assessment.veiligheid_nu is unsafe
    assert panel.consult_box.isVisibleTo(page)
    assert not panel.consult_naam.isEnabled()  # first: with whom
    met = instrument.oordeel.consultatie_met[-1]
    panel.consult_met.buttons[met].click()
    assert assessment.consultatie is not None and assessment.consultatie.met == met
    assert assessment.consultatie.datum == context.today
    qtbot.keyClicks(panel.consult_naam, "J. Jansen")
    qtbot.keyClicks(panel.consult_uitkomst, "Veiligheidsplan maken")
    assert assessment.consultatie.naam == "J. Jansen"
    assert assessment.consultatie.uitkomst == "Veiligheidsplan maken"


def complete_required_items(panel, instrument, assessment):
    for item in instrument.unanswered_required(assessment):
        panel.answer_choices[item.id].buttons[False].click()


def test_conclusion_needs_a_complete_judgment(qtbot, veiligheid, dossier, definitions):
    page = veiligheid
    child = unassessed_child(dossier)
    panel = panel_of(page, child)
    instrument = definitions.instrument()
    qtbot.keyClick(panel.afronden, Qt.Key.Key_Space)
    assert not panel.afronden.isChecked()
    assert "onderbouwing" in panel._errors["afgerond"].text()
    assessment = dossier.latest_assessment(child.id)
    assert assessment is None or not assessment.afgerond

    safe = next(v for v in SafetyNow if not instrument.requires_consultation(v, None))
    low = next(v for v in RiskLater if not instrument.requires_consultation(None, v))
    panel.veiligheid_nu.buttons[safe].click()
    panel.risico.buttons[low].click()
    assessment = dossier.latest_assessment(child.id)
    complete_required_items(panel, instrument, assessment)
    qtbot.keyClicks(panel.onderbouwing, "Geen signalen; ouders zorgen goed voor haar.")
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(panel.afronden, Qt.Key.Key_Space)
    assert assessment.afgerond
    assert not panel._errors["afgerond"].isVisibleTo(page)
    assert page.tabs.tabText(tab_of(page, child)) == f"{child.voornaam} ✓ afgerond"
    assert not panel.judgment_box.isEnabled() and panel.new_button.isEnabled()


def test_reassessment_shows_the_first_beside_it(qtbot, veiligheid, dossier, definitions):
    page = veiligheid
    child = assessed_child(dossier)
    first = dossier.latest_assessment(child.id)
    assert first.afgerond
    panel = panel_of(page, child)
    with qtbot.waitSignal(page.document.changed):
        qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    history = dossier.assessments_for(child.id)
    assert len(history) == 2 and history[0] is first
    latest = history[-1]
    assert latest.instrument == definitions.instrument().ref and not latest.afgerond
    panel = page.panels[child.id]  # rebuilt
    assert panel.assessment is latest and panel.first is first
    assert page.current_child_id() == child.id
    texts = [w.text() for w in panel.judgment_box.findChildren(QLabel)]
    assert first.veiligheid_nu.label in texts and first.onderbouwing in texts
    assert page.tabs.tabText(tab_of(page, child)).endswith("open")


@pytest.mark.parametrize("field", ["veiligheid_nu", "risico", "onderbouwing", "afgerond", "item", None])
def test_focus_location_selects_the_child_and_field(qtbot, veiligheid, dossier, definitions, field):
    page = veiligheid
    child = unassessed_child(dossier)
    instrument = definitions.instrument()
    item = instrument.items[-1]
    page.tabs.setCurrentIndex(0)
    panel = page.panels[child.id]
    # as the gaps name it: the field of the child's assessment (here the one its first edit makes)
    if field is None:
        page.focus_location(Loc("veiligheid", child.id))
    elif field == "item":
        page.focus_location(Loc("veiligheid", child.id, None, "antwoorden", ref=panel.assessment.id, item=item.id))
    else:
        page.focus_location(Loc("veiligheid", child.id, None, field, ref=panel.assessment.id))
    assert page.current_child_id() == child.id
    expected = {
        "veiligheid_nu": panel.veiligheid_nu.focus_button(),
        "risico": panel.risico.focus_button(),
        "onderbouwing": panel.onderbouwing,
        "afgerond": panel.afronden,
        "item": panel.answer_choices[item.id].focus_button(),
        # nothing named: the first unanswered required item
        None: panel.answer_choices[instrument.unanswered_required(panel.assessment)[0].id].focus_button(),
    }[field]
    assert has_focus(qtbot, expected)


def test_focus_location_for_the_consultation(qtbot, veiligheid, dossier, definitions):
    page = veiligheid
    child = unassessed_child(dossier)
    panel = panel_of(page, child)
    instrument = definitions.instrument()
    panel.veiligheid_nu.buttons[next(v for v in SafetyNow if instrument.requires_consultation(v, None))].click()
    gap = Loc("veiligheid", child.id, None, "consultatie", ref=dossier.latest_assessment(child.id).id)
    page.focus_location(gap)
    assert has_focus(qtbot, panel.consult_met.focus_button())
    panel.consult_met.buttons[instrument.oordeel.consultatie_met[0]].click()
    page.focus_location(gap)
    assert has_focus(qtbot, panel.consult_naam)


def test_focus_location_on_a_concluded_assessment_lands_on_afronden(qtbot, veiligheid, dossier):
    page = veiligheid
    child = assessed_child(dossier)
    page.focus_location(Loc("veiligheid", child.id, None, "onderbouwing"))
    assert has_focus(qtbot, page.panels[child.id].afronden)


def test_undo_and_redo_restore_the_assessment_and_its_widgets(qtbot, veiligheid, dossier, definitions):
    page = veiligheid
    doc = page.document
    child = unassessed_child(dossier)
    panel = panel_of(page, child)
    instrument = definitions.instrument()
    item = instrument.items[0]
    choice = panel.answer_choices[item.id]
    # the first answer makes the assessment: one undo step, named for the child
    choice.buttons[True].click()
    assert dossier.latest_assessment(child.id).antwoorden[item.id].aanwezig is True
    assert doc.undo_stack.count() == 1
    assert doc.create_undo_action(page).text().endswith(f"bij {child.voornaam}")
    doc.undo()
    assert dossier.latest_assessment(child.id) is None and choice.value() is None
    assert "nog geen beoordeling" in panel.header.text()
    doc.redo()
    assert dossier.latest_assessment(child.id).antwoorden[item.id].aanwezig is True and choice.value() is True
    assert "nog geen beoordeling" not in panel.header.text()
    assert page.panels[child.id] is panel  # no rebuild for an edit of the shown assessment
    # a judgment that needs a consultation: the consultation box follows undo and redo
    unsafe = next(v for v in SafetyNow if instrument.requires_consultation(v, None))
    panel.veiligheid_nu.buttons[unsafe].click()
    assert panel.consult_box.isVisibleTo(page)
    doc.undo()
    assert dossier.latest_assessment(child.id).veiligheid_nu is None and panel.veiligheid_nu.value() is None
    assert not panel.consult_box.isVisibleTo(page)
    doc.redo()
    assert dossier.latest_assessment(child.id).veiligheid_nu is unsafe and panel.veiligheid_nu.value() is unsafe
    assert panel.consult_box.isVisibleTo(page)
    # typed text: one step, the widget shows what the model holds again
    panel.onderbouwing.setFocus()
    qtbot.keyClicks(panel.onderbouwing, "Zorgen")
    assert dossier.latest_assessment(child.id).onderbouwing == "Zorgen"
    doc.undo()
    assert dossier.latest_assessment(child.id).onderbouwing == "" and panel.onderbouwing.toPlainText() == ""
    doc.redo()
    assert dossier.latest_assessment(child.id).onderbouwing == "Zorgen" and panel.onderbouwing.toPlainText() == "Zorgen"


def test_undo_of_a_new_assessment_shows_the_concluded_one_again(qtbot, veiligheid, dossier):
    page = veiligheid
    child = assessed_child(dossier)
    first = dossier.latest_assessment(child.id)
    panel_of(page, child).new_button.click()
    assert page.panels[child.id].assessment is not first and not page.panels[child.id].afronden.isChecked()
    page.document.undo()
    assert dossier.assessments_for(child.id) == [first]
    panel = page.panels[child.id]
    assert panel.assessment is first and panel.afronden.isChecked() and not panel.judgment_box.isEnabled()
    page.document.redo()
    assert len(dossier.assessments_for(child.id)) == 2 and page.panels[child.id].judgment_box.isEnabled()


def test_ga_naar_for_a_safety_gap_focuses_the_field_on_the_childs_tab(qtbot, veiligheid, dossier, definitions, context):
    from forms.rules import gaps

    page = veiligheid
    children = dossier.children()
    child = next(c for c in reversed(children) if dossier.latest_assessment(c.id) is None)
    panel = panel_of(page, child)
    instrument = definitions.instrument()
    unsafe = next(v for v in SafetyNow if instrument.requires_consultation(v, None))
    panel.veiligheid_nu.buttons[unsafe].click()  # unsafe, no onderbouwing, no consultation
    other = next(c for c in children if c.id != child.id)
    page.tabs.setCurrentIndex(tab_of(page, other))

    def gap(code):
        return next(g for g in gaps(dossier, definitions, today=context.today)
                    if g.code == code and g.location.member_id == child.id)

    page.focus_location(gap("veiligheid_onderbouwing_ontbreekt").location)
    assert page.current_child_id() == child.id
    assert has_focus(qtbot, panel.onderbouwing)
    page.tabs.setCurrentIndex(tab_of(page, other))
    page.focus_location(gap("veiligheid_consultatie_ontbreekt").location)
    assert page.current_child_id() == child.id
    assert has_focus(qtbot, panel.consult_met.focus_button())
    panel.consult_met.buttons[instrument.oordeel.consultatie_met[0]].click()
    page.focus_location(gap("veiligheid_consultatie_uitkomst").location)
    assert has_focus(qtbot, panel.consult_naam)  # no name yet: that first


def test_a_child_added_on_the_household_page_gets_a_tab(qtbot, open_workspace):
    from forms import Member, Role
    from forms.demo import demo_dossier

    ws = open_workspace(demo_dossier())
    before = ws.show_step("veiligheid").tabs.count()
    kees = Member(voornaam="Kees", achternaam="Test", geboortedatum=dt.date(2020, 1, 1), rol=Role.KIND)
    ws.show_step("huishouden").insert_member(kees)
    page = ws.show_step("veiligheid")
    assert page.tabs.count() == before + 1 and kees.id in page.panels


def test_no_children_no_tabs(qtbot, context, dossier):
    for m in dossier.children():
        dossier.huishouden.leden.remove(m)
    page = shown(qtbot, VeiligheidPage(context))
    page.set_dossier(dossier)
    assert page.tabs.count() == 0 and page.no_children.isVisibleTo(page)
    page.focus_location(Loc("veiligheid"))  # nothing to focus, no error


# --- Meldcode ------------------------------------------------------------------------

from desktop.steps.meldcode import MeldcodePage  # noqa: E402


@pytest.fixture
def meldcode(qtbot, context, dossier):
    page = MeldcodePage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def go_on(vraag):
    """The answer to a question that neither reports nor stops."""
    for answer in (True, False):
        if answer != vraag.melden_bij and answer != vraag.stop_bij:
            return answer
    raise AssertionError(vraag.id)


def test_meldcode_applies_when_the_safety_answers_call_for_it(dossier, definitions):
    assert not MeldcodePage.applies_to(dossier, definitions)
    assessment = dossier.latest_assessment(assessed_child(dossier).id)
    signal = definitions.instrument(assessment.instrument).signal_ids()[0]
    from forms import ItemAnswer

    assessment.antwoorden[signal] = ItemAnswer(aanwezig=True)
    assert MeldcodePage.applies_to(dossier, definitions)


def test_questions_in_order_with_explanation_and_outcome(qtbot, meldcode, dossier, definitions):
    page = meldcode
    definition = definitions.meldcode()
    assert list(page.questions) == [q.id for q in definition.stappen]
    first, second = definition.stappen[0], definition.stappen[1]
    q1 = page.questions[first.id]
    assert first.uitkomst_ja in q1.outcome.text() and first.uitkomst_nee in q1.outcome.text()
    assert not page.questions[second.id].box.isEnabled()  # guided: one at a time
    assert dossier.meldcode is None
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(q1.choice.buttons[go_on(first)], Qt.MouseButton.LeftButton)
    assert dossier.meldcode is not None and dossier.meldcode.definitie == definition.ref
    assert dossier.meldcode.antwoorden[first.id] is go_on(first)
    expected = first.uitkomst_ja if go_on(first) else first.uitkomst_nee
    assert expected in q1.outcome.text()
    assert page.questions[second.id].box.isEnabled()
    assert not page.melding_box.isVisibleTo(page)


def test_a_stop_answer_ends_the_afweging(qtbot, meldcode, dossier, definitions):
    page = meldcode
    definition = definitions.meldcode()
    stopper = next(q for q in definition.stappen if q.stop_bij is not None)
    for q in definition.stappen:
        if q is stopper:
            page.questions[q.id].choice.buttons[q.stop_bij].click()
            break
        page.questions[q.id].choice.buttons[go_on(q)].click()
    later = [q for q in definition.stappen if q.stap > stopper.stap]
    assert all(not page.questions[q.id].box.isEnabled() for q in later)
    assert "Niet meer nodig" in page.questions[later[0].id].note.text()
    assert not page.report_required() and not page.melding_box.isVisibleTo(page)


def test_a_report_answer_asks_for_the_melding(qtbot, meldcode, dossier, definitions, context):
    page = meldcode
    definition = definitions.meldcode()
    reporter = next(q for q in definition.stappen if q.melden_bij is not None)
    for q in definition.stappen:
        if q is reporter:
            page.questions[q.id].choice.buttons[q.melden_bij].click()
            break
        page.questions[q.id].choice.buttons[go_on(q)].click()
    assert page.report_required()
    assert page.melding_box.isVisibleTo(page)
    assert "Veilig Thuis" in page.melding_uitleg.text() and "verplicht" in page.melding_uitleg.text()
    assert "verplicht" in page.referentie.accessibleName()
    record = dossier.meldcode
    assert record.melding is None
    with qtbot.waitSignal(page.changed):
        qtbot.keyClicks(page.referentie, "VT-2024-001")
    assert record.melding is not None
    assert (record.melding.referentie, record.melding.datum) == ("VT-2024-001", context.today)
    page.referentie.clear()
    assert record.melding is None
    assert page.referentie_error.isVisibleTo(page)
    # changing the answer back keeps the box while a melding is recorded, and the words
    qtbot.keyClicks(page.referentie, "VT-1")
    page.questions[reporter.id].choice.buttons[not reporter.melden_bij].click()
    assert record.melding is not None and page.melding_box.isVisibleTo(page)


def test_meldcode_focus_location(qtbot, meldcode, dossier, definitions):
    page = meldcode
    definition = definitions.meldcode()
    first = definition.stappen[0]
    page.focus_location(Loc("meldcode", None, None, None))
    assert has_focus(qtbot, page.questions[first.id].choice.focus_button())
    reporter = next(q for q in definition.stappen if q.melden_bij is not None)
    for q in definition.stappen:
        if q is reporter:
            page.questions[q.id].choice.buttons[q.melden_bij].click()
            break
        page.questions[q.id].choice.buttons[go_on(q)].click()
    page.focus_location(Loc("meldcode", None, None, "melding"))
    assert has_focus(qtbot, page.referentie)
    page.focus_location(Loc("meldcode", None, None, first.id))
    assert has_focus(qtbot, page.questions[first.id].choice.focus_button())
    page.focus_location(Loc("meldcode", None, None, "toelichting"))
    assert has_focus(qtbot, page.toelichting)
    qtbot.keyClicks(page.toelichting, "Overlegd met Veilig Thuis")
    assert dossier.meldcode.toelichting == "Overlegd met Veilig Thuis"


# --- all three: the real gaps, read-only ----------------------------------------------

from forms import ItemAnswer, MeldcodeRecord  # noqa: E402
from forms.rules import gaps  # noqa: E402

PAGES = {"leefgebieden": LeefgebiedenPage, "veiligheid": VeiligheidPage, "meldcode": MeldcodePage}


def gappy(dossier, definitions):
    """The demo with gaps in all three steps."""
    cell = next(c for c in definitions.domain_set().required_cells(dossier) if c[1] is not None)
    dossier.leefgebieden.remove(dossier.domain_entry(*cell))
    nvt = next(e for e in dossier.leefgebieden if e.niet_van_toepassing)
    nvt.nvt_reden = ""
    daan = assessed_child(dossier)
    first = dossier.latest_assessment(daan.id)
    signal = definitions.instrument(first.instrument).signal_ids()[0]
    first.antwoorden[signal] = ItemAnswer(aanwezig=True)
    first.afgerond = False
    definition = definitions.meldcode()
    reporter = next(q for q in definition.stappen if q.melden_bij is not None)
    answers = {q.id: go_on(q) for q in definition.stappen if q.stap < reporter.stap}
    answers[reporter.id] = reporter.melden_bij
    dossier.meldcode = MeldcodeRecord(definitie=definition.ref, antwoorden=answers)
    return dossier


def test_every_gap_of_these_steps_focuses_a_field_of_the_page(qtbot, context, dossier, definitions):
    dossier = gappy(dossier, definitions)
    found = [g for g in gaps(dossier, definitions) if g.location.section in PAGES]
    sections = {g.location.section for g in found}
    assert sections == set(PAGES)
    pages = {}
    for section, cls in PAGES.items():
        page = cls(context)
        page.set_dossier(dossier)
        pages[section] = shown(qtbot, page)
    for gap in found:
        page = pages[gap.location.section]
        page.activateWindow()
        page.focus_location(gap.location)
        qtbot.waitUntil(lambda page=page: page.isAncestorOf(QApplication.focusWidget()), timeout=1000)
        focused = QApplication.focusWidget()
        assert focused.isEnabled(), (gap.code, focused)


def test_gap_locations_land_on_the_exact_widget(qtbot, context, dossier, definitions):
    dossier = gappy(dossier, definitions)
    by_code = {g.code: g.location for g in gaps(dossier, definitions)}
    leef = shown(qtbot, LeefgebiedenPage(context))
    leef.set_dossier(dossier)
    leef.focus_location(by_code["leefgebied_nvt_reden"])
    assert has_focus(qtbot, leef.reden)
    leef.focus_location(by_code["leefgebied_niet_besproken"])
    assert has_focus(qtbot, leef.status.focus_button())
    veilig = shown(qtbot, VeiligheidPage(context))
    veilig.set_dossier(dossier)
    location = by_code["veiligheid_ontbreekt"]
    veilig.focus_location(location)
    panel = veilig.panels[location.member_id]
    first_open = definitions.instrument().unanswered_required(panel.assessment)[0]
    assert has_focus(qtbot, panel.answer_choices[first_open.id].focus_button())
    location = by_code["veiligheid_niet_afgerond"]
    veilig.focus_location(location)
    assert has_focus(qtbot, veilig.panels[location.member_id].afronden)
    meld = shown(qtbot, MeldcodePage(context))
    meld.set_dossier(dossier)
    meld.focus_location(by_code["meldcode_melding_ontbreekt"])
    assert has_focus(qtbot, meld.referentie)


def test_read_only_pages_can_be_read_but_not_edited(qtbot, context, dossier, definitions):
    leef = shown(qtbot, LeefgebiedenPage(context))
    leef.set_dossier(dossier)
    leef.set_read_only(True)
    assert leef.zorgen.isReadOnly() and not leef.zrm.isEnabled()
    assert leef.matrix.isEnabled() and leef.scroll_area.verticalScrollBar().isEnabled()
    entry = next(e for e in dossier.leefgebieden if e.zorgen)
    select(leef, entry.domein, entry.member_id)
    assert leef.zorgen.toPlainText() == entry.zorgen  # navigating still shows each cell

    veilig = shown(qtbot, VeiligheidPage(context))
    veilig.set_dossier(dossier)
    veilig.set_read_only(True)
    panel = panel_of(veilig, assessed_child(dossier))
    assert not panel.new_button.isEnabled() and not panel.afronden.isEnabled()
    assert panel.onderbouwing.isReadOnly() and panel.scroll.verticalScrollBar().isEnabled()

    meld = shown(qtbot, MeldcodePage(context))
    meld.set_dossier(dossier)
    meld.set_read_only(True)
    first = next(iter(meld.questions.values()))
    assert not any(b.isEnabled() for b in first.choice.buttons.values())
    assert meld.toelichting.isReadOnly()


def test_tab_titles_follow_the_state(qtbot, veiligheid, dossier):
    page = veiligheid
    assert page.summary_text().startswith("1 van 3")
    assert all(p.summary.text() == page.summary_text() for p in page.panels.values())
    child = assessed_child(dossier)
    panel = panel_of(page, child)
    qtbot.keyClick(panel.afronden, Qt.Key.Key_Space)  # reopen
    assert not dossier.latest_assessment(child.id).afgerond
    assert page.tabs.tabText(tab_of(page, child)) == f"{child.voornaam} – open"
    assert panel.judgment_box.isEnabled()
    assert page.panels[child.id].summary.text().startswith("0 van 3")
