"""Long ledgers (台账), fast: thousands of rows through WeasyPrint in seconds.

WeasyPrint's cost is Python work per box and per line of text: a ledger laid out as an HTML
``<table>`` costs a table-row box, eight cell boxes, eight line boxes and eight text boxes per row
and makes the table layout look at every one of them (10,000 rows: 100-150 s, 1.2-1.7 GB here).
This module lays the ledger out itself and hands WeasyPrint very few boxes:

* **we paginate**: a fixed row height (5 mm a line) on a fixed page gives the lines per page in
  Python; every page is an independent block of fixed height with ``break-after: page``;
* **one text block per page**: the rows of a page are ONE ``<pre>`` in a monospaced CJK font
  (Noto Sans Mono CJK SC: Latin 0.5 em, Hanzi 1 em), each row one line of padded columns, so a
  page is ~35 lines instead of ~1,000 boxes. Widths are counted in half-width cells with
  ``unicodedata.east_asian_width``; numbers are right-aligned by padding; text that does not fit
  its column is wrapped in Python onto extra lines of the same row (no data is cut);
* **the grid is one inline SVG per page** (lines at the column and row boundaries we computed),
  drawn behind the text: cheaper than cell borders, CSS background layers or positioned divs;
* **literal page numbers**: we know the page count before rendering, so every page carries its
  own "第 k 页 共 N 页" and page ranges can be rendered independently;
* **segments in parallel**: page ranges (40 pages) are rendered by 2 worker processes
  (``python -m reports.ledger_worker``, started before the layout so their WeasyPrint import
  overlaps it) and joined with ``pdfunite``; each segment embeds its own subset of the font.

See docs/ledger.md for what each step gained, and benchmarks/ledger_benchmark.py to measure.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import html
import json
import logging
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from flask_babel import gettext as _

from core.display import current_locale, format_number, local_time, text_direction

__all__ = [
    "Column",
    "LedgerLayout",
    "PlacedRow",
    "check_ledger_pdf",
    "display_width",
    "format_value",
    "layout_ledger",
    "ledger_html_segments",
    "render_ledger_pdf",
]

LOGGER = logging.getLogger(__name__)

BODY_FONT = "Noto Sans Mono CJK SC"
TITLE_FONT = "Noto Serif CJK SC"
FONT_PT = 9.0  # body font size
CELL_MM = FONT_PT / 2 * 25.4 / 72  # one half-width character of the monospaced font
LINE_MM = 5.0  # one text line of a row
HEADER_MM = 7.0  # the column header row
MARGIN_MM = (10.0, 12.0, 10.0, 12.0)  # top, right, bottom, left
FOOTER_MM = 6.0
TITLE_MM = 12.0
SUBLINE_MM = 7.0
SLACK_MM = 1.0  # keeps every page block strictly inside its page
SEGMENT_PAGES = 40  # pages per process-pool task
PARALLEL_MIN_PAGES = 24  # below this a single in-process render is faster than starting workers
EARLY_START_ROWS = 1000  # a list this long: start the workers before the layout
TOTAL_LABEL = "合计"
# a bold face is one more font file (Noto Sans Mono CJK Bold, 20 MB) held in every render worker
BOLD_HEADER = False
# "direct": pages written straight to PDF (reports/ledger_direct.py, ~1 ms a page instead of
# WeasyPrint's 35-50 ms); "weasyprint": every page through WeasyPrint (the fallback)
ENGINE = "direct"
SQUEEZE_SPACES = True  # padding as U+3000 (2 cells a glyph): fewer glyphs to draw


@dataclass(frozen=True)
class Column:
    """One ledger column.

    ``width``: millimetres when > 1, a fraction of the text width when <= 1, or None (share of what
    is left). ``align``: "left", "right" or "center". ``fmt``: a format spec (",.2f") or a callable
    turning the value into text; None uses ``str`` (dates as ISO). ``sum``: the column is totalled
    (exactly, with Decimal) in the 合计 row.
    """

    key: str
    label: str
    width: float | None = None
    align: str = "left"
    fmt: str | Callable[[object], str] | None = None
    sum: bool = False


# ---------------------------------------------------------------------------------------------
# text measure


_METRICS_SCRIPT = """
import json, sys, unicodedata
from fontTools.ttLib import TTFont
font = TTFont(sys.argv[1], fontNumber=int(sys.argv[2] or 0), lazy=True)
upem, hmtx, cmap = font["head"].unitsPerEm, font["hmtx"], font.getBestCmap()
advances, ranges = {}, []
for cp in sorted(cmap):
    ch = chr(cp)
    rule = 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    advance = round(hmtx[cmap[cp]][0] * 1000 / upem)
    if advance not in (500, 1000) or round(advance / 500) != rule:
        advances[cp] = advance
    if ranges and ranges[-1][1] == cp - 1:
        ranges[-1][1] = cp
    else:
        ranges.append([cp, cp])
