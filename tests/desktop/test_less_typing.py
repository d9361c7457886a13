"""Less typing, more seeing (issue 14): ticking who sits at the table fills in who was spoken
with, and a step shows ✓ only when nothing there is open."""

from __future__ import annotations

from typing import Any

from apphelpers import shown

from forms import ContactStatus
from forms.demo import demo_dossier


def _member(dossier: Any, voornaam: str) -> Any:
    return next(m for m in dossier.huishouden.leden if m.voornaam == voornaam)


def test_ticking_attendance_fills_in_who_was_spoken_with_and_never_overwrites(qtbot: Any, context: Any) -> None:
    from desktop.steps.huishouden import HuishoudenPage

    dossier = demo_dossier()
    daan, lieke = _member(dossier, "Daan"), _member(dossier, "Liëke")
    dossier.gesprek.aanwezig = [m.id for m in dossier.huishouden.leden if m.id not in (daan.id, lieke.id)]
    dossier.gesprek.contacten = [c for c in dossier.gesprek.contacten if c.member_id not in (daan.id, lieke.id)]
    page = shown(qtbot, HuishoudenPage(context))
    page.set_dossier(dossier)
    with qtbot.waitSignal(page.document.changed):
        page._presence[daan.id].click()
    assert dossier.contact(daan.id).status is ContactStatus.GESPROKEN  # 14: spoken with
    page._presence[lieke.id].click()
    assert dossier.contact(lieke.id).status is ContactStatus.GEZIEN  # 2: seen
    dossier.contact(daan.id).status = ContactStatus.NIET
    page._presence[daan.id].click()  # off
    page._presence[daan.id].click()  # on again: the choice made stays
    assert dossier.contact(daan.id).status is ContactStatus.NIET


def test_netwerk_shows_open_instead_of_a_tick_while_a_consent_is_not_asked(qtbot: Any, open_workspace: Any) -> None:
    from desktop.steps.base import STEP_IDS

    dossier = demo_dossier()
    dossier.netwerk[0].toestemming = None  # "Nog niet gevraagd"
    ws = open_workspace(dossier)
    item = ws.step_list.item(STEP_IDS.index("netwerk"))
    assert "✓" not in item.text() and item.text().endswith("○ 1"), item.text()
    assert "nog 1 open" in item.toolTip()
    ws.dossier.netwerk[0].toestemming = demo_dossier().netwerk[0].toestemming
    ws.refresh_gaps()
    assert item.text().endswith("✓")


def test_zrm_shows_the_criteria_of_every_score_and_a_chart_beside_the_matrix(qtbot: Any, context: Any) -> None:
    from desktop.steps.leefgebieden import LeefgebiedenPage

    dossier = demo_dossier()
    page = shown(qtbot, LeefgebiedenPage(context))
    page.set_dossier(dossier)
    scored = [e for e in dossier.leefgebieden if e.zrm is not None]
    assert scored, "the demo household has ZRM scores"
    assert len(page.zrm_chart.scores) == len(scored)
    assert page.zrm_chart.isVisible() and page.zrm_chart.parentWidget() is page.matrix.parentWidget()
    zrm = context.definitions.zrm()
    page.zrm.setCurrentIndex(page.zrm.findData(3))
    text = page.zrm_uitleg.text()
    for niveau in zrm.niveaus:  # every score with its criteria, the chosen one marked
        assert niveau.omschrijving in text
    assert f"<b>▶ 3 – {zrm.niveau(3).label}" in text
    entry = scored[0]
    row = page._rows.index(entry.domein)
    col = 0 if entry.member_id is None else 1 + [m.id for m in page._members].index(entry.member_id)
    page.matrix.setCurrentCell(row, col)
    new = 1 if entry.zrm != 1 else 2
    page.zrm.setCurrentIndex(page.zrm.findData(new))
    assert entry.zrm == new
    assert new in [score for _, score in page.zrm_chart.scores]  # the chart follows the edit
