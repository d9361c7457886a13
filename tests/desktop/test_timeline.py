"""The timeline of a household (desktop/timeline.py): gesprekken with their stored verslag,
safety per child as a picture, kernbeslissingen with who was consulted, plan versions."""

from __future__ import annotations

import datetime as dt
import hashlib
from html import escape
from typing import Any

from apphelpers import WAIT_MS, run_db
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.finalising import store_history
from desktop.timeline import SafetyChart, TimelineWindow, describe_history, gesprek_titles, read_timeline
from forms import GesprekSoort, RiskLater, SafetyNow
from forms.demo import demo_trajectory
from forms.trajectory import SafetyPoint

TODAY = dt.date.today()


def _seed(qtbot: Any, tasks: Any) -> Any:
    history = demo_trajectory(TODAY)
    run_db(qtbot, tasks, lambda vault: store_history(vault, history.versions, history.current))
    return history


def test_the_demo_history_on_one_page(qtbot: Any, vault_tasks: Any) -> None:
    history = _seed(qtbot, vault_tasks)
    dossier = history.current
    window = TimelineWindow(vault_tasks, dossier.id)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=WAIT_MS):
        window.reload()
    assert window.windowTitle() == f"Tijdlijn — {dossier.titel}"
    status = window.status.text()
    assert "Fase: Evaluatie" in status and "volgende evaluatie" in status

    table = window.gesprekken
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert [r[0] for r in rows] == ["Intake", "Evaluatie 1", "Evaluatie 2 (nu)"]
    intake_on = history.versions[0].gesprek.datum
    assert rows[0][1] == f"{intake_on:%d-%m-%Y}" and rows[0][2] == "ja"
    signers = [s.naam for s in history.versions[0].handtekeningen]
    assert signers and all(name in rows[0][3] for name in signers)  # read from the stored version
    assert rows[2][2] == "nog niet"
    assert len(window.verslag_buttons) == 2  # the two stored verslagen, not the gesprek in progress

    # safety per child: a picture with a mark per judgment, and the same in words
    noor = next(m for m in dossier.huishouden.leden if m.voornaam == "Noor")
    assert any(c.naam.startswith(noor.voornaam) for c in window.chart.children_)
    assert len(window.chart.columns) == 2  # the intake's and the evaluatie's dates
    words = window.safety_text.text()
    assert "Noor" in words and "risico laag" in words and "risico verhoogd" in words
    image = window.chart.grab().toImage()
    assert image.height() > 100
    red_or_green = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert "#2f7d4a" in red_or_green  # the "veilig" marks are drawn

    decisions = window.decisions.text()
    assert "Kernbeslissing: " in decisions and "Gedragswetenschapper (demo)" in decisions
    assert "gedragswetenschapper" in decisions and "Het hogere risico voor Noor" in decisions
    plan = window.plan.text()
    assert "Planversie 1" in plan and "Planversie 2" in plan and "Noor heeft een eigen doel" in plan
    assert window.closing.text() == "Het traject loopt nog."
    kinds = [e.titel for e in window.data.entries]
    assert kinds[0] == "Intake" and any(k.startswith("Kernbeslissing") for k in kinds)
    everything = window.all_entries.text()
    assert all(escape(k) in everything for k in kinds)


def test_verslag_openen_shows_the_stored_pdf_bytes(qtbot: Any, vault_tasks: Any) -> None:
    history = _seed(qtbot, vault_tasks)
    dossier_id = history.current.id
    window = TimelineWindow(vault_tasks, dossier_id)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=WAIT_MS):
        window.reload()
    stored = run_db(qtbot, vault_tasks, lambda vault: vault.load_version(dossier_id, 2).pdf)
    window.verslag_buttons[1].click()
    preview = window.preview
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=WAIT_MS)
    assert hashlib.sha256(preview.pdf).digest() == hashlib.sha256(stored).digest()
    assert "Evaluatie 1" in preview.windowTitle()
    preview.reject()
    # from the keyboard: Enter on a row opens its verslag
    window.gesprekken.setCurrentCell(0, 0)
    window.gesprekken.setFocus()
    qtbot.keyClick(window.gesprekken, Qt.Key.Key_Return)
    assert window.preview is not preview
    window.preview.reject()


