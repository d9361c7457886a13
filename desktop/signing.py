"""Signing at the kitchen table: the signature pad and the signing panel.

- :class:`SignatureCanvas` is the drawing surface: mouse, pen (``QTabletEvent``) and
  finger (``QTouchEvent``), smooth antialiased strokes (quadratic curves through the
  midpoints), dark ink on white. ``to_png()`` gives PNG bytes made in memory
  (``QBuffer``), transparent around the ink, trimmed to it and at most
  :data:`MAX_PNG_SIZE`.
- :class:`SignaturePad` is the canvas with its "Wissen" button and the note that a
  signature cannot be drawn with the keyboard (the alternative is "Wil niet tekenen"
  with a reason, on the card).
- :class:`SignerCard` is one person who signs: name, place, date, the pad, and
  "Wil niet tekenen" with a reason (required when ticked).
- :class:`SigningPanel` shows the consent statements the parents agree to
  (:func:`consent_statements`), then one card per adult at the table and one for the
  wijkcoach; it sets ``dossier.handtekeningen`` through the dossier's document, so a
  stroke, a name or a refusal is an undo step like any other edit (keystrokes in one
  field merge into one), and follows an undo or a colleague's change
  (:meth:`SigningPanel.follow`). Read-only for a finalised dossier.

Nothing here touches storage or does slow work; finalising is
:mod:`desktop.finalising` (run on the vault thread).
"""

from __future__ import annotations

import datetime as dt
import itertools
from html import escape
from typing import Any
from uuid import UUID, uuid4

from pydantic import ValidationError
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forms import Consent, Dossier, Member, Signature

from .binder import is_undo_key
from .document import DossierDocument
from .steps.base import apply_read_only
from .widgets import ErrorLabel, button, error_messages, from_qdate, label, make_date_edit, notice_label

__all__ = [
    "INK",
    "MAX_PNG_SIZE",
    "SignatureCanvas",
    "SignaturePad",
    "SignerCard",
    "SigningPanel",
    "consent_statements",
    "signers",
]

INK = QColor("#14213d")  # dark blue-black ink
PEN_WIDTH = 2.6  # logical pixels
MAX_PNG_SIZE = QSize(1200, 400)  # the exported signature never gets bigger than this
EXPORT_SCALE = 2.0  # export at twice the screen size: crisp on paper
KEYBOARD_NOTE = (
    "Teken met de muis, een pen of uw vinger. Met het toetsenbord kunt u niet tekenen: "
    "kies dan ‘Wil niet tekenen’ en vul de reden in."
)


# --- consent statements ----------------------------------------------------------------


