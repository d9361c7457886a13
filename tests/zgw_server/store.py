"""SQLite persistence of the test server's Zaken and Documenten state.

One connection, shared by the handler threads and guarded by ``lock`` (an
``RLock``): the server holds it for the whole processing of a request, so
each request is one atomic read-modify-write, like a database transaction in
the real server. Resources are stored as JSON next to indexed key columns.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counter (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS zaak (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    identificatie TEXT NOT NULL,
    bronorganisatie TEXT NOT NULL,
    zaaktype TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS zaak_identificatie ON zaak (bronorganisatie, identificatie);
CREATE TABLE IF NOT EXISTS zaak_kenmerk (
    zaak_uuid TEXT NOT NULL,
    bron TEXT NOT NULL,
    kenmerk TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS zaak_kenmerk_key ON zaak_kenmerk (bron, kenmerk);
CREATE INDEX IF NOT EXISTS zaak_kenmerk_zaak ON zaak_kenmerk (zaak_uuid);
CREATE TABLE IF NOT EXISTS rol (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    zaak_uuid TEXT NOT NULL,
    medewerker TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rol_zaak ON rol (zaak_uuid);
CREATE INDEX IF NOT EXISTS rol_medewerker ON rol (medewerker);
CREATE TABLE IF NOT EXISTS status (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    zaak_uuid TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS status_zaak ON status (zaak_uuid);
CREATE TABLE IF NOT EXISTS resultaat (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    zaak_uuid TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS zio (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    zaak_uuid TEXT NOT NULL,
    informatieobject TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (zaak_uuid, informatieobject)
);
CREATE INDEX IF NOT EXISTS zio_io ON zio (informatieobject);
CREATE TABLE IF NOT EXISTS document (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    identificatie TEXT NOT NULL,
    bronorganisatie TEXT NOT NULL,
    informatieobjecttype TEXT NOT NULL,
    lock TEXT NOT NULL DEFAULT '',
    latest INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS document_identificatie ON document (bronorganisatie, identificatie);
CREATE TABLE IF NOT EXISTS document_version (
    uuid TEXT NOT NULL,
    versie INTEGER NOT NULL,
    data TEXT NOT NULL,
    content BLOB,
    PRIMARY KEY (uuid, versie)
);
"""


