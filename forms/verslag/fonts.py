"""The verslag's fonts, bundled in ``resources/fonts`` and subset into every PDF.

A family is one script's typeface in the verslag's three styles (regular, bold,
italic). The main family is DejaVu Sans (Latin with every diacritic a Dutch family
writes, Turkish, Polish, Vietnamese, Cyrillic, Greek, Armenian, Georgian, Hebrew); text in a script it
lacks is drawn, run by run, with the first fallback family that has every character
(:func:`family_of`):

- ``KTArabic``: Noto Naskh Arabic (regular, bold; italic Arabic uses the upright face,
  as Arabic typography has no italic);
- ``KTEthiopic``: Noto Sans Ethiopic (regular, bold; upright for italic): Tigrinya,
  Amharic;
- ``KTCJK``: Droid Sans Fallback (one face for every style): Chinese, Japanese kana.

A family covers a character only when *all* its faces have a glyph for it, so a
character is never printed as an empty box because it happens to be in bold or
italic. :func:`unprintable` says which characters of a text no family has: the
desktop warns about those while they are typed.

Registered with reportlab once per process (parsing the TTFs costs a few hundred
milliseconds); reportlab keeps each document's glyph subset apart, so the
registered fonts are safe to share between builds.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "FONT",
    "FONT_BOLD",
    "FONT_ITALIC",
    "FONTS_DIR",
    "FAMILIES",
    "FALLBACK_FAMILIES",
    "family_of",
    "ignorable",
    "register_fonts",
    "rtl_font",
    "unprintable",
]

FONT = "KTSans"
FONT_BOLD = "KTSans-Bold"
FONT_ITALIC = "KTSans-Oblique"


class Family(NamedTuple):
    name: str  # the regular face's registered name, used in <font face="…">
    regular: str
    bold: str
    italic: str
    files: dict[str, str]  # registered face name -> file in resources/fonts


FAMILIES: tuple[Family, ...] = (
    Family(FONT, FONT, FONT_BOLD, FONT_ITALIC, {
        FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    }),
    Family("KTArabic", "KTArabic", "KTArabic-Bold", "KTArabic", {
        "KTArabic": "NotoNaskhArabic-Regular.ttf", "KTArabic-Bold": "NotoNaskhArabic-Bold.ttf",
    }),
    Family("KTEthiopic", "KTEthiopic", "KTEthiopic-Bold", "KTEthiopic", {
        "KTEthiopic": "NotoSansEthiopic-Regular.ttf", "KTEthiopic-Bold": "NotoSansEthiopic-Bold.ttf",
    }),
    Family("KTCJK", "KTCJK", "KTCJK", "KTCJK", {"KTCJK": "DroidSansFallbackFull.ttf"}),
)

# Faces whose runs are right-to-left whatever their (shaped) characters say: after
# shaping, an Arabic word's characters are presentation forms or private-use code
# points standing for ligature glyphs, which no longer tell the direction.
_RTL_FAMILIES = frozenset({"KTArabic"})


def _fonts_dir() -> Path:
    try:
        return Path(str(resources.files("resources") / "fonts"))
    except ModuleNotFoundError:  # run from a checkout without the package installed
        return Path(__file__).resolve().parents[2] / "resources" / "fonts"


FONTS_DIR = _fonts_dir()


_REGISTER_LOCK = threading.Lock()


def register_fonts() -> tuple[str, str, str]:
    """Register the bundled TTFs (once per process, also when the desktop's name check
    and a verslag build in a worker thread ask at once); returns (regular, bold, italic)."""
    with _REGISTER_LOCK:
        return _register()


@functools.cache
def _register() -> tuple[str, str, str]:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from . import shaping

    for family in FAMILIES:
        for name, filename in family.files.items():
            path = FONTS_DIR / filename
            if not path.is_file():
                raise FileNotFoundError(
                    f"Het lettertype {filename} ontbreekt in {FONTS_DIR}; de installatie is niet compleet."
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # <b> and <i> in paragraphs map to the family's faces; bold-italic falls back to
        # bold. The plain styles last, so that a face maps back to its own style.
        addMapping(family.name, 1, 1, family.bold)
        addMapping(family.name, 0, 1, family.italic)
        addMapping(family.name, 1, 0, family.bold)
        addMapping(family.name, 0, 0, family.regular)
    for family in FAMILIES:
        if family.name != "KTCJK":  # CJK is not shaped into unencoded glyphs; 20,000 of them
            for name in family.files:
                _encode_every_glyph(pdfmetrics.getFont(name))
    shaping.install()
    return FONT, FONT_BOLD, FONT_ITALIC


def _encode_every_glyph(font: Any) -> None:  # Any: a reportlab TTFont (untyped)
    """Give every glyph without a code point its private-use code now, in glyph order.

    A shaped glyph that no character maps to (the ligature of "الله" in "عبدالله") gets
    a private-use code point from reportlab the first time it is drawn, in the order the
    process meets them; the same verslag would then get different bytes depending on
    what was printed before it. Assigned here, once, the codes are the same in every
    process."""
    hb_font = font.hbFont(10)
    face = font.face
    for gid in range(len(face.hmetrics)):
        if gid and gid not in face.glyphToChar:
            font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, hb_font.get_glyph_h_advance(gid))


@functools.cache
def _coverage() -> tuple[tuple[str, frozenset[int]], ...]:
    """Per family, the code points every one of its faces has a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    out = []
    for family in FAMILIES:
        faces = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in family.files]
        out.append((family.name, frozenset(set.intersection(*faces))))
    return tuple(out)


