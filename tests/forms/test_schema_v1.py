"""A dossier finalised under schema 1 (before the trajectory) still loads and verifies.

The fixture ``tests/data/v1`` was made by the code of commit fbe9322 (schema 1): the
fictional demo family, finalised with its verslag (see ``meta.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import forms
from forms.migrate import load, upgrade

DATA = Path(__file__).resolve().parents[1] / "data" / "v1"


def _raw() -> dict:
    return json.loads((DATA / "dossier-v1-final.json").read_text(encoding="utf-8"))


def test_a_schema1_final_dossier_upgrades_and_keeps_its_hash():
    meta = json.loads((DATA / "meta.json").read_text())
    raw = _raw()
    assert raw["schema_version"] == 1
    dossier = load(raw)
    assert dossier.schema_version == forms.SCHEMA_VERSION
    assert dossier.gesprek.soort is forms.GesprekSoort.INTAKE
    assert dossier.definitief is not None and dossier.definitief.schema_version == 1
    assert dossier.definitief.sha256 == meta["sha256"]
    assert forms.verify(dossier)
    # and it stays verifiable through a save/load in the new shape
    again = forms.Dossier.model_validate_json(dossier.model_dump_json())
    assert forms.verify(again)


def test_a_change_to_an_upgraded_final_dossier_is_still_caught():
    dossier = load(_raw())
    dossier.hulpvraag.tekst = "Iets anders."
    assert not forms.verify(dossier)
    dossier = load(_raw())
    dossier.gesprek.plan_reden = "Een veld dat schema 1 niet kende."
    assert not forms.verify(dossier)


def test_upgrade_leaves_the_stored_dict_alone():
    raw = _raw()
    before = json.dumps(raw, sort_keys=True)
    upgrade(raw)
    assert json.dumps(raw, sort_keys=True) == before


def test_a_new_version_of_an_upgraded_dossier_is_finalised_in_the_current_schema():
    dossier = load(_raw())
    nxt = forms.new_version(dossier)
    assert nxt.vorige_versies[-1].sha256 == dossier.definitief.sha256
    assert nxt.vorige_versies[-1].soort is forms.GesprekSoort.INTAKE
