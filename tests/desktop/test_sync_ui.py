"""The sync in the application (issue 6): the indicator, "Nu synchroniseren", offline,
conflicts in the caseload and their dialog, and the lock.

Real temporary vaults; a real sync against the ZGW test server on 127.0.0.1. The
application's sync gets a short HTTP time-out and back-off (``sync_options``), nothing else
is replaced.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apphelpers import PASSPHRASE, WAIT_MS, create_through_dialog, unlock_through_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import storage
from desktop.conflicts_dialog import (
    CENTRAL_HEADING,
    KEEP_LOCAL,
    TAKE_CENTRAL,
    ConflictsDialog,
    describe_path,
    format_value,
)
from desktop.sync_status import OFFLINE, SyncView, describe
from forms.demo import demo_dossier
from forms.models import Dossier
from sync import SyncEngine, SyncSettings, ZGWClient, save_settings
from sync.keys import dossier_document_identificatie
from tests.sync.conftest import settings_for
from tests.zgw_server import Fault, ZGWServer

SYNC_WAIT_MS = 30_000
NOT_LINKED = describe(SyncView())[0]


def _client(settings: SyncSettings) -> ZGWClient:
    return ZGWClient(settings, httpx.Client(timeout=httpx.Timeout(2.0, connect=1.0)))


def fast(**overrides: Any) -> dict[str, Any]:
    """sync_options: a short time-out and back-off; no timer run during the test."""
    options: dict[str, Any] = {
        "make_client": _client,
        "engine": {"base_delay": 0.01, "max_delay": 0.05},
        "interval_ms": 3_600_000,
    }
    options.update(overrides)
    return options


def no_sleep(seconds: float) -> None:
    """Back-off without waiting (engines run by the test itself)."""


def indicator(app: Any) -> Any:
    widget = app.caseload.sync_indicator
    assert widget is not None
    return widget


def message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def run_db(qtbot: Any, app: Any, fn: Callable[[Any], Any]) -> Any:
    box: list[Any] = []
    errors: list[BaseException] = []
    app.tasks.run_db(fn, box.append, errors.append)
    qtbot.waitUntil(lambda: bool(box or errors), timeout=WAIT_MS)
    if errors:
        raise errors[0]
    return box[0]


def wait_for_run(qtbot: Any, app: Any, runs_before: int) -> Any:
    """Until a run that started after ``runs_before`` reports has finished; its report."""
    qtbot.waitUntil(lambda: len(app.test_reports) > runs_before and not app.sync.running, timeout=SYNC_WAIT_MS)
    return app.test_reports[-1]


def record_runs(app: Any) -> None:
    app.test_reports = []
    app.sync.run_finished.connect(app.test_reports.append)


def central_dossier(settings: SyncSettings, dossier_id: Any) -> Dossier:
    with _client(settings) as client:
        doc = client.find_document(dossier_document_identificatie(dossier_id))
        assert doc is not None
        return Dossier.model_validate_json(client.download(doc.url))


@pytest.fixture
def server() -> Iterator[ZGWServer]:
    with ZGWServer() as srv:
        yield srv


# --- pure parts ----------------------------------------------------------------------------------


def test_conflict_paths_read_as_dutch_labels() -> None:
    from desktop import formsapi

    dossier = demo_dossier()
    data = dossier.model_dump(mode="json")
    defs = formsapi.definitions()
    wonen = next(e for e in dossier.leefgebieden if e.domein == "wonen" and e.member_id is None)
    goal = dossier.plan.doelen[0]

    def label(path: str, **kwargs: Any) -> str:
        return describe_path(path, data, definitions=defs, **kwargs)

    assert label(f"leefgebieden/[{wonen.id}]/zorgen") == "Leefgebied Wonen (huishouden) – zorgen"
    assert label("plan/perspectief") == "Plan – gewenst perspectief"
    assert label(f"plan/doelen/[{goal.id}]/resultaat").startswith("Plan – Doel ‘")
    assert label("hulpvraag/tekst") == "Hulpvraag – tekst"
    # an item deleted here is named after the central copy
    gone = goal.model_dump(mode="json") | {"id": "00000000-0000-4000-8000-000000000000"}
    assert "Doel ‘" in label(f"plan/doelen/[{gone['id']}]", remote_value=gone)
    # nothing known: the path itself
    assert label("onbekend/veld") == "onbekend/veld"
    assert format_value("x", present=False) == "(verwijderd)"
    assert format_value(None) == format_value("") == "(leeg)"
    assert format_value(True) == "ja" and format_value("2026-03-02") == "02-03-2026"
    assert "omschrijving: " + goal.omschrijving in format_value(goal.model_dump(mode="json"))


# --- the indicator ------------------------------------------------------------------------------


def test_without_settings_the_indicator_says_not_linked_and_never_tries(qtbot: Any, make_app: Any) -> None:
    clients: list[Any] = []
    app = make_app(sync_options=fast(make_client=lambda s: clients.append(s) or _client(s)))
    create_through_dialog(qtbot, app)
    widget = indicator(app)
    qtbot.waitUntil(
        lambda: not app.sync.running and widget.state_label.text() == NOT_LINKED, timeout=SYNC_WAIT_MS
    )
    assert not widget.button.isEnabled()
    assert not app.sync.view.configured and app.sync.view.problem == ""
    app.sync.sync_now()  # say the timer fires: still nothing is tried
    qtbot.waitUntil(lambda: not app.sync.running, timeout=SYNC_WAIT_MS)
    assert widget.state_label.text() == NOT_LINKED
    assert clients == [] and message_boxes() == []


def test_import_then_nu_synchroniseren_sends_the_household_and_shows_the_time(
    qtbot: Any, make_app: Any, server: ZGWServer, tmp_path: Path
) -> None:
    app = make_app(sync_options=fast())
    record_runs(app)
    create_through_dialog(qtbot, app)
    dossier = demo_dossier()
    run_db(qtbot, app, lambda vault: vault.save(dossier))
    app.caseload.reload()
    widget = indicator(app)
    qtbot.waitUntil(lambda: widget.state_label.text() == NOT_LINKED, timeout=SYNC_WAIT_MS)
    assert server.requests() == []

    # importing the municipality's file through "Instellingen" starts a run at once
    settings = settings_for(server)
    path = tmp_path / "gemeente.json"
    path.write_text(json.dumps(settings.to_storable()), encoding="utf-8")
    dialog = app.caseload.open_settings()
    qtbot.waitUntil(lambda: dialog.is_loaded and not dialog.busy, timeout=WAIT_MS)
    runs = len(app.test_reports)
    dialog.import_sync_file(str(path))
    report = wait_for_run(qtbot, app, runs)
    assert report is not None and report.ok and report.pushed == 1
    assert len(server.requests("POST", r"/zaken$")) == 1
    assert central_dossier(settings, dossier.id) == dossier
    dialog.reject()

    # an edit, then "Nu synchroniseren"
    def edit(vault: Any) -> None:
        d = vault.load(dossier.id)
        d.plan.perspectief = "Bijgewerkt op de laptop"
        vault.save(d)

    run_db(qtbot, app, edit)
    app.sync.refresh()
    qtbot.waitUntil(lambda: "1 wijziging nog niet verstuurd" in widget.detail_label.text(), timeout=WAIT_MS)
    runs = len(app.test_reports)
    qtbot.mouseClick(widget.button, Qt.MouseButton.LeftButton)
    report = wait_for_run(qtbot, app, runs)
    assert report.ok and report.pushed == 1
    assert central_dossier(settings, dossier.id).plan.perspectief == "Bijgewerkt op de laptop"
    assert len(server.requests("POST", r"/zaken$")) == 1  # no second zaak
    assert widget.state_label.text() == "Online"
    assert "laatst gesynchroniseerd" in widget.detail_label.text()
    assert "alles verstuurd" in widget.detail_label.text()
    assert app.sync.view.unsent == 0 and app.sync.view.last_success is not None
    # and the caseload says so too
    qtbot.waitUntil(lambda: app.caseload.model.data(app.caseload.model.index(0, 5)) == "—", timeout=WAIT_MS)
    assert message_boxes() == [] and server.contract_violations == []


def test_no_connection_is_shown_calmly_never_as_a_dialog(
    qtbot: Any, make_app: Any, server: ZGWServer, vault_path: Path
) -> None:
    settings = settings_for(server)
    dossier = demo_dossier()
    with storage.create_vault(vault_path, PASSPHRASE) as vault:
        save_settings(vault, settings)
        vault.save(dossier)
    app = make_app(sync_options=fast())
    record_runs(app)
    unlock_through_dialog(qtbot, app)
    report = wait_for_run(qtbot, app, 0)  # the run after unlocking
    assert report.ok and report.pushed == 1
    widget = indicator(app)

    server.stop()  # the laptop leaves the wifi

    def edit(vault: Any) -> None:
        d = vault.load(dossier.id)
        d.hulpvraag.tekst = "Offline bijgewerkt"
        vault.save(d)

    run_db(qtbot, app, edit)
    runs = len(app.test_reports)
    widget.button.click()
    report = wait_for_run(qtbot, app, runs)
    assert not report.ok and report.kind == "unavailable"
    assert widget.state_label.text() == OFFLINE
    assert "1 wijziging nog niet verstuurd" in widget.detail_label.text()
    assert "laatst gesynchroniseerd" in widget.detail_label.text()  # the earlier success
    assert app.sync.view.problem == "" and app.sync.view.online is False
    assert widget.button.isEnabled()  # try again whenever
    assert message_boxes() == []
    assert app.caseload.isVisible() and app.is_unlocked


def test_a_pulled_change_shows_in_the_open_window_without_reopening(
    qtbot: Any, make_app: Any, server: ZGWServer, vault_path: Path, tmp_path: Path
) -> None:
    """The sync no longer leaves open dossiers alone (``hold`` is gone): a colleague's
    change is stored, the run names the dossier, and the open window shows it."""
    settings = settings_for(server)
    dossier = demo_dossier()
    with _client(settings) as client, storage.create_vault(vault_path, PASSPHRASE) as a:
        save_settings(a, settings)
        a.save(dossier)
        assert SyncEngine(a, client, sleep=no_sleep).run().pushed == 1
    app = make_app(sync_options=fast())
    record_runs(app)
    unlock_through_dialog(qtbot, app)
    wait_for_run(qtbot, app, 0)
    app.open_dossier(dossier.id, "hulpvraag")
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    ws = app.workspace
    page = ws.pages["hulpvraag"]
    assert page.perspectief_edit.toPlainText() == dossier.plan.perspectief

    # laptop B changes the perspective and sends it
    with _client(settings) as client, storage.create_vault(tmp_path / "laptop-b.db", PASSPHRASE) as b:
        assert SyncEngine(b, client, sleep=no_sleep).run().pulled == 1
        d = b.load(dossier.id)
        d.plan.perspectief = "Perspectief van een collega"
        b.save(d)
        assert SyncEngine(b, client, sleep=no_sleep).run().pushed == 1

    runs = len(app.test_reports)
    indicator(app).button.click()
    report = wait_for_run(qtbot, app, runs)
    assert report.ok and report.pulled == 1 and report.changed == [dossier.id]
    qtbot.waitUntil(lambda: ws.dossier.plan.perspectief == "Perspectief van een collega", timeout=WAIT_MS)
    assert app.workspace is ws  # the same window, not reopened
    qtbot.waitUntil(lambda: page.perspectief_edit.toPlainText() == "Perspectief van een collega", timeout=WAIT_MS)
    assert not ws.dirty and message_boxes() == []


def test_a_pulled_change_merges_with_an_unsaved_edit_in_the_open_window(
    qtbot: Any, make_app: Any, server: ZGWServer, vault_path: Path, tmp_path: Path
) -> None:
    """The window holds an edit not yet saved when a colleague's change of another field
    arrives: the window shows both, nothing is lost, and both reach the municipality."""
    settings = settings_for(server)
    dossier = demo_dossier()
    with _client(settings) as client, storage.create_vault(vault_path, PASSPHRASE) as a:
        save_settings(a, settings)
        a.save(dossier)
        assert SyncEngine(a, client, sleep=no_sleep).run().pushed == 1
    app = make_app(sync_options=fast())
    record_runs(app)
    unlock_through_dialog(qtbot, app)
    wait_for_run(qtbot, app, 0)
    app.open_dossier(dossier.id, "hulpvraag")
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    ws = app.workspace
    page = ws.pages["hulpvraag"]

    with _client(settings) as client, storage.create_vault(tmp_path / "laptop-b.db", PASSPHRASE) as b:
        assert SyncEngine(b, client, sleep=no_sleep).run().pulled == 1
        d = b.load(dossier.id)
        d.hulpvraag.tekst = "Hulpvraag volgens een collega"
        b.save(d)
        assert SyncEngine(b, client, sleep=no_sleep).run().pushed == 1

    page.perspectief_edit.setPlainText("Perspectief, net getypt")  # not saved yet
    assert ws.dossier.plan.perspectief == "Perspectief, net getypt"
    for _ in range(3):  # a save landing during the run leaves the merge to the next run
        runs = len(app.test_reports)
        indicator(app).button.click()
        report = wait_for_run(qtbot, app, runs)
        assert report.ok
        if dossier.id in report.changed:
            break
    qtbot.waitUntil(lambda: ws.dossier.hulpvraag.tekst == "Hulpvraag volgens een collega", timeout=WAIT_MS)
    assert page.hulpvraag_edit.toPlainText() == "Hulpvraag volgens een collega"
    assert page.perspectief_edit.toPlainText() == "Perspectief, net getypt"
    assert app.workspace is ws

    ws.flush()
    qtbot.waitUntil(lambda: not ws.dirty and not ws.saving, timeout=WAIT_MS)
    runs = len(app.test_reports)
    indicator(app).button.click()
    assert wait_for_run(qtbot, app, runs).ok
    central = central_dossier(settings, dossier.id)
    assert central.hulpvraag.tekst == "Hulpvraag volgens een collega"
    assert central.plan.perspectief == "Perspectief, net getypt"
    assert message_boxes() == [] and server.contract_violations == []


# --- conflicts --------------------------------------------------------------------------------------


def _conflict_between(server: ZGWServer, vault_path: Path, tmp_path: Path) -> tuple[Dossier, Any, SyncSettings]:
    """The app's vault (A) and another laptop (B) changed the same two fields offline;
    B synced first. A's next run (in the app) finds two conflicts."""
    settings = settings_for(server)
    dossier = demo_dossier()
    wonen = next(e for e in dossier.leefgebieden if e.domein == "wonen" and e.member_id is None)
    with (
        _client(settings) as client,
        storage.create_vault(vault_path, PASSPHRASE) as a,
        storage.create_vault(tmp_path / "laptop-b.db", PASSPHRASE) as b,
    ):
        for vault in (a, b):
            save_settings(vault, settings)
        a.save(dossier)
        assert SyncEngine(a, client, sleep=no_sleep).run().pushed == 1
        assert SyncEngine(b, client, sleep=no_sleep).run().pulled == 1
        for vault, side in ((a, "A"), (b, "B")):
            d = vault.load(dossier.id)
            d.plan.perspectief = f"Perspectief van laptop {side}"
            next(e for e in d.leefgebieden if e.id == wonen.id).zorgen = f"Zorgen volgens laptop {side}"
            vault.save(d)
        assert SyncEngine(b, client, sleep=no_sleep).run().pushed == 1
    return dossier, wonen, settings


