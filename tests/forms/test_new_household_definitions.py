"""A municipality's own life-domain set reaches new households (issue 11).

The set a dossier is made with is recorded in it (``leefgebieden_set``); a new household
gets the configured set's newest version, an existing dossier keeps its own.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import storage
from forms import Address, DefinitionRef, Dossier, Household, Member, Role
from forms.definitions import SHIPPED_FOLDER, clear_cache, default_definitions

BASIS = DefinitionRef(id="leefgebieden-basis", version=1)


def household() -> Household:
    return Household(
        adres=Address(huisnummer="3", postcode="1781 AB", plaats="Den Helder"),
        leden=[Member(voornaam="Fatima", achternaam="Jansen", geboortedatum=dt.date(1985, 3, 1), rol=Role.OUDER)],
    )


@pytest.fixture
def municipal_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary definitions folder with two versions of a municipality's own set."""
    raw = json.loads((SHIPPED_FOLDER / "leefgebieden-basis.v1.json").read_text(encoding="utf-8"))
    raw["id"] = "leefgebieden-gemeente"
    raw["naam"] = "Leefgebieden (gemeente)"
    (tmp_path / "gemeente.v1.json").write_text(json.dumps(raw), encoding="utf-8")
    raw["version"] = 2
    raw["domeinen"] = raw["domeinen"][:4]
    (tmp_path / "gemeente.v2.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("KEUKENTAFEL_DEFINITIES", str(tmp_path))
    clear_cache()
    return tmp_path


def test_without_a_municipal_folder_a_new_household_gets_the_shipped_set() -> None:
    assert Dossier(huishouden=household()).leefgebieden_set == BASIS


def test_a_new_household_gets_the_municipal_sets_newest_version(municipal_folder: Path) -> None:
    newest = DefinitionRef(id="leefgebieden-gemeente", version=2)
    assert default_definitions().current_refs().leefgebieden == newest
    dossier = Dossier(huishouden=household())
    assert dossier.leefgebieden_set == newest
    assert len(default_definitions().domain_set(dossier.leefgebieden_set).domeinen) == 4


def test_an_existing_dossier_keeps_the_set_it_was_made_with(municipal_folder: Path, tmp_path: Path) -> None:
    old = Dossier(huishouden=household(), leefgebieden_set=BASIS)
    older = Dossier(huishouden=household(), leefgebieden_set=DefinitionRef(id="leefgebieden-gemeente", version=1))
    assert Dossier.model_validate_json(old.model_dump_json()).leefgebieden_set == BASIS
    path = tmp_path / "kluis" / "kluis.db"
    with storage.create_vault(path, "keukentafel-test-wachtwoord") as vault:
        vault.save(old)
        vault.save(older)
        assert vault.load(old.id).leefgebieden_set == BASIS
        assert vault.load(older.id).leefgebieden_set == DefinitionRef(id="leefgebieden-gemeente", version=1)
