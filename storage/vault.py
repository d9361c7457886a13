"""The encrypted vault: one SQLCipher database file per wijkcoach.

Design decisions (the why is here so nobody has to rediscover it):

Encryption and key derivation
    SQLCipher 4 with its defaults, pinned with ``PRAGMA cipher_compatibility = 4``:
    AES-256-CBC per 4096-byte page, HMAC-SHA512 per page, and the key derived from the
    passphrase with PBKDF2-HMAC-SHA512, 256 000 iterations, random salt per file. That is
    above OWASP's current advice for PBKDF2-HMAC-SHA512 (210 000) and costs ~0.08 s per
    unlock on the reference 2-core machine. Raising it would add a few bits against an
    offline attack while risking slow unlocks on old laptops, and would make the file
    unreadable to a stock ``sqlcipher`` shell for IT's recovery; the passphrase length is
    the lever that matters. (Raising it later is a re-encryption via ``sqlcipher_export``.)

    The passphrase goes to SQLCipher as ``PRAGMA key = '<passphrase>'`` (single quotes
    doubled) so SQLCipher's KDF does the derivation; we never write crypto ourselves.
    It is sent with ``executescript`` so the statement text does not stay in the
    connection's prepared-statement cache. It is normalised to Unicode NFC first, so
    "ë" typed as one or as two code points (macOS vs Windows input) opens the same vault.
    The passphrase is never stored; nothing keeps a reference after unlocking. Python
    strings cannot be wiped, so a copy may linger in freed interpreter memory until it
    is reused; SQLCipher's own copies are wiped (``cipher_memory_security = ON``).

Durability
    ``journal_mode = WAL`` with ``synchronous = FULL``: every commit fsyncs the WAL
    before ``save`` returns, so a returned save survives a power cut; one sequential
    write and one fsync per save (DELETE mode needs three), and readers never block the
    writer. The WAL and its -shm index hold only encrypted pages / page numbers. On the
    last close SQLite checkpoints and removes the WAL.

Hygiene
    ``temp_store = MEMORY`` (no decrypted temp files), ``secure_delete = ON`` (freed
    pages are zeroed before being encrypted and reused), ``cipher_memory_security = ON``
    (SQLCipher wipes its memory on free; this is process-wide), file mode 0600, folder
    0700 when we create it.

Wrong passphrase versus a damaged file
    Before :func:`open_vault` writes anything (WAL set-up, migrations, the audit entry),
    it checks the file with the key: ``PRAGMA cipher_integrity_check`` checks the HMAC of
    every page of the main file (~20 ms for 500 dossiers; WAL frames are protected by
    SQLite's own frame checksums and are not part of it). The check runs on the
    connection that will become the vault's, which until then has only read: with no
    WAL pages beside the file, closing it writes nothing (the empty -wal/-shm it made are
    removed). If a WAL with pages lies beside the vault (a crash, or another window has it
    open), a normal connection would recover it and, on closing, checkpoint it into a
    possibly damaged file; then the check runs first on a separate ``immutable=1``
    connection (no lock, no -wal/-shm, nothing written), at the cost of a second key
    derivation. Then:

    - the key reads the schema and every page verifies: the vault is opened;
    - the key reads the schema but pages fail: :class:`VaultDamaged`;
    - the key cannot read the first page, yet other pages verify with it: the passphrase
      is right and the header page is damaged: :class:`VaultDamaged` (``header``), and
      no wrong attempt is counted;
    - no page verifies: a wrong passphrase, :class:`WrongPassphrase`. SQLCipher derives
      the key from the passphrase and the salt, the first 16 bytes of the file, which
      are not covered by any HMAC: damage there makes every page fail, exactly as a wrong
      passphrase does. So the salt is remembered beside the vault (``<vault>.salt``; it
      is no secret, it is in the clear in the file) after every unlock: if the file's
      salt differs from it and the key verifies every page with the remembered salt, the
      passphrase is right and the salt is damaged (:class:`VaultDamaged`, ``header``);
      if not, it counts as a wrong passphrase whose delay never grows beyond that of one
      failure (it may be damage), and the message says the start of the file changed.
      Without the remembered salt the two cannot be told apart; after a few failures
      the message says so.

    A damaged vault is never opened, not even read-only, and nothing in it is changed:
    a copy of the file as it is (still encrypted) is kept beside it as
    ``<name>.beschadigd-<first 12 hex digits of its SHA-256>`` and the Dutch message
    names it and says what to do. Before that, :func:`open_vault` rules out what it can
    tell without the key: a missing file (VaultNotFound), an empty file, a plain
    unencrypted SQLite file, a size that is not a whole number of pages (VaultCorrupt).
    A file that decrypts but is not a Keukentafel vault (other ``application_id``) is
    VaultCorrupt.

    Damage met later, by an open vault (a page read fails its HMAC: SQLCipher reports it
    as "malformed" or, while writing, as out-of-memory), raises :class:`VaultDamaged`
    and the vault refuses every further write transaction; reads outside a write
    transaction still work.

Threads
    The desktop uses a Vault from ONE worker thread that owns it. The connection is
    opened with ``check_same_thread=False`` so that closing from another thread (e.g. at
    shutdown) is possible, and every public method holds one re-entrant lock, so calls
    from two threads are serialised rather than interleaved. That is a safety net, not
    an invitation: keep vault calls off the GUI thread and on one worker.

Closing
    A closed vault raises :class:`VaultClosed` on every use and never reopens itself;
    unlocking again means calling :func:`open_vault` with the passphrase.
"""

from __future__ import annotations

import datetime as dt
import enum
import getpass
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import platformdirs
import sqlcipher3
from pydantic import ValidationError
from pydantic_core import from_json

from forms.history import audit_paths
from forms.models import SCHEMA_VERSION, Dossier
from forms.summary import GesprekStatus, Summary

from . import throttle
from .errors import (
    DossierNotFound,
    ImmutableVersion,
    StaleDossier,
    VaultClosed,
    VaultCorrupt,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultNotFound,
    VaultTooNew,
    WeakPassphrase,
    WrongPassphrase,
    damaged_melding,
    translate_errors,
)
from .records import AuditEntry, DossierListing, HistoryEntry, QueuedChange, StoredVersion
from .rows import MAX_DETAIL, PreparedDossier, check_detail, id_text, prepare_dossier, utc_timestamp, write_dossier
from .schema import APPLICATION_ID, MIGRATIONS, Migration, migrate, schema_version
from .syncstate import SyncStateMixin

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "VAULT_FILE_NAME",
    "ENV_VAULT",
    "Vault",
    "create_vault",
    "open_vault",
    "default_vault_path",
    "unlock_delay",
]

