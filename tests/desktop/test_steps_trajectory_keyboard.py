"""The trajectory's step pages with the keyboard only (issue 13, issue 14's rules): every
Alt letter once per page (and none the workspace uses), every input reachable with Tab,
and the content fits the width of a workspace at 200 % (683 logical pixels wide)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from collections import Counter

import pytest
from apphelpers import shown
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from trajectory_fixtures import at_gesprek

from desktop.fit import first_field
from desktop.steps.afsluiting import AfsluitingPage
from desktop.steps.evaluatie import EvaluatiePage
from desktop.steps.kernbeslissingen import KernbeslissingenPage
from desktop.steps.meldcode import MeldcodePage
from desktop.steps.plan import PlanPage
from forms import MeldcodeRecord

WORKSPACE_LETTERS = {"v", "f"}  # "Nieuwe &versie starten", "Con&flicten oplossen…"
PAGES = [(EvaluatiePage, "evaluatie"), (KernbeslissingenPage, "evaluatie"), (AfsluitingPage, "afsluiting")]
# the steps that host a part of the evaluatie (their own Alt letters and ours together)
HOSTS = [(PlanPage, "evaluatie"), (MeldcodePage, "evaluatie")]


def _open(qtbot, context, cls, soort, width=1366):
    dossier = at_gesprek(soort)
    dossier.meldcode = MeldcodeRecord(definitie=context.definitions.meldcode().ref, antwoorden={"vermoeden": True, "acuut_structureel": False, "hulp_mogelijk": True, "hulp_aanvaard": True})
    dossier.gesprek.meldcode_stap5 = False  # every part of the evaluatie shows
    dossier.plan.perspectief = "Anders dan bij de intake"
    page = cls(context)
    page.set_dossier(dossier)
    page.set_read_only(False)
    shown(qtbot, page)
    page.resize(width, 700)
    if cls is KernbeslissingenPage:  # the editors show once there is an entry
        page.new_beslissing.setText("Overleg met de gedragswetenschapper")
        page.add_button.click()
        page.kb_plan_nodig.buttons[True].click()
        page.new_reden.setText("Geen verbetering")
        page.add_op_button.click()
    return page


def _letter(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


@pytest.mark.parametrize(("cls", "soort"), PAGES + HOSTS)
def test_alt_letters_are_unique_on_the_page_and_free_in_the_workspace(qtbot, context, cls, soort):
    page = _open(qtbot, context, cls, soort)
    letters = Counter()
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page):
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            letter = _letter(widget.text())
            if letter:
                letters[letter] += 1
    assert letters, "the page has Alt letters"
    assert not [k for k, n in letters.items() if n > 1]
    if (cls, soort) in PAGES:  # (the plan page's own "Actie toe&voegen" predates this)
        assert not WORKSPACE_LETTERS & set(letters)


@pytest.mark.parametrize(("cls", "soort"), PAGES)
def test_tab_reaches_every_input_from_the_first_field(qtbot, context, cls, soort):
    page = _open(qtbot, context, cls, soort)
    start = first_field(page)
    assert start is not None
    start.setFocus()
    seen, widget = set(), start
    for _ in range(400):
        seen.add(widget)
        widget = widget.nextInFocusChain()
        if widget is start:
            break
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QRadioButton

    inputs = [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, (QLineEdit, QPlainTextEdit, QComboBox, QRadioButton))
        and w.isVisibleTo(page)
        and w.isEnabled()
        and not isinstance(w.parentWidget(), QComboBox)
    ]
    missing = [w.accessibleName() or type(w).__name__ for w in inputs if w not in seen]
    assert not missing


@pytest.mark.parametrize(("cls", "soort"), PAGES)
def test_the_page_fits_a_workspace_at_200_percent_without_scrolling_sideways(qtbot, context, cls, soort):
    page = _open(qtbot, context, cls, soort, width=640)
    qtbot.wait(10)
    area = page.scroll_area
    assert page.content.minimumSizeHint().width() <= area.viewport().width()
    assert area.horizontalScrollBar().maximum() == 0
