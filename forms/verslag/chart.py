"""The ZRM overview as a chart: a bar per life domain, per adult (reportlab.graphics).

Drawn with plain shapes rather than a grouped bar chart: a grouped chart leaves an
empty slot for everyone without a score on a domain, which reads as a gap. Here each
domain lists only the bars it has, each bar named, with the score in words beside it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import FONT, FONT_BOLD
from .shaping import draw_line

__all__ = ["zrm_chart"]

_INK = colors.HexColor("#1E2A35")
_MUTED = colors.HexColor("#5B6B78")
_GRID = colors.HexColor("#DCE3E9")
_BAND = colors.HexColor("#F4F7F9")

ROW_H = 13.0  # one bar row
BAR_H = 8.5
GROUP_PAD = 5.0  # above and below each domain's rows
HEAD_H = 14.0  # the scale numbers on top
DOMAIN_W = 118.0
NAME_W = 58.0
LABEL_W = 118.0
FONT_SIZE = 8.0


def _wrap(label: str, width_pt: float) -> list[str]:
    # wrap by measured width, not characters: DejaVu is wide
    words, lines, line = label.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and stringWidth(trial, FONT_BOLD, FONT_SIZE) > width_pt:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines or textwrap.wrap(label, 20)


class _Chart(Drawing):
    """The chart, with the people's names drawn as the verslag's text is: a name in
    Arabic or Chinese needs fallback fonts, shaping and right-to-left order, which a
    plain ``String`` shape cannot give."""

    _attrMap = AttrMap(BASE=Drawing, names=AttrMapValue(None, desc="(right edge, baseline, name)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: list[tuple[float, float, str]] = []  # right edge, baseline, name

    def draw(self, *args: Any, **kwargs: Any) -> None:
        super().draw(*args, **kwargs)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(_INK)
        for x, y, name in self.names:
            draw_line(canvas, x, y, name, FONT, FONT_SIZE, align="right")
        canvas.restoreState()


def zrm_chart(
    domains: Sequence[str],
    series_names: Sequence[str],
    values: Sequence[Sequence[int | None]],
    palette: Sequence[Any],
    *,
    width: float,
    label: Callable[[int], str] = str,
) -> Drawing:
    """``values[series][domain]`` is a score 1–5 or None (no bar for that person there)."""
    groups: list[tuple[list[str], list[tuple[int, int]]]] = []
    for d, name in enumerate(domains):
        bars = [(s, score) for s, row in enumerate(values) if (score := row[d]) is not None]
        if bars:
            lines = _wrap(name, DOMAIN_W - 8)
            groups.append((lines, bars))

    def group_height(lines: list[str], bars: list[tuple[int, int]]) -> float:
        return max(len(bars) * ROW_H, len(lines) * 10.0) + 2 * GROUP_PAD

    height = HEAD_H + sum(group_height(*g) for g in groups) + 2
    drawing = _Chart(width, height)
    drawing.initialFontName = FONT  # reportlab.graphics would otherwise open with Helvetica
    drawing.initialFontSize = FONT_SIZE

    bar_x = DOMAIN_W + NAME_W
    bar_w = width - bar_x - LABEL_W
    unit = bar_w / 5

    # The scale: a light band with lines at 1..5 and the numbers on top.
    drawing.add(Rect(bar_x, 0, bar_w, height - HEAD_H, fillColor=_BAND, strokeColor=None))
    for score in range(1, 6):
        x = bar_x + score * unit
        drawing.add(Line(x, 0, x, height - HEAD_H, strokeColor=_GRID, strokeWidth=0.6))
        drawing.add(
            String(x, height - HEAD_H + 4, str(score), fontName=FONT, fontSize=7.5,
                   fillColor=_MUTED, textAnchor="middle")
        )
    drawing.add(Line(bar_x, 0, bar_x, height - HEAD_H, strokeColor=_MUTED, strokeWidth=0.6))

    y = height - HEAD_H
    for index, (lines, bars) in enumerate(groups):
        gh = group_height(lines, bars)
        if index:
            drawing.add(Line(0, y, width, y, strokeColor=_GRID, strokeWidth=0.5))
        # domain name, top-aligned with the first bar
        ty = y - GROUP_PAD - 8.5
        for line in lines:
            drawing.add(String(0, ty, line, fontName=FONT_BOLD, fontSize=FONT_SIZE, fillColor=_INK))
            ty -= 10
        by = y - GROUP_PAD
        for series, score in bars:
            row_mid = by - ROW_H / 2
            colour = palette[series % len(palette)]
            drawing.names.append((bar_x - 6, row_mid - 2.8, series_names[series]))
            drawing.add(
                Rect(bar_x, row_mid - BAR_H / 2, score * unit, BAR_H, fillColor=colour,
                     strokeColor=None)
            )
            drawing.add(
                String(bar_x + bar_w + 6, row_mid - 2.8, f"{score} · {label(score)}",
                       fontName=FONT, fontSize=7.6, fillColor=_MUTED)
            )
            by -= ROW_H
        y -= gh
    return drawing
