"""Writing a dossier's rows: shared by a local save and a pull from the central system.

Both write the same two rows (the summary columns the caseload lists, and the JSON);
they differ only in what else goes into their transaction (a queued change and a
``save`` audit entry, or a sync state and a ``pull`` audit entry). The id and timestamp
text forms every table uses, and the audit detail's limit, are defined here too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from forms.invariants import storage_problems
from forms.models import Dossier
from forms.summary import Summary, summarise

from .errors import InvalidDossier

__all__ = [
    "PreparedDossier",
    "prepare_dossier",
    "write_dossier",
    "utc_timestamp",
    "id_text",
    "MAX_DETAIL",
    "check_detail",
]


def utc_timestamp(value: dt.datetime | None = None) -> str:
    """ISO 8601 in UTC: the one timestamp format in the vault (it sorts as text)."""
    value = value or dt.datetime.now(dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


MAX_DETAIL = 200


def check_detail(detail: str) -> None:
    """An audit entry's detail: one line of at most :data:`MAX_DETAIL` characters."""
    if len(detail) > MAX_DETAIL or "\n" in detail or "\r" in detail:
        raise ValueError(f"detail must be one line of at most {MAX_DETAIL} characters")


def id_text(value: UUID | str) -> str:
    """Canonical text of a dossier id (the key in every table); ValueError if not a UUID."""
    return str(value if isinstance(value, UUID) else UUID(str(value)))


@dataclass(frozen=True)
class PreparedDossier:
    """What a write needs, computed before the write lock is taken (the rules run here)."""

    dossier: Dossier
    key: str
    summary: Summary
    json: str
    sha256: str


def prepare_dossier(dossier: Dossier) -> PreparedDossier:
    """Everything a write needs, or :class:`InvalidDossier` when the dossier breaks a
    storage invariant (``forms.invariants``: the JSON written here validates again as a
    Dossier; a final one still matches its hash). Every write of a dossier, a local save
    and a pull or merge from the central system, comes through here."""
    if not isinstance(dossier, Dossier):
        raise TypeError("expected a forms.Dossier")
    text = dossier.model_dump_json()
    problems = storage_problems(dossier, text)
    if problems:
        raise InvalidDossier(problems)
    return PreparedDossier(
        dossier=dossier,
        key=str(dossier.id),
        summary=summarise(dossier),
        json=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


TRAJECTORY_COLUMNS_SINCE = 4  # the schema version (storage.schema) that added fase, …

_COLUMNS = (
    "id", "versie", "sha256", "titel", "adres", "postcode",
    "gesprek_datum", "status", "blokkerend", "aangemaakt", "gewijzigd",
)
_TRAJECTORY_COLUMNS = ("fase", "volgende_evaluatie", "waakvlam")


def _upsert(columns: tuple[str, ...]) -> str:
    updated = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("id", "aangemaakt"))
    return (
        f"INSERT INTO dossiers ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        f" ON CONFLICT (id) DO UPDATE SET {updated}"
    )


_UPSERT = _upsert(_COLUMNS + _TRAJECTORY_COLUMNS)
_UPSERT_PRE_TRAJECTORY = _upsert(_COLUMNS)


def write_dossier(conn: Any, prepared: PreparedDossier, now: str) -> None:
    """Upsert the summary row and the JSON row inside the caller's transaction.

    A vault whose schema predates the trajectory columns (only ever a test that builds
    an old vault with today's code: opening a vault migrates it) gets the older row."""
    summary, dossier = prepared.summary, prepared.dossier
    values: tuple[object, ...] = (
        prepared.key,
        dossier.versie,
        prepared.sha256,
        summary.titel,
        summary.adres,
        summary.postcode,
        summary.gesprek_datum.isoformat(),
        summary.status.value,
        summary.blokkerend,
        utc_timestamp(dossier.aangemaakt),
        now,
    )
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= TRAJECTORY_COLUMNS_SINCE:
        conn.execute(_UPSERT, (*values, summary.fase, _iso(summary.volgende_evaluatie), _iso(summary.waakvlam)))
    else:
        conn.execute(_UPSERT_PRE_TRAJECTORY, values)
    conn.execute(
        "INSERT INTO dossier_json (id, json) VALUES (?, ?)"
        " ON CONFLICT (id) DO UPDATE SET json = excluded.json",
        (prepared.key, prepared.json),
    )
