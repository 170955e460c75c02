"""PDF reports, read back as a person would: pdftotext for the words, pdffonts for the fonts.

Each test runs on SQLite and PostgreSQL (the ``app`` fixture). Reports are reached
through 报表中心 (/reports/), the API (/api/v1/reports/) and the CLI (jiguan report).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from catalog.demo import make_uscc
from catalog.models import Jurisdiction, Organization
from core.extensions import db
from core.scoping import SYSTEM, scope_for_user
from core.state import get_state
from plugins.land.parcels.models import LandParcel
from reports.engine import ReportError, render_html, render_pdf

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")


@pytest.fixture(autouse=True)
def _poppler():
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        message = (f"poppler-utils missing ({', '.join(missing)}): run `make system-deps` "
                   "(scripts/system-deps.sh) to read PDFs back")
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(message + " (JIGUAN_REQUIRE_POSTGRES is set: CI must read the PDFs)")
        pytest.skip(message)


def _run(args, pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run([*args, str(path)] + (["-"] if args[0] == "pdftotext" else []),
                          capture_output=True, text=True, check=True).stdout


def pdftext(pdf: bytes, tmp_path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return _run(["pdftotext", "-layout", *pages], pdf, tmp_path)


def squeeze(text: str) -> str:
    """Without whitespace: pdftotext keeps or drops the spaces between CJK glyphs at will."""
    return re.sub(r"\s+", "", text)


def page_count(pdf: bytes, tmp_path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run(["pdfinfo"], pdf, tmp_path), re.M).group(1))


def user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def scope_of(app, username):
    return scope_for_user(user(app, username))


def _total_line(text: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.strip().startswith("合计"))
    return line.split()


def _parcels_under(path: str):
    """A direct count of the parcels of a jurisdiction subtree (not through the scope function)."""
    return db.session.execute(
        select(func.count(LandParcel.id), func.coalesce(func.sum(LandParcel.area), 0))
        .join(Jurisdiction, LandParcel.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.path.startswith(path))
    ).one()


def assert_is_pdf(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    return response.data


# --- the registry ----------------------------------------------------------------------


def test_register_reports_installs_each_report_with_its_module(ctx):
    reports = get_state().reports
    assert reports.get("land_registration").module == "land"
    assert reports.get("organization_directory").module == "catalog"
    assert reports.get("land_registration").orientation == "landscape"


def test_a_duplicate_report_key_is_refused():
    from reports.registry import Report, ReportRegistry

    registry = ReportRegistry()
    report = Report(key="x", label="x", params_schema=object, build_context=dict, template="t",
                    module="a")
    registry.add(report)
    with pytest.raises(ValueError, match="重复"):
        registry.add(Report(key="x", label="y", params_schema=object, build_context=dict,
                            template="t", module="b"))


def test_weasyprint_may_fetch_only_local_files(ctx):
    from reports.engine import url_fetcher

    fetcher = url_fetcher()
    for url in ("http://example.com/font.woff", "https://example.com/x.css", "ftp://x/y"):
        with pytest.raises(ValueError, match="disallowed"):
            fetcher(url)


# --- the land report: title, totals, fonts --------------------------------------------------


def test_land_report_has_the_title_exact_totals_and_embedded_cjk_and_uyghur_fonts(ctx, tmp_path):
    scope = scope_of(ctx, "urumqi_bureau")
    pdf = render_pdf("land_registration", {}, scope)
    text = pdftext(pdf, tmp_path)
    assert "土地确权登记情况表" in text
    assert "乌鲁木齐市机关事务管理局" in text  # the issuing organisation
    assert "第1页共" in squeeze(text)
    count, area = _parcels_under(scope.jurisdiction_path)
    assert count > 0
    total = _total_line(text)
    assert total[1] == str(count)
    assert total[2] == f"{Decimal(area):,.2f}"
    registered = db.session.execute(
        select(func.count(LandParcel.id)).join(Jurisdiction)
        .where(Jurisdiction.path.startswith(scope.jurisdiction_path),
               LandParcel.registration_status == "registered")
    ).scalar()
    assert total[3] == str(registered)
    assert "经办人" in text and "审核人" in text and "负责人" in text
    assert "喀什" not in text  # another jurisdiction

    fonts = _run(["pdffonts"], pdf, tmp_path).splitlines()[2:]
    cjk = [f for f in fonts if re.search(r"Noto.*CJK", f)]
    uyghur = [f for f in fonts if "UKIJ" in f]
    assert cjk and all(" yes " in f for f in cjk), fonts
    assert uyghur and all(" yes " in f for f in uyghur), fonts


def test_uyghur_subtitle_is_laid_out_right_to_left(ctx):
    html = render_html("land_registration", {}, SYSTEM)
    assert re.search(r'<p class="doc-subtitle-ug" dir="rtl" lang="ug">[\u0600-\u06ff ]+</p>', html)
    css = (ctx.root_path + "/reports/static/report.css")
    assert "UKIJ Tuz Tom" in open(css, encoding="utf-8").read()


def watermarked(pdf: bytes, tmp_path, page: int | None = None) -> bool:
    """The rotated 草稿 comes out one glyph a line: read it in content order (-raw)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return "草稿" in squeeze(_run(["pdftotext", "-raw", *pages], pdf, tmp_path))


