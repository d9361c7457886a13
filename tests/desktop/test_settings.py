"""'Instellingen' on a real, temporary vault: verslag letterhead, lock, central system, passphrase.

The settings go through the dialog's widgets into the vault (on the vault thread), a
workspace opened afterwards carries them in its StepContext, and the verslag the
workspace's finalise stores is the one the Ondertekenen preview shows, letterhead included.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from apphelpers import (
    PASSPHRASE,
    WAIT_MS,
    confirm_finalise,
    create_through_dialog,
    run_db,
    unlock_through_dialog,
)
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QLabel, QLineEdit, QWidget
from shiboken6 import isValid

import storage
from desktop.settings import IDLE_SETTING, VERSLAG_SETTING, WIJKCOACH_SETTING, load_verslag_settings
from desktop.settings_dialog import SettingsDialog
from desktop.steps.base import StepContext
from forms.demo import complete_demo_dossier
from forms.verslag import VerslagSettings

SECRET = "een-verzonnen-geheim-van-de-gemeente-0123"
NEW_PASSPHRASE = "vier losse woorden als wachtwoord"


def sync_file(tmp_path: Path, **overrides: Any) -> Path:
    """A fictional municipality's settings file (see sync/settings.py)."""
    base = "https://open-zaak.gemeente-voorbeeld.example.nl"
    data: dict[str, Any] = {
        "_toelichting": "Verzonnen instellingen voor de tests",
        "zaken_root": f"{base}/zaken/api/v1",
        "documenten_root": f"{base}/documenten/api/v1",
        "catalogi_root": f"{base}/catalogi/api/v1",
        "client_id": "keukentafel-wijkteam-zuid",
        "secret": SECRET,
        "bronorganisatie": "517439943",
        "zaaktype": f"{base}/catalogi/api/v1/zaaktypen/1",
        "informatieobjecttype_dossier": f"{base}/catalogi/api/v1/informatieobjecttypen/1",
        "informatieobjecttype_verslag": f"{base}/catalogi/api/v1/informatieobjecttypen/2",
        "statustype_gestart": f"{base}/catalogi/api/v1/statustypen/1",
        "statustype_ondertekend": f"{base}/catalogi/api/v1/statustypen/2",
        "statustype_evaluatie": f"{base}/catalogi/api/v1/statustypen/3",
        "statustype_afgesloten": f"{base}/catalogi/api/v1/statustypen/4",
        "resultaattypen": {"zelfstandig_verder": f"{base}/catalogi/api/v1/resultaattypen/1"},
        "roltype_behandelaar": f"{base}/catalogi/api/v1/roltypen/1",
        "medewerker_identificatie": "wk-0007",
        "user_representation": "F. Voorbeeld, wijkcoach",
    }
    data.update(overrides)
    path = tmp_path / "gemeente-instellingen.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def open_settings(qtbot: Any, app: Any) -> SettingsDialog:
    """Through the caseload's shortcut (Ctrl+,); waits until the stored values are shown."""
    caseload = app.caseload
    caseload.activateWindow()
    qtbot.waitUntil(caseload.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(caseload.table, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = caseload.settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.is_loaded and not dialog.busy, timeout=WAIT_MS)
    return dialog


def type_into(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def all_text(root: QWidget) -> str:
    parts = [w.text() for w in root.findChildren(QLabel)] + [w.text() for w in root.findChildren(QLineEdit)]
    parts += [w.accessibleDescription() for w in root.findChildren(QWidget)]
    return "\n".join(parts)


@pytest.fixture
def app(qtbot: Any, make_app: Any) -> Any:
    app = make_app(idle_minutes=None)
    create_through_dialog(qtbot, app)
    return app


def test_dialog_is_busy_until_loaded_and_shows_the_defaults(qtbot: Any, app: Any) -> None:
    dialog = app.caseload.open_settings()  # the button's slot
    assert dialog.busy and not dialog.tabs.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.progress.isVisibleTo(dialog) and "geladen" in dialog.status.text()
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        pass
    assert dialog.tabs.isEnabled() and not dialog.progress.isVisibleTo(dialog)
    assert dialog.gemeente.text() == VerslagSettings().gemeente
    assert dialog.idle_minutes.value() == 5
    assert not dialog.instrument_details.isChecked()
    assert not dialog.save_button.isEnabled()  # nothing changed yet
    assert "Nog niet ingesteld" in dialog.sync_state.text() and dialog.client_id.text() == "—"
    assert app.caseload.open_settings() is dialog  # one at a time
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_saved_settings_reach_the_vault_the_workspace_and_the_finalised_verslag(qtbot: Any, app: Any) -> None:
    dossier = complete_demo_dossier()
    run_db(qtbot, app.tasks, lambda v: v.save(dossier))
    dialog = open_settings(qtbot, app)
    type_into(qtbot, dialog.gemeente, "Gemeente Zandhoven")
    type_into(qtbot, dialog.team, "Sociaal wijkteam De Duinen")
    type_into(qtbot, dialog.wijkcoach, "Fatima el Amrani")
    type_into(qtbot, dialog.telefoon, "0223 12 34 56")
    type_into(qtbot, dialog.email, "geen-adres")
    dialog.instrument_details.click()
    dialog.tabs.setCurrentIndex(1)
    dialog.idle_minutes.setValue(12)
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 0  # the e-mail is refused
    assert "geen e-mailadres" in dialog.email_error.text() and dialog.email_error.isVisibleTo(dialog)
    type_into(qtbot, dialog.email, "wijkteam@zandhoven.example.nl")
    with qtbot.waitSignal(app.caseload.settings_saved, timeout=WAIT_MS) as saved:
        dialog.save_button.click()
    assert not dialog.isVisible()
    expected = VerslagSettings(
        gemeente="Gemeente Zandhoven",
        team="Sociaal wijkteam De Duinen",
        toon_instrument_details=True,
        wijkcoach="Fatima el Amrani",
        team_telefoon="0223 12 34 56",
        team_email="wijkteam@zandhoven.example.nl",
    )
    assert saved.args[0].verslag == expected
    assert app.idle.timeout_ms == 12 * 60_000  # applied at once, not only at the next unlock

    # in the vault
    stored = run_db(
        qtbot,
        app.tasks,
        lambda v: (v.get_setting(VERSLAG_SETTING), v.get_setting(WIJKCOACH_SETTING), v.get_setting(IDLE_SETTING)),
    )
    assert stored == (
        {
            "gemeente": "Gemeente Zandhoven",
            "team": "Sociaal wijkteam De Duinen",
            "toon_instrument_details": True,
            "wijkcoach": "Fatima el Amrani",
            "functie": "",
            "team_telefoon": "0223 12 34 56",
            "team_email": "wijkteam@zandhoven.example.nl",
        },
        "Fatima el Amrani",
        12,
    )
    assert run_db(qtbot, app.tasks, load_verslag_settings) == expected

    # a workspace opened afterwards carries them
    app.open_dossier(dossier.id, step="ondertekenen")
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT_MS)
    ws = app.workspace
    assert ws.context.verslag == expected
    assert ws.context.wijkcoach == "Fatima el Amrani"
    page = ws.page("ondertekenen")
    assert page.signing.wijkcoach == "Fatima el Amrani"  # the wijkcoach's signature card

    # the workspace's finalise stores the verslag with that letterhead...
    page.finalise_button.click()
    confirm_finalise(qtbot, page)
    qtbot.waitUntil(lambda: ws.read_only, timeout=WAIT_MS)
    version = run_db(qtbot, app.tasks, lambda v: v.load_version(dossier.id, 1))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(version.pdf)).pages)
    assert "Gemeente Zandhoven" in text and "Sociaal wijkteam De Duinen" in text
    assert "wijkteam@zandhoven.example.nl" in text and "Fatima el Amrani" in text

    # ... and the Ondertekenen preview shows the very same bytes
    page = ws.page("ondertekenen")
    page.verslag_button.click()
    preview = page.preview
    qtbot.waitSignal(preview.ready, timeout=WAIT_MS).wait()
    assert preview.pdf == version.pdf
    preview.reject()


