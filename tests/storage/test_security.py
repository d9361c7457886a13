"""Encryption at rest, passphrases, the growing delay, and what the vault refuses to open."""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from pathlib import Path

import pytest
import sqlcipher3

import storage
from forms.demo import demo_dossier
from forms.models import Dossier
from storage import throttle


def no_sleep(seconds: float) -> None:
    pass


def _secrets(dossier: Dossier) -> list[bytes]:
    """Byte strings that must never appear in any file on disk."""
    words: set[str] = set()
    for member in dossier.huishouden.leden:
        words.update({member.voornaam, member.achternaam})
    words.update({dossier.huishouden.adres.straat, "keukentafel", "Huurachterstand"})
    found = {w.encode("utf-8") for w in words}
    # also in the other normalisation form, should anything store it decomposed
    found |= {unicodedata.normalize("NFD", w).encode("utf-8") for w in words}
    return sorted(found)


def _vault_files(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name)]


def _assert_nothing_readable(path: Path, dossier: Dossier, passphrase: str) -> None:
    files = _vault_files(path)
    assert path in files
    for file in files:
        data = file.read_bytes()
        assert b"SQLite format 3" not in data, file.name
        assert passphrase.encode() not in data, file.name
        for secret in _secrets(dossier):
            assert secret not in data, (file.name, secret)


# --- encryption at rest ------------------------------------------------------------------