log = logging.getLogger("keukentafel.storage")

MIN_PASSPHRASE_LENGTH = 12
"""Minimum passphrase length, in characters (after NFC normalisation and trimming).

Why 12: the threat is a stolen or lost laptop. The thief copies ``kluis.db`` and guesses
offline, on as many GPUs as they like, with no delay and no lockout; the in-app delay
(:mod:`storage.throttle`) does not apply. SQLCipher's key derivation (PBKDF2-HMAC-SHA512,
256 000 iterations) makes every guess cost as much as 256 000 hashes, but that only
multiplies the work: a short passphrase is still guessable in days. Length is what makes
the search space too large; 12 characters is the floor, a sentence of four or five words
is better.
"""

VAULT_FILE_NAME = "kluis.db"
ENV_VAULT = "KEUKENTAFEL_VAULT"
APP_NAME = "Keukentafel"

_PAGE_SIZE = 4096  # SQLCipher 4 default, pinned via cipher_compatibility = 4
_PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")
_BUSY_TIMEOUT_S = 5.0
# A key string of the form x'<hex>' is taken by SQLCipher as a raw key, skipping the KDF.
_RAW_KEY_FORM = re.compile(r"^x'[0-9a-f]*'$", re.IGNORECASE)
_ACTION_FORM = re.compile(r"^[a-z][a-z0-9_.-]{0,39}$")
_SHA256_FORM = re.compile(r"^[0-9a-f]{64}$")

Sleep = Callable[[float], None]
Clock = Callable[[], float]



class _Omitted(enum.Enum):
    """The type of :data:`_OMITTED`: ``Vault.save`` called without ``expected``."""

    OMITTED = enum.auto()


_OMITTED = _Omitted.OMITTED

#: How many dossiers' last saved JSON a vault keeps for the audit trail's diff (the open windows').
_LAST_SAVED_KEPT = 16

_memory_security_on = False
_memory_security_lock = threading.Lock()


# --- small helpers ---------------------------------------------------------------------


def _date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text is not None else None


def _parse_ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def default_vault_path() -> Path:
    """Where the vault lives: ``$KEUKENTAFEL_VAULT`` if set, else the user data folder.

    The default is ``platformdirs.user_data_path("Keukentafel") / "kluis.db"``: local,
    never the roaming profile (a roaming profile would copy the vault to a server).
    The desktop's ``--vault`` option takes precedence over both; that is its job.
    """
    override = os.environ.get(ENV_VAULT, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME) / VAULT_FILE_NAME


def unlock_delay(path: str | os.PathLike[str], clock: Clock = time.time) -> float:
    """Seconds the next unlock attempt of this vault will be held back (for a countdown)."""
    return throttle.remaining_delay(Path(path), clock)


def _normalise(passphrase: str) -> str:
    if not isinstance(passphrase, str):
        raise TypeError("the passphrase must be a str")
    return unicodedata.normalize("NFC", passphrase)


def _unusable(key: str) -> str | None:
    """Why ``key`` can never be a vault's key (None if it can).

    A NUL or a lone surrogate cannot pass through the ``PRAGMA key`` statement (the
    latter would fail to encode with the passphrase inside the UnicodeEncodeError), and
    the raw-key form would bypass the key derivation. :func:`create_vault` refuses all
    three, so on unlocking they are simply wrong, without being sent to SQLCipher.
    """
    if "\x00" in key:
        return "contains a NUL character"
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate"
    if _RAW_KEY_FORM.match(key):
        return "has SQLCipher's raw-key form x'…', which would bypass key derivation"
    return None


def _check_new_passphrase(passphrase: str) -> str:
    """Normalise a passphrase that is about to become the key; raise WeakPassphrase if unfit."""
    text = _normalise(passphrase)
    if len(text.strip()) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(f"passphrase shorter than {MIN_PASSPHRASE_LENGTH} characters")
    problem = _unusable(text)
    if problem is not None:
        raise WeakPassphrase(
            f"passphrase {problem}",
            melding="Dit wachtwoord bevat een teken of vorm die niet kan worden gebruikt. Kies een ander.",
        )
    return text


def _check_setting_key(key: str) -> None:
    if not isinstance(key, str) or not 0 < len(key) <= 100:
        raise ValueError("a setting key is a non-empty string of at most 100 characters")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a setting key must be valid Unicode text") from None


