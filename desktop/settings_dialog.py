""""Instellingen": the verslag's letterhead, the lock, the central system, the passphrase.

Opened from the caseload (button "Instellingen…", Ctrl+,). Four tabs:

- **Verslag**: gemeente, team, the wijkcoach's name, the team's telephone and e-mail,
  and whether the verslag shows the safety instrument's answers per child;
- **Vergrendelen**: minutes without input before the lock (1–60);
- **Centraal systeem**: imports the municipality's JSON file (``sync.settings``) and
  shows the API roots, client id and bronorganisatie -- never the secret (the dialog
  never even receives it: :class:`desktop.settings.SyncSummary`);
- **Wachtwoord wijzigen**: ``Vault.change_passphrase``.

"Opslaan" keeps the first two tabs (and closes the dialog); importing and changing
the passphrase act at once with their own buttons. Every vault call runs on the vault
thread (``tasks.run_db``); the dialog is busy (inputs disabled, a progress bar) until
the stored values have arrived, and while a job runs. A workspace opened after saving
uses the new verslag settings; one that is open keeps the ones it opened with.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .errors import message_for
from .settings import (
    MAX_IDLE_MINUTES,
    MAX_TEXT,
    MIN_IDLE_MINUTES,
    SettingsSnapshot,
    SyncSummary,
    import_sync_settings,
    load_snapshot,
    save_idle_minutes,
    save_verslag_settings,
)
from .tasks import TaskManager
from .widgets import ErrorLabel, busy_bar, form_row, make_form, scroll_wrap, value_row
from .widgets import label as make_label

if TYPE_CHECKING:  # forms.verslag pulls in reportlab: imported when first needed
    from forms.verslag import VerslagSettings
    from storage import Vault

__all__ = ["SettingsDialog", "line_row", "spaced"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _min_passphrase_length() -> int:
    import storage

    return storage.MIN_PASSPHRASE_LENGTH


def spaced(edit: QLineEdit) -> str:
    """The text of ``edit`` with its runs of white space made one space."""
    return " ".join(edit.text().split())


def _page(hint: str) -> tuple[QWidget, QVBoxLayout]:
    """A tab's page and its column, the tab's explanation on top."""
    page = QWidget()
    column = QVBoxLayout(page)
    column.addWidget(make_label(hint, object_name="hint"))
    return page, column


def line_row(
    form: QFormLayout, text: str, placeholder: str = "", *, password: bool = False, accessible_name: str | None = None
) -> tuple[QLineEdit, ErrorLabel]:
    """A line edit in ``form`` under the label ``text``, and its error label."""
    edit = QLineEdit()
    edit.setMaxLength(1000 if password else MAX_TEXT)
    edit.setPlaceholderText(placeholder)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit, form_row(form, text, edit, accessible_name=accessible_name)


def _sync_message(exc: BaseException) -> str:
    """The sync's own Dutch sentence (it names the field), else the general one."""
    from sync.errors import SyncError

    if isinstance(exc, SyncError) and exc.melding:
        return exc.melding
    return message_for(exc)


