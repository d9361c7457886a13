"""The gesprek-adviesverslag on screen and on paper, from memory.

- :class:`VerslagPreview` (a dialog) shows the pages: built with
  ``forms.verslag.build_pdf`` and rasterised with PDFium (pypdfium2 → PIL → QImage),
  both off the UI thread; scrollable, "Pagina x van y", zoom.
- "Afdrukken…" goes through ``QPrintDialog``; :func:`print_pdf` paints the pages,
  rendered at the printer's resolution, on a ``QPainter`` on the ``QPrinter``: one
  printed page per PDF page. No decrypted PDF is written to disk for that.
- "Exporteren als PDF…" is the one explicit way to put the verslag in a file: it says
  first, with the path, that the file is *not* encrypted.
- :class:`VersionsList` lists the finalised versions stored in the vault (versie,
  date, short hash); "Bekijken" shows the PDF bytes stored with that version, not a
  fresh render.

All slow work goes through the application's :class:`desktop.tasks.TaskManager`, which
knows the rules for objects and threads (issue 9): vault calls through ``tasks.run_db``,
building, rasterising and printing through ``tasks.run_in_background``, with the dialog
as the ``owner`` (a result that arrives after the dialog is deleted is dropped).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .widgets import button, label, scroll_wrap

if TYPE_CHECKING:  # for annotations only: forms.verslag (reportlab) stays a lazy import
    from forms import Definitions, Dossier
    from forms.verslag import VerslagSettings

    from .tasks import TaskManager

__all__ = [
    "VerslagPreview",
    "VersionsList",
    "print_pdf",
    "export_file_name",
    "version_caption",
]

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe: one document operation at a time
POINTS_PER_INCH = 72.0
SCREEN_DPI = 96.0  # "100 %" shows the page at its real size on a 96-dpi screen
ZOOM_STEPS = (0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
PRINT_MAX_DPI = 300  # enough for text on paper; 600 dpi would be ~100 MB per page


# --- PDFium, from memory ---------------------------------------------------------------------


def _to_qimage(pil_image: Any) -> QImage:
    image = pil_image.convert("RGB") if pil_image.mode != "RGB" else pil_image
    data = image.tobytes("raw", "RGB")
    qimage = QImage(data, image.width, image.height, image.width * 3, QImage.Format.Format_RGB888)
    return qimage.copy()  # own the pixels: ``data`` goes away


def _iter_pages(pdf: bytes, scale: float) -> Iterator[tuple[QImage, tuple[float, float]]]:
    """(QImage, page size in points) per page; each page under the PDFium lock."""
    import pypdfium2

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        count = len(document)
    try:
        for index in range(count):
            with _PDFIUM_LOCK:
                page = document[index]
                try:
                    size = page.get_size()
                    bitmap = page.render(scale=scale)
                    image = _to_qimage(bitmap.to_pil())
                finally:
                    page.close()
            yield image, size
    finally:
        with _PDFIUM_LOCK:
            document.close()


def _render_all(pdf: bytes, scale: float) -> tuple[list[QImage], list[tuple[float, float]]]:
    """Every page as a QImage (``scale`` 1.0 = 72 dpi), and its size in points. Safe on any
    thread (QImage, not QPixmap)."""
    pages = list(_iter_pages(pdf, scale))
    return [image for image, _size in pages], [size for _image, size in pages]


def print_pdf(
    pdf: bytes,
    printer: QPrinter,
    *,
    max_dpi: int = PRINT_MAX_DPI,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Paint every PDF page on ``printer``, one printed page each; returns the pages printed.

    Each page is rendered at the printer's resolution (at most ``max_dpi``) and drawn
    over the whole sheet (the verslag has its own margins), keeping its proportions.
    May run off the UI thread (QPainter on a QPrinter is allowed there).
    """
    dpi = max(72, min(int(printer.resolution()), int(max_dpi)))
    printer.setFullPage(True)
    painter = QPainter()
    printed = 0
    try:
        for image, (w_pt, h_pt) in _iter_pages(pdf, dpi / POINTS_PER_INCH):
            if cancelled is not None and cancelled():
                break
            if printed == 0:
                if not painter.begin(printer):
                    raise OSError("De printer kon niet worden gestart.")
            elif not printer.newPage():
                raise OSError("De printer gaf een fout bij een nieuwe pagina.")
            target = QRectF(painter.viewport())
            # keep the page's proportions, centred on the sheet
            scale = min(target.width() / w_pt, target.height() / h_pt)
            w, h = w_pt * scale, h_pt * scale
            rect = QRectF(target.left() + (target.width() - w) / 2, target.top() + (target.height() - h) / 2, w, h)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(rect, image)
            printed += 1
    finally:
        if painter.isActive():
            painter.end()
    return printed