def test_prepare_final_uses_the_context_letterhead(qtbot: Any, app: Any) -> None:
    """desktop.finalising.prepare_final with a context's verslag: the gemeente in the PDF."""
    from desktop import formsapi
    from desktop.finalising import prepare_final

    dialog = open_settings(qtbot, app)
    type_into(qtbot, dialog.gemeente, "Gemeente Heidedorp")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()
    verslag = run_db(qtbot, app.tasks, load_verslag_settings)
    context = StepContext.for_settings(formsapi.definitions(), verslag)
    assert context.wijkcoach == "wijkcoach"  # no name given: the placeholder stays
    _final, pdf = prepare_final(complete_demo_dossier(), context.definitions, context.verslag)
    first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Gemeente Heidedorp" in first


def test_importing_the_municipality_file_keeps_it_and_never_shows_the_secret(
    qtbot: Any, app: Any, tmp_path: Path
) -> None:
    from sync.settings import load_settings

    path = sync_file(tmp_path)
    dialog = open_settings(qtbot, app)
    dialog.tabs.setCurrentIndex(2)
    dialog.import_button.click()  # the file dialog (Qt's own, offscreen); choose the file in it
    chooser = dialog._chooser
    assert chooser is not None and chooser.isVisible()
    chooser.selectFile(str(path))
    with qtbot.waitSignal(dialog.sync_imported, timeout=WAIT_MS):
        chooser.accept()
    assert dialog.client_id.text() == "keukentafel-wijkteam-zuid"
    assert dialog.bronorganisatie.text() == "517439943"
    assert dialog.zaken_root.text().endswith("/zaken/api/v1")
    assert "geïmporteerd" in dialog.sync_message.text()
    assert SECRET not in all_text(dialog)
    stored = run_db(qtbot, app.tasks, load_settings)
    assert stored.client_id == "keukentafel-wijkteam-zuid"
    assert stored.secret.get_secret_value() == SECRET  # kept, encrypted, in the vault
    dialog.reject()

    # reopened: shown from the vault, still without the secret
    dialog = open_settings(qtbot, app)
    assert dialog.client_id.text() == "keukentafel-wijkteam-zuid"
    assert "Ingesteld" in dialog.sync_state.text()
    assert SECRET not in all_text(dialog)


