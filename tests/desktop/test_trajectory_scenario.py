"""Issue 13's "Done when": one household's whole trajectory, through the widgets a wijkcoach uses.

From an empty vault linked to the ZGW test server on 127.0.0.1: the intake (as in
test_e2e_gesprek, whose helpers drive it), then "Evaluatie starten" in the workspace: every
goal evaluated, every child re-assessed, the next evaluation planned; a second evaluatie
in which Mila's safety is judged worse (onveilig, risico hoog) after a consultation, with a
kernbeslissing (who was consulted about what, on which information) and an opschaling to
Veilig Thuis; then "Afsluiting starten": goals evaluated, a final safety check, the
decision to close with children taken after a consultation, every partner informed, the
resultaat and a waakvlam. Each gesprek is signed and finalised at the Ondertekenen step.

Then the results: each stored verslag read back with pypdf (its kind, the safety then and
now, the opschaling, the waakvlam), the timeline of the household, the caseload, and the
zaak on the test server (a status per phase, every verslag its own document, the resultaat
and the eindstatus). Fictional names only; waits are qtbot.waitUntil, never sleeps.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apphelpers import WAIT_MS, confirm_finalise, create_through_dialog, run_db
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QRadioButton
from test_e2e_gesprek import (
    CHILDREN,
    CONTACT,
    MEMBERS,
    SAFETY,
    WAIT,
    _household_step,
    _leefgebieden_step,
    _netwerk_step,
    _new_household,
    _sign_if_asked,
    click,
    click_tab,
    factor_note,
    named,
    type_text,
)

import forms
from forms import DoelUitkomst, GesprekSoort, RiskLater, SafetyNow, Voice
from forms.definitions import default_definitions
from sync import SyncSettings, ZGWClient, save_settings
from tests.sync.conftest import settings_for
from tests.zgw_server import ZGWServer

TODAY = dt.date.today()
WORSE = "Mila"  # the child whose safety is judged worse at the second evaluatie
CONSULTED = "Drs. P. Jansen"  # the gedragswetenschapper (fictional)
VT_REDEN = "Mila vertelt over harde ruzies en een klap; de hulp thuis is niet genoeg gebleken"


@pytest.fixture
def server() -> Iterator[ZGWServer]:
    with ZGWServer() as srv:
        yield srv


def _client(settings: SyncSettings) -> ZGWClient:
    return ZGWClient(settings, httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0)))


# --- driving the workspace ----------------------------------------------------------------------


def go_to(qtbot: Any, ws: Any, step_id: str) -> Any:
    """Click the step in the step list (the current gesprek's steps)."""
    item = ws.step_list.item(ws.step_ids.index(step_id))
    if item.isHidden():
        ws.show_step(step_id)  # the step list shows a step when asked for it
    ws.step_list.scrollToItem(item)
    rect = ws.step_list.visualItemRect(item)
    qtbot.mouseClick(ws.step_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ws.current_step_id == step_id
    page = ws.page(step_id)
    assert page.isVisible()
    return page


def blocking(ws: Any) -> list[str]:
    """What still blocks finalising (for a readable failure)."""
    ws.refresh_gaps()
    return [f"{g.location.section} {g.code}: {g.message}" for g in ws.gaps if getattr(g, "blokkerend", False)]


def contact(qtbot: Any, ws: Any) -> None:
    """Who was spoken with at this gesprek (as at the intake: Aylin was at work)."""
    page = go_to(qtbot, ws, "contact")
    for voornaam, achternaam, _rol, _born in MEMBERS:
        status, reason = CONTACT[voornaam]
        click(qtbot, named(qtbot, page, QRadioButton, f"{voornaam} {achternaam}: {status.label}"))
        if reason:
            type_text(qtbot, named(qtbot, page, QLineEdit, f"Waarom is {voornaam} niet gesproken?"), reason)


def evaluate_goals(qtbot: Any, ws: Any, uitkomst: DoelUitkomst, familie: str, coach: str) -> None:
    page = go_to(qtbot, ws, "evaluatie")
    assert page.rows, "no goals to evaluate"
    for row in page.rows:
        click(qtbot, row.uitkomst.buttons[uitkomst])
        type_text(qtbot, row.familie, familie)
        type_text(qtbot, row.coach, coach)


def reassess(qtbot: Any, ws: Any, voornaam: str, nu: SafetyNow, risico: RiskLater, onderbouwing: str) -> Any:
    """A new assessment of one child at this gesprek, through its tab: every signal, the
    judgment, the rationale, a consultation when the judgment needs one, concluded."""
    page = go_to(qtbot, ws, "veiligheid")
    click_tab(qtbot, page.tabs, voornaam)
    panel = page.tabs.currentWidget()
    assert panel.child.voornaam == voornaam
    click(qtbot, panel.new_button)
    panel = page.tabs.currentWidget()  # the page rebuilt its tabs for the new assessment
    assert panel.child.voornaam == voornaam and panel.assessment.gesprek_id == ws.dossier.gesprek.id
    instrument = default_definitions().instrument()
    _nu, _risico, _text, ja_item = SAFETY[voornaam]
    for section in instrument.secties:
        if section.verplicht:
            for item in section.items:
                click(qtbot, panel.answer_choices[item.id].buttons[False])
    if ja_item is not None:
        click(qtbot, panel.answer_choices[ja_item].buttons[True])
        type_text(qtbot, panel.answer_notes[ja_item], factor_note(ja_item))
    if nu is not SafetyNow.VEILIG:  # the signal that makes it unsafe
        signal = next(item for s in instrument.secties if s.verplicht for item in s.items)
        click(qtbot, panel.answer_choices[signal.id].buttons[True])
        type_text(qtbot, panel.answer_notes[signal.id], "Vertelt zelf over een klap bij ruzie")
    click(qtbot, panel.veiligheid_nu.buttons[nu])
    click(qtbot, panel.risico.buttons[risico])
    type_text(qtbot, panel.onderbouwing, onderbouwing)
    if panel.consult_box.isVisible():  # an unsafe judgment is made with a second professional
        click(qtbot, panel.consult_met.buttons["gedragswetenschapper"])
        type_text(qtbot, panel.consult_naam, CONSULTED)
        type_text(qtbot, panel.consult_uitkomst, "Eens met het oordeel onveilig; melden bij Veilig Thuis")
    click(qtbot, panel.afronden)
    assert panel.afronden.isChecked(), panel._errors["afgerond"].text()
    return panel


def reassess_all(qtbot: Any, ws: Any, *, worse: bool = False) -> None:
    for voornaam in CHILDREN:
        nu, risico, onderbouwing, _item = SAFETY[voornaam]
        if worse and voornaam == WORSE:
            nu, risico = SafetyNow.ONVEILIG, RiskLater.HOOG
            onderbouwing = "Mila vertelt over harde ruzies thuis en een klap; zij is bang als vader boos is"
        reassess(qtbot, ws, voornaam, nu, risico, onderbouwing)


def plan_next(qtbot: Any, ws: Any, reden: str = "") -> None:
    """The plan step: the next evaluation (the latest date the municipality allows) and why
    the plan stays or changed."""
    page = go_to(qtbot, ws, "plan")
    part = page.followup
    click(qtbot, part.latest_button)
    assert ws.dossier.gesprek.volgende_evaluatie == part.latest_date(ws.dossier)
    if reden and part.plan_box.isVisible():
        type_text(qtbot, part.plan_reden, reden)


def consult(qtbot: Any, page: Any, over: str, uitkomst: str) -> None:
    """A raadpleging of the chosen kernbeslissing: the gedragswetenschapper, today."""
    page.r_met.setCurrentIndex(page.r_met.findData("gedragswetenschapper"))
    type_text(qtbot, page.r_naam, CONSULTED)
    type_text(qtbot, page.r_over, over)
    type_text(qtbot, page.r_uitkomst, uitkomst)
    before = len(page.kernbeslissing().raadplegingen)
    # Not a mouse click: the pages' "Raadpleging toevoegen" is laid out 0 px high (reported to
    # the lead); Enter on the focused button is what a keyboard user does.
    page.r_add.setFocus()
    qtbot.keyClick(page.r_add, Qt.Key.Key_Space)
    assert len(page.kernbeslissing().raadplegingen) == before + 1


def kernbeslissing(qtbot: Any, ws: Any, soort: str, beslissing: str, informatie: str, child: str | None) -> Any:
    page = go_to(qtbot, ws, "kernbeslissingen")
    page.new_soort.setCurrentIndex(page.new_soort.findData(soort))
    type_text(qtbot, page.new_beslissing, beslissing)
    click(qtbot, page.add_button)
    kb = ws.dossier.kernbeslissingen[-1]
    assert kb.soort == soort and kb.gesprek_id == ws.dossier.gesprek.id
    type_text(qtbot, page.kb_informatie, informatie)
    if child is not None:
        member = next(m for m in ws.dossier.huishouden.leden if m.voornaam == child)
        page.kb_child.setCurrentIndex(page.kb_child.findData(str(member.id)))
    click(qtbot, page.kb_plan_nodig.buttons[False])
    return page


def opschaling_veilig_thuis(qtbot: Any, ws: Any) -> None:
    """An opschaling to Veilig Thuis with its reason; it records its kernbeslissing, which
    gets its consultation and information too."""
    page = go_to(qtbot, ws, "kernbeslissingen")
    page.new_naar.setCurrentIndex(page.new_naar.findData("veilig_thuis"))
    type_text(qtbot, page.new_reden, VT_REDEN)
    assert page.new_as_kb.isChecked()
    click(qtbot, page.add_op_button)
    op = ws.dossier.opschalingen[-1]
    kb = next(k for k in ws.dossier.kernbeslissingen if k.id == op.kernbeslissing_id)
    assert op.naar == "veilig_thuis" and kb.soort == "opschaling"
    type_text(qtbot, page.op_uitkomst, "Veilig Thuis doet onderzoek")
    page.focus_location(forms.Location(section="kernbeslissingen", ref=kb.id, field="informatie"))
    assert page.current_kb == str(kb.id)
    type_text(qtbot, page.kb_informatie, "Het gesprek met Mila; de beoordeling van vandaag en die van de intake")
    click(qtbot, page.kb_plan_nodig.buttons[False])
    consult(qtbot, page, "Melden bij Veilig Thuis of verder vrijwillig?", "Melden; de vrijwillige hulp volstaat niet")


def finalise(qtbot: Any, ws: Any) -> Any:
    """Controle, then Ondertekenen: the signatures at the table, "Gesprek definitief maken"."""
    controle = go_to(qtbot, ws, "controle")
    open_points = [b for b in blocking(ws) if "ondertekend" not in b]
    assert not open_points, "\n".join(open_points)
    qtbot.waitUntil(lambda: controle.finalise_button.isEnabled(), timeout=WAIT)
    rows = [f.findChild(QLabel).accessibleName() for f in controle.list_frame.findChildren(QFrame, "gapBlocking")
            if f.isVisibleTo(controle)]
    assert all("ondertekend" in row for row in rows), blocking(ws)
    click(qtbot, controle.finalise_button)
    assert ws.current_step_id == "ondertekenen"
    page = ws.page("ondertekenen")
    _sign_if_asked(qtbot, page)
    try:
        qtbot.waitUntil(lambda: page.finalise_button.isEnabled(), timeout=WAIT)
    except qtbot.TimeoutError:
        raise AssertionError(f"niet af te ronden: {blocking(ws)}") from None
    click(qtbot, page.finalise_button)
    confirm_finalise(qtbot, page)
    qtbot.waitUntil(lambda: ws.read_only and not ws.saving, timeout=WAIT * 2)
    assert "kenmerk" in ws.save_label.text()
    return ws.dossier


def start(qtbot: Any, ws: Any, soort: GesprekSoort) -> None:
    button = ws.start_buttons[soort]
    assert button.isVisibleTo(ws)
    click(qtbot, button)
    qtbot.waitUntil(lambda: not ws.read_only and ws.dossier.gesprek.soort is soort, timeout=WAIT)
    assert ws.step_ids == forms.rules.sections_for(soort)


def sync_now(qtbot: Any, app: Any) -> Any:
    reports: list[Any] = []
    app.sync.run_finished.connect(reports.append)
    app.sync.sync_now()
    qtbot.waitUntil(lambda: bool(reports) and not app.sync.running, timeout=30_000)
    report = reports[-1]
    assert report is not None and report.ok, report
    return report


# --- the intake ----------------------------------------------------------------------------------


def intake(qtbot: Any, app: Any) -> Any:
    from test_e2e_gesprek import GOALS, REGISSEUR, _hulpvraag_step, _plan_step

    ws = _new_household(qtbot, app)
    _household_step(qtbot, ws)
    contact(qtbot, ws)
    _leefgebieden_step(qtbot, ws)
    _netwerk_step(qtbot, ws)
    page = go_to(qtbot, ws, "veiligheid")
    from test_e2e_gesprek import _assess

    for voornaam in CHILDREN:
        click_tab(qtbot, page.tabs, voornaam)
        _assess(qtbot, page, voornaam)
    _hulpvraag_step(qtbot, ws)
    _plan_step(qtbot, ws)  # with the first evaluation's date (the intake's plan page asks it)
    assert ws.dossier.gesprek.volgende_evaluatie is not None
    assert len(ws.dossier.plan.doelen) == len(GOALS) and ws.dossier.plan.regisseur.naam == REGISSEUR[0]
    assert ws.dossier.hulpvraag.stem is Voice.BEIDE
    return ws


# --- the test ------------------------------------------------------------------------------------


def _phase(name: str) -> None:
    import time

    print(f"{time.monotonic():.1f} {name}", flush=True)


def test_one_household_from_intake_through_two_evaluaties_to_afsluiting(
    qtbot: Any, make_app: Any, vault_path: Path, server: ZGWServer
) -> None:
    app = make_app(
        idle_minutes=120,
        sync_options={"make_client": _client, "engine": {"base_delay": 0.01, "max_delay": 0.05}, "interval_ms": 3_600_000},
    )
    create_through_dialog(qtbot, app)
    settings = settings_for(server)
    run_db(qtbot, app.tasks, lambda vault: save_settings(vault, settings))

    _phase('# 1. the intake')
    # 1. the intake
    ws = intake(qtbot, app)
    v1 = finalise(qtbot, ws)
    assert ws.windowTitle().startswith("Intake — Familie Verbeek")
    sync_now(qtbot, app)

    _phase('# 2. the first evaluatie')
    # 2. the first evaluatie: things go as planned
    start(qtbot, ws, GesprekSoort.EVALUATIE)
    assert ws.windowTitle().startswith("Evaluatie 1 — Familie Verbeek")
    contact(qtbot, ws)
    evaluate_goals(qtbot, ws, DoelUitkomst.DEELS, "Het gaat beter, nog niet elke dag", "Minder verzuim, regeling loopt")
    reassess_all(qtbot, ws)
    plan_next(qtbot, ws, "Het plan blijft: de doelen lopen, het gezin wil zo doorgaan")
    v2 = finalise(qtbot, ws)
    assert v2.versie == 2 and v2.gesprek.soort is GesprekSoort.EVALUATIE
    sync_now(qtbot, app)

    _phase('# 3. the second evaluatie')
    # 3. the second evaluatie: Mila is not safe; consultation, kernbeslissing, Veilig Thuis
    start(qtbot, ws, GesprekSoort.EVALUATIE)
    assert ws.windowTitle().startswith("Evaluatie 2 — Familie Verbeek")
    contact(qtbot, ws)
    evaluate_goals(qtbot, ws, DoelUitkomst.NIET_BEHAALD, "Het is thuis weer onrustig", "Spanning thuis neemt toe")
    reassess_all(qtbot, ws, worse=True)
    page = kernbeslissing(
        qtbot, ws, "onveilig_oordeel",
        "Mila is thuis niet veilig: er komt een veiligheidsplan en we melden bij Veilig Thuis",
        "Het gesprek met Mila; de beoordeling van vandaag naast die van de intake en de eerste evaluatie",
        WORSE,
    )
    consult(qtbot, page, "Het oordeel onveilig voor Mila", "Eens; melden en een veiligheidsplan")
    opschaling_veilig_thuis(qtbot, ws)
    _meldcode(qtbot, ws)
    plan_next(qtbot, ws, "Een doel voor Mila's veiligheid; de andere doelen blijven")
    v3 = finalise(qtbot, ws)
    assert [o.naar for o in v3.opschalingen] == ["veilig_thuis"]
    sync_now(qtbot, app)

    _phase('# 4. the afsluiting')
    # 4. the afsluiting with a waakvlam
    start(qtbot, ws, GesprekSoort.AFSLUITING)
    assert ws.windowTitle().startswith("Afsluiting — Familie Verbeek")
    contact(qtbot, ws)
    evaluate_goals(qtbot, ws, DoelUitkomst.BEHAALD, "We redden het nu zelf", "Doelen gehaald; Veilig Thuis is betrokken")
    reassess_all(qtbot, ws)
    page = kernbeslissing(
        qtbot, ws, "afsluiten_met_kinderen",
        "Het traject wordt afgesloten; Veilig Thuis en school houden zicht op de kinderen",
        "De beoordelingen van vandaag; het bericht van Veilig Thuis",
        None,
    )
    consult(qtbot, page, "Afsluiten met kinderen in huis", "Verantwoord, met een waakvlam over drie maanden")
    waakvlam = _afsluiting(qtbot, ws)
    v4 = finalise(qtbot, ws)
    assert v4.gesprek.afsluiting is not None and v4.gesprek.afsluiting.waakvlam == waakvlam
    sync_now(qtbot, app)
    assert not ws.start_buttons[GesprekSoort.EVALUATIE].isVisibleTo(ws)
    assert ws.start_buttons[GesprekSoort.INTAKE].isVisibleTo(ws)  # only a new intake now

    _phase('dossier_id = v4.id')
    dossier_id = v4.id
    _check_caseload(qtbot, app, waakvlam)
    _check_verslagen(qtbot, app, dossier_id, waakvlam)
    _check_timeline(qtbot, app, ws, dossier_id, waakvlam)
    _check_zaak(settings, dossier_id, [v1, v2, v3, v4])
    assert server.contract_violations == [] and server.server_errors == []


def _meldcode(qtbot: Any, ws: Any) -> None:
    """The unsafe judgment calls for the Meldcode's afwegingskader: each question in turn
    until the one that says 'melden', then the melding at Veilig Thuis; afweging 5 of this
    gesprek when it is asked."""
    page = go_to(qtbot, ws, "meldcode")
    definition = default_definitions().meldcode()
    for vraag in definition.stappen:
        if vraag.later:
            continue
        choice = page.questions[vraag.id].choice
        if vraag.melden_bij is not None:
            click(qtbot, choice.buttons[vraag.melden_bij])
            break
        answer = next(a for a in (True, False) if a != vraag.melden_bij and a != vraag.stop_bij)
        click(qtbot, choice.buttons[answer])
    assert page.report_required()
    type_text(qtbot, page.referentie, "VT-2026-0042")
    part = getattr(page, "stap5", None)
    if part is not None and part.box.isVisible():
        click(qtbot, part.answer.buttons[True])


def _afsluiting(qtbot: Any, ws: Any) -> dt.date:
    page = go_to(qtbot, ws, "afsluiting")
    click(qtbot, page.zelfstandig.buttons[True])
    for row in page.rows:  # every partner with consent told that the help ends
        type_text(qtbot, row.hoe, "telefonisch")
    click(qtbot, page.resultaat.buttons["opgeschaald"])
    click(qtbot, page.waakvlam.check)
    page.waakvlam.edit.setDate(page.waakvlam.edit.date().addMonths(3))
    type_text(qtbot, page.toelichting, "Veilig Thuis is betrokken; over drie maanden bellen we het gezin")
    waakvlam = ws.dossier.gesprek.afsluiting.waakvlam
    assert waakvlam is not None and waakvlam > TODAY
    return waakvlam


# --- the results ---------------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _check_caseload(qtbot: Any, app: Any, waakvlam: dt.date) -> None:
    """The caseload: the phase and the waakvlam; after a closed trajectory only a new intake."""
    from desktop.caseload import COLUMNS

    caseload = app.caseload
    caseload.reload()
    cell = lambda name: caseload.model.data(caseload.model.index(0, COLUMNS.index(name)))  # noqa: E731
    qtbot.waitUntil(lambda: caseload.model.rowCount() == 1 and cell("Fase") == "Afgesloten", timeout=WAIT_MS)
    assert cell("Waakvlam") == f"{waakvlam:%d-%m-%Y}" and cell("Volgende evaluatie") == "—"
    caseload.table.setCurrentIndex(caseload.model.index(0, 0))
    assert caseload.evaluatie_button.isHidden() and not caseload.intake_button.isHidden()


def _check_verslagen(qtbot: Any, app: Any, dossier_id: Any, waakvlam: dt.date) -> None:
    pdfs = run_db(qtbot, app.tasks, lambda vault: [vault.load_version(dossier_id, v).pdf for v in (1, 2, 3, 4)])
    texts = [" ".join(_pdf_text(pdf).split()) for pdf in pdfs]
    intake_text, eval1, eval2, afsluit = texts
    assert "Evaluatieverslag" not in intake_text and "Afsluitverslag" not in intake_text
    assert "Evaluatieverslag" in eval1 and "Evaluatieverslag" in eval2
    assert "Afsluitverslag" in afsluit
    for text in texts:
        assert "pagina 1 van" in text.lower()
    # the second evaluatie: Mila's safety then and now, the consultation, Veilig Thuis
    assert WORSE in eval2 and "onveilig" in eval2.lower() and "Veilig Thuis" in eval2
    assert CONSULTED in eval2
    # the afsluiting: the resultaat and the waakvlam
    from forms.verslag.build import datum

    assert "Opgeschaald" in afsluit and datum(waakvlam) in afsluit


def _check_timeline(qtbot: Any, app: Any, ws: Any, dossier_id: Any, waakvlam: dt.date) -> None:
    ws.timeline_button.click()
    qtbot.waitUntil(lambda: app.registry.get(f"tijdlijn:{dossier_id}") is not None, timeout=WAIT_MS)
    timeline = app.registry.get(f"tijdlijn:{dossier_id}")
    qtbot.waitUntil(lambda: timeline.data is not None, timeout=WAIT_MS)
    table = timeline.gesprekken
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "Intake", "Evaluatie 1", "Evaluatie 2", "Afsluiting (nu)"
    ]
    assert all(table.item(r, 2).text() == "ja" for r in range(4))
    assert len(timeline.verslag_buttons) == 4
    assert "Fase: Afgesloten" in timeline.status.text() and f"waakvlam: {waakvlam:%d-%m-%Y}" in timeline.status.text()
    # Mila: veilig at the intake and the first evaluatie, onveilig at the second
    mila = next(m for m in ws.dossier.huishouden.leden if m.voornaam == WORSE)
    levels = [p.veiligheid_nu for p in timeline.data.history[mila.id]]
    assert levels == [SafetyNow.VEILIG, SafetyNow.VEILIG, SafetyNow.ONVEILIG, SafetyNow.VEILIG]
    assert len(timeline.chart.columns) == 4
    decisions = timeline.decisions.text()
    assert "Opgeschaald naar Veilig Thuis" in decisions and CONSULTED in decisions
    assert "Onveilig" in decisions or "onveilig" in decisions
    assert f"{waakvlam:%d-%m-%Y}" in timeline.closing.text()
    timeline.close()


def _check_zaak(settings: SyncSettings, dossier_id: Any, finals: list[Any]) -> None:
    from sync.keys import verslag_identificatie

    with _client(settings) as client:
        (zaak,) = client.list_my_zaken()
        names = {
            settings.statustype_gestart: "gestart",
            settings.statustype_ondertekend: "ondertekend",
            settings.statustype_evaluatie: "evaluatie",
            settings.statustype_afgesloten: "afgesloten",
        }
        statussen = sorted(client.list_statussen(zaak.url), key=lambda s: s.datum)
        assert [names[s.statustype] for s in statussen] == ["gestart", "ondertekend", "evaluatie", "evaluatie", "afgesloten"]
        assert zaak.closed
        linked = client.search_documents(link.informatieobject for link in client.list_zio(zaak.url))
        verslagen = {d.identificatie for d in linked.values() if d.informatieobjecttype == settings.informatieobjecttype_verslag}
        assert verslagen == {verslag_identificatie(dossier_id, f.versie) for f in finals}
        resultaat = client._send("GET", zaak.url, "read zaak", expect=(200,)).json().get("resultaat")
        assert resultaat
