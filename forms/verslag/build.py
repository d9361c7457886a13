"""The gesprek-adviesverslag as a PDF, built in memory with reportlab.

One function, :func:`build_pdf`, turns a dossier into the bytes of an A4 letter in plain
Dutch that the parents read and sign at the kitchen table. The same input gives the
same bytes (reportlab's invariant mode, a creation date taken from the dossier), so a
stored copy can be compared with a fresh render.

This module holds the intake's gesprek-adviesverslag and what every document of a
dossier shares (:func:`render_document`, the building blocks, :class:`_Verslag`'s
sections); the evaluatie's and afsluiting's verslagen and the veiligheidsplan build on
it in :mod:`forms.verslag.vervolg`.

Nothing is written to disk: no temp files, the fonts come from ``resources/fonts``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from forms.glossary import term

from ..models import (
    ContactStatus,
    Dossier,
    GesprekSoort,
    Member,
    RiskLater,
    Role,
    SafetyAssessment,
    SafetyNow,
    Signature,
    Voice,
)
from .fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts
from .lookup import Lookup, default_definitions
from .settings import VerslagSettings
from .shaping import Para, draw_line, markup

__all__ = [
    "SECTION_HEADINGS",
    "SOORT_TITEL",
    "build_pdf",
    "dossier_nummer",
    "render_document",
    "verslag_hash",
]

# The section headings, in the order they appear. Every verslag prints all of them,
# also when a section is still empty (it then says so), so nothing goes missing quietly.
SECTION_HEADINGS: tuple[str, ...] = (
    "Het gesprek",
    "Het gezin en wie erbij waren",
    "Uw hulpvraag",
    "Zorgen en krachten per leefgebied",
    "Zelfredzaamheid",
    "Veiligheid van de kinderen",
    "Wat er speelt",
    "Waar we naartoe willen",
    "Doelen en afspraken",
    "Uw regisseur",
    "Familiegroepsplan",
    "Toestemming",
    "Handtekeningen",
    "Controlecode",
)

# --- look ---------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 30 * mm
MARGIN_BOTTOM = 22 * mm
TEXT_W = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1E2A35")
ACCENT = colors.HexColor("#1F4E6B")
MUTED = colors.HexColor("#5B6B78")
RULE = colors.HexColor("#C7D2DB")
TINT = colors.HexColor("#EEF3F7")
SERIES = [
    colors.HexColor("#1F4E6B"),
    colors.HexColor("#7FA8C4"),
    colors.HexColor("#C08A2B"),
    colors.HexColor("#6E8B5B"),
    colors.HexColor("#8C6D8F"),
    colors.HexColor("#4C7A7A"),
]

READ_BEFORE_SIGNING = (
    "Lees het rustig door. Klopt er iets niet, of mist er iets? Zeg het dan voordat u tekent."
)

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8.8, leading=11.8),
        "cell_b": ParagraphStyle("cell_b", base, fontName=FONT_BOLD, fontSize=8.8, leading=11.8),
        "cell_head": ParagraphStyle(
            "cell_head", base, fontName=FONT_BOLD, fontSize=8.3, leading=11, textColor=ACCENT
        ),
        "cell_muted": ParagraphStyle(
            "cell_muted", base, fontName=FONT_ITALIC, fontSize=8.5, leading=11.5, textColor=MUTED
        ),
        "title": ParagraphStyle(
            "title", base, fontName=FONT_BOLD, fontSize=19, leading=24, textColor=ACCENT
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=12.5, leading=17, textColor=INK),
        "h1": ParagraphStyle(
            "h1", base, fontName=FONT_BOLD, fontSize=12.5, leading=16, textColor=ACCENT,
            spaceBefore=15, spaceAfter=5, keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2", base, fontName=FONT_BOLD, fontSize=10, leading=13.5, textColor=INK,
            spaceBefore=8, spaceAfter=2, keepWithNext=1,
        ),
        "lead": ParagraphStyle("lead", base, fontSize=10, leading=14.5, spaceAfter=4),
        "quote": ParagraphStyle(
            "quote", base, fontName=FONT_ITALIC, fontSize=10, leading=14.5, leftIndent=10,
        ),
        "hash": ParagraphStyle("hash", base, fontName=FONT_BOLD, fontSize=8.6, leading=12),
        "sig": ParagraphStyle("sig", base, fontSize=8.8, leading=12),
    }


# --- text helpers ---------------------------------------------------------------------


def _nfc(text: str) -> str:
    # One code point per letter where Unicode has one: reportlab does not position
    # combining marks, so "e" + U+0302 + U+0303 would print as three loose glyphs.
    return unicodedata.normalize("NFC", text)


def _t(text: str) -> str:
    """User text as Paragraph markup: NFC, XML-escaped, line breaks kept, each run in
    a script the main font lacks in the fallback font that has it (``shaping.markup``)."""
    return markup(text)


def datum(d: dt.date | None) -> str:
    if d is None:
        return "–"
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def _join(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def dossier_nummer(dossier: Dossier) -> str:
    """The short dossier number printed on every page: the UUID's first 8 hex digits."""
    return dossier.id.hex[:8].upper()


