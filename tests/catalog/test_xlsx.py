"""XLSX export, template and import of every entity type (docs/xlsx.md), on real files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from catalog.models import Organization, Person
from core.extensions import db
from core.models import AuditLog
from plugins.assets.cards.models import ASSET_STATUSES, Asset
from tests.catalog.xlsx_helpers import (
    ASSET_HEADERS,
    PURCHASE,
    asset_row,
    read_xlsx,
    remove_imported_assets,
    upload,
    xlsx_bytes,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



@pytest.fixture(autouse=True)
def _leave_the_demo_holdings(app):
    yield
    remove_imported_assets(app, "XL-")

def _assets(app, *where):
    with app.app_context():
        return db.session.execute(
            select(Asset.number).join(Organization, Asset.organization_id == Organization.id)
            .where(*where).order_by(Asset.number)).scalars().all()


def _numbers(app, prefix):
    return _assets(app, Asset.number.startswith(prefix))


# ---- export ------------------------------------------------------------------------------------

def test_export_holds_only_the_users_scope(app, login):
    response = login("kashgar_clerk").get("/assetview/xlsx/export")
    assert response.status_code == 200 and response.mimetype == XLSX
    headers, rows = read_xlsx(response.data)
    assert headers[:3] == ["资产编号", "资产分类", "资产名称"] and "使用单位" in headers
    # the 资产卡片 list leaves disposed cards out (已处置资产 has them): so does its export
    assert sorted(r["资产编号"] for r in rows) == _assets(app, Organization.name == "喀什市财政局",
                                                      Asset.status != "disposed")
    assert rows and {r["使用单位"] for r in rows} == {"喀什市财政局"}
    cells = [str(v) for r in rows for v in r.values()]
    assert not any("天山区" in c for c in cells)


def test_export_shows_labels_dates_and_numbers(login):
    _headers, rows = read_xlsx(login("tianshan_clerk").get("/assetview/xlsx/export").data)
    row = rows[0]
    assert row["资产状态"] in {str(v) for v in ASSET_STATUSES.values()}  # the label, not in_use
    assert row["经费来源"] in {"财政拨款", "自筹", "其他"}
    assert isinstance(row["取得日期"], dt.datetime)  # a date cell, not text
    assert isinstance(row["原值（元）"], int | float) and isinstance(row["数量"], int)
    assert row["资产分类"] in {"2010000", "2020000", "2030000", "5010000"}  # the class code, not an id
    assert row["使用单位"] == "乌鲁木齐市天山区财政局" and row["所在辖区"] == "天山区"  # names


def test_export_follows_the_list_filter_and_order(app, login):
    bureau = login("urumqi_bureau")
    args = "_flt_0_status=idle&_oc_AssetView=number&_od_AssetView=desc"
    page = bureau.text(f"/assetview/list/?{args}")
    assert 'id="xlsx-export"' in page
    assert "/assetview/xlsx/export?" in page and "_flt_0_status=idle" in page.split('id="xlsx-export"')[1]
    _headers, rows = read_xlsx(bureau.get(f"/assetview/xlsx/export?{args}").data)
    numbers = [r["资产编号"] for r in rows]
    with app.app_context():  # the idle cards the bureau may read, whatever other tests moved where
        from core.scoping import scope_for_user, scoped

        scope = scope_for_user(app.appbuilder.sm.find_user(username="urumqi_bureau"))
        idle_in_urumqi = db.session.execute(
            scoped(select(Asset.number).where(Asset.status == "idle"), Asset, scope)).scalars().all()
    assert numbers and {r["资产状态"] for r in rows} == {"闲置"}
    assert numbers == sorted(idle_in_urumqi, reverse=True)
    everything = read_xlsx(bureau.get("/assetview/xlsx/export").data)[1]
    assert len(everything) > len(rows)
    # FAB offers the label property as a sort column; SQL cannot sort by it: the default order
    by_label = bureau.get("/assetview/xlsx/export?_oc_AssetView=status_label&_od_AssetView=desc")
    assert by_label.status_code == 200 and len(read_xlsx(by_label.data)[1]) == len(everything)


def test_export_over_the_api_is_scoped_and_filtered(app, login):
    clerk = login("kashgar_clerk")
    response = clerk.get("/api/v1/asset/export.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    rows = read_xlsx(response.data)[1]
    # the 资产卡片 list leaves disposed cards out (已处置资产 has them): so does its export
    assert sorted(r["资产编号"] for r in rows) == _assets(app, Organization.name == "喀什市财政局",
                                                      Asset.status != "disposed")
    idle = read_xlsx(clerk.get("/api/v1/asset/export.xlsx?_flt_0_status=idle").data)[1]
    assert all(r["资产状态"] == "闲置" for r in idle) and len(idle) < len(rows)
    assert clerk.get("/api/v1/nothing/export.xlsx").status_code == 404


def test_a_catalog_type_exports_the_same_way(login):
    rows = read_xlsx(login("urumqi_bureau").get("/organizationview/xlsx/export").data)[1]
    names = {r["单位名称"] for r in rows}
    assert "乌鲁木齐市天山区财政局" in names and "喀什市财政局" not in names
    assert {r["单位类型"] for r in rows} <= {"各级人民政府及其部门", "其他国家机关", "事业单位",
                                          "人民团体（工会、共青团、妇联等）"}
    assert {r["机关事务管理部门"] for r in rows} <= {"是", "否"}


# ---- buttons and template ----------------------------------------------------------------------

def test_buttons_follow_the_users_permissions(login):
    clerk = login("kashgar_clerk")
    assets = clerk.text("/assetview/list/")
    assert all(f'id="xlsx-{b}"' in assets for b in ("export", "import", "template"))
    orgs = clerk.text("/organizationview/list/")  # reference data: a clerk reads it only
    assert 'id="xlsx-export"' in orgs and 'id="xlsx-import"' not in orgs
    assert clerk.get("/organizationview/xlsx/import").status_code in (302, 403)
    assert clerk.get("/api/v1/organization/template.xlsx").status_code == 403
    findings = login("urumqi_bureau").text("/findingview/list/")  # not a catalogued type
    assert "问题清单" in findings and 'id="xlsx-import"' not in findings  # its own export only


def test_template_marks_required_columns_and_offers_the_choices(login):
    response = login("tianshan_clerk").get("/assetview/xlsx/template")
    assert response.status_code == 200 and response.mimetype == XLSX
    disposition = response.headers["Content-Disposition"]
    assert 'filename="asset-template-' in disposition and "filename*=UTF-8''" in disposition
    wb = load_workbook(io.BytesIO(response.data))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["*资产编号", "*资产分类", "*资产名称"]
    assert "资产状态" in headers and "*使用单位" in headers and "规格型号" in headers
    assert "最低使用年限届满日" not in headers  # computed on save, never typed
    status = ws.cell(row=1, column=headers.index("资产状态") + 1)
    assert "在用" in status.comment.text and "闲置" in status.comment.text
    assert "必填" in ws.cell(row=1, column=1).comment.text
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert formulas, "a drop-down for each choice column"
    options = wb[wb.sheetnames[2]]
    assert "在用" in [c.value for c in options[formulas[-1].split("!")[1].split(":")[0]
                                                 .replace("$", "")[0]]]
    notes = wb["说明"]
    assert ["资产编号", "是"] == [c.value for c in notes[2]][:2]


# ---- import ------------------------------------------------------------------------------------

def _import(browser, rows, headers=ASSET_HEADERS, url="/assetview/xlsx/import", **form):
    return browser.post(url, data=upload(xlsx_bytes(headers, rows), **form),
                        content_type="multipart/form-data", follow_redirects=True)


def test_import_creates_the_rows_as_the_user_with_audit(app, login):
    clerk = login("tianshan_clerk")
    with app.app_context():
        uscc = db.session.execute(select(Organization.uscc)
                                  .where(Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
    rows = [asset_row("XL-OK-1", cls="2010000"),  # class by code, organisation by name
            asset_row("XL-OK-2", value=2800.5, cls="家具", org=uscc, jur="650102",
                      **{"资产状态": "闲置", "经费来源": "自筹"})]
    html = _import(clerk, rows).get_data(as_text=True)
    assert "导入成功：新增 2 条记录" in html
    assert _numbers(app, "XL-OK-") == ["XL-OK-1", "XL-OK-2"]
    with app.app_context():
        second = db.session.execute(select(Asset).where(Asset.number == "XL-OK-2")).scalar_one()
        assert (second.status, second.funding_source, str(second.original_value)) == (
            "idle", "self_raised", "2800.50")
        assert second.min_life_ends_on == dt.date(2041, 3, 1)  # the model's own listener ran
        audit = db.session.execute(select(AuditLog).where(
            AuditLog.entity == "asset", AuditLog.entity_id == str(second.id))).scalars().all()
    assert [(a.action, a.username) for a in audit] == [("create", "tianshan_clerk")]


def test_art17_import_reports_every_bad_row_and_writes_nothing(app, login):
    """Art. 17: a row above the price cap is refused like on the form; with a schema error in
    another row, both are reported with the Excel row numbers and no row is written."""
    rows = [asset_row("XL-BAD-1"),
            asset_row("XL-BAD-2", **{"数量": 0}),  # schema: 数量必须大于 0
            asset_row("XL-BAD-3", value=9000, **PURCHASE),  # unit price 9,000 > the 6,000 cap for computers
            asset_row("XL-BAD-4", **{"资产状态": "丢了"}, acquired="2026-02-30")]
    html = _import(login("tianshan_clerk"), rows).get_data(as_text=True)
    assert "第 3 行“数量”：数量必须大于 0" in html
    assert "第 4 行：资产单价 9,000.00 元超过“计算机设备”现行配置标准的单价上限 6,000.00 元" in html
    assert "第十七条" in html
    assert "第 5 行“资产状态”：“丢了”不是可选值" in html and "第 5 行“取得日期”：不是有效的日期" in html
    assert "未写入任何记录" in html
    assert _numbers(app, "XL-BAD-") == []


def test_import_refuses_an_organisation_outside_the_scope(app, login):
    rows = [asset_row("XL-SCOPE-1"), asset_row("XL-SCOPE-2", org="喀什市财政局", jur="喀什市")]
    html = _import(login("tianshan_clerk"), rows).get_data(as_text=True)
    assert "第 3 行“使用单位”：找不到“喀什市财政局”，或不在您的权限范围内" in html
    assert "第 3 行“所在辖区”：找不到“喀什市”" in html
    assert _numbers(app, "XL-SCOPE-") == []


def test_import_catches_duplicates_in_the_file_and_in_the_database(app, login):
    rows = [asset_row("XL-DUP-1"), asset_row("XL-DUP-1")]
    existing = _assets(app, Organization.name == "乌鲁木齐市天山区财政局")[0]
    rows.append(asset_row(existing))
    html = _import(login("tianshan_clerk"), rows).get_data(as_text=True)
    assert "第 3 行“资产编号”：“XL-DUP-1”与第 2 行重复" in html
    assert f"第 4 行“资产编号”：“{existing}”已存在" in html
    assert _numbers(app, "XL-DUP-") == []


def test_an_exported_file_imports_back_with_its_extra_columns(login):
    clerk = login("kashgar_clerk")
    exported = clerk.get("/assetview/xlsx/export").data
    response = clerk.post("/assetview/xlsx/import", data=upload(exported),
                          content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "无法识别的列" not in html and "已存在" in html  # export-only columns are ignored


@pytest.mark.parametrize("data,name,message", [
    (b"number,name\nA-1,x\n", "assets.csv", "只能导入 Excel 工作簿（.xlsx）"),
    (b"number,name\nA-1,x\n", "assets.xlsx", "不是有效的 Excel 工作簿"),
    (b"", "empty.xlsx", "文件是空的"),
    (xlsx_bytes(ASSET_HEADERS, []), "empty.xlsx", "文件中没有数据行"),
    (xlsx_bytes(["资产编号", "颜色"], [["X", "红"]]), "wrong.xlsx", "无法识别的列：颜色"),
    (xlsx_bytes(["资产编号"], [["X"]]), "short.xlsx", "缺少必填列：资产分类、资产名称"),
])
def test_a_bad_file_gets_a_clear_message_and_writes_nothing(app, login, data, name, message):
    with app.app_context():
        before = db.session.execute(select(func.count(Asset.id))).scalar()
    response = login("tianshan_clerk").post("/assetview/xlsx/import", data=upload(data, name),
                                            content_type="multipart/form-data")
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(Asset.id))).scalar() == before


def test_a_file_above_the_row_or_size_limit_is_refused(app, login, monkeypatch):
    monkeypatch.setitem(app.config, "XLSX_IMPORT_MAX_ROWS", 2)
    rows = [asset_row(f"XL-BIG-{i}") for i in range(3)]
    assert "行数过多（超过 2 行）" in _import(login("tianshan_clerk"), rows).get_data(as_text=True)
    monkeypatch.setitem(app.config, "XLSX_IMPORT_MAX_BYTES", 2 * 1048576)
    big = xlsx_bytes(ASSET_HEADERS, [asset_row("XL-BIG-X")]) + b"\0" * (2 * 1048576)  # past the limit
    response = login("tianshan_clerk").post("/assetview/xlsx/import", data=upload(big),
                                            content_type="multipart/form-data")
    assert "文件过大（超过 2 MB）" in response.get_data(as_text=True)
    assert _numbers(app, "XL-BIG-") == []


def test_a_dry_run_checks_without_writing(app, login):
    html = _import(login("tianshan_clerk"), [asset_row("XL-DRY-1")], dry_run="1").get_data(as_text=True)
    assert "检查通过：1 行均可导入（未写入）" in html
    assert _numbers(app, "XL-DRY-") == []


# ---- a catalog type over the API: the same engine, no per-type code ----------------------------

PERSON_HEADERS = ["*姓名", "职级", "职务", "*所在单位"]


def test_people_import_over_the_api(app, login):
    clerk = login("tianshan_clerk")
    data = xlsx_bytes(PERSON_HEADERS, [["导入甲", "科员及以下", "科员", "乌鲁木齐市天山区财政局"],
                                       ["导入乙", "section_deputy", None, "乌鲁木齐市天山区财政局"]])
    response = clerk.post("/api/v1/person/import", data=upload(data), content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 2
    with app.app_context():
        people = dict(db.session.execute(select(Person.name, Person.rank)
                                         .where(Person.name.in_(("导入甲", "导入乙")))).all())
    assert people == {"导入甲": "staff", "导入乙": "section_deputy"}
    with app.app_context():  # the headcount of 天山区财政局 sets its Art. 17 quantity caps elsewhere
        imported = select(Person).where(Person.name.in_(("导入甲", "导入乙")))
        for person in db.session.execute(imported).scalars():
            db.session.delete(person)
        db.session.commit()


def test_people_import_errors_over_the_api(app, login):
    data = xlsx_bytes(PERSON_HEADERS, [["导入丙", "处长", None, "乌鲁木齐市天山区财政局"],
                                       ["导入丁", None, None, "喀什市财政局"],
                                       [None, None, None, "乌鲁木齐市天山区财政局"]])
    response = login("tianshan_clerk").post("/api/v1/person/import", data=upload(data),
                                            content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_json()
    texts = [e["text"] for e in body["errors"]]
    assert texts[0].startswith("第 2 行“职级”：“处长”不是可选值")
    assert texts[1].startswith("第 3 行“所在单位”：找不到“喀什市财政局”")
    assert texts[2] == "第 4 行“姓名”：必填，不能为空"
    assert [e["row"] for e in body["errors"]] == [2, 3, 4]
    with app.app_context():
        assert db.session.execute(select(func.count()).where(Person.name.in_(["导入丙", "导入丁"]))
                                  ).scalar() == 0


# ---- a plugin's type (land) through the same engine: its Art. 21 rule applies to imports too -----

LAND_HEADERS = ["*宗地名称", "*所在辖区", "*使用单位", "*坐落", "*面积（平方米）", "用途", "确权登记状态",
                "不动产权证书号"]


def test_art21_land_import_applies_the_plugins_rule(app, login):
    """Art. 21: a parcel imported as registered needs its certificate number, as on the form."""
    from plugins.land.parcels.models import LandParcel

    clerk = login("tianshan_clerk")
    template = read_xlsx(clerk.get("/landparcelview/xlsx/template").data)[0]
    assert template[:5] == LAND_HEADERS[:5]
    place = ["天山区", "乌鲁木齐市天山区财政局", "天山区某路 1 号"]
    data = xlsx_bytes(LAND_HEADERS, [["导入宗地甲", *place, 1200.5, "办公用地", "未登记", None],
                                     ["导入宗地乙", *place, 800, "办公用地", "已登记", None]])
    response = clerk.post("/api/v1/land_parcel/import", data=upload(data),
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert [e["text"] for e in response.get_json()["errors"]] == [
        "第 3 行：已登记的宗地必须填写不动产权证书号（《办法》第二十一条）"]
    fixed = xlsx_bytes(LAND_HEADERS, [["导入宗地甲", *place, 1200.5, "办公用地", "未登记", None]])
    response = clerk.post("/api/v1/land_parcel/import", data=upload(fixed),
                          content_type="multipart/form-data")
    assert response.status_code == 200 and response.get_json()["created"] == 1
    with app.app_context():
        parcel = db.session.execute(select(LandParcel).where(LandParcel.name == "导入宗地甲")).scalar_one()
        assert (parcel.land_use, parcel.registration_status, float(parcel.area)) == (
            "office", "unregistered", 1200.5)


@pytest.fixture
def eager_jobs(app, monkeypatch, tmp_path):
    from core.jobs import backend_for
    from core.jobs.backends import EagerBackend

    backend_for(app)  # built now, so the test's backend replaces it
    monkeypatch.setitem(app.config, "JOBS_DIR", str(tmp_path / "jobs"))
    monkeypatch.setitem(app.extensions["jiguan_jobs"], "backend", EagerBackend(app))
    return app


def _job_of(browser, response):
    assert response.status_code == 302 and "/jobs/" in response.location, response.status_code
    job_id = int(response.location.rstrip("/").split("/")[-1])
    return browser.get(f"/api/v1/jobs/{job_id}").get_json()["result"]


def test_a_large_export_runs_as_a_background_job(app, login, monkeypatch, eager_jobs):
    bureau = login("urumqi_bureau")
    args = "_flt_0_status=in_use&_oc_AssetView=number&_od_AssetView=asc"
    monkeypatch.setitem(app.config, "XLSX_EXPORT_JOB_ROWS", 0)
    direct = read_xlsx(bureau.get(f"/assetview/xlsx/export?{args}").data)[1]
    monkeypatch.setitem(app.config, "XLSX_EXPORT_JOB_ROWS", 3)
    job = _job_of(bureau, bureau.get(f"/assetview/xlsx/export?{args}"))
    assert job["status"] == "done" and job["label"] == "导出 Excel", job
    rows = read_xlsx(bureau.get(job["download_url"]).data)[1]
    assert len(direct) > 3 and rows == direct  # the same rows, filter and order as in the request


def test_text_that_looks_like_a_formula_is_exported_as_text(app, login):
    """A name typed as "=HYPERLINK(…)" must not become a live formula in the exported file."""
    with app.app_context():
        asset = db.session.execute(select(Asset).join(Organization, Asset.organization_id == Organization.id)
                                   .where(Organization.name == "喀什市财政局")).scalars().first()
        number, asset.note = asset.number, '=HYPERLINK("http://example.invalid","点我")'
        db.session.commit()
    data = login("kashgar_clerk").get("/assetview/xlsx/export").data
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == number)
    note = row[headers.index("备注")]
    assert note.data_type == "s" and note.value.startswith("=HYPERLINK")


def test_numbers_typed_as_text_and_an_english_user_with_a_chinese_file(app, login):
    clerk = login("tianshan_clerk")
    clerk.get("/lang/en")
    try:
        english = read_xlsx(clerk.get("/assetview/xlsx/template").data)[0]
        assert english[0] == "*Asset number"  # the template follows the user's language
        _import(clerk, [asset_row("XL-EN-1", value="4,800.00元", **{"数量": "1"})])
    finally:
        clerk.get("/lang/zh")
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.number == "XL-EN-1")).scalar_one()
        assert (str(asset.original_value), asset.status) == ("4800.00", "in_use")


ORG_HEADERS = ["*单位名称", "*统一社会信用代码", "单位类型", "机构级别", "机关事务管理部门", "财政部门",
               "上级单位", "*所属辖区"]


def test_organisations_import_on_their_screen_with_the_schemas_checks(app, login):
    """Reference data: a bureau admin imports organisations in its subtree; the USCC check digit
    (the schema's validator) and the scope apply to each row."""
    from catalog.demo import make_uscc

    good = make_uscc("1", "1", "650102", "XL0000001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    bureau = login("urumqi_bureau")
    template = read_xlsx(bureau.get("/organizationview/xlsx/template").data)[0]
    assert template == ORG_HEADERS
    rows = [["导入单位甲", good, "事业单位", None, "否", "否", "乌鲁木齐市天山区财政局", "650102"],
            ["导入单位乙", bad, "各级人民政府及其部门", None, "否", "否", None, "天山区"],
            ["导入单位丙", make_uscc("1", "1", "653101", "XL0000002"), "各级人民政府及其部门", None, "是",
             "否", None, "喀什市"]]
    html = _import(bureau, rows, headers=ORG_HEADERS, url="/organizationview/xlsx/import").get_data(
        as_text=True)
    assert "第 3 行“统一社会信用代码”：统一社会信用代码校验位错误" in html
    assert "第 4 行“所属辖区”：找不到“喀什市”，或不在您的权限范围内" in html
    with app.app_context():
        assert db.session.execute(select(func.count()).where(Organization.name.startswith("导入单位"))
                                  ).scalar() == 0
    html = _import(bureau, rows[:1], headers=ORG_HEADERS, url="/organizationview/xlsx/import").get_data(
        as_text=True)
    assert "导入成功：新增 1 条记录" in html
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.uscc == good)).scalar_one()
        assert (org.org_type, org.is_bureau, org.parent.name, org.jurisdiction.code) == (
            "public_institution", False, "乌鲁木齐市天山区财政局", "650102")
        assert org.organ_level == "county"  # left empty: the jurisdiction's level


