""""Nieuw huishouden": the least the dossier model needs, asked in one small dialog.

A ``Household`` requires an ``Address``; the dialog also asks for one first member
(usually the parent at the table) so the caseload shows "Familie …" instead of an
anonymous row. Everything else is filled in in the Huishouden step.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
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

__all__ = ["NewHouseholdDialog"]


def _labelled(text: str, field: QWidget, form: QFormLayout, accessible: str) -> None:
    label = QLabel(text)
    label.setBuddy(field)
    field.setAccessibleName(accessible)
    form.addRow(label, field)


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
        form = QFormLayout(adres)
        self.straat = QLineEdit()
        self.huisnummer = QLineEdit()
        self.huisnummer.setPlaceholderText("12 of 12a")
        self.postcode = QLineEdit()
        self.postcode.setPlaceholderText("1234 AB")
        self.plaats = QLineEdit()
        _labelled("&Straat:", self.straat, form, "Straat")
        _labelled("&Huisnummer:", self.huisnummer, form, "Huisnummer")
        _labelled("&Postcode:", self.postcode, form, "Postcode")
        _labelled("P&laats:", self.plaats, form, "Plaats")
        layout.addWidget(adres)

        lid = QGroupBox("Eerste gezinslid")
        form2 = QFormLayout(lid)
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
        _labelled("&Voornaam:", self.voornaam, form2, "Voornaam")
        _labelled("&Achternaam:", self.achternaam, form2, "Achternaam")
        _labelled("&Geboortedatum:", self.geboortedatum, form2, "Geboortedatum")
        _labelled("&Rol:", self.rol, form2, "Rol")
        layout.addWidget(lid)
        hint = QLabel("De andere gezinsleden voegt u toe in de stap ‘Huishouden en gezinsleden’.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Melding")
        self.message.hide()
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
            self.message.setText(exc.melding)
            self.message.show()
            return
        except ValidationError as exc:
            messages = dutch_messages(exc)
            items = exc.errors()
            if len(messages) != len(items):  # pragma: no cover - defensive
                lines = messages
            else:
                lines = []
                for item, msg in zip(items, messages, strict=True):
                    loc = [str(p) for p in item.get("loc", ())]
                    field = _FIELD_NAMES.get(loc[-1] if loc else "", "")
                    msg = _FRIENDLIER.get(item["type"], msg)
                    lines.append(f"{field}: {msg}" if field else msg)
            self.message.setText("\n".join(lines))
            self.message.show()
            return
        self.created.emit(dossier)
        self.accept()


_FRIENDLIER = {
    "string_too_short": "Vul dit in.",
    "string_pattern_mismatch": "Dit heeft niet de goede vorm (bijvoorbeeld 12 of 12a).",
}

_FIELD_NAMES = {
    "huisnummer": "Huisnummer",
    "postcode": "Postcode",
    "plaats": "Plaats",
    "straat": "Straat",
    "voornaam": "Voornaam",
    "achternaam": "Achternaam",
    "geboortedatum": "Geboortedatum",
}
