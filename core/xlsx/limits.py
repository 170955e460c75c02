"""What an upload must pass before anything parses it (docs/security.md, "Uploads").

An .xlsx is a ZIP of XML: 0.18 MB can declare 20 million blank rows, 1 MB can hold shared
strings that inflate to 1 GB. So the bytes are checked first, from the ZIP's central
directory alone (no member is inflated beyond a few KB): the file's size, that it really is
what it claims (its content, never its name or Content-Type), the members' count, their
total uncompressed size and each one's compression ratio, no DTD in any XML part, and the
rows and columns each sheet declares. Python's ``zipfile`` stops inflating a member at its
declared size, so a directory that lies about sizes cannot get past these limits either.

:func:`check_upload` is the one entry: the XLSX import calls it on every path (screen, API,
background job, CLI) through ``core.xlsx.read``; attachments call it with their own kind.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.errors import WriteRefused
from core.xlsx.columns import XlsxError

#: Defaults of the settings of the same name (core/config.py, "Uploads and job results").
DEFAULTS = {
    "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
    "UPLOAD_MAX_UNCOMPRESSED_BYTES": 100 * 1024 * 1024,
    "UPLOAD_MAX_RATIO": 100,
    "UPLOAD_MAX_MEMBERS": 500,
    "XLSX_IMPORT_MAX_COLUMNS": 200,
}
#: Members smaller than this may compress better than the ratio: a sheet of one repeated
#: style is small either way, and only what is big can hurt.
RATIO_FLOOR = 1024 * 1024
#: How much of each XML part is inflated to look for a DTD and a sheet's <dimension>.
HEAD_BYTES = 64 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
#: kind → (ZIP members it must hold | leading bytes it must start with, its name for users)
KINDS = {
    "xlsx": (("[Content_Types].xml", "xl/workbook.xml"), _l("Excel 工作簿（.xlsx）")),
    "docx": (("[Content_Types].xml", "word/document.xml"), _l("Word 文档（.docx）")),
    "pdf": (b"%PDF-", _l("PDF 文件")),
    "png": (b"\x89PNG\r\n\x1a\n", _l("PNG 图片")),
    "jpeg": (b"\xff\xd8\xff", _l("JPEG 图片")),
}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})?\$?(\d+)?'
                        rb'(?::\$?([A-Z]{1,3})\$?(\d+))?"')
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


class UploadRefused(XlsxError, WriteRefused):
    """An upload refused before parsing; ``message`` is for the user (Chinese)."""

    def __init__(self, message, status: int = 422):
        super().__init__(message)
        self.status = status


def setting(name: str) -> int:
    value = current_app.config.get(name)
    return int(DEFAULTS[name] if value is None else value)


def sheet_rows() -> int:
    """Rows a sheet may declare or hold, blank ones included: ``XLSX_IMPORT_MAX_SHEET_ROWS``, or
    by default the import's data rows (``XLSX_IMPORT_MAX_ROWS``) and 2,000 more."""
    value = current_app.config.get("XLSX_IMPORT_MAX_SHEET_ROWS")
    if value is not None:
        return int(value)
    from core.xlsx.read import limits

    return limits()[1] + 2000


def _size(size: int) -> str:
    """10485760 → "10 MB", 1024 → "1 KB": a limit as people read it."""
    return f"{size / 1048576:g} MB" if size >= 1048576 else f"{size / 1024:g} KB"


def read_limited(source, max_bytes: int) -> bytes:
    """The bytes of ``source`` (bytes, a path or a binary file object), refused past ``max_bytes``
    without reading more than one byte beyond it."""
    too_big = UploadRefused(_("文件过大（超过 %(size)s），请分成几个文件上传", size=_size(max_bytes)), 413)
    if isinstance(source, bytes | bytearray):
        if len(source) > max_bytes:
            raise too_big
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        if os.path.getsize(source) > max_bytes:
            raise too_big
        with open(source, "rb") as f:
            return f.read(max_bytes + 1)
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big
    return data


