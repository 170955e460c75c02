"""报表中心 as a bureau uses it: a searchable list, one report per page with pickers, the result
under the form, 打印 on the records that have a form report, Chinese PDF names, and the PDF
layout read back with pdftotext (each test on SQLite and PostgreSQL, the ``app`` fixture)."""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from catalog.models import Organization
from core.extensions import db
from plugins.assets.cards.models import Asset
from plugins.assets.disposal.models import Disposal, DisposalLine
from plugins.assets.plans.models import AssetPlan

TIANSHAN = "乌鲁木齐市天山区财政局"


def pages(pdf: bytes, tmp_path) -> list[str]:
    """The PDF's pages as pdftotext -layout reads them."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing: run `make system-deps` to read PDFs back")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [page for page in out.split("\f") if page.strip()]


def download_name(response) -> str:
    disposition = response.headers["Content-Disposition"]
    match = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert match, disposition
    return unquote(match.group(1))


def demo_disposals(app) -> list[int]:
    with app.app_context():
        return list(db.session.execute(
            select(Disposal.id).join(Organization, Disposal.organization_id == Organization.id)
            .where(Organization.name == TIANSHAN).order_by(Disposal.id)).scalars())


def pending_disposal(app) -> int:
    with app.app_context():
        return db.session.execute(select(Disposal.id).join(DisposalLine).join(Asset).where(
            Asset.number == "ZC-650102-D002")).scalar_one()


# --- the list and one report per page -------------------------------------------------------------


def test_the_list_names_each_report_once_and_the_search_box_filters_by_name(login):
    browser = login("urumqi_bureau")
    html = browser.text("/reports/")
    assert 'id="report-search"' in html
    assert "机构名录" in html and "资产处置审批表" in html
    assert "<form" not in html.split('id="report-list"')[1]  # no parameter forms on the list
    found = browser.text("/reports/?q=处置")
    assert "资产处置审批表" in found and "机构名录" not in found and "土地确权登记情况表" not in found
    none = browser.text("/reports/?q=不存在的报表")
    assert "没有名称包含“不存在的报表”的报表" in none


def test_each_report_has_its_own_page_without_placeholder_garbage(login):
    browser = login("tianshan_clerk")
    listed = browser.get("/api/v1/reports/").get_json()["result"]
    for entry in listed:
        html = browser.text(f"/reports/{entry['key']}/")
        assert f'data-report="{entry["key"]}"' in html and entry["label"] in html
        assert "marshmallow" not in html and "missing" not in html, entry["key"]
        others = [e["label"] for e in listed if e["key"] != entry["key"] and e["label"] not in entry["label"]]
        assert not [label for label in others if f"<strong>{label}</strong>" in html]
    assert all(p["default"] is None for e in listed for p in e["params"] if p["required"])


def test_record_parameters_are_type_ahead_pickers_of_records_in_scope(app, login):
    clerk = login("tianshan_clerk")
    html = clerk.text("/reports/assets_disposal_form/")
    assert 'class="form-control jiguan-typeahead"' in html
    assert "/reports/assets_disposal_form/records/disposal_id" in html
    found = clerk.get("/reports/assets_disposal_form/records/disposal_id?q=").get_json()
    ids = {int(r["id"]) for r in found["results"]}
    assert ids and ids <= set(demo_disposals(app))
    kashgar = login("kashgar_clerk").get("/reports/assets_disposal_form/records/disposal_id?q=").get_json()
    assert not {int(r["id"]) for r in kashgar["results"]} & ids
    # the ledger's unit is picked by name, and a chosen record is shown by its name, not its id
    units = clerk.get("/reports/asset_ledger/records/organization?q=天山").get_json()["results"]
    assert TIANSHAN in {r["id"] for r in units}
    pk = pending_disposal(app)
    chosen = clerk.text(f"/reports/assets_disposal_form/?disposal_id={pk}")
    assert f'<option value="{pk}" selected>' in chosen
    assert f'<option value="{pk}" selected>{pk}</option>' not in chosen
    assert clerk.get("/reports/assets_disposal_form/records/no_such_param").status_code == 404


def test_the_preview_and_the_error_come_back_under_the_form(login):
    browser = login("urumqi_bureau")
    html = browser.text("/reports/land_registration/")
    assert 'action="/reports/land_registration/render#report-result"' in html
    preview = browser.post("/reports/land_registration/render", data={"action": "preview"})
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert body.index('id="report-form"') < body.index('id="report-result"') < body.index("report-preview")
    bad = browser.post("/reports/land_registration/render", data={"action": "pdf", "as_of": "2026-13-45"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "不是有效的日期" in body
    assert body.index('id="report-result"') < body.index("report-error")


# --- 打印 on a record, Chinese file names ------------------------------------------------------------


def test_disposal_and_plan_pages_have_a_print_button_that_gives_the_form(app, login, tmp_path):
    clerk = login("tianshan_clerk")
    pk = pending_disposal(app)
    html = clerk.text(f"/disposalview/show/{pk}")
    assert 'id="print-assets_disposal_form"' in html and "打印资产处置审批表" in html
    response = clerk.get(f"/reports/assets_disposal_form/print?disposal_id={pk}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert re.fullmatch(r"资产处置审批表-\d{4}-\d{2}-\d{2}\.pdf", download_name(response))
    assert "ZC-650102-D002" in "".join(pages(response.data, tmp_path))
    with app.app_context():
        plan = db.session.execute(select(AssetPlan.id).join(Organization).where(
            Organization.name == TIANSHAN).limit(1)).scalar_one()
    assert "打印资产配置计划表" in clerk.text(f"/assetplanview/show/{plan}")
    printed = clerk.get(f"/reports/asset_plan/print?plan_id={plan}")
    assert printed.mimetype == "application/pdf" and download_name(printed).startswith("资产配置计划表-")
    # another jurisdiction's clerk gets the form again with the reason, not the PDF
    refused = login("kashgar_clerk").get(f"/reports/assets_disposal_form/print?disposal_id={pk}")
    assert refused.status_code == 422 and "不在您的权限范围内" in refused.get_data(as_text=True)


def test_pdf_names_are_chinese_on_the_page_and_the_api(login):
    browser = login("urumqi_bureau")
    page = browser.post("/reports/organization_directory/render", data={"action": "pdf"})
    assert download_name(page).startswith("机构名录-")
    assert 'filename="organization_directory-' in page.headers["Content-Disposition"]  # ASCII fallback
    api = login("urumqi_bureau").api("POST", "/api/v1/reports/land_registration/render", json={"params": {}})
    assert download_name(api).startswith("土地确权登记情况表-")


# --- the layout defects ---------------------------------------------------------------------------


def test_card_signature_labels_sit_on_one_line_with_their_lines(app, login, tmp_path):
    with app.app_context():
        pk = db.session.execute(select(Asset.id).join(Organization, Asset.organization_id == Organization.id)
                                .where(Organization.name == TIANSHAN).limit(1)).scalar_one()
    pdf = login("tianshan_clerk").get(f"/reports/asset_card/print?asset={pk}").data
    lines = [line for page in pages(pdf, tmp_path) for line in page.splitlines()]
    signing = [line for line in lines if "资产管理员" in line]
    assert len(signing) == 1 and "保管人：" in signing[0] and "负责人：" in signing[0], signing


def test_disposal_signatures_never_stand_alone_on_a_page(app, login, tmp_path):
    browser = login("urumqi_bureau")
    for pk in demo_disposals(app):
        found = pages(browser.get(f"/reports/assets_disposal_form/print?disposal_id={pk}").data, tmp_path)
        signed = next(page for page in found if "申请单位经办人" in page)
        # the page with the signatures carries rows of the last table (审批记录) too
        assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|尚未提交", signed), (pk, signed)


def test_ledger_lists_the_assets_before_their_subtotals(login, tmp_path):
    browser = login("tianshan_clerk")
    preview = browser.post("/reports/asset_ledger/render", data={"action": "preview"}).get_data(as_text=True)
    assert preview.index("id=&#34;ledger&#34;") < preview.index("id=&#34;summary&#34;")
    text = "\n".join(pages(browser.post("/reports/asset_ledger/render", data={"action": "pdf"}).data,
                           tmp_path))
    first_asset = re.search(r"ZC-\d{6}-\w+", text)
    assert first_asset and first_asset.start() < text.index("合计") < text.index("其中：")
