"""A streaming .xlsx writer for exports: one sheet, rows written as XML text straight into the ZIP.

openpyxl's ``write_only`` mode builds a cell object and an element tree per value: 100,000
rows of 18 columns took 25–35 s, four fifths of it there (docs/performance.md, "XLSX at
100,000 rows"). Here a row is one string: text as inline strings (never a formula, whatever
it starts with: no formula injection), numbers as numbers, dates and times as typed cells
with a number format, so Excel and openpyxl read the same cells as before. Memory stays
flat: the sheet member is deflated as it is written (no shared-string table to keep).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import quoteattr

_openpyxl_to_excel = None


def to_excel(value):
    """openpyxl's ``to_excel``, imported by the first date written: openpyxl takes ~60 ms to
    import, which every start paid for."""
    global _openpyxl_to_excel
    if _openpyxl_to_excel is None:
        from openpyxl.utils.datetime import to_excel as found

        _openpyxl_to_excel = found
    return _openpyxl_to_excel(value)


#: Characters XML 1.0 cannot hold (openpyxl refuses them): dropped from text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: What a text needs changed before it goes into the XML (most texts: nothing).
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Excel's longest cell text; openpyxl cuts there too.
MAX_TEXT = 32767
#: Deflate level: 1 is several times faster than the default 6 for a file ~15 % larger.
COMPRESS_LEVEL = 1
_INFINITE = (float("inf"), float("-inf"))
#: Rows joined before each write to the ZIP stream.
CHUNK = 500

# cellXfs indexes of styles.xml below
_HEADER, _DATE, _DATETIME, _HHMM, _HHMMSS = 1, 2, 3, 4, 5

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _styles(header_fill: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/>'
        '<numFmt numFmtId="166" formatCode="hh:mm"/><numFmt numFmtId="167" formatCode="hh:mm:ss"/>'
        '</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        f'<fill><patternFill patternType="solid"><fgColor rgb="00{header_fill}"/></patternFill></fill>'
        '</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>')


def _text(value: str) -> str:
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT]
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value, style: int = 0) -> str:
    """One ``<c>`` element; '' for an empty cell."""
    kind = type(value)
    s = f' s="{style}"' if style else ""
    if kind is str:
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if kind is int or kind is float or kind is Decimal:
        if value != value or value in _INFINITE:  # openpyxl writes these as an empty cell
            return ""
        return f'<c r="{ref}"{s}><v>{"%.16g" % value}</v></c>'  # as openpyxl: 16 digits
    if value is None:
        return ""
    if kind is bool:
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="{style or _DATETIME}"><v>{to_excel(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{style or _DATE}"><v>{to_excel(value)}</v></c>'
    if isinstance(value, dt.time):  # a time cell reads 09:30, as on the screen
        shown = _HHMMSS if value.second else _HHMM
        return f'<c r="{ref}" s="{style or shown}"><v>{to_excel(value)}</v></c>'
    if isinstance(value, int | float | Decimal):  # a subclass (an IntEnum)
        return f'<c r="{ref}"{s}><v>{"%.16g" % value}</v></c>'
    return _cell(ref, str(value), style)


class SheetWriter:
    """``with SheetWriter(out, title, widths) as sheet: sheet.header([...]); sheet.row([...])``.

    ``out`` is a binary file (a temporary file, ``BytesIO``); the first row is frozen.
    """

    def __init__(self, out, title: str, widths, header_fill: str = "DDEBF7"):
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        self.zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self.zip.writestr("_rels/.rels", _RELS)
        name = quoteattr(_ILLEGAL.sub("", title))
        self.zip.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS}><sheets>'
            f'<sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>'))
        self.zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self.zip.writestr("xl/styles.xml", _styles(header_fill))
        self.stream = self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        from openpyxl.utils import get_column_letter

        self.letters = [get_column_letter(i) for i in range(1, len(widths) + 1)]
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                       for i, w in enumerate(widths, start=1))
        self._write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
            'sqref="A2"/></sheetView></sheetViews>'
            + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")
        self.rows = 0
        self.pending: list[str] = []
        #: a date's Excel serial, worked out once per distinct date
        self.dates: dict[dt.date, float] = {}

    def _write(self, text: str) -> None:
        self.stream.write(text.encode("utf-8"))

    def header(self, values) -> None:
        self._append(values, _HEADER)

    def row(self, values) -> None:
        self._append(values, 0)

    def _append(self, values, style: int) -> None:
        self.rows += 1
        n = str(self.rows)
        if style:
            cells = "".join([_cell(letter + n, value, style)
                             for letter, value in zip(self.letters, values, strict=False)])
        else:  # a data row: text, empty and date cells (most of them) without a call per cell
            parts, dates, special = [], self.dates, _SPECIAL.search
            for letter, value in zip(self.letters, values, strict=False):
                kind = type(value)
                if kind is str:
                    if len(value) > MAX_TEXT or special(value):
                        value = _text(value)
                    parts.append(f'<c r="{letter}{n}" t="inlineStr"><is><t xml:space="preserve">'
                                 f'{value}</t></is></c>')
                elif value is None:
                    continue
                elif kind is dt.date:
                    serial = dates.get(value)
                    if serial is None:
                        if len(dates) > 100_000:  # keep memory flat on many distinct dates
                            dates.clear()
                        serial = dates[value] = to_excel(value)
                    parts.append(f'<c r="{letter}{n}" s="{_DATE}"><v>{serial}</v></c>')
                else:
                    parts.append(_cell(letter + n, value))
            cells = "".join(parts)
        self.pending.append(f'<row r="{n}">{cells}</row>')
        if len(self.pending) >= CHUNK:
            self._write("".join(self.pending))
            self.pending.clear()

    def close(self) -> None:
        self._write("".join(self.pending) + "</sheetData></worksheet>")
        self.pending.clear()
        self.stream.close()
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.close()
        else:  # the file is abandoned; only free what is open
            self.stream.close()
            self.zip.close()
