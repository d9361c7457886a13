"""Text in any script, printed as typed: font runs, shaping and right-to-left order.

What the family types goes through three steps before it reaches the PDF:

1. :func:`markup`: the text is cut into font runs (``fonts.runs``): each run gets
   ``<font face="…">`` for the family that has its characters, so Chinese, Ge'ez and
   Arabic never fall back to an empty box; a character no bundled font has prints as
   U+FFFD (the desktop warned about it when it was typed: ``fonts.unprintable``).
2. Shaping: a paragraph that holds text needing it (Arabic, Hebrew, combining marks)
   gets reportlab's own HarfBuzz shaping (``ParagraphStyle.shaping``, through
   ``uharfbuzz``): Arabic letters take their joined forms and each word's glyphs come
   out in visual (right-to-left) order. reportlab shapes a *word* with the font of its
   first character, which breaks a word whose characters come from two fonts
   ("王小明," or "(محمد)": the punctuation is in DejaVu). :func:`install` wraps
   reportlab's ``shapeFragWord`` so such a word is shaped per font run; a word in one
   font is shaped exactly as before.
3. Bidirectional order: reportlab's own RTL support needs ``rlbidi``, which is not on
   PyPI; python-bidi reorders *characters* of a plain string, which cannot be applied to
   glyphs HarfBuzz already shaped and ordered, and line breaking must happen in logical
   order first. So :class:`Para` breaks lines in logical order as usual and, when it
   draws a line, puts the line's words in visual order by the Unicode bidi algorithm's
   rule L2 applied to words: the paragraph's base direction is that of its first strong
   character (rule P2), a word's level comes from its strong characters (or from its
   Arabic font: shaped Arabic is presentation forms and private-use glyph codes), a word
   with none (digits, dashes) takes the direction of the words around it when both
   agree, else the base direction (rules W/N at word level). A paragraph whose base
   direction is right-to-left is aligned right.

Plain Latin text takes none of these paths: no shaping, no reordering, as fast as before.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from html import unescape
from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from . import fonts

__all__ = ["Para", "draw_line", "install", "markup", "needs_shaping"]

_TAG = re.compile(r"<[^>]*>")
_WORDS = re.compile(r"\S+|\s+")
_BEYOND_LATIN = re.compile("[^\x00-\u02ff]")  # below U+0300: no marks, no right-to-left letters


# --- 1. font runs ------------------------------------------------------------------------


def markup(text: str) -> str:
    """User text as Paragraph markup: NFC, XML-escaped, line breaks kept, one
    ``<font face>`` per run in a fallback family."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\t", " ")
    if text.isascii():  # the main font has all of ASCII
        return escape(text).replace("\n", "<br/>")
    out = []
    for family, run in fonts.runs(text):
        if family is None:
            out.append("\ufffd" * len(run))
            continue
        piece = escape(run).replace("\n", "<br/>")
        out.append(piece if family == fonts.FONT else f'<font face="{family}">{piece}</font>')
    return "".join(out)


def needs_shaping(text: str) -> bool:
    """True when ``text`` has characters that print right only when shaped or reordered:
    right-to-left letters (Arabic joining, Hebrew) and combining marks."""
    return not text.isascii() and any(
        unicodedata.bidirectional(ch) in ("R", "AL", "AN") or unicodedata.category(ch) in ("Mn", "Mc")
        for ch in _BEYOND_LATIN.findall(text)
    )


def _base_rtl(text: str) -> bool:
    """The paragraph's base direction: right-to-left when most of its strong letters are.

    Not rule P2 (the first strong character): the verslag's paragraphs are Dutch
    sentences with the family's names in them, and "مريم gaat naar school." is a
    Dutch sentence that starts with an Arabic name. A paragraph that is all (or mostly)
    Arabic, a name in a table cell or a hulpvraag in Arabic, is right-to-left."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            ltr += 1
        elif kind in ("R", "AL"):
            rtl += 1
    return rtl > ltr


# --- 2. shaping per font run ------------------------------------------------------------------


def install() -> None:
    """Make reportlab shape a word whose characters come from several fonts per font
    run (idempotent). A word in one font goes to reportlab's shaper unchanged."""
    from reportlab.platypus import paragraph

    if getattr(paragraph.shapeFragWord, "_keukentafel", False):
        return
    original = paragraph.shapeFragWord
    paragraph.shapeFragWord = _per_font_run(original)


def shape_str(text: str, font: str, size: float) -> str:
    """One word shaped (a ShapedStr), per font run and with :data:`FEATURES`."""
    from reportlab.lib.abag import ABag
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import paragraph

    shaped = paragraph.shapeFragWord([stringWidth(text, font, size), (ABag(fontName=font, fontSize=size), text)])
    word: str = shaped[1][1]  # a ShapedStr (a str with glyph positions)
    return word


