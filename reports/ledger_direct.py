"""Ledger pages written straight to PDF: the layout reports/ledger.py computed, without WeasyPrint.

WeasyPrint spends 35-50 ms of CPU on every ledger page (cascade, margin boxes, Pango line layout,
glyph-by-glyph drawing), however few boxes the page has: 100,000 rows (3,160 pages) would need
110-160 s of CPU, more than 2 cores give in the 90 s the issue allows. Yet every position on a
ledger page is already known in Python before WeasyPrint sees it: the monospaced CJK font makes
a line's glyphs one cell (Latin) or two (Hanzi) wide, the rows sit on a 5 mm pitch, the grid is
the rules we computed. So this module writes each page as a PDF content stream of its own —
one text-show per line, one path per stroke width — at about 1 ms a page.

The fonts are the same as WeasyPrint's (Noto Sans Mono CJK SC, the title in Noto Serif CJK SC
Bold), embedded as subsets made by fontTools in a short child process (the full CJK font would
otherwise sit in this process's memory), with a ToUnicode map so that ``pdftotext`` reads the
text back. :func:`write_ledger_pdf` returns None when it cannot draw a ledger exactly (a
character the fonts lack, so only a fallback font could draw it; the bold header option; no
fontTools): the caller then renders through WeasyPrint as before.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from reports import ledger as L

PT = 72 / 25.4  # points per mm
ASCENT, DESCENT = 0.88, 0.12  # Noto CJK (hhea), em: places a baseline in its line box
TITLE_SPACING = 0.15  # em, the h1's letter-spacing

_SUBSET_SCRIPT = """
import base64, io, json, sys
from fontTools import subset
from fontTools.ttLib import TTFont
path, index, chars = json.loads(sys.stdin.read())
font = TTFont(path, fontNumber=int(index or 0), lazy=True)
cmap, order = font.getBestCmap(), font.getGlyphOrder()
upem, hmtx = font["head"].unitsPerEm, font["hmtx"]
if "CFF " not in font or not order[1].startswith("cid"):  # CID-keyed CFF only (Noto CJK)
    print(json.dumps(None)); sys.exit()
