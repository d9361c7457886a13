"""Render the demo household's verslag to PNG, offscreen, for review.

    python -m forms.verslag.render OUT.png            # page 1
    python -m forms.verslag.render OUT.png --all      # OUT-1.png, OUT-2.png, …
    python -m forms.verslag.render OUT.png --page 3 --scale 2
    python -m forms.verslag.render OUT.png --evaluatie  # the demo's first evaluatieverslag

The PDF is built and rasterised in memory with PDFium (pypdfium2); only the PNGs
are written. The demo family is fictional.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..models import Dossier
from .build import build_pdf
from .settings import VerslagSettings

__all__ = ["render_pages", "main"]

DEMO_SETTINGS = VerslagSettings(
    gemeente="Gemeente Den Helder",
    team="Sociaal Wijkteam Den Helder-Centrum",
    wijkcoach="Wijkcoach (demo)",
    team_telefoon="0223-000000",
    team_email="wijkteam@example.org",
)


def render_pages(pdf: bytes, pages: list[int] | None = None, scale: float = 1.5) -> Iterator[tuple[int, Any]]:
    """Yield (page number, PIL image) for the given 1-based pages (all when None).

    The image is Any: pypdfium2 is untyped and PIL is not a dependency of ours."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        numbers = pages or list(range(1, len(document) + 1))
        for number in numbers:
            page = document[number - 1]
            bitmap = page.render(scale=scale)
            yield number, bitmap.to_pil()
            page.close()
    finally:
        document.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forms.verslag.render", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="PNG to write (with --all: OUT-1.png, OUT-2.png, …)")
    parser.add_argument("--page", type=int, default=1, help="1-based page number (default 1)")
    parser.add_argument("--all", action="store_true", help="render every page")
    parser.add_argument("--scale", type=float, default=1.5, help="1.0 = 72 dpi (default 1.5)")
    parser.add_argument("--signed", action="store_true", help="demo with drawn signatures")
    parser.add_argument("--evaluatie", action="store_true",
                        help="the demo's finalised evaluatie (demo_trajectory) instead of its intake")
    args = parser.parse_args(argv)

    from ..demo import demo_dossier, demo_trajectory

    if args.evaluatie:
        dossier = demo_trajectory(dt.date(2025, 3, 12)).versions[1]
    else:
        dossier = demo_dossier(dt.date(2025, 3, 12))
    if args.signed:
        dossier = _with_demo_signatures(dossier)
    pdf = build_pdf(dossier, settings=DEMO_SETTINGS)
    pages = None if args.all else [args.page]
    for number, image in render_pages(pdf, pages, args.scale):
        target = args.out.with_name(f"{args.out.stem}-{number}{args.out.suffix}") if args.all else args.out
        image.save(target)
        print(target)
    return 0


def _with_demo_signatures(dossier: Dossier) -> Dossier:
    """The demo with two drawn signatures and the wijkcoach's, to review that block."""
    import io

    from PIL import Image, ImageDraw

    from ..models import Signature

    def scribble(seed: int) -> bytes:
        img = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
        draw = ImageDraw.Draw(img)
        points = [(20 + i * 16, 70 + ((i * seed * 7) % 40) - 20) for i in range(20)]
        draw.line(points, fill=(20, 40, 90, 255), width=4, joint="curve")
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        return buf.getvalue()

    parents = [m for m in dossier.huishouden.leden if m.rol.value == "ouder"]
    sigs = [
        Signature(member_id=parents[0].id, naam=parents[0].naam, plaats="Den Helder",
                  datum=dossier.gesprek.datum, afbeelding_png=scribble(3)),
        Signature(member_id=parents[1].id, naam=parents[1].naam, plaats="Den Helder",
                  datum=dossier.gesprek.datum, weigering_reden="Wil eerst met zijn broer overleggen."),
        Signature(member_id=None, naam="Wijkcoach (demo)", plaats="Den Helder",
                  datum=dossier.gesprek.datum, afbeelding_png=scribble(5)),
    ]
    return dossier.model_copy(update={"handtekeningen": sigs})


if __name__ == "__main__":
    raise SystemExit(main())