class SettingsDialog(QDialog):
    """The settings screen; open it with ``open()`` (never blocks the event loop)."""

    loaded = Signal()  # the stored values are shown and the inputs usable
    saved = Signal(object)  # SettingsSnapshot after "Opslaan" (idle minutes for the app)
    sync_imported = Signal(object)  # SyncSummary
    passphrase_changed = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.snapshot: SettingsSnapshot | None = None
        self._busy_jobs = 0
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Instellingen")
        self.setAccessibleName("Instellingen")
        self.setMinimumWidth(480)
        self.resize(680, 560)

        layout = QVBoxLayout(self)
        layout.addWidget(make_label("Instellingen", object_name="heading", wrap=False))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Onderdelen van de instellingen")
        self.tabs.addTab(scroll_wrap(self._build_verslag()), "&Verslag")
        self.tabs.addTab(scroll_wrap(self._build_lock()), "Ve&rgrendelen")
        self.tabs.addTab(scroll_wrap(self._build_sync()), "&Centraal systeem")
        self.tabs.addTab(scroll_wrap(self._build_passphrase()), "Wacht&woord wijzigen")
        layout.addWidget(self.tabs, 1)

        self.status = make_label(name="Status", hidden=True)
        self.progress = busy_bar()
        layout.addWidget(self.status)
        layout.addWidget(self.progress)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Opslaan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Instellingen opslaan")
        self.save_button.setToolTip("Bewaart de tabbladen Verslag en Vergrendelen.")
        self.save_button.setDefault(True)
        self.close_button = self.buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAccessibleName("Sluiten zonder op te slaan")
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        for edit in (self.gemeente, self.team, self.wijkcoach, self.functie, self.telefoon, self.email):
            edit.textChanged.connect(self._update_save_button)
        self.instrument_details.toggled.connect(self._update_save_button)
        self.idle_minutes.valueChanged.connect(self._update_save_button)

        self._set_busy(True, "Instellingen worden geladen…")
        self.tasks.run_db(load_snapshot, self._loaded, self._load_failed, owner=self)

    # --- the tabs ---------------------------------------------------------------------

    def _build_verslag(self) -> QWidget:
        page, column = _page(
            "Zo staan uw gemeente, uw team en uw naam in het gesprek-adviesverslag dat de "
            "ouders lezen en ondertekenen. Een gesprek dat u hierna opent, gebruikt deze "
            "gegevens; een al afgerond verslag verandert niet."
        )
        form = make_form()
        self.gemeente, self.gemeente_error = line_row(form, "&Gemeente:", "Bijvoorbeeld: Gemeente Den Helder")
        self.team, self.team_error = line_row(form, "&Team:", "Bijvoorbeeld: Sociaal wijkteam Centrum")
        self.wijkcoach, _ = line_row(form, "&Uw naam (wijkcoach):", "Voor- en achternaam", accessible_name="Uw naam")
        self.functie, _ = line_row(form, "Fu&nctie:", "Bijvoorbeeld: wijkcoach", accessible_name="Uw functie")
        self.telefoon, _ = line_row(
            form, "Tele&foon team:", "Bijvoorbeeld: 0223 67 89 00", accessible_name="Telefoon team"
        )
        self.email, self.email_error = line_row(
            form, "&E-mail team:", "Bijvoorbeeld: wijkteam@gemeente.nl", accessible_name="E-mail team"
        )
        column.addLayout(form)
        self.instrument_details = QCheckBox("&Antwoorden van het veiligheidsinstrument in het verslag")
        self.instrument_details.setAccessibleName("Antwoorden van het veiligheidsinstrument in het verslag tonen")
        explain = make_label("Uit (aangeraden): de ouders lezen per kind de conclusie over de veiligheid in "
            "woorden; de antwoorden per vraag blijven in het dossier. Aan: het verslag toont "
            "per kind ook elk antwoord van het instrument.", object_name="hint")
        self.instrument_details.setAccessibleDescription(explain.text())
        column.addWidget(self.instrument_details)
        column.addWidget(explain)
        column.addStretch(1)
        return page

    def _build_lock(self) -> QWidget:
        page, column = _page(
            "Gebruikt u het toetsenbord en de muis een tijd niet, dan vergrendelt Keukentafel "
            "de kluis: alle vensters met gegevens gaan dicht en u ontgrendelt met uw "
            "wachtwoord. Wat u aan het doen was, staat daarna weer voor u klaar."
        )
        form = make_form()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle_minutes.setSuffix(" minuten")
        self.idle_minutes.setAccessibleDescription(
            f"Tussen {MIN_IDLE_MINUTES} en {MAX_IDLE_MINUTES} minuten zonder invoer"
        )
        form_row(form, "Vergrendelen &na:", self.idle_minutes, accessible_name="Vergrendelen na minuten")
        column.addLayout(form)
        column.addStretch(1)
        return page

    def _build_sync(self) -> QWidget:
        page, column = _page(
            "Keukentafel stuurt afgeronde gesprekken naar het zaaksysteem van de gemeente. "
            "De functioneel beheerder geeft u daarvoor een instellingenbestand (JSON). Het "
            "geheim daarin wordt versleuteld in de kluis bewaard en nergens getoond."
        )
        self.sync_state = make_label(name="Stand van de instellingen voor het centrale systeem")
        column.addWidget(self.sync_state)
        form = make_form()
        self.zaken_root, self.documenten_root, self.catalogi_root, self.client_id, self.bronorganisatie = (
            value_row(form, name + ":", name, "—")
            for name in ("Zaken-API", "Documenten-API", "Catalogi-API", "Client-id", "Bronorganisatie (RSIN)")
        )
        column.addLayout(form)
        self.import_button = QPushButton("Instellingen &importeren…")
        self.import_button.setAccessibleName("Instellingenbestand van de gemeente importeren")
        self.import_button.clicked.connect(self.choose_sync_file)
        column.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.sync_message = make_label(name="Melding over het importeren", hidden=True)
        self.sync_message.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.sync_message)
        column.addStretch(1)
        self._chooser: QFileDialog | None = None
        return page

    def _build_passphrase(self) -> QWidget:
        minimum = _min_passphrase_length()
        page, column = _page(
            f"Het nieuwe wachtwoord moet minstens {minimum} tekens lang zijn; vier losse "
            "woorden zijn sterk en goed te onthouden. Er is geen herstel: wie het wachtwoord "
            "vergeet, kan de kluis niet meer openen."
        )
        form = make_form()
        self.old_passphrase, self.old_error = line_row(form, "&Huidig wachtwoord:", password=True)
        self.new_passphrase, self.new_error = line_row(form, "&Nieuw wachtwoord:", password=True)
        self.repeat_passphrase, self.repeat_error = line_row(form, "Nieuw wachtwoord herhal&en:", password=True)
        column.addLayout(form)
        self.change_button = QPushButton("Wachtwoord wij&zigen")
        self.change_button.setAccessibleName("Wachtwoord wijzigen")
        self.change_button.clicked.connect(self.change_passphrase)
        column.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.passphrase_message = make_label(name="Melding over het wachtwoord", hidden=True)
        column.addWidget(self.passphrase_message)
        column.addStretch(1)
        for edit in (self.old_passphrase, self.new_passphrase, self.repeat_passphrase):
            edit.returnPressed.connect(self.change_passphrase)
        return page

    # --- busy state -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy_jobs > 0

    @property
    def is_loaded(self) -> bool:
        return self.snapshot is not None

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy_jobs = max(0, self._busy_jobs + (1 if busy else -1))
        working = self._busy_jobs > 0
        self.tabs.setEnabled(not working and self.is_loaded)
        self.progress.setVisible(working)
        if text or not working:
            self._set_status(text)
        self._update_save_button()

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # --- load -------------------------------------------------------------------------

    def _loaded(self, snapshot: SettingsSnapshot) -> None:
        self.snapshot = snapshot
        verslag = snapshot.verslag
        self.gemeente.setText(verslag.gemeente)
        self.team.setText(verslag.team)
        self.wijkcoach.setText(verslag.wijkcoach)
        self.functie.setText(verslag.functie)
        self.telefoon.setText(verslag.team_telefoon)
        self.email.setText(verslag.team_email)
        self.instrument_details.setChecked(verslag.toon_instrument_details)
        self.idle_minutes.setValue(self._shown_minutes(snapshot.idle_minutes))
        self._show_sync(snapshot.sync, snapshot.sync_problem)
        self._set_busy(False)
        self.gemeente.setFocus()
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_busy(False, "De instellingen konden niet worden gelezen. " + message_for(exc))

    @staticmethod
    def _shown_minutes(minutes: float) -> int:
        return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, math.ceil(minutes)))

    # --- Verslag and Vergrendelen: "Opslaan" ---------------------------------------------

    def verslag_settings(self) -> VerslagSettings:
        """The VerslagSettings the fields describe (not validated)."""
        from forms.verslag import VerslagSettings

        return VerslagSettings(
            gemeente=spaced(self.gemeente),
            team=spaced(self.team),
            toon_instrument_details=self.instrument_details.isChecked(),
            wijkcoach=spaced(self.wijkcoach),
            functie=spaced(self.functie),
            team_telefoon=spaced(self.telefoon),
            team_email=spaced(self.email),
        )

    @property
    def dirty(self) -> bool:
        """Whether Verslag or Vergrendelen differ from what is stored."""
        if self.snapshot is None:
            return False
        stored_minutes = self._shown_minutes(self.snapshot.idle_minutes)
        return self.verslag_settings() != self.snapshot.verslag or self.idle_minutes.value() != stored_minutes

    def _update_save_button(self, *_: object) -> None:
        self.save_button.setEnabled(self.is_loaded and not self.busy and self.dirty)

    def _validate_verslag(self, verslag: VerslagSettings) -> QWidget | None:
        """Show the problems next to the fields; the first field with one, or None."""
        email_wrong = verslag.team_email and not _EMAIL.match(verslag.team_email)
        problems = {
            self.gemeente_error: (
                "" if verslag.gemeente else "Vul de naam van de gemeente in; die staat bovenaan het verslag."
            ),
            self.team_error: "" if verslag.team else "Vul de naam van het team in; die staat bovenaan het verslag.",
            self.email_error: "Dit is geen e-mailadres (zoals wijkteam@gemeente.nl)." if email_wrong else "",
        }
        for error, text in problems.items():
            error.show_messages([text] if text else [])
        return next((error.field for error, text in problems.items() if text), None)

    def save(self) -> None:
        """Keep Verslag and Vergrendelen in the vault; close when that worked."""
        if not self.is_loaded or self.busy:
            return
        verslag = self.verslag_settings()
        wrong = self._validate_verslag(verslag)
        if wrong is not None:
            self.tabs.setCurrentIndex(0)
            wrong.setFocus()
            self._set_status("Nog niet opgeslagen: kijk naar de melding bij het veld.")
            return
        minutes = self.idle_minutes.value()
        assert self.snapshot is not None
        snapshot = self.snapshot._replace(verslag=verslag, idle_minutes=float(minutes))

        def store(vault: Vault) -> SettingsSnapshot:
            save_verslag_settings(vault, verslag)
            save_idle_minutes(vault, minutes)
            return snapshot

        self._set_busy(True, "Instellingen worden opgeslagen…")
        self.tasks.run_db(store, self._saved, self._save_failed, owner=self)

    def _saved(self, snapshot: SettingsSnapshot) -> None:
        self.snapshot = snapshot
        self._set_busy(False, "Opgeslagen.")
        self.saved.emit(snapshot)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False, "Niet opgeslagen: " + message_for(exc))

    # --- Centraal systeem ----------------------------------------------------------------

    def _show_sync(self, summary: SyncSummary | None, problem: str = "") -> None:
        labels = (self.zaken_root, self.documenten_root, self.catalogi_root, self.client_id, self.bronorganisatie)
        values = summary if summary is not None else ("—",) * len(labels)
        for label, value in zip(labels, values, strict=False):
            label.setText(value)
        if summary is not None:
            self.sync_state.setText("Ingesteld. Een nieuw bestand importeren vervangt deze instellingen.")
        elif problem:
            self.sync_state.setText("De bewaarde instellingen zijn niet bruikbaar. " + problem)
        else:
            self.sync_state.setText(
                "Nog niet ingesteld. Vraag de functioneel beheerder om het instellingenbestand."
            )

    def choose_sync_file(self) -> None:
        """Pick the municipality's JSON file (a window-modal file dialog; no nested event loop)."""
        chooser = QFileDialog(self, "Instellingenbestand van de gemeente kiezen")
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        chooser.setNameFilters(["Instellingenbestand (*.json)", "Alle bestanden (*)"])
        from .dutch import documents_folder

        chooser.setDirectory(documents_folder())  # never the program's own folder
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        chooser.fileSelected.connect(self.import_sync_file)
        self._chooser = chooser
        chooser.open()

    def import_sync_file(self, path: str) -> None:
        """Check the file and keep it in the vault (both on the vault thread)."""
        if not path or self.busy:
            return
        self.sync_message.hide()
        self._set_busy(True, "Instellingenbestand wordt gecontroleerd…")
        self.tasks.run_db(
            lambda vault: import_sync_settings(vault, path), self._sync_imported, self._sync_failed, owner=self
        )

    def _sync_imported(self, summary: SyncSummary) -> None:
        self._show_sync(summary)
        self._show_message(self.sync_message, "De instellingen voor het centrale systeem zijn geïmporteerd.")
        self._set_busy(False)
        self.sync_imported.emit(summary)
        self.import_button.setFocus()

    def _sync_failed(self, exc: BaseException) -> None:
        self._show_message(self.sync_message, "Niet geïmporteerd. " + _sync_message(exc), error=True)
        self._set_busy(False)
        self.import_button.setFocus()

    # --- Wachtwoord wijzigen -------------------------------------------------------------

    def change_passphrase(self) -> None:
        if not self.is_loaded or self.busy:
            return
        minimum = _min_passphrase_length()
        old, new, repeat = self.old_passphrase.text(), self.new_passphrase.text(), self.repeat_passphrase.text()
        for error in (self.old_error, self.new_error, self.repeat_error):
            error.clear_messages()
        self.passphrase_message.hide()
        if not old:
            return self._passphrase_problem(self.old_error, "Vul uw huidige wachtwoord in.")
        if len(new.strip()) < minimum:
            return self._passphrase_problem(
                self.new_error, f"Het nieuwe wachtwoord is te kort: minstens {minimum} tekens."
            )
        if new != repeat:
            return self._passphrase_problem(self.repeat_error, "De twee nieuwe wachtwoorden zijn niet gelijk.")
        if new == old:
            return self._passphrase_problem(self.new_error, "Het nieuwe wachtwoord is hetzelfde als het huidige.")
        self._set_busy(True, "Wachtwoord wordt gewijzigd; de kluis wordt opnieuw versleuteld…")
        self.tasks.run_db(
            lambda vault: vault.change_passphrase(old, new),
            self._passphrase_done,
            self._passphrase_failed,
            owner=self,
        )

    def _passphrase_problem(self, error: ErrorLabel, text: str) -> None:
        """``text`` under its field, which gets the focus with its text selected."""
        error.show_messages([text])
        field = error.field
        assert isinstance(field, QLineEdit)
        field.setFocus()
        field.selectAll()

    def _passphrase_done(self, _result: None) -> None:
        self._clear_passphrases()
        self._set_busy(False)
        self._show_message(
            self.passphrase_message, "Het wachtwoord is gewijzigd. Gebruik voortaan het nieuwe wachtwoord."
        )
        self.passphrase_changed.emit()
        self.old_passphrase.setFocus()

    def _passphrase_failed(self, exc: BaseException) -> None:
        from .errors import is_wrong_passphrase

        self._set_busy(False)
        if is_wrong_passphrase(exc):
            text = "Het huidige wachtwoord klopt niet."
            wait = exc.wait_seconds
            if wait >= 1:
                text += f" U kunt het over {math.ceil(wait)} seconden opnieuw proberen."
            self.old_passphrase.clear()
            self._passphrase_problem(self.old_error, text)
            return
        self._show_message(self.passphrase_message, "Het wachtwoord is niet gewijzigd. " + message_for(exc), error=True)

    def _clear_passphrases(self) -> None:
        for edit in (self.old_passphrase, self.new_passphrase, self.repeat_passphrase):
            edit.clear()

    # --- shared ---------------------------------------------------------------------------

    @staticmethod
    def _show_message(label: QLabel, text: str, *, error: bool = False) -> None:
        label.setObjectName("errorText" if error else "")
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text)
        label.setAccessibleDescription(text)
        label.show()

    def done(self, result: int) -> None:
        """Closing (also on lock): no passphrase stays behind in a widget."""
        self._clear_passphrases()
        if self._chooser is not None:
            try:
                self._chooser.close()
            except RuntimeError:  # already deleted (WA_DeleteOnClose)
                pass
            self._chooser = None
        super().done(result)
