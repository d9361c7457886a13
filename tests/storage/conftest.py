"""Fixtures for the vault tests: real SQLCipher files in temporary folders, fictional data.

Every create/open runs SQLCipher's key derivation (~0.08 s here), so fixtures that only
read share one vault per module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import storage
from forms.demo import demo_dossier
from forms.models import Dossier

PASSPHRASE = "keukentafel-test-wachtwoord"


def no_sleep(seconds: float) -> None:
    """Injected instead of time.sleep: the growing delay must not slow the tests down."""


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "kluis.db"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[storage.Vault]:
    """A fresh, empty, open vault for one test."""
    v = storage.create_vault(vault_path, PASSPHRASE, user="test-coach")
    try:
        yield v
    finally:
        v.close()


@pytest.fixture(scope="module")
def demo() -> Dossier:
    return demo_dossier()


@pytest.fixture(scope="module")
def shared_vault(tmp_path_factory: pytest.TempPathFactory, demo: Dossier) -> Iterator[storage.Vault]:
    """One open vault per module holding the demo dossier; tests must not close it."""
    path = tmp_path_factory.mktemp("shared") / "kluis.db"
    v = storage.create_vault(path, PASSPHRASE, user="test-coach")
    v.save(demo)
    try:
        yield v
    finally:
        v.close()
