"""Signing at the table, the verslag preview, printing and stored versions (pytest-qt, offscreen)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from apphelpers import confirm_finalise, run_db
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QImage, QPointingDevice, QTabletEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

import forms
from desktop.signing import MAX_PNG_SIZE, SignaturePad, SigningPanel, consent_statements
from desktop.verslag_view import VerslagPreview, print_pdf
from forms import Consent, Dossier
from forms.demo import complete_demo_dossier, sign_at_the_table
from forms.verslag import VerslagSettings, build_pdf, page_count

WAIT_MS = 15_000
SETTINGS = VerslagSettings(gemeente="Gemeente Den Helder", team="Sociaal Wijkteam", wijkcoach="Wijkcoach Test")


def draw(qtbot: Any, canvas: Any, points: list[tuple[int, int]]) -> None:
    """A stroke with real mouse events: press, moves with the button held, release."""
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(canvas, QPoint(x, y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


ZIGZAG = [(40 + i * 12, 60 + (18 if i % 2 else -18)) for i in range(20)]


@pytest.fixture
def dossier() -> Dossier:
    return complete_demo_dossier()


# --- the pad -------------------------------------------------------------------------------


def test_pad_draws_exports_trimmed_png_and_clears(qtbot: Any) -> None:
    pad = SignaturePad("Sanne Bakker")
    qtbot.addWidget(pad)
    pad.resize(600, 220)
    pad.show()
    assert pad.is_empty() and pad.to_png() is None
    assert not pad.clear_button.isEnabled()
    with qtbot.waitSignal(pad.changed, timeout=WAIT_MS):
        draw(qtbot, pad.canvas, ZIGZAG)
    assert not pad.is_empty()
    assert pad.canvas.stroke_count == 1

    png = pad.to_png()
    assert png is not None and png.startswith(b"\x89PNG")
    assert not QImage.fromData(png).isNull()
    image = Image.open(io.BytesIO(png))
    image.load()
    # trimmed to the ink: the stroke spans ~230 × 36 px, exported at 2× with a small margin
    assert image.width <= MAX_PNG_SIZE.width() and image.height <= MAX_PNG_SIZE.height()
    assert image.width < pad.canvas.width() * 2 and image.height < 150
    assert 400 <= image.width <= 520, image.size
    # dark ink, transparent around it
    rgba = image.convert("RGBA")
    assert rgba.getpixel((0, 0))[3] == 0
    on_white = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("L")
    assert on_white.getextrema()[0] < 80

    assert pad.clear_button.isEnabled()
    assert pad.clear_button.focusPolicy() & Qt.FocusPolicy.TabFocus  # reachable with Tab
    with qtbot.waitSignal(pad.changed, timeout=WAIT_MS):
        pad.clear_button.click()
    assert pad.is_empty() and pad.to_png() is None

    # redo: draw again
    draw(qtbot, pad.canvas, [(30, 30), (200, 90)])
    assert not pad.is_empty()


def test_pad_accessible_and_says_the_keyboard_cannot_draw(qtbot: Any) -> None:
    pad = SignaturePad("Emre Yılmaz")
    qtbot.addWidget(pad)
    assert pad.canvas.accessibleName() == "Handtekening van Emre Yılmaz"
    assert pad.clear_button.accessibleName() == "Handtekening van Emre Yılmaz wissen"
    assert "toetsenbord" in pad.note.text() and "Wil niet tekenen" in pad.note.text()
    assert "toetsenbord" in pad.canvas.accessibleDescription()


def test_pad_takes_pen_and_touch(qtbot: Any) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 200)
    pad.show()
    canvas = pad.canvas

    # a pen (tablet events)
    device = QPointingDevice.primaryPointingDevice()
    for kind, pos in (
        (QTabletEvent.Type.TabletPress, QPointF(20, 40)),
        (QTabletEvent.Type.TabletMove, QPointF(80, 70)),
        (QTabletEvent.Type.TabletMove, QPointF(140, 30)),
        (QTabletEvent.Type.TabletRelease, QPointF(160, 60)),
    ):
        event = QTabletEvent(
            kind, device, pos, canvas.mapToGlobal(pos), 0.6, 0.0, 0.0, 0.0, 0.0, 0.0,
            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
            Qt.MouseButton.NoButton if kind == QTabletEvent.Type.TabletRelease else Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(canvas, event)
    assert canvas.stroke_count == 1

    # a finger (touch events)
    touch = QTest.createTouchDevice()
    QTest.touchEvent(canvas, touch).press(0, QPoint(30, 100)).commit()
    QTest.touchEvent(canvas, touch).move(0, QPoint(120, 120)).commit()
    QTest.touchEvent(canvas, touch).release(0, QPoint(200, 90)).commit()
    assert canvas.stroke_count == 2
    assert pad.to_png() is not None


# --- the panel -------------------------------------------------------------------------------


def test_panel_writes_signature_objects(qtbot: Any, dossier: Dossier) -> None:
    dossier.handtekeningen = []  # nobody signed yet
    panel = SigningPanel(wijkcoach="Wijkcoach Test")
    qtbot.addWidget(panel)
    panel.set_dossier(dossier)
    panel.resize(1000, 900)
    panel.show()
    adults = [m for m in dossier.adults() if m.id in dossier.gesprek.aanwezig]
    assert [c.member_id for c in panel.cards] == [m.id for m in adults] + [None]
    assert [c.name_edit.text() for c in panel.cards] == [m.naam for m in adults] + ["Wijkcoach Test"]
    assert dossier.handtekeningen == []

    sanne, emre, coach = panel.cards
    with qtbot.waitSignal(panel.changed, timeout=WAIT_MS):
        draw(qtbot, sanne.pad.canvas, ZIGZAG)
    [sig] = dossier.handtekeningen
    assert isinstance(sig, forms.Signature)
    assert (sig.member_id, sig.naam, sig.plaats) == (adults[0].id, adults[0].naam, dossier.huishouden.adres.plaats)
    assert sig.afbeelding_png and not QImage.fromData(sig.afbeelding_png).isNull()
    assert sig.weigering_reden == ""

    # "wil niet tekenen" without a reason is flagged and writes nothing for Emre
    with qtbot.waitSignal(panel.edited, timeout=WAIT_MS):
        emre.refuse_check.setChecked(True)
    assert emre.state == "onvolledig"
    assert any("waarom" in p and adults[1].naam in p for p in panel.problems())
    assert emre.error.isVisible() and "waarom" in emre.error.text()
    assert emre.reason_edit.isVisible() and emre.reason_edit.isEnabled()
    assert emre.pad.canvas.read_only
    assert [s.member_id for s in dossier.handtekeningen] == [adults[0].id]

    qtbot.keyClicks(emre.reason_edit, "Wil het eerst met zijn broer bespreken.")
    assert not emre.error.isVisible() and panel.problems() == []
    refusal = next(s for s in dossier.handtekeningen if s.member_id == adults[1].id)
    assert refusal.weigering_reden == "Wil het eerst met zijn broer bespreken."
    assert refusal.afbeelding_png is None

    draw(qtbot, coach.pad.canvas, [(30, 40), (90, 90), (160, 40)])
    by_member = {s.member_id: s for s in dossier.handtekeningen}
    assert set(by_member) == {adults[0].id, adults[1].id, None}
    assert by_member[None].naam == "Wijkcoach Test"
    assert "3 van 3" in panel.summary.text()

    # the model validates as a whole, and the rules see no missing parent signature
    Dossier.model_validate_json(dossier.model_dump_json())
    assert not [g for g in forms.gaps(dossier) if g.code == "handtekening_ontbreekt"]

    # reopening shows what was signed, without rewriting it
    before = list(dossier.handtekeningen)
    again = SigningPanel(wijkcoach="Iemand anders")
    qtbot.addWidget(again)
    again.set_dossier(dossier)
    assert not again.cards[0].pad.is_empty()
    assert again.cards[0].pad.to_png() == before[0].afbeelding_png  # unchanged bytes
    assert again.cards[1].refuse_check.isChecked()
    assert again.cards[1].reason_edit.text() == "Wil het eerst met zijn broer bespreken."
    assert again.cards[2].name_edit.text() == "Wijkcoach Test"
    assert again.write() is False and dossier.handtekeningen == before

    # clearing a drawing removes that signature again
    with qtbot.waitSignal(panel.changed, timeout=WAIT_MS):
        sanne.pad.clear_button.click()
    assert adults[0].id not in {s.member_id for s in dossier.handtekeningen}


def test_empty_name_is_flagged(qtbot: Any, dossier: Dossier) -> None:
    panel = SigningPanel()
    qtbot.addWidget(panel)
    panel.set_dossier(dossier)
    coach = panel.cards[-1]
    assert coach.name_edit.text() == dossier.plan.regisseur.naam  # the regisseur is the wijkcoach
    coach.name_edit.clear()
    draw(qtbot, coach.pad.canvas, ZIGZAG)
    assert "Vul de naam in van wie tekent." in panel.problems()
    assert None not in {s.member_id for s in dossier.handtekeningen}
    qtbot.keyClicks(coach.name_edit, "M. de Coach")
    assert dossier.handtekeningen[-1].naam == "M. de Coach"


def test_only_adults_at_the_table_sign(qtbot: Any, dossier: Dossier) -> None:
    absent = dossier.adults()[1]
    dossier.gesprek.aanwezig = [i for i in dossier.gesprek.aanwezig if i != absent.id]
    panel = SigningPanel()
    qtbot.addWidget(panel)
    panel.set_dossier(dossier)
    assert [c.member_id for c in panel.cards] == [dossier.adults()[0].id, None]
    assert absent.voornaam in panel.absent_label.text() and not panel.absent_label.isHidden()


def test_consent_statements_in_plain_dutch(qtbot: Any, dossier: Dossier) -> None:
    school, schuld = dossier.partners[:2]
    schuld.toestemming = Consent(
        contact_toegestaan=True, delen_toegestaan=False, datum=dossier.gesprek.datum
    )
    dossier.netwerk[0].toestemming = None
    lines = consent_statements(dossier)
    assert lines[0] == (
        f"U geeft toestemming dat wij contact opnemen met {school.organisatie} ({school.rol}) en daar "
        "informatie over verzuim en gedrag op school delen."
    )
    assert "wij delen daar geen informatie" in lines[1]
    assert "nog niets afgesproken" in lines[2] and dossier.netwerk[0].naam in lines[2]

    panel = SigningPanel()
    qtbot.addWidget(panel)
    panel.set_dossier(dossier)
    assert school.organisatie in panel.consent_label.text()
    assert "geen informatie" in panel.consent_label.accessibleDescription()


def test_panel_is_read_only_for_a_final_dossier(qtbot: Any, dossier: Dossier) -> None:
    final = forms.finalise(dossier)
    before = final.model_dump_json()
    panel = SigningPanel(wijkcoach="Wijkcoach Test")
    qtbot.addWidget(panel)
    panel.set_dossier(final)
    panel.show()
    assert panel.read_only
    for edit in panel.findChildren(QLineEdit):
        assert edit.isReadOnly()
    for card in panel.cards:
        assert not card.refuse_check.isEnabled()
        assert card.pad.canvas.read_only
        shown = card.pad.to_png()  # the signature as it was signed
        draw(qtbot, card.pad.canvas, ZIGZAG)
        assert card.pad.to_png() == shown
    assert panel.write() is False
    assert final.model_dump_json() == before and forms.verify(final)


# --- preview, print, export -------------------------------------------------------------------


@pytest.fixture
def final_pdf(dossier: Dossier) -> bytes:
    return build_pdf(forms.finalise(dossier), settings=SETTINGS)


def test_print_to_a_pdf_printer_gives_the_same_pages(tmp_path: Path, final_pdf: bytes) -> None:
    out = tmp_path / "afdruk.pdf"  # the test's own output
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printed = print_pdf(final_pdf, printer, max_dpi=72)
    expected = page_count(final_pdf)
    assert printed == expected >= 3
    assert len(PdfReader(str(out)).pages) == expected


def test_preview_renders_pages_zooms_and_prints_off_the_ui_thread(
    qtbot: Any, tmp_path: Path, dossier: Dossier, tasks: Any
) -> None:
    preview = VerslagPreview(tasks=tasks)
    qtbot.addWidget(preview)
    preview.resize(1366, 768)
    preview.show()
    with qtbot.waitSignal(preview.ready, timeout=WAIT_MS) as ready:
        preview.show_dossier(dossier, settings=SETTINGS)
    pages = page_count(build_pdf(dossier, settings=SETTINGS))
    assert ready.args == [pages] and preview.page_count == pages
    assert preview.pdf is not None and preview.pdf.startswith(b"%PDF")
    assert "Concept" in preview.caption.text()
    qtbot.waitUntil(lambda: preview.page_label.text() == f"Pagina 1 van {pages}", timeout=WAIT_MS)

    preview.next_page()
    assert preview.page_label.text() == f"Pagina 2 van {pages}"
    width = preview.page_labels[0].width()
    preview.zoom_in()
    assert preview.zoom > 1.0 and preview.page_labels[0].width() > width
    assert preview.current_page == 2  # zooming keeps the page in view

    out = tmp_path / "preview-afdruk.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    with qtbot.waitSignal(preview.printed, timeout=WAIT_MS) as done:
        preview.print_to(printer, max_dpi=72)
    assert done.args == [pages]
    assert len(PdfReader(str(out)).pages) == pages

    # closing drops the verslag from memory (the lock closes modal windows like this one)
    assert preview.isModal()
    preview.reject()
    assert preview.pdf is None and preview.page_count == 0 and preview.page_labels == []


def test_export_warns_with_the_path_before_writing(
    qtbot: Any, tmp_path: Path, final_pdf: bytes, monkeypatch: pytest.MonkeyPatch, tasks: Any
) -> None:
    preview = VerslagPreview(tasks=tasks)
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.ready, timeout=WAIT_MS):
        preview.show_pdf(final_pdf, "Versie 1")
    target = tmp_path / "verslag"
    monkeypatch.setattr(preview, "_ask_save_path", lambda: str(target))
    seen: list[str] = []

    def answer(button_text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text() + "\n" + box.informativeText())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, lambda: answer("Annuleren"))
    assert preview.export_pdf() is None
    assert not target.with_suffix(".pdf").exists()
    assert "niet versleuteld" in seen[0] and str(target) + ".pdf" in seen[0]

    QTimer.singleShot(0, lambda: answer("Toch opslaan"))
    path = preview.export_pdf()
    assert path == str(target) + ".pdf"
    assert Path(path).read_bytes() == final_pdf


@pytest.mark.parametrize("delete_on_close", [False, True], ids=["kept", "deleted"])
def test_closing_drops_the_pages_ignores_late_renders_and_lets_a_print_finish(
    qtbot: Any, tmp_path: Path, final_pdf: bytes, delete_on_close: bool
) -> None:
    from desktop.tasks import TaskManager

    tasks = TaskManager(pool_threads=1)  # one pool thread: the jobs run in the order queued
    try:
        preview = VerslagPreview(tasks=tasks)
        if delete_on_close:  # as the Ondertekenen step and the timeline open it
            preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        else:
            qtbot.addWidget(preview)
        with qtbot.waitSignal(preview.ready, timeout=WAIT_MS):
            preview.show_pdf(final_pdf, "Versie 1")
        out = tmp_path / "afdruk.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        ready: list[int] = []
        printed: list[int] = []
        preview.ready.connect(ready.append)
        preview.printed.connect(printed.append)
        preview.show_pdf(final_pdf, "Nog eens")  # a render still running when the dialog closes
        preview.print_to(printer, max_dpi=72)
        del printer  # the task manager keeps it until the print is done
        preview.reject()
        if not delete_on_close:
            assert preview.pdf is None and preview.page_count == 0 and preview.page_labels == []
        marker: list[bool] = []
        tasks.run_in_background(lambda: True, marker.append)  # runs after the render and the print
        qtbot.waitUntil(lambda: bool(marker), timeout=WAIT_MS)
        expected = page_count(final_pdf)
        assert len(PdfReader(str(out)).pages) == expected  # the print finished
        if not delete_on_close:
            assert printed == [expected] and ready == []  # the late render was ignored
            assert preview.pdf is None and preview.page_count == 0
    finally:
        tasks.shutdown()


# --- stored versions through the vault thread ---------------------------------------------------


def test_versions_list_shows_the_stored_pdf_bytes(qtbot: Any, vault_tasks: Any, dossier: Dossier) -> None:
    from desktop.finalising import finalise_and_store

    first = run_db(qtbot, vault_tasks, lambda v: finalise_and_store(v, dossier, settings=SETTINGS)).final
    stored_v1 = run_db(qtbot, vault_tasks, lambda v: v.load_version(dossier.id, 1))

    preview = VerslagPreview(tasks=vault_tasks, dossier_id=dossier.id)
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.versions.list.count() == 1, timeout=WAIT_MS)
    item = preview.versions.list.item(0).text()
    assert item.startswith("Versie 1\n") and stored_v1.sha256[:12] in item

    with qtbot.waitSignal(preview.ready, timeout=WAIT_MS):
        preview.versions.view_button.click()
    assert preview.pdf == stored_v1.pdf  # the stored bytes, not a fresh render
    assert "Bewaard in de kluis" in preview.caption.text()

    # a new version, edited and finalised: both listed, newest first, v1 still the same bytes
    nxt = forms.new_version(first)
    nxt.hulpvraag.tekst = "Rust over geld, en Daan weer elke dag naar school."
    sign_at_the_table(nxt)  # a new version is signed anew
    run_db(qtbot, vault_tasks, lambda v: finalise_and_store(v, nxt, settings=SETTINGS))
    preview.refresh_versions()
    qtbot.waitUntil(lambda: preview.versions.list.count() == 2, timeout=WAIT_MS)
    assert preview.versions.list.item(0).text().startswith("Versie 2\n")
    preview.versions.list.setCurrentRow(1)
    with qtbot.waitSignal(preview.ready, timeout=WAIT_MS):
        preview.versions.view_button.click()
    assert preview.pdf == stored_v1.pdf
    assert run_db(qtbot, vault_tasks, lambda v: v.load_version(dossier.id, 1)).pdf == stored_v1.pdf


def test_every_control_has_an_accessible_name(qtbot: Any, dossier: Dossier, vault_tasks: Any) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QWidget

    panel = SigningPanel()
    panel.set_dossier(dossier)
    preview = VerslagPreview(tasks=vault_tasks, dossier_id=dossier.id)
    preview.versions_button.setChecked(True)
    for root in (panel, preview):
        qtbot.addWidget(root)
        root.show()
        for widget in root.findChildren(QWidget):
            if isinstance(widget, QAbstractButton):
                assert widget.accessibleName(), widget.text()
            elif isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)):
                if isinstance(widget.parent(), (QComboBox, QAbstractSpinBox, QAbstractItemView)):
                    continue
                assert widget.accessibleName(), type(widget).__name__
    assert panel.cards[0].pad.canvas.accessibleName().startswith("Handtekening van ")


# --- wired into the Ondertekenen step ---------------------------------------------------------


def test_ondertekenen_step_signs_finalises_and_keeps_the_signed_verslag(
    qtbot: Any, open_workspace: Any, vault_tasks: Any
) -> None:
    ws = open_workspace(complete_demo_dossier())
    page = ws.show_step("ondertekenen")
    panel = page.signing
    assert len(panel.cards) == 3 and page.finalise_button.isEnabled()

    sanne, emre, coach = panel.cards
    draw(qtbot, sanne.pad.canvas, ZIGZAG)
    assert ws.dirty or ws.saving  # the workspace autosaves the signature
    emre.refuse_check.setChecked(True)  # no reason yet: finalising waits
    assert not page.finalise_button.isEnabled() and "waarom" in page.reason.text()
    qtbot.keyClicks(emre.reason_edit, "Wil eerst overleggen.")
    assert page.finalise_button.isEnabled()
    draw(qtbot, coach.pad.canvas, ZIGZAG)
    assert len(ws.dossier.handtekeningen) == 3

    page.finalise_button.click()
    confirm_finalise(qtbot, page)
    qtbot.waitUntil(lambda: ws.read_only, timeout=WAIT_MS)
    page = ws.page("ondertekenen")
    assert page.signing.read_only and len(ws.dossier.handtekeningen) == 3
    stored = run_db(qtbot, vault_tasks, lambda v: v.load_version(ws.dossier.id, 1))
    assert stored.sha256 == ws.dossier.definitief.sha256
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(stored.pdf)).pages)
    assert "Wil niet tekenen: Wil eerst overleggen." in text

    # the verslag button stays usable on a final dossier and lists the stored version
    assert page.verslag_button.isEnabled()
    page.verslag_button.click()
    preview = page.preview
    qtbot.waitSignal(preview.ready, timeout=WAIT_MS).wait()
    qtbot.waitUntil(lambda: preview.versions.list.count() == 1, timeout=WAIT_MS)
    assert preview.pdf == stored.pdf  # same dossier, same settings: the same bytes
    preview.reject()