def test_read_timeline_numbers_the_evaluaties_per_trajectory(qtbot: Any, vault_tasks: Any) -> None:
    history = _seed(qtbot, vault_tasks)
    data = run_db(qtbot, vault_tasks, lambda vault: read_timeline(vault, history.current.id, TODAY))
    assert [r.titel for r in data.gesprekken] == ["Intake", "Evaluatie 1", "Evaluatie 2"]
    assert [r.has_pdf for r in data.gesprekken] == [True, True, False]
    assert gesprek_titles(history.versions[0]) == {1: "Intake"}


def test_the_chart_says_in_words_what_it_draws(qtbot: Any) -> None:
    import uuid

    child = uuid.uuid4()
    points = [
        SafetyPoint(dt.date(2026, 2, 3), SafetyNow.VEILIG, RiskLater.LAAG, GesprekSoort.INTAKE, None),
        SafetyPoint(dt.date(2026, 5, 5), SafetyNow.ONVEILIG, RiskLater.HOOG, GesprekSoort.EVALUATIE, None),
    ]
    chart = SafetyChart()
    qtbot.addWidget(chart)
    chart.set_history({child: "Sam"}, {child: points})
    text = describe_history({child: "Sam"}, {child: points})
    assert text == "Sam: Intake 03-02-2026: veilig, risico laag → Evaluatie 05-05-2026: onveilig, risico hoog"
    assert chart.accessibleDescription() == text
    chart.resize(chart.sizeHint())
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert "#2f7d4a" in colours and "#b35c00" in colours  # veilig then onveilig
    QApplication.processEvents()


def test_two_gesprekken_on_one_day_are_two_columns(qtbot: Any) -> None:
    import uuid

    child, intake, evaluatie = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    day = dt.date(2026, 5, 5)
    points = [
        SafetyPoint(day, SafetyNow.VEILIG, RiskLater.LAAG, GesprekSoort.INTAKE, intake),
        SafetyPoint(day, SafetyNow.ONVEILIG, RiskLater.HOOG, GesprekSoort.EVALUATIE, evaluatie),
    ]
    chart = SafetyChart()
    qtbot.addWidget(chart)
    chart.set_history({child: "Sam"}, {child: points})
    assert chart.columns == [(day, "Intake"), (day, "Evaluatie")] and chart.keys == [intake, evaluatie]


def test_a_signed_veiligheidsplan_prints_from_its_gesprek(qtbot: Any, vault_tasks: Any) -> None:
    """A kernbeslissing whose veiligheidsplan was signed at a finalised gesprek: the timeline
    offers it, and opening it prints the plan from that gesprek's stored version (pypdf)."""
    import io

    import pypdf

    from forms import Afspraak, Signature, Veiligheidsplan, finalise, start_gesprek
    from forms.demo import demo_signature_png

    history = demo_trajectory(TODAY)
    intake, evaluatie = history.versions
    draft = evaluatie.model_copy(deep=True)
    draft.definitief = None
    kb = next(k for k in draft.kernbeslissingen if k.gesprek_id == draft.gesprek.id)
    parent = draft.adults()[0]
    kb.veiligheidsplan_nodig = True
    kb.veiligheidsplan = Veiligheidsplan(
        afspraken=[Afspraak(wat="Bij ruzie gaat Noor naar oma.", wie=parent.voornaam, wanneer=draft.gesprek.datum)],
        handtekeningen=[
            Signature(member_id=parent.id, naam=parent.naam, datum=draft.gesprek.datum, afbeelding_png=demo_signature_png()),
            Signature(naam="Wijkcoach (demo)", datum=draft.gesprek.datum, afbeelding_png=demo_signature_png()),
        ],
    )
    final = finalise(draft, now=evaluatie.definitief.op)
    current = start_gesprek(final, GesprekSoort.EVALUATIE, TODAY)
    run_db(qtbot, vault_tasks, lambda vault: store_history(vault, [intake, final], current))

    window = TimelineWindow(vault_tasks, current.id)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=WAIT_MS):
        window.reload()
    assert len(window.veiligheidsplan_buttons) == 1 and window.plan_row.isVisible()
    window.veiligheidsplan_buttons[0].click()
    preview = window.preview
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=WAIT_MS)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(preview.pdf)).pages)
    assert "Veiligheidsplan" in text and "Bij ruzie gaat Noor naar oma." in text
    assert "pagina 1 van" in text
    preview.reject()
