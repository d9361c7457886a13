"""The Hulpvraag and Plan step pages, driven through their widgets."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from desktop.steps.base import StepContext
from desktop.steps.hulpvraag import HulpvraagPage
from forms import Voice
from forms.definitions import default_definitions
from forms.demo import demo_dossier


@dataclass
class Loc:
    """Stands in for forms' Location (section, member_id, domein, field)."""

    section: str
    member_id: object = None
    domein: str | None = None
    field: str | None = None


@pytest.fixture(scope="module")
def definitions():
    return default_definitions()


@pytest.fixture
def context(definitions):
    return StepContext(definitions=definitions, wijkcoach="Fatima el Amrani")


@pytest.fixture
def dossier():
    return demo_dossier()


def shown(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page


def has_focus(qtbot, widget):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)
    return True


# --- Hulpvraag ---------------------------------------------------------------------


@pytest.fixture
def hulpvraag(qtbot, context, dossier):
    page = HulpvraagPage(context)
    page.set_dossier(dossier)
    return shown(qtbot, page)


def test_hulpvraag_shows_the_model(hulpvraag, dossier):
    assert hulpvraag.hulpvraag_edit.toPlainText() == dossier.hulpvraag.tekst
    assert hulpvraag.analyse_edit.toPlainText() == dossier.plan.probleemanalyse
    assert hulpvraag.perspectief_edit.toPlainText() == dossier.plan.perspectief
    assert hulpvraag.voice.buttons[Voice.BEIDE].isChecked()


def test_typing_updates_the_model_per_keystroke(qtbot, hulpvraag, dossier):
    hulpvraag.hulpvraag_edit.clear()
    with qtbot.waitSignal(hulpvraag.changed):
        qtbot.keyClicks(hulpvraag.hulpvraag_edit, "Rust in huis")
    assert dossier.hulpvraag.tekst == "Rust in huis"

    hulpvraag.analyse_edit.clear()
    qtbot.keyClicks(hulpvraag.analyse_edit, "Geldzorgen")
    assert dossier.plan.probleemanalyse == "Geldzorgen"
    hulpvraag.perspectief_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(hulpvraag.perspectief_edit, " Samen verder.")
    assert dossier.plan.perspectief.endswith("afmaakt. Samen verder.")


def test_voice_radio_sets_whose_request(qtbot, hulpvraag, dossier):
    with qtbot.waitSignal(hulpvraag.changed):
        qtbot.mouseClick(hulpvraag.voice.buttons[Voice.KIND], Qt.MouseButton.LeftButton)
    assert dossier.hulpvraag.stem is Voice.KIND


def test_no_voice_shows_no_choice(qtbot, context, dossier):
    dossier.hulpvraag.stem = None
    page = HulpvraagPage(context)
    page.set_dossier(dossier)
    assert not any(b.isChecked() for b in page.voice.buttons.values())


def test_too_long_text_shows_dutch_message_and_keeps_model(qtbot, hulpvraag, dossier):
    before = dossier.plan.perspectief
    changes = []
    hulpvraag.changed.connect(lambda: changes.append(1))
    hulpvraag.perspectief_edit.setPlainText("x" * 20_001)
    assert dossier.plan.perspectief == before
    assert not changes
    assert hulpvraag.perspectief_error.isVisible()
    assert "te lang" in hulpvraag.perspectief_error.text()
    hulpvraag.perspectief_edit.setPlainText("Kort")
    assert dossier.plan.perspectief == "Kort"
    assert not hulpvraag.perspectief_error.isVisible()


def test_concerns_listed_per_domain_with_whose(hulpvraag):
    tree = hulpvraag.concerns_list
    headings = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert headings[:2] == ["Wonen", "Werk, inkomen en schulden"]
    work = tree.topLevelItem(1)
    lines = [work.child(i).text(0) for i in range(work.childCount())]
    assert lines == [
        "Sanne: Schulden bij zorgverzekeraar en energie, post blijft liggen.",
        "Emre: Sinds een half jaar werkloos.",
    ]
    # Domains without concerns (veiligheid) are not listed.
    assert "Veiligheid" not in headings


def test_concerns_refresh_on_set_dossier(hulpvraag, dossier):
    entry = dossier.domain_entry("veiligheid", None)
    entry.zorgen = "Ruzies lopen soms hoog op.\nBuren hoorden geschreeuw."
    hulpvraag.set_dossier(dossier)
    tree = hulpvraag.concerns_list
    headings = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    assert headings["Veiligheid"].child(0).text(0) == "Gezin: Ruzies lopen soms hoog op."


@pytest.mark.parametrize(
    "field, attr",
    [
        ("probleemanalyse", "analyse_edit"),
        ("perspectief", "perspectief_edit"),
        ("hulpvraag", "hulpvraag_edit"),
        (None, "hulpvraag_edit"),
    ],
)
def test_hulpvraag_focus_location(qtbot, hulpvraag, field, attr):
    hulpvraag.concerns_list.setFocus()
    hulpvraag.focus_location(Loc("hulpvraag", field=field))
    assert has_focus(qtbot, getattr(hulpvraag, attr))


def test_hulpvraag_focus_voice(qtbot, hulpvraag):
    hulpvraag.focus_location(Loc("hulpvraag", field="stem"))
    assert has_focus(qtbot, hulpvraag.voice.buttons[Voice.BEIDE])


def unnamed_controls(page):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )

    found = []
    for cls in (QPlainTextEdit, QLineEdit, QAbstractButton, QAbstractItemView, QComboBox, QAbstractSpinBox):
        for widget in page.findChildren(cls):
            if widget.isVisibleTo(page) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                if not widget.accessibleName():
                    found.append(widget)
    return found


def test_every_control_has_an_accessible_name(hulpvraag):
    assert unnamed_controls(hulpvraag) == []
