"""A whole keukentafelgesprek, end to end, through the widgets a wijkcoach uses.

From an empty vault: create the vault in its dialog, a household of two parents and
three children (one aged 2) through "Nieuw huishouden" and the member dialog, then
every step by clicking, typing and choosing (contact statuses, every required life
domain through the matrix and its cell editor with ZRM scores and an n.v.t. with a
reason, a network person and a partner with consent, the hulpvraag and its voice,
analysis and perspective, two goals reordered with results, owners, dates, domains
and actions, the regisseur and the familiegroepsplan). The safety of only one child
is assessed first: Controle must then refuse to finalise and name the other two.
After their assessments the gesprek is finalised, the application closed, the vault
opened again in a new application instance, and everything entered is found back.

Only fictional names. Waits are ``qtbot.waitUntil`` with generous timeouts (a loaded
2-core CI machine); there are no fixed sleeps.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apphelpers import PASSPHRASE, confirm_finalise, create_through_dialog, unlock_through_dialog
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QWidget,
)

import storage
from desktop.steps.base import STEP_IDS
from desktop.widgets import to_qdate
from forms import ContactStatus, RiskLater, Role, SafetyNow, Voice
from forms.definitions import default_definitions

WAIT = 30_000  # ms: generous, the CI machine has two cores and runs other tests too

TODAY = dt.date.today()  # when the module was imported; consents and assessments are dated "today"
GESPREK = TODAY - dt.timedelta(days=2)  # a fixed gesprek date relative to today
FIRST_EVALUATION = GESPREK + dt.timedelta(days=42)


def _born(years: int) -> dt.date:
    """Someone who is ``years`` old on the gesprek date, 50 days past the birthday (never
    near a boundary, whatever today is)."""
    return GESPREK - dt.timedelta(days=round(years * 365.25) + 50)


# voornaam, achternaam, rol, birth date; in the order they are entered
MEMBERS = [
    ("Marco", "Verbeek", Role.OUDER, _born(41)),
    ("Aylin", "Doğan", Role.OUDER, _born(38)),
    ("Jesse", "Verbeek", Role.KIND, _born(14)),
    ("Mila", "Verbeek", Role.KIND, _born(9)),
    ("Joëlle", "Verbeek", Role.KIND, _born(2)),
]
CHILDREN = ["Jesse", "Mila", "Joëlle"]
PRESENT = ["Marco", "Jesse", "Mila", "Joëlle"]  # Aylin was at work

# voornaam -> (status, reason)
CONTACT = {
    "Marco": (ContactStatus.GESPROKEN, ""),
    "Aylin": (ContactStatus.NIET, "Was aan het werk; belt volgende week"),
    "Jesse": (ContactStatus.GESPROKEN, ""),
    "Mila": (ContactStatus.GESPROKEN, ""),
    "Joëlle": (ContactStatus.GEZIEN, ""),  # two years old: seen is enough
}


class Cell:
    """What the wijkcoach enters in one life-domain cell."""

    def __init__(self, *, zorgen: str = "", krachten: str = "", hulpvraag: str = "",
                 zrm: int | None = None, nvt: str = "") -> None:
        self.zorgen, self.krachten, self.hulpvraag, self.zrm, self.nvt = zorgen, krachten, hulpvraag, zrm, nvt


# (domain id, voornaam or None for the household) -> what is entered; every required cell
CELLS: dict[tuple[str, str | None], Cell] = {
    ("wonen", None): Cell(krachten="Huurwoning met drie slaapkamers, goed onderhouden", zrm=4),
    ("werk_inkomen", "Marco"): Cell(
        zorgen="Schulden bij energieleverancier en zorgverzekeraar",
        hulpvraag="Hulp bij een betalingsregeling",
        zrm=2,
    ),
    ("werk_inkomen", "Aylin"): Cell(krachten="Vaste baan in de thuiszorg", zrm=4),
    ("opvoeding_gezin", None): Cell(
        zorgen="Veel ruzie over Jesse en school", krachten="Ouders zitten op een lijn over regels", zrm=3
    ),
    ("gezondheid", "Marco"): Cell(krachten="Geen bijzonderheden", zrm=4),
    ("gezondheid", "Aylin"): Cell(zorgen="Slaapt slecht door de geldzorgen", zrm=3),
    ("gezondheid", "Jesse"): Cell(krachten="Sport twee keer per week"),
    ("gezondheid", "Mila"): Cell(krachten="Geen bijzonderheden"),
    ("gezondheid", "Joëlle"): Cell(krachten="Groeit goed volgens het consultatiebureau"),
    ("onderwijs", "Jesse"): Cell(zorgen="Verzuimt veel, dreigt te blijven zitten"),
    ("onderwijs", "Mila"): Cell(krachten="Gaat graag naar school"),
    ("onderwijs", "Joëlle"): Cell(nvt="Nog geen opvang of peuterspeelzaal; oma past op"),
    ("veiligheid", None): Cell(krachten="Geen bijzonderheden, iedereen voelt zich veilig", zrm=5),
    ("sociaal_netwerk", None): Cell(krachten="Oma helpt twee middagen per week", zrm=4),
}

HULPVRAAG = "Rust in huis, grip op het geld en Jesse weer elke dag naar school"
ANALYSE = "Geldzorgen geven beide ouders stress; de ruzies over school komen daar bovenop"
PERSPECTIEF = "Over een half jaar een betalingsregeling en Jesse elke dag op school"

# goals in their final priority order; entered the other way round, then reordered
GOALS = [
    {
        "omschrijving": "Jesse gaat weer elke dag naar school",
        "resultaat": "Geen ongeoorloofd verzuim in zes weken",
        "eigenaar": "Jesse en Marco",
        "streefdatum": GESPREK + dt.timedelta(days=60),
        "domeinen": ["opvoeding_gezin", "onderwijs"],
        "actie": ("Gesprek met de mentor", "Marco", GESPREK + dt.timedelta(days=7)),
    },
    {
        "omschrijving": "Grip op de schulden",
        "resultaat": "Een betalingsregeling voor alle schulden",
        "eigenaar": "Marco",
        "streefdatum": GESPREK + dt.timedelta(days=120),
        "domeinen": ["werk_inkomen", "gezondheid"],
        "actie": ("Aanmelden bij schuldhulpverlening", "Sanne de Wit", GESPREK + dt.timedelta(days=14)),
    },
]
REGISSEUR = ("Sanne de Wit", "06-12345678", "Houdt het overzicht en spreekt school en schuldhulp aan")
FGP_TOELICHTING = "Oma en tante willen meedenken"

# child -> (veiligheid nu, risico, onderbouwing, a risk factor answered 'ja'); every signal 'nee'
SAFETY = {
    "Jesse": (SafetyNow.VEILIG, RiskLater.VERHOOGD,
              "Geen signalen; de geldzorgen en ruzies vragen aandacht", "risico_ouders_schulden"),
    # 'laag' rests on a protective factor answered 'ja' (balansmodel)
    "Mila": (SafetyNow.VEILIG, RiskLater.LAAG, "Geen signalen; ouders en oma beschermen", "beschermend_netwerk"),
    "Joëlle": (SafetyNow.VEILIG, RiskLater.LAAG, "Geen signalen; gezien, lacht en speelt", "beschermend_ouder"),
}


def factor_note(item_id: str) -> str:
    return "Schulden bij twee schuldeisers" if item_id.startswith("risico") else "Is er elke dag voor het kind"


# --- driving widgets as a user does -------------------------------------------------------


def _reveal(widget: QWidget) -> None:
    """Scroll the page so the widget is in view, as the user would."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


