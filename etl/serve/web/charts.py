"""Charts as SVG drawn on the server: no JavaScript, no chart library, readable offline."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

COLOURS = {"actual": "#1f5fa8", "target": "#c2410c", "estimate": "#6d28d9"}
SHAPES = {"actual": "circle", "target": "diamond", "estimate": "square"}


def _nice(v: float) -> str:
    a = abs(v)
    for scale, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if a >= scale:
            return f"{v / scale:.4g}{word}"
    return f"{v:.4g}"


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    for m in (1, 2, 5, 10):
        if (hi - lo) / (step * m) <= n:
            step *= m
            break
    ticks = [math.floor(lo / step) * step]
    while ticks[-1] < hi - step * 1e-9:  # up to the first tick at or above the top value
        ticks.append(ticks[-1] + step)
    return ticks


def _marker(shape: str, x: float, y: float, colour: str, filled: bool) -> str:
    fill = colour if filled else "#fff"
    common = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" {common}/>'
    if shape == "square":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" {common}/>'
    return (f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} '
            f'{x - 6:.1f},{y:.1f}" {common}/>')


def series_chart(points: Sequence[dict[str, Any]], unit: str,
                 link: Callable[[dict[str, Any]], str], width: int = 760,
                 height: int = 360) -> Markup:
    """A metric over the years: actuals, targets and estimates as separate lines (and
    marker shapes), each point a link to its sentence; reviewed points filled."""
    if not points:
        return Markup('<p class="empty">No figures for this choice.</p>')
    left, right, top, bottom = 78, 130, 20, 40
    years = [int(p["year"]) for p in points]
    values = [float(p["value"]) if isinstance(p["value"], Decimal | int | float) else 0.0
              for p in points]
    y0, y1 = min(years), max(years)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    lo, hi = min(0.0, *values), max(values)
    ticks = _ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    w, h = width - left - right, height - top - bottom

    def sx(year: float) -> float:
        return left + (year - y0) / (y1 - y0) * w

    def sy(v: float) -> float:
        return top + h - (v - lo) / ((hi - lo) or 1) * h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
           f'{height}" width="{width}" height="{height}" role="img" '
           f'aria-label="series chart">']
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" '
                   f'class="grid"/><text x="{left - 6}" y="{sy(t) + 4:.1f}" '
                   f'text-anchor="end" class="tick">{escape(_nice(t))}</text>')
    step = max(1, math.ceil((y1 - y0) / 12))
    for y in range(y0, y1 + 1, step):
        out.append(f'<text x="{sx(y):.1f}" y="{top + h + 18}" text-anchor="middle" '
                   f'class="tick">{y}</text>')
    out.append(f'<line x1="{left}" x2="{left + w}" y1="{top + h}" y2="{top + h}" class="axis"/>')
    out.append(f'<text x="{left - 60}" y="{top - 6}" class="tick">{escape(unit)}</text>')
    actuals = sorted(((int(p["year"]), v, p) for p, v in zip(points, values, strict=True)
                      if p["status"] == "actual"), key=lambda t: t[0])
    for i, status in enumerate(("actual", "target", "estimate")):
        mine = sorted(((int(p["year"]), v, p) for p, v in zip(points, values, strict=True)
                       if p["status"] == status), key=lambda t: t[0])
        colour = COLOURS[status]
        # The line runs through one value a year (the first stated); a target or an
        # estimate line starts at the last actual before it, so the plan reads as a
        # continuation of the record.
        line: dict[int, float] = {}
        for y, v, _ in mine:
            line.setdefault(y, v)
        if status != "actual" and line:
            before = [(y, v) for y, v, p in actuals if y < min(line)]
            if before:
                line = {before[-1][0]: before[-1][1], **line}
        if len(line) > 1:
            path = " ".join(f"{sx(y):.1f},{sy(v):.1f}" for y, v in sorted(line.items()))
            dash = ' stroke-dasharray="6 4"' if status != "actual" else ""
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       f'stroke-width="1.5"{dash}/>')
        for y, v, p in mine:
            label = f"{y} {status}: {p['value_text']} ({p['document']})"
            out.append(f'<a href="{escape(link(p))}" class="pt"><title>{escape(label)}</title>'
                       + _marker(SHAPES[status], sx(y), sy(v), colour, bool(p["reviewed"]))
                       + "</a>")
        ly = top + 10 + i * 22
        out.append(_marker(SHAPES[status], left + w + 20, ly, colour, True)
                   + f'<text x="{left + w + 32}" y="{ly + 4}" class="legend">{status}</text>')
    out.append(f'<text x="{left + w + 14}" y="{top + 84}" class="note">filled: reviewed</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(rows: Sequence[tuple[str, int]], horizontal: bool = False,
              width: int = 560) -> Markup:
    """Counts as bars: horizontal with labels for categories, vertical for years."""
    if not rows:
        return Markup('<p class="empty">No records.</p>')
    top_n = max(int(n) for _, n in rows) or 1
    if horizontal:
        bar, gap, label_w = 18, 6, 190
        height = len(rows) * (bar + gap) + 10
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
               f'{height}" width="{width}" height="{height}" role="img">']
        for i, (label, n) in enumerate(rows):
            y = 5 + i * (bar + gap)
            w = (width - label_w - 60) * int(n) / top_n
            out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" class="tick">'
                       f'{escape(label)}</text><rect x="{label_w}" y="{y}" width="{w:.1f}" '
                       f'height="{bar}" class="bar"/><text x="{label_w + w + 4:.1f}" '
                       f'y="{y + 13}" class="tick">{n}</text>')
    else:
        height, bottom = 220, 30
        slot = (width - 40) / len(rows)
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
               f'{height}" width="{width}" height="{height}" role="img">']
        every = max(1, math.ceil(len(rows) / 14))
        for i, (label, n) in enumerate(rows):
            h = (height - bottom - 20) * int(n) / top_n
            x = 20 + i * slot
            out.append(f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" '
                       f'width="{max(1.0, slot - 2):.1f}" height="{h:.1f}" class="bar">'
                       f'<title>{escape(label)}: {n}</title></rect>')
            if i % every == 0:
                out.append(f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" '
                           f'text-anchor="middle" class="tick">{escape(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