# --- names and captions -------------------------------------------------------------------------


def export_file_name(dossier_nummer: str, versie: int, concept: bool) -> str:
    """No family name in a file name: file lists are seen by more eyes than the file."""
    kind = "concept" if concept else f"versie {versie}"
    return f"Gesprek-adviesverslag {dossier_nummer} {kind}.pdf"


def version_caption(stored: Any, *, lines: bool = False) -> str:
    """'Versie 1 · 12-03-2025 16:42 · kenmerk a1b2c3d4e5f6' for a storage.StoredVersion
    (stored in UTC, shown in local time)."""
    created = stored.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    local = created.astimezone()
    parts = (f"Versie {stored.versie}", f"{local:%d-%m-%Y %H:%M}", f"kenmerk {stored.sha256[:12]}")
    return "\n".join(parts) if lines else " · ".join(parts)


def _centred(text: str, name: str, width: int) -> QLabel:
    """One line, centred, at least ``width`` wide (the page number, the zoom)."""
    made = label(text, name=name, wrap=False)
    made.setMinimumWidth(width)
    made.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return made


# --- the versions list -------------------------------------------------------------------------


class VersionsList(QWidget):
    """Stored finalised versions; ``view_requested(versie)`` on "Bekijken" or double-click."""

    view_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Bewaarde versies")
        heading = label("Versies in de kluis", object_name="subheading", wrap=False)
        self.list = QListWidget()
        self.list.setAccessibleName("Bewaarde definitieve versies")
        self.list.setWordWrap(True)
        self.empty = label("Nog geen definitieve versie bewaard.", name="Geen versies", object_name="hint")
        self.view_button = button(
            "&Bekijken", self._view, name="Bewaarde versie bekijken",
            tip="Toont het verslag precies zoals het bij deze versie is bewaard",
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.view_button)
        self.versions: list[Any] = []
        self.list.currentRowChanged.connect(lambda row: self.view_button.setEnabled(self._has_pdf(row)))
        self.list.itemActivated.connect(lambda _item: self._view())
        self.set_versions([])  # none yet: "Bekijken" disabled

    def _has_pdf(self, row: int) -> bool:
        return 0 <= row < len(self.versions) and bool(self.versions[row].has_pdf)

    def set_versions(self, versions: list[Any]) -> None:
        """``storage.StoredVersion`` records, oldest first (shown newest first)."""
        self.versions = sorted(versions, key=lambda v: v.versie, reverse=True)
        self.list.clear()
        for stored in self.versions:
            text = version_caption(stored, lines=True)
            if not stored.has_pdf:
                text += " · zonder verslag"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, stored.versie)
            item.setToolTip(f"SHA-256: {stored.sha256}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, version_caption(stored))
            self.list.addItem(item)
        self.empty.setVisible(not self.versions)
        self.list.setVisible(bool(self.versions))
        if self.versions:
            self.list.setCurrentRow(0)
        self.view_button.setEnabled(self._has_pdf(self.list.currentRow()))

    def _view(self) -> None:
        row = self.list.currentRow()
        if self._has_pdf(row):
            self.view_requested.emit(self.versions[row].versie)


# --- the preview ---------------------------------------------------------------------------------


class VerslagPreview(QDialog):
    """Pages of a verslag held in memory, with print and an explicit, warned export.

    ``show_dossier(dossier, definitions, settings)`` builds the PDF off the UI thread;
    ``show_pdf(pdf, caption)`` shows given bytes (a stored version). ``tasks`` (the
    application's TaskManager) does all slow work; with ``dossier_id`` a "Versies" list
    reads the vault through ``tasks.run_db``.
    Signals: ``ready(pages)`` when pages are on screen, ``failed(message)``.
    """

    scroll: QScrollArea  # type: ignore[assignment]  # shadows QWidget.scroll(dx, dy); nothing calls that here

    ready = Signal(int)
    failed = Signal(str)
    printed = Signal(int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        tasks: TaskManager,
        dossier_id: UUID | None = None,
        title: str = "Gesprek-adviesverslag",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName("Voorbeeld van het gesprek-adviesverslag")
        self.setObjectName("verslagPreview")
        # Modal: the lock closes open modal windows (they show personal data too).
        self.setModal(True)
        self.resize(1100, 720)
        self.tasks = tasks
        self.dossier_id = dossier_id
        self.pdf: bytes | None = None
        self.images: list[QImage] = []
        self.page_sizes: list[tuple[float, float]] = []
        self.zoom = 1.0
        self.export_name = "Gesprek-adviesverslag.pdf"
        self._generation = 0
        self._rendered_scale = 0.0
        self._printer: QPrinter | None = None
        self._build()
        self._set_busy("Verslag wordt gemaakt…")
        if dossier_id is not None:
            # beside the pages when the screen is wide enough; else behind the "Versies" button
            screen = self.screen().availableGeometry().width() if self.screen() else 1366
            self.versions_button.setChecked(screen >= 1100)
            self.versions.setVisible(screen >= 1100)
            self.refresh_versions()
        else:
            self.versions.hide()
            self.versions_button.hide()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.caption = label(name="Welk verslag", object_name="subheading")

        self.prev_button = button("◀", self.previous_page, name="Vorige pagina", tip="Vorige pagina (PgUp)")
        self.page_label = _centred("", "Paginanummer", 110)
        self.next_button = button("▶", self.next_page, name="Volgende pagina", tip="Volgende pagina (PgDown)")
        self.zoom_out_button = button("−", self.zoom_out, name="Kleiner", tip="Kleiner (Ctrl+-)")
        self.zoom_label = _centred("100 %", "Zoom", 56)
        self.zoom_in_button = button("+", self.zoom_in, name="Groter", tip="Groter (Ctrl++)")
        self.fit_button = button("&Paginabreedte", self.fit_width, name="Zoom op paginabreedte")
        self.print_button = button(
            "&Afdrukken…", self.print_dialog, name="Afdrukken", tip="Drukt het verslag af zonder een bestand te maken",
            object_name="primary",
        )
        self.export_button = button(
            "&Exporteren als PDF…", self.export_pdf, name="Exporteren als PDF",
            tip="Slaat het verslag op als gewoon, niet versleuteld PDF-bestand",
        )
        self.close_button = button("&Sluiten", self.reject, name="Sluiten")

        actions = QHBoxLayout()
        actions.addWidget(self.caption, 1)
        for w in (self.print_button, self.export_button, self.close_button):
            actions.addWidget(w)
        bar = QHBoxLayout()
        for w in (self.prev_button, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        for w in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.versions_button = button(
            "&Versies", name="Bewaarde versies tonen",
            tip="Toont of verbergt de lijst van definitieve versies in de kluis",
        )
        self.versions_button.setCheckable(True)
        bar.addWidget(self.versions_button)

        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("verslagPages")
        self.pages_widget.setStyleSheet("QWidget#verslagPages { background: #7b8794; }")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setContentsMargins(16, 16, 16, 16)
        self.pages_layout.setSpacing(16)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_labels: list[QLabel] = []
        self.scroll = scroll_wrap(self.pages_widget)
        self.scroll.setObjectName("verslagScroll")
        self.scroll.setAccessibleName("Pagina's van het verslag")
        self.scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scroll.verticalScrollBar().valueChanged.connect(self._update_page_label)

        self.status = label(name="Status van het verslag", object_name="hint")

        self.versions = VersionsList()
        self.versions.view_requested.connect(self.view_version)
        self.versions_button.toggled.connect(self.versions.setVisible)
        self.versions.setMinimumWidth(200)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(actions)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.scroll, 1)
        left_layout.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.versions)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
            (QKeySequence.StandardKey.Print, self.print_dialog),
            (QKeySequence(Qt.Key.Key_PageDown), self.next_page),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous_page),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)

        self._rezoom_timer = QTimer(self, singleShot=True, interval=150)
        self._rezoom_timer.timeout.connect(self._render_sharp)

    # --- content ------------------------------------------------------------------------------

    def show_dossier(
        self, dossier: Dossier, definitions: Definitions | None = None, settings: VerslagSettings | None = None
    ) -> None:
        """Build the verslag of (a copy of) ``dossier`` off the UI thread, then show it."""
        from forms.verslag import build_pdf, dossier_nummer

        copy = dossier.model_copy(deep=True)
        if copy.definitief is not None:
            caption = f"Versie {copy.versie}, definitief · kenmerk {copy.definitief.sha256[:12]}"
        else:
            caption = f"Concept van versie {copy.versie} — nog niet definitief"
        self.export_name = export_file_name(dossier_nummer(copy), copy.versie, concept=copy.definitief is None)
        self._generation += 1
        generation = self._generation
        self._set_busy("Verslag wordt gemaakt…")
        self.tasks.run_in_background(
            lambda: build_pdf(copy, definitions, settings),
            lambda pdf: self._built(generation, pdf, caption),
            self._failed,
            owner=self,
        )

    def _built(self, generation: int, pdf: bytes, caption: str) -> None:
        if generation == self._generation:
            self.show_pdf(pdf, caption, _generation=generation)

    def show_pdf(self, pdf: bytes, caption: str = "", *, _generation: int | None = None) -> None:
        """Show PDF bytes (rendered off the UI thread). The bytes are kept as given."""
        if _generation is None:
            self._generation += 1
        generation = self._generation
        self.pdf = bytes(pdf)
        self.caption.setText(caption)
        self._set_busy("Pagina's worden getekend…")
        self._render(generation, self.pdf)

    def _render(self, generation: int, data: bytes) -> None:
        """Rasterise ``data`` at the current zoom on the pool; shown if still current."""
        scale = self._render_scale()
        self.tasks.run_in_background(
            lambda: _render_all(data, scale),
            lambda result: self._rendered(generation, scale, *result),
            self._failed,
            owner=self,
        )

    def _render_scale(self) -> float:
        return self.zoom * SCREEN_DPI / POINTS_PER_INCH * max(1.0, self.devicePixelRatioF())

    def _rendered(self, generation: int, scale: float, images: list[QImage], sizes: list[tuple[float, float]]) -> None:
        if generation != self._generation:
            return
        first = not self.images or len(images) != len(self.page_labels)
        self.images = images
        self.page_sizes = sizes
        self._rendered_scale = scale
        if first:
            self._make_page_labels(len(images))
        self._show_images()
        self._settle_layout()
        self._set_busy("")
        self._update_page_label()
        self.ready.emit(len(images))

    def _failed(self, exc: BaseException) -> None:
        from .errors import log_unexpected, message_for

        try:
            log_unexpected(exc)
        except Exception:  # noqa: BLE001 - logging must not hide the message
            pass
        text = message_for(exc)
        self._set_busy("")
        self.status.setText(f"Het verslag kon niet worden getoond: {text}")
        self.failed.emit(text)

    def _make_page_labels(self, count: int) -> None:
        for page in self.page_labels:
            self.pages_layout.removeWidget(page)
            page.deleteLater()
        self.page_labels = []
        for number in range(1, count + 1):
            page = label(name=f"Pagina {number} van {count}", wrap=False)
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setStyleSheet("background: white;")
            self.pages_layout.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(page)

    def _show_images(self) -> None:
        ratio = max(1.0, self.devicePixelRatioF())
        factor = self.zoom * SCREEN_DPI / POINTS_PER_INCH  # points → pixels at the zoom
        for page, image, (w_pt, h_pt) in zip(self.page_labels, self.images, self.page_sizes, strict=False):
            size = QSize(round(w_pt * factor), round(h_pt * factor))
            pixmap = QPixmap.fromImage(image)
            target = QSize(round(size.width() * ratio), round(size.height() * ratio))
            if pixmap.size() != target:
                pixmap = pixmap.scaled(target, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            pixmap.setDevicePixelRatio(ratio)
            page.setPixmap(pixmap)
            page.setFixedSize(size)
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")

    def _set_busy(self, text: str) -> None:
        self.status.setText(text)
        for pdf_button in (self.print_button, self.export_button):
            pdf_button.setEnabled(self.pdf is not None and self._printer is None)
        for page_button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            page_button.setEnabled(bool(self.images))
        if not self.images:
            self.page_label.setText("")
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)

    # --- pages and zoom --------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return len(self.images)

    @property
    def current_page(self) -> int:
        """1-based page at the middle of the view."""
        if not self.page_labels:
            return 0
        middle = self.scroll.verticalScrollBar().value() + self.scroll.viewport().height() / 2
        for number, page in enumerate(self.page_labels, start=1):
            if page.geometry().bottom() + self.pages_layout.spacing() / 2 >= middle:
                return number
        return len(self.page_labels)

    def _update_page_label(self, *_: object) -> None:
        if self.page_labels:
            self.page_label.setText(f"Pagina {self.current_page} van {self.page_count}")
            self.prev_button.setEnabled(self.current_page > 1)
            self.next_button.setEnabled(self.current_page < self.page_count)

    def go_to_page(self, number: int) -> None:
        if not self.page_labels:
            return
        number = max(1, min(number, len(self.page_labels)))
        self._settle_layout()
        self.scroll.verticalScrollBar().setValue(self.page_labels[number - 1].geometry().top() - 8)
        self._update_page_label()

    def _settle_layout(self) -> None:
        """Apply pending page sizes now, so positions and the scroll range are current."""
        self.pages_layout.activate()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def next_page(self) -> None:
        self.go_to_page(self.current_page + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page - 1)

    def set_zoom(self, zoom: float) -> None:
        zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], zoom))
        if abs(zoom - self.zoom) < 1e-3:
            return
        page = self.current_page
        self.zoom = zoom
        if self.images:
            self._show_images()  # at once, scaled; sharp again after a short pause
            self.go_to_page(page)
            self._rezoom_timer.start()
        self.zoom_label.setText(f"{round(zoom * 100)} %")

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoom + 1e-3), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self.zoom - 1e-3), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        if not self.page_sizes:
            return
        available = self.scroll.viewport().width() - 2 * 16 - 4
        self.set_zoom(available / (self.page_sizes[0][0] * SCREEN_DPI / POINTS_PER_INCH))

    def _render_sharp(self) -> None:
        if self.pdf is None or abs(self._render_scale() - self._rendered_scale) < 1e-3:
            return
        self._generation += 1
        self._render(self._generation, self.pdf)

    # --- print --------------------------------------------------------------------------------

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setDocName(self.export_name.removesuffix(".pdf"))
        printer.setFullPage(True)
        return printer

    def print_dialog(self) -> None:
        """The Qt print dialog, then printing off the UI thread."""
        if self.pdf is None or self._printer is not None:
            return
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Verslag afdrukken")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter, *, max_dpi: int = PRINT_MAX_DPI) -> None:
        """Print on ``printer`` off the UI thread; ``printed(pages)`` when done."""
        if self.pdf is None:
            return
        self._printer = printer  # kept alive until the job is done
        data = self.pdf
        self._set_busy("Bezig met afdrukken…")

        def done(pages: int) -> None:
            self._printer = None
            self._set_busy("")
            self.status.setText(f"Afgedrukt: {pages} pagina's.")
            self.printed.emit(pages)

        def failed(exc: BaseException) -> None:
            self._printer = None
            self._failed(exc)

        # Closing the dialog does not stop the print: the job (and with it the printer) is
        # held by the task manager until its result is back on the UI thread.
        self.tasks.run_in_background(lambda: print_pdf(data, printer, max_dpi=max_dpi), done, failed, owner=self)

    # --- export ---------------------------------------------------------------------------------

    def _ask_save_path(self) -> str:
        from .dutch import documents_folder

        path, _ = QFileDialog.getSaveFileName(
            self, "Verslag exporteren als PDF", documents_folder(self.export_name), "PDF-bestanden (*.pdf)"
        )
        return path

    def _confirm_unencrypted(self, path: str) -> bool:
        text = "Dit bestand wordt niet versleuteld opgeslagen."
        box = QMessageBox(QMessageBox.Icon.Warning, "Niet versleuteld", text, parent=self)
        box.setInformativeText(
            f"Het verslag komt als gewoon PDF-bestand in:\n{path}\n\n"
            "Iedereen die bij deze map kan, kan het lezen. Bewaar het alleen waar dat mag, "
            "en verwijder het als u het niet meer nodig heeft."
        )
        save = box.addButton("Toch opslaan", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        save.setAccessibleName("Toch opslaan, niet versleuteld")
        cancel.setAccessibleName("Annuleren")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is save

    def export_pdf(self) -> str | None:
        """Ask where, warn that the file is not encrypted (with the path), then write it."""
        if self.pdf is None:
            return None
        path = self._ask_save_path()
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        if not self._confirm_unencrypted(path):
            self.status.setText("Niet geëxporteerd.")
            return None
        try:
            Path(path).write_bytes(self.pdf)
        except OSError:
            self.status.setText("Het bestand kon niet worden opgeslagen. Kies een andere map.")
            return None
        self.status.setText(f"Geëxporteerd (niet versleuteld): {path}")
        return path

    # --- versions ----------------------------------------------------------------------------------

    def refresh_versions(self) -> None:
        if self.dossier_id is None:
            return
        dossier_id = self.dossier_id  # the stored versions (without JSON and PDF), oldest first
        self.tasks.run_db(lambda vault: vault.list_versions(dossier_id), self.versions.set_versions, self._failed, owner=self)

    def view_version(self, versie: int) -> None:
        """Show the PDF stored with ``versie`` (the bytes from the vault, not re-rendered)."""
        if self.dossier_id is None:
            return
        from .finalising import load_version_pdf

        dossier_id = self.dossier_id
        stored = next((v for v in self.versions.versions if v.versie == versie), None)
        caption = f"Bewaard in de kluis: {version_caption(stored) if stored else f'versie {versie}'}"
        self._generation += 1
        generation = self._generation  # closed or replaced before the bytes arrive: ignored
        self._set_busy("Bewaarde versie wordt geladen…")
        self.tasks.run_db(
            lambda vault: load_version_pdf(vault, dossier_id, versie),
            lambda pdf: self._built(generation, pdf, caption),
            self._failed,
            owner=self,
        )

    # --- lifecycle ------------------------------------------------------------------------------

    def done(self, result: int) -> None:  # noqa: D401 - QDialog.done
        """Closing drops the pages from memory; late renders are ignored, a running print finishes."""
        self._generation += 1
        super().done(result)
        self.clear()

    def clear(self) -> None:
        self.pdf = None
        self.images = []
        self.page_sizes = []
        for page in self.page_labels:
            page.clear()
        self._make_page_labels(0)
        self.caption.setText("")
        self._set_busy("")