def test_an_invalid_file_names_the_field_in_dutch_and_stores_nothing(
    qtbot: Any, app: Any, tmp_path: Path
) -> None:
    from sync.settings import load_settings

    dialog = open_settings(qtbot, app)
    dialog.tabs.setCurrentIndex(2)
    dialog.import_sync_file(str(sync_file(tmp_path, bronorganisatie="123456789")))
    qtbot.waitUntil(lambda: dialog.sync_message.isVisibleTo(dialog) and not dialog.busy, timeout=WAIT_MS)
    message = dialog.sync_message.text()
    assert message.startswith("Niet geïmporteerd.") and "'bronorganisatie'" in message and "elfproef" in message
    assert SECRET not in message
    assert run_db(qtbot, app.tasks, load_settings) is None
    assert dialog.client_id.text() == "—"

    dialog.import_sync_file(str(sync_file(tmp_path, clientid="tikfout")))
    qtbot.waitUntil(lambda: "'clientid'" in dialog.sync_message.text(), timeout=WAIT_MS)
    assert "onbekend" in dialog.sync_message.text()


def test_changing_the_passphrase(qtbot: Any, app: Any, vault_path: Path) -> None:
    dialog = open_settings(qtbot, app)
    dialog.tabs.setCurrentIndex(3)

    # too short, and not repeated the same: said before the vault is asked
    qtbot.keyClicks(dialog.old_passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.new_passphrase, "te kort")
    qtbot.keyClicks(dialog.repeat_passphrase, "te kort")
    dialog.change_button.click()
    assert not dialog.busy and "te kort: minstens 12 tekens" in dialog.new_error.text()
    type_into(qtbot, dialog.new_passphrase, NEW_PASSPHRASE)
    type_into(qtbot, dialog.repeat_passphrase, NEW_PASSPHRASE + "!")
    dialog.change_button.click()
    assert "niet gelijk" in dialog.repeat_error.text()

    # a wrong current passphrase: the vault says no
    type_into(qtbot, dialog.old_passphrase, "dit-is-niet-het-wachtwoord")
    type_into(qtbot, dialog.repeat_passphrase, NEW_PASSPHRASE)
    dialog.change_button.click()
    assert dialog.busy and not dialog.tabs.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.old_error.text().startswith("Het huidige wachtwoord klopt niet.")
    assert dialog.old_passphrase.text() == "" and dialog.old_passphrase.hasFocus()

    # the right one (the worker waits out the delay after the wrong attempt)
    qtbot.keyClicks(dialog.old_passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.passphrase_changed, timeout=WAIT_MS):
        qtbot.keyClick(dialog.repeat_passphrase, Qt.Key.Key_Return)
    assert "gewijzigd" in dialog.passphrase_message.text()
    assert not (dialog.old_passphrase.text() or dialog.new_passphrase.text() or dialog.repeat_passphrase.text())
    dialog.reject()

    # the old passphrase no longer opens the vault, the new one does
    app.lock()
    qtbot.waitUntil(lambda: not app.tasks.busy and not app.tasks.vault_open, timeout=WAIT_MS)
    with pytest.raises(storage.WrongPassphrase):
        storage.open_vault(vault_path, PASSPHRASE, sleep=lambda _s: None)
    unlock_through_dialog(qtbot, app, NEW_PASSPHRASE)
    actions = run_db(qtbot, app.tasks, lambda v: [e.action for e in v.audit_log()])
    assert "passphrase_changed" in actions