def test_generated_at_is_beijing_time(ctx):
    from reports.engine import build

    _report, context = build("organization_directory", {}, SYSTEM)
    assert context["generated_at"].utcoffset().total_seconds() == 8 * 3600
    assert "北京时间" in context["generated_at_text"]
    assert context["issuer"] == "新疆维吾尔自治区机关事务管理局"  # the system: the region's bureau
    assert context["generated_by"] == "系统"


def test_the_draft_watermark_appears_only_when_asked_on_every_page(ctx, tmp_path):
    scope = scope_of(ctx, "tianshan_clerk")
    draft = render_pdf("land_registration", {}, scope, draft=True)
    pages = page_count(draft, tmp_path)
    assert all(watermarked(draft, tmp_path, k) for k in range(1, pages + 1))
    assert not watermarked(render_pdf("land_registration", {}, scope), tmp_path)


# --- a multi-page report: 第 k 页 共 N 页 on every page ---------------------------------------------


def test_every_page_of_a_long_directory_says_page_k_of_n(ctx, tmp_path):
    urumqi = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650100")).scalar_one()
    for i in range(60):  # rolled back by the ctx fixture
        db.session.add(Organization(
            name=f"测试长名录单位{i:03d}", uscc=make_uscc("1", "1", "650100", f"TL{i:07d}"),
            org_type="public_institution", jurisdiction=urumqi,
        ))
    db.session.flush()
    pdf = render_pdf("organization_directory", {"org_type": "public_institution"}, SYSTEM)
    pages = page_count(pdf, tmp_path)
    assert pages >= 3
    for k in range(1, pages + 1):
        text = pdftext(pdf, tmp_path, page=k)
        assert f"第{k}页共{pages}页" in squeeze(text), (k, text[-300:])
        assert "统一社会信用代码" in text  # the table header repeats on every page
    text = pdftext(pdf, tmp_path)
    expected = db.session.execute(
        select(func.count()).select_from(Organization).where(Organization.org_type == "public_institution")
    ).scalar()
    assert re.search(rf"合计（其中机关事务管理部门 \d+ 个）\s+{expected} 个", text)
    assert "测试长名录单位059" in text


# --- scope: another jurisdiction's data never gets into a report --------------------------------


URUMQI_NAMES = ("乌鲁木齐市财政局", "天山区", "乌鲁木齐市（650100）")


def test_kashgar_clerk_cannot_get_urumqi_data_through_the_page(app, login, tmp_path):
    browser = login("kashgar_clerk")
    for key in ("organization_directory", "land_registration"):
        pdf = assert_is_pdf(browser.post(f"/reports/{key}/render", data={"action": "pdf"}))
        text = pdftext(pdf, tmp_path)
        assert "喀什市财政局" in text
        for name in URUMQI_NAMES:
            assert name not in text, (key, name)


