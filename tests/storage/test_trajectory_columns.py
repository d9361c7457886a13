"""Migration 4: where each household's trajectory stands (phase, next evaluation,
waakvlam) is a summary column written at save, listed without parsing JSON, computed for
an existing vault when it is opened (issue 13)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import uuid
from pathlib import Path

import storage
from forms import GesprekSoort, start_gesprek
from forms import trajectory as tr
from forms.demo import complete_demo_dossier, demo_trajectory
from forms.finalise import finalise
from storage.schema import MIGRATIONS

DATA = Path(__file__).resolve().parents[1] / "data" / "v1"
TODAY = dt.date(2026, 5, 20)


def _listing(vault: storage.Vault, dossier_id: uuid.UUID, today: dt.date = TODAY) -> storage.DossierListing:
    return next(entry for entry in vault.list_dossiers(today=today) if entry.id == dossier_id)


def test_the_caseload_lists_the_phase_and_the_next_evaluation(vault: storage.Vault) -> None:
    demo = demo_trajectory(TODAY)
    v1, v2 = demo.versions
    vault.save(v1)
    entry = _listing(vault, v1.id)
    assert (entry.fase, entry.volgende_evaluatie, entry.waakvlam) == ("lopend", v1.gesprek.volgende_evaluatie, None)
    assert entry.te_laat  # planned six weeks after the intake: two weeks ago
    assert not _listing(vault, v1.id, today=v1.gesprek.volgende_evaluatie).te_laat
    vault.save(v2)
    entry = _listing(vault, v2.id)
    assert (entry.fase, entry.volgende_evaluatie, entry.te_laat) == ("lopend", TODAY + dt.timedelta(weeks=4), False)
    vault.save(demo.current)
    entry = _listing(vault, v2.id)
    assert entry.fase == "evaluatie" == tr.Fase.EVALUATIE.value
    assert entry.volgende_evaluatie == tr.volgende_evaluatie(demo.current)


def test_a_closed_trajectory_lists_its_waakvlam(vault: storage.Vault) -> None:
    from forms.models import Afsluiting

    intake = complete_demo_dossier(TODAY - dt.timedelta(days=1))
    v1 = finalise(intake, now=dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(16), tzinfo=dt.UTC))
    closing = start_gesprek(v1, GesprekSoort.AFSLUITING, TODAY)
    closing.gesprek.afsluiting = Afsluiting(zelfstandig_verder=True, waakvlam=TODAY + dt.timedelta(days=60))
    closed = closing.model_copy(deep=True)
    # the afsluiting rules are the forms tests' business; a final hash is all storage needs
    from forms import Finalisation, content_hash

    closed.definitief = Finalisation(sha256=content_hash(closed), op=dt.datetime(2026, 5, 20, 16, tzinfo=dt.UTC))
    vault.save(closed)
    entry = _listing(vault, closed.id, today=TODAY + dt.timedelta(days=400))
    assert (entry.fase, entry.volgende_evaluatie, entry.waakvlam, entry.te_laat) == (
        "afgesloten",
        None,
        TODAY + dt.timedelta(days=60),
        False,
    )


def test_an_existing_vault_gets_the_columns_from_its_stored_json(vault_path: Path, passphrase: str) -> None:
    v1 = demo_trajectory(TODAY).versions[0]
    draft = complete_demo_dossier(TODAY)
    old = storage.create_vault(vault_path, passphrase, user="test-coach", migrations=MIGRATIONS[:3])
    try:
        old.save(v1)
        old.save(draft)
        assert old.schema_version() == 3
    finally:
        old.close()
    with storage.open_vault(vault_path, passphrase, user="test-coach") as vault:
        assert vault.schema_version() == len(MIGRATIONS) == 4
        final_entry, draft_entry = _listing(vault, v1.id), _listing(vault, draft.id)
        assert (final_entry.fase, final_entry.volgende_evaluatie, final_entry.te_laat) == (
            "lopend",
            v1.gesprek.volgende_evaluatie,
            True,
        )
        assert (draft_entry.fase, draft_entry.volgende_evaluatie) == ("intake", None)


def test_the_schema1_vault_migrates_lists_its_phase_and_continues(tmp_path: Path) -> None:
    meta = json.loads((DATA / "meta.json").read_text())
    for name in ("kluis.db", "kluis.db.salt"):
        shutil.copy(DATA / name, tmp_path / name)
    with storage.open_vault(tmp_path / "kluis.db", meta["passphrase"], user="test-coach") as vault:
        assert vault.schema_version() == len(MIGRATIONS)
        dossier_id = uuid.UUID(meta["dossier_id"])
        dossier = vault.load(dossier_id)
        held = dossier.gesprek.datum
        entry = _listing(vault, dossier_id, today=held)
        # finalised under schema 1 without a planned evaluation: the interval after the intake
        assert (entry.fase, entry.volgende_evaluatie, entry.te_laat) == ("lopend", held + dt.timedelta(days=91), False)
        assert _listing(vault, dossier_id, today=held + dt.timedelta(days=92)).te_laat
        line = tr.timeline(dossier)
        assert [(e.kind, e.titel) for e in line if e.kind == "gesprek"] == [("gesprek", "Intake")]
        nxt = start_gesprek(dossier, GesprekSoort.EVALUATIE, held + dt.timedelta(days=30))
        vault.save(nxt)
        entry = _listing(vault, dossier_id, today=held + dt.timedelta(days=30))
        assert (entry.fase, entry.versie) == ("evaluatie", 2)
        stored = vault.load_version(dossier_id, 1)
        assert hashlib.sha256(stored.pdf).hexdigest() == meta["pdf_sha256"]
        assert stored.sha256 == meta["sha256"]
        assert [r.sha256 for r in vault.load(dossier_id).vorige_versies] == [meta["sha256"]]


def test_a_stored_json_that_does_not_load_keeps_the_defaults(vault_path: Path, passphrase: str) -> None:
    v1 = demo_trajectory(TODAY).versions[0]
    broken = complete_demo_dossier(TODAY)
    old = storage.create_vault(vault_path, passphrase, user="test-coach", migrations=MIGRATIONS[:3])
    try:
        old.save(v1)
        old.save(broken)
        conn = old._conn
        assert conn is not None
        conn.execute("UPDATE dossier_json SET json = ? WHERE id = ?", ('{"schema_version": 99}', str(broken.id)))
    finally:
        old.close()
    with storage.open_vault(vault_path, passphrase, user="test-coach") as vault:
        assert vault.schema_version() == 4  # the migration ran, the one bad row did not stop it
        entries = {e.id: e for e in vault.list_dossiers(today=TODAY)}
        assert (entries[broken.id].fase, entries[broken.id].volgende_evaluatie) == ("intake", None)
        assert entries[v1.id].fase == "lopend"
