"""Issue 11: the vault never stores a dossier it cannot load again (real vault files).

Before, ``save`` accepted a dossier edited through the API past the model's checks
(a gesprek date before a child's birth, a duplicate member) and from then on the
dossier was unreadable ("Dit dossier kan niet worden gelezen"). Now every write
(``save`` and the sync's ``apply_remote``) refuses it with ``storage.InvalidDossier``
and what was stored stays as it was.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import forms
import storage
from forms.demo import demo_dossier
from storage.syncstate import SyncState

PASSPHRASE = "keukentafel-test-wachtwoord"  # as in conftest
#: (against code without it, the save does not raise at all: "DID NOT RAISE")
InvalidDossier = getattr(storage, "InvalidDossier", storage.VaultError)


def youngest(d: forms.Dossier) -> forms.Member:
    return max(d.huishouden.leden, key=lambda m: m.geboortedatum)


def test_a_gesprek_dated_before_a_birth_is_refused_and_the_stored_copy_stays(vault_path: Path) -> None:
    vault = storage.create_vault(vault_path, PASSPHRASE, user="test-coach")
    d = demo_dossier()
    vault.save(d)
    before = vault.stored_sha256(d.id)
    child = youngest(d)
    d.gesprek.datum = child.geboortedatum - dt.timedelta(days=10)  # validates Gesprek only
    with pytest.raises(InvalidDossier) as exc:
        vault.save(d)
    assert exc.value.codes == ["datum_gesprek_voor_geboorte"]
    assert "geboortedatum" in exc.value.melding and child.voornaam not in exc.value.melding
    assert child.voornaam not in str(exc.value)
    assert vault.stored_sha256(d.id) == before
    vault.close()
    # reopened: the dossier loads, as it was before the refused save
    vault = storage.open_vault(vault_path, PASSPHRASE, user="test-coach")
    try:
        assert vault.load(d.id).gesprek.datum == dt.date.today()
        assert [c.dossier_id for c in vault.pending_changes()] == [d.id]  # the refused save queued nothing
    finally:
        vault.close()


def test_a_duplicate_member_is_refused(vault: storage.Vault) -> None:
    d = demo_dossier()
    vault.save(d)
    d.huishouden.leden.append(d.huishouden.leden[1])  # list edits run no validator
    with pytest.raises(InvalidDossier) as exc:
        vault.save(d)
    assert exc.value.codes == ["dossier_dubbel_lid"] and isinstance(exc.value, storage.VaultError)
    assert "twee keer" in exc.value.melding
    assert len(vault.load(d.id).huishouden.leden) == 5


def test_a_pull_or_merge_is_refused_the_same_way(vault: storage.Vault) -> None:
    d = demo_dossier()
    vault.save(d)
    before = vault.stored_sha256(d.id)
    d.huishouden.leden.append(d.huishouden.leden[0])
    with pytest.raises(InvalidDossier):
        vault.apply_remote(d, SyncState(d.id), expected_sha256=before)
    assert vault.stored_sha256(d.id) == before
    assert vault.get_sync_state(d.id).base_json is None  # the sync state was not written either
    assert len(vault.load(d.id).huishouden.leden) == 5


def test_a_changed_final_dossier_is_refused(vault: storage.Vault) -> None:
    from forms.demo import complete_demo_dossier

    d = complete_demo_dossier()
    d.handtekeningen = [
        *(forms.Signature(member_id=m.id, naam=m.naam, afbeelding_png=b"\x89PNG") for m in d.adults()),
        forms.Signature(member_id=None, naam="Wijkcoach Test", afbeelding_png=b"\x89PNG"),
    ]
    final = forms.finalise(d)
    vault.save(final)
    final.hulpvraag.tekst = "Achteraf gewijzigd."
    with pytest.raises(InvalidDossier) as exc:
        vault.save(final)
    assert exc.value.codes == ["definitief_intact"]
    assert forms.verify(vault.load(final.id))
