"""Saving with a revision check: ``Vault.save(dossier, expected=…)`` and ``load_revision``.

Real vault files; two Vault objects on one file stand for two windows (or the app and the
sync) that each read the dossier and then save.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import storage
from forms.demo import demo_dossier
from forms.models import Dossier


def _edited(dossier: Dossier, text: str) -> Dossier:
    changed = dossier.model_copy(deep=True)
    changed.plan.perspectief = text
    return changed


def _counts(vault: storage.Vault, dossier: Dossier) -> tuple[int, int]:
    saves = [e for e in vault.audit_log(dossier.id) if e.action == "save"]
    return len(saves), len(vault.pending_changes())


def test_load_revision_is_the_sha256_of_the_stored_json(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    loaded, revision = vault.load_revision(dossier.id)
    assert loaded == dossier
    assert revision == hashlib.sha256(dossier.model_dump_json().encode("utf-8")).hexdigest()
    assert revision == vault.stored_sha256(dossier.id)
    assert [e.action for e in vault.audit_log(dossier.id)][-1] == "read"
    with pytest.raises(storage.DossierNotFound):
        vault.load_revision(demo_dossier().id)


def test_save_with_the_revision_read_succeeds_and_gives_a_new_one(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier, expected=None)  # a new dossier: must not exist yet
    _, first = vault.load_revision(dossier.id)
    vault.save(_edited(dossier, "Eerste wijziging"), expected=first)
    loaded, second = vault.load_revision(dossier.id)
    assert loaded.plan.perspectief == "Eerste wijziging"
    assert second != first
    # saving the same content again keeps the revision (it is the content's hash)
    vault.save(loaded, expected=second)
    assert vault.load_revision(dossier.id)[1] == second


def test_a_stale_revision_writes_nothing(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    _, old = vault.load_revision(dossier.id)
    vault.save(_edited(dossier, "Van iemand anders"))
    _, current = vault.load_revision(dossier.id)
    before = _counts(vault, dossier)
    with pytest.raises(storage.StaleDossier) as caught:
        vault.save(_edited(dossier, "Van mij"), expected=old)
    assert caught.value.revision == current
    assert caught.value.dossier_id == dossier.id
    assert "gewijzigd" in caught.value.melding and "niet opgeslagen" in caught.value.melding
    assert vault.load(dossier.id).plan.perspectief == "Van iemand anders"
    assert _counts(vault, dossier) == before  # no save audited, nothing queued


def test_expected_none_refuses_an_existing_dossier(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    _, revision = vault.load_revision(dossier.id)
    with pytest.raises(storage.StaleDossier) as caught:
        vault.save(_edited(dossier, "Dubbel aangemaakt"), expected=None)
    assert caught.value.revision == revision
    assert vault.load(dossier.id) == dossier


def test_a_revision_for_a_dossier_that_is_not_stored_is_stale(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    with pytest.raises(storage.StaleDossier) as caught:
        vault.save(dossier, expected="0" * 64)
    assert caught.value.revision is None
    with pytest.raises(storage.DossierNotFound):
        vault.load(dossier.id)


def test_without_expected_the_save_replaces_as_before(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    vault.save(_edited(dossier, "Zonder controle"))
    assert vault.load(dossier.id).plan.perspectief == "Zonder controle"


def test_expected_must_be_a_revision_or_none(vault: storage.Vault) -> None:
    with pytest.raises(TypeError):
        vault.save(demo_dossier(), expected=123)  # type: ignore[arg-type]


def test_two_vault_objects_on_one_file(vault_path: Path, passphrase: str) -> None:
    """Two windows read the same revision; the first save wins, the second is refused
    with the first one's revision, and succeeds once it has read that."""
    dossier = demo_dossier()
    first = storage.create_vault(vault_path, passphrase, user="coach-a")
    try:
        first.save(dossier)
        second = storage.open_vault(vault_path, passphrase, user="coach-b")
        try:
            _, rev_a = first.load_revision(dossier.id)
            _, rev_b = second.load_revision(dossier.id)
            assert rev_a == rev_b
            first.save(_edited(dossier, "Venster A"), expected=rev_a)
            with pytest.raises(storage.StaleDossier) as caught:
                second.save(_edited(dossier, "Venster B"), expected=rev_b)
            seen_by_b, now = second.load_revision(dossier.id)
            assert caught.value.revision == now
            assert seen_by_b.plan.perspectief == "Venster A"
            second.save(_edited(seen_by_b, "Venster B, daarna"), expected=now)
            assert first.load(dossier.id).plan.perspectief == "Venster B, daarna"
        finally:
            second.close()
    finally:
        first.close()


def test_the_sync_write_raises_the_same_error_with_its_own_message(vault: storage.Vault) -> None:
    from storage.syncstate import SyncState

    dossier = demo_dossier()
    vault.save(dossier)
    _, revision = vault.load_revision(dossier.id)
    with pytest.raises(storage.StaleDossier) as caught:
        vault.apply_remote(_edited(dossier, "Centraal"), SyncState(dossier.id), expected_sha256="f" * 64)
    assert caught.value.revision == revision
    assert "synchronisatie" in caught.value.melding