# Kerning and the standard ligatures (Arabic needs its required ones; HarfBuzz adds
# those itself). Not reportlab's default "dlig": DejaVu's discretionary "st" ligature
# would print "rust" with a curl.
FEATURES = {"kern": True, "liga": True}


def _shapable(text: str) -> bool:
    """A run with letters or marks. Digits and punctuation alone are never shaped:
    HarfBuzz would take Arabic-Indic digits ("٢٠٢٥") as Arabic script and draw them
    right to left; numbers read left to right in Arabic too."""
    return any(unicodedata.category(ch)[0] in "LM" for ch in text)


def _per_font_run(original: Callable[..., Any]) -> Callable[..., Any]:  # Any: reportlab is untyped
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import ShapedFragWord, makeShapedFragWord

    def shape(w: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(w, ShapedFragWord):
            return w
        if not args:
            kwargs.setdefault("features", FEATURES)
        parts = w[1:]
        if not any(_shapable(s) for f, s in parts if not hasattr(f, "cbDefn")):
            return w
        if len({f.fontName for f, _ in parts if not hasattr(f, "cbDefn")}) <= 1:
            return original(w, *args, **kwargs)
        pieces: list[Any] = []
        width = 0.0
        changed = False
        for _, same_font in groupby(parts, key=lambda p: (getattr(p[0], "fontName", None), hasattr(p[0], "cbDefn"))):
            group = list(same_font)
            if hasattr(group[0][0], "cbDefn"):
                pieces += group
                width += sum(getattr(f, "width", 0) for f, _ in group)
                continue
            sub_width = sum(stringWidth(s, f.fontName, f.fontSize) for f, s in group)
            if not any(_shapable(s) for _, s in group):
                pieces += group
                width += sub_width
                continue
            shaped = original([sub_width, *group], *args, **kwargs)
            changed = changed or (shaped is not None and isinstance(shaped, ShapedFragWord))
            width += shaped[0]
            pieces += [tuple(p) for p in shaped[1:]]
        if not changed:
            return w
        return makeShapedFragWord(w)([width, *pieces])

    shape._keukentafel = True  # type: ignore[attr-defined]
    return shape


# --- 3. visual order -----------------------------------------------------------------------------

# A token: (font name, text as it will be drawn): a run of one font without spaces, or
# a run of spaces. A word in two fonts ("(محمد)") is two or three tokens with no space
# token between them.
Token = tuple[str, str]


def _direction(token: Token) -> str | None:
    """'R', 'L', or None (spaces, digits, punctuation: no strong character)."""
    font, text = token
    rtl_font = fonts.rtl_font(font)
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        # shaped Arabic: letters may be private-use codes standing for glyphs (class L)
        if rtl_font and (unicodedata.category(ch)[0] in "LM" or "\ue000" <= ch <= "\uf8ff"):
            return "R"
        if kind == "L":
            return "L"
    return None


def visual_order(tokens: Sequence[Token], base_rtl: bool) -> list[int]:
    """The indices of ``tokens`` (one line, logical order) in drawing order, left to
    right: a token without a strong character takes the direction of the strong tokens
    on both sides when they agree, else the base direction (rules N1, N2; trailing
    spaces L1); then rule L2 reverses every run at an odd level and above."""
    dirs = [_direction(t) for t in tokens]
    base = "R" if base_rtl else "L"
    resolved: list[str] = []
    for i, d in enumerate(dirs):
        if d is None:
            before = next((x for x in reversed(dirs[:i]) if x), base)
            after = next((x for x in dirs[i + 1 :] if x), None)
            d = before if before == after else base
        resolved.append(d)
    base_level = 1 if base_rtl else 0
    levels = [(1 if d == "R" else 0) if base_level == 0 else (1 if d == "R" else 2) for d in resolved]
    order = list(range(len(tokens)))
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


@functools.cache
def _variant(style: ParagraphStyle, rtl_base: bool) -> ParagraphStyle:
    """``style`` with shaping on (and aligned right for a right-to-left paragraph)."""
    variant = ParagraphStyle(f"{style.name}~{'rtl' if rtl_base else 'shaped'}", style, shaping=1)
    if rtl_base and style.alignment == TA_LEFT:
        variant.alignment = TA_RIGHT
    variant.kt_rtl_base = rtl_base  # read by Para.drawPara, also in its split parts
    return variant


class Para(Paragraph):
    """A Paragraph that shapes and reorders when its text needs it (see the module doc)."""

    def __init__(self, text: str | None, style: ParagraphStyle, *args: Any, **kwargs: Any) -> None:
        if text is not None and not hasattr(style, "kt_rtl_base"):
            plain = unescape(_TAG.sub("", text))
            if needs_shaping(plain):
                style = _variant(style, _base_rtl(plain))
        super().__init__(text, style, *args, **kwargs)

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is None:  # parse with the parser that keeps <b>/<i> across a fallback font
            from reportlab.platypus.paragraph import textTransformFrags

            text = cleaner(text)
            parser = _Parser()
            parser.caseSensitive = self.caseSensitive
            style, frags, bullet_frags = parser.parse(text, style)
            if frags is None:
                raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning {text[:30]!r}")
            textTransformFrags(frags, style)
            if bullet_frags:
                bulletText = bullet_frags
            super()._setup(text, style, bulletText, frags, cleaner)
            self.text = text
            return
        super()._setup(text, style, bulletText, frags, cleaner)

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 (reportlab's name)
        rtl_base = getattr(self.style, "kt_rtl_base", None)
        blpara = getattr(self, "blPara", None)
        if rtl_base is None or blpara is None or blpara.kind != 1:
            super().drawPara(debug)
            return
        lines = blpara.lines
        blpara.lines = [_visual_line(line, rtl_base) for line in lines]
        try:
            super().drawPara(debug)
        finally:
            blpara.lines = lines


class _Parser(ParaParser):
    """reportlab's parser, except that ``<font face="KTArabic">`` (a fallback family)
    switches the family only: the run stays bold or italic as the text around it, where
    reportlab's ``<font face>`` would reset it to the named face's own style."""

    def start_font(self, attr: dict[str, str]) -> None:
        face = attr.get("face")
        if face in fonts.FALLBACK_FAMILIES and len(attr) == 1:
            self._push("font", fontName=face)
            return
        super().start_font(attr)


def _visual_line(line: Any, rtl_base: bool) -> Any:
    tokens: list[tuple[Any, str]] = []
    for frag in line.words:
        text = getattr(frag, "text", None)
        if text is None or hasattr(frag, "cbDefn"):
            return line  # an image or a link anchor in the line: leave it as it is
        # a ShapedStr slice keeps its glyph positions
        tokens += [(frag, text[m.start() : m.end()]) for m in _WORDS.finditer(text)]
    order = visual_order([(f.fontName, t) for f, t in tokens], rtl_base)
    if order == list(range(len(tokens))):
        return line
    visual = copy.copy(line)
    visual.words = [tokens[i][0].clone(text=tokens[i][1]) for i in order]
    return visual


# --- one line on the canvas (letterhead, footer) ---------------------------------------------------


def draw_line(canvas: Any, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> float:
    """Draw ``text`` on one line at baseline ``y``: from ``x`` (left) or ending at ``x``
    (right), in the family of ``font`` with fallback runs, shaped and in visual order.
    Returns its width."""
    from reportlab.lib.fonts import ps2tt, tt2ps
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import ShapedStr

    text = unicodedata.normalize("NFC", text).replace("\n", " ")
    if text.isascii():
        canvas.setFont(font, size)
        if align == "right":
            canvas.drawRightString(x, y, text)
        else:
            canvas.drawString(x, y, text)
        return float(stringWidth(text, font, size))
    _, bold, italic = ps2tt(font)
    shaped = needs_shaping(text)
    tokens: list[Token] = []
    for family, run in fonts.runs(text):
        face = font if family == fonts.FONT else tt2ps(family, bold, italic) if family else font
        if family is None:
            run = "\ufffd" * len(run)
        for m in _WORDS.finditer(run):
            piece = m.group()
            tokens.append((face, shape_str(piece, face, size) if shaped and not piece.isspace() else piece))
    order = visual_order(tokens, _base_rtl(text)) if shaped else list(range(len(tokens)))

    def width(face: str, piece: str) -> float:
        if isinstance(piece, ShapedStr) and piece.__shapeData__:
            return float(sum(d.x_advance for d in piece.__shapeData__) * size / 1000)
        return float(stringWidth(piece, face, size))

    pieces = [(tokens[i][0], tokens[i][1], width(*tokens[i])) for i in order]
    total = sum(w for _, _, w in pieces)
    left = x - total if align == "right" else x
    for face, same_face in groupby(pieces, key=lambda p: p[0]):  # one string per face run
        group = list(same_face)
        text = group[0][1]
        for _, piece, _ in group[1:]:
            text = text + piece
        canvas.setFont(face, size)
        canvas.drawString(left, y, text)
        left += sum(w for _, _, w in group)
    return total
