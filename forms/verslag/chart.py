"""The verslag's pictures, drawn with plain reportlab.graphics shapes.

- :func:`zrm_chart`, the ZRM overview: a bar per life domain, per adult. Drawn with
  plain shapes rather than a grouped bar chart: a grouped chart leaves an empty slot for
  everyone without a score on a domain, which reads as a gap. Here each domain lists
  only the bars it has, each bar named, with the score in words beside it.
- :func:`level_chart`, one child's safety over time: per judgment (veiligheid nu,
  risico later) a lane of three levels, best on top, with a marker per assessment at
  its level, coloured green, amber or red and joined by a line. The level is in the
  position and in the words at the left, so a grey print reads the same; the marker of
  this gesprek is ringed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import FONT, FONT_BOLD
from .shaping import draw_line

__all__ = ["Lane", "level_chart", "zrm_chart"]

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


# --- safety over time ---------------------------------------------------------------------

# best, middle, worst: the verslag's green, amber and a muted red
LEVEL_COLOURS = (colors.HexColor("#5E8A4E"), colors.HexColor("#D08C1F"), colors.HexColor("#B23A2B"))
LEVEL_GAP = 11.0  # between two levels of a lane
LANE_PAD = 7.0  # above and below a lane's levels
AXIS_H = 24.0  # the dates and kinds of gesprek under the lanes
LANE_LABEL_W = 150.0  # lane title and level words at the left
MARKER_R = 4.2


class Lane(NamedTuple):
    """One judgment over time: ``levels`` are its words, best first (three of them);
    ``values[column]`` is the index into ``levels``, or None where there is none."""

    titel: str
    levels: Sequence[str]
    values: Sequence[int | None]


def level_chart(
    columns: Sequence[tuple[str, str]],
    lanes: Sequence[Lane],
    *,
    width: float,
    highlight: int | None = None,
) -> Drawing:
    """``columns``: per assessment, oldest first, its date and the kind of gesprek
    ("intake", "evaluatie"), printed under the lanes. ``highlight``: the column of this
    gesprek, ringed."""
    lane_h = 2 * LANE_PAD + LEVEL_GAP * 2
    height = AXIS_H + lane_h * len(lanes)
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT  # reportlab.graphics would otherwise open with Helvetica
    drawing.initialFontSize = FONT_SIZE

    plot_x = LANE_LABEL_W
    plot_w = width - plot_x
    step = plot_w / max(len(columns), 1)

    def column_x(index: int) -> float:
        return plot_x + step * (index + 0.5)

    if highlight is not None and 0 <= highlight < len(columns):
        # a light band behind this gesprek's column, from the top to the date
        drawing.add(
            Rect(column_x(highlight) - step / 2 + 2, 2, step - 4, height - 2, fillColor=_BAND,
                 strokeColor=None)
        )

    top = height
    for lane_index, lane in enumerate(lanes):
        if lane_index:
            drawing.add(Line(0, top, width, top, strokeColor=_GRID, strokeWidth=0.5))
        level_y = [top - LANE_PAD - LEVEL_GAP * level for level in range(len(lane.levels))]
        drawing.add(
            String(0, level_y[1] - 2.8, lane.titel, fontName=FONT_BOLD, fontSize=FONT_SIZE,
                   fillColor=_INK)
        )
        for level, (word, y) in enumerate(zip(lane.levels, level_y, strict=True)):
            drawing.add(
                String(plot_x - 8, y - 2.6, word, fontName=FONT, fontSize=7.2,
                       fillColor=LEVEL_COLOURS[min(level, 2)], textAnchor="end")
            )
            drawing.add(Line(plot_x, y, width, y, strokeColor=_GRID, strokeWidth=0.5,
                             strokeDashArray=[1.5, 2]))
        points = [
            (column_x(c), level_y[v], v, c) for c, v in enumerate(lane.values) if v is not None
        ]
        if len(points) > 1:
            flat = [coord for x, y, _, _ in points for coord in (x, y)]
            drawing.add(PolyLine(flat, strokeColor=_MUTED, strokeWidth=0.9))
        for x, y, level, column in points:
            if column == highlight:
                drawing.add(Circle(x, y, MARKER_R + 2.2, fillColor=colors.white, strokeColor=_INK,
                                   strokeWidth=1.1))
            drawing.add(Circle(x, y, MARKER_R, fillColor=LEVEL_COLOURS[min(level, 2)],
                               strokeColor=colors.white, strokeWidth=0.8))
        top -= lane_h

    drawing.add(Line(plot_x, AXIS_H - 2, width, AXIS_H - 2, strokeColor=_MUTED, strokeWidth=0.6))
    for index, (when, kind) in enumerate(columns):
        x = column_x(index)
        bold = index == highlight
        drawing.add(String(x, AXIS_H - 11, when, fontName=FONT_BOLD if bold else FONT,
                           fontSize=7.2, fillColor=_INK, textAnchor="middle"))
        drawing.add(String(x, AXIS_H - 20, kind, fontName=FONT, fontSize=6.8, fillColor=_MUTED,
                           textAnchor="middle"))
    return drawing
