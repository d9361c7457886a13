"""A vault written by the schema-1 application (tests/data/v1): its intake was finalised
before the upgrade and never synced; the wijkcoach starts an evaluatie, then syncs. The
intake's stored verslag (a schema-1 version) goes to the zaak as its own document,
byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path

import forms
import storage
from desktop.finalising import verify_stored_version
from sync import ZGWClient
from tests.sync.conftest import make_engine
from tests.zgw_server import ZGWServer

DATA = Path(__file__).resolve().parents[1] / "data" / "v1"
META = json.loads((DATA / "meta.json").read_text(encoding="utf-8"))


def test_the_schema1_intake_verslag_is_sent_after_an_evaluatie_started(
    tmp_path: Path, server: ZGWServer, client: ZGWClient
) -> None:
    for name in ("kluis.db", "kluis.db.salt"):
        shutil.copy(DATA / name, tmp_path / name)
    vault = storage.open_vault(tmp_path / "kluis.db", META["passphrase"], user="test-coach")
    try:
        dossier_id = uuid.UUID(META["dossier_id"])
        assert verify_stored_version(vault, dossier_id, 1)  # the schema-1 version, upgraded on read
        intake = vault.load(dossier_id)
        vault.save(forms.start_gesprek(intake, forms.GesprekSoort.EVALUATIE))
        assert make_engine(vault, client).run().ok
        zaak = next(z for z in client.list_my_zaken())
        contents = [client.download(d.url) for d in client.list_documents()]
        assert any(hashlib.sha256(c).hexdigest() == META["pdf_sha256"] for c in contents), zaak.identificatie
    finally:
        vault.close()
