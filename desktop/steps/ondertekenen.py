"""Ondertekenen: what the family signs for, and the step that makes the gesprek final.

For now the page summarises the gesprek (who attended, the hulpvraag, the goals,
the status) and offers "Gesprek definitief maken". That first asks for confirmation
(:class:`desktop.finalise_dialog.FinaliseConfirmDialog`: what becomes final, for whom,
who signed, what is still only an aandachtspunt; Annuleren changes nothing); once
confirmed the workspace calls
``forms.finalise``, saves the frozen dossier and stores the finalised version in the
vault (``vault.store_version``), then this page shows "Afgerond" with the hash prefix.

Signing (``self.signature_box``, "Handtekeningen en verslag"): the consent statements
and one signature card per adult at the table plus the wijkcoach
(:class:`desktop.signing.SigningPanel`, setting ``Dossier.handtekeningen`` through the
document: every signature is an undo step),
and "Verslag bekijken en afdrukken…" (:class:`desktop.verslag_view.VerslagPreview`:
the PDF from memory, print, warned export, the versions stored in the vault).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

import forms
from forms import Dossier, Gap, Location
from forms.paths import Path

from ..widgets import button, label, value_row
from .base import StepContext, StepPage
from .controle import blocking_text

if TYPE_CHECKING:  # for annotations only: both are imported when first opened
    from desktop.finalise_dialog import FinaliseConfirmDialog
    from desktop.verslag_view import VerslagPreview

__all__ = ["OndertekenenPage"]

_VOICE = {"ouder": "ouder(s)", "kind": "kind(eren)", "beide": "ouder(s) en kind(eren)"}


class OndertekenenPage(StepPage):
    step_id = "ondertekenen"


    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.gaps: list[Gap] = []
        layout = self.headed_content("Ondertekenen")

        box = QGroupBox("Samenvatting van het gesprek")
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.datum, self.aanwezig, self.contact, self.hulpvraag, self.doelen, self.regisseur, self.status = (
            value_row(form, caption, name) for caption, name in (
                ("Gesprek:", "Datum en plaats"), ("Aanwezig:", "Aanwezig"), ("Gesproken/gezien:", "Gesproken en gezien"),
                ("Hulpvraag:", "Hulpvraag"), ("Doelen:", "Doelen"), ("Regisseur:", "Regisseur"), ("Status:", "Status"),
            )
        )
        layout.addWidget(box)

        # --- signing and the verslag (desktop.signing, desktop.verslag_view) ---
        from desktop.signing import SigningPanel

        self.signature_box = QGroupBox("Handtekeningen en verslag")
        sig_layout = QVBoxLayout(self.signature_box)
        coach = context.wijkcoach if context.wijkcoach.strip().lower() != "wijkcoach" else ""
        self.signing = SigningPanel(wijkcoach=coach, today=context.today)
        self.signing.changed.connect(self.changed)  # handtekeningen changed: autosave, gaps
        self.signing.edited.connect(self._render)  # e.g. a refusal without a reason
        sig_layout.addWidget(self.signing)
        self.verslag_button = button("&Verslag bekijken en afdrukken…", self.show_verslag, keep_enabled=True,
                                     name="Verslag bekijken en afdrukken",
                                     tip="Toont het gesprek-adviesverslag; afdrukken maakt geen bestand")
        sig_layout.addWidget(self.verslag_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.signature_box)
        self.preview: VerslagPreview | None = None
        # --- end signing ---

        self.final_label = label(name="Afgerond", object_name="finalBanner")
        self.final_label.hide()
        layout.addWidget(self.final_label)
        layout.addStretch(1)

        self.to_controle = button("Naar &Controle", lambda: self.show_step_requested.emit("controle"),
                                  name="Naar de controle")
        self.finalise_button = button(
            "Gesprek &definitief maken", self.confirm_finalise, name="Gesprek definitief maken", object_name="primary",
            tip="Legt het gesprek vast zoals het nu is. Daarna kan het niet meer worden gewijzigd; "
            "wel kunt u een nieuwe versie starten.",
        )
        self.confirm_dialog: FinaliseConfirmDialog | None = None  # the open "Gesprek definitief maken?" (FinaliseConfirmDialog)
        self.reason = self.finalise_row(self.to_controle, self.finalise_button)

    # --- contract -------------------------------------------------------------------------

    def set_dossier(self, dossier: Dossier) -> None:
        super().set_dossier(dossier)
        self.signing.set_dossier(dossier, self.document)
        self._render()

    def on_changed(self, paths: list[Path]) -> None:
        """A signature (the cards follow an undo; the card being signed stays as it is);
        anything else changes what the page summarises, and who signs: shown anew."""
        if all(path[:1] == ("handtekeningen",) for path in paths):
            self.signing.follow()
            self._render()
        elif self.document is not None:
            self.set_dossier(self.document.dossier)
            self.set_read_only(self.read_only)

    def set_gaps(self, gaps: list[Gap]) -> None:
        self.gaps = list(gaps)
        self._render()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.signing.set_read_only(read_only)
        self._render()

    def focus_location(self, location: Location) -> None:
        member_id = location.member_id
        if member_id is not None and self.signing.card_for(member_id) is not None:
            self.signing.focus_signer(member_id)  # "Sanne heeft nog niet ondertekend"
            return
        self.finalise_button.setFocus() if self.finalise_button.isEnabled() else self.to_controle.setFocus()

    def confirm_finalise(self) -> None:
        """Ask first (finalising is a deliberate act): what becomes final, for whom, who
        signed, and what is still only an aandachtspunt. Accepted: ``finalise_requested``;
        cancelled: nothing changes."""
        if self.dossier is None or self.read_only or self.dossier.definitief is not None:
            return
        if self.confirm_dialog is not None and self.confirm_dialog.isVisible():
            return
        from desktop.finalise_dialog import FinaliseConfirmDialog

        try:  # the aandachtspunten as they are now (the gap list may lag 150 ms behind)
            current = forms.gaps(self.dossier, self.context.definitions)
        except Exception:  # noqa: BLE001 - a rules bug must not stop the question
            current = self.gaps
        dialog = FinaliseConfirmDialog(self.dossier, current, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(self.finalise_requested)
        dialog.destroyed.connect(lambda *_: setattr(self, "confirm_dialog", None))
        self.confirm_dialog = dialog
        dialog.open()

    def show_verslag(self) -> None:
        """The verslag of the dossier as it is now, from memory (and the stored versions)."""
        if self.dossier is None:
            return
        from desktop.verslag_view import VerslagPreview
        from desktop.workspace import WorkspaceWindow

        window = self.window()
        assert isinstance(window, WorkspaceWindow), "the Ondertekenen page lives in a workspace"
        self.preview = VerslagPreview(self, tasks=window.tasks, dossier_id=self.dossier.id)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        # The same VerslagSettings as the workspace's finalise (context.verslag): what is
        # shown is byte for byte what gets stored.
        self.preview.show_dossier(self.dossier, self.context.definitions, self.context.verslag)
        self.preview.open()

    # --- view -----------------------------------------------------------------------------

    def _render(self) -> None:
        d = self.dossier
        if d is None:
            return
        names = {m.id: m.voornaam for m in d.huishouden.leden}
        self.datum.setText(
            f"{d.gesprek.datum:%d-%m-%Y}" + (f", {d.gesprek.plaats}" if d.gesprek.plaats else "")
        )
        present = [names[i] for i in d.gesprek.aanwezig if i in names]
        extra = f"; ook: {d.gesprek.overige_aanwezigen}" if d.gesprek.overige_aanwezigen else ""
        self.aanwezig.setText((", ".join(present) or "nog niet ingevuld") + extra)
        contacts = []
        for member in d.huishouden.leden:
            record = d.contact(member.id)
            contacts.append(f"{member.voornaam}: {record.status.label.lower() if record else 'nog niet ingevuld'}")
        self.contact.setText("; ".join(contacts) or "—")
        if d.hulpvraag.tekst:
            stem = _VOICE.get(str(d.hulpvraag.stem), "")
            self.hulpvraag.setText(d.hulpvraag.tekst + (f" (stem: {stem})" if stem else ""))
        else:
            self.hulpvraag.setText("nog niet ingevuld")
        n = len(d.plan.doelen)
        actions = sum(len(g.acties) for g in d.plan.doelen)
        self.doelen.setText(f"{n} doel{'en' if n != 1 else ''}, {actions} actie{'s' if actions != 1 else ''}")
        self.regisseur.setText(d.plan.regisseur.naam if d.plan.regisseur else "nog niet gekozen")

        blocking = sum(1 for g in self.gaps if g.blokkerend)
        if d.definitief is not None:
            op = d.definitief.op.astimezone()
            self.status.setText("Afgerond")
            self.final_label.setText(
                f"Afgerond op {op:%d-%m-%Y} om {op:%H:%M}, versie {d.versie}. "
                f"Kenmerk {d.definitief.sha256[:12]}…"
            )
            self.final_label.show()
            self.finalise_button.setEnabled(False)
            self.reason.setText("")
        else:
            self.final_label.hide()
            self.status.setText(
                "Concept: " + blocking_text(blocking).lower() if blocking else "Klaar om af te ronden"
            )
            problems = self.signing.problems()
            self.finalise_button.setEnabled(blocking == 0 and not problems and not self.read_only)
            if blocking:
                self.reason.setText(blocking_text(blocking) + ": zie Controle.")
            else:
                self.reason.setText(" ".join(problems))
