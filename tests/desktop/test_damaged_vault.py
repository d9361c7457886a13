"""A damaged vault at the unlock dialog: the Dutch message, nothing written, no retry loop."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from apphelpers import PASSPHRASE, WAIT_MS, seed_vault

from desktop.vaultdialogs import UnlockVaultDialog
from forms.demo import demo_dossier


def test_a_damaged_vault_is_refused_with_the_dutch_message(qtbot: Any, make_app: Any, vault_path: Path) -> None:
    seed_vault(vault_path, *[demo_dossier() for _ in range(10)])
    data = bytearray(vault_path.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096 + 1000
    for i in range(16):
        data[middle + i] ^= 0xFF
    vault_path.write_bytes(bytes(data))
    digest = hashlib.sha256(vault_path.read_bytes()).hexdigest()

    app = make_app()
    dialog = app.dialog
    assert isinstance(dialog, UnlockVaultDialog)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=WAIT_MS)
    text = dialog.message.text()
    assert text.startswith("De kluis is beschadigd")
    assert "functioneel beheerder" in text and "kluis.db.beschadigd-" in text
    assert not app.is_unlocked
    # trying again cannot help: only "Afsluiten" is left
    assert not dialog.passphrase.isEnabled() and not dialog.ok_button.isEnabled()
    assert dialog.quit_button.isEnabled()
    assert hashlib.sha256(vault_path.read_bytes()).hexdigest() == digest
    names = sorted(p.name for p in vault_path.parent.iterdir() if p.name.startswith("kluis.db"))
    assert len(names) == 3 and names[0] == "kluis.db" and names[2] == "kluis.db.salt"
    assert names[1].startswith("kluis.db.beschadigd-")  # the copy; no -wal, no -shm
