"""The field-level audit trail: each save records which fields changed (paths), who and
when; never a value. Real vault files; the tables are read back raw to check that."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

import storage
from forms.demo import demo_dossier
from forms.models import Dossier
from storage.schema import MIGRATIONS
from storage.syncstate import SyncState

TYPED = "Zorgen over de huur sinds de zomer"  # a value a wijkcoach types; must never reach the log


def _raw_audit(vault: storage.Vault) -> str:
    conn = vault._conn
    assert conn is not None
    rows = conn.execute("SELECT at, who, action, dossier_id, detail FROM audit").fetchall()
    rows += conn.execute("SELECT seq, n, path FROM audit_paths").fetchall()
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


def _personal_texts(dossier: Dossier) -> list[str]:
    out = [TYPED, dossier.huishouden.adres.straat, dossier.huishouden.adres.postcode]
    for m in dossier.huishouden.leden:
        out += [m.voornaam, m.achternaam, m.geboortedatum.isoformat()]
    return [t for t in out if t]


def test_a_save_records_the_changed_paths_who_and_when(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    edited = dossier.model_copy(deep=True)
    entry = edited.leefgebieden[0]
    entry.zorgen = TYPED
    edited.plan.perspectief = TYPED
    vault.save(edited)

    history = vault.dossier_history(dossier.id)
    newest = history[0]
    assert newest.action == "save" and newest.who == "test-coach"
    assert newest.paths == (f"leefgebieden/[{entry.id}]/zorgen", "plan/perspectief")
    assert "velden=2" in newest.detail
    first = [e for e in history if e.action == "save"][-1]
    assert first.paths == () and "nieuw=ja" in first.detail
    assert [e.seq for e in history] == sorted((e.seq for e in history), reverse=True)
    assert newest.when >= first.when


def test_a_save_without_changes_records_no_paths(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    vault.save(dossier)
    newest = vault.dossier_history(dossier.id)[0]
    assert newest.action == "save" and newest.paths == () and "velden=0" in newest.detail


def test_added_and_removed_items_are_one_path_each(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    edited = dossier.model_copy(deep=True)
    gone = edited.plan.doelen.pop()
    vault.save(edited)
    assert vault.dossier_history(dossier.id)[0].paths == (f"plan/doelen/[{gone.id}]",)


def test_a_pull_records_its_paths_too(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    central = dossier.model_copy(deep=True)
    central.hulpvraag.tekst = TYPED
    vault.apply_remote(central, SyncState(dossier.id, remote_versie=2))
    newest = vault.dossier_history(dossier.id)[0]
    assert newest.action == "pull" and newest.paths == ("hulpvraag/tekst",)


def test_the_audit_log_holds_no_personal_data(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    edited = dossier.model_copy(deep=True)
    edited.huishouden.leden[0].voornaam = "Zwaantje"
    edited.leefgebieden[0].zorgen = TYPED
    edited.gesprek.overige_aanwezigen = TYPED
    vault.save(edited)
    vault.load(dossier.id)
    raw = _raw_audit(vault)
    assert "voornaam" in raw  # the field is named ...
    for text in [*_personal_texts(dossier), *_personal_texts(edited)]:
        assert text not in raw  # ... never its value, nor any other personal text


def test_the_path_table_is_append_only(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    edited = dossier.model_copy(deep=True)
    edited.plan.perspectief = TYPED
    vault.save(edited)
    conn = vault._conn
    assert conn is not None
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_paths SET path = 'x'")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_paths")


def test_history_lists_other_events_in_order(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    vault.record_event("finalise", dossier.id, "versie=1")
    vault.record_event("sync_sent", dossier.id, "changes=1 versie=1 remote_versie=1")
    other = demo_dossier()
    vault.save(other)
    actions = [e.action for e in vault.dossier_history(dossier.id)]
    assert actions == ["sync_sent", "finalise", "save"]


def test_an_older_vault_gets_the_table_and_keeps_its_history(vault_path: Path, passphrase: str) -> None:
    dossier = demo_dossier()
    old = storage.create_vault(vault_path, passphrase, user="test-coach", migrations=MIGRATIONS[:2])
    try:
        old.save(dossier)
        assert old.schema_version() == 2
    finally:
        old.close()
    with storage.open_vault(vault_path, passphrase, user="test-coach") as vault:
        assert vault.schema_version() == len(MIGRATIONS)
        edited = dossier.model_copy(deep=True)
        edited.plan.perspectief = TYPED
        vault.save(edited)
        history = vault.dossier_history(dossier.id)
        assert history[0].paths == ("plan/perspectief",)
        assert [e.action for e in history] == ["save", "save"]


def test_paths_are_against_what_is_stored_even_after_another_window_saved(
    vault_path: Path, passphrase: str
) -> None:
    """Vault A keeps the JSON it saved last; after vault B saved, A's next save diffs
    against B's version (what is stored), not against its own memory."""
    dossier = demo_dossier()
    with storage.create_vault(vault_path, passphrase, user="coach-a") as a:
        a.save(dossier)
        with storage.open_vault(vault_path, passphrase, user="coach-b") as b:
            by_b = dossier.model_copy(deep=True)
            by_b.plan.perspectief = TYPED
            b.save(by_b)
        by_a = by_b.model_copy(deep=True)
        by_a.hulpvraag.tekst = TYPED
        a.save(by_a)
        newest, before = a.dossier_history(dossier.id)[:2]
        assert (newest.who, newest.paths) == ("coach-a", ("hulpvraag/tekst",))
        assert (before.who, before.paths) == ("coach-b", ("plan/perspectief",))
        assert a._last_saved  # it kept what it saved ...
    assert not a._last_saved  # ... until it closed: no decrypted content beyond the vault's life