def test_kashgar_clerk_cannot_get_urumqi_data_through_the_api(app, login, tmp_path):
    browser = login("kashgar_clerk")
    listed = browser.get("/api/v1/reports/").get_json()["result"]
    keys = {r["key"] for r in listed}
    assert {"organization_directory", "land_registration"} <= keys
    with app.app_context():  # every module's reports, not more: those of modules active in 喀什市
        from core.activation import active_modules

        kashgar = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "653101")).scalar_one()
        active = active_modules(kashgar)
        assert {"catalog", "land", "assets"} <= active
        assert keys == {r.key for r in get_state().reports if r.module in active}
    for key in ("organization_directory", "land_registration"):
        response = browser.api("POST", f"/api/v1/reports/{key}/render", json={"params": {}})
        text = pdftext(assert_is_pdf(response), tmp_path)
        for name in URUMQI_NAMES:
            assert name not in text, (key, name)
    with app.app_context():
        own = db.session.execute(
            select(func.count(LandParcel.id)).where(
                LandParcel.organization_id == user(app, "kashgar_clerk").organization_id)
        ).scalar()
    response = browser.api("POST", "/api/v1/reports/land_registration/render", json={"params": {}})
    assert _total_line(pdftext(response.data, tmp_path))[1] == str(own)


def test_kashgar_clerk_cannot_get_urumqi_data_through_the_cli(app, tmp_path):
    out = tmp_path / "out.pdf"
    runner = app.test_cli_runner()
    for key in ("organization_directory", "land_registration"):
        result = runner.invoke(args=["report", "render", key, "--as", "kashgar_clerk", "-o", str(out)])
        assert result.exit_code == 0, result.output
        text = pdftext(out.read_bytes(), tmp_path)
        assert "喀什市财政局" in text
        for name in URUMQI_NAMES:
            assert name not in text, (key, name)


def test_a_bureau_admin_and_a_clerk_each_render_both_reports_on_the_page(app, login, tmp_path):
    for username, own in (("urumqi_bureau", "乌鲁木齐市机关事务管理局"), ("tianshan_clerk", "天山区财政局")):
        browser = login(username)
        page = browser.text("/reports/")
        assert "报表中心" in page and "土地确权登记情况表" in page and "机构名录" in page
        for key in ("land_registration", "organization_directory"):
            response = browser.post(f"/reports/{key}/render", data={"action": "pdf", "draft": "1"})
            assert f"{key}-" in response.headers["Content-Disposition"]
            text = pdftext(assert_is_pdf(response), tmp_path)
            assert own in text and watermarked(response.data, tmp_path)
            assert "喀什" not in text
        preview = browser.post("/reports/land_registration/render", data={"action": "preview"})
        assert preview.status_code == 200
        assert 'class="report-preview"' in preview.get_data(as_text=True)


def test_the_api_lists_reports_with_their_parameters(login):
    listed = {r["key"]: r for r in login("urumqi_bureau").get("/api/v1/reports/").get_json()["result"]}
    params = {p["name"]: p for p in listed["organization_directory"]["params"]}
    assert params["org_type"]["type"] == "choice"
    assert "public_institution" in {c["value"] for c in params["org_type"]["choices"]}
    assert params["landscape"]["type"] == "boolean"
    assert listed["land_registration"]["params"][0]["type"] == "date"
    assert listed["land_registration"]["module"] == "land"


def test_the_api_renders_html_on_request(login):
    response = login("urumqi_bureau").api(
        "POST", "/api/v1/reports/organization_directory/render",
        json={"params": {"landscape": True}, "format": "html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "size: A4 landscape" in response.get_data(as_text=True)


# --- a module disabled in the user's jurisdiction ------------------------------------------------


@pytest.fixture
def land_off_in_kashgar(app):
    from core.activation import set_module
    from core.models import ModuleActivation

    with app.app_context():
        kashgar = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "653101")).scalar_one()
        set_module(kashgar, "office_space", False)  # stands on land: off first
        set_module(kashgar, "land", False)
        db.session.commit()
        jurisdiction_id = kashgar.id
        db.session.remove()
    try:
        yield
    finally:
        with app.app_context():
            db.session.execute(delete(ModuleActivation).where(
                ModuleActivation.jurisdiction_id == jurisdiction_id,
                ModuleActivation.module_key.in_(("land", "office_space"))))
            db.session.commit()
            db.session.remove()


