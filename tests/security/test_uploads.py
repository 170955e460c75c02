"""Hostile .xlsx uploads are refused before parsing, fast, with a Chinese message, on every path.

The files are built here as an attacker builds them: real ZIPs whose deflate streams inflate
to 120 MB of blank rows or 1 GB of shared strings from 0.19 and 1.07 MB, a high compression ratio,
hundreds of members, a renamed CSV, a ZIP that is no workbook, a billion-laughs DTD, a sheet
declaring two million rows, and one holding more rows than it declares. Each goes through the
list screen's import, ``POST /api/v1/asset/import`` and ``jiguan import``; each must be
refused in under 2 s with nothing imported (docs/security.md, "Uploads").
"""

from __future__ import annotations

import base64
import io
import re
import struct
import time
import zipfile
import zlib

import openpyxl
import pytest
from sqlalchemy import func, select

from core.extensions import db
from plugins.assets.cards.models import Asset
from tests.catalog.xlsx_helpers import ASSET_HEADERS, asset_row, upload, xlsx_bytes

PREFIX = "UPL-"
SECONDS = 2.0

BOMB = "疑似“压缩炸弹”"
NOT_XLSX = "不是有效的 Excel 工作簿"
MEMBERS = "部件过多"
DTD = "XML 实体声明"
DECLARED = "工作表声明了 2000000 行"
COLUMNS = "工作表声明了 16384 列"
UNDECLARED = "含空行"


# --- building the files ---------------------------------------------------------------------------