@functools.cache
def _face_family() -> dict[str, str]:
    return {name: family.name for family in FAMILIES for name in family.files}


FALLBACK_FAMILIES = frozenset(f.name for f in FAMILIES[1:])


def rtl_font(font_name: str) -> bool:
    """True for a registered face whose runs are right-to-left (the Arabic faces)."""
    return _face_family().get(font_name) in _RTL_FAMILIES


def ignorable(ch: str) -> bool:
    """Invisible format characters the verslag leaves out (bidi controls, variation
    selectors, zero-width space): the verslag does its own bidi, and nothing is lost
    in print by dropping them. ZWJ/ZWNJ are kept where the font has them (Persian)."""
    if ch in "\u200c\u200d":
        return False
    return unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f"


def family_of(ch: str, current: str | None = None) -> str | None:
    """The family that prints ``ch``: ``current`` when it has the character (so spaces,
    digits and punctuation stay in the run they are typed in), else the first family
    that has it; None when no bundled font has it."""
    coverage = _coverage()
    cp = ord(ch)
    if current is not None:
        for name, covered in coverage:
            if name == current:
                if cp in covered:
                    return current
                break
    for name, covered in coverage:
        if cp in covered:
            return name
    return None


def runs(text: str) -> list[tuple[str | None, str]]:
    """``text`` (NFC) cut into (family, run) pieces; family None for characters no
    bundled font has. Spaces, digits, punctuation and combining marks join the run
    they are in when its font has them."""
    pieces: list[tuple[str | None, str]] = []
    current: str | None = None
    for ch in text:
        if ignorable(ch):
            continue
        # a letter picks its own family; anything else stays in the run it is in
        family = family_of(ch) if _strong(ch) else family_of(ch, current)
        pieces.append((family, ch))
        if family is not None:
            current = family
    return [(family, "".join(ch for _, ch in group)) for family, group in groupby(pieces, key=lambda p: p[0])]


def _strong(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("L", "R", "AL")


def unprintable(text: str) -> set[str]:
    """The characters of ``text`` that no bundled font can print (empty: all printable).

    Whitespace and invisible format characters never count. The desktop shows these
    when a name is typed, before the family signs a verslag that would misprint them.
    """
    text = unicodedata.normalize("NFC", text)
    if text.isascii():  # the main font has all of ASCII: no need to load the fonts
        return set()
    return {
        ch
        for ch in set(text)
        if not ch.isspace() and not ignorable(ch) and unicodedata.category(ch) != "Cc" and family_of(ch) is None
    }