def _quoted(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def _enable_memory_security() -> None:
    """Turn on SQLCipher's memory wiping once per process (it is a global setting)."""
    global _memory_security_on
    with _memory_security_lock:
        if _memory_security_on:
            return
        conn = sqlcipher3.connect(":memory:")
        try:
            conn.execute("PRAGMA cipher_memory_security = ON")
        finally:
            conn.close()
        _memory_security_on = True


def _connect(path: Path, passphrase: str) -> sqlcipher3.Connection:
    """Open and key a connection. Does not touch the file's contents yet."""
    _enable_memory_security()
    conn = sqlcipher3.connect(
        str(path),
        timeout=_BUSY_TIMEOUT_S,
        isolation_level=None,  # we issue BEGIN/COMMIT ourselves
        check_same_thread=False,  # one owning worker thread; see "Threads" above
    )
    return _keyed(conn, passphrase)


def _keyed(conn: sqlcipher3.Connection, key: str) -> sqlcipher3.Connection:
    """``conn`` with ``key`` set (SQLCipher 4 settings); closed again if that fails."""
    try:
        # SQLCipher logs HMAC failures (every wrong passphrase) to stderr; we report them
        # as exceptions instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.executescript(f"PRAGMA key = {_quoted(key)};")
        conn.execute("PRAGMA cipher_compatibility = 4")
    except BaseException:
        conn.close()
        raise
    return conn


def _key_is_right(conn: sqlcipher3.Connection) -> bool:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            return False
        raise
    return True


def _configure(conn: sqlcipher3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise VaultError(f"could not switch to WAL journal mode (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")


def _precheck_file(path: Path) -> None:
    """What can be said about the file without the key."""
    if not path.exists():
        raise VaultNotFound(f"no vault at ...{os.sep}{path.name}")
    if not path.is_file():
        raise VaultCorrupt(f"{path.name} is not a regular file")
    size = path.stat().st_size
    if size == 0:
        # SQLite would treat an empty file as a new, empty database: never that.
        raise VaultCorrupt(f"{path.name} is empty")
    with path.open("rb") as handle:
        head = handle.read(len(_PLAIN_SQLITE_HEADER))
    if head == _PLAIN_SQLITE_HEADER:
        raise VaultCorrupt(f"{path.name} is an unencrypted SQLite file, not a vault")
    if size % _PAGE_SIZE != 0:
        raise VaultCorrupt(f"{path.name} is truncated ({size} bytes is not a whole number of pages)")


def _resolve_user(conn: sqlcipher3.Connection, user: str | None) -> str:
    if user and user.strip():
        return user.strip()[:100]
    row = conn.execute("SELECT value FROM settings WHERE key = 'wijkcoach'").fetchone()
    if row is not None:
        value = json.loads(row[0])
        if isinstance(value, str) and value.strip():
            return value.strip()[:100]
    try:
        return getpass.getuser() or "onbekend"
    except Exception:  # no login name in the environment or password database
        return "onbekend"


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(tmp: Path, path: Path) -> None:
    """Move a finished vault into place without ever overwriting an existing file."""
    try:
        os.link(tmp, path)  # atomic, fails if path exists
    except FileExistsError:
        raise VaultExists(f"{path.name} appeared while the vault was being created") from None
    except OSError:  # file system without hard links (FAT, some network shares)
        if path.exists():
            raise VaultExists(f"{path.name} appeared while the vault was being created") from None
        os.replace(tmp, path)


def _remove_quietly(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        try:
            candidate.unlink(missing_ok=True)
        except OSError:
            pass


# --- creating and opening ----------------------------------------------------------------


def create_vault(
    path: str | os.PathLike[str],
    passphrase: str,
    user: str | None = None,
    *,
    migrations: Sequence[Migration] | None = None,
) -> Vault:
    """Create a new, empty vault at ``path`` and return it opened.

    Raises :class:`WeakPassphrase` if the passphrase is shorter than
    :data:`MIN_PASSPHRASE_LENGTH` characters, :class:`VaultExists` if a file (or a
    leftover -wal/-shm/-journal) is already there.

    The vault is built under a temporary name in the same folder and linked into place
    only when complete, so a crash during creation never leaves a half-made vault.
    ``migrations`` replaces the schema for tests only.
    """
    path = Path(path)
    key = _check_new_passphrase(passphrase)
    del passphrase
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with translate_errors("creating the vault"):
        if path.exists() or any(path.with_name(path.name + s).exists() for s in _SIDE_FILES):
            raise VaultExists(f"{path.name} already exists")
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        try:
            conn = _connect(tmp, key)
            try:
                _configure(conn)
                migrate(conn, MIGRATIONS if migrations is None else migrations)
                who = _resolve_user(conn, user)
                conn.execute(
                    "INSERT INTO audit (at, who, action, dossier_id, detail) VALUES (?, ?, ?, NULL, ?)",
                    (utc_timestamp(), who, "vault_create", f"schema={schema_version(conn)}"),
                )
            finally:
                conn.close()  # checkpoints and removes the WAL
            _publish(tmp, path)
            _fsync_dir(path.parent)
        finally:
            _remove_quietly(tmp)
    log.info("vault created (schema %d)", len(MIGRATIONS if migrations is None else migrations))
    return open_vault(path, key, user, migrations=migrations)


def open_vault(
    path: str | os.PathLike[str],
    passphrase: str,
    user: str | None = None,
    *,
    migrations: Sequence[Migration] | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.time,
) -> Vault:
    """Unlock an existing vault.

    ``user`` is the name written in the audit log; default: the vault's ``wijkcoach``
    setting, else the OS login name.

    Raises :class:`VaultNotFound`, :class:`VaultCorrupt` (empty, truncated, unencrypted,
    or not a Keukentafel vault), :class:`WrongPassphrase` (which includes files that are
    damaged beyond what can be told without the key; see the module docstring),
    :class:`VaultTooNew`. Pending schema migrations are applied.

    After wrong passphrases the next attempt is held back by a growing delay
    (:mod:`storage.throttle`); ``sleep`` and ``clock`` are injectable for tests.
    """
    path = Path(path)
    with translate_errors("checking the vault file"):
        _precheck_file(path)
    key = _normalise(passphrase)
    del passphrase
    throttle.wait_before_attempt(path, sleep, clock)
    failures_before = throttle.read_attempts(path).failures
    with translate_errors("opening the vault"):
        # Nothing below writes to the vault's files until they have been found whole.
        conn = None
        if _unusable(key):  # can never be right: create_vault refuses it
            look = None
        elif _has_stale_wal(path):
            look = _inspect(path, key, sleep)  # a second key derivation, but nothing written
        else:
            conn = _connect(path, key)
            try:
                look = _look(conn, path, sleep)
            except BaseException:
                conn.close()
                raise
            if look.wrong_key or look.damaged:
                conn.close()  # it only read: with no WAL pages there is nothing to checkpoint
                conn = None
        if look is not None and look.wrong_key and _salt_changed(path):
            # The salt differs from the one this vault had when it last opened: damage to
            # the salt, or a wrong passphrase, or both. With the remembered salt, a right
            # passphrase verifies every page again.
            if _key_fits_salt(path, key, _remembered_salt(path)):
                throttle.reset(path)
                raise _damaged_at_open(path, look, salt=True)
            wait = throttle.record_failure(path, clock, at_most=1)
            raise WrongPassphrase(
                "the passphrase does not decrypt this vault, whose salt changed since it last opened",
                wait_seconds=wait,
                melding=_WRONG_SALT_CHANGED,
            )
        if look is None or look.wrong_key:
            wait = throttle.record_failure(path, clock)
            melding = _WRONG_MAYBE_DAMAGED if failures_before + 1 >= _HINT_AFTER_FAILURES else None
            raise WrongPassphrase(
                "the passphrase does not decrypt this vault (or the salt is damaged)",
                wait_seconds=wait,
                melding=melding,
            )
        throttle.reset(path)  # the key is right, whatever the state of the file
        if look.damaged:
            raise _damaged_at_open(path, look)
        if conn is None:
            conn = _connect(path, key)
        del key
        try:
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            if app_id != APPLICATION_ID:
                raise VaultCorrupt(f"{path.name} decrypts but is not a Keukentafel vault")
            _configure(conn)
            version = migrate(conn, MIGRATIONS if migrations is None else migrations)
            who = _resolve_user(conn, user)
        except BaseException:
            conn.close()
            raise
    vault = Vault(conn, path, who, sleep=sleep, clock=clock)
    detail = f"schema={version}"
    if failures_before:
        detail += f" failed_attempts={failures_before}"
    try:
        vault.record_event("vault_open", detail=detail)
    except BaseException:
        vault._conn = None
        conn.close()
        raise
    _remember_salt(path)
    log.info("vault opened (schema %d)", version)
    return vault


# --- looking at a vault file before opening it -------------------------------------------

_HINT_AFTER_FAILURES = 3
_WRONG_MAYBE_DAMAGED = (
    "Het wachtwoord klopt niet. Weet u zeker dat het wachtwoord goed is? Dan kan ook het "
    "allereerste stukje van het kluisbestand beschadigd zijn: dat is niet van een verkeerd "
    "wachtwoord te onderscheiden. Probeer het dan niet steeds opnieuw, maar neem contact op "
    "met de functioneel beheerder."
)
_WRONG_SALT_CHANGED = (
    "Het wachtwoord klopt niet, of het begin van het kluisbestand is beschadigd: dat is "
    "veranderd sinds de kluis de vorige keer openging. Controleer het wachtwoord. Gaat het "
    "opnieuw mis, neem dan contact op met de functioneel beheerder."
)
_HMAC_FAILURE = re.compile(r"HMAC verification failed for page (\d+)")
_RECHECK_AFTER_S = 0.2


class _Look:
    """What :func:`_look` found: is the key wrong, is the file damaged, where."""

    def __init__(self, key_reads_schema: bool, bad_pages: list[int], other: list[str], pages: int) -> None:
        self.bad_pages = bad_pages
        self.other_problems = other  # integrity messages that name no HMAC failure
        self.pages = pages
        if key_reads_schema:
            self.wrong_key = False
        else:
            # Without the schema, the key is right only if some page verifies with it.
            self.wrong_key = pages <= 1 or len(set(bad_pages)) >= pages
        self.header = not key_reads_schema and not self.wrong_key
        self.damaged = not self.wrong_key and bool(bad_pages or other or self.header)


def _reads_schema(conn: sqlcipher3.Connection) -> bool:
    """Whether the key decrypts the schema; any database error (a wrong key, a damaged
    page) is a no, and :class:`_Look` tells them apart by the pages' HMACs."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        return False
    return True


def _immutable_uri(path: Path) -> str:
    # immutable=1: SQLite takes no lock and never creates, reads or writes -wal/-shm.
    return path.resolve().as_uri() + "?immutable=1"


def _integrity_problems(conn: sqlcipher3.Connection) -> tuple[list[int], list[str]]:
    pages: list[int] = []
    other: list[str] = []
    for (text,) in conn.execute("PRAGMA cipher_integrity_check").fetchall():
        match = _HMAC_FAILURE.search(str(text))
        if match:
            pages.append(int(match.group(1)))
        else:
            other.append(str(text)[:200])
    return pages, other


def _has_stale_wal(path: Path) -> bool:
    """A WAL with pages in it beside the vault: left by a crash, or another window is open."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.is_file() and wal.stat().st_size > 0
    except OSError:
        return True


def _look(conn: sqlcipher3.Connection, path: Path, sleep: Sleep) -> _Look:
    """Check the key and every page's HMAC on a keyed connection; only reads.

    A page found bad is checked once more after a moment: the check reads the file
    directly, so it could meet a page that another Keukentafel window is checkpointing
    right then. Real damage stays.
    """
    reads = _reads_schema(conn)
    bad, other = _integrity_problems(conn)
    pages = path.stat().st_size // _PAGE_SIZE
    look = _Look(reads, bad, other, pages)
    if look.damaged:
        sleep(_RECHECK_AFTER_S)
        bad, other = _integrity_problems(conn)
        look = _Look(_reads_schema(conn), bad, other, pages)
    return look


def _inspect(path: Path, key: str, sleep: Sleep) -> _Look:
    """:func:`_look` through an ``immutable=1`` connection: used when a WAL with pages
    lies beside the vault, which a normal connection would recover and, on closing,
    checkpoint into the (possibly damaged) file. It costs a second key derivation."""
    conn = _immutable_connection(path, key)
    try:
        return _look(conn, path, sleep)
    finally:
        conn.close()


def _immutable_connection(path: Path, key: str) -> sqlcipher3.Connection:
    """A connection keyed with ``key`` that only reads (``immutable=1``): it never writes
    the file, a WAL or a journal, whatever the file holds. The caller closes it."""
    _enable_memory_security()
    conn = sqlcipher3.connect(_immutable_uri(path), uri=True, isolation_level=None, check_same_thread=False)
    return _keyed(conn, key)


def _keep_copy(path: Path) -> str | None:
    """Copy a damaged vault file (and a WAL beside it) as it is, still encrypted.

    The copy's name carries a hash of the content, so trying again does not pile up
    copies. Returns the copy's file name, or None when no copy could be made.
    """
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        target = path.with_name(f"{path.name}.beschadigd-{digest.hexdigest()[:12]}")
        pairs = [(path, target)]
        wal = path.with_name(path.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            pairs.append((wal, target.with_name(target.name + "-wal")))
        for source, destination in pairs:
            if destination.exists():
                continue
            tmp = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.tmp")
            try:
                fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, destination)
            finally:
                tmp.unlink(missing_ok=True)
        _fsync_dir(path.parent)
    except OSError:
        log.warning("could not keep a copy of the damaged vault")
        return None
    return target.name


def _damaged_at_open(path: Path, look: _Look, *, salt: bool = False) -> VaultDamaged:
    copy_name = _keep_copy(path)
    shown = sorted(set(look.bad_pages))[:10]
    if salt:
        what = (
            f"{path.name} is damaged: its salt (first 16 bytes) changed since it last opened; "
            "with the remembered salt the passphrase verifies every page"
        )
        pages: tuple[int, ...] = (1,)
    else:
        what = (
            f"{path.name} is damaged: {len(set(look.bad_pages))} of {look.pages} pages fail the HMAC "
            f"check {shown}{' (the header page: the passphrase is right)' if look.header else ''}"
        )
        pages = tuple(sorted(set(look.bad_pages)))
    detail = what + (
        f"{'; ' + '; '.join(look.other_problems[:3]) if look.other_problems else ''}; "
        f"not opened, nothing written, copy {'kept' if copy_name else 'NOT made'}"
    )
    log.error("vault damaged: %d of %d pages fail the HMAC check", len(set(look.bad_pages)), look.pages)
    return VaultDamaged(
        detail,
        melding=damaged_melding(
            file_name=path.name, copy_name=copy_name, header=look.header or salt, at_open=True
        ),
        pages=pages,
        header=look.header or salt,
        copy_name=copy_name,
    )


# --- the salt, remembered beside the vault ------------------------------------------------
#
# SQLCipher derives the key from the passphrase and the salt, the first 16 bytes of the
# file, which no HMAC covers: damaged, they make every page fail as a wrong passphrase
# does. The salt is not secret (it is in the clear in the file), so after each unlock it
# is kept in ``<vault>.salt`` (hex). When the file's salt no longer matches it, the key
# is tried once more with the remembered salt (SQLCipher's plaintext-header mode takes
# the salt from ``PRAGMA cipher_salt`` instead of from the file): if every page then
# verifies, the passphrase is right and the salt is damaged. Without the sidecar (a vault
# copied from elsewhere, or from before it existed) the two cannot be told apart.


def salt_path(path: Path) -> Path:
    return path.with_name(path.name + ".salt")


def _file_salt(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(16)


def _remembered_salt(path: Path) -> bytes | None:
    try:
        raw = json.loads(salt_path(path).read_text(encoding="utf-8"))
        salt = bytes.fromhex(raw["salt"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return salt if len(salt) == 16 else None


def _salt_changed(path: Path) -> bool:
    remembered = _remembered_salt(path)
    try:
        return remembered is not None and remembered != _file_salt(path)
    except OSError:
        return False


def _remember_salt(path: Path) -> None:
    """Best effort: without it, only salt damage goes undiagnosed."""
    try:
        salt = _file_salt(path)
        if _remembered_salt(path) == salt:
            return
        target = salt_path(path)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"salt": salt.hex()}, out)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remember the vault's salt")


def _key_fits_salt(path: Path, key: str, salt: bytes | None) -> bool:
    """Whether every page but the salt verifies with ``key`` and ``salt`` (read-only)."""
    if salt is None:
        return False
    try:
        conn = _immutable_connection(path, key)
    except sqlcipher3.DatabaseError:
        return False
    try:
        conn.execute("PRAGMA cipher_plaintext_header_size = 16")
        conn.execute(f"PRAGMA cipher_salt = \"x'{salt.hex()}'\"")
        bad, other = _integrity_problems(conn)
        return not bad and not other
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _is_damage(exc: BaseException) -> bool:
    """A damaged page, as SQLCipher reports it: "malformed"/"not a database", or NOMEM."""
    if isinstance(exc, MemoryError):
        return True
    name = getattr(exc, "sqlite_errorname", "") or ""
    return isinstance(exc, sqlcipher3.DatabaseError) and name.startswith(
        ("SQLITE_CORRUPT", "SQLITE_NOTADB")
    )


def _validate_stored(key: str, text: str) -> Dossier:
    """A stored dossier's JSON as a validated Dossier.

    The fast path is ``Dossier.model_validate_json``. JSON in an older shape (an older
    ``schema_version``) fails that and goes through ``forms.migrate.load``, which upgrades
    it step by step first. Errors never quote the content: pydantic's messages include
    input values, so only field paths are reported.
    """
    from forms import migrate
    from forms.errors import UnsupportedSchema

    try:
        return Dossier.model_validate_json(text)
    except ValidationError as exc:
        error: Exception = exc
    try:
        raw = json.loads(text)
    except ValueError:
        raw = None
    if isinstance(raw, dict) and raw.get("schema_version") != SCHEMA_VERSION:
        try:
            return migrate.load(raw)
        except UnsupportedSchema as exc:
            raise VaultTooNew(
                f"stored dossier {key} has a newer schema version", melding=exc.melding
            ) from None
        except (ValidationError, KeyError, TypeError, AttributeError) as exc:
            error = exc
    if isinstance(error, ValidationError):
        where = sorted({".".join(map(str, e["loc"])) for e in error.errors()})[:5]
        what = f"{error.error_count()} errors at {where}"
    else:
        what = f"upgrade failed with {type(error).__name__}"
    raise VaultCorrupt(
        f"stored dossier {key} failed validation ({what})",
        melding="Dit dossier kan niet worden gelezen. Neem contact op met de functioneel beheerder.",
    ) from None


# --- the vault ---------------------------------------------------------------------------


class Vault(SyncStateMixin):
    """An unlocked vault. Make one with :func:`create_vault` or :func:`open_vault`.

    Use from one worker thread; see the module docstring. A context manager: leaving the
    ``with`` block closes it.
    """

    def __init__(
        self,
        conn: sqlcipher3.Connection,
        path: Path,
        user: str,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
    ) -> None:
        self._conn: sqlcipher3.Connection | None = conn
        self.path: Path = path
        self.user: str = user
        self._lock = threading.RLock()
        self._sleep = sleep
        self._clock = clock
        self._damaged: VaultDamaged | None = None  # set when a damaged page was met
        # The last JSON this vault saved per dossier (parsed, or as text), by revision: the
        # next save's audit paths diff against it without reading and parsing it again.
        self._last_saved: OrderedDict[str, tuple[str, Any]] = OrderedDict()

    def __repr__(self) -> str:
        return f"<Vault {self.path.name} {'closed' if self.closed else 'open'}>"

    # --- life cycle --------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        """Close (lock) the vault; idempotent. Every later use raises VaultClosed."""
        with self._lock:
            conn = self._conn
            if conn is None:
                return
            try:
                if self._damaged is None:
                    with translate_errors("closing the vault"), self._transaction():
                        self._audit("vault_close")
            except VaultError:
                log.warning("could not write the close event to the audit log")
            finally:
                self._conn = None
                self._last_saved.clear()  # decrypted content: not kept beyond the vault's life
                conn.close()

    def __enter__(self) -> Vault:
        self._require()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _require(self) -> sqlcipher3.Connection:
        conn = self._conn
        if conn is None:
            raise VaultClosed("the vault is closed")
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlcipher3.Connection]:
        """One write transaction; caller holds the lock and translates errors.

        A damaged page met inside (see the module docstring) makes this and every later
        write transaction raise :class:`VaultDamaged`: nothing more is written to a
        damaged vault.
        """
        conn = self._require()
        if self._damaged is not None:
            raise VaultDamaged(
                "the vault met a damaged page earlier; no further writes",
                melding=self._damaged.melding,
                pages=self._damaged.pages,
                copy_name=self._damaged.copy_name,
            )
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except (sqlcipher3.Error, MemoryError):
                    log.warning("rollback failed")
            if _is_damage(exc):
                self._damaged = self._damage_found(exc)
                raise self._damaged from None
            raise

    def _damage_found(self, exc: BaseException) -> VaultDamaged:
        name = getattr(exc, "sqlite_errorname", None) or "SQLITE_NOMEM"
        log.error("vault damaged: a page failed its check (%s); no further writes", name)
        copy_name = _keep_copy(self.path)
        return VaultDamaged(
            f"a page of {self.path.name} failed its check ({name}); no further writes, "
            f"copy {'kept' if copy_name else 'NOT made'}",
            melding=damaged_melding(
                file_name=self.path.name, copy_name=copy_name, header=False, at_open=False
            ),
            copy_name=copy_name,
        )

    def _audit(self, action: str, dossier_id: str | None = None, detail: str = "") -> int:
        """Append an audit entry inside the caller's transaction; returns its ``seq``."""
        cur = self._require().execute(
            "INSERT INTO audit (at, who, action, dossier_id, detail) VALUES (?, ?, ?, ?, ?)",
            (utc_timestamp(), self.user, action, dossier_id, detail),
        )
        return int(cur.lastrowid)

    def _write_audited(
        self,
        conn: sqlcipher3.Connection,
        prepared: PreparedDossier,
        action: str,
        detail: str,
        stored: str | None,
        now: str,
    ) -> None:
        """Write the dossier's rows and an audit entry with the fields that changed.

        ``stored`` is the revision stored now (None: not stored). The changed paths come
        from the stored JSON, read only when the revision differs (an unchanged save, the
        common autosave of a dossier that was only looked at, diffs nothing). Inside the
        caller's transaction, so the paths are exactly those between the two revisions.
        """
        changed: list[str] = []
        latest: Any = prepared.json
        if stored is not None and stored != prepared.sha256:
            cached = self._last_saved.get(prepared.key)
            if cached is not None and cached[0] == stored:
                before = cached[1]  # what this vault wrote last, still what is stored
            else:
                row = conn.execute("SELECT json FROM dossier_json WHERE id = ?", (prepared.key,)).fetchone()
                before = None if row is None else row[0]
            if before is not None:
                latest = from_json(prepared.json)
                changed = audit_paths(before, latest)
        # Keyed by content hash, so a stale entry is never used: another window's save
        # changes the stored revision, and then the stored JSON is read instead.
        self._last_saved[prepared.key] = (prepared.sha256, latest)
        self._last_saved.move_to_end(prepared.key)
        while len(self._last_saved) > _LAST_SAVED_KEPT:
            self._last_saved.popitem(last=False)
        write_dossier(conn, prepared, now)
        if stored is None:
            detail += " nieuw=ja"
        seq = self._audit(action, prepared.key, f"{detail} velden={len(changed)}"[:MAX_DETAIL])
        if changed:
            conn.executemany(
                "INSERT INTO audit_paths (seq, n, path) VALUES (?, ?, ?)",
                [(seq, n, path) for n, path in enumerate(changed)],
            )

    def _stored_revision(self, conn: sqlcipher3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT sha256 FROM dossiers WHERE id = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # --- dossiers ------------------------------------------------------------------------

    def save(self, dossier: Dossier, *, expected: str | _Omitted | None = _OMITTED) -> Summary:
        """Save a dossier (insert or replace) in ONE transaction with its summary columns,
        an audit entry and a change-queue entry for the sync. Returns the summary.

        ``expected`` is the revision the caller last read (:meth:`load_revision`; the
        SHA-256 of the stored JSON), or None for "this dossier must not be stored yet".
        When the stored revision differs, nothing is written and :class:`StaleDossier`
        is raised with the stored revision. Left out, the save replaces whatever is stored.

        The summary (which runs the rules) and the JSON are computed before the write
        lock is taken, so the transaction itself is short.

        Raises :class:`InvalidDossier` (nothing written, nothing stored changes) when the
        dossier breaks a storage invariant (``forms.invariants``): stored like this it
        would not load again, or a final dossier no longer matches its hash.
        """
        if not isinstance(dossier, Dossier):
            raise TypeError("save() takes a forms.Dossier")
        if not (expected is _OMITTED or expected is None or isinstance(expected, str)):
            raise TypeError("expected must be a revision (str) or None")
        prepared = prepare_dossier(dossier)
        dossier_id = prepared.key
        with self._lock, translate_errors("saving a dossier"), self._transaction() as conn:
            stored = self._stored_revision(conn, dossier_id)
            if expected is not _OMITTED and stored != expected:
                raise StaleDossier(dossier_id, revision=stored)
            now = utc_timestamp()
            self._write_audited(conn, prepared, "save", f"versie={dossier.versie}", stored, now)
            conn.execute(
                "INSERT INTO change_queue (idempotency_key, dossier_id, dossier_versie, created,"
                " payload_sha256) VALUES (?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), dossier_id, dossier.versie, now, prepared.sha256),
            )
        return prepared.summary

    def load(self, dossier_id: UUID) -> Dossier:
        """Load and validate a dossier; audits a ``read``. Raises DossierNotFound."""
        return self.load_revision(dossier_id)[0]

    def load_revision(self, dossier_id: UUID) -> tuple[Dossier, str]:
        """Load and validate a dossier with its revision (the SHA-256 of its stored JSON),
        to pass back to :meth:`save` as ``expected``. Audits a ``read``; DossierNotFound."""
        key = id_text(dossier_id)
        with self._lock, translate_errors("loading a dossier"), self._transaction() as conn:
            row = conn.execute(
                "SELECT j.json, d.sha256 FROM dossier_json j JOIN dossiers d ON d.id = j.id WHERE j.id = ?",
                (key,),
            ).fetchone()
            if row is None:
                raise DossierNotFound(f"no dossier with id {key}")
            self._audit("read", key)
        return _validate_stored(key, row[0]), str(row[1])

    def list_dossiers(self, today: dt.date | None = None) -> list[DossierListing]:
        """The caseload, newest change first, from the summary columns. Audits one ``list``.

        ``te_laat`` of each listing compares its next evaluation with ``today`` (default:
        the local date now); the columns themselves are written at save."""
        today = today if today is not None else dt.date.today()
        with self._lock, translate_errors("listing dossiers"), self._transaction() as conn:
            rows = conn.execute(
                """
                SELECT d.id, d.titel, d.adres, d.postcode, d.gewijzigd, d.status, d.blokkerend,
                       (SELECT count(*) FROM change_queue q
                         WHERE q.dossier_id = d.id AND q.sent_at IS NULL),
                       d.conflict, d.gesprek_datum, d.versie,
                       d.fase, d.volgende_evaluatie, d.waakvlam
                  FROM dossiers d
                 ORDER BY d.gewijzigd DESC, d.id
                """
            ).fetchall()
            self._audit("list", None, f"count={len(rows)}")
        return [
            DossierListing(
                id=UUID(r[0]),
                titel=r[1],
                adres=r[2],
                postcode=r[3],
                gewijzigd=_parse_ts(r[4]),
                status=GesprekStatus(r[5]),
                blokkerend=int(r[6]),
                onverzonden=int(r[7]),
                conflict=bool(r[8]),
                gesprek_datum=dt.date.fromisoformat(r[9]),
                versie=int(r[10]),
                fase=str(r[11]),
                volgende_evaluatie=_date_or_none(r[12]),
                waakvlam=_date_or_none(r[13]),
                te_laat=r[12] is not None and dt.date.fromisoformat(r[12]) < today,
            )
            for r in rows
        ]

    def set_conflict(self, dossier_id: UUID, conflict: bool = True) -> None:
        """Flag (or clear) a sync conflict on a dossier; for the sync (issue 6)."""
        key = id_text(dossier_id)
        with self._lock, translate_errors("flagging a conflict"), self._transaction() as conn:
            cur = conn.execute(
                "UPDATE dossiers SET conflict = ? WHERE id = ?", (1 if conflict else 0, key)
            )
            if cur.rowcount == 0:
                raise DossierNotFound(f"no dossier with id {key}")
            self._audit("conflict_set" if conflict else "conflict_cleared", key)

    # --- passphrase ----------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-encrypt the vault under a new passphrase (``PRAGMA rekey``).

        ``old`` must be the current passphrase (WrongPassphrase otherwise, and it counts
        towards the growing delay); ``new`` must pass the same rules as at creation
        (WeakPassphrase). Afterwards the WAL is checkpointed and truncated so no page
        encrypted under the old key stays in it. While another connection reads the vault
        (a second window) that cannot happen; it is logged, and the WAL is then emptied
        at the last close.
        """
        new_key = _check_new_passphrase(new)
        old_key = _normalise(old)
        del old, new
        with self._lock, translate_errors("changing the passphrase"):
            conn = self._require()
            throttle.wait_before_attempt(self.path, self._sleep, self._clock)
            # Verify the old passphrase on a second connection (WAL readers do not block).
            right = False
            if not _unusable(old_key):
                probe = _connect(self.path, old_key)
                try:
                    right = _key_is_right(probe)
                finally:
                    probe.close()
            del old_key
            if not right:
                wait = throttle.record_failure(self.path, self._clock)
                raise WrongPassphrase("the old passphrase is not right", wait_seconds=wait)
            throttle.reset(self.path)
            conn.executescript(f"PRAGMA rekey = {_quoted(new_key)};")
            del new_key
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:
                log.warning("after the passphrase change the WAL could not be truncated (vault in use)")
            with self._transaction():
                self._audit("passphrase_changed")

    # --- audit log -----------------------------------------------------------------------

    def record_event(self, action: str, dossier_id: UUID | None = None, detail: str = "") -> None:
        """Write an event to the audit log, e.g. ``unlock``, ``lock``, ``sync_sent``.

        ``action`` is a short lower-case identifier (``[a-z][a-z0-9_.-]*``, at most 40).
        ``detail`` must NEVER carry personal data or dossier content (no names, no text
        from the dossier, no BSN): counts, versions, status codes and technical ids only.
        It is limited to 200 characters on one line.
        """
        if not _ACTION_FORM.match(action):
            raise ValueError("action must be a short lower-case identifier")
        check_detail(detail)
        key = None if dossier_id is None else id_text(dossier_id)
        with self._lock, translate_errors("writing the audit log"), self._transaction():
            self._audit(action, key, detail)

    def audit_log(self, dossier_id: UUID | None = None) -> list[AuditEntry]:
        """All audit entries (or those of one dossier), oldest first."""
        with self._lock, translate_errors("reading the audit log"):
            conn = self._require()
            if dossier_id is None:
                rows = conn.execute(
                    "SELECT seq, at, who, action, dossier_id, detail FROM audit ORDER BY seq"
                ).fetchall()
            else:
                rows = conn.execute(
                    "SELECT seq, at, who, action, dossier_id, detail FROM audit"
                    " WHERE dossier_id = ? ORDER BY seq",
                    (id_text(dossier_id),),
                ).fetchall()
        return [
            AuditEntry(
                seq=r[0],
                when=_parse_ts(r[1]),
                who=r[2],
                action=r[3],
                dossier_id=None if r[4] is None else UUID(r[4]),
                detail=r[5],
            )
            for r in rows
        ]

    def dossier_history(self, dossier_id: UUID) -> list[HistoryEntry]:
        """A dossier's audit trail, newest first: every event with, for a save or pull, the
        fields it changed (paths, never values). For the desktop's "Geschiedenis" view;
        reading it is not itself audited (it shows no dossier content)."""
        key = id_text(dossier_id)
        with self._lock, translate_errors("reading a dossier's history"):
            rows = self._require().execute(
                "SELECT a.seq, a.at, a.who, a.action, a.detail, p.path FROM audit a"
                " LEFT JOIN audit_paths p ON p.seq = a.seq"
                " WHERE a.dossier_id = ? ORDER BY a.seq DESC, p.n",
                (key,),
            ).fetchall()
        entries: list[HistoryEntry] = []
        paths: list[str] = []
        for index, r in enumerate(rows):
            if r[5] is not None:
                paths.append(r[5])
            if index + 1 == len(rows) or rows[index + 1][0] != r[0]:
                entries.append(HistoryEntry(r[0], _parse_ts(r[1]), r[2], r[3], r[4], tuple(paths)))
                paths = []
        return entries

    # --- change queue --------------------------------------------------------------------

    def pending_changes(self, limit: int | None = None) -> list[QueuedChange]:
        """Unsent changes, oldest first (by ``seq``).

        Each save adds one entry; several pending entries for one dossier are normal. The
        queue holds the hash of what was saved, not the content: the sync sends the
        dossier's current content and may skip entries superseded by a later one.
        """
        sql = (
            "SELECT seq, idempotency_key, dossier_id, dossier_versie, created, payload_sha256"
            " FROM change_queue WHERE sent_at IS NULL ORDER BY seq"
        )
        params: tuple[int, ...] = ()
        if limit is not None:
            if limit < 0:
                raise ValueError("limit must not be negative")
            sql += " LIMIT ?"
            params = (int(limit),)
        with self._lock, translate_errors("reading the change queue"):
            rows = self._require().execute(sql, params).fetchall()
        return [
            QueuedChange(
                seq=r[0],
                idempotency_key=r[1],
                dossier_id=UUID(r[2]),
                dossier_versie=r[3],
                created=_parse_ts(r[4]),
                payload_sha256=r[5],
            )
            for r in rows
        ]

    def mark_sent(self, seqs: Iterable[int]) -> None:
        """Mark queued changes as sent; unknown or already sent ones are ignored."""
        wanted = sorted({int(s) for s in seqs})
        if not wanted:
            return
        now = utc_timestamp()
        with self._lock, translate_errors("updating the change queue"), self._transaction() as conn:
            conn.executemany(
                "UPDATE change_queue SET sent_at = ? WHERE seq = ? AND sent_at IS NULL",
                [(now, s) for s in wanted],
            )

    # --- settings ------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting's JSON value, or ``default`` if it was never set."""
        _check_setting_key(key)
        with self._lock, translate_errors("reading a setting"):
            row = self._require().execute(
                "SELECT value FROM settings WHERE key = ?", (key,)
            ).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value; ``None`` removes the setting.

        Settings live inside the encrypted vault, so secrets (the sync's client secret)
        belong here and nowhere else. The audit log records the key, never the value.
        """
        _check_setting_key(key)
        text = None
        if value is not None:
            try:
                text = json.dumps(value, allow_nan=False)
            except (TypeError, ValueError):
                raise TypeError("a setting value must be JSON-serialisable") from None
        with self._lock, translate_errors("writing a setting"), self._transaction() as conn:
            if text is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, text),
                )
            self._audit("setting_changed", None, f"key={key[:60]}")

    # --- finalised versions --------------------------------------------------------------

    def store_version(
        self,
        dossier_id: UUID,
        versie: int,
        sha256: str,
        dossier_json: str,
        pdf: bytes | None = None,
    ) -> None:
        """Keep a finalised snapshot, immutably.

        INSERT only: storing the same (dossier, versie) again with identical sha256, JSON
        and PDF is a no-op; with anything different it raises :class:`ImmutableVersion`
        (a PDF added later counts as different). Triggers in the schema refuse UPDATE
        and DELETE on the table as well. ``sha256`` is taken as computed by the caller
        (forms.finalise's canonical form); it is checked for shape, not recomputed.
        """
        key = id_text(dossier_id)
        if not isinstance(versie, int) or isinstance(versie, bool) or versie < 1:
            raise ValueError("versie must be a positive int")
        if not isinstance(sha256, str) or not _SHA256_FORM.match(sha256):
            raise ValueError("sha256 must be 64 lower-case hex digits")
        if not isinstance(dossier_json, str):
            raise TypeError("dossier_json must be a str")
        try:
            json.loads(dossier_json)
        except ValueError:
            raise ValueError("dossier_json is not valid JSON") from None
        if pdf is not None and not isinstance(pdf, (bytes, bytearray, memoryview)):
            raise TypeError("pdf must be bytes or None")
        blob = None if pdf is None else bytes(pdf)
        with self._lock, translate_errors("storing a version"), self._transaction() as conn:
            row = conn.execute(
                "SELECT sha256, dossier_json, pdf FROM versions WHERE dossier_id = ? AND versie = ?",
                (key, versie),
            ).fetchone()
            if row is not None:
                stored_pdf = None if row[2] is None else bytes(row[2])
                if (row[0], row[1], stored_pdf) == (sha256, dossier_json, blob):
                    return
                raise ImmutableVersion(f"version {versie} of dossier {key} is already stored")
            conn.execute(
                "INSERT INTO versions (dossier_id, versie, sha256, created, dossier_json, pdf)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, versie, sha256, utc_timestamp(), dossier_json, blob),
            )
            self._audit("version_stored", key, f"versie={versie} pdf={'nee' if blob is None else 'ja'}")

    def list_versions(self, dossier_id: UUID) -> list[StoredVersion]:
        """A dossier's stored versions, oldest first, without their JSON and PDF."""
        key = id_text(dossier_id)
        with self._lock, translate_errors("listing versions"):
            rows = self._require().execute(
                "SELECT versie, sha256, created, pdf IS NOT NULL FROM versions"
                " WHERE dossier_id = ? ORDER BY versie",
                (key,),
            ).fetchall()
        return [
            StoredVersion(UUID(key), r[0], r[1], _parse_ts(r[2]), bool(r[3])) for r in rows
        ]

    def load_version(self, dossier_id: UUID, versie: int) -> StoredVersion:
        """One stored version with its JSON and PDF; audits a ``read_version``."""
        key = id_text(dossier_id)
        with self._lock, translate_errors("loading a version"), self._transaction() as conn:
            row = conn.execute(
                "SELECT versie, sha256, created, dossier_json, pdf FROM versions"
                " WHERE dossier_id = ? AND versie = ?",
                (key, int(versie)),
            ).fetchone()
            if row is None:
                raise DossierNotFound(
                    f"no version {int(versie)} of dossier {key}",
                    melding="Deze versie van het dossier staat niet in de kluis.",
                )
            self._audit("read_version", key, f"versie={row[0]}")
        pdf = None if row[4] is None else bytes(row[4])
        return StoredVersion(
            UUID(key), row[0], row[1], _parse_ts(row[2]), pdf is not None, row[3], pdf
        )

    # --- maintenance ---------------------------------------------------------------------

    def integrity_check(self) -> bool:
        """True if SQLite's integrity check and SQLCipher's per-page HMAC check both pass.

        Reads every page, so it takes time in proportion to the vault's size (tens of
        milliseconds for hundreds of dossiers). ``open_vault`` runs the HMAC half at every
        unlock, before it writes; this adds SQLite's structural check, for maintenance.
        """
        with self._lock:
            try:
                with translate_errors("checking integrity"):
                    conn = self._require()
                    sqlite_ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                    cipher_errors = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            except VaultCorrupt:  # a page that fails its HMAC cannot even be read
                return False
        return sqlite_ok and not cipher_errors

    def schema_version(self) -> int:
        with self._lock, translate_errors("reading the schema version"):
            return schema_version(self._require())