def shown(qtbot: Any, widget: QWidget) -> None:
    """Wait until the control is on screen and usable: a widget added to a visible page is
    shown only once the event loop has run (Qt queues that)."""
    try:
        qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled(), timeout=WAIT)
    except qtbot.TimeoutError:
        state = "niet zichtbaar" if not widget.isVisible() else "niet beschikbaar"
        raise AssertionError(f"{state}: {widget.accessibleName() or widget}") from None


def click(qtbot: Any, widget: QWidget) -> None:
    """A left click on a visible, enabled control (on the indicator of a check/radio box)."""
    shown(qtbot, widget)
    _reveal(widget)
    if isinstance(widget, (QCheckBox, QRadioButton)):
        pos = QPoint(min(8, widget.width() // 2), widget.height() // 2)
    else:
        pos = widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def type_text(qtbot: Any, edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Type into an empty field. keyClicks is ASCII-only (other characters can abort Qt):
    for those, set the text on the widget, which emits the same textChanged."""
    shown(qtbot, edit)
    _reveal(edit)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    elif isinstance(edit, QLineEdit):
        edit.setText(edit.text() + text)
    else:
        edit.insertPlainText(text)
    completer = edit.completer() if isinstance(edit, QLineEdit) else None
    if completer is not None and completer.popup().isVisible():
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Escape)  # the suggestion list closes
    current = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
    assert current.endswith(text), (current, text)


def retype(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == ""
    type_text(qtbot, edit, text)


def choose(qtbot: Any, combo: QComboBox, *, text: str | None = None, data: Any = None) -> None:
    """Pick an entry of a drop-down list, by its text or its data."""
    shown(qtbot, combo)
    index = combo.findText(text) if text is not None else combo.findData(data)
    assert index >= 0, (text, data, [combo.itemText(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)
    assert combo.currentIndex() == index


def set_date(qtbot: Any, edit: QDateEdit, value: dt.date) -> None:
    """Choose a date in a date field (as from its calendar)."""
    shown(qtbot, edit)
    edit.setDate(to_qdate(value))
    assert edit.date() == to_qdate(value)


def named(qtbot: Any, root: QWidget, cls: type, name: str) -> Any:
    """The one visible widget of ``cls`` under ``root`` with this accessible name (a widget
    just added to a visible page is shown once the event loop has run: wait for it)."""

    def found() -> list[Any]:
        return [w for w in root.findChildren(cls) if w.accessibleName() == name and w.isVisible()]

    try:
        qtbot.waitUntil(lambda: len(found()) == 1, timeout=WAIT)
    except qtbot.TimeoutError:
        visible = [w.accessibleName() for w in root.findChildren(cls) if w.isVisible()]
        raise AssertionError(f"{name!r} niet precies één keer zichtbaar; wel: {visible}") from None
    return found()[0]


def click_tab(qtbot: Any, tabs: QTabWidget, starts_with: str) -> None:
    bar = tabs.tabBar()
    index = next((i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "").startswith(starts_with)), -1)
    assert index >= 0, [tabs.tabText(i) for i in range(tabs.count())]
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def go_to_step(qtbot: Any, ws: Any, step_id: str) -> Any:
    """Click the step in the step list on the left."""
    item = ws.step_list.item(STEP_IDS.index(step_id))
    assert not item.isHidden(), step_id
    ws.step_list.scrollToItem(item)
    rect = ws.step_list.visualItemRect(item)
    qtbot.mouseClick(ws.step_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ws.current_step_id == step_id
    page = ws.page(step_id)
    assert page.isVisible()
    return page


def run_modal(qtbot: Any, open_it: Callable[[], None], kind: type, fill: Callable[[Any], None]) -> None:
    """Open a modal dialog (its exec() blocks) and fill it from inside its event loop.

    Whatever goes wrong inside, the dialog is closed so the test fails instead of hanging.
    """
    state: dict[str, Any] = {"error": None, "seen": False}
    deadline = time.monotonic() + WAIT / 1000

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            if time.monotonic() < deadline:
                QTimer.singleShot(20, poll)
            elif dialog is not None:  # some other modal window: close it so exec() returns
                state["error"] = AssertionError(f"{type(dialog).__name__} in plaats van {kind.__name__}")
                dialog.close()
            return
        state["seen"] = True
        try:
            fill(dialog)
            if dialog.isVisible():
                raise AssertionError(f"{kind.__name__} bleef open")
        except BaseException as exc:  # noqa: BLE001 - reported after exec() returns
            state["error"] = exc
            dialog.reject()

    QTimer.singleShot(0, poll)
    open_it()
    if state["error"] is not None:
        raise state["error"]
    assert state["seen"], f"{kind.__name__} verscheen niet"


def blocking_rows(controle: Any) -> list[str]:
    """The messages of the blocking points as the Controle list shows them."""
    rows = [f for f in controle.list_frame.findChildren(QFrame, "gapBlocking") if f.isVisibleTo(controle)]
    messages = []
    for row in rows:
        label = row.findChild(QLabel)
        assert label is not None
        messages.append(label.accessibleName())
        assert label.accessibleName() in label.text()  # the text on screen says the same
    return messages


# --- the steps ----------------------------------------------------------------------------


def _new_household(qtbot: Any, app: Any) -> Any:
    caseload = app.caseload
    click(qtbot, caseload.new_button)
    qtbot.waitUntil(lambda: caseload._new_dialog is not None and caseload._new_dialog.isVisible(), timeout=WAIT)
    dialog = caseload._new_dialog
    type_text(qtbot, dialog.straat, "Zonnebloemstraat")
    type_text(qtbot, dialog.huisnummer, "17")
    type_text(qtbot, dialog.postcode, "7601zz")
    type_text(qtbot, dialog.plaats, "Almelo")
    voornaam, achternaam, rol, born = MEMBERS[0]
    type_text(qtbot, dialog.voornaam, voornaam)
    type_text(qtbot, dialog.achternaam, achternaam)
    set_date(qtbot, dialog.geboortedatum, born)
    choose(qtbot, dialog.rol, data=rol)
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: app.workspace is not None, timeout=WAIT)
    ws = app.workspace
    qtbot.waitUntil(ws.isVisible, timeout=WAIT)
    return ws


def _household_step(qtbot: Any, ws: Any) -> None:
    from desktop.steps.huishouden import MemberDialog

    page = go_to_step(qtbot, ws, "huishouden")
    assert page.straat.text() == "Zonnebloemstraat" and page.postcode.text() == "7601 ZZ"
    set_date(qtbot, page.gesprek_datum, GESPREK)
    type_text(qtbot, page.gesprek_plaats, "thuis, aan de keukentafel")
    for voornaam, achternaam, rol, born in MEMBERS[1:]:

        def fill(dialog: Any, voornaam: str = voornaam, achternaam: str = achternaam,
                 rol: Role = rol, born: dt.date = born) -> None:
            type_text(qtbot, dialog.voornaam, voornaam)
            type_text(qtbot, dialog.achternaam, achternaam)
            choose(qtbot, dialog.rol, data=rol)
            set_date(qtbot, dialog.geboortedatum, born)
            click(qtbot, dialog.ok_button)

        run_modal(qtbot, lambda: click(qtbot, page.add_button), MemberDialog, fill)
    table = page.table
    assert table.rowCount() == 5
    ages = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(5)}
    assert ages["Joëlle Verbeek"] == "kind, 2 jaar"
    assert ages["Jesse Verbeek"] == "kind, 14 jaar"
    assert ages["Marco Verbeek"] == "41 jaar"
    for voornaam, achternaam, _rol, _born in MEMBERS:
        box = named(qtbot, page, QCheckBox, f"Aanwezig: {voornaam} {achternaam}")
        if voornaam in PRESENT:
            click(qtbot, box)
            assert box.isChecked()
    type_text(qtbot, page.overige, "tante Sevda")
    assert ws.title_label.text() == "Familie Verbeek-Doğan"


def _contact_step(qtbot: Any, ws: Any) -> None:
    page = go_to_step(qtbot, ws, "contact")
    for voornaam, achternaam, _rol, _born in MEMBERS:
        status, reason = CONTACT[voornaam]
        click(qtbot, named(qtbot, page, QRadioButton, f"{voornaam} {achternaam}: {status.label}"))
        if reason:
            type_text(qtbot, named(qtbot, page, QLineEdit, f"Waarom is {voornaam} niet gesproken?"), reason)


def _leefgebieden_step(qtbot: Any, ws: Any) -> None:
    from desktop.steps.leefgebieden import CellState

    page = go_to_step(qtbot, ws, "leefgebieden")
    matrix = page.matrix
    domain_set = default_definitions().domain_set()
    rows = {matrix.verticalHeaderItem(r).text(): r for r in range(matrix.rowCount())}
    columns = {matrix.horizontalHeaderItem(c).text(): c for c in range(matrix.columnCount())}
    assert "Joëlle (2)" in columns and "Huishouden" in columns
    for (domain_id, voornaam), cell in CELLS.items():
        row = rows[domain_set.domein(domain_id).naam]
        col = columns["Huishouden"] if voornaam is None else next(
            c for text, c in columns.items() if text.startswith(f"{voornaam} (")
        )
        item = matrix.item(row, col)
        assert item.text() == "○ open", (domain_id, voornaam, item.text())
        matrix.scrollToItem(item)
        qtbot.mouseClick(matrix.viewport(), Qt.MouseButton.LeftButton, pos=matrix.visualItemRect(item).center())
        assert (matrix.currentRow(), matrix.currentColumn()) == (row, col)
        who = "Huishouden" if voornaam is None else voornaam
        assert page.editor.title().startswith(domain_set.domein(domain_id).naam) and who in page.editor.title()
        if cell.nvt:
            click(qtbot, page.status.buttons[CellState.NVT])
            type_text(qtbot, page.reden, cell.nvt)
            assert item.text() == "n.v.t."
            continue
        for name in ("zorgen", "krachten", "hulpvraag"):
            text = getattr(cell, name)
            if text:
                type_text(qtbot, getattr(page, name), text)
        if cell.zrm is not None:
            choose(qtbot, page.zrm, data=cell.zrm)
            assert page.zrm_uitleg.text()  # the ZRM's own criterion text for the score
        else:
            assert not page.zrm.isVisible()  # no ZRM for a child
        assert page.status.value() is CellState.BESPROKEN
        assert item.text() == "✓ besproken"
    assert page.progress.text() == f"Alle {len(CELLS)} onderwerpen zijn besproken of niet van toepassing."
    assert not page.next_button.isEnabled()


def _netwerk_step(qtbot: Any, ws: Any) -> None:
    page = go_to_step(qtbot, ws, "netwerk")
    # a person from the social network: may be contacted, nothing shared
    click_tab(qtbot, page.tabs, "Sociaal netwerk")
    panel = page.netwerk
    type_text(qtbot, panel.new_name, "Oma Verbeek")
    qtbot.keyClick(panel.new_name, Qt.Key.Key_Return)
    assert panel.table.rowCount() == 1
    type_text(qtbot, panel.edits["relatie"], "grootmoeder (vaderskant)")
    type_text(qtbot, panel.edits["telefoon"], "0546-123456")
    click(qtbot, panel.domeinen.boxes["sociaal_netwerk"])
    click(qtbot, panel.consent.contact.buttons[True])
    click(qtbot, panel.consent.delen.buttons[False])
    click(qtbot, panel.consent.gegeven_door.boxes[_member_id(ws, "Marco")])
    assert panel.table.item(0, 2).text() == "contact ja, delen nee"
    # the school: a partner on a domain with concerns, so the consent blocks until given
    click_tab(qtbot, page.tabs, "Netwerkpartners")
    panel = page.partners
    type_text(qtbot, panel.new_name, "Het Baken College")
    click(qtbot, panel.add_button)
    type_text(qtbot, panel.edits["rol"], "mentor")
    type_text(qtbot, panel.edits["contactpersoon"], "Dhr. Smit")
    click(qtbot, panel.domeinen.boxes["onderwijs"])
    step = ws.step_list.item(STEP_IDS.index("netwerk"))
    qtbot.waitUntil(lambda: step.text().endswith("(1)"), timeout=WAIT)  # concerns at school: consent?
    click(qtbot, panel.consent.contact.buttons[True])
    click(qtbot, panel.consent.delen.buttons[True])
    type_text(qtbot, panel.consent.reikwijdte, "Verzuim en cijfers")
    click(qtbot, panel.consent.gegeven_door.boxes[_member_id(ws, "Marco")])
    assert panel.table.item(0, 2).text() == "contact ja, delen ja"
    assert not page.open_notice.isVisible()
    qtbot.waitUntil(lambda: step.text().endswith("✓"), timeout=WAIT)


def _member_id(ws: Any, voornaam: str) -> Any:
    """The id a widget is keyed by (looked up, never edited)."""
    return next(m.id for m in ws.dossier.huishouden.leden if m.voornaam == voornaam)


def _assess(qtbot: Any, page: Any, voornaam: str) -> None:
    """Fill one child's tab: every signal 'nee', the judgment, the rationale, conclude."""
    panel = page.tabs.currentWidget()
    assert panel.child.voornaam == voornaam
    nu, risico, onderbouwing, ja_item = SAFETY[voornaam]
    instrument = default_definitions().instrument()
    for section in instrument.secties:
        if section.verplicht:
            for item in section.items:
                click(qtbot, panel.answer_choices[item.id].buttons[False])
    if ja_item is not None:
        click(qtbot, panel.answer_choices[ja_item].buttons[True])
        type_text(qtbot, panel.answer_notes[ja_item], factor_note(ja_item))
    click(qtbot, panel.veiligheid_nu.buttons[nu])
    click(qtbot, panel.risico.buttons[risico])
    assert not panel.consult_box.isVisible()  # veilig, no high risk: no second professional
    type_text(qtbot, panel.onderbouwing, onderbouwing)
    click(qtbot, panel.afronden)
    assert panel.afronden.isChecked(), panel._errors["afgerond"].text()
    assert page.tabs.tabText(page.tabs.currentIndex()) == f"{voornaam} ✓ afgerond"


def _veiligheid_first_child(qtbot: Any, ws: Any) -> None:
    page = go_to_step(qtbot, ws, "veiligheid")
    tabs = page.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [f"{c} – open" for c in CHILDREN]
    click_tab(qtbot, tabs, "Jesse")
    _assess(qtbot, page, "Jesse")
    assert "1 van 3 kinderen afgerond. Nog open: Mila, Joëlle." in page.tabs.currentWidget().summary.text()


def _hulpvraag_step(qtbot: Any, ws: Any) -> None:
    page = go_to_step(qtbot, ws, "hulpvraag")
    concerns = [page.concerns_list.item(i).text() for i in range(page.concerns_list.count())]
    assert "Jesse: Verzuimt veel, dreigt te blijven zitten" in concerns  # the domains' concerns beside it
    type_text(qtbot, page.hulpvraag_edit, HULPVRAAG)
    click(qtbot, page.voice.buttons[Voice.BEIDE])
    type_text(qtbot, page.analyse_edit, ANALYSE)
    type_text(qtbot, page.perspectief_edit, PERSPECTIEF)


def _plan_step(qtbot: Any, ws: Any) -> None:
    page = go_to_step(qtbot, ws, "plan")
    # entered in the wrong order, then the school goal moved up to priority 1
    for goal in reversed(GOALS):
        type_text(qtbot, page.new_goal_edit, goal["omschrijving"])
        qtbot.keyClick(page.new_goal_edit, Qt.Key.Key_Return)
    assert page.goal_list.count() == 2
    second = page.goal_list.item(1)
    qtbot.mouseClick(page.goal_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.goal_list.visualItemRect(second).center())
    assert page.goal_list.currentRow() == 1
    click(qtbot, page.up_button)
    texts = [page.goal_list.item(i).text() for i in range(2)]
    assert texts == [f"{n}. {g['omschrijving']}" for n, g in enumerate(GOALS, start=1)]

    for row, goal in enumerate(GOALS):
        item = page.goal_list.item(row)
        qtbot.mouseClick(page.goal_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.goal_list.visualItemRect(item).center())
        assert page.goal_editor.title() == f"Doel {row + 1}"
        assert page.omschrijving_edit.text() == goal["omschrijving"]
        type_text(qtbot, page.resultaat_edit, goal["resultaat"])
        type_text(qtbot, page.eigenaar_edit, goal["eigenaar"])
        click(qtbot, page.streefdatum_edit.check)
        set_date(qtbot, page.streefdatum_edit.edit, goal["streefdatum"])
        for domain_id in goal["domeinen"]:
            click(qtbot, page.domains_check.boxes[domain_id])
        what, who, when = goal["actie"]
        type_text(qtbot, page.new_action_edit, what)
        qtbot.keyClick(page.new_action_edit, Qt.Key.Key_Return)
        type_text(qtbot, named(qtbot, page, QLineEdit, "Actie 1: wie"), who)
        click(qtbot, named(qtbot, page, QCheckBox, "Actie 1: wanneer: bekend"))
        set_date(qtbot, named(qtbot, page, QDateEdit, "Actie 1: wanneer"), when)

    naam, bereikbaar, taken = REGISSEUR
    choose(qtbot, page.regisseur_combo, text=f"Wijkcoach: {ws.context.wijkcoach}")
    retype(qtbot, page.regisseur_naam, naam)
    type_text(qtbot, page.regisseur_bereikbaar, bereikbaar)
    type_text(qtbot, page.regisseur_taken, taken)

    click(qtbot, page.fgp_aangeboden.buttons[True])
    click(qtbot, page.fgp_datum.check)
    set_date(qtbot, page.fgp_datum.edit, GESPREK)
    choose(qtbot, page.fgp_uitkomst, data="in_voorbereiding")
    type_text(qtbot, page.fgp_toelichting, FGP_TOELICHTING)

    # the first evaluation with the family, within the municipality's interval (T10)
    assert page.first_evaluation.isVisibleTo(page)
    click(qtbot, page.first_evaluation.check)
    set_date(qtbot, page.first_evaluation.edit, FIRST_EVALUATION)


def _sign_if_asked(qtbot: Any, page: Any) -> None:
    """When the Ondertekenen step has signing cards, each parent at the table records
    'wil niet tekenen' with a reason through the card (a drawn signature needs a pen)."""
    try:
        from desktop.signing import SignerCard
    except ImportError:  # pragma: no cover
        return
    for card in page.findChildren(SignerCard):
        if not card.isVisible() or card.state != "open":
            continue
        if card.member_id is None:  # the wijkcoach signs: a stroke with the mouse
            if not card.name_edit.text():
                type_text(qtbot, card.name_edit, "Wijkcoach Test")
            canvas = card.pad.canvas
            _reveal(canvas)
            points = [QPoint(30 + i * 10, 60 + (15 if i % 2 else -15)) for i in range(15)]
            qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0])
            for point in points[1:]:
                qtbot.mouseMove(canvas, point)
            qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1])
            assert card.state == "getekend"
            continue
        click(qtbot, card.refuse_check)
        type_text(qtbot, card.reason_edit, "Wil het verslag eerst thuis lezen")
        assert card.state == "geweigerd"