def verslag_hash(dossier: Dossier) -> str:
    """The full SHA-256 the verslag prints: the finalised hash, else the content hash now."""
    if dossier.definitief is not None:
        return dossier.definitief.sha256
    from ..finalise import content_hash  # lazily: forms.finalise imports the rules

    return content_hash(dossier)


# --- page furniture ----------------------------------------------------------------------


class _VerslagCanvas(Canvas):
    """Holds pages back until the end, so every page can say "pagina x van y"."""

    def __init__(self, *args: Any, pdf_date: str, footer_left: str, **kwargs: Any) -> None:
        kwargs["initialFontName"] = FONT  # no Helvetica, not even in the page preamble
        super().__init__(*args, **kwargs)
        self.setDateFormatter(lambda *_: pdf_date)
        self._footer_left = footer_left
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        self.saveState()
        y = MARGIN_BOTTOM - 11 * mm
        self.setStrokeColor(RULE)
        self.setLineWidth(0.6)
        self.line(MARGIN_X, y + 9.5, PAGE_W - MARGIN_X, y + 9.5)
        self.setFillColor(MUTED)
        self.setFont(FONT, 7.8)
        draw_line(self, MARGIN_X, y, self._footer_left, FONT, 7.8)
        self.setFont(FONT, 7.8)
        self.drawRightString(PAGE_W - MARGIN_X, y, f"pagina {number} van {total}")
        self.restoreState()


def _pdf_date(dossier: Dossier) -> str:
    if dossier.definitief is not None:
        op = dossier.definitief.op
        if op.tzinfo is not None:
            op = op.astimezone(dt.UTC)
        stamp = op.replace(tzinfo=None)
    else:
        stamp = dt.datetime.combine(dossier.gesprek.datum, dt.time(0, 0))
    return stamp.strftime("D:%Y%m%d%H%M%S+00'00'")


def _header(
    settings: VerslagSettings, soort: str, titel: str, concept: bool, first: bool
) -> Callable[[Canvas, Any], None]:
    """The letterhead; later pages name the document (``soort``) and the family."""
    gemeente, team = _nfc(settings.gemeente), _nfc(settings.team)
    titel = _nfc(titel)

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        top = PAGE_H - 14 * mm
        # A quiet accent bar at the left edge of the letterhead.
        canvas.setFillColor(ACCENT)
        canvas.rect(MARGIN_X, top - 10.5 * mm + 1, 1.4 * mm, 10.5 * mm, stroke=0, fill=1)
        x = MARGIN_X + 4 * mm
        canvas.setFillColor(ACCENT)
        canvas.setFont(FONT_BOLD, 12 if first else 10)
        draw_line(canvas, x, top - 4 * mm, gemeente, FONT_BOLD, 12 if first else 10)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 9 if first else 8)
        draw_line(canvas, x, top - 8.6 * mm, team, FONT, 9 if first else 8)
        right = PAGE_W - MARGIN_X
        canvas.setFont(FONT, 8)
        if first:
            lines = []
            if settings.team_telefoon:
                lines.append(f"Telefoon {_nfc(settings.team_telefoon)}")
            if settings.team_email:
                lines.append(_nfc(settings.team_email))
        else:
            lines = [f"{soort} · {titel}"]
        for i, line in enumerate(lines):
            draw_line(canvas, right, top - 4 * mm - i * 4.6 * mm, line, FONT, 8, align="right")
        if concept:
            label = "CONCEPT – nog niet definitief"
            canvas.setFont(FONT_BOLD, 7.2)
            w = canvas.stringWidth(label, FONT_BOLD, 7.2) + 8
            h = 10.5
            y = top - 4 * mm - len(lines) * 4.6 * mm - 1.5
            canvas.setFillColor(colors.HexColor("#FBF3E4"))
            canvas.setStrokeColor(colors.HexColor("#C08A2B"))
            canvas.setLineWidth(0.6)
            canvas.roundRect(right - w, y, w, h, 2, stroke=1, fill=1)
            canvas.setFillColor(colors.HexColor("#7A5512"))
            canvas.drawRightString(right - 4, y + 3.1, label)
        canvas.restoreState()

    return draw


# --- building blocks ------------------------------------------------------------------------


def _p(text: str, style: str = "body") -> Paragraph:
    return Para(text, _styles()[style])


def _h1(text: str) -> Paragraph:
    return _p(escape(text), "h1")


def _h2(text: str) -> Paragraph:
    return _p(escape(text), "h2")


def _table(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    group_starts: Iterable[int] = (),
    zebra: bool = False,
    split_rows: bool = True,
) -> Table:
    """A table in the verslag's look. ``split_rows``: a tall row may break over two pages
    (else a row moves whole to the next page)."""
    table = Table(
        rows, colWidths=list(widths), repeatRows=1 if header else 0, splitInRow=int(split_rows),
        hAlign="LEFT",
    )
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # also for empty cells: never Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    first_body = 1 if header else 0
    starts = list(group_starts) if group_starts else list(range(first_body, len(rows)))
    for row in starts:
        if row > first_body:
            style.append(("LINEABOVE", (0, row), (-1, row), 0.5, RULE))
    if zebra:
        for row in range(first_body, len(rows)):
            if (row - first_body) % 2 == 1:
                style.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#F7F9FB")))
    table.setStyle(TableStyle(style))
    return table