def _deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def _repeated(head: bytes, chunk: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """``head + chunk * times + tail`` deflated without ever holding it: after a full flush the
    compressor starts afresh, so the chunk's compressed block is the same every time."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * times + last, crc, len(head) + len(chunk) * times + len(tail)


def _zip(members: dict) -> bytes:
    """A ZIP written field by field (name → bytes, or an already deflated (data, crc, size))."""
    out, central = io.BytesIO(), []
    for name, member in members.items():
        data, crc, size = member if isinstance(member, tuple) else _deflated(member)
        raw, offset = name.encode(), out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                              len(raw), 0) + raw + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                   len(data), size, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start, directory = out.tell(), b"".join(central)
    out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                      len(directory), start, 0))
    return out.getvalue()


def _workbook() -> dict:
    """The members of a valid import file of one asset (the row a missing check would import)."""
    data = xlsx_bytes(ASSET_HEADERS, [asset_row(f"{PREFIX}1")])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


SHEET = "xl/worksheets/sheet1.xml"


def _sheet_parts(members) -> tuple[bytes, bytes]:
    head, _sep, tail = members[SHEET].partition(b"</sheetData>")
    return head, b"</sheetData>" + tail


def huge_rows() -> bytes:
    """20 million blank rows (``<row/>``) in ~0.13 MB: 120 MB of XML."""
    members = _workbook()
    head, tail = _sheet_parts(members)
    members[SHEET] = _repeated(head, b"<row/>" * 131072, 153, tail)
    return _zip(members)


SST = "xl/sharedStrings.xml"
SST_HEAD = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="1" uniqueCount="1">')


def _with_strings(members: dict, strings) -> dict:
    """The workbook with a shared-strings part (openpyxl writes inline strings; Excel does not)."""
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>'))
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = members[rels].replace(b"</Relationships>", (
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" /></Relationships>'))
    members[SST] = strings
    return members


def huge_strings() -> bytes:
    """A shared string of 1 GB in ~1 MB."""
    return _zip(_with_strings(_workbook(), _repeated(SST_HEAD + b"<si><t>", b"a" * 1048576, 1024,
                                                     b"</t></si></sst>")))


def high_ratio() -> bytes:
    """5 MB of blanks in a sheet (within the total) at a ratio of ~1,000."""
    members = _workbook()
    head, tail = _sheet_parts(members)
    members[SHEET] = _repeated(head, b" " * 1048576, 5, tail)
    return _zip(members)


def many_members() -> bytes:
    members = _workbook()
    members.update({f"xl/media/image{i}.bin": b"x" for i in range(600)})
    return _zip(members)


def renamed_csv() -> bytes:
    return "*资产编号,*资产名称\nUPL-1,台式计算机\n".encode()


def zip_not_xlsx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})


def billion_laughs() -> bytes:
    """Nine levels of ten entities each: 10^9 "lol"s, 3 GB, if a parser expanded them."""
    entities = [b'<!ENTITY l0 "lol">'] + [
        b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10) for i in range(1, 10)]
    strings = (b'<?xml version="1.0"?><!DOCTYPE sst [' + b"".join(entities) + b"]>"
               + SST_HEAD + b"<si><t>&l9;</t></si></sst>")
    return _zip(_with_strings(_workbook(), strings))


def declared_rows() -> bytes:
    members = _workbook()
    members[SHEET] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:L2000000"', members[SHEET])
    return _zip(members)


def declared_columns() -> bytes:
    members = _workbook()
    members[SHEET] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD2"', members[SHEET])
    return _zip(members)


def undeclared_rows() -> bytes:
    """120,000 rows after the data row and no <dimension>: 2 MB of XML, a normal ratio."""
    members = _workbook()
    head, tail = _sheet_parts(members)
    head = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", head)
    rows = b"".join(b'<row r="%d"/>' % i for i in range(3, 120_003))
    members[SHEET] = head + rows + tail
    return _zip(members)


def corrupt_stream() -> bytes:
    """A sheet whose deflate stream is garbage: a corrupt download, or a fuzzer's file."""
    members = _workbook()
    raw = members[SHEET]
    members[SHEET] = (b"\xff\xff\xff" + zlib.compress(raw)[5:], zlib.crc32(raw), len(raw))
    return _zip(members)


FILES = {
    "huge_rows": (huge_rows, BOMB),
    "huge_strings": (huge_strings, BOMB),
    "high_ratio": (high_ratio, BOMB),
    "many_members": (many_members, MEMBERS),
    "renamed_csv": (renamed_csv, NOT_XLSX),
    "zip_not_xlsx": (zip_not_xlsx, NOT_XLSX),
    "billion_laughs": (billion_laughs, DTD),
    "declared_rows": (declared_rows, DECLARED),
    "declared_columns": (declared_columns, COLUMNS),
    "undeclared_rows": (undeclared_rows, UNDECLARED),
    "corrupt_stream": (corrupt_stream, "文件已损坏或已加密"),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("bombs")
    built = {}
    for name, (build, message) in FILES.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(build())
        built[name] = (path, message)
    return built


def _imported(app) -> int:
    with app.app_context():
        count = db.session.execute(select(func.count(Asset.id))
                                   .where(Asset.number.startswith(PREFIX))).scalar()
        db.session.remove()
    return count


# --- the files are what they claim ----------------------------------------------------------------

def test_the_bombs_are_small_and_inflate_big(files):
    rows, strings = files["huge_rows"][0], files["huge_strings"][0]
    assert rows.stat().st_size < 250_000 and strings.stat().st_size < 1_200_000
    with zipfile.ZipFile(rows) as z:
        assert z.getinfo(SHEET).file_size > 100 * 1048576
    with zipfile.ZipFile(strings) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size > 1 << 30


def test_the_valid_file_they_are_made_of_imports(app, login):
    """The bombs carry a valid row: without the checks, the parsable ones would import it."""
    members = _workbook()
    response = login("tianshan_clerk").post("/api/v1/asset/import", data=upload(_zip(members)),
                                            content_type="multipart/form-data")
    assert response.status_code == 200 and response.get_json()["created"] == 1, response.get_json()
    with app.app_context():
        for asset in db.session.execute(select(Asset).where(Asset.number.startswith(PREFIX))).scalars():
            db.session.delete(asset)
        db.session.commit()
        db.session.remove()


# --- refused on every path ------------------------------------------------------------------------

@pytest.mark.parametrize("name", FILES)
def test_the_screen_refuses(app, login, files, name):
    path, message = files[name]
    clerk = login("tianshan_clerk")
    started = time.monotonic()
    response = clerk.post("/assetview/xlsx/import", data=upload(path.read_bytes()),
                          content_type="multipart/form-data")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert elapsed < SECONDS, f"{name}: {elapsed:.2f} s"
    assert _imported(app) == 0


@pytest.mark.parametrize("name", FILES)
def test_the_api_refuses(app, login, files, name):
    path, message = files[name]
    clerk = login("tianshan_clerk")
    started = time.monotonic()
    response = clerk.post("/api/v1/asset/import", data=upload(path.read_bytes()),
                          content_type="multipart/form-data")
    elapsed = time.monotonic() - started
    assert response.status_code == 422, response.get_data(as_text=True)
    assert message in response.get_json()["message"]
    assert elapsed < SECONDS, f"{name}: {elapsed:.2f} s"
    assert _imported(app) == 0


@pytest.mark.parametrize("name", FILES)
def test_the_cli_refuses(app, files, name):
    path, message = files[name]
    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["import", "asset", str(path), "--as", "tianshan_clerk"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 1 and message in result.stderr, result.output + result.stderr
    assert elapsed < SECONDS, f"{name}: {elapsed:.2f} s"
    assert _imported(app) == 0


def test_an_import_job_refuses_too(app, login, files, monkeypatch):
    """A file handed to the import job directly (POST /api/v1/jobs/) meets the same checks."""
    from core.jobs.backends import EagerBackend

    monkeypatch.setitem(app.extensions["jiguan_jobs"], "backend", EagerBackend(app))
    data = base64.b64encode(files["huge_strings"][0].read_bytes()).decode()
    response = login("tianshan_clerk").api("POST", "/api/v1/jobs/", json={
        "kind": "xlsx.import", "params": {"key": "asset", "file": data, "filename": "x.xlsx"}})
    assert response.status_code == 201, response.get_json()
    job = response.get_json()["result"]
    assert job["status"] == "failed" and BOMB in job["message"]
    assert _imported(app) == 0


def test_entity_expansion_is_off_in_the_parser_too():
    """Past our DTD check, openpyxl parses with defusedxml (setup.cfg installs it)."""
    assert openpyxl.DEFUSEDXML is True
    from defusedxml import DefusedXmlException

    started = time.monotonic()
    with pytest.raises(ValueError) as refused:  # openpyxl wraps defusedxml's refusal
        openpyxl.load_workbook(io.BytesIO(billion_laughs()), read_only=True)
    assert isinstance(refused.value.__cause__ or refused.value.__context__, DefusedXmlException)
    assert time.monotonic() - started < SECONDS


def test_a_body_past_max_content_length_gets_413_in_chinese(app, login, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1048576)
    clerk = login("tianshan_clerk")
    big = b"\0" * (2 * 1048576)
    screen = clerk.post("/assetview/xlsx/import", data=upload(big), content_type="multipart/form-data")
    assert screen.status_code == 413 and "上传的内容过大" in screen.get_data(as_text=True)
    api = clerk.post("/api/v1/asset/import", data=upload(big), content_type="multipart/form-data")
    assert api.status_code == 413 and "上传的内容过大" in api.get_json()["message"]
    assert _imported(app) == 0
    # a JSON body to an API method under FAB's @safe: 413 too, not its "Fatal error" 500
    body = {"kind": "xlsx.import", "params": {"file": "A" * 2 * 1048576}}
    job = clerk.api("POST", "/api/v1/jobs/", json=body)
    assert job.status_code == 413 and "上传的内容过大" in job.get_json()["message"]
    # a chunked body declares no length: Werkzeug cuts it at the limit, the view refuses the rest
    chunked = clerk.api("POST", "/api/v1/jobs/", input_stream=io.BytesIO(b"[" + b" " * 2 * 1048576 + b"]"),
                        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                        environ_overrides={"wsgi.input_terminated": True})
    assert chunked.status_code == 400, chunked.get_data(as_text=True)[:300]
    small = clerk.api("POST", "/api/v1/jobs/", input_stream=io.BytesIO(b'{"kind": "no.such"}'),
                      headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                      environ_overrides={"wsgi.input_terminated": True})
    assert small.status_code == 422 and "未知的任务类型" in small.get_json()["message"]


def test_the_same_check_serves_attachments(app, files):
    """``check_upload(source, kind)`` is what an attachment calls: content decides, not the name."""
    from core.xlsx.limits import UploadRefused, check_upload

    pdf, png = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})
    with app.test_request_context():
        assert check_upload(io.BytesIO(pdf), "pdf") == pdf
        assert check_upload(png, "png") == png
        assert check_upload(docx, "docx") == docx
        for data, kind, message in [
            (png, "pdf", "不是有效的 PDF 文件"),
            (files["renamed_csv"][0].read_bytes(), "jpeg", "不是有效的 JPEG 图片"),
            (docx, "xlsx", NOT_XLSX),
            (files["huge_strings"][0].read_bytes(), "docx", "不是有效的 Word 文档"),
            (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>",
                   "word/media/big.bin": _repeated(b"", b"\0" * 1048576, 200, b"")}), "docx", BOMB),
            (b"%PDF-" + b"\0" * 2048, "pdf", "文件过大（超过 1 KB）"),
        ]:
            with pytest.raises(UploadRefused) as refused:
                check_upload(data, kind, max_bytes=1024 if message.startswith("文件过大") else None)
            assert message in refused.value.message, (kind, refused.value.message)
