"""The trajectory's step pages on an open workspace's document with a real vault: what is
typed and clicked on them is autosaved and reads back from the vault (issue 13)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from apphelpers import WAIT_MS, run_db, shown
from trajectory_fixtures import at_gesprek

from desktop.steps.afsluiting import AfsluitingPage
from desktop.steps.evaluatie import EvaluatiePage
from desktop.steps.kernbeslissingen import KernbeslissingenPage
from forms import DoelUitkomst


def _on_document(qtbot, ws, cls):
    page = cls(ws.context)
    page.set_document(ws.document)
    return shown(qtbot, page)


def _saved(qtbot, ws, dossier_id):
    qtbot.waitUntil(lambda: not ws.dirty and not ws.saving, timeout=WAIT_MS)
    return run_db(qtbot, ws.tasks, lambda v: v.load(dossier_id))


def test_an_evaluatie_typed_on_the_pages_is_in_the_vault(qtbot, open_workspace):
    d = at_gesprek("evaluatie")
    ws = open_workspace(d, start_step="plan")
    plan = ws.show_step("plan")
    plan.followup.latest_button.click()
    evaluatie = _on_document(qtbot, ws, EvaluatiePage)
    row = evaluatie.rows[0]
    row.uitkomst.buttons[DoelUitkomst.BEHAALD].click()
    row.familie.setFocus()
    qtbot.keyClicks(row.familie, "Daan gaat weer graag")
    decisions = _on_document(qtbot, ws, KernbeslissingenPage)
    decisions.new_beslissing.setText("Afschalen naar de huisarts")
    decisions.add_button.click()
    decisions.r_naam.setText("C. Jansen")
    decisions.r_add.click()
    stored = _saved(qtbot, ws, d.id)
    [evaluation] = stored.gesprek.doel_evaluaties
    assert (evaluation.goal_id, evaluation.uitkomst, evaluation.familie) == (row.goal.id, DoelUitkomst.BEHAALD, "Daan gaat weer graag")
    assert stored.gesprek.volgende_evaluatie == plan.followup.latest_date(d)
    [kb] = stored.kernbeslissingen
    assert kb.beslissing == "Afschalen naar de huisarts" and [r.naam for r in kb.raadplegingen] == ["C. Jansen"]
    assert kb.gesprek_id == stored.gesprek.id
    # an undo after the save is saved again
    ws.undo_action.trigger()
    stored = _saved(qtbot, ws, d.id)
    assert stored.kernbeslissingen[0].raadplegingen == []


def test_an_afsluiting_typed_on_its_page_is_in_the_vault(qtbot, open_workspace):
    d = at_gesprek("afsluiting")
    ws = open_workspace(d, start_step="plan")
    page = _on_document(qtbot, ws, AfsluitingPage)
    page.zelfstandig.buttons[True].click()
    page.rows[0].hoe.setFocus()
    qtbot.keyClicks(page.rows[0].hoe, "telefonisch")
    page.waakvlam.check.click()
    stored = _saved(qtbot, ws, d.id)
    closing = stored.gesprek.afsluiting
    assert closing.zelfstandig_verder is True and closing.waakvlam == page.waakvlam.value()
    assert [(t.partner_id, t.hoe) for t in closing.geinformeerd] == [(page.rows[0].partner.id, "telefonisch")]