# --- the test -------------------------------------------------------------------------------


def test_a_whole_gesprek_through_the_widgets_survives_closing_and_reopening(
    qtbot: Any, make_app: Any, vault_path: Path
) -> None:
    from desktop.vaultdialogs import CreateVaultDialog, UnlockVaultDialog

    app = make_app(idle_minutes=120)
    assert isinstance(app.dialog, CreateVaultDialog) and not vault_path.exists()
    create_through_dialog(qtbot, app)
    ws = _new_household(qtbot, app)

    _household_step(qtbot, ws)
    _contact_step(qtbot, ws)
    _leefgebieden_step(qtbot, ws)
    _netwerk_step(qtbot, ws)
    _veiligheid_first_child(qtbot, ws)
    assert "meldcode" not in ws.visible_steps()  # nothing here calls for the Meldcode
    _hulpvraag_step(qtbot, ws)
    _plan_step(qtbot, ws)

    # Controle: finalising is refused, and the list names the two children not yet assessed
    controle = go_to_step(qtbot, ws, "controle")
    expected = [f"Voor {name} is nog geen veiligheidsbeoordeling afgerond." for name in ("Mila", "Joëlle")]
    # ... and the signatures still to come at the table (the wijkcoach, then the parents present)
    signing = ["U heeft het verslag als wijkcoach nog niet ondertekend."]
    qtbot.waitUntil(lambda: blocking_rows(controle)[:2] == expected, timeout=WAIT)
    rows = blocking_rows(controle)
    assert rows[2] == signing[0] and all("nog niet ondertekend" in r for r in rows[3:]) and len(rows) > 3
    assert not controle.finalise_button.isEnabled()
    assert controle.reason.text() == f"Nog {len(rows)} blokkerende punten: los die eerst op."
    assert ws.step_list.item(STEP_IDS.index("veiligheid")).text().endswith("(2)")

    # "Ga naar" on Mila's point lands on her tab
    mila_row = next(
        f for f in controle.list_frame.findChildren(QFrame, "gapBlocking")
        if f.isVisibleTo(controle) and "Mila" in f.findChild(QLabel).accessibleName()
    )
    click(qtbot, mila_row.findChild(QAbstractButton))
    assert ws.current_step_id == "veiligheid"
    veiligheid = ws.page("veiligheid")
    assert veiligheid.tabs.currentWidget().child.voornaam == "Mila"
    _assess(qtbot, veiligheid, "Mila")
    click_tab(qtbot, veiligheid.tabs, "Joëlle")
    _assess(qtbot, veiligheid, "Joëlle")
    assert "3 van 3 kinderen afgerond." in veiligheid.tabs.currentWidget().summary.text()

    controle = go_to_step(qtbot, ws, "controle")
    # only the signatures are left: "Gesprek afronden…" leads to Ondertekenen, where they are put
    qtbot.waitUntil(lambda: controle.finalise_button.isEnabled(), timeout=WAIT)
    qtbot.waitUntil(lambda: bool(blocking_rows(controle)), timeout=WAIT)
    assert all("ondertekend" in row for row in blocking_rows(controle))
    assert controle.reason.text() == "Alles is ingevuld; het verslag moet nog worden ondertekend."
    click(qtbot, controle.finalise_button)
    assert ws.current_step_id == "ondertekenen"
    ondertekenen = ws.page("ondertekenen")
    _sign_if_asked(qtbot, ondertekenen)
    qtbot.waitUntil(lambda: ondertekenen.finalise_button.isEnabled(), timeout=WAIT)
    assert ondertekenen.regisseur.text() == REGISSEUR[0]
    assert ondertekenen.aanwezig.text() == "Marco, Jesse, Mila, Joëlle; ook: tante Sevda"
    assert "Aylin: niet gesproken" in ondertekenen.contact.text()
    assert ondertekenen.doelen.text() == "2 doelen, 2 acties"
    assert ondertekenen.status.text() == "Klaar om af te ronden"
    click(qtbot, ondertekenen.finalise_button)
    said = confirm_finalise(qtbot, ondertekenen)
    assert "Gesprek van" in said and "wil niet tekenen" in said and "(wijkcoach): getekend" in said
    qtbot.waitUntil(lambda: ws.read_only and not ws.saving, timeout=WAIT * 2)
    assert "kenmerk" in ws.save_label.text()
    final = ws.dossier
    assert final.definitief is not None
    dossier_id = final.id

    # close the application as the user does: the workspace, then the caseload
    ws.close_action.trigger()
    caseload = app.caseload
    qtbot.waitUntil(lambda: caseload.isVisible(), timeout=WAIT)
    with qtbot.waitSignal(app.finished, timeout=WAIT):
        caseload.close()

    # a new application instance: the unlock dialog, the caseload, the dossier (read-only)
    again = make_app(idle_minutes=120)
    assert isinstance(again.dialog, UnlockVaultDialog)
    unlock_through_dialog(qtbot, again)
    caseload = again.caseload
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 1, timeout=WAIT)
    titel = caseload.model.index(0, 0)
    assert caseload.model.data(titel) == "Familie Verbeek-Doğan"
    assert caseload.model.data(caseload.model.index(0, 3)) == "Afgerond"
    caseload.table.setCurrentIndex(titel)
    click(qtbot, caseload.open_button)
    qtbot.waitUntil(lambda: again.workspace is not None, timeout=WAIT)
    reopened = again.workspace
    assert reopened.read_only and reopened.read_only_banner.isVisible()
    page = go_to_step(qtbot, reopened, "huishouden")
    assert {page.table.item(r, 0).text() for r in range(page.table.rowCount())} == {
        f"{v} {a}" for v, a, _r, _b in MEMBERS
    }
    _check_reopened_pages(qtbot, reopened)
    assert reopened.dossier.model_dump() == final.model_dump()
    again.shutdown()

    # and straight from the vault: everything as entered
    vault = storage.open_vault(vault_path, PASSPHRASE)
    try:
        stored = vault.load(dossier_id)
        versions = vault.list_versions(dossier_id)
    finally:
        vault.close()
    assert stored.model_dump() == final.model_dump()
    assert [v.sha256 for v in versions] == [final.definitief.sha256]
    _assert_as_entered(stored)


