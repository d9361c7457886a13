"""Fixtures for the desktop tests: the step pages on the demo dossier, the application on a
temporary vault.

The vault is real (SQLCipher); key derivation and saves run on the application's
vault thread, so tests wait with ``qtbot.waitUntil``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def _ui_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Remembered window sizes go to a temporary file, never the user's settings."""
    import os

    path = tmp_path_factory.mktemp("ui") / "venster.ini"
    old = os.environ.get("KEUKENTAFEL_UI_SETTINGS")
    os.environ["KEUKENTAFEL_UI_SETTINGS"] = str(path)
    yield
    if old is None:
        os.environ.pop("KEUKENTAFEL_UI_SETTINGS", None)
    else:
        os.environ["KEUKENTAFEL_UI_SETTINGS"] = old


# --- the step pages on the demo dossier (no vault) -------------------------------------------


@pytest.fixture(scope="module")
def definitions() -> Any:
    from forms.definitions import default_definitions

    return default_definitions()


@pytest.fixture
def context(definitions: Any) -> Any:
    from desktop.steps.base import StepContext

    return StepContext(definitions=definitions)


@pytest.fixture
def dossier() -> Any:
    """The demo household, fresh for each test (pages edit it in place)."""
    from forms.demo import demo_dossier

    return demo_dossier()


# --- the application on a vault ------------------------------------------------------------


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "kluis.db"
    monkeypatch.setenv("KEUKENTAFEL_VAULT", str(path))
    return path


@pytest.fixture
def make_app(qtbot: Any, vault_path: Path) -> Iterator[Callable[..., Any]]:
    """Start a KeukentafelApp (not yet unlocked); shut down cleanly afterwards."""
    from desktop.app import KeukentafelApp

    apps: list[Any] = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("idle_minutes", 5)
        app = KeukentafelApp(kwargs.pop("path", vault_path), **kwargs)
        apps.append(app)
        app.start()
        return app

    yield make
    for app in apps:
        app.shutdown()


@pytest.fixture
def tasks(qtbot: Any) -> Iterator[Any]:
    """A TaskManager without a vault (pool work only: PDFs, printing); shut down afterwards."""
    from desktop.tasks import TaskManager

    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def vault_tasks(qtbot: Any, vault_path: Path) -> Iterator[Any]:
    """A TaskManager whose vault thread holds a fresh vault at ``vault_path``."""
    from apphelpers import PASSPHRASE, WAIT_MS

    import storage
    from desktop.tasks import TaskManager

    tasks = TaskManager()
    opened: list[bool] = []
    tasks.open_vault(lambda: storage.create_vault(vault_path, PASSPHRASE), lambda _: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    yield tasks
    tasks.shutdown()


@pytest.fixture
def open_workspace(qtbot: Any, vault_tasks: Any) -> Callable[..., Any]:
    """Save a dossier in the vault and open a workspace on it (no app around it)."""
    from apphelpers import WAIT_MS

    from desktop.workspace import WorkspaceWindow

    def make(dossier: Any, **kwargs: Any) -> Any:
        done: list[Any] = []
        copy = dossier.model_copy(deep=True)
        vault_tasks.run_db(lambda v: v.save(copy), done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
        window = WorkspaceWindow(vault_tasks, dossier, **kwargs)
        qtbot.addWidget(window)
        window.show()
        return window

    return make