class Store:
    """Typed access to the SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # -- transactions ----------------------------------------------------------------

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def next_counter(self, name: str) -> int:
        self.conn.execute(
            "INSERT INTO counter (name, value) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1",
            (name,),
        )
        row = self.conn.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()
        return int(row["value"])

    # -- zaken -------------------------------------------------------------------------

    def zaak_identificatie_taken(self, bronorganisatie: str, identificatie: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM zaak WHERE bronorganisatie = ? AND identificatie = ?",
            (bronorganisatie, identificatie),
        ).fetchone()
        return row is not None

    def save_zaak(self, zaak_uuid: str, data: dict[str, Any]) -> None:
        """Insert or replace a zaak and its kenmerken."""
        self.conn.execute(
            "INSERT INTO zaak (uuid, identificatie, bronorganisatie, zaaktype, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(uuid) DO UPDATE SET identificatie = excluded.identificatie, "
            "bronorganisatie = excluded.bronorganisatie, zaaktype = excluded.zaaktype, data = excluded.data",
            (zaak_uuid, data["identificatie"], data["bronorganisatie"], data["zaaktype"], json.dumps(data)),
        )
        self.conn.execute("DELETE FROM zaak_kenmerk WHERE zaak_uuid = ?", (zaak_uuid,))
        self.conn.executemany(
            "INSERT INTO zaak_kenmerk (zaak_uuid, bron, kenmerk) VALUES (?, ?, ?)",
            [(zaak_uuid, k["bron"], k["kenmerk"]) for k in data.get("kenmerken", [])],
        )

    def get_zaak(self, zaak_uuid: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM zaak WHERE uuid = ?", (zaak_uuid,)).fetchone()
        return None if row is None else json.loads(row["data"])

    def delete_zaak(self, zaak_uuid: str) -> None:
        for table in ("rol", "status", "zio", "zaak_kenmerk"):
            self.conn.execute(f"DELETE FROM {table} WHERE zaak_uuid = ?", (zaak_uuid,))
        self.conn.execute("DELETE FROM zaak WHERE uuid = ?", (zaak_uuid,))

    def query_zaken(
        self, where: Sequence[str], args: Sequence[Any], order_by: str = "zaak.seq"
    ) -> list[dict[str, Any]]:
        """Zaken matching SQL conditions on ``zaak`` (aliases: ``zaak``)."""
        sql = "SELECT zaak.data FROM zaak"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order_by}"
        return [json.loads(r["data"]) for r in self.conn.execute(sql, list(args))]

    # -- rollen, statussen, zaakinformatieobjecten ------------------------------------------

    def save_child(self, table: str, child_uuid: str, zaak_uuid: str, data: dict[str, Any], **extra: Any) -> None:
        columns = ["uuid", "zaak_uuid", "data", *extra]
        values = [child_uuid, zaak_uuid, json.dumps(data), *extra.values()]
        placeholders = ", ".join("?" for _ in columns)
        self.conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values)

    def get_child(self, table: str, child_uuid: str) -> dict[str, Any] | None:
        row = self.conn.execute(f"SELECT data FROM {table} WHERE uuid = ?", (child_uuid,)).fetchone()
        return None if row is None else json.loads(row["data"])

    def delete_child(self, table: str, child_uuid: str) -> None:
        self.conn.execute(f"DELETE FROM {table} WHERE uuid = ?", (child_uuid,))

    def query_children(self, table: str, where: Iterable[str] = (), args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        sql = f"SELECT data FROM {table}"
        where = list(where)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        return [json.loads(r["data"]) for r in self.conn.execute(sql, list(args))]

    def zio_exists(self, zaak_uuid: str, informatieobject: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM zio WHERE zaak_uuid = ? AND informatieobject = ?", (zaak_uuid, informatieobject)
        ).fetchone()
        return row is not None

    # -- documenten -----------------------------------------------------------------------

    def document_identificatie_taken(self, bronorganisatie: str, identificatie: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM document WHERE bronorganisatie = ? AND identificatie = ?",
            (bronorganisatie, identificatie),
        ).fetchone()
        return row is not None

    def create_document(self, doc_uuid: str, data: dict[str, Any], content: bytes | None) -> None:
        self.conn.execute(
            "INSERT INTO document (uuid, identificatie, bronorganisatie, informatieobjecttype, latest) "
            "VALUES (?, ?, ?, ?, 1)",
            (doc_uuid, data["identificatie"], data["bronorganisatie"], data["informatieobjecttype"]),
        )
        self.conn.execute(
            "INSERT INTO document_version (uuid, versie, data, content) VALUES (?, 1, ?, ?)",
            (doc_uuid, json.dumps(data), content),
        )

    def document_head(self, doc_uuid: str) -> sqlite3.Row | None:
        """``uuid``, ``lock`` and ``latest`` (version number) of a document."""
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT uuid, lock, latest FROM document WHERE uuid = ?", (doc_uuid,)
        ).fetchone()
        return row

    def document_version(self, doc_uuid: str, versie: int) -> tuple[dict[str, Any], bytes | None] | None:
        row = self.conn.execute(
            "SELECT data, content FROM document_version WHERE uuid = ? AND versie = ?", (doc_uuid, versie)
        ).fetchone()
        if row is None:
            return None
        return json.loads(row["data"]), row["content"]

    def add_document_version(self, doc_uuid: str, versie: int, data: dict[str, Any], content: bytes | None) -> None:
        self.conn.execute(
            "INSERT INTO document_version (uuid, versie, data, content) VALUES (?, ?, ?, ?)",
            (doc_uuid, versie, json.dumps(data), content),
        )
        self.conn.execute(
            "UPDATE document SET latest = ?, identificatie = ?, bronorganisatie = ?, informatieobjecttype = ? "
            "WHERE uuid = ?",
            (versie, data["identificatie"], data["bronorganisatie"], data["informatieobjecttype"], doc_uuid),
        )

    def set_document_lock(self, doc_uuid: str, lock: str) -> None:
        self.conn.execute("UPDATE document SET lock = ? WHERE uuid = ?", (lock, doc_uuid))

    def delete_document(self, doc_uuid: str) -> None:
        self.conn.execute("DELETE FROM document_version WHERE uuid = ?", (doc_uuid,))
        self.conn.execute("DELETE FROM document WHERE uuid = ?", (doc_uuid,))

    def query_documents(self, where: Sequence[str], args: Sequence[Any]) -> list[sqlite3.Row]:
        """Rows (``uuid``, ``lock``, ``latest``) of matching documents, oldest first."""
        sql = "SELECT uuid, lock, latest FROM document"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        return list(self.conn.execute(sql, list(args)))
