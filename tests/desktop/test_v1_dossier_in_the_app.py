"""A vault written by the schema-1 application (tests/data/v1, see its meta.json) in today's
application: the finalised dossier opens, its history shows in the timeline with the stored
verslag, and the stored PDF is byte-identical afterwards."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

from apphelpers import WAIT_MS, run_db
from PySide6.QtCore import Qt

DATA = Path(__file__).resolve().parents[1] / "data" / "v1"
META = json.loads((DATA / "meta.json").read_text(encoding="utf-8"))
DOSSIER_ID = uuid.UUID(META["dossier_id"])


def _v1_vault(folder: Path) -> Path:
    for name in ("kluis.db", "kluis.db.salt"):
        shutil.copy(DATA / name, folder / name)
    return folder / "kluis.db"


def _unlock(qtbot: Any, app: Any) -> None:
    dialog = app.dialog
    qtbot.keyClicks(dialog.passphrase, META["passphrase"])
    with qtbot.waitSignal(app.unlocked, timeout=WAIT_MS):
        dialog.ok_button.click()


def _stored_pdf(qtbot: Any, app: Any) -> bytes:
    pdf = run_db(qtbot, app.tasks, lambda vault: vault.load_version(DOSSIER_ID, META["versie"]).pdf)
    assert isinstance(pdf, bytes)
    return pdf


def test_a_v1_dossier_opens_and_shows_its_history(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    app = make_app(path=_v1_vault(tmp_path), idle_minutes=60)
    _unlock(qtbot, app)
    caseload = app.caseload
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 1, timeout=WAIT_MS)
    assert hashlib.sha256(_stored_pdf(qtbot, app)).hexdigest() == META["pdf_sha256"]

    # the caseload: finalised, so the next gesprek can be started from here
    caseload.table.setCurrentIndex(caseload.model.index(0, 0))
    assert not caseload.evaluatie_button.isHidden() and not caseload.afsluiting_button.isHidden()

    # the workspace: the intake, read-only, its title says so
    caseload.open_selected()
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    ws = app.workspace
    assert ws.read_only and ws.windowTitle().startswith("Intake — Familie")
    assert ws.dossier.definitief is not None and ws.dossier.definitief.sha256 == META["sha256"]

    # the timeline from the workspace: the intake with its stored verslag, the safety per child
    ws.timeline_button.click()
    qtbot.waitUntil(lambda: app.registry.get(f"tijdlijn:{DOSSIER_ID}") is not None, timeout=WAIT_MS)
    timeline = app.registry.get(f"tijdlijn:{DOSSIER_ID}")
    qtbot.waitUntil(lambda: timeline.data is not None, timeout=WAIT_MS)
    table = timeline.gesprekken
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "Intake (nu)" and table.item(0, 2).text() == "ja"
    assert table.item(0, 3).text() not in ("—", "niet bekend")  # who signed, from the dossier
    assert len(timeline.verslag_buttons) == 1
    children = ws.dossier.children()
    assert children and all(m.voornaam in timeline.safety_text.text() for m in children if ws.dossier.assessments_for(m.id))
    assert "Fase: Lopend" in timeline.status.text()

    # "Verslag openen": the bytes stored by the schema-1 application, untouched
    timeline.verslag_buttons[0].click()
    preview = timeline.preview
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=WAIT_MS)
    assert hashlib.sha256(preview.pdf).hexdigest() == META["pdf_sha256"]
    preview.reject()
    timeline.close()

    # Esc closes the timeline; the stored version is as it was
    ws.timeline_button.click()
    qtbot.waitUntil(lambda: app.registry.get(f"tijdlijn:{DOSSIER_ID}") is not None, timeout=WAIT_MS)
    again = app.registry.get(f"tijdlijn:{DOSSIER_ID}")
    qtbot.waitUntil(lambda: again.data is not None, timeout=WAIT_MS)
    again.activateWindow()
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: app.registry.get(f"tijdlijn:{DOSSIER_ID}") is None, timeout=WAIT_MS)
    assert hashlib.sha256(_stored_pdf(qtbot, app)).hexdigest() == META["pdf_sha256"]


def test_a_v1_dossier_continues_with_an_evaluatie(qtbot: Any, make_app: Any, tmp_path: Path) -> None:
    """'Evaluatie starten' on the schema-1 intake: the evaluatie opens as the next gesprek
    (versie 2, its own id and date, the plan carried over), is saved in the vault, and the
    intake's stored version and verslag stay byte-identical."""
    app = make_app(path=_v1_vault(tmp_path), idle_minutes=60)
    _unlock(qtbot, app)
    caseload = app.caseload
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 1, timeout=WAIT_MS)
    before = run_db(qtbot, app.tasks, lambda vault: vault.load_version(DOSSIER_ID, META["versie"]))

    caseload.table.setCurrentIndex(caseload.model.index(0, 0))
    caseload.evaluatie_button.click()
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    ws = app.workspace
    qtbot.waitUntil(lambda: ws.dossier.versie == 2, timeout=WAIT_MS)
    d = ws.dossier
    assert d.gesprek.soort.value == "evaluatie" and d.definitief is None and not ws.read_only
    assert [ref.versie for ref in d.vorige_versies] == [1] and d.vorige_versies[0].sha256 == META["sha256"]
    assert d.plan.doelen  # the plan carries over from the intake
    assert ws.windowTitle().startswith("Evaluatie")

    stored = run_db(qtbot, app.tasks, lambda vault: vault.load(DOSSIER_ID))
    assert stored.versie == 2 and stored.gesprek.soort.value == "evaluatie"
    after = run_db(qtbot, app.tasks, lambda vault: vault.load_version(DOSSIER_ID, META["versie"]))
    assert (after.sha256, after.dossier_json, after.pdf) == (before.sha256, before.dossier_json, before.pdf)
    assert hashlib.sha256(after.pdf).hexdigest() == META["pdf_sha256"]
