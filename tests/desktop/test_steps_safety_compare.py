"""Safety then and now at an evaluatie (issue 13, T10): the veiligheid step's child panel
with the comparison and its picture, driven through the widgets."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from apphelpers import shown
from PySide6.QtGui import QColor
from trajectory_fixtures import at_gesprek, reassess

from desktop.steps.safety_compare import SafetyChart, chart_points
from desktop.steps.veiligheid import VeiligheidPage
from forms import RiskLater, SafetyNow


@pytest.fixture
def evaluatie_dossier():
    dossier = at_gesprek("evaluatie")
    daan = dossier.children()[0]
    reassess(dossier, daan.id, dossier.gesprek.datum - dt.timedelta(days=45), "onveilig", "hoog")
    return dossier


@pytest.fixture
def page(qtbot, context, evaluatie_dossier):
    page = VeiligheidPage(context)
    page.set_dossier(evaluatie_dossier)
    page.set_read_only(False)  # as the workspace does after set_dossier
    return shown(qtbot, page)


def panel_of(page, child):
    page.tabs.setCurrentIndex(list(page.panels).index(child.id))
    return page.panels[child.id]


def test_the_intake_shows_no_comparison(qtbot, context):
    page = VeiligheidPage(context)
    page.set_dossier(at_gesprek("intake"))
    shown(qtbot, page)
    panel = page.panels[page.current_child_id()]
    assert panel.comparison is None


def test_an_earlier_gespreks_assessment_stays_as_it_is_and_a_new_one_belongs_to_this_gesprek(qtbot, page, evaluatie_dossier):
    daan = evaluatie_dossier.children()[0]
    panel = panel_of(page, daan)
    assert panel.comparison is not None
    assert not panel.judgment_box.isEnabled() and not panel.afronden.isEnabled()
    assert panel.earlier_note.isVisible()
    assert "nog niet opnieuw beoordeeld" in panel.comparison.status.text()
    before = len(evaluatie_dossier.veiligheid)
    assert panel.new_button.isEnabled()
    panel.new_button.click()
    assert len(evaluatie_dossier.veiligheid) == before + 1
    new = evaluatie_dossier.latest_assessment(daan.id)
    assert new.gesprek_id == evaluatie_dossier.gesprek.id
    panel = page.panels[daan.id]
    assert panel.assessment is new and panel.judgment_box.isEnabled()
    # judged through the widgets: the "now" column and the picture follow
    panel.veiligheid_nu.buttons[SafetyNow.ONVEILIG].click()
    panel.risico.buttons[RiskLater.VERHOOGD].click()
    assert new.veiligheid_nu is SafetyNow.ONVEILIG and new.risico is RiskLater.VERHOOGD
    assert panel.comparison.cells[("nu", "veiligheid_nu")].text() == "Onveilig"
    assert panel.comparison.cells[("vorige", "risico")].text() == "Hoog"
    assert panel.comparison.cells[("eerste", "veiligheid_nu")].text() == "Veilig"
    points = panel.comparison.chart.points()
    assert [p.soort for p in points] == ["Intake", "Evaluatie", "Dit gesprek"]
    assert points[-1].risico is RiskLater.VERHOOGD
    page.document.undo()  # the comparison follows an undo and a redo too
    assert panel.comparison.cells[("nu", "risico")].text() != "Verhoogd"
    page.document.redo()
    assert panel.comparison.cells[("nu", "risico")].text() == "Verhoogd"


def test_ga_naar_for_a_missing_reassessment_lands_on_nieuwe_beoordeling(qtbot, page, evaluatie_dossier):
    from apphelpers import has_focus

    from forms.rules import gaps

    daan = evaluatie_dossier.children()[0]
    gap = next(g for g in gaps(evaluatie_dossier, page.context.definitions, today=page.context.today)
               if g.code == "veiligheid_herbeoordeling_ontbreekt" and g.location.member_id == daan.id)
    page.focus_location(gap.location)
    assert page.current_child_id() == daan.id
    assert has_focus(qtbot, page.panels[daan.id].new_button)


def test_the_picture_shows_three_points_for_a_child_with_three_assessments(qtbot, page, evaluatie_dossier):
    daan = evaluatie_dossier.children()[0]
    panel_of(page, daan).new_button.click()
    panel = page.panels[daan.id]
    panel.veiligheid_nu.buttons[SafetyNow.ACUUT_ONVEILIG].click()
    chart: SafetyChart = panel.comparison.chart
    assert len(chart.points()) == 3
    assert len(evaluatie_dossier.assessments_for(daan.id)) == 3
    # the points are drawn: at each x, in the veiligheid-nu strip, the colour of the level
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    line = chart.fontMetrics().lineSpacing()
    expected = {SafetyNow.VEILIG: "#2e7d4f", SafetyNow.ONVEILIG: "#d9a400", SafetyNow.ACUUT_ONVEILIG: "#b00020"}
    levels = list(SafetyNow)
    for x, point in zip(chart.point_positions(), chart.points(), strict=True):
        y = line + line * levels.index(point.veiligheid_nu) + line / 2
        colour = QColor(image.pixel(round(x * ratio), round(y * ratio)))
        assert colour.name() == expected[point.veiligheid_nu], (point, colour.name())
    assert "acuut onveilig" in chart.accessibleDescription()


def test_other_children_have_one_point_per_assessment(page, evaluatie_dossier):
    for child in evaluatie_dossier.children():
        assert len(chart_points(evaluatie_dossier, child.id)) == len(evaluatie_dossier.assessments_for(child.id))
    noor = evaluatie_dossier.children()[1]
    panel = panel_of(page, noor)
    assert len(panel.comparison.chart.points()) == 1
    assert ("vorige", "risico") not in panel.comparison.cells  # first and previous are one
