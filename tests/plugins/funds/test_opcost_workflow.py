"""报送上级 (Art. 15, 第十五条): a county bureau's report is decided by the bureau of the level above
(乌鲁木齐市 for 天山区) — not by its own level, a sibling or the region; accepted it is locked (no
edit, no recompute, its office space fixed); returned it is corrected and resubmitted. Over REST
with bearer tokens, and the buttons of the report's page."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from catalog.models import Organization
from core.extensions import db
from plugins.funds.opcost.models import OpcostOfficeArea, OpcostReport
from tests.plugins.funds.test_opcost import API, book, create_report, prepare_year


def state_of(app, pk) -> str:
    with app.app_context():
        try:
            return db.session.get(OpcostReport, pk).state
        finally:
            db.session.remove()


def submitted_report(app, api_client, year: int) -> int:
    orgs = prepare_year(app, "650102", year)
    book(app, orgs, year, {"30201": 30000}, f"wf{year}")
    client = api_client("tianshan_bureau")
    pk = create_report(app, client, "650102", year, budget=40000 * len(orgs))
    sent = client.post(f"{API}/{pk}/workflow/submit", json={"comment": "请审核"})
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["state"] == "submitted"
    assert any(d["username"] == "urumqi_bureau" for d in sent.get_json()["next_deciders"])
    return pk


def test_art15_submission_is_decided_by_the_bureau_above_only(app, api_client, login):
    """第十五条: 天山区's report goes to 乌鲁木齐市机关事务管理局. The same level's approver is refused
    (403, naming the bureau above and the article), a sibling district's bureau does not see it, the
    region's bureau is not the level above; 乌鲁木齐市 accepts."""
    pk = submitted_report(app, api_client, 2014)
    # submitting computed it: the figures went up with it
    assert api_client("tianshan_bureau").get(f"{API}/{pk}").get_json()["result"]["figures"]["total"]
    same_level = login(role="Approver", organization="乌鲁木齐市天山区机关事务服务中心")
    refused = same_level.api("POST", f"{API}/{pk}/workflow/approve", json={"comment": "同意"})
    assert refused.status_code == 403
    message = refused.get_json()["message"]
    assert "乌鲁木齐市机关事务管理局" in message and "第十五条" in message
    sibling = login(role="Bureau Admin", organization="乌鲁木齐市沙依巴克区机关事务管理局")
    assert sibling.api("POST", f"{API}/{pk}/workflow/approve", json={}).status_code in (403, 404)
    region = api_client("xj_bureau").post(f"{API}/{pk}/workflow/approve", json={"comment": "同意"})
    assert region.status_code == 403 and "乌鲁木齐市机关事务管理局" in region.get_json()["message"]
    assert state_of(app, pk) == "submitted"
    accepted = api_client("urumqi_bureau").post(f"{API}/{pk}/workflow/approve", json={"comment": "同意"})
    assert accepted.status_code == 200, accepted.get_json()
    assert state_of(app, pk) == "approved"


def test_art15_accepted_report_is_locked(app, api_client, login):
    """第十五条: an accepted report is not edited or recomputed, and the office space of its year is
    fixed (rule funds.opcost_area_reported) — on the API, the form and a direct write."""
    pk = submitted_report(app, api_client, 2015)
    assert api_client("urumqi_bureau").post(f"{API}/{pk}/workflow/approve", json={}).status_code == 200
    bureau = api_client("tianshan_bureau")
    edit = bureau.put(f"{API}/{pk}", json={"remark": "改"})
    assert edit.status_code in (403, 409, 422)
    again = bureau.post(f"{API}/{pk}/recompute", json={})
    assert again.status_code == 409
    with app.app_context():
        report = db.session.get(OpcostReport, pk)
        assert report.remark == "测试" and report.state == "approved"
        area = db.session.execute(select(OpcostOfficeArea).join(Organization).where(
            OpcostOfficeArea.year == 2015, Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
        area_id, area_value, org = area.id, area.area, area.organization_id
    moved = bureau.put(f"/api/v1/funds_opcost_office_area/{area_id}", json={"area": 999})
    assert moved.status_code == 422 and "已报送上级" in moved.get_json()["message"] and \
        "第十五条" in moved.get_json()["message"]
    page = login("tianshan_bureau").post(f"/opcostofficeareaview/edit/{area_id}", data={
        "organization": org, "area": "888", "year": "2015", "note": ""},
        follow_redirects=True).get_data(as_text=True)
    assert "已报送上级" in page
    with app.app_context():
        assert db.session.get(OpcostOfficeArea, area_id).area == area_value


def test_art15_returned_report_is_corrected_and_resubmitted(app, api_client, login):
    """第十五条: the bureau above returns (退回, with its reason) a report; the county corrects its
    budget, recomputes and submits again; the page offers the city the decision buttons."""
    pk = submitted_report(app, api_client, 2016)
    city = api_client("urumqi_bureau")
    assert city.post(f"{API}/{pk}/workflow/reject", json={}).status_code == 422  # reason required
    returned = city.post(f"{API}/{pk}/workflow/reject", json={"comment": "预算数有误"})
    assert returned.status_code == 200 and state_of(app, pk) == "rejected"
    bureau = api_client("tianshan_bureau")
    fixed = bureau.put(f"{API}/{pk}", json={"budget": 1000000})
    assert fixed.status_code == 200, fixed.get_json()
    assert bureau.post(f"{API}/{pk}/recompute", json={}).status_code == 200
    assert bureau.post(f"{API}/{pk}/workflow/submit", json={"comment": "已更正"}).status_code == 200
    result = bureau.get(f"{API}/{pk}").get_json()["result"]
    assert Decimal(result["figures"]["budget"]) == 1000000
    page = login("urumqi_bureau").text(f"/opcostreportview/show/{pk}")
    assert "上级机关事务管理部门审核" in page and "退回" in page and "批准" in page


def test_art15_region_report_has_no_level_above(app, api_client):
    """第十五条: the region's own report is not submitted anywhere on the platform (refused, 422)."""
    prepare_year(app, "650000", 2017)
    client = api_client("xj_bureau")
    pk = create_report(app, client, "650000", 2017)
    refused = client.post(f"{API}/{pk}/workflow/submit", json={})
    assert refused.status_code == 422 and "第十五条" in refused.get_json()["message"]
    assert state_of(app, pk) == "draft"
