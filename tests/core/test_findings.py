"""问题清单 works (issue 10, part 6): status by operations with a required comment, the record
named and linked, who and when shown, the list exported as XLSX and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.extensions import db
from core.models import AuditLog, Finding
from core.scoping import SYSTEM, acting_as
from plugins.assets.cards.models import Asset


@pytest.fixture
def finding(app):
    """A fresh open finding on an asset card of 天山区 (in 乌鲁木齐's scope, not 喀什's)."""
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.voided_at.is_(None)).join(Asset.organization)
                                   .where(Asset.organization.has(name="乌鲁木齐市天山区财政局"))).scalars().first()
        with acting_as(SYSTEM):
            row = Finding(rule_key="test.readable", article=17, module="assets", entity="asset",
                          entity_id=str(asset.id), message="测试问题：单价超过配置标准",
                          organization_id=asset.organization_id,
                          jurisdiction_id=asset.organization.jurisdiction_id)
            db.session.add(row)
            db.session.commit()
        made = {"id": row.id, "asset": f"{asset.number} {asset.name}", "asset_id": asset.id}
        db.session.remove()
    return made  # outside the app context: each request pushes its own


def status_of(app, pk) -> tuple[str, str | None]:
    with app.app_context():
        row = db.session.get(Finding, pk)
        try:
            return row.status, row.review_note
        finally:
            db.session.remove()


def test_the_page_names_the_record_and_offers_only_the_operations_of_its_status(login, finding):
    bureau = login("urumqi_bureau")
    page = bureau.text(f"/findingview/show/{finding['id']}")
    assert f"资产卡片 {finding['asset']}" in page and f"/assetview/show/{finding['asset_id']}" in page
    assert "第十七条" in page and "待处理" in page
    assert 'data-operation="resolve"' in page and 'data-operation="accept"' not in page
    assert "整改说明（必填）" in page
    listing = bureau.text("/findingview/list/?psize_FindingView=100")
    assert f"资产卡片 {finding['asset']}" in listing
    # a record is named; only one deleted since (a draft) is shown by its number, and says so
    assert all(deleted for _n, deleted in re.findall(r"资产卡片 #(\d+)(（记录已删除）)?", listing))


def test_status_changes_only_by_operations_with_a_comment(app, login, finding):
    bureau, pk = login("urumqi_bureau"), finding["id"]
    refused = bureau.post(f"/findingview/act/{pk}/resolve", data={"comment": "  "}, follow_redirects=True)
    assert "请填写整改说明" in refused.get_data(as_text=True)
    assert status_of(app, pk) == ("open", None)
    wrong = bureau.post(f"/findingview/act/{pk}/accept", data={"comment": "确认"}, follow_redirects=True)
    assert "该问题当前为“待处理”，不能确认" in wrong.get_data(as_text=True)
    done = bureau.post(f"/findingview/act/{pk}/resolve", data={"comment": "已按标准更换为低价设备"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已整改" in done and status_of(app, pk) == ("resolved", "已按标准更换为低价设备")
    trail = done[done.index('id="finding-trail"'):]
    assert "urumqi_bureau" in trail and "待处理 → 已整改" in trail and "已按标准更换为低价设备" in trail
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}</td>", trail)  # to the minute
    assert 'data-operation="accept"' in done and 'data-operation="reopen"' in done
    # the status is no field of any form: the old edit form is gone
    bureau.post(f"/findingview/edit/{pk}", data={"status": "accepted", "review_note": "x"})
    assert status_of(app, pk)[0] == "resolved"


def test_rest_with_a_bearer_token(app, api_client, finding):
    bureau, pk = api_client("urumqi_bureau"), finding["id"]
    missing = bureau.post(f"/api/v1/finding/{pk}/resolve", json={})
    assert missing.status_code == 422 and missing.get_json()["message"] == "请填写整改说明"
    unknown = bureau.post(f"/api/v1/finding/{pk}/close", json={"comment": "x"})
    assert unknown.status_code == 404 and "没有“close”这项操作" in unknown.get_json()["message"]
    assert bureau.post(f"/api/v1/finding/{pk}/resolve", json=["x"]).status_code == 400
    done = bureau.post(f"/api/v1/finding/{pk}/resolve", json={"comment": "已整改完毕"})
    assert done.status_code == 200 and done.get_json()["result"]["status_label"] == "已整改"
    again = bureau.post(f"/api/v1/finding/{pk}/resolve", json={"comment": "再次"})
    assert again.status_code == 409 and "已整改" in again.get_json()["message"]
    accepted = bureau.post(f"/api/v1/finding/{pk}/accept", json={"comment": "核实无误"})
    assert accepted.status_code == 200 and status_of(app, pk) == ("accepted", "核实无误")
    reopened = bureau.post(f"/api/v1/finding/{pk}/reopen", json={"comment": "复查发现仍超标"})
    assert reopened.status_code == 200 and status_of(app, pk)[0] == "open"
    with app.app_context():
        who = db.session.execute(select(AuditLog.username).where(
            AuditLog.entity == "core_finding", AuditLog.entity_id == str(pk))).scalars().all()
        db.session.remove()
    assert who.count("urumqi_bureau") == 3


def test_outside_the_scope_or_without_the_right_nothing_changes(app, api_client, finding):
    pk = finding["id"]
    other = api_client("kashgar_clerk")
    assert other.post(f"/api/v1/finding/{pk}/resolve", json={"comment": "x"}).status_code in (403, 404)
    reviewer = api_client("urumqi_fin_reviewer")
    assert reviewer.post(f"/api/v1/finding/{pk}/resolve", json={"comment": "x"}).status_code == 403
    assert status_of(app, pk) == ("open", None)


def test_export_xlsx_and_csv_in_beijing_time(app, login, finding):
    bureau = login("urumqi_bureau")
    listing = bureau.text("/findingview/list/")
    assert 'id="xlsx-export"' in listing and 'id="csv-export"' in listing
    response = bureau.get("/findingview/export.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("条款", "问题", "模块", "记录")
    mine = next(r for r in rows if r[1] == "测试问题：单价超过配置标准")
    assert mine[0] == "《办法》第十七条" and mine[3] == f"资产卡片 {finding['asset']}" and mine[6] == "待处理"
    with app.app_context():
        opened = db.session.get(Finding, finding["id"]).opened_at
        db.session.remove()
    assert round((mine[7] - opened).total_seconds()) == 8 * 3600  # stored UTC, exported in Beijing time
    text = bureau.get("/findingview/export.csv").data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "条款"
    mine = next(r for r in rows if r[3] == f"资产卡片 {finding['asset']}")
    assert mine[7] == (opened + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")  # Beijing time
    assert bureau.get("/findingview/export.pdf").status_code == 404


# --- who confirms (已确认): the level above, never the bureau on its own records (Art. 6, 42) ------

def _resolved_finding(app, organization: str) -> int:
    """A finding on a record of ``organization`` (by name), already 已整改, for one test."""
    from catalog.models import Organization

    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == organization)).scalar_one()
        with acting_as(SYSTEM):
            row = Finding(rule_key="test.confirm", article=17, module="assets", entity="asset",
                          entity_id="0", message="测试问题：确认层级", organization_id=org.id,
                          jurisdiction_id=org.jurisdiction_id, status="resolved", review_note="已整改")
            db.session.add(row)
            db.session.commit()
        pk = row.id
        db.session.remove()
    return pk


def test_art6_a_bureau_cannot_confirm_findings_on_its_own_records(app, api_client, login):
    """第六条、第四十二条: 天山区机关事务服务中心 cannot confirm (已确认) a finding raised on its own
    records — no button, and the operation refuses with the article, changing nothing; the level
    above (乌鲁木齐市机关事务管理局) confirms it."""
    pk = _resolved_finding(app, "乌鲁木齐市天山区机关事务服务中心")
    own = login("tianshan_bureau")
    page = own.text(f"/findingview/show/{pk}")
    assert 'data-operation="reopen"' in page and 'data-operation="accept"' not in page
    refused = api_client("tianshan_bureau").post(f"/api/v1/finding/{pk}/accept", json={"comment": "已核实"})
    assert refused.status_code == 403
    message = refused.get_json()["message"]
    assert "上级机关事务管理部门" in message and "第六条" in message
    assert status_of(app, pk) == ("resolved", "已整改")
    html = own.post(f"/findingview/act/{pk}/accept", data={"comment": "已核实"},
                    follow_redirects=True).get_data(as_text=True)
    assert "上级机关事务管理部门" in html and status_of(app, pk) == ("resolved", "已整改")

    above = login("urumqi_bureau")
    assert 'data-operation="accept"' in above.text(f"/findingview/show/{pk}")
    done = api_client("urumqi_bureau").post(f"/api/v1/finding/{pk}/accept", json={"comment": "核实整改到位"})
    assert done.status_code == 200 and status_of(app, pk) == ("accepted", "核实整改到位")


def test_art6_at_the_region_the_bureau_confirms_others_but_never_its_own(app, api_client):
    """第六条: the region has no level above on the platform: 自治区机关事务管理局 confirms the
    findings of the region's other organisations (自治区财政厅) but not its own."""
    own = _resolved_finding(app, "新疆维吾尔自治区机关事务管理局")
    other = _resolved_finding(app, "新疆维吾尔自治区财政厅")
    region = api_client("xj_bureau")
    assert region.post(f"/api/v1/finding/{own}/accept", json={"comment": "确认"}).status_code == 403
    assert region.post(f"/api/v1/finding/{other}/accept", json={"comment": "确认"}).status_code == 200
    assert status_of(app, own)[0] == "resolved" and status_of(app, other)[0] == "accepted"


def test_art6_the_screen_says_what_confirmed_means(login):
    """第六条: the list and a finding's page say that 已确认 is the bureau's check of the rectification."""
    html = login("urumqi_bureau").text("/findingview/list/")
    assert 'id="finding-status-help"' in html
    assert "已确认＝机关事务管理部门核实整改到位后确认关闭" in html and "上级机关事务管理部门" in html
