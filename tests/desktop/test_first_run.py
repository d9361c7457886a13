"""First run asks who the wijkcoach is; the answer names the regisseur, the verslag and the
audit log (issue 14), on a real vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apphelpers import PASSPHRASE, WAIT_MS, create_through_dialog, seed_vault, unlock_through_dialog


def test_first_run_asks_who_you_are_and_uses_it_everywhere(qtbot: Any, make_app: Any, vault_path: Path) -> None:
    import storage
    from desktop.firstrun import WhoAreYouDialog
    from desktop.settings import load_verslag_settings
    from desktop.steps.base import StepContext

    app = make_app()
    create_through_dialog(qtbot, app)
    dialog = app.who_dialog
    assert isinstance(dialog, WhoAreYouDialog) and dialog.isVisible()
    assert dialog.parent() is app.caseload  # over the caseload, after the vault was made
    dialog.save_button.click()  # nothing filled in: the name is asked for
    assert dialog.isVisible() and "naam" in dialog.naam_error.text().lower()
    qtbot.keyClicks(dialog.naam, "Mira  de Wit")
    dialog.functie.clear()
    qtbot.keyClicks(dialog.functie, "gezinscoach")
    qtbot.keyClicks(dialog.team, "Wijkteam Zuid")
    qtbot.keyClicks(dialog.gemeente, "Gemeente Texel")
    dialog.save_button.click()
    assert not dialog.isVisible()

    settings: list[Any] = []
    qtbot.waitUntil(lambda: not app.tasks.busy, timeout=WAIT_MS)
    app.tasks.run_db(load_verslag_settings, settings.append)
    qtbot.waitUntil(lambda: bool(settings), timeout=WAIT_MS)
    verslag = settings[0]
    assert (verslag.wijkcoach, verslag.functie, verslag.team, verslag.gemeente) == (
        "Mira de Wit",
        "gezinscoach",
        "Wijkteam Zuid",
        "Gemeente Texel",
    )
    context = StepContext.for_settings(object(), verslag)
    assert context.wijkcoach == "Mira de Wit"  # "Wijkcoach: Mira de Wit" as regisseur, her signature card
    app.shutdown()
    qtbot.waitUntil(lambda: not app.tasks.vault_open, timeout=WAIT_MS)

    vault = storage.open_vault(vault_path, PASSPHRASE)
    try:
        entries = vault.audit_log()
    finally:
        vault.close()
    named = [e for e in entries if e.action == "identity_set"]
    assert named and named[0].who == "Mira de Wit"  # that session already, not the OS login
    assert entries[-1].who == "Mira de Wit"


def test_an_existing_vault_is_not_asked_again(qtbot: Any, make_app: Any, vault_path: Path) -> None:
    seed_vault(vault_path)
    app = make_app()
    unlock_through_dialog(qtbot, app)
    assert app.who_dialog is None


def test_the_verslag_names_the_wijkcoach_with_her_function() -> None:
    import io

    from pypdf import PdfReader

    from forms.demo import demo_dossier
    from forms.verslag import VerslagSettings, build_pdf

    settings = VerslagSettings(gemeente="Gemeente Texel", wijkcoach="Mira de Wit", functie="gezinscoach")
    pdf = build_pdf(demo_dossier(), settings=settings)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Mira de Wit, gezinscoach" in text
