"""因公出国（境）团组 (Art. 13): a delegation is submitted with its members and 任务批件, approved by
the bureau of its level, settled after the return with its 出访报告 (回国结算), which books the
actual cost in the expenditure ledger (30212, one batch, its members as person-times); voided
(作废) it takes the row back. REST with a bearer token, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from sqlalchemy import select

from catalog.expenditures import EconomicClass, Expenditure
from catalog.models import Organization
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import acting_as
from plugins.funds.disclosure.models import OutboundTrip

ORG = "乌鲁木齐市天山区财政局"


def _org_id(app, name=ORG) -> int:
    with app.app_context():
        return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()


def _pdf(text="任务批件") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def _upload(client, pk, kind):
    return client.api("POST", f"/api/v1/attachments/funds_outbound_trip/{pk}/", data={
        "kind": kind, "files": [(io.BytesIO(_pdf()), f"{kind}.pdf")]}, content_type="multipart/form-data")


def _new_trip(app, clerk, members=2, **extra) -> int:
    body = {"organization_id": _org_id(app), "name": f"测试考察团-{uuid.uuid4().hex[:6]}", "leader": "王五",
            "destinations": "哈萨克斯坦", "purpose": "考察", "departs_on": "2026-06-01",
            "returns_on": "2026-06-05", "budget": "30000.00", **extra}
    response = clerk.api("POST", "/api/v1/funds_outbound_trip/", json=body)
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    for n in range(members):
        added = clerk.api("POST", "/api/v1/funds_outbound_member/", json={
            "trip_id": pk, "name": f"成员{n}", "post": "科员", "employer": ORG})
        assert added.status_code == 201, added.get_json()
    return pk


def _ledger(app, pk):
    with app.app_context():
        return db.session.execute(
            select(Expenditure.amount, Expenditure.person_times, Expenditure.batch, Expenditure.source_number,
                   Expenditure.spent_on, EconomicClass.code)
            .join(EconomicClass, EconomicClass.id == Expenditure.economic_class_id)
            .where(Expenditure.source_type == "funds_outbound_trip", Expenditure.source_id == pk)).all()


def _approved_trip(app, rest, members=2) -> int:
    clerk = rest("tianshan_clerk", "jwt")
    pk = _new_trip(app, clerk, members=members)
    assert _upload(clerk, pk, "mission_approval").status_code == 201
    assert clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/submit", json={}).status_code == 200
    bureau = rest("tianshan_bureau", "jwt")
    decided = bureau.api("POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/approve",
                         json={"comment": "同意"})
    assert decided.status_code == 200, decided.get_json()
    return pk


def test_art13_delegation_submitted_approved_settled_and_voided_over_rest(app, rest):
    clerk = rest("tianshan_clerk", "jwt")
    pk = _new_trip(app, clerk, members=3)
    # 第十三条: the 任务批件 comes before the submission
    refused = clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/submit", json={})
    assert refused.status_code == 422 and "任务批件" in refused.get_json()["message"]
    assert _upload(clerk, pk, "mission_approval").status_code == 201
    submitted = clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/submit", json={})
    assert submitted.status_code == 200, submitted.get_json()
    number = submitted.get_json()["number"]
    assert number.startswith("YG-")
    approved = rest("tianshan_bureau", "jwt").api(
        "POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/approve", json={"comment": "同意"})
    assert approved.status_code == 200, approved.get_json()
    # the 出访报告 comes after the approval, then 回国结算 books the cost
    settle = {"returned_on": "2026-06-06", "actual_cost": "28765.40"}
    early = clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/settle", json=settle)
    assert early.status_code == 422 and "出访报告" in early.get_json()["message"]
    assert _upload(clerk, pk, "trip_report").status_code == 201
    done = clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/settle", json=settle)
    assert done.status_code == 200, done.get_json()
    [row] = _ledger(app, pk)
    assert (str(row.amount), row.person_times, row.batch, row.source_number, row.code) == (
        "28765.40", 3, True, number, "30212")
    assert row.spent_on.isoformat() == "2026-06-06"
    again = clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/settle", json=settle)
    assert again.status_code in (409, 422)
    # an approved delegation is still not edited by PUT
    put = clerk.api("PUT", f"/api/v1/funds_outbound_trip/{pk}", json={"leader": "别人"})
    assert put.status_code in (409, 422)
    voided = clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/void", json={"reason": "重复登记"})
    assert voided.status_code == 200, voided.get_json()
    assert _ledger(app, pk) == []


def test_art13_a_delegation_without_members_is_not_submitted(app, rest):
    clerk = rest("tianshan_clerk", "jwt")
    pk = _new_trip(app, clerk, members=0)
    assert _upload(clerk, pk, "mission_approval").status_code == 201
    refused = clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/submit", json={})
    assert refused.status_code == 422 and "成员" in refused.get_json()["message"]


def test_art13_settlement_fields_are_not_set_by_put_or_on_create(app, rest):
    clerk = rest("tianshan_clerk", "jwt")
    pk = _new_trip(app, clerk)
    put = clerk.api("PUT", f"/api/v1/funds_outbound_trip/{pk}", json={"actual_cost": "1.00"})
    assert put.status_code == 422 and "回国结算" in put.get_json()["message"]
    created = clerk.api("POST", "/api/v1/funds_outbound_trip/", json={
        "organization_id": _org_id(app), "name": "带结算的新团组", "leader": "甲", "destinations": "土耳其",
        "purpose": "考察", "departs_on": "2026-06-01", "returns_on": "2026-06-03", "budget": "1",
        "actual_cost": "100"})
    assert created.status_code == 422


def test_art13_dates_rule_on_the_api(app, rest):
    clerk = rest("tianshan_clerk", "jwt")
    response = clerk.api("POST", "/api/v1/funds_outbound_trip/", json={
        "organization_id": _org_id(app), "name": "日期颠倒团组", "leader": "甲", "destinations": "俄罗斯",
        "purpose": "考察", "departs_on": "2026-06-10", "returns_on": "2026-06-01", "budget": "100"})
    assert response.status_code == 422
    assert "第十三条" in response.get_json()["message"] and "回国日期" in response.get_json()["message"]


def test_art13_dates_rule_on_a_direct_write(app):
    with app.app_context():
        with acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")):
            db.session.add(OutboundTrip(organization_id=_org_id(app), name="直接写入团组", leader="甲",
                                        destinations="俄罗斯", purpose="考察",
                                        departs_on=dt.date(2026, 6, 10), returns_on=dt.date(2026, 6, 1),
                                        budget=100))
            with pytest.raises(WriteRefused, match="第十三条"):
                db.session.flush()
        db.session.rollback()


def test_art13_dates_rule_on_the_form(app, login):
    clerk = login("tianshan_clerk")
    name = f"表单日期颠倒-{uuid.uuid4().hex[:6]}"
    page = clerk.post("/outboundtripview/add", data={
        "organization": str(_org_id(app)), "name": name, "leader": "甲", "destinations": "俄罗斯",
        "purpose": "考察", "departs_on": "2026-06-10", "returns_on": "2026-06-01", "budget": "100"},
        follow_redirects=True).get_data(as_text=True)
    assert "第十三条" in page
    with app.app_context():
        assert db.session.execute(select(OutboundTrip).where(OutboundTrip.name == name)).first() is None


def test_art13_only_the_bureau_of_the_level_approves(app, rest):
    """第十三条: 乌鲁木齐市's bureau reads 天山区's delegation but does not decide it."""
    clerk = rest("tianshan_clerk", "jwt")
    pk = _new_trip(app, clerk)
    assert _upload(clerk, pk, "mission_approval").status_code == 201
    assert clerk.api("POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/submit", json={}).status_code == 200
    city = rest("urumqi_bureau", "jwt").api("POST", f"/api/v1/funds_outbound_trip/{pk}/workflow/approve",
                                            json={})
    assert city.status_code == 403


def test_art13_the_settle_button_on_the_page(app, rest, login):
    pk = _approved_trip(app, rest)
    page = login("tianshan_clerk").text(f"/outboundtripview/show/{pk}")
    assert "回国结算" in page and "出访报告" in page


def test_art13_dates_rule_on_the_excel_import(app, login):
    from tests.catalog.xlsx_helpers import upload, xlsx_bytes

    name = f"导入日期颠倒-{uuid.uuid4().hex[:6]}"
    headers = ["*组团单位", "*团组名称", "*团长", "*出访国家（地区）", "*出访任务", "*出发日期",
               "*计划回国日期", "*预算金额（元）"]
    row = [ORG, name, "甲", "俄罗斯", "考察", dt.date(2026, 6, 10), dt.date(2026, 6, 1), 100]
    response = login("tianshan_clerk").post("/api/v1/funds_outbound_trip/import",
                                            data=upload(xlsx_bytes(headers, [row])),
                                            content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert texts[0].startswith("第 2 行") and "回国日期" in texts[0] and "第十三条" in texts[0]
    with app.app_context():
        assert db.session.execute(select(OutboundTrip).where(OutboundTrip.name == name)).first() is None
