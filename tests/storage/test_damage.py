"""A damaged vault file: found before anything is written, told apart from a wrong
passphrase where SQLCipher allows it, never a bare exception.

Real vault files, damaged the way a failing disk or an interrupted copy does it: 16 bytes
flipped at a chosen place. A SQLCipher 4 page is 4096 bytes; page 1 starts with the
16-byte salt (in the clear, under no HMAC), every page ends with its IV and HMAC.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import storage
from forms.demo import demo_dossier
from forms.models import Dossier
from storage import throttle

PASSPHRASE = "keukentafel-test-wachtwoord"
PAGE = 4096


def no_sleep(seconds: float) -> None:
    """The growing delay and the re-check pause must not slow the tests down."""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[Dossier]]:
    """The bytes of a closed vault holding 30 dossiers (a few dozen pages).

    Copied to a fresh folder without its remembered salt (``kluis.db.salt``): a vault
    copied from elsewhere. The salt tests add it where they need it."""
    path = tmp_path_factory.mktemp("pristine") / "kluis.db"
    dossiers = [demo_dossier() for _ in range(30)]
    with storage.create_vault(path, PASSPHRASE, user="test-coach") as vault:
        for dossier in dossiers:
            vault.save(dossier)
    return path.read_bytes(), dossiers


@pytest.fixture
def damaged(tmp_path: Path, pristine: tuple[bytes, list[Dossier]]) -> Iterator[Callable[[int], Path]]:
    def make(offset: int) -> Path:
        data = bytearray(pristine[0])
        for i in range(16):
            data[offset + i] ^= 0xFF
        path = tmp_path / "kluis.db"
        path.write_bytes(bytes(data))
        return path

    yield make


def _state(path: Path) -> dict[str, str]:
    """SHA-256 of the vault and of any -wal/-shm/-journal beside it (absent ones left out)."""
    out = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            out[suffix or "db"] = hashlib.sha256(candidate.read_bytes()).hexdigest()
    return out


def _middle(size: int) -> int:
    return (size // PAGE // 2) * PAGE + 1000


@pytest.mark.parametrize(
    "where",
    ["middle", "last page", "header page after the salt"],
)
def test_a_damaged_vault_is_refused_before_anything_is_written(
    damaged: Callable[[int], Path], pristine: tuple[bytes, list[Dossier]], where: str
) -> None:
    size = len(pristine[0])
    offset = {"middle": _middle(size), "last page": size - PAGE + 200, "header page after the salt": 100}[where]
    path = damaged(offset)
    before = _state(path)
    with pytest.raises(storage.VaultDamaged) as info:
        storage.open_vault(path, PASSPHRASE, sleep=no_sleep)
    error = info.value
    # nothing written: the file as it was, no -wal/-shm created
    assert _state(path) == before
    assert set(before) == {"db"}
    # a copy, encrypted as it was, beside it; named in the Dutch message
    assert error.copy_name and error.copy_name.startswith("kluis.db.beschadigd-")
    assert (path.parent / error.copy_name).read_bytes() == path.read_bytes()
    assert error.copy_name in error.melding
    assert "functioneel beheerder" in error.melding and "zaaksysteem" in error.melding
    assert "niets in veranderd" in error.melding
    assert str(path.parent) not in str(error) + error.melding  # no home folder in messages
    damaged_page = offset // PAGE + 1
    assert damaged_page in error.pages
    # damage is not a wrong passphrase: no delay starts
    assert error.header is (damaged_page == 1)
    if error.header:
        assert error.melding.startswith("Het wachtwoord is goed, maar het begin van het kluisbestand")
    assert throttle.read_attempts(path).failures == 0
    # trying again changes nothing and keeps one copy
    with pytest.raises(storage.VaultDamaged):
        storage.open_vault(path, PASSPHRASE, sleep=no_sleep)
    assert _state(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["kluis.db", error.copy_name]


def test_a_wrong_passphrase_on_a_damaged_vault_is_still_wrong(damaged: Callable[[int], Path], pristine: tuple) -> None:
    path = damaged(_middle(len(pristine[0])))
    before = _state(path)
    with pytest.raises(storage.WrongPassphrase):
        storage.open_vault(path, PASSPHRASE + "x", sleep=no_sleep)
    assert _state(path) == before
    assert not list(path.parent.glob("*beschadigd*"))  # a wrong key proves nothing about damage


def test_damage_to_the_salt_cannot_be_told_from_a_wrong_passphrase_and_says_so(
    damaged: Callable[[int], Path],
) -> None:
    """The salt (first 16 bytes) feeds the key derivation and is under no HMAC: with it
    damaged, the right passphrase fails on every page, exactly like a wrong one."""
    path = damaged(0)
    before = _state(path)
    meldingen = []
    for _ in range(3):
        with pytest.raises(storage.WrongPassphrase) as info:
            storage.open_vault(path, PASSPHRASE, sleep=no_sleep)
        meldingen.append(info.value.melding)
    assert _state(path) == before
    assert meldingen[0] == "Het wachtwoord klopt niet."
    assert meldingen[2].startswith("Het wachtwoord klopt niet.")
    assert "beschadigd" in meldingen[2] and "niet van een verkeerd wachtwoord te onderscheiden" in meldingen[2]


def _remember(path: Path, pristine: tuple[bytes, list[Dossier]]) -> None:
    """The salt sidecar as open_vault leaves it after an unlock of the intact vault."""
    path.with_name("kluis.db.salt").write_text(json.dumps({"salt": pristine[0][:16].hex()}))


def test_damage_to_the_salt_is_told_apart_with_the_remembered_salt(
    damaged: Callable[[int], Path], pristine: tuple[bytes, list[Dossier]]
) -> None:
    path = damaged(0)
    _remember(path, pristine)
    before = _state(path)
    with pytest.raises(storage.VaultDamaged) as info:
        storage.open_vault(path, PASSPHRASE, sleep=no_sleep)
    error = info.value
    assert error.header and error.pages == (1,)
    assert error.melding.startswith("Het wachtwoord is goed, maar het begin van het kluisbestand")
    assert error.copy_name and (path.parent / error.copy_name).read_bytes() == path.read_bytes()
    assert _state(path) == before
    assert throttle.read_attempts(path).failures == 0
    # the remembered salt is kept as it was (it is what a repair needs)
    assert json.loads(path.with_name("kluis.db.salt").read_text())["salt"] == pristine[0][:16].hex()


def test_a_wrong_passphrase_on_a_vault_whose_salt_changed_costs_one_failure_at_most(
    damaged: Callable[[int], Path], pristine: tuple[bytes, list[Dossier]]
) -> None:
    path = damaged(0)
    _remember(path, pristine)
    before = _state(path)
    for _ in range(4):
        with pytest.raises(storage.WrongPassphrase) as info:
            storage.open_vault(path, "niet het goede wachtwoord", sleep=no_sleep)
        assert "veranderd sinds de kluis de vorige keer openging" in info.value.melding
        assert info.value.wait_seconds <= throttle.delay_for(1)
    assert throttle.read_attempts(path).failures == 1
    assert _state(path) == before
    assert not list(path.parent.glob("*beschadigd*"))


def test_the_right_passphrase_on_an_intact_vault_opens_it(tmp_path: Path, pristine: tuple) -> None:
    path = tmp_path / "kluis.db"
    path.write_bytes(pristine[0])
    with pytest.raises(storage.WrongPassphrase) as info:
        storage.open_vault(path, "niet het goede wachtwoord", sleep=no_sleep)
    assert info.value.melding == "Het wachtwoord klopt niet."
    with storage.open_vault(path, PASSPHRASE, sleep=no_sleep) as vault:
        assert len(vault.list_dossiers()) == 30
    assert not list(tmp_path.glob("*beschadigd*"))


def test_a_stale_wal_beside_a_damaged_vault_is_left_alone_and_copied(
    tmp_path: Path, pristine: tuple
) -> None:
    """After a crash the WAL holds committed pages; opening normally would checkpoint
    them into the damaged file. The check opens nothing that could."""
    source = tmp_path / "bron" / "kluis.db"
    source.parent.mkdir()
    source.write_bytes(pristine[0])
    vault = storage.open_vault(source, PASSPHRASE, sleep=no_sleep)
    vault.save(demo_dossier())
    # copy the files while the vault is open: what a crash leaves behind
    path = tmp_path / "kluis.db"
    data = bytearray(source.read_bytes())
    wal = source.with_name("kluis.db-wal").read_bytes()
    vault.close()
    assert len(wal) > 0
    offset = _middle(len(data))
    for i in range(16):
        data[offset + i] ^= 0xFF
    path.write_bytes(bytes(data))
    path.with_name("kluis.db-wal").write_bytes(wal)
    before = _state(path)
    with pytest.raises(storage.VaultDamaged) as info:
        storage.open_vault(path, PASSPHRASE, sleep=no_sleep)
    assert _state(path) == before
    copy = path.with_name(info.value.copy_name)
    assert copy.read_bytes() == path.read_bytes()
    assert copy.with_name(copy.name + "-wal").read_bytes() == wal


def test_an_intact_vault_with_a_stale_wal_opens_with_its_last_save(tmp_path: Path, pristine: tuple) -> None:
    """The check through the immutable connection must not turn a crash into 'damaged'."""
    source = tmp_path / "bron" / "kluis.db"
    source.parent.mkdir()
    source.write_bytes(pristine[0])
    last = demo_dossier()
    vault = storage.open_vault(source, PASSPHRASE, sleep=no_sleep)
    vault.save(last)
    path = tmp_path / "kluis.db"
    path.write_bytes(source.read_bytes())
    path.with_name("kluis.db-wal").write_bytes(source.with_name("kluis.db-wal").read_bytes())
    vault.close()
    with storage.open_vault(path, PASSPHRASE, sleep=no_sleep) as reopened:
        assert reopened.load(last.id) == last
    assert not list(tmp_path.glob("*beschadigd*"))


def test_damage_met_while_open_is_a_dutch_storage_error_and_stops_writes(
    tmp_path: Path, pristine: tuple[bytes, list[Dossier]]
) -> None:
    """A page going bad under an open vault: loading says so in Dutch (never a bare
    MemoryError, SQLCipher's report of a bad page while writing), and nothing more is
    written to it."""
    path = tmp_path / "kluis.db"
    path.write_bytes(pristine[0])
    dossiers = pristine[1]
    vault = storage.open_vault(path, PASSPHRASE, sleep=no_sleep)
    try:
        # damage every page past the first three, under the open connection
        size = path.stat().st_size
        with path.open("r+b") as handle:
            for page in range(3, size // PAGE):
                handle.seek(page * PAGE + 1000)
                chunk = handle.read(16)
                handle.seek(page * PAGE + 1000)
                handle.write(bytes(b ^ 0xFF for b in chunk))
        errors: list[BaseException] = []
        for dossier in dossiers:
            try:
                vault.load(dossier.id)
            except storage.VaultError as exc:
                errors.append(exc)
        assert errors, "no load met the damage"
        assert all(isinstance(e, storage.VaultDamaged) for e in errors), errors
        first = errors[0]
        assert "functioneel beheerder" in first.melding and "schrijft niets meer" in first.melding
        assert first.copy_name and (path.parent / first.copy_name).exists()
        with pytest.raises(storage.VaultDamaged):
            vault.save(dossiers[0])
        with pytest.raises(storage.VaultDamaged):
            vault.record_event("unlock")
    finally:
        vault.close()


def test_sqlcipher_nomem_becomes_a_damaged_vault_error() -> None:
    """SQLCipher turns a page failing its HMAC during a write into SQLITE_NOMEM, which
    Python raises as a bare MemoryError (seen loading from a vault damaged in its last
    page). Inside a vault call it is reported as damage, in Dutch."""
    from storage.errors import translate_errors

    with pytest.raises(storage.VaultDamaged) as info, translate_errors("loading a dossier"):
        raise MemoryError()
    assert info.value.melding and "functioneel beheerder" in info.value.melding