def _lower_first(text: str) -> str:
    """'Verzuim en gedrag' -> 'verzuim en gedrag' (not for 'GGZ' or 'DUO-gegevens')."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _party(name: str, detail: str) -> str:
    if not detail:
        return name
    return f"{name}, {detail}," if "(" in detail or name.endswith(")") else f"{name} ({detail})"


def consent_statements(dossier: Dossier) -> list[str]:
    """One plain-Dutch sentence per partner and network person: what the family agrees to."""
    parties: list[tuple[str, Consent | None]] = []
    for p in dossier.partners:
        parties.append((_party(p.organisatie, p.rol), p.toestemming))
    for n in dossier.netwerk:
        parties.append((_party(n.naam, n.relatie), n.toestemming))
    out: list[str] = []
    for who, consent in parties:
        who_inner = who.rstrip(",")
        if consent is None:
            out.append(
                f"Over {who_inner} is nog niets afgesproken: wij nemen geen contact op en delen "
                "geen informatie zonder uw toestemming."
            )
            continue
        scope = _lower_first(consent.reikwijdte.strip().rstrip("."))
        share = f"informatie over {scope}" if scope else "informatie"
        if consent.contact_toegestaan and consent.delen_toegestaan:
            text = f"U geeft toestemming dat wij contact opnemen met {who} en daar {share} delen."
        elif consent.contact_toegestaan:
            text = f"U geeft toestemming dat wij contact opnemen met {who}, maar wij delen daar geen informatie."
        elif consent.delen_toegestaan:
            text = f"Wij nemen zelf geen contact op met {who}; u geeft wel toestemming dat wij daar {share} delen."
        else:
            text = f"U geeft geen toestemming voor contact met {who}: wij nemen geen contact op en delen geen informatie."
        out.append(" ".join(text.replace(",,", ",").replace(", en", " en").split()))
    return out


# --- who signs ---------------------------------------------------------------------------


def signers(dossier: Dossier) -> list[Member]:
    """The adults at the table, in household order (``gesprek.aanwezig`` ∩ adults)."""
    present = set(dossier.gesprek.aanwezig)
    return [m for m in dossier.adults() if m.id in present]


# --- the canvas --------------------------------------------------------------------------


def _stroke_path(points: list[QPointF]) -> QPainterPath:
    """A smooth path through the points: quadratic curves with the midpoints as ends."""
    path = QPainterPath()
    if not points:
        return path
    path.moveTo(points[0])
    if len(points) == 1:  # a dot
        path.lineTo(points[0] + QPointF(0.01, 0.01))
        return path
    for previous, current in itertools.pairwise(points):
        mid = (previous + current) / 2
        path.quadTo(previous, mid)
    path.lineTo(points[-1])
    return path


class SignatureCanvas(QWidget):
    """The surface that is drawn on. ``changed`` after every finished stroke and on clear."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[QPointF]] = []
        self._current: list[QPointF] | None = None
        self._done_path = QPainterPath()  # all finished strokes, cached
        self._image: QImage | None = None  # a signature loaded from the dossier
        self._image_png: bytes | None = None
        self._png_cache: bytes | None = None
        self._read_only = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumSize(260, 130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(150)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do here with the keyboard
        self.setAccessibleName("Handtekening")
        self.setAccessibleDescription(KEYBOARD_NOTE)

    # --- state -----------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self._strokes and self._current is None and self._image is None

    def clear(self) -> None:
        had = not self.is_empty()
        self._strokes = []
        self._current = None
        self._done_path = QPainterPath()
        self._image = None
        self._image_png = None
        self._png_cache = None
        self.update()
        if had:
            self.changed.emit()

    def set_png(self, png: bytes | None) -> None:
        """Show a stored signature (no signal). ``to_png`` returns these bytes unchanged
        until something is drawn on top."""
        self._strokes = []
        self._current = None
        self._done_path = QPainterPath()
        self._png_cache = None
        self._image = None
        self._image_png = None
        if png:
            image = QImage.fromData(QByteArray(png))
            if not image.isNull():
                self._image = image
                self._image_png = bytes(png)
        self.update()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if read_only:
            self._current = None
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)
        self.update()

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def stroke_count(self) -> int:
        return len(self._strokes)

    # --- drawing input ------------------------------------------------------------------

    def _begin(self, pos: QPointF) -> None:
        if self._read_only or not self.isEnabled():
            return
        self._current = [QPointF(pos)]
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._current is None:
            return
        last = self._current[-1]
        if abs(last.x() - pos.x()) + abs(last.y() - pos.y()) < 1.0:
            return  # too close to the last point: no jitter
        self._current.append(QPointF(pos))
        self.update()

    def _end(self, pos: QPointF | None = None) -> None:
        if self._current is None:
            return
        if pos is not None:
            self._extend(pos)
        stroke, self._current = self._current, None
        self._strokes.append(stroke)
        self._done_path.addPath(_stroke_path(stroke))
        self._png_cache = None
        self.update()
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        """A pen: accepted, so Qt does not also send the synthesised mouse events."""
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()

    def event(self, event: Any) -> bool:  # noqa: D401 - touch arrives through event(): a QTouchEvent typed as QEvent
        kind = event.type()
        touch = (event.Type.TouchBegin, event.Type.TouchUpdate, event.Type.TouchEnd, event.Type.TouchCancel)
        if kind in touch:
            points = event.points()
            pos = points[0].position() if points else None
            if kind == event.Type.TouchBegin and pos is not None:
                self._begin(pos)
            elif kind == event.Type.TouchUpdate and pos is not None:
                self._extend(pos)
            elif kind == event.Type.TouchEnd:
                self._end(pos)
            else:  # cancelled: drop the unfinished stroke
                self._current = None
                self.update()
            event.accept()
            return True
        return super().event(event)

    # --- painting -----------------------------------------------------------------------

    def _pen(self) -> QPen:
        pen = QPen(INK, PEN_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _image_rect(self) -> QRectF:
        """Where a loaded signature is shown: fitted into the canvas, on the line, left."""
        if self._image is None:
            return QRectF()
        area = QRectF(self.rect()).adjusted(16, 10, -16, -(self.height() * 0.28) + 8)
        w, h = self._image.width(), self._image.height()
        # exported at EXPORT_SCALE: shown at the size it was drawn, smaller when it must
        scale = min(area.width() / w, area.height() / h, 1.0 / EXPORT_SCALE)
        return QRectF(area.left(), area.bottom() - h * scale, w * scale, h * scale)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        inactive = self._read_only or not self.isEnabled()
        painter.fillRect(self.rect(), QColor("#f0f0ec") if inactive else QColor("white"))
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(QColor("#9aa5b1"), 1))
        painter.drawRect(frame)
        # the line to sign on, with a cross at its start
        base_y = self.height() * 0.72
        guide = QPen(QColor("#9aa5b1"), 1)
        painter.setPen(guide)
        painter.drawLine(QPointF(16, base_y), QPointF(self.width() - 16, base_y))
        painter.drawLine(QPointF(18, base_y - 12), QPointF(26, base_y - 4))
        painter.drawLine(QPointF(26, base_y - 12), QPointF(18, base_y - 4))
        if self.is_empty():
            painter.setPen(QColor("#7b8794"))
            text = "Niet getekend" if inactive else "Teken hier"
            painter.drawText(
                QRectF(0, base_y + 4, self.width(), self.height() - base_y - 4),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                text,
            )
        if self._image is not None:
            painter.drawImage(self._image_rect(), self._image)
        painter.setPen(self._pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._done_path)
        if self._current:
            painter.drawPath(_stroke_path(self._current))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._png_cache = None  # a loaded image is re-fitted
        super().resizeEvent(event)

    # --- export -------------------------------------------------------------------------

    def ink_rect(self) -> QRectF:
        """The bounding box of the ink (and a loaded signature), in widget coordinates."""
        rect = QRectF()
        if not self._done_path.isEmpty():
            rect = self._done_path.boundingRect()
        if self._image is not None:
            rect = rect.united(self._image_rect()) if not rect.isNull() else self._image_rect()
        return rect

    def to_png(self) -> bytes | None:
        """The signature as PNG bytes (in memory), trimmed to the ink; None when empty."""
        if not self._strokes:
            return self._image_png  # a stored signature, unchanged (or None)
        if self._png_cache is not None:
            return self._png_cache
        margin = PEN_WIDTH + 4
        box = self.ink_rect().adjusted(-margin, -margin, margin, margin)
        scale = EXPORT_SCALE
        scale = min(scale, MAX_PNG_SIZE.width() / box.width(), MAX_PNG_SIZE.height() / box.height())
        width = max(1, round(box.width() * scale))
        height = max(1, round(box.height() * scale))
        # transparent around the ink: on paper it sits on the signature line, not in a white box
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.scale(scale, scale)
        painter.translate(-box.left(), -box.top())
        if self._image is not None:
            painter.drawImage(self._image_rect(), self._image)
        painter.setPen(self._pen())
        painter.drawPath(self._done_path)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        self._png_cache = bytes(data.data())
        return self._png_cache

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, 150)


