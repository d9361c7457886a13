"""The vault's schema as an ordered list of migrations, and the runner that applies them.

Rules for migrations:

- versions are 1, 2, 3, … without gaps; a released migration is never edited, only
  followed by a new one;
- each migration runs in ONE transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), together
  with its row in ``schema_migrations`` and ``PRAGMA user_version``; SQLite's DDL is
  transactional, so a failing migration leaves the vault exactly at the previous version;
- statements are executed one by one with ``execute`` (never ``executescript``, which
  would commit half-way);
- a vault with a higher version than this code knows is refused (:class:`VaultTooNew`),
  never "downgraded".

``PRAGMA user_version`` is the authoritative version (it lives in the encrypted header
page); ``schema_migrations`` is the human-readable history of when each step ran.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlcipher3

from .errors import VaultCorrupt, VaultTooNew

__all__ = ["APPLICATION_ID", "Migration", "MIGRATIONS", "sql", "migrate", "schema_version"]

#: ``PRAGMA application_id`` of a Keukentafel vault: "KTKL" as a big-endian int32.
APPLICATION_ID = int.from_bytes(b"KTKL", "big")

Apply = Callable[[sqlcipher3.Connection], None]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str  # short English description, shown in schema_migrations
    apply: Apply


def sql(*statements: str) -> Apply:
    """A migration step made of plain SQL statements, run in order."""

    def run(conn: sqlcipher3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return run


_V1 = sql(
    f"PRAGMA application_id = {APPLICATION_ID}",
    # One row per dossier with the caseload columns, derived by forms.summary.summarise
    # at save time, so the list view never parses JSON. The JSON itself lives in a side
    # table: an 11 KiB row would take a whole page (plus overflow pages) per dossier, and
    # listing 500 dossiers would then read and decrypt 500 pages instead of ~25.
    """
    CREATE TABLE dossiers (
        id            TEXT PRIMARY KEY,          -- UUID, canonical lower-case text
        versie        INTEGER NOT NULL,
        sha256        TEXT NOT NULL,             -- of the JSON (UTF-8)
        titel         TEXT NOT NULL,
        adres         TEXT NOT NULL,
        postcode      TEXT NOT NULL,
        gesprek_datum TEXT NOT NULL,             -- ISO date
        status        TEXT NOT NULL,             -- forms.summary.GesprekStatus value
        blokkerend    INTEGER NOT NULL,
        aangemaakt    TEXT NOT NULL,             -- ISO datetime, UTC
        gewijzigd     TEXT NOT NULL,             -- ISO datetime, UTC, of the last save
        conflict      INTEGER NOT NULL DEFAULT 0 -- set by the sync (issue 6)
    )
    """,
    "CREATE INDEX dossiers_gewijzigd ON dossiers (gewijzigd DESC, id)",
    """
    CREATE TABLE dossier_json (
        id   TEXT PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,
        json TEXT NOT NULL                       -- Dossier.model_dump_json()
    )
    """,
    # Who did what, when, to which dossier. Never content. Append-only.
    """
    CREATE TABLE audit (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        at         TEXT NOT NULL,                -- ISO datetime, UTC
        who        TEXT NOT NULL,
        action     TEXT NOT NULL,
        dossier_id TEXT,
        detail     TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX audit_dossier ON audit (dossier_id, seq)",
    """
    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
    """,
    """
    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
    """,
    # Every save enqueues one change for the sync; sent ones keep their row (sent_at).
    """
    CREATE TABLE change_queue (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,    -- uuid4, sent as the request's key
        dossier_id      TEXT NOT NULL,
        dossier_versie  INTEGER NOT NULL,
        created         TEXT NOT NULL,           -- ISO datetime, UTC
        payload_sha256  TEXT NOT NULL,           -- sha256 of the dossier JSON saved
        sent_at         TEXT                     -- NULL while pending
    )
    """,
    "CREATE INDEX change_queue_pending ON change_queue (dossier_id) WHERE sent_at IS NULL",
    # Settings (sync endpoint and secret, idle timeout, …) as JSON values.
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Finalised snapshots: immutable once stored.
    """
    CREATE TABLE versions (
        dossier_id   TEXT NOT NULL,
        versie       INTEGER NOT NULL,
        sha256       TEXT NOT NULL,
        created      TEXT NOT NULL,              -- ISO datetime, UTC
        dossier_json TEXT NOT NULL,
        pdf          BLOB,
        PRIMARY KEY (dossier_id, versie)
    )
    """,
    """
    CREATE TRIGGER versions_immutable_update BEFORE UPDATE ON versions
    BEGIN SELECT RAISE(ABORT, 'immutable: a finalised version cannot be changed'); END
    """,
    """
    CREATE TRIGGER versions_immutable_delete BEFORE DELETE ON versions
    BEGIN SELECT RAISE(ABORT, 'immutable: a finalised version cannot be deleted'); END
    """,
)


