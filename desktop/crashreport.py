"""A crash report that the next start mentions (issue 9).

Python's :mod:`faulthandler` writes, on a fatal signal (segmentation fault, abort, …), the
Python stack of every thread to an open file: file names, line numbers and function
names -- never a variable, an argument or anything typed -- so the report holds no
personal data and may be sent to the functioneel beheerder as it is.

- :meth:`CrashReport.start`, early in ``main``: opens ``crash.txt`` in the folder where the
  vault lives (the user data folder) and keeps it open for the life of the process;
- :meth:`CrashReport.stop`, on a clean exit: removes it again;
- :func:`take_previous`, before ``start``: a non-empty ``crash.txt`` left by the previous
  run means that run crashed. It is kept as ``crash-previous.txt`` (replacing an older
  one) and :func:`notice` is the calm Dutch text that tells the user.
"""

from __future__ import annotations

import faulthandler
import logging
import os
from pathlib import Path
from typing import IO

__all__ = ["CRASH_FILE", "PREVIOUS_FILE", "CrashReport", "crash_folder", "notice", "take_previous"]

log = logging.getLogger("keukentafel.crash")

CRASH_FILE = "crash.txt"
PREVIOUS_FILE = "crash-previous.txt"


def crash_folder(vault_path: Path | str | None = None) -> Path:
    """The folder of the vault in use (by default the user data folder, see storage)."""
    if vault_path is None:
        import storage

        vault_path = storage.default_vault_path()
    return Path(vault_path).expanduser().parent


def take_previous(folder: Path) -> Path | None:
    """The previous run's crash report, moved aside to ``crash-previous.txt``; None if that
    run ended cleanly (no file, or an empty one)."""
    current = Path(folder) / CRASH_FILE
    try:
        if current.stat().st_size == 0:
            current.unlink()
            return None
    except FileNotFoundError:
        return None
    previous = current.with_name(PREVIOUS_FILE)
    os.replace(current, previous)
    return previous


def notice(report: Path) -> str:
    """What the user reads at the next start (Dutch, calm, what to do)."""
    return (
        "Keukentafel is de vorige keer onverwacht afgesloten. Dat spijt ons.\n\n"
        "Wat u invult, wordt steeds vanzelf in de kluis opgeslagen; alleen wat u in de "
        "laatste seconden voor het afsluiten typte, kan ontbreken. Kijk dat even na als u "
        "het gesprek weer opent.\n\n"
        f"Er is een technisch foutverslag bewaard:\n{report}\n\n"
        "Het bevat geen gegevens van gezinnen of van u, alleen namen van onderdelen van het "
        "programma. Gebeurt dit vaker? Stuur dit bestand dan naar de functioneel beheerder."
    )


class CrashReport:
    """faulthandler writing to ``crash.txt`` while the application runs."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / CRASH_FILE
        self._file: IO[str] | None = None

    @property
    def active(self) -> bool:
        return self._file is not None

    def start(self) -> bool:
        """Open the file (owner-only) and hand it to faulthandler. False if that failed:
        the application runs on without a report."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._file = os.fdopen(fd, "w", encoding="utf-8")
            faulthandler.enable(file=self._file, all_threads=True)
        except OSError as exc:
            log.warning("Geen foutverslag mogelijk: %s", type(exc).__name__)
            self._file = None
            return False
        return True

    def stop(self) -> None:
        """A clean exit: faulthandler off, the (empty) file gone."""
        if self._file is None:
            return
        faulthandler.disable()
        self._file.close()
        self._file = None
        self.path.unlink(missing_ok=True)