def _check_reopened_pages(qtbot: Any, ws: Any) -> None:
    """The reopened (finalised, read-only) gesprek shows what was entered, step by step."""
    assert all(
        ws.step_list.item(STEP_IDS.index(s)).text().endswith("✓") for s in STEP_IDS if s != "ondertekenen"
        and s in ws.visible_steps()
    ), [ws.step_list.item(r).text() for r in range(ws.step_list.count())]
    contact = go_to_step(qtbot, ws, "contact")
    for voornaam, achternaam, _rol, _born in MEMBERS:
        status, _reason = CONTACT[voornaam]
        assert named(qtbot, contact, QRadioButton, f"{voornaam} {achternaam}: {status.label}").isChecked()
    assert named(qtbot, contact, QLineEdit, "Waarom is Aylin niet gesproken?").text() == CONTACT["Aylin"][1]
    leefgebieden = go_to_step(qtbot, ws, "leefgebieden")
    assert leefgebieden.progress.text().startswith(f"Alle {len(CELLS)} onderwerpen")
    netwerk = go_to_step(qtbot, ws, "netwerk")
    assert netwerk.partners.table.item(0, 2).text() == "contact ja, delen ja"
    assert netwerk.netwerk.table.item(0, 2).text() == "contact ja, delen nee"
    veiligheid = go_to_step(qtbot, ws, "veiligheid")
    tabs = veiligheid.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [f"{c} ✓ afgerond" for c in CHILDREN]
    hulpvraag = go_to_step(qtbot, ws, "hulpvraag")
    assert hulpvraag.hulpvraag_edit.toPlainText() == HULPVRAAG and hulpvraag.voice.value() is Voice.BEIDE
    assert hulpvraag.hulpvraag_edit.isReadOnly()
    plan = go_to_step(qtbot, ws, "plan")
    assert [plan.goal_list.item(i).text() for i in range(plan.goal_list.count())] == [
        f"{n}. {g['omschrijving']}" for n, g in enumerate(GOALS, start=1)
    ]
    assert plan.regisseur_combo.currentText() == f"Wijkcoach: {REGISSEUR[0]}"
    assert plan.regisseur_naam.text() == REGISSEUR[0]
    assert plan.fgp_uitkomst.currentData() == "in_voorbereiding"
    ondertekenen = go_to_step(qtbot, ws, "ondertekenen")
    assert ondertekenen.final_label.isVisible() and not ondertekenen.finalise_button.isEnabled()