def test_a_report_of_a_disabled_module_is_not_offered_and_refuses_to_render(
        app, login, tmp_path, land_off_in_kashgar):
    browser = login("kashgar_clerk")
    assert "土地确权登记情况表" not in browser.text("/reports/")
    assert "机构名录" in browser.text("/reports/")
    keys = {r["key"] for r in browser.get("/api/v1/reports/").get_json()["result"]}
    assert "organization_directory" in keys
    with app.app_context():
        assert not keys & {r.key for r in get_state().reports if r.module == "land"}
    response = browser.api("POST", "/api/v1/reports/land_registration/render", json={})
    assert response.status_code == 404
    assert response.get_json()["message"] == "报表不存在或所属模块未在本辖区启用"
    assert browser.post("/reports/land_registration/render", data={"action": "pdf"}).status_code == 404
    result = app.test_cli_runner().invoke(args=[
        "report", "render", "land_registration", "--as", "kashgar_clerk", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
    assert "报表不存在或所属模块未在本辖区启用" in result.output
    listed = app.test_cli_runner().invoke(args=["report", "list", "--as", "kashgar_clerk"])
    assert "land_registration" not in listed.output and "organization_directory" in listed.output
    with app.app_context(), pytest.raises(ReportError) as refused:
        render_pdf("land_registration", {}, scope_of(app, "kashgar_clerk"))
    assert refused.value.status == 404
    # elsewhere the report still works
    urumqi = login("urumqi_bureau")
    assert urumqi.api("POST", "/api/v1/reports/land_registration/render", json={}).status_code == 200


# --- bad parameters -----------------------------------------------------------------------------


def test_bad_params_get_a_chinese_422_on_the_api(login):
    browser = login("urumqi_bureau")
    response = browser.api("POST", "/api/v1/reports/land_registration/render",
                           json={"params": {"as_of": "去年"}})
    assert response.status_code == 422
    body = response.get_json()
    assert "统计截止日期" in body["message"] and "不是有效的日期" in body["message"]
    assert "as_of" in body["errors"]
    response = browser.api("POST", "/api/v1/reports/organization_directory/render",
                           json={"params": {"org_type": "bank", "colour": "red"}})
    assert response.status_code == 422
    message = response.get_json()["message"]
    assert "单位类型" in message and "未知参数“colour”" in message
    response = browser.api("POST", "/api/v1/reports/land_registration/render",
                           json={"params": {"as_of": "2999-01-01"}})
    assert response.status_code == 422 and "不能晚于今天" in response.get_json()["message"]


def test_bad_params_show_the_form_again_with_the_error(login):
    browser = login("urumqi_bureau")
    response = browser.post("/reports/land_registration/render",
                            data={"action": "pdf", "as_of": "2026-13-45"})
    assert response.status_code == 422 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "report-error" in html and "统计截止日期" in html and "不是有效的日期" in html
    assert 'value="2026-13-45"' in html  # the input is kept


def test_bad_params_exit_non_zero_in_the_cli(app, tmp_path):
    result = app.test_cli_runner().invoke(args=[
        "report", "render", "organization_directory", "--param", "org_type=bank", "--as", "urumqi_bureau",
        "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
    assert "单位类型" in result.output
    assert not (tmp_path / "x.pdf").exists()
    result = app.test_cli_runner().invoke(args=["report", "render", "no_such_report", "-o",
                                                str(tmp_path / "y.pdf")])
    assert result.exit_code != 0 and "报表不存在" in result.output


def test_cli_params_and_landscape(app, tmp_path):
    out = tmp_path / "dir.pdf"
    result = app.test_cli_runner().invoke(args=[
        "report", "render", "organization_directory", "--param", "landscape=true",
        "--param", "org_type=party_government", "--as", "xj_bureau", "-o", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    info = _run(["pdfinfo"], out.read_bytes(), tmp_path)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # A4 landscape
    text = pdftext(out.read_bytes(), tmp_path)
    assert watermarked(out.read_bytes(), tmp_path) and "单位类型：各级人民政府及其部门" in text
    assert "人民团体" not in text and "新疆维吾尔自治区财政厅" in text
