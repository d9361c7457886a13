"""The verslag of each gesprek: the PDF the parents read and sign at the kitchen table.

    from forms.verslag import build_pdf, VerslagSettings
    pdf = build_pdf(dossier, definitions, VerslagSettings(gemeente="Gemeente Den Helder", team="…"))

The gesprek's soort picks the verslag: the gesprek-adviesverslag of the intake, the
evaluatieverslag, the afsluitverslag (``vervolg``). ``build_veiligheidsplan_pdf(final,
kernbeslissing_id)`` prints the veiligheidsplan of one kernbeslissing.

Built in memory (bytes, nothing on disk), A4, plain Dutch, fonts embedded,
deterministic for the same input. ``python -m forms.verslag.render OUT.png`` renders
the demo household's verslag for review.

Names and texts print in the script they were typed in (``shaping``: fallback fonts
per run, HarfBuzz shaping, right-to-left order); ``unprintable(text)`` names the
characters no bundled font has, for a warning while they are typed.
"""

from __future__ import annotations

from .build import SECTION_HEADINGS, SOORT_TITEL, build_pdf, dossier_nummer, verslag_hash
from .fonts import unprintable
from .settings import VerslagSettings
from .vervolg import (
    AFSLUITING_HEADINGS,
    EVALUATIE_HEADINGS,
    VEILIGHEIDSPLAN_HEADINGS,
    GeenVeiligheidsplan,
    build_veiligheidsplan_pdf,
)

__all__ = [
    "AFSLUITING_HEADINGS",
    "EVALUATIE_HEADINGS",
    "SECTION_HEADINGS",
    "SOORT_TITEL",
    "VEILIGHEIDSPLAN_HEADINGS",
    "GeenVeiligheidsplan",
    "VerslagSettings",
    "build_pdf",
    "build_veiligheidsplan_pdf",
    "dossier_nummer",
    "page_count",
    "unprintable",
    "verslag_hash",
]


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF held in memory (read with PDFium, as the preview does)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()
