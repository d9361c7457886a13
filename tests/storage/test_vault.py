"""The vault's narrow interface: dossiers, listing, audit log, change queue, settings, versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storage
from forms.demo import demo_dossier
from forms.models import Dossier
from forms.summary import GesprekStatus, Summary


def test_public_surface_is_declared() -> None:
    for name in storage.__all__:
        assert hasattr(storage, name), name
    for name in (
        "create_vault", "open_vault", "default_vault_path", "Vault", "DossierListing",
        "AuditEntry", "QueuedChange", "StoredVersion", "MIN_PASSPHRASE_LENGTH",
        "VaultError", "WrongPassphrase", "WeakPassphrase", "VaultNotFound", "VaultExists",
        "VaultCorrupt", "VaultClosed", "DossierNotFound", "ImmutableVersion",
    ):
        assert name in storage.__all__, name
    assert storage.MIN_PASSPHRASE_LENGTH == 12


def test_default_vault_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KEUKENTAFEL_VAULT", raising=False)
    default = storage.default_vault_path()
    assert default.name == "kluis.db" and "Keukentafel" in str(default)
    monkeypatch.setenv("KEUKENTAFEL_VAULT", str(tmp_path / "ander.db"))
    assert storage.default_vault_path() == tmp_path / "ander.db"


def test_save_then_load_gives_an_equal_dossier(shared_vault: storage.Vault, demo: Dossier) -> None:
    loaded = shared_vault.load(demo.id)
    assert loaded == demo
    assert loaded.model_dump_json() == demo.model_dump_json()


def test_save_returns_the_summary(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    summary = vault.save(dossier)
    assert isinstance(summary, Summary)
    assert summary.id == dossier.id
    assert summary.titel == dossier.titel


def test_listing_comes_from_the_summary_columns(vault: storage.Vault) -> None:
    first, second = demo_dossier(), demo_dossier()
    vault.save(first)
    before = dt.datetime.now(dt.UTC)
    vault.save(second)
    vault.save(second)
    rows = vault.list_dossiers()
    assert [r.id for r in rows] == [second.id, first.id]  # newest change first
    row = rows[0]
    assert isinstance(row, storage.DossierListing)
    assert row.titel == second.titel
    assert row.adres == second.huishouden.adres.one_line()
    assert row.postcode == "1781 AB"
    assert isinstance(row.status, GesprekStatus)
    assert isinstance(row.blokkerend, int)
    assert row.onverzonden == 2 and rows[1].onverzonden == 1
    assert row.conflict is False
    assert row.gewijzigd.tzinfo is not None and row.gewijzigd >= before - dt.timedelta(seconds=1)


def test_a_second_save_replaces_the_content(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    dossier.hulpvraag.tekst = "Een andere hulpvraag."
    dossier.versie = 2
    vault.save(dossier)
    assert vault.load(dossier.id).hulpvraag.tekst == "Een andere hulpvraag."
    assert len(vault.list_dossiers()) == 1
    assert vault.list_dossiers()[0].versie == 2


def test_unknown_dossier(vault: storage.Vault) -> None:
    with pytest.raises(storage.DossierNotFound) as info:
        vault.load(uuid.uuid4())
    assert info.value.melding


def test_save_refuses_what_is_not_a_dossier(vault: storage.Vault) -> None:
    with pytest.raises(TypeError):
        vault.save({"id": str(uuid.uuid4())})  # type: ignore[arg-type]


def test_conflict_flag(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    vault.set_conflict(dossier.id)
    assert vault.list_dossiers()[0].conflict is True
    vault.save(dossier)  # a local save does not clear what the sync found
    assert vault.list_dossiers()[0].conflict is True
    vault.set_conflict(dossier.id, False)
    assert vault.list_dossiers()[0].conflict is False


# --- audit log ------------------------------------------------------------------------------


def test_audit_log_records_save_read_and_list_without_content(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    vault.load(dossier.id)
    vault.list_dossiers()
    entries = vault.audit_log()
    actions = [e.action for e in entries]
    assert actions[:2] == ["vault_create", "vault_open"]
    assert actions[2:] == ["save", "read", "list"]
    for entry in entries:
        assert isinstance(entry, storage.AuditEntry)
        assert entry.who == "test-coach"
        assert entry.when.utcoffset() == dt.timedelta(0)
    save, read, listed = entries[2:]
    assert save.dossier_id == dossier.id and read.dossier_id == dossier.id
    assert listed.dossier_id is None  # the list view is not audited per dossier
    assert [e.action for e in vault.audit_log(dossier.id)] == ["save", "read"]
    # no content: nothing of the dossier's text appears in any audit field
    text = " ".join(f"{e.who} {e.action} {e.detail}" for e in entries)
    for member in dossier.huishouden.leden:
        assert member.voornaam not in text and member.achternaam not in text
    assert dossier.huishouden.adres.straat not in text


def test_record_event(vault: storage.Vault) -> None:
    dossier_id = uuid.uuid4()
    vault.record_event("sync_sent", dossier_id, detail="status=201")
    vault.record_event("unlock")
    last_two = vault.audit_log()[-2:]
    assert [(e.action, e.dossier_id, e.detail) for e in last_two] == [
        ("sync_sent", dossier_id, "status=201"),
        ("unlock", None, ""),
    ]
    with pytest.raises(ValueError):
        vault.record_event("Iets met spaties")
    with pytest.raises(ValueError):
        vault.record_event("note", detail="x" * 201)
    with pytest.raises(ValueError):
        vault.record_event("note", detail="two\nlines")


def test_audit_log_is_append_only(vault: storage.Vault) -> None:
    with pytest.raises(storage.VaultError), storage.errors.translate_errors("tampering"):
        vault._conn.execute("DELETE FROM audit")  # type: ignore[union-attr]
    assert len(vault.audit_log()) >= 2


def test_user_defaults_to_the_wijkcoach_setting(passphrase: str, vault_path: Path) -> None:
    with storage.create_vault(vault_path, passphrase) as v:
        v.set_setting("wijkcoach", "J. Coach")
    with storage.open_vault(vault_path, passphrase) as v:
        assert v.user == "J. Coach"
        assert v.audit_log()[-1].who == "J. Coach"


# --- change queue ---------------------------------------------------------------------------


def test_change_queue_is_ordered_with_unique_keys(vault: storage.Vault) -> None:
    a, b = demo_dossier(), demo_dossier()
    for dossier in (a, b, a, a, b):
        vault.save(dossier)
    pending = vault.pending_changes()
    assert [c.dossier_id for c in pending] == [a.id, b.id, a.id, a.id, b.id]
    seqs = [c.seq for c in pending]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    keys = [c.idempotency_key for c in pending]
    assert len(set(keys)) == 5
    assert all(uuid.UUID(k).version == 4 for k in keys)
    expected = hashlib.sha256(b.model_dump_json().encode()).hexdigest()
    assert pending[-1].payload_sha256 == expected
    assert pending[-1].dossier_versie == b.versie
    assert pending[0].created.tzinfo is not None
    assert vault.pending_changes(limit=2) == pending[:2]


def test_mark_sent_removes_from_pending(vault: storage.Vault) -> None:
    a, b = demo_dossier(), demo_dossier()
    for dossier in (a, b, a):
        vault.save(dossier)
    pending = vault.pending_changes()
    vault.mark_sent([pending[0].seq, pending[1].seq])
    assert vault.pending_changes() == pending[2:]
    vault.mark_sent([pending[0].seq, 999_999])  # already sent and unknown: ignored
    assert vault.pending_changes() == pending[2:]
    counts = {r.id: r.onverzonden for r in vault.list_dossiers()}
    assert counts == {a.id: 1, b.id: 0}
    vault.mark_sent(c.seq for c in vault.pending_changes())
    assert vault.pending_changes() == []


# --- settings -------------------------------------------------------------------------------


def test_settings_round_trip_as_json(vault: storage.Vault) -> None:
    assert vault.get_setting("sync", default={"aan": False}) == {"aan": False}
    value = {"url": "https://zaken.example.org/api/v1", "client_secret": "geheim", "poging": [1, 2]}
    vault.set_setting("sync", value)
    vault.set_setting("idle_timeout_s", 300)
    assert vault.get_setting("sync") == value
    assert vault.get_setting("idle_timeout_s") == 300
    vault.set_setting("idle_timeout_s", None)
    assert vault.get_setting("idle_timeout_s", 600) == 600
    with pytest.raises(TypeError):
        vault.set_setting("x", object())
    # the audit log names the key, never the value
    assert all("geheim" not in e.detail for e in vault.audit_log())


# --- finalised versions ---------------------------------------------------------------------


def test_store_version_is_immutable(vault: storage.Vault) -> None:
    dossier = demo_dossier()
    text = dossier.model_dump_json()
    sha = hashlib.sha256(text.encode()).hexdigest()
    vault.store_version(dossier.id, 1, sha, text, pdf=b"%PDF-1.4 demo")
    vault.store_version(dossier.id, 1, sha, text, pdf=b"%PDF-1.4 demo")  # identical: no-op
    with pytest.raises(storage.ImmutableVersion):
        vault.store_version(dossier.id, 1, sha, text, pdf=b"%PDF-1.4 other")
    with pytest.raises(storage.ImmutableVersion):
        vault.store_version(dossier.id, 1, "0" * 64, text, pdf=b"%PDF-1.4 demo")
    with pytest.raises(storage.ImmutableVersion):
        vault.store_version(dossier.id, 1, sha, text)  # without the PDF is different too
    # the table itself refuses changes, whatever the caller does
    with pytest.raises(storage.ImmutableVersion), storage.errors.translate_errors("tampering"):
        vault._conn.execute("UPDATE versions SET pdf = NULL")  # type: ignore[union-attr]
    vault.store_version(dossier.id, 2, "f" * 64, "{}")
    listed = vault.list_versions(dossier.id)
    assert [(v.versie, v.has_pdf, v.dossier_json, v.pdf) for v in listed] == [
        (1, True, None, None),
        (2, False, None, None),
    ]
    stored = vault.load_version(dossier.id, 1)
    assert (stored.sha256, stored.dossier_json, stored.pdf) == (sha, text, b"%PDF-1.4 demo")
    assert Dossier.model_validate_json(stored.dossier_json) == dossier
    with pytest.raises(storage.DossierNotFound):
        vault.load_version(dossier.id, 3)
    assert vault.list_versions(uuid.uuid4()) == []
    actions = [e.action for e in vault.audit_log(dossier.id)]
    assert actions == ["version_stored", "version_stored", "read_version"]


def test_store_version_checks_its_arguments(vault: storage.Vault) -> None:
    with pytest.raises(ValueError):
        vault.store_version(uuid.uuid4(), 1, "not-a-hash", "{}")
    with pytest.raises(ValueError):
        vault.store_version(uuid.uuid4(), 0, "a" * 64, "{}")
    with pytest.raises(ValueError):
        vault.store_version(uuid.uuid4(), 1, "a" * 64, "{not json")


# --- life cycle -----------------------------------------------------------------------------


def test_a_closed_vault_never_reopens(passphrase: str, vault_path: Path) -> None:
    v = storage.create_vault(vault_path, passphrase)
    dossier = demo_dossier()
    v.save(dossier)
    v.close()
    assert v.closed
    v.close()  # idempotent
    calls = [
        lambda: v.load(dossier.id),
        lambda: v.save(dossier),
        v.list_dossiers,
        v.audit_log,
        v.pending_changes,
        lambda: v.mark_sent([1]),
        lambda: v.get_setting("x"),
        lambda: v.set_setting("x", 1),
        lambda: v.record_event("lock"),
        lambda: v.list_versions(dossier.id),
        lambda: v.change_passphrase(passphrase, passphrase + "!"),
        v.integrity_check,
    ]
    for call in calls:
        with pytest.raises(storage.VaultClosed) as info:
            call()
        assert info.value.melding
    assert v.closed


def test_context_manager_closes(passphrase: str, vault_path: Path) -> None:
    with storage.create_vault(vault_path, passphrase) as v:
        assert not v.closed
        assert v.path == vault_path
    assert v.closed
    with pytest.raises(storage.VaultClosed):
        v.list_dossiers()


def test_two_threads_are_serialised(vault: storage.Vault) -> None:
    dossiers = [demo_dossier() for _ in range(4)]
    errors: list[BaseException] = []

    def work(d: Dossier) -> None:
        try:
            for i in range(5):
                d.gesprek.overige_aanwezigen = f"ronde {i}"
                vault.save(d)
                vault.load(d.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d,)) for d in dossiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(vault.list_dossiers()) == 4
    assert len(vault.pending_changes()) == 20
    assert all(vault.load(d.id).gesprek.overige_aanwezigen == "ronde 4" for d in dossiers)
    assert vault.integrity_check()


# --- properties -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.text(min_size=1, max_size=100), value=json_values)
def test_any_json_setting_round_trips(shared_vault: storage.Vault, key: str, value: object) -> None:
    shared_vault.set_setting(key, value)
    assert shared_vault.get_setting(key, default="absent") == ("absent" if value is None else value)


def test_os_errors_become_vault_errors_without_paths(tmp_path: Path, passphrase: str) -> None:
    blocker = tmp_path / "geen-map"
    blocker.write_text("ik ben een bestand")
    with pytest.raises(storage.VaultStorageError) as info:
        storage.create_vault(blocker / "kluis.db", passphrase)
    assert str(tmp_path) not in str(info.value)
    assert info.value.melding


def test_setting_keys_are_checked(shared_vault: storage.Vault) -> None:
    for bad in ("", "x" * 101, "\ud800"):
        with pytest.raises(ValueError):
            shared_vault.set_setting(bad, 1)
    shared_vault.set_setting("tekst", "\ud800 los surrogaat")  # values are escaped JSON
    assert shared_vault.get_setting("tekst") == "\ud800 los surrogaat"