def _facts(rows: list[tuple[str, str]]) -> Table:
    """Label/value pairs, e.g. date and place of the gesprek."""
    data = [[_p(escape(label), "cell_head"), _p(value, "cell")] for label, value in rows]
    table = Table(data, colWidths=[44 * mm, TEXT_W - 44 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # also for empty cells: never Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _or_dash(text: str) -> str:
    return _t(text) if text.strip() else "–"


# --- the sections --------------------------------------------------------------------------


class _Verslag:
    def __init__(self, dossier: Dossier, lookup: Lookup, settings: VerslagSettings) -> None:
        self.d = dossier
        self.lookup = lookup
        self.settings = settings
        self.on = dossier.gesprek.datum

    # names ------------------------------------------------------------------------------

    def member_name(self, member_id: Any) -> str:
        member = self.d.member(member_id) if member_id is not None else None
        return member.naam if member else "Onbekend gezinslid"

    def parents(self) -> list[Member]:
        parents = [m for m in self.d.huishouden.leden if m.rol is Role.OUDER]
        return parents or self.d.adults()

    def domain_ids(self) -> list[str]:
        order = list(self.lookup.domain_order())
        for entry in self.d.leefgebieden:
            if entry.domein not in order:
                order.append(entry.domein)
        return order

    # story ------------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        s: list[Flowable] = []
        s += self.intro()
        s += self.gezin()
        s += self.hulpvraag()
        s += self.leefgebieden()
        s += self.zelfredzaamheid()
        s += self.veiligheid()
        s += self.plan_texts()
        s += self.doelen()
        s += self.regisseur()
        s += self.familiegroepsplan()
        s += self.toestemming()
        s += self.handtekeningen()
        s += self.controlecode()
        return s

    def intro(
        self,
        titel: str = "Gesprek-adviesverslag",
        lead: str = "In dit verslag staat wat we samen hebben besproken aan de keukentafel, en "
        "welke afspraken we hebben gemaakt.",
        extra: Sequence[tuple[str, str]] = (),
    ) -> list[Flowable]:
        """Title, family, what the document is (``lead``) and the gesprek's facts; ``extra``
        rows go before its status."""
        d = self.d
        out: list[Flowable] = [
            Spacer(1, 4 * mm),
            _p(escape(titel), "title"),
            _p(_t(d.titel), "subtitle"),
            Spacer(1, 4 * mm),
            _p(f"{lead} {READ_BEFORE_SIGNING}", "lead"),
            _h1(SECTION_HEADINGS[0]),
        ]
        gesprek = d.gesprek
        rows = [
            ("Datum", datum(gesprek.datum)),
            ("Plaats", _or_dash(gesprek.plaats)),
            ("Adres van het gezin", _t(d.huishouden.adres.one_line())),
        ]
        if self.settings.wijkcoach:
            by = self.settings.wijkcoach + (f", {self.settings.functie}" if self.settings.functie else "")
            rows.append(("Gesprek gevoerd door", _t(by)))
        if gesprek.overige_aanwezigen:
            rows.append(("Ook aanwezig", _t(gesprek.overige_aanwezigen)))
        rows += extra
        status = (
            f"Definitief, versie {d.versie}"
            if d.definitief is not None
            else f"Concept, versie {d.versie} (nog niet definitief)"
        )
        rows.append(("Status", status))
        out.append(_facts(rows))
        return out

    def gezin(self) -> list[Flowable]:
        d = self.d
        out: list[Flowable] = [
            _h1(SECTION_HEADINGS[1]),
            _p(
                "Wij willen met iedereen in het gezin praten. Jonge kinderen willen we in elk geval "
                "zien. Hieronder staat wie er in het gezin is, en met wie wij hebben gesproken.",
            ),
            Spacer(1, 2 * mm),
        ]
        head = ["Naam", "Rol", "Leeftijd", "Aan tafel", "Gesproken of gezien"]
        rows: list[list[Any]] = [[_p(h, "cell_head") for h in head]]
        present = set(d.gesprek.aanwezig)
        for m in d.huishouden.leden:
            contact = d.contact(m.id)
            if contact is None:
                status = _p("Nog niet vastgelegd", "cell_muted")
            elif contact.status is ContactStatus.NIET:
                reden = f": {_t(contact.reden)}" if contact.reden else ""
                status = _p(f"Niet gesproken{reden}", "cell")
            else:
                status = _p(contact.status.label, "cell")
            age = m.age_on(self.on)
            rows.append(
                [
                    _p(_t(m.naam), "cell_b"),
                    _p(m.rol.label, "cell"),
                    _p(f"{age} jaar", "cell"),
                    _p("ja" if m.id in present else "nee", "cell"),
                    status,
                ]
            )
        if len(rows) == 1:
            rows.append([_p("Er zijn nog geen gezinsleden ingevuld.", "cell_muted"), "", "", "", ""])
        out.append(_table(rows, [50 * mm, 33 * mm, 19 * mm, 19 * mm, TEXT_W - 121 * mm]))
        return out

    def hulpvraag(self) -> list[Flowable]:
        hv = self.d.hulpvraag
        out: list[Flowable] = [_h1(SECTION_HEADINGS[2])]
        if hv.tekst:
            out.append(_p(f"“{_t(hv.tekst)}”", "quote"))
            stem = {
                Voice.OUDER: "Dit is de vraag van de ouders.",
                Voice.KIND: "Dit is de vraag van de kinderen.",
                Voice.BEIDE: "Dit is de vraag van de ouders en de kinderen samen.",
            }[hv.stem] if hv.stem else "Van wie deze vraag komt, is nog niet vastgelegd."
            out += [Spacer(1, 1.5 * mm), _p(stem, "small")]
        else:
            out.append(_p("De hulpvraag is nog niet ingevuld.", "cell_muted"))
        per_domain = [e for e in self.d.leefgebieden if e.hulpvraag]
        if per_domain:
            out.append(_h2("Vragen per leefgebied"))
            order = self.domain_ids()
            for e in sorted(per_domain, key=lambda e: order.index(e.domein)):
                who = "het gezin" if e.member_id is None else self.member_name(e.member_id)
                out.append(
                    _p(
                        f"<b>{_t(self.lookup.domain_name(e.domein))}</b> ({_t(who)}): {_t(e.hulpvraag)}",
                    )
                )
        return out

    def leefgebieden(self) -> list[Flowable]:
        out: list[Flowable] = [
            CondPageBreak(45 * mm),
            _h1(SECTION_HEADINGS[3]),
            _p(
                "Hieronder staan de leefgebieden: voor het hele gezin en voor ieder gezinslid. "
                "Per leefgebied staat hier wat zorgen geeft, en wat goed gaat.",
            ),
            Spacer(1, 2 * mm),
        ]
        head = ["Leefgebied", "Voor wie", "Zorgen", "Wat goed gaat"]
        rows: list[list[Any]] = [[_p(h, "cell_head") for h in head]]
        starts: list[int] = []
        member_order = {m.id: i for i, m in enumerate(self.d.huishouden.leden)}
        for domain_id in self.domain_ids():
            entries = [e for e in self.d.leefgebieden if e.domein == domain_id]
            entries.sort(key=lambda e: -1 if e.member_id is None else member_order.get(e.member_id, 99))
            starts.append(len(rows))
            name = _p(_t(self.lookup.domain_name(domain_id)), "cell_b")
            if not entries:
                rows.append([name, _p("–", "cell"), _p("Niet besproken.", "cell_muted"), ""])
                continue
            for i, e in enumerate(entries):
                who = "Gezin" if e.member_id is None else self.member_name(e.member_id)
                if e.niet_van_toepassing:
                    reden = f": {_t(e.nvt_reden)}" if e.nvt_reden else "."
                    zorgen, krachten = _p(f"Niet van toepassing{reden}", "cell_muted"), _p("", "cell")
                elif not e.besproken:
                    zorgen, krachten = _p("Nog niet besproken.", "cell_muted"), _p("", "cell")
                else:
                    zorgen, krachten = _p(_or_dash(e.zorgen), "cell"), _p(_or_dash(e.krachten), "cell")
                rows.append([name if i == 0 else "", _p(_t(who), "cell"), zorgen, krachten])
        if len(rows) == 1:
            rows.append([_p("Nog geen leefgebieden besproken.", "cell_muted"), "", "", ""])
        rest = TEXT_W - 38 * mm - 30 * mm
        out.append(_table(rows, [38 * mm, 30 * mm, rest / 2, rest / 2], group_starts=starts))
        return out

    def zelfredzaamheid(self) -> list[Flowable]:
        from .chart import zrm_chart

        out: list[Flowable] = [
            _h1(SECTION_HEADINGS[4]),
            _p(
                "Hoe goed redt u het zelf? Per leefgebied geven we dat een cijfer van 1 tot 5 "
                "(de Zelfredzaamheid-Matrix). 1 betekent: er is nu een crisis. 5 betekent: het lukt "
                "helemaal zelf. Hoe langer de balk, hoe beter het zelf lukt.",
            ),
        ]
        adults = {m.id for m in self.d.adults()}
        entries = [
            e for e in self.d.leefgebieden
            if e.zrm is not None and (e.member_id is None or e.member_id in adults)
        ]
        if not entries:
            out.append(_p("Er zijn nog geen scores gegeven.", "cell_muted"))
            return out
        series: list[tuple[str, Any]] = []
        if any(e.member_id is None for e in entries):
            series.append(("Gezin", None))
        for m in self.d.huishouden.leden:
            if any(e.member_id == m.id for e in entries):
                series.append((m.voornaam, m.id))
        domains = [d for d in self.domain_ids() if any(e.domein == d for e in entries)]
        values = [
            [
                next((e.zrm for e in entries if e.domein == d and e.member_id == key), None)
                for d in domains
            ]
            for _, key in series
        ]
        labels = [_nfc(self.lookup.domain_name(d)) for d in domains]
        chart = zrm_chart(
            labels,
            [_nfc(n) for n, _ in series],
            values,
            SERIES,
            width=TEXT_W,
            label=lambda score: _nfc(self.lookup.zrm_label(score)),
        )
        return [KeepTogether([*out, Spacer(1, 3 * mm), chart])]

    def veiligheid(self) -> list[Flowable]:
        out: list[Flowable] = [
            _h1(SECTION_HEADINGS[5]),
            _p(
                "Voor ieder kind kijken wij of het thuis nu veilig is, en hoe groot de kans is op "
                "problemen in de komende tijd. Dit is onze inschatting.",
            ),
        ]
        children = self.d.children()
        if not children:
            out.append(_p("Er wonen geen kinderen onder de 18 jaar in het gezin.", "cell_muted"))
            return out
        blocks = [self._child_safety(child) for child in children]
        # the heading and its explanation stay with the first child
        return [KeepTogether(out + blocks[0])] + [KeepTogether(b) for b in blocks[1:]]

    def _child_safety(self, child: Member) -> list[Flowable]:
        naam = _t(child.voornaam)
        block: list[Flowable] = [_p(f"{naam} ({child.age_on(self.on)} jaar)", "h2")]
        assessments = self.d.assessments_for(child.id)
        latest = assessments[-1] if assessments else None
        if latest is None:
            block.append(_p(f"Voor {naam} hebben wij de veiligheid nog niet ingeschat."))
            return block
        if not latest.afgerond or latest.veiligheid_nu is None or latest.risico is None:
            block.append(_p(f"De inschatting van de veiligheid van {naam} is nog niet klaar."))
            return block
        block += self._judgment(naam, latest, latest.veiligheid_nu, latest.risico)
        first = assessments[0]
        if first is not latest and first.afgerond and first.veiligheid_nu and first.risico:
            block.append(
                _p(
                    f"Bij de eerste inschatting, op {datum(first.datum)}, was dat: thuis "
                    f"{_now_word(first.veiligheid_nu)}, risico {first.risico.label.lower()}.",
                    "small",
                )
            )
        if self.settings.toon_instrument_details and latest.antwoorden:
            block += self._instrument_details(latest)
        return block

    def _judgment(
        self, naam: str, assessment: SafetyAssessment, nu: SafetyNow, risico: RiskLater
    ) -> list[Flowable]:
        """A concluded judgment in words: the conclusion first, then why, then with whom
        it was discussed."""
        out: list[Flowable] = [_p(self._conclusion(naam, nu, risico))]
        if assessment.onderbouwing:
            out.append(_p(f"Waarom wij dit denken: {_t(assessment.onderbouwing)}"))
        if assessment.consultatie is not None:
            c = assessment.consultatie
            met = "een collega" if c.met == "collega" else "een gedragswetenschapper"
            out.append(_p(f"Wij hebben deze inschatting op {datum(c.datum)} besproken met {met}."))
        return out

    @staticmethod
    def _conclusion(naam: str, nu: SafetyNow, risico: RiskLater) -> str:
        return (
            f"Wij schatten in dat {naam} thuis nu {_now_word(nu)} is. "
            f"Het {term('risico_later')} schatten wij in als {risico.label.lower()}."
        )

    def _instrument_details(self, assessment: Any) -> list[Flowable]:
        ref = assessment.instrument
        rows: list[list[Any]] = [
            [_p(h, "cell_head") for h in ("Onderdeel", "Aanwezig", "Toelichting")]
        ]
        for item_id, answer in assessment.antwoorden.items():
            present = {True: "ja", False: "nee", None: "onbekend"}[answer.aanwezig]
            rows.append(
                [
                    _p(_t(self.lookup.item_label(ref, item_id)), "cell"),
                    _p(present, "cell"),
                    _p(_or_dash(answer.toelichting), "cell"),
                ]
            )
        return [
            Spacer(1, 1.5 * mm),
            _p(f"Uit het instrument ({_t(self.lookup.instrument_name(ref))}):", "small"),
            _table(rows, [60 * mm, 20 * mm, TEXT_W - 80 * mm]),
        ]

    def plan_texts(self) -> list[Flowable]:
        plan = self.d.plan
        return [
            _h1(SECTION_HEADINGS[6]),
            _p(_t(plan.probleemanalyse) if plan.probleemanalyse else "Nog niet ingevuld.",
               "body" if plan.probleemanalyse else "cell_muted"),
            _h1(SECTION_HEADINGS[7]),
            _p(_t(plan.perspectief) if plan.perspectief else "Nog niet ingevuld.",
               "body" if plan.perspectief else "cell_muted"),
        ]

    def doelen(self) -> list[Flowable]:
        out: list[Flowable] = [
            CondPageBreak(45 * mm),
            _h1(SECTION_HEADINGS[8]),
            _p("Dit zijn de doelen, de belangrijkste eerst. Onder elk doel staat wie wat doet, en wanneer."),
            Spacer(1, 2 * mm),
        ]
        goals = sorted(self.d.plan.doelen, key=lambda g: g.prioriteit)
        head = ["", "Doel", "Wie", "Wanneer"]
        rows: list[list[Any]] = [[_p(h, "cell_head") for h in head]]
        starts: list[int] = []
        for g in goals:
            starts.append(len(rows))
            text = f"<b>{_t(g.omschrijving)}</b>"
            if g.resultaat:
                text += f"<br/><font color='#5B6B78'>Dat ziet u aan: {_t(g.resultaat)}</font>"
            rows.append(
                [
                    _p(f"<b>{g.prioriteit}</b>", "cell"),
                    _p(text, "cell"),
                    _p(_or_dash(g.eigenaar), "cell"),
                    _p(datum(g.streefdatum) if g.streefdatum else "–", "cell"),
                ]
            )
            for a in g.acties:
                rows.append(
                    [
                        "",
                        _p(f"→ {_t(a.omschrijving)}", "cell"),
                        _p(_or_dash(a.wie), "cell"),
                        _p(datum(a.wanneer) if a.wanneer else "–", "cell"),
                    ]
                )
        if not goals:
            rows.append(["", _p("Er zijn nog geen doelen afgesproken.", "cell_muted"), "", ""])
        out.append(_table(rows, [9 * mm, TEXT_W - 9 * mm - 42 * mm - 30 * mm, 42 * mm, 30 * mm], group_starts=starts))
        return out

    def regisseur(self) -> list[Flowable]:
        r = self.d.plan.regisseur
        out: list[Flowable] = [_h1(SECTION_HEADINGS[9])]
        if r is None:
            out.append(_p("Er is nog geen regisseur gekozen.", "cell_muted"))
            return out
        soort = {
            "wijkcoach": "wijkcoach",
            "gezinslid": "iemand uit het gezin",
            "netwerk": "iemand uit uw netwerk",
            "partner": "een hulpverlener",
        }[r.soort]
        out.append(
            _p(
                f"Uw regisseur is <b>{_t(r.naam)}</b> ({soort}). De regisseur houdt het overzicht "
                "over alle hulp en afspraken, en is uw vaste aanspreekpunt."
            )
        )
        rows = [("Bereikbaar via", _or_dash(r.bereikbaar))]
        if r.taken:
            rows.append(("Taken", _t(r.taken)))
        out += [Spacer(1, 1.5 * mm), _facts(rows)]
        return out

    def familiegroepsplan(self) -> list[Flowable]:
        f = self.d.familiegroepsplan
        out: list[Flowable] = [_h1(SECTION_HEADINGS[10])]
        uitleg = (
            "Een familiegroepsplan is een plan dat u zelf maakt, samen met familie, vrienden en "
            "andere mensen om u heen."
        )
        if f.aangeboden is None:
            out.append(_p(uitleg + " Of u dat wilt, is nog niet besproken."))
            return out
        if not f.aangeboden:
            text = uitleg + " Wij hebben u dit nog niet aangeboden."
        else:
            op = f" op {datum(f.datum)}" if f.datum else ""
            text = uitleg + f" Wij hebben u{op} aangeboden om zo'n plan te maken."
            text += {
                "geaccepteerd": " U wilt dat graag doen.",
                "afgewezen": " U heeft gekozen om dat nu niet te doen.",
                "in_voorbereiding": " Het plan wordt nu voorbereid.",
                None: " U heeft nog niet gezegd of u dat wilt.",
            }[f.uitkomst]
        out.append(_p(text))
        if f.toelichting:
            out.append(_p(f"Toelichting: {_t(f.toelichting)}"))
        return out

    def toestemming(self) -> list[Flowable]:
        out: list[Flowable] = [
            _h1(SECTION_HEADINGS[11]),
            _p(
                "Wij nemen alleen contact op met anderen, en delen alleen informatie, als u daar "
                "toestemming voor geeft. Met uw handtekening zegt u dat dit klopt:"
            ),
            Spacer(1, 2 * mm),
        ]
        parties: list[tuple[str, str, Any]] = []
        for p in self.d.partners:
            detail = ", ".join(x for x in (p.rol, p.contactpersoon) if x)
            parties.append((p.organisatie, detail, p.toestemming))
        for n in self.d.netwerk:
            parties.append((n.naam, n.relatie, n.toestemming))
        rows: list[list[Any]] = [[_p("Met wie", "cell_head"), _p("Wat u afspreekt", "cell_head")]]
        for name, detail, consent in parties:
            who = f"<b>{_t(name)}</b>" + (f"<br/><font color='#5B6B78'>{_t(detail)}</font>" if detail else "")
            rows.append([_p(who, "cell"), _p(self._consent_text(name, consent), "cell")])
        if not parties:
            rows.append([_p("Er zijn nog geen andere betrokkenen vastgelegd.", "cell_muted"), ""])
        out.append(_table(rows, [55 * mm, TEXT_W - 55 * mm]))
        out += [
            Spacer(1, 2 * mm),
            _p("U kunt uw toestemming altijd weer intrekken. Zeg dat dan tegen uw regisseur.", "small"),
        ]
        return out

    def _consent_text(self, name: str, consent: Any) -> str:
        if consent is None:
            return (
                "<font color='#5B6B78'>Hierover is nog geen toestemming vastgelegd. Wij nemen "
                "geen contact op en delen niets zonder uw toestemming.</font>"
            )
        n = _t(name)
        lines = []
        if consent.contact_toegestaan:
            lines.append(f"✓ Wij mogen contact opnemen met {n}.")
        else:
            lines.append(f"✗ Wij nemen <b>geen</b> contact op met {n}.")
        if consent.delen_toegestaan:
            scope = f" over: {_t(consent.reikwijdte)}" if consent.reikwijdte else "."
            lines.append(f"✓ Wij mogen informatie delen met {n}{scope}")
        else:
            lines.append(f"✗ Wij delen <b>geen</b> informatie met {n}.")
        givers = _join([self.member_name(m) for m in consent.gegeven_door])
        door = f" door {_t(givers)}" if givers else ""
        lines.append(f"<font color='#5B6B78'>Afgesproken op {datum(consent.datum)}{door}.</font>")
        return "<br/>".join(lines)

    def handtekeningen(
        self,
        signatures: Sequence[Signature] | None = None,
        uitleg: str | None = None,
        *,
        whole: bool = False,
    ) -> list[Flowable]:
        """The signatures (default: this gesprek's), with blank lines for who still signs
        on a concept. ``uitleg``: what a signature means (default: the intake's words).
        The section starts on a new page when less than 70 mm is left; with ``whole``,
        only when it does not fit whole (a one-page document stays one page)."""
        d = self.d
        intro = _p(
            uitleg
            or "Met uw handtekening laat u zien dat u dit verslag heeft gelezen, dat u het eens "
            "bent met de afspraken, en dat u de toestemming hierboven geeft."
        )
        signatures = d.handtekeningen if signatures is None else signatures
        blocks = [self._signature_block(s) for s in signatures]
        if d.definitief is None:
            signed = {s.member_id for s in signatures}
            for parent in self.parents():
                if parent.id not in signed:
                    blocks.append(self._blank_signature(parent.naam))
            if None not in signed:
                coach = self.settings.wijkcoach or "Wijkcoach"
                blocks.append(self._blank_signature(coach))
        if not blocks:
            return [_h1(SECTION_HEADINGS[12]), intro, _p("Er zijn geen handtekeningen.", "cell_muted")]
        half = (TEXT_W - 8 * mm) / 2
        grid = [blocks[i : i + 2] + [""] * (2 - len(blocks[i : i + 2])) for i in range(0, len(blocks), 2)]
        table = Table(grid, colWidths=[half + 4 * mm, half + 4 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # also for empty cells: never Helvetica
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        if whole:
            return [KeepTogether([_h1(SECTION_HEADINGS[12]), intro, Spacer(1, 3 * mm), table])]
        return [CondPageBreak(70 * mm), _h1(SECTION_HEADINGS[12]), intro, Spacer(1, 3 * mm), table]

    def _signature_block(self, sig: Signature) -> Table:
        width = (TEXT_W - 8 * mm) / 2 - 4 * mm
        box_h = 19 * mm
        if sig.weigering_reden:
            visual: Any = _p(f"<i>Wil niet tekenen:</i> {_t(sig.weigering_reden)}", "sig")
        elif sig.afbeelding_png:
            visual = _signature_image(sig.afbeelding_png, width, box_h)
        else:
            visual = _p("Geen handtekening vastgelegd.", "cell_muted")
        place = ", ".join(x for x in (_t(sig.plaats), datum(sig.datum)) if x)
        rows = [[visual], [_p(f"<b>{_t(sig.naam)}</b><br/>{place}", "sig")]]
        return _sig_table(rows, width, box_h)

    def _blank_signature(self, name: str) -> Table:
        width = (TEXT_W - 8 * mm) / 2 - 4 * mm
        box_h = 19 * mm
        rows = [
            [""],
            [_p(f"<b>{_t(name)}</b><br/>Plaats: ______________  Datum: ____________", "sig")],
        ]
        return _sig_table(rows, width, box_h)

    def controlecode(self, wat: str = "verslag") -> list[Flowable]:
        """The full hash, so a printed copy can be checked against the dossier; ``wat``
        names the document ("verslag", "veiligheidsplan")."""
        d = self.d
        full = verslag_hash(d)
        text = (
            f"Dit {wat} hoort bij dossier {dossier_nummer(d)}, versie {d.versie}. Met de code "
            f"hieronder kan het wijkteam nagaan of dit {wat} precies hetzelfde is als het {wat} "
            "in het dossier."
        )
        if d.definitief is None:
            status = (
                "Dit is een concept: de code verandert nog als er iets in het dossier wordt aangepast."
            )
        else:
            op = d.definitief.op.astimezone()  # stored in UTC; printed in local time, as the desktop shows it
            status = f"Definitief vastgelegd op {datum(op.date())} om {op:%H:%M} uur."
        return [
            KeepTogether(
                [
                    _h1(SECTION_HEADINGS[13]),
                    _p(text, "small"),
                    Spacer(1, 1.5 * mm),
                    _p(f"SHA-256: {full}", "hash"),
                    Spacer(1, 1 * mm),
                    _p(status, "small"),
                ]
            )
        ]


def _now_word(nu: SafetyNow) -> str:
    return {
        SafetyNow.VEILIG: "veilig",
        SafetyNow.ONVEILIG: "niet veilig",
        SafetyNow.ACUUT_ONVEILIG: "acuut niet veilig",
    }[nu]


def _sig_table(rows: list[list[Any]], width: float, box_h: float) -> Table:
    table = Table(rows, colWidths=[width], rowHeights=[box_h, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (0, 1), 3),
            ]
        )
    )
    return table


def _signature_image(png: bytes, max_w: float, max_h: float) -> Any:
    try:
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(io.BytesIO(png))
        w, h = reader.getSize()
        if w <= 0 or h <= 0:
            raise ValueError("empty image")
        scale = min(max_w / w, (max_h - 4) / h)
        image = Image(io.BytesIO(png), width=w * scale, height=h * scale, mask="auto")
        image.hAlign = "LEFT"
        return image
    except Exception:  # noqa: BLE001  (an unreadable drawing must not stop the verslag)
        return _p("De handtekening kon niet worden getoond.", "cell_muted")


# --- entry point -----------------------------------------------------------------------------

# What each kind of gesprek's verslag is called: its title, the metadata and the header.
SOORT_TITEL: dict[GesprekSoort, str] = {
    GesprekSoort.INTAKE: "Gesprek-adviesverslag",
    GesprekSoort.EVALUATIE: "Evaluatieverslag",
    GesprekSoort.AFSLUITING: "Afsluitverslag",
}


def build_pdf(
    dossier: Dossier,
    definitions: Any | None = None,
    settings: VerslagSettings | None = None,
) -> bytes:
    """The verslag of ``dossier``'s current gesprek as PDF bytes (A4, fonts embedded).

    The kind of gesprek picks the verslag: the gesprek-adviesverslag of an intake, the
    evaluatieverslag of an evaluatie, the afsluitverslag of an afsluiting
    (:mod:`forms.verslag.vervolg`).

    ``definitions``: the loaded definitions (default: ``forms.definitions.default_definitions()``),
    for the names of the life domains and instrument items in the version the dossier used.
    Deterministic: the same dossier, definitions and settings give the same bytes (for a
    final dossier also the same local time zone: the finalisation time is printed in it).
    """
    register_fonts()
    settings = settings or VerslagSettings()
    if definitions is None:
        definitions = default_definitions()
    lookup = Lookup(dossier, definitions)
    soort = dossier.gesprek.soort
    if soort is GesprekSoort.INTAKE:
        story = _Verslag(dossier, lookup, settings).story()
    else:
        from .vervolg import follow_up_story  # it builds on this module

        story = follow_up_story(dossier, lookup, settings)
    return render_document(dossier, story, settings, SOORT_TITEL[soort])


def render_document(
    dossier: Dossier, story: list[Flowable], settings: VerslagSettings, soort: str
) -> bytes:
    """Lay ``story`` out as the PDF of one of ``dossier``'s documents, named ``soort``
    ("Gesprek-adviesverslag", "Veiligheidsplan"): letterhead, footer with the code and
    "pagina x van y", metadata without personal data, deterministic bytes."""
    register_fonts()
    full_hash = verslag_hash(dossier)
    footer_left = _nfc(
        f"{settings.gemeente} · dossier {dossier_nummer(dossier)} · versie {dossier.versie} · "
        f"code {full_hash[:12]}"
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        # no names here: metadata is read by indexers and shown in file managers
        title=f"{soort}, dossier {dossier_nummer(dossier)}",
        author=_nfc(f"{settings.gemeente}, {settings.team}"),
        subject=f"Dossier {dossier_nummer(dossier)}, versie {dossier.versie}",
        creator="Keukentafel",
        producer="Keukentafel (reportlab)",
        lang="nl-NL",
        invariant=1,
    )
    concept = dossier.definitief is None
    canvasmaker = functools.partial(
        _VerslagCanvas, pdf_date=_pdf_date(dossier), footer_left=footer_left
    )
    doc.build(
        story,
        onFirstPage=_header(settings, soort, dossier.titel, concept, first=True),
        onLaterPages=_header(settings, soort, dossier.titel, concept, first=False),
        canvasmaker=canvasmaker,
    )
    return buffer.getvalue()