def check_upload(source, kind: str = "xlsx", *, max_bytes: int | None = None) -> bytes:
    """Read an upload within its limits and check it is a ``kind`` (a key of :data:`KINDS`).

    Returns its bytes; raises :class:`UploadRefused` (Chinese message, nothing parsed).
    ``max_bytes`` overrides ``UPLOAD_MAX_BYTES`` (the XLSX import passes its own setting).
    """
    expected, label = KINDS[kind]
    data = read_limited(source, setting("UPLOAD_MAX_BYTES") if max_bytes is None else max_bytes)
    if not data:
        raise UploadRefused(_("文件是空的"))
    not_kind = UploadRefused(_("无法读取文件：内容不是有效的 %(kind)s（按文件内容判断，不看文件名）",
                               kind=label), 415)
    if isinstance(expected, bytes):
        if not data.startswith(expected):
            raise not_kind
        return data
    if not data.startswith(_ZIP_MAGIC):
        raise not_kind
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise not_kind from exc
    with archive:
        names = {m.filename for m in members}
        if not all(name in names for name in expected):
            raise not_kind
        _check_members(members)
        try:
            _check_parts(archive, members, kind)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError, OSError,
                EOFError) as exc:
            # encrypted, an unknown compression, a corrupt stream: nothing we can read
            raise UploadRefused(_("文件已损坏或已加密，无法读取")) from exc
    return data


def _check_members(members) -> None:
    """Count, total uncompressed size and each member's ratio, from the central directory."""
    bomb = _("文件解压后过大或压缩比异常（疑似“压缩炸弹”），已拒绝。请用 Excel 另存后重新上传。")
    if len(members) > setting("UPLOAD_MAX_MEMBERS"):
        raise UploadRefused(_("文件内部包含的部件过多（%(n)s 个），已拒绝", n=len(members)))
    total, ratio = 0, setting("UPLOAD_MAX_RATIO")
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_FLOOR and member.file_size > ratio * max(1, member.compress_size):
            raise UploadRefused(bomb)
    if total > setting("UPLOAD_MAX_UNCOMPRESSED_BYTES"):
        raise UploadRefused(bomb)


def _head(archive, member) -> bytes:
    with archive.open(member) as part:
        return part.read(HEAD_BYTES)


def _check_parts(archive, members, kind: str) -> None:
    """No DTD in any XML part (entity expansion), and each sheet's declared size within limits."""
    max_rows, max_cols = sheet_rows(), setting("XLSX_IMPORT_MAX_COLUMNS")
    for member in members:
        name = member.filename
        if not name.endswith((".xml", ".rels")) or member.is_dir():
            continue
        head = _head(archive, member)
        if _DTD.search(head):
            raise UploadRefused(_("文件中含有不允许的 XML 实体声明（DTD），已拒绝"))
        if kind != "xlsx" or not name.startswith("xl/worksheets/"):
            continue
        found = _DIMENSION.search(head)
        if found is None:
            # openpyxl parses a sheet without <dimension> in full at load to learn its size
            # (120,000 blank rows: 4 s): count its rows first, at zlib's speed
            rows = _count_rows(archive, member)
            if rows > max_rows:
                raise UploadRefused(_("工作表超过 %(max)s 行（含空行），请删除多余的空行或分成几个文件",
                                      max=max_rows))
            continue
        rows = int(found.group(4) or found.group(2) or 0)
        cols = column_number(found.group(3) or found.group(1))
        if rows > max_rows:
            raise UploadRefused(_("工作表声明了 %(n)s 行，超过上限 %(max)s 行，"
                                  "请删除多余的空行或分成几个文件", n=rows, max=max_rows))
        if cols > max_cols:
            raise UploadRefused(_("工作表声明了 %(n)s 列，超过上限 %(max)s 列，请删除多余的列",
                                  n=cols, max=max_cols))


_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")


def _count_rows(archive, member) -> int:
    """The <row> elements of a sheet, read in 1 MB pieces (bounded by the total size checked)."""
    count, carry = 0, b""
    with archive.open(member) as part:
        while piece := part.read(1048576):
            data = carry + piece
            count += len(_ROW.findall(data))
            carry = data[-16:]
            count -= len(_ROW.findall(carry))  # counted again with the next piece
    return count + len(_ROW.findall(carry))


def column_number(letters: bytes | None) -> int:
    """``b"A"`` → 1, ``b"XFD"`` → 16384; None → 0."""
    number = 0
    for char in letters or b"":
        number = number * 26 + char - 64
    return number
