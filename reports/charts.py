"""Server-side inline SVG charts for reports and dashboards: no JavaScript, no external assets.

Each function returns an ``<svg>`` element as :class:`markupsafe.Markup`, sized in
CSS pixels, with its labels in the report's CJK font. Values are plain numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

FONT = "'Noto Serif CJK SC', 'Noto Sans CJK SC', serif"
#: Sober print colours (grey-blue first, like a bureau's monochrome printer would keep legible).
PALETTE = ("#3b5b8c", "#b5452d", "#5f8a3e", "#c28f2c", "#6d4c8d", "#2f8a8a", "#8c6d3b", "#777777")


def _num(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _text(x, y, content, size=11, anchor="middle", weight="normal", fill="#222", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}" font-family="{FONT}"{extra}>{escape(content)}</text>')


def _svg(width, height, body, title):
    label = escape(title or "")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        + "".join(body) + "</svg>"
    )


def _axes(left, top, plot_w, plot_h, top_value, unit, ticks=5):
    body = []
    for i in range(ticks + 1):
        value = top_value * i / ticks
        y = top + plot_h - plot_h * i / ticks
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                    f'stroke="{"#999" if i == 0 else "#ddd"}" stroke-width="0.8"/>')
        body.append(_text(left - 6, y + 4, _num(value) + (unit if i == ticks else ""), size=9,
                          anchor="end", fill="#555"))
    return body


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str = "", unit: str = "",
              width: int = 640, height: int = 260, max_value: float | None = None,
              target: float | None = None, target_label: str = "") -> Markup:
    """A vertical bar chart; ``target`` draws a dashed reference line (e.g. a standard)."""
    values = [float(v or 0) for v in values]
    top_value = max_value if max_value is not None else _nice_max(max(values + [target or 0, 0]))
    left, right, top, bottom = 56, 16, 46 if title else 24, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    body = [_text(width / 2, 18, title, size=13, weight="bold")] if title else []
    body += _axes(left, top, plot_w, plot_h, top_value, unit)
    n = max(len(values), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.6, 48)
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        h = plot_h * min(value, top_value) / top_value if top_value else 0
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[0]}"/>')
        body.append(_text(x + bar_w / 2, y - 4, _num(value) + unit, size=9))
        label = str(label)
        if len(label) > 8:
            label = label[:7] + "…"
        angle = "" if n <= 8 else f' transform="rotate(-30 {x + bar_w / 2:.1f} {top + plot_h + 14:.1f})"'
        body.append(_text(x + bar_w / 2, top + plot_h + 16, label, size=10,
                          anchor="middle" if n <= 8 else "end", extra=angle))
    if target is not None and top_value:
        y = top + plot_h - plot_h * min(float(target), top_value) / top_value
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                    f'stroke="{PALETTE[1]}" stroke-width="1.2" stroke-dasharray="5,3"/>')
        label = target_label or _num(float(target)) + unit
        body.append(f'<rect x="{left + plot_w - 7 * len(label) - 10:.1f}" y="{y + 3:.1f}" '
                    f'width="{7 * len(label) + 8:.1f}" height="13" fill="#fff" fill-opacity="0.85"/>')
        body.append(_text(left + plot_w - 4, y + 13, label, size=9, anchor="end", fill=PALETTE[1]))
    return _svg(width, height, body, title)


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float]], title: str = "",
               unit: str = "", width: int = 640, height: int = 260) -> Markup:
    """One line per series over the same labels, with a legend."""
    all_values = [float(v or 0) for vs in series.values() for v in vs]
    top_value = _nice_max(max(all_values + [0]))
    left, right, top, bottom = 56, 16, 34 if title else 14, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    body = [_text(width / 2, 20, title, size=13, weight="bold")] if title else []
    body += _axes(left, top, plot_w, plot_h, top_value, unit)
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    for i, label in enumerate(labels):
        body.append(_text(left + step * i, top + plot_h + 16, str(label), size=10))
    for s, (name, values) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        points = [(left + step * i, top + plot_h - plot_h * float(v or 0) / top_value)
                  for i, v in enumerate(values)]
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" points="'
                    + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        for x, y in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
        lx = left + s * 130
        body.append(f'<rect x="{lx}" y="{height - 18}" width="12" height="8" fill="{colour}"/>')
        body.append(_text(lx + 16, height - 10, str(name), size=10, anchor="start"))
    return _svg(width, height, body, title)


def pie_chart(labels: Sequence[str], values: Sequence[float], title: str = "",
              width: int = 420, height: int = 240) -> Markup:
    """A pie with a legend giving each share in per cent."""
    values = [max(float(v or 0), 0.0) for v in values]
    total = sum(values)
    top = 34 if title else 10
    radius = min((height - top - 10) / 2, width * 0.25)
    cx, cy = 10 + radius, top + radius
    body = [_text(width / 2, 20, title, size=13, weight="bold")] if title else []
    angle = -math.pi / 2
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        colour = PALETTE[i % len(PALETTE)]
        share = value / total if total else 0
        if share >= 0.9999:
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{colour}"/>')
        elif share > 0:
            end = angle + 2 * math.pi * share
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
            large = 1 if share > 0.5 else 0
            body.append(f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} A{radius:.1f},{radius:.1f} '
                        f'0 {large} 1 {x2:.1f},{y2:.1f} Z" fill="{colour}" stroke="#fff" '
                        f'stroke-width="1"/>')
            angle = end
        ly = top + 8 + i * 18
        lx = cx + radius + 24
        body.append(f'<rect x="{lx:.1f}" y="{ly:.1f}" width="12" height="10" fill="{colour}"/>')
        body.append(_text(lx + 18, ly + 9, f"{label}  {share:.1%}", size=10, anchor="start"))
    return _svg(width, height, body, title)
