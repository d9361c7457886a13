""""Nieuw huishouden": the least the dossier model needs, asked in one small dialog.

A ``Household`` requires an ``Address``; the dialog also asks for one first member
(usually the parent at the table) so the caseload shows "Familie …" instead of an
anonymous row. Everything else is filled in in the Huishouden step.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forms import Definitions, Dossier, KeukentafelError, Role, dutch_messages

from .widgets import label as make_label

__all__ = ["NewHouseholdDialog"]


#: The fields the dialog asks for: a message about one starts with its name (the key, capitalised).
_ASKED = {"straat", "huisnummer", "postcode", "plaats", "voornaam", "achternaam", "geboortedatum"}

_FRIENDLIER = {
    "string_too_short": "Vul dit in.",
    "string_pattern_mismatch": "Dit heeft niet de goede vorm (bijvoorbeeld 12 of 12a).",
}


def _rows(form: QFormLayout, *rows: tuple[str, QWidget]) -> None:
    """Label and field per row; the field's accessible name is the label without "&" and ":"."""
    for text, field in rows:
        label = QLabel(text)
        label.setBuddy(field)
        field.setAccessibleName(text.replace("&", "").rstrip(":"))
        form.addRow(label, field)


def _message(error: ErrorDetails, message: str) -> str:
    """One validation message, friendlier, after the name of the field it is about."""
    loc = [str(p) for p in error.get("loc", ())]
    text = _FRIENDLIER.get(error["type"], message)
    return f"{loc[-1].capitalize()}: {text}" if loc and loc[-1] in _ASKED else text


class NewHouseholdDialog(QDialog):
    created = Signal(object)  # the new forms.Dossier (not yet saved)

    def __init__(self, parent: QWidget | None = None, *, definitions: Definitions | None = None) -> None:
        super().__init__(parent)
        # the definitions the workspace uses; a new household gets their current domain set
        self._definitions = definitions
        self.setWindowTitle("Nieuw huishouden")
        self.setObjectName("newHousehold")
        layout = QVBoxLayout(self)

        adres = QGroupBox("Adres")
        self.straat = QLineEdit()
        self.huisnummer = QLineEdit()
        self.huisnummer.setPlaceholderText("12 of 12a")
        self.postcode = QLineEdit()
        self.postcode.setPlaceholderText("1234 AB")
        self.plaats = QLineEdit()
        form = QFormLayout(adres)
        _rows(form, ("&Straat:", self.straat), ("&Huisnummer:", self.huisnummer))
        _rows(form, ("&Postcode:", self.postcode), ("P&laats:", self.plaats))
        layout.addWidget(adres)

        lid = QGroupBox("Eerste gezinslid")
        self.voornaam = QLineEdit()
        self.achternaam = QLineEdit()
        self.geboortedatum = QDateEdit()
        self.geboortedatum.setDisplayFormat("dd-MM-yyyy")
        self.geboortedatum.setCalendarPopup(True)
        self.geboortedatum.setMaximumDate(QDate.currentDate())
        self.geboortedatum.setMinimumDate(QDate(1900, 1, 1))
        self.geboortedatum.setDate(QDate.currentDate().addYears(-35))
        self.rol = QComboBox()
        for role in Role:
            self.rol.addItem(role.label, role)
        form = QFormLayout(lid)
        _rows(form, ("&Voornaam:", self.voornaam), ("&Achternaam:", self.achternaam))
        _rows(form, ("&Geboortedatum:", self.geboortedatum), ("&Rol:", self.rol))
        layout.addWidget(lid)
        hint = "De andere gezinsleden voegt u toe in de stap ‘Huishouden en gezinsleden’."
        layout.addWidget(make_label(hint, object_name="hint"))
        self.message = make_label("", object_name="errorText", name="Melding", hidden=True)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Aanmaken")
        ok.setAccessibleName("Huishouden aanmaken")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Annuleren")
        cancel.setAccessibleName("Annuleren")
        self.buttons.accepted.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.straat.setFocus()

    def build(self) -> Dossier:
        """The new dossier from the fields; raises ``ValidationError`` (Dutch messages), or
        ``forms.DefinitionError`` when the municipality's definitions cannot be loaded."""
        qd = self.geboortedatum.date()
        definitions = self._definitions
        if definitions is None:
            from . import formsapi

            definitions = formsapi.definitions()
        return Dossier.model_validate(
            {
                # the municipality's set if it has one, else the shipped one: its newest version
                "leefgebieden_set": definitions.current_refs().leefgebieden,
                "huishouden": {
                    "adres": {
                        "straat": self.straat.text(),
                        "huisnummer": self.huisnummer.text().strip(),
                        "postcode": self.postcode.text(),
                        "plaats": self.plaats.text().strip(),
                    },
                    "leden": [
                        {
                            "voornaam": self.voornaam.text().strip(),
                            "achternaam": self.achternaam.text().strip(),
                            "geboortedatum": dt.date(qd.year(), qd.month(), qd.day()),
                            "rol": self.rol.currentData(),
                        }
                    ],
                }
            }
        )

    def _create(self) -> None:
        try:
            dossier = self.build()
        except KeukentafelError as exc:  # the definitions folder is broken: say which file
            lines = [exc.melding]
        except ValidationError as exc:
            messages, errors = dutch_messages(exc), exc.errors()
            if len(messages) != len(errors):  # pragma: no cover - defensive
                lines = messages
            else:
                lines = [_message(error, text) for error, text in zip(errors, messages, strict=True)]
        else:
            self.created.emit(dossier)
            self.accept()
            return
        self.message.setText("\n".join(lines))
        self.message.show()