def _assert_as_entered(d: Any) -> None:
    by_name = {m.voornaam: m for m in d.huishouden.leden}
    first = {m.id: m.voornaam for m in d.huishouden.leden}
    adres = d.huishouden.adres
    assert (adres.straat, adres.huisnummer, adres.postcode, adres.plaats) == (
        "Zonnebloemstraat", "17", "7601 ZZ", "Almelo"
    )
    assert [(m.voornaam, m.achternaam, m.rol, m.geboortedatum) for m in d.huishouden.leden] == MEMBERS
    assert [c.voornaam for c in d.children()] == CHILDREN
    assert by_name["Joëlle"].age_on(d.gesprek.datum) == 2
    g = d.gesprek
    assert g.datum == GESPREK and g.plaats == "thuis, aan de keukentafel"
    assert [first[i] for i in g.aanwezig] == PRESENT and g.overige_aanwezigen == "tante Sevda"
    assert {first[c.member_id]: (c.status, c.reden) for c in g.contacten} == CONTACT

    assert len(d.leefgebieden) == len(CELLS)
    for (domain_id, voornaam), cell in CELLS.items():
        e = d.domain_entry(domain_id, by_name[voornaam].id if voornaam else None)
        assert e is not None, (domain_id, voornaam)
        got = (e.besproken, e.niet_van_toepassing, e.nvt_reden, e.zorgen, e.krachten, e.hulpvraag, e.zrm)
        want = (not cell.nvt, bool(cell.nvt), cell.nvt, cell.zorgen, cell.krachten, cell.hulpvraag, cell.zrm)
        assert got == want, (domain_id, voornaam)

    (oma,) = d.netwerk
    assert (oma.naam, oma.relatie, oma.telefoon, oma.domeinen) == (
        "Oma Verbeek", "grootmoeder (vaderskant)", "0546-123456", ["sociaal_netwerk"]
    )
    t = oma.toestemming
    assert (t.contact_toegestaan, t.delen_toegestaan, [first[i] for i in t.gegeven_door]) == (True, False, ["Marco"])
    assert TODAY <= t.datum <= dt.date.today()  # dated the day it was given (the run may pass midnight)
    (school,) = d.partners
    assert (school.organisatie, school.rol, school.contactpersoon, school.domeinen) == (
        "Het Baken College", "mentor", "Dhr. Smit", ["onderwijs"]
    )
    t = school.toestemming
    assert (t.contact_toegestaan, t.delen_toegestaan, t.reikwijdte, [first[i] for i in t.gegeven_door]) == (
        True, True, "Verzuim en cijfers", ["Marco"]
    )

    instrument = default_definitions().instrument()
    signals = [i.id for s in instrument.secties if s.verplicht for i in s.items]
    assert len(d.veiligheid) == 3
    for voornaam, (nu, risico, onderbouwing, ja_item) in SAFETY.items():
        (a,) = d.assessments_for(by_name[voornaam].id)
        assert a.afgerond and (a.veiligheid_nu, a.risico, a.onderbouwing) == (nu, risico, onderbouwing)
        assert all(a.antwoorden[s].aanwezig is False for s in signals)
        if ja_item is not None:
            assert a.antwoorden[ja_item].aanwezig is True
            assert a.antwoorden[ja_item].toelichting == factor_note(ja_item)
        assert a.consultatie is None and TODAY <= a.datum <= dt.date.today()

    assert (d.hulpvraag.tekst, d.hulpvraag.stem) == (HULPVRAAG, Voice.BEIDE)
    assert (d.plan.probleemanalyse, d.plan.perspectief) == (ANALYSE, PERSPECTIEF)
    goals = sorted(d.plan.doelen, key=lambda x: x.prioriteit)
    assert [x.prioriteit for x in goals] == [1, 2]
    for goal, want in zip(goals, GOALS, strict=True):
        assert (goal.omschrijving, goal.resultaat, goal.eigenaar, goal.streefdatum) == (
            want["omschrijving"], want["resultaat"], want["eigenaar"], want["streefdatum"]
        )
        assert sorted(goal.domeinen) == sorted(want["domeinen"])
        assert [(x.omschrijving, x.wie, x.wanneer) for x in goal.acties] == [want["actie"]]
    r = d.plan.regisseur
    assert (r.soort, r.ref, r.naam, r.bereikbaar, r.taken) == ("wijkcoach", None, *REGISSEUR)
    f = d.familiegroepsplan
    assert (f.aangeboden, f.datum, f.uitkomst, f.toelichting) == (True, GESPREK, "in_voorbereiding", FGP_TOELICHTING)
    assert d.gesprek.volgende_evaluatie == FIRST_EVALUATION
    assert d.definitief is not None and d.versie == 1