names = {ch: cmap[ord(ch)] for ch in chars if ord(ch) in cmap}
head, os2 = font["head"], font["OS/2"]
out = {"missing": "".join(ch for ch in chars if ch not in names),
       "cids": {ch: int(n[3:]) for ch, n in names.items()},
       "widths": {int(n[3:]): round(hmtx[n][0] * 1000 / upem) for n in set(names.values())},
       "bbox": [round(v * 1000 / upem) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
       "cap": round(getattr(os2, "sCapHeight", 700) * 1000 / upem),
       "name": font["name"].getDebugName(6) or "NotoCJK"}
options = subset.Options(retain_gids=False, notdef_outline=True, name_IDs=[], layout_features=[],
                         hinting=False, desubroutinize=True, drop_tables=["GSUB", "GPOS", "GDEF",
                         "BASE", "VORG", "vhea", "vmtx", "DSIG"])
subsetter = subset.Subsetter(options)
subsetter.populate(glyphs=sorted(set(names.values())))
subsetter.subset(font)
data = io.BytesIO()
font.save(data)
cff = TTFont(io.BytesIO(data.getvalue())).reader["CFF "]  # bare CFF: CIDs reach glyphs by its charset
out["font"] = base64.b64encode(cff).decode()
print(json.dumps(out))
"""


def _font_file(pattern: str) -> tuple[str, str] | None:
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", pattern], capture_output=True,
                               text=True, timeout=10).stdout
        path, index = found.rsplit(":", 1)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    return (path, index) if "CJK" in path else None


def _subset(pattern: str, chars: str) -> dict | None:
    """The font's codes, widths and embedded subset for ``chars`` (a child process: fontTools)."""
    found = _font_file(pattern)
    if not found:
        return None
    try:
        proc = subprocess.run([sys.executable, "-c", _SUBSET_SCRIPT], input=json.dumps([*found, chars]),
                              capture_output=True, text=True, timeout=120)
        data = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if not data or data["missing"]:
        return None
    data["widths"] = {int(cid): w for cid, w in data["widths"].items()}
    return data


class _Font:
    def __init__(self, key: str, data: dict):
        self.key = key
        self.data = data
        self.hex = {ch: f"{cid:04x}" for ch, cid in data["cids"].items()}
        self.width = {ch: data["widths"][cid] for ch, cid in data["cids"].items()}

    def show(self, text: str) -> str:
        return "<" + "".join(map(self.hex.__getitem__, text)) + "> Tj"

    def advance(self, text: str, size: float, spacing: float = 0.0) -> float:
        """Width of ``text`` in mm at ``size`` pt."""
        return (sum(map(self.width.__getitem__, text)) * size / 1000 + spacing * len(text)) / PT


def _baseline(top_mm: float, line_mm: float, size_pt: float) -> float:
    em = size_pt / PT
    return top_mm + (line_mm - em) / 2 + ASCENT * em


class _Page:
    """One page's content stream, in mm from the page's top left."""

    def __init__(self, height_mm: float):
        self.h = height_mm
        self.ops: list[str] = []

    def text(self, font: _Font, size: float, x: float, baseline: float, text: str, *,
             gray: float = 0.0, spacing: float = 0.0) -> None:
        if not text:
            return
        tc, reset = (f" {spacing:.2f} Tc", " 0 Tc") if spacing else ("", "")  # Tc outlives ET
        self.ops.append(f"BT {gray:g} g /{font.key} {size:g} Tf{tc} 1 0 0 1 {x * PT:.2f} "
                        f"{(self.h - baseline) * PT:.2f} Tm {font.show(text)}{reset} ET")

    def grid(self, ops: L.GridOps, x: float, y: float) -> None:
        def pt(px: float, py: float) -> str:
            return f"{(x + px) * PT:.2f} {(self.h - y - py) * PT:.2f}"

        self.ops.append(f"0.902 g {pt(0, ops.band)} {ops.width * PT:.2f} {ops.band * PT:.2f} re f 0 G 2 J")
        for stroke, segs in ops.rules:
            path = " ".join(f"{pt(x0, y0)} m {pt(x1, y1)} l" for x0, y0, x1, y1 in segs)
            self.ops.append(f"{stroke * PT:.3f} w {path} S")

    def stream(self) -> bytes:
        return zlib.compress("\n".join(self.ops).encode("ascii"), 6)


_MARKED = re.compile("([\U000F0000-\U000FFFFD])([^\ue001]*)\ue001")


def _draw_line(page: _Page, font: _Font, x: float, baseline: float, line: str) -> None:
    """A row line; the cells marked as not a whole number of cells wide (Φ — ° …) are placed at
    their cell's position with their real advance, so the following columns stay in place."""
    if L._FIX_CLOSE not in line:
        page.text(font, L.FONT_PT, x, baseline, line.rstrip())
        return
    pos = 0
    for m in _MARKED.finditer(line):
        before = line[pos:m.start()]
        page.text(font, L.FONT_PT, x, baseline, before)
        x += L.display_width(before) * L.CELL_MM
        code = ord(m.group(1)) - L._FIX_BASE
        width, align = code // 4 * L.CELL_MM, L._ALIGNS[code % 4]
        gap = width - font.advance(m.group(2), L.FONT_PT)
        shift = 0.0 if align == "left" else gap if align == "right" else gap / 2
        page.text(font, L.FONT_PT, x + max(shift, 0.0), baseline, m.group(2))
        x += width
        pos = m.end()
    page.text(font, L.FONT_PT, x, baseline, line[pos:].rstrip())


def _meta_line(lay: L.LedgerLayout) -> str:
    return "    ".join(f"{k}：{v}" for k, v in lay.meta)


def _chars(lay: L.LedgerLayout) -> str:
    """Every character the body font must draw."""
    seen = set(lay.header_line) | set(lay.title) | set(lay.subtitle) | set(_meta_line(lay))
    seen |= set("第页共 0123456789…")
    for rows in lay.pages:
        for row in rows:
            for line in row.lines:
                seen.update(line)
    return "".join(sorted(ch for ch in seen if not (0xF0000 <= ord(ch) <= 0xFFFFD or ch == L._FIX_CLOSE)))


def _font_objects(pdf, font: _Font) -> object:
    import pydyf

    data = font.data
    name = "/" + "JGLDGR+" + re.sub(r"[^A-Za-z0-9-]", "", data["name"])
    blob = base64.b64decode(data["font"])
    program = pydyf.Stream([zlib.compress(blob, 6)], {"Subtype": "/CIDFontType0C", "Filter": "/FlateDecode"})
    pdf.add_object(program)
    descriptor = pydyf.Dictionary({
        "Type": "/FontDescriptor", "FontName": name, "Flags": 4, "ItalicAngle": 0,
        "FontBBox": pydyf.Array(data["bbox"]), "Ascent": int(ASCENT * 1000), "Descent": -int(DESCENT * 1000),
        "CapHeight": data["cap"], "StemV": 80, "FontFile3": program.reference,
    })
    pdf.add_object(descriptor)
    widths = []
    for cid in sorted(data["widths"]):
        widths += [cid, pydyf.Array([data["widths"][cid]])]
    cid_font = pydyf.Dictionary({
        "Type": "/Font", "Subtype": "/CIDFontType0", "BaseFont": name,
        "CIDSystemInfo": pydyf.Dictionary({"Registry": pydyf.String("Adobe"),
                                           "Ordering": pydyf.String("Identity"), "Supplement": 0}),
        "FontDescriptor": descriptor.reference, "DW": 1000, "W": pydyf.Array(widths),
    })
    pdf.add_object(cid_font)
    pairs = sorted((cid, ch) for ch, cid in data["cids"].items())
    cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <ffff> endcodespacerange"]
    for i in range(0, len(pairs), 100):
        batch = pairs[i:i + 100]
        cmap.append(f"{len(batch)} beginbfchar")
        cmap += [f"<{cid:04x}> <{ch.encode('utf-16-be').hex()}>" for cid, ch in batch]
        cmap.append("endbfchar")
    cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = pydyf.Stream([zlib.compress("\n".join(cmap).encode(), 6)], {"Filter": "/FlateDecode"})
    pdf.add_object(to_unicode)
    font_dict = pydyf.Dictionary({
        "Type": "/Font", "Subtype": "/Type0", "BaseFont": name, "Encoding": "/Identity-H",
        "DescendantFonts": pydyf.Array([cid_font.reference]), "ToUnicode": to_unicode.reference,
    })
    pdf.add_object(font_dict)
    return font_dict.reference


def write_ledger_pdf(lay: L.LedgerLayout) -> bytes | None:
    """The ledger's PDF, or None when only WeasyPrint can draw it exactly (see the module doc)."""
    if L.BOLD_HEADER:
        return None
    try:
        import pydyf
    except ImportError:  # pragma: no cover - WeasyPrint depends on it
        return None
    with ThreadPoolExecutor(2) as pool:  # two child processes at once
        body_job = pool.submit(_subset, L.BODY_FONT, _chars(lay))
        title_job = pool.submit(_subset, f"{L.TITLE_FONT}:bold", "".join(sorted(set(lay.title))))
        body_data, title_data = body_job.result(), title_job.result()
    if body_data is None or title_data is None:
        return None
    body, title = _Font("F1", body_data), _Font("F2", title_data)

    pdf = pydyf.PDF()
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({
        "F1": _font_objects(pdf, body), "F2": _font_objects(pdf, title)})})
    pdf.add_object(resources)
    page_w, page_h = lay.page_size
    top, right, bottom, left = L.MARGIN_MM
    text_w = page_w - left - right
    block_h = page_h - top - bottom - L.SLACK_MM
    n = lay.page_count
    for index, rows in enumerate(lay.pages):
        page = _Page(page_h)
        y = top
        if index == 0:
            size = 18.0
            spacing = TITLE_SPACING * size
            width = title.advance(lay.title, size, spacing)
            page.text(title, size, left + (text_w - width) / 2, _baseline(y, L.TITLE_MM - 2, size), lay.title,
                      spacing=spacing)
            y += L.TITLE_MM
            if lay.subtitle:
                width = body.advance(lay.subtitle, 10.0)
                page.text(body, 10.0, left + (text_w - width) / 2, _baseline(y, L.SUBLINE_MM, 10.0),
                          lay.subtitle)
                y += L.SUBLINE_MM
            if lay.meta:
                page.text(body, L.FONT_PT, left, _baseline(y, L.SUBLINE_MM, L.FONT_PT), _meta_line(lay))
                y += L.SUBLINE_MM
        page.grid(L._grid_ops(lay, rows), left, y)
        page.text(body, L.FONT_PT, left, _baseline(y, L.HEADER_MM, L.FONT_PT), lay.header_line.rstrip())
        line_y = y + L.HEADER_MM
        for row in rows:
            for line in row.lines:
                _draw_line(page, body, left, _baseline(line_y, L.LINE_MM, L.FONT_PT), line)
                line_y += L.LINE_MM
        foot = _baseline(top + block_h - L.FOOTER_MM, L.FOOTER_MM, L.FONT_PT)
        page.text(body, L.FONT_PT, left, foot, lay.title, gray=0.267)
        number = f"第 {index + 1} 页 共 {n} 页"
        page.text(body, L.FONT_PT, left + text_w - body.advance(number, L.FONT_PT), foot, number)
        content = pydyf.Stream([page.stream()], {"Filter": "/FlateDecode"})
        pdf.add_object(content)
        pdf.add_page(pydyf.Dictionary({
            "Type": "/Page", "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([0, 0, round(page_w * PT, 3), round(page_h * PT, 3)]),
            "Resources": resources.reference, "Contents": content.reference,
        }))
    pdf.info["Title"] = pydyf.String(lay.title)
    pdf.info["Producer"] = pydyf.String("jiguan reports.ledger_direct")
    out = BytesIO()
    pdf.write(out, version=b"1.7", compress=True)
    return out.getvalue()
