"""Schema migrations: a version table, one transaction per step, never a downgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

import storage
from forms.demo import demo_dossier
from storage.schema import APPLICATION_ID, MIGRATIONS, Migration, migrate, sql

# The next version after the current schema, whatever that is.
LATEST = len(MIGRATIONS)
V2 = Migration(
    LATEST + 1,
    "test: a notes table and a column",
    sql(
        "CREATE TABLE notes (dossier_id TEXT NOT NULL, tekst TEXT NOT NULL)",
        "ALTER TABLE dossiers ADD COLUMN gemeente TEXT NOT NULL DEFAULT ''",
        "UPDATE dossiers SET gemeente = 'Den Helder'",
    ),
)


def _tables(vault: storage.Vault) -> set[str]:
    rows = vault._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")  # type: ignore[union-attr]
    return {r[0] for r in rows}


def _history(vault: storage.Vault) -> list[tuple[int, str]]:
    rows = vault._conn.execute("SELECT version, name FROM schema_migrations ORDER BY version")  # type: ignore[union-attr]
    return [tuple(r) for r in rows]


def test_a_new_vault_is_at_the_latest_version(vault: storage.Vault) -> None:
    assert vault.schema_version() == len(MIGRATIONS)
    assert _history(vault) == [(m.version, m.name) for m in MIGRATIONS]
    app_id = vault._conn.execute("PRAGMA application_id").fetchone()[0]  # type: ignore[union-attr]
    assert app_id == APPLICATION_ID
    assert {"dossiers", "dossier_json", "audit", "change_queue", "settings", "versions"} <= _tables(vault)


def test_an_older_vault_is_migrated_and_reopening_is_idempotent(vault_path: Path, passphrase: str) -> None:
    dossier = demo_dossier()
    with storage.create_vault(vault_path, passphrase, migrations=MIGRATIONS) as vault:
        vault.save(dossier)
        assert vault.schema_version() == LATEST
    with storage.open_vault(vault_path, passphrase, migrations=(*MIGRATIONS, V2)) as vault:
        assert vault.schema_version() == V2.version
        assert _history(vault)[-1] == (V2.version, V2.name)
        assert "notes" in _tables(vault)
        gemeente = vault._conn.execute("SELECT gemeente FROM dossiers").fetchone()[0]  # type: ignore[union-attr]
        assert gemeente == "Den Helder"
        assert vault.load(dossier.id) == dossier  # data survives the migration
        vault.save(dossier)  # and the vault keeps working
    with storage.open_vault(vault_path, passphrase, migrations=(*MIGRATIONS, V2)) as vault:
        assert vault.schema_version() == V2.version
        assert len(_history(vault)) == V2.version  # nothing ran twice


def test_a_failing_migration_leaves_the_previous_version(vault_path: Path, passphrase: str) -> None:
    def half_then_fail(conn: sqlcipher3.Connection) -> None:
        conn.execute("CREATE TABLE half (x)")
        conn.execute("DELETE FROM settings")
        raise RuntimeError("migration bug")

    with storage.create_vault(vault_path, passphrase) as vault:
        vault.set_setting("blijft", True)
    with pytest.raises(RuntimeError):
        storage.open_vault(vault_path, passphrase, migrations=(*MIGRATIONS, Migration(LATEST + 1, "broken", half_then_fail)))
    with storage.open_vault(vault_path, passphrase) as vault:
        assert vault.schema_version() == LATEST
        assert "half" not in _tables(vault)
        assert vault.get_setting("blijft") is True
        assert vault.integrity_check()


def test_a_newer_vault_is_refused(vault_path: Path, passphrase: str) -> None:
    storage.create_vault(vault_path, passphrase, migrations=(*MIGRATIONS, V2)).close()
    with pytest.raises(storage.VaultTooNew) as info:
        storage.open_vault(vault_path, passphrase)
    assert "nieuwere versie" in info.value.melding


def test_migrations_must_be_numbered_without_gaps() -> None:
    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    with pytest.raises(ValueError):
        migrate(conn, (*MIGRATIONS, Migration(LATEST + 2, "gap", sql("SELECT 1"))))
    conn.close()
