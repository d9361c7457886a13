"""Helper for test_crash.py: saves dossiers in a loop until it is killed.

Usage: python crash_writer.py VAULT_PATH N_DOSSIERS   (passphrase on stdin, first line)

Save number i goes to dossier i % N and sets its ``gesprek.overige_aanwezigen`` to
"teller i". After each save RETURNS, it prints "<dossier id> <i>" and flushes, so every
line the test reads is a save the vault reported as done.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import storage
from forms.demo import demo_dossier


def main() -> None:
    path, count = Path(sys.argv[1]), int(sys.argv[2])
    passphrase = sys.stdin.readline().rstrip("\n")
    vault = storage.open_vault(path, passphrase)
    dossiers = [demo_dossier() for _ in range(count)]
    i = 0
    while True:
        dossier = dossiers[i % count]
        dossier.gesprek.overige_aanwezigen = f"teller {i}"
        vault.save(dossier)
        sys.stdout.write(f"{dossier.id} {i}\n")
        sys.stdout.flush()
        i += 1


if __name__ == "__main__":
    main()
