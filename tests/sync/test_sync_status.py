"""The desktop sync indicator: runs on the pool, vault calls on the vault thread, calm offline."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import storage
from forms.demo import demo_dossier
from sync import SyncEngine, ZGWClient, save_settings
from tests.sync.conftest import PASSPHRASE, settings_for
from tests.zgw_server import Fault, ZGWServer

pytest.importorskip("PySide6")

from desktop.sync_status import OFFLINE, SyncController, SyncStatusWidget, SyncView, describe
from desktop.tasks import TaskManager

WAIT_MS = 15_000


@pytest.fixture
def tasks(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def _open(qtbot: Any, tasks: TaskManager, path: Path) -> None:
    opened: list[bool] = []
    tasks.open_vault(lambda: storage.open_vault(path, PASSPHRASE), on_done=lambda _: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)


def _client_factory(timeout: float = 2.0) -> Any:
    return lambda settings: ZGWClient(settings, httpx.Client(timeout=httpx.Timeout(timeout, connect=1.0)))


def test_describe_is_calm() -> None:
    assert describe(SyncView())[0] == "Nog niet gekoppeld aan de gemeente"
    offline = describe(SyncView(configured=True, online=False, unsent=3))
    assert offline == (OFFLINE, "3 wijzigingen nog niet verstuurd")
    when = dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.UTC)
    state, details = describe(
        SyncView(configured=True, online=True, last_success=when, conflicts=1), now=when.astimezone()
    )
    assert state == "Online"
    assert details == f"laatst gesynchroniseerd {when.astimezone():%H:%M} · alles verstuurd · 1 dossier met een verschil om te kiezen"


def test_indicator_syncs_and_goes_offline_calmly(qtbot: Any, tasks: TaskManager, tmp_path: Path) -> None:
    path = tmp_path / "kluis.db"
    with ZGWServer() as server:
        with storage.create_vault(path, PASSPHRASE) as vault:
            save_settings(vault, settings_for(server))
            vault.save(demo_dossier())
        _open(qtbot, tasks, path)
        controller = SyncController(
            tasks, make_client=_client_factory(), make_engine=lambda v, c: SyncEngine(v, c, sleep=lambda s: None)
        )
        widget = SyncStatusWidget(controller)
        qtbot.addWidget(widget)
        reports: list[Any] = []
        controller.run_finished.connect(reports.append)
        controller.start()
        qtbot.waitUntil(lambda: not controller.running and controller.view.online is True, timeout=WAIT_MS)
        assert [r.pushed for r in reports] == [1]
        assert widget.state_label.text() == "Online"
        assert "laatst gesynchroniseerd" in widget.detail_label.text()
        assert "alles verstuurd" in widget.detail_label.text()
        assert len(server.requests("POST", r"/zaken$")) == 1

        # a local change, then the central system is gone
        done: list[Any] = []

        def edit(vault: Any) -> None:
            d = vault.load(vault.list_dossiers()[0].id)
            d.plan.perspectief = "Offline bijgewerkt"
            vault.save(d)

        tasks.run_db(edit, on_done=done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
        server.stop()
        widget.button.click()
        qtbot.waitUntil(lambda: not controller.running and controller.view.online is False, timeout=WAIT_MS)
        assert widget.state_label.text() == OFFLINE
        assert "1 wijziging nog niet verstuurd" in widget.detail_label.text()
        assert widget.button.isEnabled()
        controller.stop()


def test_vault_jobs_do_not_wait_for_a_whole_sync(qtbot: Any, tasks: TaskManager, tmp_path: Path) -> None:
    path = tmp_path / "kluis.db"
    with ZGWServer() as server:
        with storage.create_vault(path, PASSPHRASE) as vault:
            save_settings(vault, settings_for(server))
            vault.save(demo_dossier())
        _open(qtbot, tasks, path)
        server.faults.add(Fault.stall(0.3, times=None))  # a slow network: every request 0.3 s
        controller = SyncController(tasks, make_client=_client_factory())
        controller.sync_now()
        qtbot.waitUntil(lambda: len(server.request_log) >= 1, timeout=WAIT_MS)
        started = time.monotonic()
        saved: list[Any] = []
        tasks.run_db(lambda vault: vault.save(demo_dossier()), on_done=saved.append)
        qtbot.waitUntil(lambda: bool(saved), timeout=WAIT_MS)
        waited = time.monotonic() - started
        assert controller.running  # the sync is still going ...
        assert waited < 1.0  # ... and the save did not wait for it (a run takes > 2 s here)
        server.faults.clear()
        qtbot.waitUntil(lambda: not controller.running, timeout=30_000)
        assert controller.view.online is True and controller.view.problem == ""


def test_not_configured_and_rejected(qtbot: Any, tasks: TaskManager, tmp_path: Path) -> None:
    path = tmp_path / "kluis.db"
    storage.create_vault(path, PASSPHRASE).close()
    _open(qtbot, tasks, path)
    controller = SyncController(tasks)
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    controller.refresh()
    controller.sync_now()
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert widget.state_label.text() == "Nog niet gekoppeld aan de gemeente"
    assert not widget.button.isEnabled()

    with ZGWServer() as server:
        done: list[Any] = []
        bad = settings_for(server, secret="niet-het-goede-geheim-0123456789")
        tasks.run_db(lambda vault: save_settings(vault, bad), on_done=done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
        controller._make_client = _client_factory()
        controller.sync_now()
        qtbot.waitUntil(lambda: not controller.running and controller.view.configured, timeout=WAIT_MS)
        assert "geheim" in widget.state_label.text() and "instellingen" in widget.state_label.text()
