"""The "Nieuw huishouden" dialog makes the dossier with the municipality's own life-domain set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop import formsapi
from desktop.newhousehold import NewHouseholdDialog
from forms import DefinitionRef
from forms.definitions import SHIPPED_FOLDER, clear_cache


@pytest.fixture(autouse=True)
def _fresh_definitions() -> Any:
    """The desktop loads the definitions once per process: forget them around each test."""
    clear_cache()
    formsapi.definitions.cache_clear()
    yield
    clear_cache()
    formsapi.definitions.cache_clear()


def _fill(qtbot: Any, dialog: NewHouseholdDialog) -> None:
    qtbot.keyClicks(dialog.huisnummer, "3a")
    qtbot.keyClicks(dialog.postcode, "1781ab")
    qtbot.keyClicks(dialog.plaats, "Den Helder")
    qtbot.keyClicks(dialog.voornaam, "Fatima")
    qtbot.keyClicks(dialog.achternaam, "Jansen")


def test_the_new_household_dialog_uses_the_municipal_set(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = json.loads((SHIPPED_FOLDER / "leefgebieden-basis.v1.json").read_text(encoding="utf-8"))
    raw["id"] = "leefgebieden-gemeente"
    for version in (1, 3):
        raw["version"] = version
        (tmp_path / f"gemeente.v{version}.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("KEUKENTAFEL_DEFINITIES", str(tmp_path))
    dialog = NewHouseholdDialog()
    qtbot.addWidget(dialog)
    _fill(qtbot, dialog)
    made: list[Any] = []
    dialog.created.connect(made.append)
    dialog.buttons.accepted.emit()
    assert made and made[0].leefgebieden_set == DefinitionRef(id="leefgebieden-gemeente", version=3)


def test_a_broken_definitions_folder_is_said_in_dutch(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kapot.json").write_text("{ dit is geen json", encoding="utf-8")
    monkeypatch.setenv("KEUKENTAFEL_DEFINITIES", str(tmp_path))
    dialog = NewHouseholdDialog()
    qtbot.addWidget(dialog)
    _fill(qtbot, dialog)
    made: list[Any] = []
    dialog.created.connect(made.append)
    dialog.buttons.accepted.emit()
    assert not made
    assert "kapot.json" in dialog.message.text() and "functioneel beheerder" in dialog.message.text()
