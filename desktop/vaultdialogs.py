"""The two doors to the vault: "Kluis aanmaken" (first run) and "Kluis openen".

The dialogs only collect the passphrase and show progress. They emit
``submitted(passphrase)``; the application runs the key derivation on the vault
thread (it takes a noticeable fraction of a second, longer after wrong attempts)
and answers with :meth:`fail` or :meth:`succeed`. The UI never freezes meanwhile:
the fields are disabled and an indeterminate progress bar runs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .widgets import busy_bar
from .widgets import label as make_label

__all__ = ["CreateVaultDialog", "UnlockVaultDialog", "passphrase_strength", "MIN_LENGTH"]


def _min_length() -> int:
    try:
        import storage

        return storage.MIN_PASSPHRASE_LENGTH
    except ImportError:
        return 12


MIN_LENGTH = _min_length()


def passphrase_strength(passphrase: str) -> tuple[int, str]:
    """A rough hint (0..3, Dutch label). Length counts most: several words beat symbols."""
    n = len(passphrase)
    if n == 0:
        return 0, ""
    if n < MIN_LENGTH:
        return 0, f"Te kort: nog {MIN_LENGTH - n} tekens."
    kinds: tuple[Callable[[str], bool], ...] = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    classes = sum(any(kind(c) for c in passphrase) for kind in kinds)  # lower, upper, digits, symbols
    distinct = len(set(passphrase.lower()))
    words = len([w for w in passphrase.replace("-", " ").split() if len(w) >= 3])
    if distinct < 6:
        return 1, "Zwak: te veel herhaling."
    if n >= 20 and (words >= 3 or classes >= 3):
        return 3, "Sterk."
    if n >= 16 or classes >= 3:
        return 2, "Redelijk. Langer is sterker, bijvoorbeeld vier losse woorden."
    return 1, "Zwak. Maak het langer, bijvoorbeeld vier losse woorden."


class _VaultDialog(QDialog):
    submitted = Signal(str)
    quit_requested = Signal()

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("vaultDialog")
        self.setMinimumWidth(520)
        self._layout = QVBoxLayout(self)
        self._layout.setSpacing(12)
        self._layout.addWidget(make_label(title, object_name="heading", wrap=False))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = make_label("", object_name="errorText", name="Melding", hidden=True)
        self.progress = busy_bar()
        self.progress.hide()
        self.busy_label = make_label(wrap=False, hidden=True)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(title)
        self.ok_button.setDefault(True)
        self.quit_button = self.buttons.addButton("&Afsluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setAccessibleName("Afsluiten")
        self.ok_button.clicked.connect(self._submit)
        self.quit_button.clicked.connect(self.reject)

    def _password_row(self, text: str, accessible_name: str) -> QLineEdit:
        """A password field in the form, under the label ``text`` (its buddy)."""
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(accessible_name)
        label = QLabel(text)
        label.setBuddy(edit)
        self.form.addRow(label, edit)
        return edit

    def _finish_layout(self) -> None:
        self._layout.addLayout(self.form)
        self._layout.addWidget(self.message)
        self._layout.addWidget(self.busy_label)
        self._layout.addWidget(self.progress)
        self._layout.addStretch(1)
        self._layout.addWidget(self.buttons)

    def _inputs(self) -> list[QWidget]:
        return [self.ok_button]

    def _submit(self) -> None:  # overridden
        raise NotImplementedError

    def reject(self) -> None:  # "Afsluiten", Esc and closing the window: the application decides
        self.quit_requested.emit()

    def set_busy(self, busy: bool, text: str = "") -> None:
        for widget in self._inputs():
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.busy_label.setText(text)
        self.busy_label.setVisible(busy and bool(text))
        if busy:
            self.message.hide()

    def fail(self, message: str) -> None:
        self.set_busy(False)
        self.message.setText(message)
        self.message.show()
        self._after_fail()

    def _after_fail(self) -> None:
        pass

    def succeed(self) -> None:
        self.set_busy(False)
        self.accept()


class CreateVaultDialog(_VaultDialog):
    """First run: choose the passphrase that protects the vault on this laptop."""

    def __init__(self, location: str = "", parent: QWidget | None = None) -> None:
        super().__init__("Kluis aanmaken", "&Kluis aanmaken", parent)
        explain = make_label("Alle gesprekken op deze laptop staan versleuteld in een kluis. Kies een "
            f"wachtwoord van minstens {MIN_LENGTH} tekens. Waarom zo lang? Raakt de laptop "
            "kwijt, dan kan iemand ongestoord proberen het wachtwoord te raden; een lang "
            "wachtwoord houdt dat tegen. Tip: vier losse woorden zijn sterk en goed te onthouden.\n"
            "Er is geen herstel: wie het wachtwoord vergeet, kan de kluis niet meer openen.")
        self._layout.addWidget(explain)
        if location:
            self._layout.addWidget(make_label(f"Kluisbestand: {location}", object_name="hint"))
        self.passphrase = self._password_row("&Wachtwoord:", "Nieuw wachtwoord")
        self.strength = make_label("", object_name="hint", name="Sterkte van het wachtwoord", wrap=False)
        self.form.addRow("", self.strength)
        self.repeat = self._password_row("&Herhaal wachtwoord:", "Herhaal wachtwoord")
        self.passphrase.textChanged.connect(self._update_strength)
        self._finish_layout()
        self.passphrase.setFocus()

    def _inputs(self) -> list[QWidget]:
        return [self.passphrase, self.repeat, self.ok_button]

    def _update_strength(self, text: str) -> None:
        _, label = passphrase_strength(text)
        self.strength.setText(label)

    def _submit(self) -> None:
        first, second = self.passphrase.text(), self.repeat.text()
        if len(first) < MIN_LENGTH:
            self.fail(f"Het wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn.")
            self.passphrase.setFocus()
            return
        if first != second:
            self.fail("De twee wachtwoorden zijn niet gelijk.")
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self.set_busy(True, "Kluis wordt aangemaakt…")
        self.submitted.emit(first)


class UnlockVaultDialog(_VaultDialog):
    """Later runs and after a lock: the passphrase opens the vault again."""

    def __init__(
        self,
        *,
        locked: bool = False,
        demo_passphrase: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Kluis openen", "&Openen", parent)
        if locked:
            text = (
                "Keukentafel is vergrendeld om de gegevens te beschermen. Voer uw wachtwoord "
                "in om verder te gaan waar u was."
            )
        else:
            text = "Voer het wachtwoord van de kluis in."
        self._layout.addWidget(make_label(text))
        if demo_passphrase:
            demo = make_label(f"DEMO: deze kluis bevat alleen een verzonnen gezin. Het wachtwoord is <b>{demo_passphrase}</b>", object_name="demoBanner")
            demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._layout.addWidget(demo)
        self.passphrase = self._password_row("&Wachtwoord:", "Wachtwoord")
        if demo_passphrase:
            self.passphrase.setText(demo_passphrase)
        self._finish_layout()
        self.passphrase.setFocus()

    def _inputs(self) -> list[QWidget]:
        return [self.passphrase, self.ok_button]

    def _submit(self) -> None:
        if not self.passphrase.text():
            self.fail("Vul het wachtwoord in.")
            return
        self.set_busy(True, "Kluis wordt geopend…")
        self.submitted.emit(self.passphrase.text())

    def _after_fail(self) -> None:
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def refuse(self, message: str) -> None:
        """The vault cannot be opened at all (it is damaged): say why, leave only "Afsluiten".

        The message stays selectable, so the name of the copy it mentions can be copied.
        """
        self.fail(message)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in self._inputs():
            widget.setEnabled(False)
        self.passphrase.clear()
        self.quit_button.setDefault(True)
        self.quit_button.setFocus()
