"""Finalising is a deliberate act (issue 11): "Gesprek definitief maken" first asks, and
says what becomes final, for whom, who signed, and what is still only an aandachtspunt.
Annuleren keeps everything as it was."""

from __future__ import annotations

from typing import Any

from apphelpers import WAIT_MS, confirm_finalise, run_db
from PySide6.QtCore import Qt

from desktop.finalise_dialog import FinaliseConfirmDialog
from forms import Signature
from forms.demo import complete_demo_dossier


def with_a_refusal(dossier: Any) -> Any:
    emre = next(m for m in dossier.huishouden.leden if m.voornaam == "Emre")
    dossier.handtekeningen = [
        s if s.member_id != emre.id else Signature(member_id=emre.id, naam=emre.naam, weigering_reden="Wil eerst overleggen.")
        for s in dossier.handtekeningen
    ]
    return dossier


def test_the_dialog_says_what_becomes_final_for_whom_and_what_is_still_open(qtbot: Any) -> None:
    import forms

    dossier = with_a_refusal(complete_demo_dossier())
    dossier.plan.regisseur.taken = ""  # an aandachtspunt: the regisseur's tasks are not written down
    gaps = forms.gaps(dossier)
    warnings = [g.message for g in gaps if not g.blokkerend]
    assert warnings  # the demo keeps a few aandachtspunten
    dialog = FinaliseConfirmDialog(dossier, gaps)
    qtbot.addWidget(dialog)
    text = dialog.text()
    assert "Familie Bakker-Yılmaz" in text and "Voorbeeldstraat 12, 1781 AB Den Helder" in text
    assert f"Gesprek van {dossier.gesprek.datum:%d-%m-%Y}, versie 1" in text
    assert "Sanne Bakker: getekend op" in text
    assert "Emre Yılmaz: wil niet tekenen — Wil eerst overleggen." in text
    assert "Wijkcoach (demo) (wijkcoach): getekend" in text
    assert f"Nog {len(set(warnings))} aandachtspunt" in text
    for message in warnings:
        assert " ".join(message.split()) in text
    assert "niet meer worden gewijzigd" in text
    # Enter does not finalise: Annuleren is the default; Escape cancels
    assert dialog.cancel_button.isDefault() and not dialog.confirm_button.isDefault()
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == FinaliseConfirmDialog.DialogCode.Rejected


def test_cancel_keeps_everything_and_confirm_finalises(qtbot: Any, open_workspace: Any, vault_tasks: Any) -> None:
    dossier = complete_demo_dossier()
    ws = open_workspace(dossier)
    page = ws.show_step("ondertekenen")
    assert page.finalise_button.isEnabled()

    page.finalise_button.click()
    said = confirm_finalise(qtbot, page, accept=False)
    assert "Familie Bakker-Yılmaz" in said
    qtbot.wait(300)  # nothing may start after a cancel
    assert not ws.read_only and not ws.finalising and ws.dossier.definitief is None
    assert page.finalise_button.isEnabled() and ws.stack.isEnabled()
    assert run_db(qtbot, vault_tasks, lambda v: v.list_versions(dossier.id)) == []
    assert run_db(qtbot, vault_tasks, lambda v: v.load(dossier.id)).definitief is None
    qtbot.waitUntil(lambda: page.confirm_dialog is None, timeout=WAIT_MS)  # closed and gone

    page.finalise_button.click()
    confirm_finalise(qtbot, page)
    qtbot.waitUntil(lambda: ws.read_only and not ws.saving, timeout=WAIT_MS)
    [version] = run_db(qtbot, vault_tasks, lambda v: v.list_versions(dossier.id))
    assert version.versie == 1 and version.sha256 == ws.dossier.definitief.sha256
