"""Every portable column type on every path (core/fab/column_types.py, docs/plugins.md "Column types").

``tests/fixtures/types_plugin.py`` has one column of each type and no schema of its own, so
the core's defaults carry it: the add and edit forms, the show and list pages, the REST API
(POST, PUT, GET), the XLSX export, template and import, and the audit trail. Bad input on each
path gets a Chinese message and writes nothing. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from catalog.models import Organization
from core.extensions import db
from core.models import AuditLog
from core.scoping import SYSTEM, acting_as
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.conftest import Browser
from tests.core.plugin_app import fixture_plugin_app
from tests.fixtures.types_plugin import KEY, SampleKind, TypeSample

TIANSHAN = "乌鲁木齐市天山区财政局"
SCAN = b"%PDF-1.4 scanned letter \x00\x01\x02"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def types_app(request, tmp_path_factory):
    yield from fixture_plugin_app(request.param, tmp_path_factory, ["tests.fixtures.types_plugin"],
                                  [KEY], "jiguan_types_test")


@pytest.fixture
def clerk(types_app):
    return Browser(types_app, "tianshan_clerk")


def _org_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(Organization.id).filter_by(name=TIANSHAN)).scalar_one()


def _sample(app, name: str) -> TypeSample | None:
    with app.app_context():
        row = db.session.execute(select(TypeSample).filter_by(name=name)).scalar_one_or_none()
        if row is not None:
            db.session.expunge(row)
        return row


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(TypeSample.id))).scalar_one()


def _audit(app, pk) -> list[AuditLog]:
    with app.app_context():
        return list(db.session.execute(select(AuditLog).where(
            AuditLog.entity == "type_sample", AuditLog.entity_id == str(pk)).order_by(AuditLog.id)).scalars())


def _stored(app, name: str, **values) -> int:
    """A sample written directly (what a CLI command or a job does), as the system."""
    with app.app_context(), acting_as(SYSTEM):
        org = db.session.execute(select(Organization).filter_by(name=TIANSHAN)).scalar_one()
        row = TypeSample(organization=org, name=name, **values)
        db.session.add(row)
        db.session.commit()
        return row.id


FULL = dict(note="多行\n备注", count=3, big=2**40, amount=decimal.Decimal("12.50"), ratio=0.25,
            active=True, on_date=dt.date(2026, 3, 1), at=dt.datetime(2026, 3, 1, 9, 30),
            starts_at=dt.time(9, 30), duration=dt.timedelta(hours=1, minutes=30),
            kind=SampleKind.survey, level="high", details={"楼层": [1, 2], "备注": "东侧"}, scan=SCAN)


def _typed(row: TypeSample) -> dict:
    return {name: getattr(row, name) for name in FULL}


# --- forms ------------------------------------------------------------------------------------

def _form(app, **overrides) -> dict:
    form = {"name": "表单样例", "organization": str(_org_id(app)), "note": "备注", "count": "3",
            "big": str(2**40), "amount": "12.50", "ratio": "0.25", "active": "y", "on_date": "2026-03-01",
            "at": "2026-03-01 09:30:00", "starts_at": "09:30", "duration": "1:30", "kind": "survey",
            "level": "high", "details": '{"楼层": [1, 2]}', "scan": (io.BytesIO(SCAN), "scan.pdf")}
    form.update(overrides)
    return form


def _selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    found = re.search(r'<option selected value="([^"]*)"', select)
    return found.group(1) if found else None


def test_the_add_form_has_a_field_for_every_type(clerk):
    response = clerk.get("/typesampleview/add")
    assert response.status_code == 200  # FAB left the Time column off and the page failed
    html = response.get_data(as_text=True)
    time_input = re.search(r'<input[^>]*name="starts_at"[^>]*>', html).group(0)
    assert 'type="time"' in time_input
    kind = re.search(r'<select[^>]*name="kind".*?</select>', html, re.S).group(0)
    assert '<option value="inspection">检查</option>' in kind
    assert '<option value="survey">调研</option>' in kind
    assert re.search(r'<option (selected )?value="">（不填）</option>', kind)  # optional: may stay empty
    level = re.search(r'<select[^>]*name="level".*?</select>', html, re.S).group(0)
    assert '<option value="high">重要</option>' in level
    assert re.search(r'<textarea[^>]*name="details"', html)
    assert re.search(r'<input[^>]*name="scan"[^>]*type="file"', html)
    assert re.search(r'<input[^>]*name="duration"[^>]*type="text"', html)


def test_a_record_of_every_type_is_added_and_edited_on_the_form(types_app, clerk):
    response = clerk.post("/typesampleview/add", data=_form(types_app), content_type="multipart/form-data")
    assert response.status_code == 302, Browser.flashes(response.get_data(as_text=True))
    row = _sample(types_app, "表单样例")
    assert _typed(row) == {**FULL, "note": "备注", "details": {"楼层": [1, 2]}}
    pk = row.id

    page = clerk.text(f"/typesampleview/edit/{pk}")
    assert re.search(r'name="starts_at"[^>]*value="09:30"', page)
    assert _selected(page, "kind") == "survey" and _selected(page, "level") == "high"
    assert "&#34;楼层&#34;: [\n    1,\n    2\n  ]" in page  # pretty JSON
    assert "%PDF" not in page  # a file is never put back into the page
    edit = _form(types_app, starts_at="14:05:30", kind="inspection", level="", duration="2天 03:30",
                 details='{"楼层": [3]}', lock_version=str(row.version))
    del edit["scan"]  # no new file: the stored one stays
    response = clerk.post(f"/typesampleview/edit/{pk}", data=edit, content_type="multipart/form-data")
    assert response.status_code == 302, Browser.flashes(response.get_data(as_text=True))
    row = _sample(types_app, "表单样例")
    assert (row.starts_at, row.kind, row.level, row.duration, row.details, row.scan) == (
        dt.time(14, 5, 30), SampleKind.inspection, None, dt.timedelta(days=2, hours=3, minutes=30),
        {"楼层": [3]}, SCAN)
    edit.update(scan=(io.BytesIO(b"v2"), "v2.pdf"), lock_version=str(row.version))  # a new file
    response = clerk.post(f"/typesampleview/edit/{pk}", data=edit, content_type="multipart/form-data")
    assert response.status_code == 302 and _sample(types_app, "表单样例").scan == b"v2"

    create, update, _replaced = _audit(types_app, pk)
    assert create.after["starts_at"] == "09:30:00" and create.after["kind"] == "survey"
    assert create.after["level"] == "high" and create.after["details"] == {"楼层": [1, 2]}
    assert create.after["duration"] == 5400
    assert create.after["scan"] == {"size": len(SCAN), "sha256": hashlib.sha256(SCAN).hexdigest()}
    assert update.before["kind"] == "survey" and update.after["kind"] == "inspection"
    assert update.after["starts_at"] == "14:05:30" and update.after["level"] is None


@pytest.mark.parametrize("field,value,message", [
    ("starts_at", "25:61", "不是有效的时间（如 09:30）"),
    ("details", '{"楼层": [1,', "不是有效的 JSON（第 1 行第 11 列附近）"),
    ("kind", "visit", "不是可选的值"),
    ("duration", "很久", "不是有效的时长（如 1:30 或 2天 03:30）"),
])
def test_bad_form_input_gets_a_chinese_message_and_writes_nothing(types_app, clerk, field, value, message):
    before = _count(types_app)
    response = clerk.post("/typesampleview/add", data=_form(types_app, name="坏样例", **{field: value}),
                          content_type="multipart/form-data")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(types_app) == before


def _shown(page: str, label: str) -> str:
    return re.search(rf"{label}</th>\s*<td>\s*<span[^>]*>(.*?)</span>", page, re.S).group(1)


def test_the_show_and_list_pages_read_every_type(types_app, clerk):
    pk = _stored(types_app, "展示样例", **FULL)
    page = clerk.text(f"/typesampleview/show/{pk}")
    for shown in ("09:30", "01:30", "调研", "重要", "东侧", f"{len(SCAN)} 字节（SHA-256 "
                  f"{hashlib.sha256(SCAN).hexdigest()[:12]}…）", "2026-03-01", "12.50"):
        assert shown in page, shown
    assert re.search(r'<pre class="jiguan-json"[^>]*>\{\n  &#34;楼层&#34;', page)  # pretty, escaped
    assert _shown(page, "开始时间") == "09:30" and _shown(page, "类别") == "调研"
    assert "SampleKind" not in page and "PDF-1.4" not in page
    listing = clerk.text("/typesampleview/list/?psize_TypeSampleView=100")
    assert "展示样例" in listing and "调研" in listing and "SampleKind" not in listing
    assert "PDF-1.4" not in listing
    catalog = clerk.api("GET", "/api/v1/catalog/").get_json()["result"]  # 数据目录
    [entry] = [e for e in catalog if e["key"] == "type_sample"]
    kinds = {f["name"]: f["type"] for f in entry["fields"]}
    assert (kinds["kind"], kinds["duration"], kinds["starts_at"]) == ("ENUM", "INTERVAL", "TIME")


# --- the REST API -----------------------------------------------------------------------------

def _body(app, **overrides) -> dict:
    body = {"organization": _org_id(app), "name": "接口样例", "note": "备注", "count": 3, "big": 2**40,
            "amount": "12.50", "ratio": 0.25, "active": True, "on_date": "2026-03-01",
            "at": "2026-03-01T09:30:00", "starts_at": "09:30", "duration": 5400, "kind": "survey",
            "level": "high", "details": {"楼层": [1, 2], "备注": "东侧"},
            "scan": base64.b64encode(SCAN).decode()}
    body.update(overrides)
    return body


def test_the_api_posts_puts_and_gets_every_type(types_app, clerk):
    post = clerk.api("POST", "/api/v1/type_sample/", json=_body(types_app))
    assert post.status_code == 201, post.get_json()
    pk = post.get_json()["id"]
    assert _typed(_sample(types_app, "接口样例")) == {**FULL, "note": "备注"}
    got = clerk.api("GET", f"/api/v1/type_sample/{pk}").get_json()["result"]
    assert got["kind"] == "survey"  # the code, as the form and the audit trail write it, not 2
    assert (got["starts_at"], got["duration"], got["level"]) == ("09:30:00", 5400, "high")
    assert got["details"] == {"楼层": [1, 2], "备注": "东侧"}
    assert got["scan"] == {"size": len(SCAN), "sha256": hashlib.sha256(SCAN).hexdigest()}
    assert (got["amount"], got["big"], got["on_date"]) == ("12.50", 2**40, "2026-03-01")
    listed = clerk.api("GET", "/api/v1/type_sample/").get_json()["result"]
    assert all(not isinstance(r.get("scan"), str) for r in listed)  # never the bytes

    put = clerk.api("PUT", f"/api/v1/type_sample/{pk}", json={
        "starts_at": "14:05:30", "kind": "inspection", "level": None, "duration": "2天 03:30",
        "details": [1, "二"], "scan": base64.b64encode(b"v2").decode()})
    assert put.status_code == 200, put.get_json()
    row = _sample(types_app, "接口样例")
    assert (row.starts_at, row.kind, row.level, row.duration, row.details, row.scan) == (
        dt.time(14, 5, 30), SampleKind.inspection, None, dt.timedelta(days=2, hours=3, minutes=30),
        [1, "二"], b"v2")
    create, update = _audit(types_app, pk)
    assert create.after["kind"] == "survey" and update.after["kind"] == "inspection"
    assert update.before["details"] == {"楼层": [1, 2], "备注": "东侧"}
    assert update.after["details"] == [1, "二"]
    assert update.after["scan"]["size"] == 2
    document = clerk.api("GET", "/api/v1/_openapi")  # the OpenAPI document takes the new fields
    assert document.status_code == 200
    schema = document.get_json()["components"]["schemas"]["TypeSampleApi.post"]["properties"]
    assert schema["kind"]["enum"] == ["inspection", "survey"] and schema["kind"]["type"] == "string"


@pytest.mark.parametrize("field,value,message", [
    ("starts_at", "25:61", "开始时间：不是有效的时间（如 09:30）"),
    ("kind", 2, "类别：“2”不是可选的值（可选：inspection（检查）、survey（调研））"),
    ("level", "urgent", "级别：“urgent”不是可选的值（可选：low（一般）、high（重要））"),
    ("duration", "很久", "时长：不是有效的时长"),
    ("scan", "不是 base64!", "扫描件：应为 Base64 编码的文件内容"),
    ("on_date", "2026-02-30", "日期：不是有效的日期"),
])
def test_bad_api_input_is_a_chinese_422_and_writes_nothing(types_app, clerk, field, value, message):
    before = _count(types_app)
    body = _body(types_app, name="坏接口样例", **{field: value})
    post = clerk.api("POST", "/api/v1/type_sample/", json=body)
    assert post.status_code == 422 and message in post.get_json()["message"], post.get_json()
    assert list(post.get_json()["errors"]) == [field]
    assert _count(types_app) == before
    pk = _stored(types_app, f"改坏样例{field}", **FULL)
    put = clerk.api("PUT", f"/api/v1/type_sample/{pk}", json={field: value})
    assert put.status_code == 422 and message in put.get_json()["message"], put.get_json()
    assert _typed(_sample(types_app, f"改坏样例{field}")) == FULL


# --- XLSX -------------------------------------------------------------------------------------

def test_export_then_import_round_trips_every_type(types_app, clerk):
    _stored(types_app, "导出样例", **FULL)
    export = clerk.get("/api/v1/type_sample/export.xlsx")
    assert export.status_code == 200
    wb = load_workbook(io.BytesIO(export.data))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "导出样例")
    cell = dict(zip(headers, row, strict=True))
    assert cell["开始时间"].value == dt.time(9, 30) and cell["开始时间"].number_format == "hh:mm"
    assert (cell["类别"].value, cell["级别"].value, cell["时长"].value) == ("调研", "重要", "01:30")
    assert cell["详情"].value == '{"楼层": [1, 2], "备注": "东侧"}'
    assert cell["扫描件"].value.startswith(f"{len(SCAN)} 字节（SHA-256 ")

    # the exported row, renamed, alone in a file with the export's headers: imported back
    values = [c.value for c in row]
    values[headers.index("名称")] = "导入样例"
    response = clerk.post("/api/v1/type_sample/import", data=upload(xlsx_bytes(headers, [values])),
                          content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 1
    imported = _typed(_sample(types_app, "导入样例"))
    assert imported == {**FULL, "scan": None}  # a file is never typed in a cell
    [create] = _audit(types_app, _sample(types_app, "导入样例").id)
    assert create.username == "tianshan_clerk" and create.after["kind"] == "survey"


def test_the_template_has_the_enum_drop_downs_and_says_how_to_type_each_kind(clerk):
    wb = load_workbook(io.BytesIO(clerk.get("/api/v1/type_sample/template.xlsx").data))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert "扫描件" not in headers  # uploaded on the form or the API only
    comments = {c.value.lstrip("*"): c.comment.text for c in ws[1]}
    assert "时间，如 09:30" in comments["开始时间"]
    assert "时长，如 1:30 或 2天 03:30" in comments["时长"]
    assert "JSON 文本" in comments["详情"]
    assert "检查、调研" in comments["类别"] and "一般、重要" in comments["级别"]
    options = wb["可选值"]
    lists = {}
    for rule in ws.data_validations.dataValidation:
        column = headers[int(str(rule.sqref).split(":")[0].rstrip("0123456789").encode()[0]) - 65]
        letter = rule.formula1.split("!$")[1][0]
        lists[column.lstrip("*")] = [c.value for c in options[letter] if c.value]
    assert lists["类别"] == ["检查", "调研"] and lists["级别"] == ["一般", "重要"]


HEADERS = ["*名称", "*单位", "开始时间", "时长", "类别", "级别", "详情"]


def test_typed_cells_import_as_people_write_them(types_app, clerk):
    data = xlsx_bytes(HEADERS, [["手填样例一", TIANSHAN, "9时30分", "2天 03:30", "检查", "high", "[1, 2]"],
                                ["手填样例二", TIANSHAN, dt.time(8, 0), "0:45", "survey", "一般", None]])
    response = clerk.post("/api/v1/type_sample/import", data=upload(data), content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    one, two = _sample(types_app, "手填样例一"), _sample(types_app, "手填样例二")
    assert (one.starts_at, one.duration, one.kind, one.level, one.details) == (
        dt.time(9, 30), dt.timedelta(days=2, hours=3, minutes=30), SampleKind.inspection, "high", [1, 2])
    assert (two.starts_at, two.duration, two.kind, two.level, two.details) == (
        dt.time(8, 0), dt.timedelta(minutes=45), SampleKind.survey, "low", None)


def test_bad_cells_are_chinese_row_errors_and_nothing_is_imported(types_app, clerk):
    before = _count(types_app)
    data = xlsx_bytes(HEADERS, [["坏格一", TIANSHAN, "25:00", "0:30", "检查", "一般", None],
                                ["坏格二", TIANSHAN, "09:00", "很久", "其他", "一般", None],
                                ["坏格三", TIANSHAN, "09:00", "0:30", "检查", "紧急", '{"a": '],
                                ["好格", TIANSHAN, "09:00", "0:30", "检查", "一般", "{}"]])
    response = clerk.post("/api/v1/type_sample/import", data=upload(data), content_type="multipart/form-data")
    assert response.status_code == 422
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert texts == [
        "第 2 行“开始时间”：不是有效的时间（如 09:30）",
        "第 3 行“时长”：不是有效的时长（如 1:30 或 2天 03:30）",
        "第 3 行“类别”：“其他”不是可选值（可选：检查、调研）",
        "第 4 行“级别”：“紧急”不是可选值（可选：一般、重要）",
        "第 4 行“详情”：不是有效的 JSON（第 1 行第 7 列附近）",
    ]
    assert _count(types_app) == before



@pytest.mark.parametrize("language", ["zh", "en", "ug"])
def test_a_duration_shown_in_any_language_is_read_back(types_app, language):
    """A page shows 2天 03:30 / 2d 03:30 / the Uyghur day word: typed back, it is the same time."""
    from flask_babel import force_locale

    from core.fab.column_types import duration_text, parse_duration

    if language not in types_app.config["LANGUAGES"]:
        pytest.skip(f"{language} is not offered yet")
    value = dt.timedelta(days=2, hours=3, minutes=30)
    with types_app.test_request_context(), force_locale(language):
        shown = duration_text(value)
        assert parse_duration(shown) == value, shown
        assert parse_duration("2天 03:30") == value  # Chinese always reads
        with pytest.raises(ValueError):
            parse_duration("2 很久 03:30")