print(json.dumps({"advances": advances, "ranges": ranges}))
"""


@dataclass(frozen=True)
class _FontMetrics:
    advances: dict[int, int]  # 1/1000 em, only where the Unicode width rule is not exact
    starts: list[int]  # code point ranges the font covers
    ends: list[int]

    def covers(self, cp: int) -> bool:
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]


@functools.cache
def _font_metrics() -> _FontMetrics | None:
    """What the body font really does where the East-Asian-width rule is not exact.

    Read from the installed font with fontTools in a short child process (fontTools' tables would
    stay in this process's memory, ~20 MB) and cached in the temp dir per font file. E.g. × ± § “ ”
    … are full width in this font ("ambiguous" in Unicode); Φ — ° have advances that are not a
    whole number of cells. None when the font or fontTools is missing (the Unicode rule alone).
    """
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", BODY_FONT], capture_output=True,
                               text=True, timeout=10).stdout
        path, index = found.rsplit(":", 1)
        if "CJK" not in Path(path).name:
            return None
        stat = os.stat(path)
        key = hashlib.sha1(f"{path}:{index}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        cache = Path(tempfile.gettempdir()) / f"jiguan-ledger-metrics-{key}.json"
        if cache.exists():
            data = cache.read_text()
        else:
            data = subprocess.run([sys.executable, "-c", _METRICS_SCRIPT, path, index], check=True,
                                  capture_output=True, text=True, timeout=60).stdout
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(data)
            os.replace(tmp, cache)
        raw = json.loads(data)
        return _FontMetrics({int(cp): adv for cp, adv in raw["advances"].items()},
                            [r[0] for r in raw["ranges"]], [r[1] for r in raw["ranges"]])
    except Exception:  # noqa: BLE001 - no fc-match, no fontTools, odd font: the Unicode rule alone
        return None


@functools.cache
def _char_info(ch: str) -> tuple[int, bool]:
    """(half-width cells the character takes, whether that is exact in the body font)."""
    if unicodedata.combining(ch):
        rule = 0
    else:
        rule = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    metrics = _font_metrics()
    if metrics is None:
        return rule, True
    cp = ord(ch)
    if cp in metrics.advances:
        advance = metrics.advances[cp]
        return round(advance / 500), advance in (0, 500, 1000)
    if not metrics.covers(cp):  # drawn from a fallback font: width unknown
        return rule, False
    return rule, True


def _char_cells(ch: str) -> int:
    return _char_info(ch)[0]


def _is_exact(text: str) -> bool:
    """True when every character of ``text`` is a whole number of cells wide in the body font."""
    return text.isascii() or all(_char_info(ch)[1] for ch in text)


def display_width(text: str) -> int:
    """Width of ``text`` in half-width cells of the monospaced CJK font."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(ch) for ch in text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


_NO_LINE_START = set("）」』】〕》〉，。、；：！？%)]},.;:!?")  # closing marks never start a line (禁则)


def _wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into pieces of at most ``width`` cells (at any character, but a closing mark
    such as ） or ， takes the previous character along instead of starting a line)."""
    if display_width(text) <= width:
        return [text]
    lines, cur, cur_w = [], [], 0
    for ch in text:
        w = _char_cells(ch)
        if cur_w + w > width and cur:
            carry = []
            if ch in _NO_LINE_START and len(cur) > 1:
                carry = [cur.pop()]
            lines.append("".join(cur).rstrip())
            cur, cur_w = carry, sum(_char_cells(c) for c in carry)
            if ch == " " and not carry:
                continue
        cur.append(ch)
        cur_w += w
    if cur:
        lines.append("".join(cur))
    return lines


def _pad(text: str, width: int, align: str) -> str:
    gap = width - display_width(text)
    if gap <= 0:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def format_value(column: Column, value: object) -> str:
    """The text a cell shows."""
    if value is None or value == "":
        return ""
    if callable(column.fmt):
        return _clean(str(column.fmt(value)))
    if column.fmt:
        if isinstance(value, str):
            value = Decimal(value.replace(",", ""))
        grouped = re.fullmatch(r",\.(\d)f", column.fmt)
        if grouped:  # amounts: the locale's grouping and decimal signs (core/display/locale.py)
            return _clean(format_number(value, int(grouped.group(1))))
        return _clean(format(value, column.fmt))
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return _clean(str(value))


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"cannot total {value!r}") from exc


# ---------------------------------------------------------------------------------------------
# layout (pure Python: cells, lines, pages)


class PlacedRow(NamedTuple):
    lines: list[str]  # the row's text lines (more than one when a cell wraps)
    total: bool = False
    span_cells: int = 0  # a total row's label spans this many leading cells (no rules inside)


@dataclass
class LedgerLayout:
    """Everything decided in Python before WeasyPrint sees a box."""

    title: str
    subtitle: str
    meta: list[tuple[str, str]]
    columns: list[Column]
    cells: list[int]  # width of each column in half-width cells (incl. 1 cell padding each side)
    page_size: tuple[float, float]  # mm
    header_line: str
    pages: list[list[PlacedRow]]
    row_count: int
    sums: dict[str, Decimal]
    total_texts: dict[str, str]  # column key -> formatted total in the 合计 row

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def grid_width_mm(self) -> float:
        return sum(self.cells) * CELL_MM


def _column_cells(columns: Sequence[Column], text_width_mm: float, need: Sequence[int]) -> list[int]:
    """Column widths in cells; ``need``: cells a column must have (numbers and dates never wrap)."""
    avail = int(text_width_mm / CELL_MM)
    mins = [max(display_width(c.label) + 2, 4, n) for c, n in zip(columns, need, strict=True)]
    wanted: list[float | None] = []
    for c in columns:
        if c.width is None:
            wanted.append(None)
        elif c.width <= 1:
            wanted.append(c.width * text_width_mm / CELL_MM)
        else:
            wanted.append(c.width / CELL_MM)
    fixed = sum(w for w in wanted if w is not None)
    free = [i for i, w in enumerate(wanted) if w is None]
    if free:
        # what the fixed columns leave, but at least an equal share (then all shrink together)
        share = max((avail - fixed) / len(free), avail / len(columns))
        for i in free:
            wanted[i] = share
    cells = [max(int(w), m) for w, m in zip(wanted, mins, strict=True)]
    total = sum(cells)
    if total > avail:  # shrink the columns above their minimum, proportionally
        excess = total - avail
        room = [c - m for c, m in zip(cells, mins, strict=True)]
        if sum(room) < excess:
            raise ValueError("the columns do not fit the page even at their minimum widths")
        scale = excess / sum(room)
        cells = [c - math.ceil(r * scale) for c, r in zip(cells, room, strict=True)]
    spare = avail - sum(cells)
    if spare > 0:  # the grid spans the text width: give the rest to the widest text column
        texts = [i for i, c in enumerate(columns) if c.align == "left"] or list(range(len(columns)))
        widest = max(texts, key=lambda i: cells[i])
        cells[widest] += spare
    return cells


_ALIGNS = ("left", "right", "center")
_FIX_BASE = 0xF0000  # plane-15 private use: opens a fixed-width cell (width and alignment encoded)
_FIX_CLOSE = "\ue001"
_FIXED = re.compile("([\U000F0000-\U000FFFFD])([^\ue001]*)\ue001")


def _fixed_open(cells: int, align: str) -> str:
    return chr(_FIX_BASE + cells * 4 + _ALIGNS.index(align))


def _fixed_cells(escaped_line: str) -> str:
    """Turn the markers of cells whose text is not a whole number of cells wide (Φ — ° …, or a glyph
    from a fallback font) into inline blocks of the exact cell width: a few boxes, and only there."""
    def box(m: re.Match) -> str:
        code = ord(m.group(1)) - _FIX_BASE
        width, align = code // 4 * CELL_MM, _ALIGNS[code % 4]
        return f'<span class="fx" style="width:{width:.3f}mm;text-align:{align}">{m.group(2)}</span>'

    return _FIXED.sub(box, escaped_line) if _FIX_CLOSE in escaped_line else escaped_line


_SPACES = re.compile(r"  +")


def _squeeze(line: str) -> str:
    """Runs of spaces as ideographic spaces (one glyph for two cells): WeasyPrint draws glyph by glyph."""
    return _SPACES.sub(lambda m: "\u3000" * (len(m.group()) // 2) + " " * (len(m.group()) % 2), line.rstrip())


def _row_lines(texts: Sequence[str], columns: Sequence[Column], cells: Sequence[int]) -> list[str]:
    pieces = [_wrap(t, w - 2) for t, w in zip(texts, cells, strict=True)]
    height = max(len(p) for p in pieces)
    lines = []
    for k in range(height):
        parts = []
        for col, w, p in zip(columns, cells, pieces, strict=True):
            text = p[k] if k < len(p) else ""
            if _is_exact(text):
                parts.append(" " + _pad(text, w - 2, col.align) + " ")
            else:  # a box of the exact cell width keeps the next columns in place (see _fixed_cells)
                parts.append(" " + _fixed_open(w - 2, col.align) + text + _FIX_CLOSE + " ")
        lines.append("".join(parts).rstrip())
    return lines


def layout_ledger(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence | Mapping],
    *,
    totals: Mapping[str, Mapping[str, object]] | None = None,
    subtitle: str = "",
    meta: Mapping[str, object] | None = None,
    orientation: str = "landscape",
) -> LedgerLayout:
    """Format, total, wrap and paginate the rows (no WeasyPrint involved)."""
    columns = list(columns)
    if not columns:
        raise ValueError("a ledger needs columns")
    if orientation not in ("landscape", "portrait"):
        raise ValueError("orientation is 'landscape' or 'portrait'")
    page_w, page_h = (297.0, 210.0) if orientation == "landscape" else (210.0, 297.0)
    top, right, bottom, left = MARGIN_MM
    keys = [c.key for c in columns]
    sum_idx = [i for i, c in enumerate(columns) if c.sum]
    sums = {columns[i].key: Decimal(0) for i in sum_idx}
    keep_whole = [i for i, c in enumerate(columns) if c.align != "left"]  # numbers, dates, codes
    need = [0] * len(columns)

    # pass 1: format and total every row, measure the columns that must not wrap
    all_texts: list[list[str]] = []
    for row in rows:
        values = [row.get(k) for k in keys] if isinstance(row, Mapping) else list(row)
        if len(values) != len(columns):
            raise ValueError(f"row {len(all_texts) + 1} has {len(values)} values for {len(columns)} columns")
        for i in sum_idx:
            if values[i] is not None and values[i] != "":
                sums[keys[i]] += _to_decimal(values[i])
        texts = [format_value(c, v) for c, v in zip(columns, values, strict=True)]
        for i in keep_whole:
            w = display_width(texts[i]) + 2
            if w > need[i]:
                need[i] = w
        all_texts.append(texts)
    count = len(all_texts)

    total_texts: dict[str, str] = {}
    total_rows: list[tuple[str, list[str]]] = []
    if sum_idx:
        total_texts = {k: format_value(columns[keys.index(k)], v) for k, v in sums.items()}
        # the reader's language (was Chinese in every language); reports/ledger_rtl.py says the same
        total_rows.append((_("合计（共 %(n)s 条）", n=count), [total_texts.get(k, "") for k in keys]))
    for label, values in (totals or {}).items():
        total_rows.append((label, [format_value(c, values.get(c.key)) for c in columns]))
    for _label, texts in total_rows:
        for i in keep_whole:
            need[i] = max(need[i], display_width(texts[i]) + 2)

    cells = _column_cells(columns, page_w - left - right, need)
    header_line = "".join(
        " " + _pad(c.label, w - 2, "center") + " " for c, w in zip(columns, cells, strict=True)
    ).rstrip()

    block_h = page_h - top - bottom - SLACK_MM
    grid_h = block_h - FOOTER_MM - HEADER_MM
    first_h = grid_h - TITLE_MM - (SUBLINE_MM if subtitle else 0) - (SUBLINE_MM if meta else 0)
    per_page = int(grid_h // LINE_MM)
    per_first = int(first_h // LINE_MM)
    if per_first < 1:
        raise ValueError("the title block leaves no room for rows")

    # pass 2: wrap and paginate
    pages: list[list[PlacedRow]] = [[]]
    used, cap = 0, per_first

    def place(lines: list[str], is_total: bool, span_cells: int = 0) -> None:
        nonlocal used, cap
        if len(lines) > per_page:
            lines = lines[: per_page - 1] + [lines[per_page - 1] + "…"]
        if used + len(lines) > cap and pages[-1]:
            pages.append([])
            used, cap = 0, per_page
        pages[-1].append(PlacedRow(lines, is_total, span_cells))
        used += len(lines)

    for texts in all_texts:
        place(_row_lines(texts, columns, cells), False)
    del all_texts

    for label, texts in total_rows:
        span = max(next((i for i in range(len(columns)) if texts[i]), len(columns)), 1)
        label_w = sum(cells[:span]) - 2
        if display_width(label) > label_w:  # the label does not fit the leading empty columns
            place(_row_lines([label] + texts[1:], columns, cells), True, 0)
            continue
        first = " " + _pad(label, label_w, "center") + " "
        rest = _row_lines(texts[span:], columns[span:], cells[span:]) if span < len(columns) else [""]
        lines = [first + rest[0]] + [" " * sum(cells[:span]) + r for r in rest[1:]]
        place([ln.rstrip() for ln in lines], True, sum(cells[:span]))

    return LedgerLayout(
        title=title,
        subtitle=subtitle,
        meta=[(str(k), format_value(Column("", ""), v)) for k, v in (meta or {}).items()],
        columns=columns,
        cells=cells,
        page_size=(page_w, page_h),
        header_line=header_line,
        pages=pages,
        row_count=count,
        sums=sums,
        total_texts=total_texts,
    )


# ---------------------------------------------------------------------------------------------
# HTML (what WeasyPrint gets: per page a few boxes)


def _css(lay: LedgerLayout) -> str:
    page_w, page_h = lay.page_size
    top, right, bottom, left = MARGIN_MM
    block_h = page_h - top - bottom - SLACK_MM
    return f"""
@page {{ size: {page_w}mm {page_h}mm; margin: {top}mm {right}mm {bottom}mm {left}mm; }}
html {{ font-family: "{BODY_FONT}"; font-size: {FONT_PT}pt; color: #000; }}
body {{ margin: 0; }}
.pg {{ position: relative; height: {block_h:.2f}mm; overflow: hidden; break-after: page; }}
.pg.last {{ break-after: auto; }}
h1 {{ font-family: "{TITLE_FONT}"; font-weight: 700; font-size: 18pt; letter-spacing: 0.15em;
     text-align: center; margin: 0; height: {TITLE_MM}mm; line-height: {TITLE_MM - 2}mm; }}
.st {{ text-align: center; height: {SUBLINE_MM}mm; line-height: {SUBLINE_MM}mm; font-size: 10pt; }}
.mt {{ white-space: pre; height: {SUBLINE_MM}mm; line-height: {SUBLINE_MM}mm; }}
.gr {{ position: relative; width: {lay.grid_width_mm:.3f}mm; }}
.gr svg {{ position: absolute; left: 0; top: 0; }}
pre {{ position: relative; margin: 0; font: inherit; white-space: pre; }}
.hd {{ font-weight: {700 if BOLD_HEADER else 400}; height: {HEADER_MM}mm; line-height: {HEADER_MM}mm; }}
.bd {{ line-height: {LINE_MM}mm; }}
.fx {{ display: inline-block; white-space: pre; }}
.ft {{ position: absolute; bottom: 0; height: {FOOTER_MM}mm; line-height: {FOOTER_MM}mm; }}
.fl {{ left: 0; color: #444; }}
.fr {{ right: 0; }}
"""


class GridOps(NamedTuple):
    """A page's grid in mm from the grid's top left: drawn as SVG (WeasyPrint) or PDF paths (direct)."""

    width: float
    height: float
    band: float  # the grey header band's height
    rules: list[tuple[float, list[tuple[float, float, float, float]]]]  # (stroke mm, segments)


def _grid_ops(lay: LedgerLayout, rows: list[PlacedRow]) -> GridOps:
    """The page's grid: frame, header shading, column and row rules."""
    w = lay.grid_width_mm
    h = HEADER_MM + sum(len(r.lines) for r in rows) * LINE_MM
    bounds, x = [], 0
    for c in lay.cells[:-1]:
        x += c
        bounds.append(x * CELL_MM)
    runs = []  # vertical rules, one run per stretch of rows with the same spans
    hlines = []
    y = HEADER_MM
    first_total = True
    for row in rows:
        if y > HEADER_MM:
            hlines.append((y, row.total and first_total))
        first_total = first_total and not row.total
        dy = len(row.lines) * LINE_MM
        if runs and runs[-1][0] == row.span_cells and abs(runs[-1][2] - y) < 1e-6:
            runs[-1][2] = y + dy
        else:
            runs.append([row.span_cells, y, y + dy])
        y += dy
    verticals = [(b, 0.0, b, HEADER_MM) for b in bounds]
    for span, y0, y1 in runs:
        verticals.extend((b, y0, b, y1) for b in bounds if b > span * CELL_MM + 1e-6)
    thin = [(0.0, yy, w, yy) for yy, strong in hlines if not strong]
    strong = [(0.0, yy, w, yy) for yy, strong in hlines if strong]
    frame = [(0.15, 0.15, w - 0.15, 0.15), (w - 0.15, 0.15, w - 0.15, h - 0.15),
             (w - 0.15, h - 0.15, 0.15, h - 0.15), (0.15, h - 0.15, 0.15, 0.15)]
    rules = [(0.15, verticals), (0.1, thin), (0.3, strong), (0.3, [(0.0, HEADER_MM, w, HEADER_MM)]),
             (0.3, frame)]
    return GridOps(w, h, HEADER_MM, [(sw, segs) for sw, segs in rules if segs])


def _grid_svg(lay: LedgerLayout, rows: list[PlacedRow]) -> str:
    """The page's grid as one SVG, drawn behind the text."""
    g = _grid_ops(lay, rows)
    parts = [f'<rect x="0" y="0" width="{g.width:.3f}" height="{g.band}" fill="#e6e6e6"/>']
    for stroke, segs in g.rules:
        d = "".join(f"M{x0:.3f} {y0:.2f}L{x1:.3f} {y1:.2f}" for x0, y0, x1, y1 in segs)
        parts.append(f'<path d="{d}" stroke="#000" stroke-width="{stroke}" stroke-linecap="square" '
                     'fill="none"/>')
    return (f'<svg width="{g.width:.3f}mm" height="{g.height:.2f}mm" '
            f'viewBox="0 0 {g.width:.3f} {g.height:.2f}">' + "".join(parts) + "</svg>")


def _page_html(lay: LedgerLayout, index: int) -> str:
    rows = lay.pages[index]
    n = lay.page_count
    out = [f'<section class="pg{" last" if index == n - 1 else ""}">']
    if index == 0:
        out.append(f"<h1>{html.escape(lay.title)}</h1>")
        if lay.subtitle:
            out.append(f'<div class="st">{html.escape(lay.subtitle)}</div>')
        if lay.meta:
            meta = "    ".join(f"{k}：{v}" for k, v in lay.meta)
            out.append(f'<div class="mt">{html.escape(meta)}</div>')
    out.append('<div class="gr">')
    out.append(_grid_svg(lay, rows))
    squeeze = _squeeze if SQUEEZE_SPACES else str.rstrip
    out.append(f'<pre class="hd">{html.escape(squeeze(lay.header_line))}</pre><pre class="bd">')
    body = []
    for row in rows:
        text = _fixed_cells(html.escape("\n".join(squeeze(line) for line in row.lines), quote=False))
        body.append(f"<b>{text}</b>" if row.total and BOLD_HEADER else text)
    out.append("\n".join(body))
    out.append("</pre></div>")
    out.append(f'<div class="ft fl">{html.escape(lay.title)}</div>')
    out.append(f'<div class="ft fr">第 {index + 1} 页 共 {n} 页</div>')
    out.append("</section>")
    return "".join(out)


def ledger_html_segments(lay: LedgerLayout, segment_pages: int | None = None) -> list[str]:
    """The ledger as HTML documents of consecutive page ranges (one document if no size given)."""
    n = lay.page_count
    size = segment_pages or n
    head = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>'
            f"{html.escape(lay.title)}</title><style>{_css(lay)}</style></head><body>")
    docs = []
    for start in range(0, n, size):
        pages = "".join(_page_html(lay, i) for i in range(start, min(start + size, n)))
        docs.append(head + pages + "</body></html>")
    return docs


# ---------------------------------------------------------------------------------------------
# rendering


def _write_pdf(html_text: str) -> bytes:
    from reports.weasy import load

    return load().HTML(string=html_text).write_pdf()


def render_ledger_pdf(
    title: str,
    columns: list[Column],
    rows: Iterable[Sequence],
    *,
    totals: dict | None = None,
    subtitle: str = "",
    meta: dict | None = None,
    orientation: str = "landscape",
    workers: int | None = None,
    engine: str | None = None,
) -> bytes:
    """Render a ledger as an A4 PDF through WeasyPrint and return its bytes.

    ``rows`` are sequences in column order (or mappings keyed by ``Column.key``). The 合计 row
    carries the exact Decimal sums of the ``sum`` columns; ``totals`` adds further total rows:
    ``{"其中：在用": {"value": Decimal("…")}}``. ``meta`` items are printed under the title
    (制表单位, 统计截止日 …). ``engine``: "direct" (the default, :data:`ENGINE`) writes the pages
    straight to PDF (reports/ledger_direct.py) and falls back to WeasyPrint for what only it can
    draw; "weasyprint" always renders through WeasyPrint. ``workers`` (WeasyPrint only): processes
    for the page segments; None = up to 2 when the ledger is long enough, 1 = in this process.
    """
    if text_direction() == "rtl":  # Uyghur: joined letters, right to left (reports/ledger_rtl.py)
        from reports.ledger_rtl import render_rtl_ledger_pdf

        return render_rtl_ledger_pdf(title, columns, rows, totals=totals, subtitle=subtitle,
                                     meta=meta, orientation=orientation, lang=current_locale())
    engine = engine or ENGINE
    if engine not in ("direct", "weasyprint"):
        raise ValueError("engine is 'direct' or 'weasyprint'")
    if engine == "direct":
        from reports.ledger_direct import write_ledger_pdf

        lay = layout_ledger(title, columns, rows, totals=totals, subtitle=subtitle, meta=meta,
                            orientation=orientation)
        pdf = write_ledger_pdf(lay)
        if pdf is None:
            LOGGER.info("ledger %r: drawn through WeasyPrint (a character the direct fonts lack)", title)
        return pdf if pdf is not None else render_layout(lay, workers=workers)
    workers_started = None
    long_list = isinstance(rows, Sized) and len(rows) >= EARLY_START_ROWS
    if workers != 1 and long_list and shutil.which("pdfunite"):
        # start the workers now: they import WeasyPrint while this process lays the rows out
        count = workers or min(2, os.cpu_count() or 1)
        workers_started = _start_workers(count) if count > 1 else None
    try:
        lay = layout_ledger(title, columns, rows, totals=totals, subtitle=subtitle, meta=meta,
                            orientation=orientation)
        if workers_started and workers is None:
            workers = len(workers_started)
        return render_layout(lay, workers=workers, started=workers_started)
    finally:
        for proc in workers_started or []:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _start_workers(count: int) -> list[subprocess.Popen]:
    """``count`` render workers (reports/ledger_worker.py), each waiting for its list of segments."""
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    procs = []
    for _n in range(count):
        errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # no pipe to fill up
        proc = subprocess.Popen([sys.executable, "-m", "reports.ledger_worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=errors, text=True, env=env, cwd=root)
        proc.errors = errors  # type: ignore[attr-defined]
        procs.append(proc)
    return procs


def _run_workers(procs: list[subprocess.Popen], jobs: list[tuple[str, str]]) -> None:
    """Give worker i the segments i, i + n, i + 2n … (equal sizes: balanced) and wait for them."""
    for i, proc in enumerate(procs):
        try:
            proc.stdin.write(json.dumps(jobs[i::len(procs)]) + "\n")
            proc.stdin.close()
        except OSError:  # it died at start-up: its segments are rendered in this process
            pass
    for proc in procs:
        proc.wait()
        errors = proc.errors  # type: ignore[attr-defined]
        if proc.returncode:
            errors.seek(0)
            LOGGER.warning("ledger worker %s failed (%s): %s", proc.pid, proc.returncode,
                           errors.read()[-2000:])
        errors.close()


def render_layout(lay: LedgerLayout, *, workers: int | None = None,
                  started: list[subprocess.Popen] | None = None) -> bytes:
    """Render a computed layout (see :func:`render_ledger_pdf`); ``started``: workers already running."""
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if lay.page_count >= PARALLEL_MIN_PAGES else 1
    if workers <= 1 or lay.page_count < 2 or not shutil.which("pdfunite"):
        if started:
            _run_workers(started, [])
        return _write_pdf(ledger_html_segments(lay)[0])
    segment = max(1, min(SEGMENT_PAGES, math.ceil(lay.page_count / workers)))
    with tempfile.TemporaryDirectory(prefix="jiguan-ledger-") as tmp:
        jobs = []
        for i, doc in enumerate(ledger_html_segments(lay, segment)):
            html_path = os.path.join(tmp, f"seg-{i:04d}.html")
            Path(html_path).write_text(doc, encoding="utf-8")
            jobs.append((html_path, os.path.join(tmp, f"seg-{i:04d}.pdf")))
        procs = started or _start_workers(min(workers, len(jobs)))
        _run_workers(procs, jobs)
        for html_path, pdf_path in jobs:  # a worker that could not start or died: render here
            if not os.path.exists(pdf_path):
                Path(pdf_path).write_bytes(_write_pdf(Path(html_path).read_text(encoding="utf-8")))
        paths = [pdf for _html, pdf in jobs]
        if len(paths) == 1:
            return Path(paths[0]).read_bytes()
        out = os.path.join(tmp, "ledger.pdf")
        subprocess.run(["pdfunite", *paths, out], check=True, capture_output=True)
        return Path(out).read_bytes()


# ---------------------------------------------------------------------------------------------
# reading the PDF back


def _pdf_text_pages(pdf: bytes | str | os.PathLike) -> tuple[int, list[str]]:
    with tempfile.TemporaryDirectory(prefix="jiguan-ledger-check-") as tmp:
        if isinstance(pdf, bytes | bytearray):
            path = os.path.join(tmp, "in.pdf")
            Path(path).write_bytes(pdf)
        else:
            path = os.fspath(pdf)
        info = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True).stdout
        match = re.search(r"^Pages:\s+(\d+)", info, re.M)
        pages = int(match.group(1)) if match else 0
        text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", path, "-"], check=True,
                              capture_output=True, text=True).stdout
    parts = text.split("\f")
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return pages, parts


def check_ledger_pdf(
    pdf: bytes | str | os.PathLike,
    *,
    ids: Sequence[str],
    labels: Sequence[str],
    totals: Mapping[str, str] | None = None,
    title: str | None = None,
) -> list[str]:
    """Read a rendered ledger back (pdfinfo + pdftotext -layout) and list what is wrong.

    Checks: every id in ``ids`` appears exactly once and in this order; every column label in
    ``labels`` on every page; "第 k 页 共 N 页" with the right k and N on every page; the
    ``title`` on page 1; each expected total text (column label -> formatted sum) on the 合计 line
    of the last pages. Returns an empty list when the PDF is correct.
    """
    problems: list[str] = []
    n, pages = _pdf_text_pages(pdf)
    if n != len(pages):
        problems.append(f"pdfinfo says {n} pages, pdftotext gave {len(pages)}")
    if title and (not pages or title not in re.sub(r"\s+", "", pages[0])):
        problems.append("the title is not on page 1")
    wanted = set(ids)
    seen: list[str] = []
    for k, text in enumerate(pages, start=1):
        found = [tok for tok in text.split() if tok in wanted]
        seen.extend(found)
        squeezed = re.sub(r"\s+", "", text)
        missing = [lb for lb in labels if re.sub(r"\s+", "", lb) not in squeezed]
        if missing:
            problems.append(f"page {k}: header labels missing: {', '.join(missing)}")
        if not re.search(rf"第\s*{k}\s*页\s*共\s*{n}\s*页", text):
            problems.append(f"page {k}: no '第 {k} 页 共 {n} 页'")
        others = re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", text)
        if any((int(a), int(b)) != (k, n) for a, b in others):
            problems.append(f"page {k}: wrong page number {others}")
    if seen != list(ids):
        counts: dict[str, int] = {}
        for tok in seen:
            counts[tok] = counts.get(tok, 0) + 1
        dup = [i for i, c in counts.items() if c > 1]
        lost = [i for i in ids if i not in counts]
        if dup:
            problems.append(f"{len(dup)} ids more than once, e.g. {dup[:3]}")
        if lost:
            problems.append(f"{len(lost)} ids missing, e.g. {lost[:3]}")
        if not dup and not lost:
            problems.append("the rows are out of order")
    if totals:
        tail = "\n".join(pages[-2:])
        total_lines = [ln for ln in tail.splitlines() if TOTAL_LABEL in ln]
        if not total_lines:
            problems.append(f"no {TOTAL_LABEL} line at the end")
        else:
            line_tokens = total_lines[0].split()
            for label, text in totals.items():
                if text not in line_tokens:
                    problems.append(f"total of {label} is not {text} (合计 line: {total_lines[0].strip()})")
    return problems
