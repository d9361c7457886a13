"""Shared fixtures for the forms tests."""

from __future__ import annotations

import pytest

from forms.definitions import clear_cache, shipped_definitions


@pytest.fixture
def defs():
    """The shipped definitions only, whatever $KEUKENTAFEL_DEFINITIES says."""
    return shipped_definitions()


@pytest.fixture(autouse=True)
def _no_env_definitions(monkeypatch):
    monkeypatch.delenv("KEUKENTAFEL_DEFINITIES", raising=False)
    yield
    clear_cache()
