"""What the sync remembers per dossier (issue 6), mixed into :class:`storage.Vault`.

Kept apart from ``vault.py`` on purpose: the sync owns this file, the vault's own code is
untouched except for the base class. One migration (:data:`MIGRATION`, schema version 2)
adds two tables:

``sync_state`` (one row per dossier that the sync has touched)
    ``zaak_url``, ``document_url`` (the dossier JSON document), ``remote_versie`` and
    ``base_json``: the central document's versie and content as last synced -- the *base*
    of a three-way merge. ``inflight_sha256``: the SHA-256 of content being written
    (create or new version) whose answer has not been seen yet, so the next run can tell
    its own lost write from someone else's. ``lock_id``: the lock held on the dossier
    document (``""``: a lock was requested, its answer was lost). ``progress``: JSON with
    the behandelaar rol URL, the statustype last set, the linked document URLs, whether
    the zaak was seen closed and the dossier's earlier (closed) zaken.
    ``verslagen``: JSON ``{versie: {url, sha256, linked}}`` of uploaded PDFs.
    ``conflicts``: JSON list of :class:`ConflictRecord`.

``sync_meta`` (key/value)
    The last run: when it ended, whether it succeeded, the Dutch problem text; the
    dossiers the sync parked after a refusal (``parked``: why, and the content and
    settings they were refused with; :meth:`SyncStateMixin.sync_waiting`).

Every write is one transaction. Setting conflicts also sets the caseload's
``dossiers.conflict`` flag in the same transaction, so the list and the state never
disagree. Conflict values may hold dossier content: they live only here, inside the
encrypted vault, and never reach the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

import sqlcipher3

from forms.models import Dossier

from .errors import StaleDossier, translate_errors
from .rows import check_detail, id_text, prepare_dossier, utc_timestamp

__all__ = [
    "MIGRATION_SQL",
    "PARKED_KEY",
    "apply_migration",
    "ConflictRecord",
    "VerslagUpload",
    "SyncState",
    "SyncSummary",
    "StaleDossier",
    "SyncStateMixin",
]

#: sync_meta key of the parked dossiers: ``{dossier id: {melding, error, sha256, settings}}``.
PARKED_KEY = "parked"

#: Schema version 2. Released: never edit, add a new migration instead.
MIGRATION_SQL: tuple[str, ...] = (
    """
    CREATE TABLE sync_state (
        dossier_id      TEXT PRIMARY KEY,
        zaak_url        TEXT,
        document_url    TEXT,
        remote_versie   INTEGER,
        base_json       TEXT,
        inflight_sha256 TEXT,
        lock_id         TEXT,
        progress        TEXT NOT NULL DEFAULT '{}',
        verslagen       TEXT NOT NULL DEFAULT '{}',
        conflicts       TEXT NOT NULL DEFAULT '[]',
        updated         TEXT NOT NULL
    )
    """,
    "CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


def apply_migration(conn: sqlcipher3.Connection) -> None:
    for statement in MIGRATION_SQL:
        conn.execute(statement)


_SYNC_STALE = "Het dossier is intussen gewijzigd; de synchronisatie probeert het later opnieuw."


@dataclass(frozen=True)
class ConflictRecord:
    """A field both sides changed: the local value stays in the dossier, the central one here."""

    path: str  # forms.paths.path_text form, e.g. "plan/doelen/[<id>]/omschrijving"
    local: Any
    remote: Any
    remote_versie: int
    local_present: bool = True  # False: deleted locally
    remote_present: bool = True  # False: deleted centrally

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "lokaal": self.local,
            "centraal": self.remote,
            "lokaal_aanwezig": self.local_present,
            "centraal_aanwezig": self.remote_present,
            "remote_versie": self.remote_versie,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConflictRecord:
        return cls(
            path=str(data["path"]),
            local=data.get("lokaal"),
            remote=data.get("centraal"),
            remote_versie=int(data.get("remote_versie", 0)),
            local_present=bool(data.get("lokaal_aanwezig", True)),
            remote_present=bool(data.get("centraal_aanwezig", True)),
        )


@dataclass(frozen=True)
class VerslagUpload:
    url: str
    sha256: str  # of the PDF bytes uploaded
    linked: bool = False


@dataclass(frozen=True)
class SyncState:
    """The sync's memory of one dossier. Change with :func:`dataclasses.replace`."""

    dossier_id: UUID
    zaak_url: str | None = None
    document_url: str | None = None
    remote_versie: int | None = None
    base_json: str | None = None
    inflight_sha256: str | None = None
    lock_id: str | None = None
    rol_url: str | None = None
    statustype: str | None = None  # the statustype we last saw confirmed as current
    linked: tuple[str, ...] = ()  # document URLs confirmed linked to the zaak
    zaak_closed: bool = False  # the zaak (zaak_url) was seen closed: new content goes to a new zaak
    vorige_zaken: tuple[str, ...] = ()  # earlier, closed zaken of this dossier (oldest first)
    verslagen: Mapping[int, VerslagUpload] = field(default_factory=dict)
    conflicts: tuple[ConflictRecord, ...] = ()

    def with_verslag(self, versie: int, upload: VerslagUpload) -> SyncState:
        return replace(self, verslagen={**self.verslagen, versie: upload})