def _row(dialog: ConflictsDialog, text: str) -> Any:
    [row] = [r for r in dialog.rows.values() if text in r.label]
    return row


def test_a_conflict_shows_in_the_caseload_and_is_resolved_through_the_dialog(
    qtbot: Any, make_app: Any, server: ZGWServer, vault_path: Path, tmp_path: Path
) -> None:
    dossier, wonen, settings = _conflict_between(server, vault_path, tmp_path)
    app = make_app(sync_options=fast())
    record_runs(app)
    unlock_through_dialog(qtbot, app)
    report = wait_for_run(qtbot, app, 0)
    assert report.conflicts == 1

    # the caseload marks it in words, and filters on it
    caseload = app.caseload
    qtbot.waitUntil(lambda: caseload.model.data(caseload.model.index(0, 6)) == "Conflict", timeout=WAIT_MS)
    assert caseload.model.data(caseload.model.index(0, 0)).endswith("(conflict)")
    caseload.only_conflict.setChecked(True)
    assert caseload.listing_ids() == [dossier.id]
    assert caseload.conflict_bar.isVisibleTo(caseload) and "conflict" in caseload.conflict_text.text()
    assert "1 dossier met een verschil" in indicator(app).detail_label.text()

    # "Conflicten oplossen…" from the caseload: choose the central value for the perspective
    caseload.conflicts_button.click()
    dialog = app.conflicts_dialog
    assert isinstance(dialog, ConflictsDialog)
    qtbot.waitUntil(lambda: len(dialog.rows) == 2 and not dialog.progress.isVisible(), timeout=WAIT_MS)
    perspectief = _row(dialog, "Plan – gewenst perspectief")
    zorgen = _row(dialog, "Leefgebied Wonen (huishouden) – zorgen")
    assert perspectief.local_value.text() == "Perspectief van laptop A"
    assert perspectief.central_value.text() == "Perspectief van laptop B"
    assert perspectief.central_value.accessibleName().startswith(CENTRAL_HEADING)
    assert (perspectief.keep_local.text(), perspectief.take_central.text()) == (KEEP_LOCAL, TAKE_CENTRAL)
    assert zorgen.local_value.text() == "Zorgen volgens laptop A"
    perspectief.take_central.click()
    qtbot.waitUntil(lambda: perspectief.done, timeout=WAIT_MS)
    # still on screen, with what was chosen: nothing disappears unseen
    assert perspectief.local_value.text() == "Perspectief van laptop A"
    assert "gemeente" in perspectief.outcome.text() and not perspectief.take_central.isVisibleTo(dialog)
    assert "Nog 1 verschil" in dialog.status.text()
    dialog.close_button.click()
    qtbot.waitUntil(lambda: app.conflicts_dialog is None, timeout=WAIT_MS)
    assert caseload.model.data(caseload.model.index(0, 6)) == "Conflict"  # one left

    # opening the household shows the workspace with its banner, and the dialog again
    caseload.open_button.click()
    qtbot.waitUntil(lambda: app.workspace is not None and app.conflicts_dialog is not None, timeout=WAIT_MS)
    ws, dialog = app.workspace, app.conflicts_dialog
    assert ws.dossier.plan.perspectief == "Perspectief van laptop B"  # the choice made above
    assert ws.conflict_banner.isVisibleTo(ws) and ws.conflict_button.isVisibleTo(ws)
    assert dialog.parent() is ws
    qtbot.waitUntil(lambda: len(dialog.rows) == 1 and not dialog.progress.isVisible(), timeout=WAIT_MS)
    zorgen = _row(dialog, "Leefgebied Wonen (huishouden) – zorgen")
    zorgen.keep_local.click()
    qtbot.waitUntil(lambda: zorgen.done, timeout=WAIT_MS)
    assert "Alle verschillen zijn opgelost" in dialog.status.text()
    # the workspace reloaded, its banner and the caseload's flag cleared
    assert not ws.conflict_banner.isVisibleTo(ws)
    assert next(e for e in ws.dossier.leefgebieden if e.id == wonen.id).zorgen == "Zorgen volgens laptop A"
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 0, timeout=WAIT_MS)  # "met conflict": none left
    caseload.only_conflict.setChecked(False)
    assert caseload.model.data(caseload.model.index(0, 6)) == "—"
    assert run_db(qtbot, app, lambda vault: vault.conflicts(dossier.id)) == []
    dialog.close_button.click()

    assert dossier.id in app.open_dossier_ids()

    # the choices reach the municipality on the next run
    ws.close()
    qtbot.waitUntil(lambda: app.registry.get(f"dossier:{dossier.id}") is None, timeout=WAIT_MS)
    assert dossier.id not in app.open_dossier_ids()  # closed: deleted
    runs = len(app.test_reports)
    indicator(app).button.click()
    report = wait_for_run(qtbot, app, runs)
    assert report.ok and report.pushed == 1 and report.conflicts == 0
    central = central_dossier(settings, dossier.id)
    assert central.plan.perspectief == "Perspectief van laptop B"
    assert next(e for e in central.leefgebieden if e.id == wonen.id).zorgen == "Zorgen volgens laptop A"
    assert message_boxes() == [] and server.contract_violations == []