def test_lock_closes_the_dialog_and_forgets_typed_passphrases(qtbot: Any, app: Any) -> None:
    dialog = open_settings(qtbot, app)
    dialog.tabs.setCurrentIndex(3)
    qtbot.keyClicks(dialog.old_passphrase, PASSPHRASE)
    app.lock()
    assert not dialog.isVisible() and dialog.old_passphrase.text() == ""

    def deleted() -> bool:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return not isValid(dialog)

    qtbot.waitUntil(deleted, timeout=WAIT_MS)  # with the caseload: no widget keeps the values
    unlock_through_dialog(qtbot, app)
    assert app.caseload.settings_dialog is None


def test_every_control_is_named_has_a_mnemonic_and_the_dialog_fits_200_percent(qtbot: Any, app: Any) -> None:
    dialog = open_settings(qtbot, app)
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QAbstractButton) and widget.isVisibleTo(dialog):
            assert widget.accessibleName() or widget.text(), type(widget).__name__
        elif isinstance(widget, (QLineEdit, QAbstractSpinBox)):
            if isinstance(widget.parent(), QAbstractSpinBox):
                continue
            assert widget.accessibleName(), type(widget).__name__
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    fields = [dialog.gemeente, dialog.team, dialog.wijkcoach, dialog.telefoon, dialog.email, dialog.idle_minutes]
    fields += [dialog.old_passphrase, dialog.new_passphrase, dialog.repeat_passphrase]
    assert all(f in buddies for f in fields)  # each has a label with an &-mnemonic
    for button in (dialog.instrument_details, dialog.import_button, dialog.change_button, dialog.save_button):
        assert "&" in button.text()
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["&Verslag", "Ve&rgrendelen", "&Centraal systeem", "Wacht&woord wijzigen"]
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        # the mnemonics that can fire on this tab (hidden tabs' labels cannot) are unique
        texts = tabs + [b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
        texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy() and label.isVisibleTo(dialog)]
        keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(keys) == len(set(keys)), (tabs[index], sorted(keys))
        hint = dialog.minimumSizeHint()
        assert hint.width() <= 683 and hint.height() <= 384, (tabs[index], hint.toTuple())