@dataclass(frozen=True)
class SyncSummary:
    """For the status indicator: no content, counts and times only."""

    last_success: dt.datetime | None
    last_attempt: dt.datetime | None
    last_ok: bool | None
    problem: str  # Dutch, empty when the last run succeeded
    unsent: int  # queued changes not yet sent
    conflicts: int  # dossiers with an open conflict
    waiting: int = 0  # dossiers the central system refused: they wait for a change


def _state_from_row(key: str, row: Any) -> SyncState:
    progress = json.loads(row[6] or "{}")
    verslagen = {
        int(k): VerslagUpload(str(v["url"]), str(v["sha256"]), bool(v.get("linked", False)))
        for k, v in json.loads(row[7] or "{}").items()
    }
    return SyncState(
        dossier_id=UUID(key),
        zaak_url=row[0],
        document_url=row[1],
        remote_versie=row[2],
        base_json=row[3],
        inflight_sha256=row[4],
        lock_id=row[5],
        rol_url=progress.get("rol_url"),
        statustype=progress.get("statustype"),
        linked=tuple(progress.get("linked", ())),
        zaak_closed=bool(progress.get("zaak_closed", False)),
        vorige_zaken=tuple(progress.get("vorige_zaken", ())),
        verslagen=verslagen,
        conflicts=tuple(ConflictRecord.from_json(c) for c in json.loads(row[8] or "[]")),
    )