class SignaturePad(QWidget):
    """The canvas with "Wissen" and the keyboard note. ``changed`` when the drawing changed."""

    changed = Signal()

    def __init__(self, signer_name: str = "", parent: QWidget | None = None, *, show_note: bool = True) -> None:
        super().__init__(parent)
        self.canvas = SignatureCanvas()
        self.clear_button = button("Wissen", self.clear, tip="Wis de handtekening en teken opnieuw")
        self.note = label(KEYBOARD_NOTE, name="Uitleg bij tekenen", object_name="hint")
        self.note.setVisible(show_note)  # the panel shows it once above all cards
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.canvas)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        if not show_note:
            row.addStretch(1)
        row.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.canvas.changed.connect(self._canvas_changed)
        self.set_signer_name(signer_name)
        self._update_button()

    def set_signer_name(self, name: str) -> None:
        who = f" van {name}" if name else ""
        self.canvas.setAccessibleName(f"Handtekening{who}")
        self.clear_button.setAccessibleName(f"Handtekening{who} wissen")
        self.setAccessibleName(f"Handtekening{who}")

    def is_empty(self) -> bool:
        return self.canvas.is_empty()

    def to_png(self) -> bytes | None:
        return self.canvas.to_png()

    def set_png(self, png: bytes | None) -> None:
        self.canvas.set_png(png)
        self._update_button()

    def clear(self) -> None:
        self.canvas.clear()
        self._update_button()

    def set_read_only(self, read_only: bool) -> None:
        self.canvas.set_read_only(read_only)
        self._update_button()

    def _canvas_changed(self) -> None:
        self._update_button()
        self.changed.emit()

    def _update_button(self) -> None:
        self.clear_button.setEnabled(not self.canvas.read_only and not self.canvas.is_empty())


