"""The workspace frame: step list, navigation, autosave, Controle, finalising."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from apphelpers import PASSPHRASE, WAIT_MS, confirm_finalise, create_through_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import storage
from desktop.steps.base import STEP_IDS, STEP_TITLES, StepPage
from desktop.workspace import load_step_classes
from forms.demo import complete_demo_dossier, demo_dossier


def _reload(path: Path, dossier_id: Any) -> Any:
    vault = storage.open_vault(path, PASSPHRASE)
    try:
        return vault.load(dossier_id)
    finally:
        vault.close()


def test_every_step_has_a_page_class() -> None:
    classes = load_step_classes()
    assert list(classes) == list(STEP_IDS)
    for step_id, cls in classes.items():
        assert issubclass(cls, StepPage) and cls.step_id == step_id
    assert len(set(classes.values())) == len(STEP_IDS)


def test_step_list_shows_counts_and_hides_meldcode(qtbot: Any, open_workspace: Any) -> None:
    ws = open_workspace(demo_dossier())
    counts = ws.blocking_counts()
    assert counts["veiligheid"] == 2  # Noor and Liëke
    item = ws.step_list.item(STEP_IDS.index("veiligheid"))
    assert item.text().endswith("(2)")
    assert "2 blokkerende punten" in item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert ws.step_list.item(STEP_IDS.index("huishouden")).text().endswith("✓")
    assert "meldcode" not in ws.visible_steps()  # nothing in the demo calls for it


def test_ctrl_pgdown_and_pgup_move_between_visible_steps(qtbot: Any, open_workspace: Any) -> None:
    ws = open_workspace(demo_dossier())
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)
    assert ws.current_step_id == "huishouden"
    qtbot.keyClick(ws.step_list, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert ws.current_step_id == "contact"
    ws.show_step("veiligheid")
    ws.next_step()
    assert ws.current_step_id == "hulpvraag"  # the Meldcode is skipped
    qtbot.keyClick(ws.step_list, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert ws.current_step_id == "veiligheid"
    ws.show_step("ondertekenen")
    ws.next_step()
    assert ws.current_step_id == "ondertekenen"


def test_an_edit_reaches_the_vault_within_a_second(
    qtbot: Any, make_app: Any, vault_path: Path
) -> None:
    app = make_app()
    create_through_dialog(qtbot, app)
    dossier = demo_dossier()
    saved: list[Any] = []
    app.tasks.run_db(lambda v: v.save(dossier.model_copy(deep=True)), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=WAIT_MS)
    app.open_dossier(dossier.id, step="hulpvraag")
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    ws = app.workspace
    assert ws.current_step_id == "hulpvraag"

    # as a page does it: an edit by path on the dossier's document
    ws.document.set(("hulpvraag", "tekst"), "Rust over geld, en Daan weer naar school.", label="hulpvraag")
    assert ws.dirty
    started = time.monotonic()
    qtbot.waitUntil(lambda: ws.save_label.text().startswith("Opgeslagen"), timeout=3000)
    assert time.monotonic() - started < 1.5

    # a burst of edits keeps being saved at least every second
    for i in range(6):
        ws.document.set(("plan", "perspectief"), f"Perspectief {i}", label="perspectief")
        qtbot.wait(200)
    qtbot.waitUntil(lambda: not ws.dirty and not ws.saving, timeout=3000)

    app.shutdown()
    reloaded = _reload(vault_path, dossier.id)
    assert reloaded.hulpvraag.tekst == "Rust over geld, en Daan weer naar school."
    assert reloaded.plan.perspectief == "Perspectief 5"


def test_ctrl_s_saves_at_once_and_errors_keep_the_model(qtbot: Any, open_workspace: Any, vault_tasks: Any) -> None:
    ws = open_workspace(demo_dossier())
    ws.document.set(("hulpvraag", "tekst"), "Nieuw", label="hulpvraag")
    ws.save_action.trigger()  # Ctrl+S
    assert not ws.dirty and ws.saving
    qtbot.waitUntil(lambda: ws.save_label.text().startswith("Opgeslagen"), timeout=WAIT_MS)

    # the vault goes away (locked elsewhere): the edit is kept and the status says so
    closed: list[bool] = []
    vault_tasks.close_vault(on_done=lambda _: closed.append(True))
    qtbot.waitUntil(lambda: bool(closed), timeout=WAIT_MS)
    ws.document.set(("hulpvraag", "tekst"), "Nog nieuwer", label="hulpvraag")
    ws.save_now()
    qtbot.waitUntil(lambda: ws.save_label.text().startswith("Niet opgeslagen:"), timeout=WAIT_MS)
    assert "vergrendeld" in ws.save_label.text()
    assert ws.dirty and ws.dossier.hulpvraag.tekst == "Nog nieuwer"


def test_controle_lists_the_missing_assessments_and_goes_to_them(qtbot: Any, open_workspace: Any) -> None:
    ws = open_workspace(demo_dossier())
    page = ws.show_step("controle")
    assert not page.finalise_button.isEnabled()
    assert "Nog 5 blokkerende punten" in page.reason.text()  # 2 assessments, 3 signatures
    blocking = [g.message for g in page.blocking]
    assert any("Noor" in m for m in blocking) and any("Liëke" in m for m in blocking)
    assert page.gaps[0].blokkerend  # blocking first
    first = page.go_buttons[0]
    assert first.accessibleName().startswith("Ga naar: ")
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow, timeout=WAIT_MS)
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert ws.current_step_id == "veiligheid"
    focused = QApplication.focusWidget()
    assert focused is not None and ws.page("veiligheid").isAncestorOf(focused)


def _stand_in(step: str) -> type[StepPage]:
    """A page for a step the test does not look into (the workspace's part is under test)."""
    return type(f"StandIn_{step}", (StepPage,), {"step_id": step, "title": step.capitalize()})


def test_finalise_freezes_stores_the_version_and_an_evaluatie_starts_the_next_gesprek(
    qtbot: Any, open_workspace: Any, vault_tasks: Any
) -> None:
    import forms
    from forms import GesprekSoort

    stand_ins = {s: _stand_in(s) for s in ("evaluatie", "kernbeslissingen", "afsluiting")}
    ws = open_workspace(complete_demo_dossier(), step_classes=stand_ins)
    assert ws.step_ids == forms.rules.sections_for(GesprekSoort.INTAKE)
    assert ws.windowTitle().startswith("Intake — Familie")
    controle = ws.show_step("controle")
    assert controle.finalise_button.isEnabled()
    controle.finalise_button.click()
    assert ws.current_step_id == "ondertekenen"
    page = ws.page("ondertekenen")
    assert page.finalise_button.isEnabled()
    page.finalise_button.click()
    confirm_finalise(qtbot, page)
    qtbot.waitUntil(lambda: ws.read_only, timeout=WAIT_MS)
    sha = ws.dossier.definitief.sha256
    assert page.final_label.isVisibleTo(page) and sha[:12] in page.final_label.text()
    assert "kenmerk" in ws.save_label.text()
    evaluatie, afsluiting, intake = (ws.start_buttons[s] for s in ("evaluatie", "afsluiting", "intake"))
    assert evaluatie.isVisibleTo(ws) and afsluiting.isVisibleTo(ws) and not intake.isVisibleTo(ws)

    versions: list[Any] = []
    vault_tasks.run_db(lambda v: v.list_versions(ws.dossier.id), versions.extend)
    qtbot.waitUntil(lambda: bool(versions), timeout=WAIT_MS)
    assert versions[0].sha256 == sha

    # read-only: the hulpvraag text cannot be typed in
    hulpvraag = ws.show_step("hulpvraag")
    from PySide6.QtWidgets import QPlainTextEdit

    editors = hulpvraag.findChildren(QPlainTextEdit)
    assert editors and all(e.isReadOnly() for e in editors)

    # "Evaluatie starten": a new gesprek of its own kind, saved, shown with the evaluatie's steps
    evaluatie.click()
    qtbot.waitUntil(lambda: not ws.read_only, timeout=WAIT_MS)
    assert ws.dossier.versie == 2 and ws.dossier.gesprek.soort is GesprekSoort.EVALUATIE
    assert ws.dossier.vorige_versies[-1].sha256 == sha
    assert ws.step_ids == forms.rules.sections_for(GesprekSoort.EVALUATIE)
    assert [ws.step_list.item(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(ws.step_list.count())] == list(
        ws.step_ids
    )
    assert ws.current_step_id == "contact"
    assert ws.windowTitle().startswith("Evaluatie 1 — Familie")
    assert not evaluatie.isVisibleTo(ws) and not ws.read_only_banner.isVisibleTo(ws)
    qtbot.waitUntil(lambda: not ws.saving, timeout=WAIT_MS)
    assert ws.save_label.text().startswith("Opgeslagen"), ws.save_label.text()
    stored = _reload_from(vault_tasks, qtbot, ws.dossier.id)
    assert stored.versie == 2 and stored.gesprek.soort is GesprekSoort.EVALUATIE  # saved before it is shown
    assert stored.gesprek.id != forms.migrate.load(stored.model_dump(mode="json")).vorige_versies[0].gesprek_id


def _reload_from(tasks: Any, qtbot: Any, dossier_id: Any) -> Any:
    loaded: list[Any] = []
    tasks.run_db(lambda v: v.load(dossier_id), loaded.append)
    qtbot.waitUntil(lambda: bool(loaded), timeout=WAIT_MS)
    return loaded[0]


def test_fits_1366_by_768_also_at_200_percent(qtbot: Any, open_workspace: Any, vault_tasks: Any) -> None:
    """At 200 % a 1366×768 screen is 683×384 logical pixels: every window must fit that,
    with the real stylesheet and font (they add padding and width)."""
    from desktop.app import apply_style

    app = QApplication.instance()
    font, sheet = app.font(), app.styleSheet()
    apply_style(app)
    try:
        _check_fit(qtbot, open_workspace, vault_tasks)
    finally:
        app.setStyleSheet(sheet)
        app.setFont(font)


def _check_fit(qtbot: Any, open_workspace: Any, vault_tasks: Any) -> None:
    from desktop.caseload import CaseloadWindow

    ws = open_workspace(demo_dossier(), demo=True)
    ws.resize(683, 384)
    for step_id in STEP_IDS:
        ws.show_step(step_id)
        QApplication.processEvents()
        hint = ws.minimumSizeHint()
        assert hint.width() <= 683 and hint.height() <= 384, (step_id, hint.toTuple())
        assert ws.step_list.item(STEP_IDS.index(step_id)).text().startswith(
            STEP_TITLES[step_id]
        )
    caseload = CaseloadWindow(vault_tasks, demo=True)
    qtbot.addWidget(caseload)
    caseload.show()
    hint = caseload.minimumSizeHint()
    assert hint.width() <= 683 and hint.height() <= 384, hint.toTuple()


def test_screenshots_command_writes_one_png_per_step_none_blank(qtbot: Any, tmp_path: Path) -> None:
    """``python -m desktop.screenshots OUTDIR``: the unlock dialog, the caseload, every step of
    the demo household's evaluatie, its timeline, the first evaluatie's evaluatie and
    kernbeslissing, every step of an afsluiting and of an intake, at 1366×768, none blank."""
    from PySide6.QtGui import QImage

    import forms
    from desktop.screenshots import looks_blank, main
    from forms import GesprekSoort

    outdir = tmp_path / "shots"
    assert main([str(outdir)]) == 0
    paths = sorted(outdir.glob("*.png"))
    names = [p.name for p in paths]
    assert names[0].endswith("kluis-openen.png") and names[1].endswith("huishoudens.png")
    expected = [
        *(f"evaluatie-stap{n:02d}-{s}" for n, s in enumerate(forms.rules.sections_for(GesprekSoort.EVALUATIE), 1)),
        "tijdlijn",
        "evaluatie1-stap02-evaluatie",
        "evaluatie1-stap06-kernbeslissingen",
        *(f"afsluiting-stap{n:02d}-{s}" for n, s in enumerate(forms.rules.sections_for(GesprekSoort.AFSLUITING), 1)),
        *(f"stap{n:02d}-{s}" for n, s in enumerate(STEP_IDS, 1)),
    ]
    for name in expected:
        assert len([n for n in names if n.endswith(f"-{name}.png")]) == 1, (name, names)
    for path in paths:
        image = QImage(str(path))
        assert not image.isNull(), path.name
        if "stap" in path.name or "tijdlijn" in path.name or path.name.endswith("huishoudens.png"):
            assert (image.width(), image.height()) == (1366, 768), path.name
        assert not looks_blank(image), path.name
    assert looks_blank(QImage(str(paths[-1])).copy(0, 0, 4, 4))  # the check itself can say "blank"