class SyncStateMixin:
    """Vault methods for the sync. Relies on the Vault's lock, transaction and audit."""

    _lock: threading.RLock
    _transaction: Callable[[], AbstractContextManager[sqlcipher3.Connection]]
    _audit: Callable[..., int]
    _write_audited: Callable[..., None]
    _require: Callable[[], sqlcipher3.Connection]

    # --- per dossier -----------------------------------------------------------------------

    def get_sync_state(self, dossier_id: UUID) -> SyncState:
        """The sync state of a dossier (an empty one if the sync never touched it)."""
        key = id_text(dossier_id)
        with self._lock, translate_errors("reading the sync state"):
            row = self._require().execute(
                "SELECT zaak_url, document_url, remote_versie, base_json, inflight_sha256,"
                " lock_id, progress, verslagen, conflicts FROM sync_state WHERE dossier_id = ?",
                (key,),
            ).fetchone()
        return SyncState(UUID(key)) if row is None else _state_from_row(key, row)

    def sync_states(self) -> dict[UUID, SyncState]:
        """Every dossier's sync state, in one query (the pull compares versies with these)."""
        with self._lock, translate_errors("reading the sync state"):
            rows = self._require().execute(
                "SELECT dossier_id, zaak_url, document_url, remote_versie, base_json,"
                " inflight_sha256, lock_id, progress, verslagen, conflicts FROM sync_state"
            ).fetchall()
        return {UUID(r[0]): _state_from_row(r[0], r[1:]) for r in rows}

    def set_sync_state(self, state: SyncState) -> None:
        """Store a dossier's sync state (one transaction, with the caseload's conflict flag)."""
        with self._lock, translate_errors("writing the sync state"), self._transaction() as conn:
            self._write_state(conn, state)

    def conflicts(self, dossier_id: UUID) -> list[ConflictRecord]:
        """The open conflicts of a dossier: path, local and central value, central versie."""
        return list(self.get_sync_state(dossier_id).conflicts)

    def apply_remote(
        self,
        dossier: Dossier,
        state: SyncState,
        *,
        expected_sha256: str | None = None,
        detail: str = "",
    ) -> None:
        """Replace the local dossier with content from the central system, WITHOUT queueing
        a change, and store its sync state: one transaction, audited as ``pull``.

        ``expected_sha256`` (the stored JSON's SHA-256 the caller based its work on, or
        ``""`` for "must not exist yet") guards against an edit that happened meanwhile:
        then nothing is written and :class:`StaleDossier` is raised. Pending queue entries
        are left as they are.

        A dossier that breaks a storage invariant raises :class:`InvalidDossier` before
        anything is written, as :meth:`Vault.save` does (the same ``prepare_dossier``).
        """
        if not isinstance(dossier, Dossier):
            raise TypeError("apply_remote() takes a forms.Dossier")
        if state.dossier_id != dossier.id:
            raise ValueError("the sync state belongs to another dossier")
        prepared = prepare_dossier(dossier)
        key = prepared.key
        with self._lock, translate_errors("applying a central version"), self._transaction() as conn:
            row = conn.execute("SELECT sha256 FROM dossiers WHERE id = ?", (key,)).fetchone()
            current = "" if row is None else str(row[0])
            if expected_sha256 is not None and current != expected_sha256:
                raise StaleDossier(
                    key,
                    revision=current or None,
                    melding=_SYNC_STALE,
                    detail=f"dossier {key} changed while syncing",
                )
            # the rows, and a "pull" audit entry with the fields it changed (the vault's)
            self._write_audited(
                conn, prepared, "pull", detail or f"versie={dossier.versie}", current or None, utc_timestamp()
            )
            self._write_state(conn, state)

    def stored_sha256(self, dossier_id: UUID) -> str:
        """The SHA-256 of the dossier's stored JSON (``""`` if there is none)."""
        with self._lock, translate_errors("reading a dossier hash"):
            row = self._require().execute(
                "SELECT sha256 FROM dossiers WHERE id = ?", (id_text(dossier_id),)
            ).fetchone()
        return "" if row is None else str(row[0])

    def _write_state(self, conn: sqlcipher3.Connection, state: SyncState) -> None:
        key = id_text(state.dossier_id)
        progress: dict[str, Any] = {
            "rol_url": state.rol_url,
            "statustype": state.statustype,
            "linked": list(state.linked),
        }
        if state.zaak_closed:
            progress["zaak_closed"] = True
        if state.vorige_zaken:
            progress["vorige_zaken"] = list(state.vorige_zaken)
        verslagen = {
            str(v): {"url": u.url, "sha256": u.sha256, "linked": u.linked} for v, u in sorted(state.verslagen.items())
        }
        conflicts = [c.to_json() for c in state.conflicts]
        conn.execute(
            """
            INSERT INTO sync_state (dossier_id, zaak_url, document_url, remote_versie, base_json,
                                    inflight_sha256, lock_id, progress, verslagen, conflicts, updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dossier_id) DO UPDATE SET
                zaak_url = excluded.zaak_url, document_url = excluded.document_url,
                remote_versie = excluded.remote_versie, base_json = excluded.base_json,
                inflight_sha256 = excluded.inflight_sha256, lock_id = excluded.lock_id,
                progress = excluded.progress, verslagen = excluded.verslagen,
                conflicts = excluded.conflicts, updated = excluded.updated
            """,
            (
                key,
                state.zaak_url,
                state.document_url,
                state.remote_versie,
                state.base_json,
                state.inflight_sha256,
                state.lock_id,
                json.dumps(progress, sort_keys=True),
                json.dumps(verslagen, sort_keys=True),
                json.dumps(conflicts, sort_keys=True, ensure_ascii=False),
                utc_timestamp(),
            ),
        )
        flag = 1 if state.conflicts else 0
        cur = conn.execute(
            "UPDATE dossiers SET conflict = ? WHERE id = ? AND conflict != ?", (flag, key, flag)
        )
        if cur.rowcount:
            self._audit("conflict_set" if flag else "conflict_cleared", key, f"count={len(state.conflicts)}")

    # --- runs ------------------------------------------------------------------------------------

    def finish_sync_run(self, ok: bool, problem: str, detail: str) -> None:
        """Record a run: the audit entry ``sync_run`` (counts and ids only) and the summary."""
        check_detail(detail)
        now = utc_timestamp()
        values: dict[str, Any] = {"last_attempt": now, "last_ok": bool(ok), "problem": problem}
        if ok:
            values["last_success"] = now
        with self._lock, translate_errors("recording a sync run"), self._transaction() as conn:
            conn.executemany(
                "INSERT INTO sync_meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(k, json.dumps(v)) for k, v in sorted(values.items())],
            )
            self._audit("sync_run", None, detail)

    def get_sync_meta(self, key: str, default: Any = None) -> Any:
        """A JSON value the sync keeps between runs (e.g. zaken without a dossier)."""
        with self._lock, translate_errors("reading sync metadata"):
            row = self._require().execute("SELECT value FROM sync_meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_sync_meta(self, key: str, value: Any) -> None:
        text = json.dumps(value, sort_keys=True)
        with self._lock, translate_errors("writing sync metadata"), self._transaction() as conn:
            conn.execute(
                "INSERT INTO sync_meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, text),
            )

    def sync_waiting(self) -> dict[UUID, str]:
        """Dossiers the central system refused and that wait (parked by the sync), with the
        Dutch reason (no content): for the caseload."""
        parked = self.get_sync_meta(PARKED_KEY, {}) or {}
        out: dict[UUID, str] = {}
        for key, entry in parked.items():
            try:
                out[UUID(key)] = str(entry.get("melding", "")) if isinstance(entry, dict) else ""
            except ValueError:
                continue
        return out

    def sync_summary(self) -> SyncSummary:
        with self._lock, translate_errors("reading the sync summary"):
            conn = self._require()
            meta = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM sync_meta")}
            unsent = conn.execute("SELECT count(*) FROM change_queue WHERE sent_at IS NULL").fetchone()[0]
            conflicts = conn.execute("SELECT count(*) FROM dossiers WHERE conflict != 0").fetchone()[0]

        def when(name: str) -> dt.datetime | None:
            return dt.datetime.fromisoformat(meta[name]) if name in meta else None

        return SyncSummary(
            last_success=when("last_success"),
            last_attempt=when("last_attempt"),
            last_ok=None if "last_ok" not in meta else bool(meta["last_ok"]),
            problem=meta.get("problem", ""),
            unsent=int(unsent),
            conflicts=int(conflicts),
            waiting=len(meta.get(PARKED_KEY) or {}),
        )