# --- one signer --------------------------------------------------------------------------


class SignerCard(QFrame):
    """One person who signs: name, place, date, pad, and "Wil niet tekenen" with a reason."""

    changed = Signal()

    def __init__(
        self,
        *,
        member_id: UUID | None,
        naam: str,
        rol: str,
        plaats: str,
        datum: dt.date,
        existing: Signature | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.member_id = member_id
        self.rol = rol
        self.signature_id = existing.id if existing is not None else uuid4()
        self._read_only = False
        self.setObjectName("signerCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#signerCard { background: white; border: 1px solid #cbd2d9; border-radius: 4px; }"
        )
        display = naam or rol

        self.title = QLabel(f"<b>{escape(display)}</b> · {escape(rol)}")
        self.title.setAccessibleName(f"Ondertekenaar: {display}")
        self.name_edit = QLineEdit(existing.naam if existing else naam)
        self.name_edit.setPlaceholderText("Naam")
        self.place_edit = QLineEdit(existing.plaats if existing else plaats)
        self.place_edit.setPlaceholderText("Plaats")
        self.date_edit = make_date_edit(existing.datum if existing else datum)
        self.refuse_check = QCheckBox("Wil niet tekenen")
        self.reason_edit = QLineEdit(existing.weigering_reden if existing else "")
        self.reason_edit.setPlaceholderText("Waarom niet? (verplicht)")
        self.pad = SignaturePad(display, show_note=False)
        self.status = label(object_name="hint")
        self.error = ErrorLabel()
        self.error.field = self.reason_edit
        self._set_names(display)

        # No Alt letters in a card: there is one per signer, so each letter would be used
        # several times in the window (Tab reaches every field).
        fields = QGridLayout()
        fields.setHorizontalSpacing(8)
        fields.setVerticalSpacing(6)
        self.reason_label = QLabel("Reden:")
        rows = (("Naam:", self.name_edit), ("Plaats:", self.place_edit), ("Datum:", self.date_edit))
        for row, (text, widget) in enumerate(rows):
            caption = QLabel(text)
            caption.setBuddy(widget)
            fields.addWidget(caption, row, 0)
            fields.addWidget(widget, row, 1)
        fields.addWidget(self.refuse_check, 3, 0, 1, 2)
        self.reason_label.setBuddy(self.reason_edit)
        fields.addWidget(self.reason_label, 4, 0)
        fields.addWidget(self.reason_edit, 4, 1)
        fields.addWidget(self.error, 5, 0, 1, 2)
        fields.addWidget(self.status, 6, 0, 1, 2)
        fields.setRowStretch(7, 1)
        fields.setColumnStretch(1, 1)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(fields)
        outer = self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(16)
        outer.addLayout(left, 2)
        outer.addWidget(self.pad, 3)

        if existing is not None:
            self.refuse_check.setChecked(bool(existing.weigering_reden))
            self.pad.set_png(existing.afbeelding_png)
        self._sync_enabled()

        self.name_edit.textChanged.connect(self._edited)
        self.place_edit.textChanged.connect(self._edited)
        self.date_edit.dateChanged.connect(self._edited)
        self.reason_edit.textChanged.connect(self._edited)
        self.refuse_check.toggled.connect(self._refuse_toggled)
        self.pad.changed.connect(self._edited)
        self._refresh_status()

    WIDE = 720  # below this width the pad goes under the fields (200 % scaling, small screens)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        wide = event.size().width() >= self.WIDE
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._outer.direction() != direction:
            self._outer.setDirection(direction)
        super().resizeEvent(event)

    def _set_names(self, display: str) -> None:
        for widget, name in (
            (self, "Ondertekenen door {}"), (self.name_edit, "Naam van {}"),
            (self.place_edit, "Plaats van ondertekenen, {}"), (self.date_edit, "Datum van ondertekenen, {}"),
            (self.refuse_check, "{} wil niet tekenen"), (self.reason_edit, "Reden waarom {} niet tekent"),
            (self.status, "Stand van de handtekening van {}"), (self.error, "Foutmelding bij {}"),
        ):
            widget.setAccessibleName(name.format(display))

    # --- state ------------------------------------------------------------------------

    @property
    def refused(self) -> bool:
        return self.refuse_check.isChecked()

    def _sync_enabled(self) -> None:
        editable = not self._read_only
        for widget in (self.reason_label, self.reason_edit):
            widget.setVisible(self.refused)
        self.reason_edit.setEnabled(editable and self.refused)
        self.reason_edit.setReadOnly(not editable)
        self.pad.set_read_only(not editable or self.refused)

    def _refuse_toggled(self, checked: bool) -> None:
        self._sync_enabled()
        if checked:
            self.reason_edit.setFocus()
        self._edited()

    def _edited(self, *_: object) -> None:
        self._refresh_status()
        self.changed.emit()

    def problems(self) -> list[str]:
        """What stops this card from being a valid signature or refusal (Dutch)."""
        name = self.name_edit.text().strip()
        out: list[str] = []
        if self.refused and not self.reason_edit.text().strip():
            out.append(f"Vul in waarom {name or 'deze persoon'} niet wil tekenen.")
        if (self.refused or not self.pad.is_empty()) and not name:
            out.append("Vul de naam in van wie tekent.")
        return out

    def signature(self) -> Signature | None:
        """A ``Signature`` when signed or refused with a reason; None while open or invalid."""
        if self.problems():
            return None
        refused = self.refused
        if not refused and self.pad.is_empty():
            return None
        try:
            return Signature(
                id=self.signature_id,
                member_id=self.member_id,
                naam=self.name_edit.text().strip(),
                plaats=self.place_edit.text().strip(),
                datum=from_qdate(self.date_edit.date()),
                afbeelding_png=None if refused else self.pad.to_png(),
                weigering_reden=self.reason_edit.text().strip() if refused else "",
            )
        except ValidationError as exc:
            self.error.show_messages(error_messages(exc))
            return None

    @property
    def state(self) -> str:
        """"getekend", "geweigerd", "open" or "onvolledig"."""
        if self.problems():
            return "onvolledig"
        if self.refused:
            return "geweigerd"
        return "open" if self.pad.is_empty() else "getekend"

    def _refresh_status(self) -> None:
        # "reason required" shows as soon as the box is ticked while the reason is empty
        self.error.show_messages(self.problems())
        state = self.state
        self.status.setText(
            {
                "getekend": "✓ Getekend",
                "geweigerd": "Wil niet tekenen (reden vastgelegd)",
                "open": "Niet getekend" if self._read_only else "Nog niet getekend",
                "onvolledig": "",
            }[state]
        )

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for edit in (self.name_edit, self.place_edit, self.reason_edit):
            edit.setReadOnly(read_only)
        self.date_edit.setReadOnly(read_only)
        self.refuse_check.setEnabled(not read_only)
        self._sync_enabled()
        self._refresh_status()

    def focus(self) -> None:
        if self.refused:
            self.reason_edit.setFocus()
        else:
            self.name_edit.setFocus()


# --- the panel -----------------------------------------------------------------------------


class SigningPanel(QWidget):
    """Consent statements, then one card per adult at the table and one for the wijkcoach.

    ``wijkcoach``: the name prefilled on the wijkcoach's card (default: the regisseur's
    name when the regisseur is the wijkcoach). ``today``: the date prefilled on new cards.

    Sets ``handtekeningen`` through the document (one ``Signature`` per card that is
    signed or refused with a reason; signatures of people without a card are kept) and
    emits ``changed`` only when the list really changed; ``edited`` after every edit on
    a card (then ``problems()`` may have changed, e.g. "wil niet tekenen" ticked without a
    reason). Read-only when the dossier is final.
    """

    changed = Signal()  # dossier.handtekeningen was changed (one undo step, autosaved)
    edited = Signal()  # any edit on a card, also one that changes nothing yet (re-check problems())

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        wijkcoach: str = "",
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.wijkcoach = wijkcoach
        self.today = today
        self.dossier: Dossier | None = None
        self.document: DossierDocument | None = None
        self.cards: list[SignerCard] = []
        self.read_only = False
        self._typed_in: QWidget | None = None  # the text field the last edit was typed in
        self.setAccessibleName("Toestemming en handtekeningen")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.consent_intro = label(
            "Lees dit samen voor. Met hun handtekening zeggen de ouders dat het verslag klopt "
            "en dat zij hiervoor toestemming geven:"
        )
        self.consent_label = label(name="Toestemming")
        self.consent_label.setTextFormat(Qt.TextFormat.RichText)
        self.consent_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyboard_note = label(KEYBOARD_NOTE, name="Uitleg bij tekenen", object_name="hint")
        self.absent_label = notice_label("")
        self.absent_label.setAccessibleName("Niet aanwezig bij ondertekenen")
        self.absent_label.hide()
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(10)
        self.summary = label(name="Stand van de handtekeningen", object_name="hint")
        for part in (
            label("Waar de ouders toestemming voor geven", object_name="subheading", wrap=False),
            self.consent_intro, self.consent_label,
            label("Handtekeningen", object_name="subheading", wrap=False),
            self.keyboard_note, self.absent_label, self.cards_box, self.summary,
        ):
            layout.addLayout(part) if isinstance(part, QVBoxLayout) else layout.addWidget(part)

    # --- model -> view -------------------------------------------------------------------

    def set_dossier(self, dossier: Dossier, document: DossierDocument | None = None) -> None:
        """Show ``dossier``, edited through ``document`` (a document of its own when none
        is given or it holds another dossier: a panel on its own, in a test)."""
        if document is None or document.dossier is not dossier:
            document = DossierDocument(dossier, parent=self)
        self.dossier, self.document = dossier, document
        self._render_consents()
        self._rebuild_cards()
        self.set_read_only(dossier.definitief is not None or self.read_only)

    def _render_consents(self) -> None:
        d = self.dossier
        assert d is not None
        lines = consent_statements(d)
        if lines:
            items = "".join(f"<li style='margin-bottom:4px'>{escape(t)}</li>" for t in lines)
            self.consent_label.setText(f"<ul style='margin-left:-20px'>{items}</ul>")
        else:
            self.consent_label.setText("<i>Er zijn geen andere betrokkenen vastgelegd: wij nemen met niemand contact op.</i>")
        self.consent_label.setAccessibleDescription(" ".join(lines))

    def _rebuild_cards(self) -> None:
        d = self.dossier
        assert d is not None
        for card in self.cards:
            self.cards_box.removeWidget(card)
            card.hide()
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        existing = {s.member_id: s for s in d.handtekeningen}
        today = self.today or dt.date.today()
        plaats = d.huishouden.adres.plaats  # the town; gesprek.plaats says "thuis" or so
        people = signers(d)
        for m in people:
            self._add_card(
                SignerCard(member_id=m.id, naam=m.naam, rol=m.rol.label, plaats=plaats, datum=today, existing=existing.get(m.id))
            )
        coach = existing.get(None)
        regisseur = d.plan.regisseur
        coach_name = self.wijkcoach or (regisseur.naam if regisseur and regisseur.soort == "wijkcoach" else "")
        self._add_card(
            SignerCard(
                member_id=None,
                naam=coach_name,
                rol="Wijkcoach",
                plaats=plaats,
                datum=today,
                existing=coach,
            )
        )
        present = {m.id for m in people}
        absent = [m.voornaam for m in d.adults() if m.id not in present]
        if absent:
            names = ", ".join(absent)
            self.absent_label.setText(
                f"Niet aan tafel: {names}. Wie er niet bij was, tekent hier niet; zet de aanwezigheid "
                "zo nodig goed bij Huishouden."
            )
        self.absent_label.setVisible(bool(absent))
        self._refresh_summary()

    def _add_card(self, card: SignerCard) -> None:
        card.changed.connect(self._card_changed)
        for edit in (card.name_edit, card.place_edit, card.reason_edit, card.date_edit):
            edit.installEventFilter(self)  # Ctrl+Z undoes the dossier's last step, not the field's
        self.cards.append(card)
        self.cards_box.addWidget(card)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.ShortcutOverride and is_undo_key(event):
            event.ignore()  # the shortcut goes to the window's undo action
            return True
        return False

    def follow(self) -> None:
        """After a change of the document: when the dossier's signatures are no longer
        what the cards hold (an undo, a redo, a colleague's change), show them anew."""
        if self.dossier is not None and self._wanted() != self.dossier.handtekeningen:
            self._rebuild_cards()
            self.set_read_only(self.read_only)

    # --- view -> model -------------------------------------------------------------------

    def _card_changed(self) -> None:
        card = self.sender()
        self.write(card if isinstance(card, SignerCard) else None)
        self._refresh_summary()
        self.edited.emit()

    def signatures(self) -> list[Signature]:
        """The signatures as the cards hold them now (without writing anything)."""
        out: list[Signature] = []
        for card in self.cards:
            sig = card.signature()
            if sig is not None:
                out.append(sig)
        return out

    def _wanted(self) -> list[Signature]:
        """The dossier's signatures as the cards have them (people without a card kept)."""
        assert self.dossier is not None
        carded = {card.member_id for card in self.cards}
        return self.signatures() + [s for s in self.dossier.handtekeningen if s.member_id not in carded]

    def write(self, card: SignerCard | None = None) -> bool:
        """Set the cards' signatures as ``handtekeningen``, one undo step named after
        ``card`` (typing in one field is one step); True when it changed."""
        d, document = self.dossier, self.document
        if d is None or document is None or self.read_only or d.definitief is not None:
            return False
        new = self._wanted()
        if new == d.handtekeningen:
            return False
        focus = QApplication.focusWidget()
        typing = isinstance(focus, (QLineEdit, QAbstractSpinBox)) and self.isAncestorOf(focus)
        if focus is not self._typed_in:
            document.end_typing()
        self._typed_in = focus if typing else None
        who = card.name_edit.text().strip() or card.rol if card is not None else ""
        try:
            document.set(("handtekeningen",), new, label=f"handtekening van {who}" if who else "handtekeningen",
                         typing=typing)
        except ValidationError:  # pragma: no cover (each Signature validated already)
            return False
        self.changed.emit()
        return True

    def problems(self) -> list[str]:
        return [p for card in self.cards for p in card.problems()]

    def open_signers(self) -> list[str]:
        """Who has neither signed nor refused with a reason yet."""
        return [card.name_edit.text() or "Wijkcoach" for card in self.cards if card.state in ("open", "onvolledig")]

    def _refresh_summary(self) -> None:
        total = len(self.cards)
        done = sum(1 for c in self.cards if c.state in ("getekend", "geweigerd"))
        text = f"{done} van {total} handtekeningen vastgelegd."
        if self.problems():
            text += " Nog niet alles is goed ingevuld."
        self.summary.setText(text)

    # --- contract --------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.keyboard_note.setVisible(not read_only)
        apply_read_only(self, read_only)
        for card in self.cards:
            card.set_read_only(read_only)

    def card_for(self, member_id: UUID | None) -> SignerCard | None:
        return next((c for c in self.cards if c.member_id == member_id), None)

    def focus_signer(self, member_id: UUID | None) -> None:
        card = self.card_for(member_id)
        if card is not None:
            card.focus()
