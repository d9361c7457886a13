"""Finalising is a deliberate act: the confirmation before a gesprek becomes final.

:class:`FinaliseConfirmDialog` says what becomes final and for whom (the household and
its address, the gesprek date and version, who signed or refused and why) and lists
what is still only an aandachtspunt (the warnings of ``forms.gaps``: they do not block,
but after this they can only be picked up in a new version). "Annuleren" is the default
button and Escape cancels: nothing changes then. Only "Definitief maken" goes on.

The dialog opens window-modal with ``open()`` (no nested event loop); the Ondertekenen
step starts the finalise when it is accepted. Built from the dossier in memory; no
storage, no slow work.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from forms import Dossier, Gap

from .widgets import label as make_label

__all__ = ["FinaliseConfirmDialog", "signature_lines", "warning_lines"]


def signature_lines(dossier: Dossier) -> list[str]:
    """Who signed, who refused (with the reason), in household order, the wijkcoach last."""
    names = {m.id: m.naam for m in dossier.huishouden.leden}
    order = {m.id: i for i, m in enumerate(dossier.huishouden.leden)}
    out: list[str] = []
    people = sorted(
        (s for s in dossier.handtekeningen if s.member_id is not None),
        key=lambda s: order.get(s.member_id, len(order)),
    )
    for s in [*people, *(s for s in dossier.handtekeningen if s.member_id is None)]:
        who = names.get(s.member_id, s.naam) if s.member_id is not None else f"{s.naam} (wijkcoach)"
        if s.weigering_reden:
            out.append(f"{who}: wil niet tekenen — {s.weigering_reden}")
        elif s.afbeelding_png:
            out.append(f"{who}: getekend op {s.datum:%d-%m-%Y}")
    return out


def warning_lines(gaps: Sequence[Gap]) -> list[str]:
    """The messages of the gaps that do not block (aandachtspunten), without repeats."""
    out: list[str] = []
    for g in gaps:
        if not g.blokkerend and g.message and g.message not in out:
            out.append(g.message)
    return out


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


class FinaliseConfirmDialog(QDialog):
    """"Gesprek definitief maken?" with what becomes final, for whom, and what is still open."""

    def __init__(self, dossier: Dossier, gaps: Sequence[Gap], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gesprek definitief maken?")
        self.setAccessibleName("Gesprek definitief maken?")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)

        d = dossier
        self.household_text = f"{d.titel}, {d.huishouden.adres.one_line()}"
        self.gesprek_text = f"Gesprek van {d.gesprek.datum:%d-%m-%Y}, versie {d.versie}"
        self.signed = signature_lines(d)
        self.warnings = warning_lines(gaps)

        intro = (
            f"<p>U maakt het gesprek-adviesverslag definitief voor <b>{escape(self.household_text)}</b>.</p>"
            f"<p>{escape(self.gesprek_text)}.</p>"
            "<p><b>Ondertekend:</b></p>"
            + (_list(self.signed) if self.signed else "<p>Nog door niemand.</p>")
            + "<p>Daarna kan deze versie niet meer worden gewijzigd. Het verslag wordt met een "
            "kenmerk in de kluis bewaard en zo naar de gemeente gestuurd. Iets veranderen kan "
            "alleen in een nieuwe versie, die opnieuw wordt ondertekend.</p>"
        )
        if self.warnings:
            n = len(self.warnings)
            head = (
                f"<p><b>Nog {n} aandachtspunt{'en' if n != 1 else ''}</b> (die houden het afronden niet "
                "tegen, maar staan daarna vast in deze versie):</p>"
            )
            text = head + _list(self.warnings)
        else:
            text = "<p>Er zijn geen aandachtspunten meer.</p>"
        self.summary = make_label(intro, name="Wat definitief wordt")
        self.attention = make_label(text, name="Aandachtspunten")
        for label in (self.summary, self.attention):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)

        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton("&Definitief maken", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm_button.setAccessibleName("Definitief maken")
        self.cancel_button = self.buttons.addButton("&Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAccessibleName("Annuleren: niets verandert")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setDefault(False)
        self.cancel_button.setDefault(True)  # Enter does not make anything final by accident
        self.cancel_button.setFocus()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        """Everything the dialog says, as plain text (for tests and screen readers)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.summary.text() + self.attention.text())
        return " ".join(doc.toPlainText().split())
