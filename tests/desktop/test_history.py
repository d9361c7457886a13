"""The "Geschiedenis" view: edits typed in a real window, saved to a real vault, listed
in Dutch labels, never with what was typed; and the audit table holds no personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apphelpers import WAIT_MS, has_focus, run_db
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.fit import first_field
from desktop.history import GROUP_GAP, HistoryDialog, build_rows, describe, when_text
from forms.demo import demo_dossier
from storage import HistoryEntry

TYPED = "Zwanenhals4711 wil weer naar school"  # fictional; must never show up in the history


def _raw_audit(vault: Any) -> str:
    rows = vault._conn.execute("SELECT at, who, action, dossier_id, detail FROM audit").fetchall()
    rows += vault._conn.execute("SELECT seq, n, path FROM audit_paths").fetchall()
    return "\n".join(" ".join(map(str, r)) for r in rows)


def _loaded(qtbot: Any, dialog: HistoryDialog) -> HistoryDialog:
    qtbot.waitUntil(lambda: dialog.loaded or dialog.failed, timeout=WAIT_MS)
    assert not dialog.failed, dialog.view.toPlainText()
    return dialog


def test_typed_edits_show_as_labels_never_as_values(qtbot: Any, open_workspace: Any, vault_tasks: Any) -> None:
    dossier = demo_dossier()
    ws = open_workspace(dossier, start_step="hulpvraag")
    field = first_field(ws.page("hulpvraag"))
    assert field is not None
    field.setFocus()
    qtbot.keyClicks(field, TYPED)
    qtbot.waitUntil(lambda: not ws.dirty and not ws.saving and ws.save_label.text().startswith("Opgeslagen"), timeout=WAIT_MS)

    dialog = _loaded(qtbot, ws.show_history())
    qtbot.addWidget(dialog)
    shown = dialog.view.toPlainText()
    assert "Gewijzigd" in shown and "Hulpvraag › tekst" in shown
    assert "Dossier aangemaakt" in shown
    assert TYPED not in shown and "Zwanenhals" not in shown
    names = [m.voornaam for m in dossier.huishouden.leden] + [m.achternaam for m in dossier.huishouden.leden]
    raw = run_db(qtbot, vault_tasks, _raw_audit)
    assert "hulpvraag/tekst" in raw
    for text in [TYPED, "Zwanenhals", dossier.huishouden.adres.straat, *names]:
        assert text not in raw, text


def test_keyboard_only(qtbot: Any, open_workspace: Any, vault_tasks: Any) -> None:
    dossier = demo_dossier()
    ws = open_workspace(dossier)
    run_db(qtbot, vault_tasks, lambda v: v.load(dossier.id))  # opened once: a "read" in the trail
    ws.activateWindow()
    ws.history_action.trigger()  # Ctrl+H
    dialog = _loaded(qtbot, ws.findChild(HistoryDialog))
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    assert has_focus(qtbot, dialog.view)  # the list has the focus: arrows and PgDown scroll it
    assert "Geopend" not in dialog.view.toPlainText()
    qtbot.keyClick(dialog.view, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # the opens too
    qtbot.waitUntil(dialog.show_reads.isChecked, timeout=WAIT_MS)  # a mnemonic animates the click
    assert "Geopend" in dialog.view.toPlainText()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_from_the_caseload(qtbot: Any, vault_tasks: Any) -> None:
    from desktop.caseload import CaseloadWindow

    dossier = demo_dossier()
    run_db(qtbot, vault_tasks, lambda v: v.save(dossier))
    caseload = CaseloadWindow(vault_tasks)
    qtbot.addWidget(caseload)
    caseload.show()
    caseload.reload()
    qtbot.waitUntil(lambda: caseload.current_id() == dossier.id, timeout=WAIT_MS)
    assert caseload.history_action in caseload.table.actions()  # the context menu offers it
    dialog = _loaded(qtbot, caseload.show_history())
    assert "Dossier aangemaakt" in dialog.view.toPlainText()
    assert dossier.titel in dialog.heading.text()


def test_fits_200_percent(qtbot: Any, open_workspace: Any) -> None:
    from desktop.app import apply_style

    app = QApplication.instance()
    font, sheet = app.font(), app.styleSheet()
    apply_style(app)
    try:
        ws = open_workspace(demo_dossier())
        dialog = _loaded(qtbot, ws.show_history())
        hint = dialog.minimumSizeHint()
        assert hint.width() <= 683 and hint.height() <= 384, hint.toTuple()
        assert dialog.view.lineWrapMode() != dialog.view.LineWrapMode.NoWrap
    finally:
        app.setStyleSheet(sheet)
        app.setFont(font)


# --- the rows, without a window -------------------------------------------------------------

_T0 = dt.datetime(2026, 11, 3, 13, 0, tzinfo=dt.UTC)


def _entry(seq: int, minutes: float, who: str = "coach", action: str = "save", detail: str = "versie=1 velden=1", paths: tuple[str, ...] = ("plan/perspectief",)) -> HistoryEntry:
    return HistoryEntry(seq, _T0 + dt.timedelta(minutes=minutes), who, action, detail, paths)


def test_autosaves_close_together_by_one_person_are_one_change() -> None:
    labels = {"plan/perspectief": "Plan › perspectief", "hulpvraag/tekst": "Hulpvraag › tekst"}
    entries = [  # newest first, as the vault gives them
        _entry(6, 30, who="collega"),
        _entry(5, 3, paths=("hulpvraag/tekst",)),
        _entry(4, 2),
        _entry(3, 1, detail="versie=1 velden=0", paths=()),  # a save that changed nothing
        _entry(2, 0),
        _entry(1, -60, detail="versie=1 nieuw=ja velden=0", paths=()),
    ]
    rows = build_rows(entries, labels, today=dt.date(2026, 12, 1))
    assert [(r.who, r.what) for r in rows] == [("collega", "Gewijzigd"), ("coach", "Gewijzigd"), ("coach", "Dossier aangemaakt")]
    assert rows[1].fields == ("Plan › perspectief", "Hulpvraag › tekst")
    assert rows[1].when.startswith("3 november 2026 ") and " – " in rows[1].when
    far = [_entry(2, 0), _entry(1, -(GROUP_GAP.total_seconds() / 60) - 1)]
    assert len(build_rows(far, labels)) == 2
    # saves from before the vault recorded fields: "Opgeslagen", grouped the same way
    legacy = [_entry(3, 2, detail="versie=1", paths=()), _entry(2, 1, detail="versie=1", paths=())]
    assert [(r.what, r.fields) for r in build_rows(legacy, labels)] == [("Opgeslagen", ())]


def test_events_in_words() -> None:
    assert describe("finalise", "versie=2") == "Gesprek afgerond (versie 2)"
    assert describe("version_stored", "versie=2 pdf=ja") == "Afgeronde versie 2 bewaard met het verslag"
    assert describe("sync_sent", "changes=1") == "Verzonden naar het zaaksysteem van de gemeente"
    assert describe("pull", "merge remote_versie=3") == "Samengevoegd met de wijzigingen van de gemeente"
    assert describe("read") is None and describe("read", include_reads=True) == "Geopend"
    assert describe("save", "versie=1 velden=0") is None
    assert when_text(dt.datetime(2026, 5, 4, 9, 5), today=dt.date(2026, 5, 4)) == "vandaag 9:05"
    assert when_text(dt.datetime(2026, 5, 3, 9, 5), today=dt.date(2026, 5, 4)) == "gisteren 9:05"
