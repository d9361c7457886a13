"""The verslag's fonts: DejaVu Sans, bundled in ``resources/fonts`` and embedded in every PDF.

Registered with reportlab once per process (parsing a TTF costs tens of milliseconds);
reportlab keeps each document's glyph subset apart, so the registered fonts are safe
to share between builds.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

__all__ = ["FONT", "FONT_BOLD", "FONT_ITALIC", "FONTS_DIR", "register_fonts"]

FONT = "KTSans"
FONT_BOLD = "KTSans-Bold"
FONT_ITALIC = "KTSans-Oblique"

_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}


def _fonts_dir() -> Path:
    try:
        return Path(str(resources.files("resources") / "fonts"))
    except ModuleNotFoundError:  # run from a checkout without the package installed
        return Path(__file__).resolve().parents[2] / "resources" / "fonts"


FONTS_DIR = _fonts_dir()


@functools.cache
def register_fonts() -> tuple[str, str, str]:
    """Register the bundled TTFs (once per process); returns (regular, bold, italic) names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        path = FONTS_DIR / filename
        if not path.is_file():
            raise FileNotFoundError(
                f"Het lettertype {filename} ontbreekt in {FONTS_DIR}; de installatie is niet compleet."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> and <i> in paragraphs map to the bundled faces; bold-italic falls back to bold.
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT, FONT_BOLD, FONT_ITALIC