def test_an_english_template_imports_back(app, login):
    clerk = login("tianshan_clerk")
    clerk.get("/lang/en")
    try:
        headers = read_xlsx(clerk.get("/assetview/xlsx/template").data)[0]
        values = dict(zip(ASSET_HEADERS, asset_row("XL-EN-2"), strict=True))
        # the Chinese template (?_l_=zh: the clerk's choice of English is stored on the user, so a
        # second login would be English too, docs/i18n.md) → the English header
        english = dict(zip([h.lstrip("*") for h in read_xlsx(login("tianshan_clerk").get(
            "/assetview/xlsx/template?_l_=zh").data)[0]], headers, strict=True))
        row = [values.get(h) if h in values else values.get("*" + h) for h in english]
        response = clerk.post("/assetview/xlsx/import", data=upload(xlsx_bytes(headers, [row])),
                              content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    finally:
        clerk.get("/lang/zh")
    assert _numbers(app, "XL-EN-2") == ["XL-EN-2"]


def test_a_browser_session_needs_the_csrf_token_to_import_over_the_api(app, login, monkeypatch):
    """A foreign page could post a multipart form with the user's cookie: the token is required."""
    clerk = login("tianshan_clerk")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = xlsx_bytes(ASSET_HEADERS, [asset_row("XL-CSRF-1")])
    response = clerk.post("/api/v1/asset/import", data=upload(data), content_type="multipart/form-data")
    assert response.status_code == 400 and "CSRF" in response.get_json()["message"]
    assert _numbers(app, "XL-CSRF-") == []


def test_a_large_import_runs_as_a_background_job_all_or_nothing(app, login, monkeypatch, eager_jobs):
    """Art. 17 in a background import: the job fails listing the rows, and writes nothing."""
    monkeypatch.setitem(app.config, "XLSX_IMPORT_JOB_ROWS", 1)
    clerk = login("tianshan_clerk")
    bad = [asset_row("XL-JOB-1"), asset_row("XL-JOB-2", value=8000, **PURCHASE)]
    job = _job_of(clerk, clerk.post("/assetview/xlsx/import", data=upload(xlsx_bytes(ASSET_HEADERS, bad)),
                                    content_type="multipart/form-data"))
    assert job["status"] == "failed" and job["label"] == "导入 Excel"
    assert "未写入任何记录" in job["message"] and "第 3 行：资产单价 8,000.00 元超过" in job["message"]
    assert _numbers(app, "XL-JOB-") == []
    good = [asset_row("XL-JOB-1"), asset_row("XL-JOB-2")]
    response = clerk.post("/api/v1/asset/import", data=upload(xlsx_bytes(ASSET_HEADERS, good)),
                          content_type="multipart/form-data")
    assert response.status_code == 202
    job = clerk.get(f"/api/v1/jobs/{response.get_json()['job']['id']}").get_json()["result"]
    assert job["status"] == "done", job
    report = read_xlsx(clerk.get(job["download_url"]).data)
    assert report[0] == ["数据类型", "资产卡片"] and "导入成功：新增 2 条记录" in str(report[1])
    assert _numbers(app, "XL-JOB-") == ["XL-JOB-1", "XL-JOB-2"]
    with app.app_context():
        names = db.session.execute(select(AuditLog.username).where(
            AuditLog.entity == "asset", AuditLog.action == "create",
            AuditLog.entity_id.in_(select(func.cast(Asset.id, db.String))
                                   .where(Asset.number.startswith("XL-JOB-"))))).scalars().all()
    assert names == ["tianshan_clerk", "tianshan_clerk"]  # written as the user who uploaded


def test_a_file_that_cannot_be_imported_is_refused_at_once_not_in_a_job(app, login, monkeypatch):
    monkeypatch.setitem(app.config, "XLSX_IMPORT_JOB_ROWS", 1)
    rows = [["X-1", "红"], ["X-2", "蓝"]]
    response = login("tianshan_clerk").post(
        "/assetview/xlsx/import", data=upload(xlsx_bytes(["资产编号", "颜色"], rows)),
        content_type="multipart/form-data")
    assert response.status_code == 200 and "无法识别的列：颜色" in response.get_data(as_text=True)


def test_an_import_job_checks_the_permission_like_the_screen(app, login):
    """The generic job API must not let a clerk import reference data it may only read."""
    import base64

    data = base64.b64encode(xlsx_bytes(["*单位名称"], [["某单位"]])).decode()
    response = login("kashgar_clerk").api("POST", "/api/v1/jobs/", json={
        "kind": "xlsx.import", "params": {"key": "organization", "file": data}})
    assert response.status_code in (403, 422) and "无权" in response.get_json()["message"]


def test_a_running_import_job_shows_seconds_per_1000_rows_beside_its_bar(app, login, monkeypatch, eager_jobs):
    """The job of a large import carries its rows; while it runs its JSON and its page say the rate
    (the time since it started over the rows its progress says are done), in Chinese and in English."""
    monkeypatch.setitem(app.config, "XLSX_IMPORT_JOB_ROWS", 1)
    clerk = login("tianshan_clerk")
    rows = [asset_row("XL-RATE-1"), asset_row("XL-RATE-2")]
    job = _job_of(clerk, clerk.post("/assetview/xlsx/import",  # a check only: nothing written
                                    data=upload(xlsx_bytes(ASSET_HEADERS, rows), dry_run="y"),
                                    content_type="multipart/form-data"))
    assert job["status"] == "done" and job["rate_text"] is None  # a finished job has no rate
    from core.jobs.models import Job
    from core.versioning import utcnow

    with app.app_context():
        row = db.session.get(Job, job["id"])
        assert row.params["rows"] == 2
        # as if it were running: 10 % of 20,000 rows done in 30 s → 15 s per 1,000 rows
        row.status, row.progress, row.params = "running", 10, {**row.params, "rows": 20_000}
        row.started_at = utcnow() - dt.timedelta(seconds=30)
        db.session.commit()
    try:
        running = clerk.get(f"/api/v1/jobs/{job['id']}").get_json()["result"]
        assert 15.0 <= running["seconds_per_1000_rows"] < 16, running
        assert running["rate_text"].startswith("每 1,000 行 15.") and running["rate_text"].endswith(" 秒")
        page = clerk.text(f"/jobs/{job['id']}")
        assert 'id="job-rate"' in page and "每 1,000 行 15." in page
        clerk.get("/lang/en")
        try:
            english = clerk.get(f"/api/v1/jobs/{job['id']}").get_json()["result"]["rate_text"]
            assert english.startswith("15.") and "1,000 rows" in english, english
        finally:
            clerk.get("/lang/zh")
    finally:
        with app.app_context():
            db.session.get(Job, job["id"]).status = "done"
            db.session.commit()
