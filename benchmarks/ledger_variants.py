"""How to lay a ledger page out for WeasyPrint: the variants measured for docs/ledger.md.

    .venv/bin/python benchmarks/ledger_variants.py            # 2,000 rows, ~60 pages, one process
    .venv/bin/python benchmarks/ledger_variants.py --rows 5000

Same rows, same page size, we paginate (34 rows a page) in every variant; only the boxes differ:

* ``table``  one ``<table style="table-layout: fixed">`` per page, a bordered cell per value
* ``rows``   one ``<div style="white-space: pre">`` per row (padded columns), border-bottom
* ``cols``   one absolutely positioned ``<div>`` per column per page, a line per row
* ``pre``    ONE ``<pre>`` per page, a line per row (what reports/ledger.py does)

and, on top of ``pre``, how to draw the grid: ``pre+css`` (a CSS background layer per rule),
``pre+divs`` (a positioned 0.3 pt div per rule), ``pre+svg`` (one inline SVG per page, the choice).
Each variant runs in a fresh process; CPU seconds (render + write_pdf) and max RSS are printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VARIANTS = ["table", "rows", "cols", "pre", "pre+css", "pre+divs", "pre+svg"]
PER_PAGE = 34
LINE = 5  # mm


def _pages(n: int) -> tuple[list[list[list[str]]], list[int]]:
    from benchmarks.ledger_data import COLUMNS, make_rows
    from reports.ledger import format_value

    rows = [[format_value(c, v) for c, v in zip(COLUMNS, r, strict=True)] for r in make_rows(n)]
    rows = [[t[:14] if i == 1 else t for i, t in enumerate(r)] for r in rows]  # one line a row
    widths = [16, 30, 16, 26, 12, 6, 18, 10]  # cells
    return [rows[i:i + PER_PAGE] for i in range(0, len(rows), PER_PAGE)], widths


def build(variant: str, n: int) -> str:
    from benchmarks.ledger_data import COLUMNS
    from reports.ledger import CELL_MM, _pad

    pages, widths = _pages(n)
    aligns = [c.align for c in COLUMNS]
    xs, x = [], 0
    for w in widths[:-1]:
        x += w
        xs.append(x * CELL_MM)
    out = []
    for rows in pages:
        lines = ["".join(" " + _pad(t, w - 2, a) + " " for t, w, a in zip(r, widths, aligns, strict=True))
                 for r in rows]
        height = len(rows) * LINE
        if variant == "table":
            cells = "".join("<tr>" + "".join(f'<td class="{a}">{t}</td>'
                                             for t, a in zip(r, aligns, strict=True)) + "</tr>" for r in rows)
            out.append(f'<section><table>{cells}</table></section>')
        elif variant == "rows":
            out.append("<section>" + "".join(f'<div class="r">{ln}</div>' for ln in lines) + "</section>")
        elif variant == "cols":
            divs, left = [], 0
            for j, (w, a) in enumerate(zip(widths, aligns, strict=True)):
                text = "\n".join(r[j] for r in rows)
                divs.append(f'<div class="c" style="left:{(left + 1) * CELL_MM:.2f}mm;'
                            f'width:{(w - 2) * CELL_MM:.2f}mm;text-align:{a}">{text}</div>')
                left += w
            out.append(f'<section><div class="g" style="height:{height}mm">{"".join(divs)}</div></section>')
        else:
            pre = "<pre>" + "\n".join(lines) + "</pre>"
            grid = ""
            style = ""
            if variant == "pre+css":
                layers = [f"linear-gradient(#000,#000) {xi:.2f}mm 0/0.3pt 100% no-repeat" for xi in xs]
                layers += [f"linear-gradient(#000,#000) 0 {LINE * (k + 1)}mm/100% 0.3pt no-repeat"
                           for k in range(len(rows) - 1)]
                style = f' style="background:{",".join(layers)}"'
            elif variant == "pre+divs":
                grid = "".join(f'<div class="v" style="left:{xi:.2f}mm"></div>' for xi in xs)
                grid += "".join(f'<div class="h" style="top:{LINE * (k + 1)}mm"></div>'
                                for k in range(len(rows) - 1))
            elif variant == "pre+svg":
                d = "".join(f"M{xi:.2f} 0V{height}" for xi in xs)
                d += "".join(f"M0 {LINE * (k + 1)}H273" for k in range(len(rows) - 1))
                grid = (f'<svg width="273mm" height="{height}mm" viewBox="0 0 273 {height}">'
                        f'<path d="{d}" stroke="#000" stroke-width="0.1" fill="none"/></svg>')
            out.append(f'<section><div class="g"{style}>{grid}{pre}</div></section>')
    css = f"""@page {{ size: A4 landscape; margin: 12mm; }}
body {{ margin: 0; font-family: "Noto Sans Mono CJK SC"; font-size: 9pt; }}
section {{ break-after: page; height: 180mm; }}
table {{ table-layout: fixed; border-collapse: collapse; width: 100%; }}
td {{ border: 0.3pt solid #000; height: {LINE}mm; padding: 0 1mm; white-space: nowrap; overflow: hidden; }}
td.right {{ text-align: right; }} td.center {{ text-align: center; }}
.r {{ white-space: pre; height: {LINE}mm; line-height: {LINE}mm; border-bottom: 0.3pt solid #000; }}
.g {{ position: relative; border: 0.3pt solid #000; }}
.c {{ position: absolute; top: 0; white-space: pre; line-height: {LINE}mm; }}
pre {{ position: relative; margin: 0; font: inherit; line-height: {LINE}mm; }}
.g svg {{ position: absolute; left: 0; top: 0; }}
.v {{ position: absolute; top: 0; bottom: 0; width: 0.3pt; background: #000; }}
.h {{ position: absolute; left: 0; right: 0; height: 0.3pt; background: #000; }}"""
    return f'<html><head><meta charset="utf-8"><style>{css}</style></head><body>{"".join(out)}</body></html>'


def child(variant: str, n: int) -> None:
    html_text = build(variant, n)
    from weasyprint import HTML

    start, wall = time.process_time(), time.perf_counter()
    doc = HTML(string=html_text).render()
    layout = time.process_time() - start
    doc.write_pdf()
    print(json.dumps({"layout": layout, "cpu": time.process_time() - start,
                      "wall": time.perf_counter() - wall, "pages": len(doc.pages),
                      "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--only", nargs="*", choices=VARIANTS)
    ap.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.rows)
        return 0
    print(f"{args.rows} rows, {PER_PAGE} a page; CPU s of render+write_pdf in a fresh process")
    print(f"{'variant':<10} {'pages':>6} {'layout s':>9} {'cpu s':>7} {'ms/page':>8} {'max RSS MB':>11}")
    for variant in args.only or VARIANTS:
        out = subprocess.run([sys.executable, __file__, "--child", variant, "--rows", str(args.rows)],
                             capture_output=True, text=True, check=True, cwd=ROOT).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{variant:<10} {r['pages']:6d} {r['layout']:9.2f} {r['cpu']:7.2f} "
              f"{1000 * r['cpu'] / r['pages']:8.1f} {r['maxrss']:11.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