def _v2(conn: sqlcipher3.Connection) -> None:
    # The sync's memory per dossier and its last run (issue 6); see storage.syncstate.
    from .syncstate import apply_migration

    apply_migration(conn)


# The field-level audit trail (issue 12): which fields a save changed, as paths, one row
# per path, under the save's audit entry. Never a value: forms.history.audit_paths lets only
# field names, definition ids and item UUIDs through. Append-only, like the audit log.
_V3 = sql(
    """
    CREATE TABLE audit_paths (
        seq  INTEGER NOT NULL REFERENCES audit (seq),
        n    INTEGER NOT NULL,                   -- 0, 1, ...: document order within the save
        path TEXT NOT NULL,                      -- forms.paths.path_text, e.g. plan/doelen/[<uuid>]/omschrijving
        PRIMARY KEY (seq, n)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER audit_paths_append_only_update BEFORE UPDATE ON audit_paths
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
    """,
    """
    CREATE TRIGGER audit_paths_append_only_delete BEFORE DELETE ON audit_paths
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
    """,
)


def _v4(conn: sqlcipher3.Connection) -> None:
    """Where each household's trajectory stands (issue 13), for the caseload: the phase,
    the next evaluation and the waakvlam as summary columns, written at every save
    (storage.rows.write_dossier). An existing vault gets them computed from each stored
    dossier's JSON (upgraded to the current schema as a load would); a JSON that does not
    load keeps the defaults (phase 'intake', no dates) and is written right at its next save."""
    for statement in (
        "ALTER TABLE dossiers ADD COLUMN fase TEXT NOT NULL DEFAULT 'intake'",  # forms.trajectory.Fase
        "ALTER TABLE dossiers ADD COLUMN volgende_evaluatie TEXT",  # ISO date or NULL
        "ALTER TABLE dossiers ADD COLUMN waakvlam TEXT",  # ISO date or NULL
        "CREATE INDEX dossiers_volgende_evaluatie ON dossiers (volgende_evaluatie)",
    ):
        conn.execute(statement)
    _backfill_trajectory(conn)


def _backfill_trajectory(conn: sqlcipher3.Connection) -> None:
    """Compute migration 4's columns for every stored dossier from its JSON."""
    import json

    from forms.migrate import load
    from forms.summary import trajectory_columns

    rows = conn.execute("SELECT id, json FROM dossier_json").fetchall()
    for key, text in rows:
        try:
            dossier = load(json.loads(text))
        except Exception:  # noqa: BLE001 - a damaged row keeps the defaults; the load reports it
            continue
        fase, volgende, waakvlam = trajectory_columns(dossier)
        conn.execute(
            "UPDATE dossiers SET fase = ?, volgende_evaluatie = ?, waakvlam = ? WHERE id = ?",
            (
                fase,
                volgende.isoformat() if volgende is not None else None,
                waakvlam.isoformat() if waakvlam is not None else None,
                key,
            ),
        )


#: The schema, oldest first. Append only.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _V1),
    Migration(2, "sync state", _v2),
    Migration(3, "field-level audit trail", _V3),
    Migration(4, "trajectory summary columns", _v4),
)


def schema_version(conn: sqlcipher3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _check(migrations: Sequence[Migration]) -> None:
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise ValueError(
                f"migrations must be numbered 1..n without gaps; found {migration.version} "
                f"at position {expected}"
            )


def migrate(conn: sqlcipher3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the vault to the latest version; returns the version it is at afterwards.

    ``conn`` must be in autocommit mode (``isolation_level=None``) with no transaction
    open. Safe against a second process migrating at the same time: the version is
    re-read after ``BEGIN IMMEDIATE``.
    """
    _check(migrations)
    latest = len(migrations)
    if schema_version(conn) > latest:
        raise VaultTooNew(
            f"vault schema version {schema_version(conn)} is newer than this code ({latest})"
        )
    for migration in migrations:
        if schema_version(conn) >= migration.version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)
            if current >= migration.version:  # someone else got here first
                conn.execute("ROLLBACK")
                continue
            if current != migration.version - 1:
                raise VaultCorrupt(f"schema version {current} cannot take migration {migration.version}")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, dt.datetime.now(dt.UTC).isoformat()),
            )
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return schema_version(conn)
