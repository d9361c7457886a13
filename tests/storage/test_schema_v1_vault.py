"""A vault written by the schema-1 application (commit fbe9322, see tests/data/v1/meta.json)
opens, its finalised dossier loads in the current shape, and its stored verslag is
byte-identical afterwards, also after the dossier is saved again."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path

import forms
import storage

DATA = Path(__file__).resolve().parents[1] / "data" / "v1"


def test_a_schema1_vault_opens_and_keeps_its_verslag(tmp_path):
    meta = json.loads((DATA / "meta.json").read_text())
    for name in ("kluis.db", "kluis.db.salt"):
        shutil.copy(DATA / name, tmp_path / name)
    vault = storage.open_vault(tmp_path / "kluis.db", meta["passphrase"])
    try:
        dossier_id = uuid.UUID(meta["dossier_id"])
        dossier = vault.load(dossier_id)
        assert dossier.schema_version == forms.SCHEMA_VERSION
        assert dossier.definitief is not None and dossier.definitief.sha256 == meta["sha256"]
        assert forms.verify(dossier)
        stored = vault.load_version(dossier_id, 1)
        assert stored.sha256 == meta["sha256"]
        assert hashlib.sha256(stored.pdf).hexdigest() == meta["pdf_sha256"]
        old = forms.migrate.load(json.loads(stored.dossier_json))
        assert forms.verify(old)
        # saving it in the new shape and starting the next gesprek leaves the version alone
        vault.save(dossier)
        vault.save(forms.new_version(dossier))
        again = vault.load_version(dossier_id, 1)
        assert hashlib.sha256(again.pdf).hexdigest() == meta["pdf_sha256"]
        assert again.dossier_json == stored.dossier_json
        assert [entry.titel for entry in vault.list_dossiers()] == [dossier.titel]
    finally:
        vault.close()
