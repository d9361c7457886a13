"""The vault's sync state (storage.syncstate): one transaction per write, conflict flag, no queueing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import storage
from forms.demo import demo_dossier
from storage.syncstate import ConflictRecord, StaleDossier, SyncState, VerslagUpload

PASSPHRASE = "keukentafel-test-wachtwoord"


def _vault(tmp_path: Path) -> storage.Vault:
    return storage.create_vault(tmp_path / "kluis.db", PASSPHRASE, user="test-coach")


def test_state_round_trip_and_conflict_flag(tmp_path: Path) -> None:
    dossier = demo_dossier()
    with _vault(tmp_path) as vault:
        vault.save(dossier)
        empty = vault.get_sync_state(dossier.id)
        assert empty == SyncState(dossier.id)
        state = SyncState(
            dossier.id,
            zaak_url="https://zaken.example/api/v1/zaken/1",
            document_url="https://doc.example/api/v1/enkelvoudiginformatieobjecten/1",
            remote_versie=3,
            base_json='{"a": 1}',
            inflight_sha256="ab" * 32,
            lock_id="",
            rol_url="https://zaken.example/api/v1/rollen/1",
            statustype="https://cat.example/statustypen/1",
            linked=("https://doc.example/1",),
            verslagen={1: VerslagUpload("https://doc.example/2", "cd" * 32, True)},
            conflicts=(ConflictRecord("plan/perspectief", "lokaal", "centraal", 3),),
        )
        vault.set_sync_state(state)
        assert vault.get_sync_state(dossier.id) == state
        assert vault.sync_states() == {dossier.id: state}
        assert vault.conflicts(dossier.id) == list(state.conflicts)
        assert vault.list_dossiers()[0].conflict is True
        vault.set_sync_state(replace(state, conflicts=()))
        assert vault.list_dossiers()[0].conflict is False
        actions = [e.action for e in vault.audit_log(dossier.id)]
        assert actions.count("conflict_set") == 1 and actions.count("conflict_cleared") == 1
        # nothing of the conflict's content reaches the audit log
        assert all("lokaal" not in e.detail and "centraal" not in e.detail for e in vault.audit_log())


def test_apply_remote_replaces_without_queueing(tmp_path: Path) -> None:
    dossier = demo_dossier()
    with _vault(tmp_path) as vault:
        vault.save(dossier)
        assert len(vault.pending_changes()) == 1
        vault.mark_sent([c.seq for c in vault.pending_changes()])
        changed = dossier.model_copy(deep=True)
        changed.plan.perspectief = "Centraal bijgewerkt"
        sha = vault.stored_sha256(dossier.id)
        vault.apply_remote(changed, SyncState(dossier.id, remote_versie=2), expected_sha256=sha)
        assert vault.load(dossier.id) == changed
        assert vault.pending_changes() == []
        assert vault.get_sync_state(dossier.id).remote_versie == 2
        assert "pull" in [e.action for e in vault.audit_log(dossier.id)]
        # a stale expectation writes nothing
        other = changed.model_copy(deep=True)
        other.plan.perspectief = "Nog iets anders"
        try:
            vault.apply_remote(other, SyncState(dossier.id, remote_versie=3), expected_sha256=sha)
        except StaleDossier:
            pass
        else:
            raise AssertionError("expected StaleDossier")
        assert vault.load(dossier.id) == changed
        assert vault.get_sync_state(dossier.id).remote_versie == 2


def test_apply_remote_creates_a_new_dossier(tmp_path: Path) -> None:
    dossier = demo_dossier()
    with _vault(tmp_path) as vault:
        vault.apply_remote(dossier, SyncState(dossier.id, remote_versie=1), expected_sha256="")
        assert vault.load(dossier.id) == dossier
        assert vault.pending_changes() == []
        assert [d.id for d in vault.list_dossiers()] == [dossier.id]


def test_run_summary(tmp_path: Path) -> None:
    with _vault(tmp_path) as vault:
        summary = vault.sync_summary()
        assert summary.last_success is None and summary.last_ok is None and summary.unsent == 0
        vault.save(demo_dossier())
        vault.finish_sync_run(False, "De gemeente is nu niet bereikbaar.", "ok=0 requests=1")
        summary = vault.sync_summary()
        assert summary.last_ok is False and summary.last_success is None and summary.unsent == 1
        assert summary.problem.startswith("De gemeente")
        vault.finish_sync_run(True, "", "ok=1 requests=3")
        summary = vault.sync_summary()
        assert summary.last_ok is True and summary.last_success is not None and summary.problem == ""
        assert [e.detail for e in vault.audit_log() if e.action == "sync_run"] == ["ok=0 requests=1", "ok=1 requests=3"]
