"""Errors translated once, shown in one place, in Dutch, without personal data (STYLE A7).

:func:`message_for` turns any exception into a Dutch sentence for the wijkcoach:

- storage errors (``storage.VaultError`` and subclasses) carry their own Dutch
  ``.melding`` (``storage.WrongPassphrase``'s is :data:`WRONG_PASSPHRASE`, and after a
  few failures it adds that a damaged start of the file looks the same);
- a pydantic ``ValidationError`` becomes the Dutch messages from ``forms``;
- ``forms.IncompleteDossier`` says how many blocking points remain; other
  ``forms.KeukentafelError``s carry a Dutch ``.melding`` too;
- ``sync.SyncError`` (and ``sync.InvalidChoice``, a conflict choice that cannot be
  applied) carry their own Dutch ``.melding``;
- anything else gets a generic sentence, and :func:`log_unexpected` logs the
  traceback *without* the exception's message or local variables, because those can
  hold dossier content (names, addresses, notes).
"""

from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, TypeGuard

from pydantic import ValidationError

if TYPE_CHECKING:  # for annotations only: storage and Qt are imported when first needed
    from PySide6.QtWidgets import QWidget

    import storage

__all__ = [
    "GENERIC",
    "is_damaged_vault",
    "WRONG_PASSPHRASE",
    "message_for",
    "log_unexpected",
    "show_error",
    "is_wrong_passphrase",
]

log = logging.getLogger("keukentafel.errors")

GENERIC = (
    "Er ging iets onverwachts mis. Uw gegevens in de kluis zijn niet aangetast. "
    "Probeer het opnieuw; blijft het misgaan, neem dan contact op met de functioneel beheerder."
)
WRONG_PASSPHRASE = "Het wachtwoord klopt niet."


def is_wrong_passphrase(exc: BaseException) -> TypeGuard[storage.WrongPassphrase]:
    import storage

    return isinstance(exc, storage.WrongPassphrase)


def is_damaged_vault(exc: BaseException) -> bool:
    """A damaged vault (storage.VaultDamaged): trying again will not help."""
    import storage

    return isinstance(exc, storage.VaultDamaged)


def message_for(exc: BaseException) -> str:
    """The Dutch sentence to show for ``exc``; never contains dossier content."""
    from .tasks import NoVault

    if isinstance(exc, NoVault):
        return "De kluis is vergrendeld. Ontgrendel de kluis en probeer het opnieuw."
    import storage
    import sync

    if isinstance(exc, (storage.VaultError, sync.SyncError, sync.InvalidChoice)):  # each has a Dutch .melding
        return exc.melding or GENERIC
    if isinstance(exc, ValidationError):
        from forms import dutch_messages

        return " ".join(dutch_messages(exc)) or GENERIC
    from forms import IncompleteDossier, KeukentafelError

    if isinstance(exc, IncompleteDossier):
        blocking = sum(1 for g in exc.gaps if g.blokkerend)
        return f"Het gesprek kan nog niet worden afgerond: nog {blocking} blokkerende punten."
    if isinstance(exc, KeukentafelError):
        return exc.melding or GENERIC
    if isinstance(exc, OSError):
        return (
            "Het bestand kon niet worden gelezen of geschreven. "
            "Controleer of er schijfruimte is en of de map bereikbaar is."
        )
    log_unexpected(exc)
    return GENERIC


def log_unexpected(exc: BaseException) -> None:
    """Log where an unexpected error happened: type and stack frames, no message, no locals."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    log.error(
        "Onverwachte fout %s.%s (melding weggelaten: kan persoonsgegevens bevatten)\n%s",
        type(exc).__module__,
        type(exc).__qualname__,
        "\n".join(lines),
    )


def show_error(exc: BaseException, parent: QWidget | None = None, title: str = "Keukentafel") -> str:
    """Show ``exc`` to the wijkcoach in a message box; returns the text shown."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    text = message_for(exc)
    if QApplication.instance() is None:
        return text
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName("Foutmelding")
    box.open()  # not exec(): never block the event loop (or a test) on a modal loop
    return text