def test_no_personal_data_on_disk_while_open_and_after_close(vault_path: Path, passphrase: str) -> None:
    dossier = demo_dossier()
    vault = storage.create_vault(vault_path, passphrase)
    vault.set_setting("wijkcoach", "Sanne Bakker")  # the names appear in settings too
    vault.save(dossier)
    dossier.hulpvraag.tekst = "Bakker en Yılmaz willen rust over het geld."
    vault.save(dossier)
    vault.load(dossier.id)
    # while open: the WAL holds the latest pages, encrypted
    wal = vault_path.with_name(vault_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    _assert_nothing_readable(vault_path, dossier, passphrase)
    # nothing else was written beside the vault (no temp files; the only sidecar is the
    # salt, which is in the clear in the vault anyway: see storage.vault)
    names = {p.name for p in vault_path.parent.iterdir()}
    assert names <= {"kluis.db", "kluis.db-wal", "kluis.db-shm", "kluis.db.salt"}, names
    vault.close()
    _assert_nothing_readable(vault_path, dossier, passphrase)
    assert {p.name for p in vault_path.parent.iterdir()} == {"kluis.db", "kluis.db.salt"}
    assert bytes.fromhex(json.loads(vault_path.with_name("kluis.db.salt").read_text())["salt"]) == (
        vault_path.read_bytes()[:16]
    )
    assert vault_path.read_bytes()[:16] != b"SQLite format 3\x00"
    if os.name == "posix":
        assert vault_path.stat().st_mode & 0o077 == 0  # only the owner may read it


def test_the_right_passphrase_gives_everything_back(vault_path: Path, passphrase: str) -> None:
    dossiers = [demo_dossier() for _ in range(3)]
    with storage.create_vault(vault_path, passphrase) as vault:
        for d in dossiers:
            vault.save(d)
        vault.set_setting("sync", {"secret": "s3cr3t"})
        vault.store_version(dossiers[0].id, 1, "a" * 64, dossiers[0].model_dump_json(), b"%PDF")
        audit_before = vault.audit_log()
    with storage.open_vault(vault_path, passphrase) as vault:
        assert [vault.load(d.id) for d in dossiers] == dossiers
        assert vault.get_setting("sync") == {"secret": "s3cr3t"}
        assert vault.load_version(dossiers[0].id, 1).pdf == b"%PDF"
        assert vault.audit_log()[: len(audit_before)] == audit_before
        assert vault.integrity_check()


def test_a_wrong_passphrase_opens_nothing(vault_path: Path, passphrase: str) -> None:
    with storage.create_vault(vault_path, passphrase) as vault:
        vault.save(demo_dossier())
    with pytest.raises(storage.WrongPassphrase) as info:
        storage.open_vault(vault_path, passphrase + "x", sleep=no_sleep)
    assert info.value.melding == "Het wachtwoord klopt niet."
    assert passphrase not in str(info.value)
    # and the file cannot be read without a key at all
    plain = sqlite3.connect(vault_path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()


def test_change_passphrase(vault_path: Path, passphrase: str) -> None:
    new = "een heel ander wachtwoord"
    dossier = demo_dossier()
    with storage.create_vault(vault_path, passphrase) as vault:
        vault.save(dossier)
        with pytest.raises(storage.WeakPassphrase):
            vault.change_passphrase(passphrase, "kort")
        vault._sleep = no_sleep  # the wrong old passphrase below starts the delay
        with pytest.raises(storage.WrongPassphrase):
            vault.change_passphrase("niet het oude wachtwoord", new)
        vault.load(dossier.id)  # still usable after a refused change
        vault.change_passphrase(passphrase, new)
        assert vault.load(dossier.id) == dossier  # and after the change, without reopening
        vault.save(dossier)
        assert vault.audit_log()[-3].action == "passphrase_changed"
    with pytest.raises(storage.WrongPassphrase):
        storage.open_vault(vault_path, passphrase, sleep=no_sleep)
    with storage.open_vault(vault_path, new, sleep=no_sleep) as vault:
        assert vault.load(dossier.id) == dossier
        assert vault.integrity_check()


@pytest.mark.parametrize(
    "tricky",
    [
        "it's O''Brien's; DROP TABLE x; --",
        "aanhalingsteken ' aan het eind'",
        'dubbele "quotes" \\ backslash',
        "Liëke 🍎 ß 日本語 wachtwoord",
        "          twaalf spaties ervoor",
    ],
)
def test_tricky_passphrases_round_trip(tmp_path: Path, tricky: str) -> None:
    path = tmp_path / "kluis.db"
    storage.create_vault(path, tricky).close()
    storage.open_vault(path, tricky).close()
    if "DROP" in tricky:  # a wrong one still fails (one case is enough: each costs a KDF)
        with pytest.raises(storage.WrongPassphrase):
            storage.open_vault(path, tricky[:-1], sleep=no_sleep)


def test_unicode_normalisation_opens_the_same_vault(vault_path: Path) -> None:
    composed = unicodedata.normalize("NFC", "Liëke zingt een ëigen lied")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    storage.create_vault(vault_path, decomposed).close()
    storage.open_vault(vault_path, composed).close()


@pytest.mark.parametrize(
    "weak",
    [
        "", "kort", "elf tekens!", "   elf tekens!   ", "x'" + "ab" * 32 + "'", "twaalf\x00tekens!",
        "twaalf tekens \ud800 los surrogaat",
    ],
)
def test_weak_passphrases_are_refused(vault_path: Path, weak: str) -> None:
    with pytest.raises(storage.WeakPassphrase) as info:
        storage.create_vault(vault_path, weak)
    assert info.value.melding
    assert not vault_path.exists()
    assert list(vault_path.parent.iterdir()) == []


def test_a_passphrase_that_cannot_be_a_key_is_simply_wrong(vault_path: Path, passphrase: str) -> None:
    """A lone surrogate must not reach SQLCipher: encoding the PRAGMA would fail with the
    whole statement, passphrase included, inside the UnicodeEncodeError."""
    storage.create_vault(vault_path, passphrase).close()
    for candidate in (passphrase + "\ud800", passphrase + "\x00", "x'" + "ab" * 32 + "'"):
        with pytest.raises(storage.WrongPassphrase) as info:
            storage.open_vault(vault_path, candidate, sleep=no_sleep)
        assert passphrase not in repr(info.value) and info.value.__context__ is None
    with storage.open_vault(vault_path, passphrase, sleep=no_sleep) as vault:
        vault._sleep = no_sleep
        with pytest.raises(storage.WrongPassphrase):
            vault.change_passphrase(passphrase + "\ud800", passphrase + "!")


def test_min_length_is_twelve_characters(vault_path: Path) -> None:
    storage.create_vault(vault_path, "twaalf teken").close()  # exactly 12


# --- the growing delay --------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_delay_schedule() -> None:
    assert [throttle.delay_for(n) for n in range(9)] == [0, 1, 2, 4, 8, 16, 30, 30, 30]


def test_wrong_passphrases_slow_down_and_success_resets(vault_path: Path, passphrase: str) -> None:
    storage.create_vault(vault_path, passphrase).close()
    fake = FakeTime()
    waits = []
    for _ in range(5):
        with pytest.raises(storage.WrongPassphrase) as info:
            storage.open_vault(vault_path, "fout wachtwoord!", sleep=fake.sleep, clock=fake.clock)
        waits.append(info.value.wait_seconds)
    # before the 1st attempt no wait, then 1, 2, 4, 8 s (the clock only moves by sleeping)
    assert fake.slept == [1, 2, 4, 8]
    assert waits == [1, 2, 4, 8, 16]
    assert storage.unlock_delay(vault_path, clock=fake.clock) == 16
    # the sidecar holds a counter and a time, nothing else
    sidecar = vault_path.with_name("kluis.db.attempts")
    assert set(json.loads(sidecar.read_text())) == {"failures", "last"}
    # time spent waiting in the UI counts: 10 s later only 6 s remain
    fake.now += 10
    fake.slept.clear()
    vault = storage.open_vault(vault_path, passphrase, sleep=fake.sleep, clock=fake.clock)
    assert fake.slept == [6]
    assert "failed_attempts=5" in vault.audit_log()[-1].detail
    vault.close()
    assert not sidecar.exists()
    fake.slept.clear()
    storage.open_vault(vault_path, passphrase, sleep=fake.sleep, clock=fake.clock).close()
    assert fake.slept == []


def test_delay_is_capped_and_survives_a_clock_going_back(tmp_path: Path) -> None:
    path = tmp_path / "kluis.db"
    fake = FakeTime()
    for _ in range(12):
        throttle.record_failure(path, fake.clock)
    assert throttle.remaining_delay(path, fake.clock) == 30
    fake.now -= 3600  # clock set back an hour: still 30 s, not an hour and not zero
    assert throttle.remaining_delay(path, fake.clock) == 30
    throttle.attempts_path(path).write_text("garbage")  # unreadable sidecar: no delay, no crash
    assert throttle.remaining_delay(path, fake.clock) == 0


# --- what cannot be opened -----------------------------------------------------------------


def test_missing_vault(tmp_path: Path) -> None:
    with pytest.raises(storage.VaultNotFound) as info:
        storage.open_vault(tmp_path / "nergens.db", "wat dan ook hier")
    assert str(tmp_path) not in str(info.value)  # no home folder (login name) in messages


def test_create_refuses_an_existing_vault_or_its_leftovers(vault_path: Path, passphrase: str) -> None:
    storage.create_vault(vault_path, passphrase).close()
    before = vault_path.read_bytes()
    with pytest.raises(storage.VaultExists):
        storage.create_vault(vault_path, passphrase)
    assert vault_path.read_bytes() == before
    other = vault_path.with_name("tweede.db")
    other.with_name("tweede.db-wal").write_bytes(b"\x00" * 32)  # a stale WAL of a lost vault
    with pytest.raises(storage.VaultExists):
        storage.create_vault(other, passphrase)


def test_create_makes_the_folder(tmp_path: Path, passphrase: str) -> None:
    path = tmp_path / "a" / "b" / "kluis.db"
    storage.create_vault(path, passphrase).close()
    assert path.is_file()
    assert sorted(p.name for p in path.parent.iterdir()) == ["kluis.db", "kluis.db.salt"]  # no temp files


def test_files_that_are_not_vaults(tmp_path: Path, passphrase: str) -> None:
    empty = tmp_path / "leeg.db"
    empty.write_bytes(b"")
    with pytest.raises(storage.VaultCorrupt):
        storage.open_vault(empty, passphrase)
    assert empty.read_bytes() == b""  # never turned into a new database

    plain = tmp_path / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(storage.VaultCorrupt):
        storage.open_vault(plain, passphrase)

    folder = tmp_path / "map.db"
    folder.mkdir()
    with pytest.raises(storage.VaultCorrupt):
        storage.open_vault(folder, passphrase)

    # another SQLCipher database with the same passphrase: decrypts, but is no vault
    alien = tmp_path / "alien.db"
    conn = sqlcipher3.connect(alien)
    conn.executescript(f"PRAGMA key = '{passphrase}'; CREATE TABLE t (x);")
    conn.close()
    with pytest.raises(storage.VaultCorrupt):
        storage.open_vault(alien, passphrase)


def test_truncated_and_garbage_files(vault_path: Path, passphrase: str, tmp_path: Path) -> None:
    with storage.create_vault(vault_path, passphrase) as vault:
        vault.save(demo_dossier())
    data = vault_path.read_bytes()
    truncated = tmp_path / "afgekapt.db"
    truncated.write_bytes(data[: len(data) - 1000])
    with pytest.raises(storage.VaultCorrupt):
        storage.open_vault(truncated, passphrase)
    # whole pages of noise cannot be told from a wrong passphrase (documented)
    noise = tmp_path / "ruis.db"
    noise.write_bytes(os.urandom(4096 * 4))
    with pytest.raises(storage.WrongPassphrase):
        storage.open_vault(noise, passphrase, sleep=no_sleep)


def test_a_page_tampered_with_while_open_fails_the_integrity_check(vault_path: Path, passphrase: str) -> None:
    """Damage before opening is refused at the door (test_damage.py); damage that appears
    while the vault is open is still found by the full check."""
    with storage.create_vault(vault_path, passphrase) as vault:
        for _ in range(5):
            vault.save(demo_dossier())
    with storage.open_vault(vault_path, passphrase) as vault:
        with vault_path.open("r+b") as handle:
            handle.seek(4096 * 2 + 100)
            byte = handle.read(1)
            handle.seek(4096 * 2 + 100)
            handle.write(bytes([byte[0] ^ 0x01]))  # one bit in page 3
        assert vault.integrity_check() is False


def test_every_error_has_a_dutch_message() -> None:
    """Only the Dutch message; personal data in messages is tested where errors arise."""
    for cls in (
        storage.VaultError, storage.WrongPassphrase, storage.WeakPassphrase,
        storage.VaultNotFound, storage.VaultExists, storage.VaultCorrupt, storage.VaultClosed,
        storage.DossierNotFound, storage.ImmutableVersion, storage.VaultTooNew,
        storage.VaultBusy, storage.VaultStorageError,
    ):
        assert issubclass(cls, storage.VaultError)
        exc = cls()
        assert exc.melding and exc.melding.endswith(".")
        assert str(exc)


def test_an_unreadable_dossier_reports_no_content(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    broken = dossier.model_dump_json().replace('"versie":1', '"versie":"Sanne Bakker"', 1)
    vault._conn.execute("UPDATE dossier_json SET json = ?", (broken,))  # type: ignore[union-attr]
    with pytest.raises(storage.VaultCorrupt) as info:
        vault.load(dossier.id)
    assert "Sanne" not in str(info.value) and "Bakker" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_an_older_dossier_shape_is_upgraded_on_load(vault: storage.Vault) -> None:
    """JSON saved by the prototype (schema version 0) goes through forms.migrate."""
    dossier = demo_dossier()
    vault.save(dossier)
    raw = json.loads(dossier.model_dump_json())
    del raw["schema_version"]
    raw["hulpvraag"] = raw["hulpvraag"]["tekst"]  # the prototype's plain-text hulpvraag
    vault._conn.execute("UPDATE dossier_json SET json = ?", (json.dumps(raw),))  # type: ignore[union-attr]
    assert vault.load(dossier.id).hulpvraag.tekst == dossier.hulpvraag.tekst


def test_a_dossier_from_a_newer_application_is_refused(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    raw = json.loads(dossier.model_dump_json())
    raw["schema_version"] = 99
    vault._conn.execute("UPDATE dossier_json SET json = ?", (json.dumps(raw),))  # type: ignore[union-attr]
    with pytest.raises(storage.VaultTooNew):
        vault.load(dossier.id)