# --- the lock ---------------------------------------------------------------------------------------


def test_locking_stops_the_sync_and_the_window_never_waits_for_it(
    qtbot: Any, make_app: Any, server: ZGWServer, vault_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with storage.create_vault(vault_path, PASSPHRASE) as vault:
        save_settings(vault, settings_for(server))
        for _ in range(3):
            vault.save(demo_dossier())
    server.faults.add(Fault.stall(0.3, times=None))  # a slow network: every request 0.3 s
    app = make_app(sync_options=fast(interval_ms=200))  # and the timer would run again and again
    caplog.set_level(logging.WARNING, logger="keukentafel.tasks")
    unlock_through_dialog(qtbot, app)
    qtbot.waitUntil(lambda: len(server.requests()) >= 2 and app.sync.running, timeout=SYNC_WAIT_MS)
    # the window stays responsive meanwhile (the watchdog logs any block over 200 ms)
    qtbot.wait(500)
    assert not [r for r in caplog.records if "geblokkeerd" in r.getMessage()]

    app.lock()
    assert not app.is_unlocked
    qtbot.waitUntil(lambda: not app.sync.running, timeout=SYNC_WAIT_MS)  # ended at its next vault call
    settled = len(server.requests())
    qtbot.wait(1000)  # five timer intervals: no new run starts while locked
    assert len(server.requests()) == settled
    assert not app.tasks.vault_open and message_boxes() == []
    assert app.caseload is None

    # unlocking starts it again
    server.faults.clear()
    unlock_through_dialog(qtbot, app)
    qtbot.waitUntil(lambda: len(server.requests()) > settled, timeout=SYNC_WAIT_MS)


# --- fits 1366×768 at 200 % ---------------------------------------------------------------------


def test_indicator_conflict_bar_and_dialog_fit_200_percent_and_are_named(
    qtbot: Any, make_app: Any, server: ZGWServer, vault_path: Path, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel

    _conflict_between(server, vault_path, tmp_path)
    app = make_app(sync_options=fast())
    record_runs(app)
    unlock_through_dialog(qtbot, app)
    wait_for_run(qtbot, app, 0)
    caseload = app.caseload
    qtbot.waitUntil(lambda: caseload.conflict_bar.isVisibleTo(caseload), timeout=WAIT_MS)
    caseload.resize(683, 384)
    QApplication.processEvents()
    hint = caseload.minimumSizeHint()
    assert hint.width() <= 683 and hint.height() <= 384, hint.toTuple()
    texts = [w.text() for w in caseload.findChildren(QAbstractButton) if w.isVisibleTo(caseload)]
    texts += [w.text() for w in caseload.findChildren(QLabel) if w.buddy() is not None]
    keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
    assert len(keys) == len(set(keys)), sorted(keys)
    assert caseload.only_conflict.accessibleName() and isinstance(caseload.only_conflict, QCheckBox)

    caseload.open_button.click()
    qtbot.waitUntil(lambda: app.conflicts_dialog is not None and app.workspace is not None, timeout=WAIT_MS)
    dialog, ws = app.conflicts_dialog, app.workspace
    qtbot.waitUntil(lambda: len(dialog.rows) == 2, timeout=WAIT_MS)
    for window in (dialog, ws):
        window.resize(683, 384)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= 683 and hint.height() <= 384, (window.objectName(), hint.toTuple())
    for row in dialog.rows.values():
        for button in (row.keep_local, row.take_central):
            assert button.accessibleName().endswith(row.label)  # which conflict, for a screen reader
    dialog.reject()


def test_a_refused_household_waits_in_the_caseload_and_nu_synchroniseren_tries_it_again(
    qtbot: Any, make_app: Any, server: ZGWServer, vault_path: Path
) -> None:
    """Issue 10: one refusal skips one household; the caseload says which one waits and why;
    only "Nu synchroniseren" (or a change) tries it again."""
    import forms
    from forms.demo import complete_demo_dossier
    from forms.verslag import build_pdf
    from tests.sync.conftest import store_final
    from tests.zgw_server.scopes import DOCUMENTED_SCOPES

    server.config.scopes["keukentafel"] = DOCUMENTED_SCOPES - {"zaken.statussen.toevoegen"}
    settings = settings_for(server)
    final = forms.finalise(complete_demo_dossier())
    other = demo_dossier()
    with storage.create_vault(vault_path, PASSPHRASE) as vault:
        save_settings(vault, settings)
        store_final(vault, final, build_pdf(final))  # its second status is refused
        vault.save(other)
    app = make_app(sync_options=fast())
    record_runs(app)
    unlock_through_dialog(qtbot, app)
    report = wait_for_run(qtbot, app, 0)
    assert (report.pushed, report.skipped) == (1, 1)
    widget = indicator(app)
    assert "zaken.statussen.toevoegen" in widget.state_label.text()
    assert "client-id" not in widget.state_label.text()
    qtbot.waitUntil(lambda: "1 dossier wacht op de gemeente" in widget.detail_label.text(), timeout=WAIT_MS)

    def column5(dossier_id: Any, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
        model = app.caseload.model
        for row in range(model.rowCount()):
            if app.caseload.listing_ids()[row] == dossier_id:
                return model.data(model.index(row, 5), role)
        return None

    qtbot.waitUntil(lambda: column5(final.id) == "wacht", timeout=WAIT_MS)
    assert "zaken.statussen.toevoegen" in column5(final.id, Qt.ItemDataRole.ToolTipRole)
    assert column5(final.id, Qt.ItemDataRole.AccessibleTextRole).startswith("Wacht op de gemeente")
    assert column5(other.id) == "—"

    # the timer's runs leave it alone; the beheerder adds the scope; "Nu synchroniseren"
    runs = len(app.test_reports)
    app.sync.sync_now()
    assert wait_for_run(qtbot, app, runs).waiting == 1
    server.config.scopes["keukentafel"] = DOCUMENTED_SCOPES
    runs = len(app.test_reports)
    widget.button.click()
    report = wait_for_run(qtbot, app, runs)
    assert report.ok and report.pushed == 1
    qtbot.waitUntil(lambda: column5(final.id) == "—", timeout=WAIT_MS)
    assert "wacht" not in widget.detail_label.text()
    assert message_boxes() == [] and server.contract_violations == []
