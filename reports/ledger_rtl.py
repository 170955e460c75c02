"""A ledger in a right-to-left language (Uyghur): an HTML table through WeasyPrint.

The fast ledger (reports/ledger.py, reports/ledger_direct.py) counts every character as half or
one cell of a monospaced CJK font and writes glyphs left to right. Arabic script joins its
letters (each has up to four shapes) and runs right to left, so neither the cell counting nor
the direct writer can draw it. A ledger rendered in a right-to-left locale is therefore an
ordinary ``<table dir="rtl">``, shaped by WeasyPrint (HarfBuzz), in a Uyghur face with the CJK
face behind it for Chinese data (names of units, people). It is slower for very long ledgers
(docs/ledger.md: ~100 s for 10,000 rows against seconds), the price of correct text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from flask_babel import gettext as _

from reports.ledger import Column, _to_decimal, format_value

#: Uyghur first (fonts-ukij-uyghur, scripts/system-deps.sh), then Noto's Arabic if present; the
#: CJK face for Chinese data and digits.
FONTS = '"UKIJ Tuz Tom", "UKIJ Tuz", "Noto Sans Arabic", "Noto Sans CJK SC", sans-serif'


def _align(column: Column) -> str:
    """Logical alignment: a number's column ends where the reading ends (left in rtl)."""
    return {"right": "end", "center": "center"}.get(column.align, "start")


def ledger_html(title: str, columns: Sequence[Column], rows: Iterable[Sequence | Mapping], *,
                totals: Mapping[str, Mapping[str, object]] | None = None, subtitle: str = "",
                meta: Mapping[str, object] | None = None, orientation: str = "landscape",
                lang: str = "ug") -> str:
    esc = html.escape
    keys = [c.key for c in columns]
    sums = {c.key: Decimal(0) for c in columns if c.sum}
    body, count = [], 0
    for row in rows:
        values = [row.get(k) for k in keys] if isinstance(row, Mapping) else list(row)
        if len(values) != len(columns):
            raise ValueError(f"row {count + 1} has {len(values)} values for {len(columns)} columns")
        count += 1
        for column, value in zip(columns, values, strict=True):
            if column.sum and value not in (None, ""):
                sums[column.key] += _to_decimal(value)
        body.append("<tr>" + "".join(
            f'<td class="{_align(c)}">{esc(format_value(c, v))}</td>'
            for c, v in zip(columns, values, strict=True)) + "</tr>")
    total_rows = []
    if sums:
        total_rows.append((_("合计（共 %(n)s 条）", n=count), sums))
    total_rows += list((totals or {}).items())
    for label, values in total_rows:
        cells = [format_value(c, values.get(c.key)) for c in columns]
        first = next((i for i, c in enumerate(columns) if c.sum or values.get(c.key) not in (None, "")),
                     len(columns))
        span = max(first, 1)
        body.append(f'<tr class="total"><td colspan="{span}">{esc(str(label))}</td>' + "".join(
            f'<td class="{_align(c)}">{esc(text)}</td>'
            for c, text in zip(columns[span:], cells[span:], strict=True)) + "</tr>")
    head = "".join(f"<th>{esc(str(c.label))}</th>" for c in columns)
    meta_line = "　".join(f"{esc(str(k))}: {esc(str(v))}" for k, v in (meta or {}).items())
    page = _("第 %(page)s 页 共 %(pages)s 页", page="\x00page\x00", pages="\x00pages\x00")
    footer = " ".join(f"counter({p})" if p in ("page", "pages") else '"' + p.replace('"', "'") + '"'
                      for p in page.split("\x00") if p)
    return f"""<!DOCTYPE html><html lang="{esc(lang)}" dir="rtl"><head><meta charset="utf-8">
<title>{esc(title)}</title><style>
@page {{ size: A4 {orientation}; margin: 10mm 12mm;
        @bottom-center {{ content: {footer}; font-family: {FONTS}; font-size: 8pt; }} }}
body {{ font-family: {FONTS}; font-size: 8pt; direction: rtl; }}
h1 {{ font-size: 15pt; text-align: center; margin: 0 0 2mm; }}
p {{ margin: 0 0 1.5mm; text-align: center; }}
table {{ width: 100%; border-collapse: collapse; }}
thead {{ display: table-header-group; }}
th, td {{ border: 0.3pt solid #555; padding: 0.6mm 1mm; }}
th {{ background: #eee; }}
td.end {{ text-align: end; white-space: nowrap; }}
td.center {{ text-align: center; }}
td.start {{ text-align: start; }}
tr.total td {{ font-weight: bold; }}
</style></head><body>
<h1>{esc(title)}</h1>{f"<p>{esc(subtitle)}</p>" if subtitle else ""}
{f"<p>{meta_line}</p>" if meta_line else ""}
<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>
</body></html>"""


def render_rtl_ledger_pdf(title: str, columns: Sequence[Column], rows, **kwargs) -> bytes:
    from reports.engine import html_to_pdf

    return html_to_pdf(ledger_html(title, columns, rows, **kwargs))
