"""First run: "Wie bent u?" -- one short dialog right after the vault is made.

Name, function, team and gemeente (the letterhead) go into the vault's verslag settings
(``desktop.settings.save_verslag_settings``): the regisseur choice "Wijkcoach: <naam>", the
wijkcoach's signature card, the verslag and the audit log use them instead of the
operating-system login. All four stay editable under Instellingen → Verslag. "Later" keeps
the defaults (and the question comes back at the next first use of a new vault only).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from .settings_dialog import line_row, spaced
from .widgets import label as make_label
from .widgets import make_form

if TYPE_CHECKING:  # forms.verslag pulls in reportlab: imported when first needed
    from forms.verslag import VerslagSettings
    from storage import Vault

__all__ = ["WhoAreYouDialog", "save_identity"]


def save_identity(vault: Vault, naam: str, functie: str, team: str, gemeente: str) -> VerslagSettings:
    """On the vault thread: keep the four in the verslag settings; the audit log's user now."""
    from .settings import load_verslag_settings, save_verslag_settings

    current = load_verslag_settings(vault)
    updated = replace(
        current,
        wijkcoach=naam,
        functie=functie,
        team=team or current.team,
        gemeente=gemeente or current.gemeente,
    )
    save_verslag_settings(vault, updated)
    vault.user = naam[:100]  # this session's audit entries too, not only after the next unlock
    vault.record_event("identity_set")
    return updated


class WhoAreYouDialog(QDialog):
    """Emits ``submitted(naam, functie, team, gemeente)`` on "Opslaan" (name and gemeente required)."""

    submitted = Signal(str, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wie bent u?")
        self.setObjectName("whoAreYou")
        layout = QVBoxLayout(self)
        layout.addWidget(make_label("Wie bent u?", object_name="heading", wrap=False))
        hint = make_label("Uw naam en functie komen in het verslag, op uw handtekening en in het logboek van de "
            "kluis. De gemeente en het team staan boven het verslag. U kunt dit later wijzigen "
            "onder Instellingen.", object_name="hint")
        layout.addWidget(hint)
        form = make_form()
        self.naam, self.naam_error = line_row(form, "&Naam:", "Voor- en achternaam")
        self.functie, _ = line_row(form, "&Functie:", "Bijvoorbeeld: wijkcoach")
        self.functie.setText("wijkcoach")
        self.team, _ = line_row(form, "&Team:", "Bijvoorbeeld: Sociaal wijkteam Centrum")
        self.gemeente, self.gemeente_error = line_row(form, "&Gemeente:", "Bijvoorbeeld: Gemeente Den Helder")
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Opslaan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.later_button = buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.submit)
        self.later_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        from .fit import place_window

        place_window(self, "wie-bent-u", (560, 420))

    def submit(self) -> None:
        naam, gemeente = spaced(self.naam), spaced(self.gemeente)
        self.naam_error.show_messages([] if naam else ["Vul uw naam in."])
        self.gemeente_error.show_messages([] if gemeente else ["Vul de gemeente in (boven het verslag)."])
        if not naam or not gemeente:
            (self.gemeente if naam else self.naam).setFocus()
            return
        self.submitted.emit(naam, spaced(self.functie), spaced(self.team), gemeente)
        self.accept()
