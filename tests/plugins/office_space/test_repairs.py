"""Repairs (Art. 23) on every path: 日常维修 by the room's using organisation, posted (invoice first)
to the ledger under 30213 and withdrawn by 作废; 大中修 applications stating what they serve, against
the major-repair interval (a Standard), approved by the same level's bureau into the yearly
大中修项目规划, 竣工 setting the building's last major repair and booking the cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.extensions import db
from plugins.office_space.buildings.models import OfficeBuilding
from plugins.office_space.repairs.models import DailyRepair, MajorRepairApplication, MajorRepairPlan
from tests.plugins.office_space.repairs_helpers import (
    ART23,
    BUREAU,
    CLERK,
    KASHGAR,
    KASHGAR_BUREAU,
    PATHS,
    TIANSHAN,
    TIANSHAN_BUREAU,
    TIANSHAN_EDU,
    attach,
    decide,
    ledger,
    make_building,
    rows_of,
    write_daily,
    write_major,
)

PURPOSE_RULE = "office_space.major_repair_purpose"
INTERVAL_RULE = "office_space.major_repair_interval"
SAFETY_RULE = "office_space.major_repair_interval_safety"


# ---- 日常维修 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_art23_daily_repair_of_own_room_is_recorded(app, login, rest, path):
    """第二十三条 日常维修: the using organisation records a repair of its own room on every path;
    it belongs to the organisation and waits for 入账."""
    building, _name, rooms = make_building(app)
    repair = write_daily(app, login, rest, path, building, rooms["101"])
    assert repair.organization_id is not None and repair.posted is False
    assert repair.amount == Decimal("1200.00")


@pytest.mark.parametrize("path", PATHS)
def test_art23_daily_repair_of_another_organisations_room_is_refused(app, login, rest, path):
    """第二十三条: a 日常维修 is the using organisation's: the bureau recording one for 天山区财政局 on a
    room 天山区教育局 uses is refused on every path with the article named; nothing written."""
    building, _name, rooms = make_building(app, rooms=(("101", TIANSHAN_EDU),))
    _none, answer = write_daily(
        app, login, rest, path, building, rooms["101"], user=BUREAU, org=TIANSHAN, expect=False
    )
    assert "不是本单位使用的房间" in answer, answer
    if path != "import":
        assert ART23 in answer


def test_art23_clerk_cannot_name_another_organisations_room(app, login, rest):
    """第二十三条: a clerk cannot even point at another organisation's room (Chinese 422, nothing)."""
    building, _name, rooms = make_building(app, rooms=(("101", KASHGAR),))
    _none, answer = write_daily(app, login, rest, "rest", building, rooms["101"], expect=False)
    assert "不在您的权限范围内" in answer


def test_art23_daily_repair_bad_amount_is_a_chinese_refusal(app, login, rest):
    """第二十三条: a negative amount is answered 422 in Chinese, nothing written, no 500."""
    building, _name, rooms = make_building(app)
    _none, answer = write_daily(app, login, rest, "rest", building, rooms["101"], amount="-5", expect=False)
    assert "维修金额必须大于零" in answer


def _post(client, pk, **body):
    return client.api("POST", f"/api/v1/office_daily_repair/{pk}/post", json=body)


def test_art23_daily_repair_post_needs_invoice_and_books_30213(app, login, rest):
    """第二十三条 日常维修 from the organisation's own budget: 入账 without the invoice is refused naming
    the article; with it the repair is booked under 30213 维修（护）费; 作废 withdraws the posting."""
    building, _name, rooms = make_building(app)
    repair = write_daily(app, login, rest, "rest", building, rooms["101"], amount="880.50", day="2026-10-08")
    clerk = rest(CLERK, "jwt")
    refused = _post(clerk, repair.id)
    assert refused.status_code == 422 and "发票" in refused.get_json()["message"]
    assert ART23 in refused.get_json()["message"]
    assert ledger(app, "office_daily_repair", repair.id) == []
    assert attach(clerk, "office_daily_repair", repair.id, "invoice").status_code == 201
    answer = _post(clerk, repair.id)
    assert answer.status_code == 200, answer.get_json()
    assert ledger(app, "office_daily_repair", repair.id) == [
        ("30213", Decimal("880.50"), dt.date(2026, 10, 8))
    ]
    changed = clerk.api(
        "PUT",
        f"/api/v1/office_daily_repair/{repair.id}",
        json={"amount": "1.00", "version": repair.version + 1},
    )
    assert changed.status_code in (409, 422), changed.get_json()
    voided = clerk.api("POST", f"/api/v1/office_daily_repair/{repair.id}/void", json={"reason": "发票开错"})
    assert voided.status_code == 200, voided.get_json()
    assert ledger(app, "office_daily_repair", repair.id) == []


def test_art23_posted_daily_repair_refused_on_the_form(app, login, rest):
    """第二十三条: the edit form of a posted repair answers the rule's message; the amount stays."""
    building, _name, rooms = make_building(app)
    repair = write_daily(app, login, rest, "rest", building, rooms["101"], amount="300.00")
    clerk = rest(CLERK, "jwt")
    assert attach(clerk, "office_daily_repair", repair.id, "invoice").status_code == 201
    assert _post(clerk, repair.id).status_code == 200
    current = rows_of(app, DailyRepair, id=repair.id)[0]
    page = (
        login(CLERK)
        .post(
            f"/dailyrepairview/edit/{repair.id}",
            data={
                "organization": current.organization_id,
                "building": building,
                "room": rooms["101"],
                "repaired_on": "2026-11-02",
                "work": "改",
                "amount": "3.00",
                "contractor": "x",
                "note": "",
                "version": current.version,
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "日常维修已入账，不能修改" in page and ART23 in page
    assert rows_of(app, DailyRepair, id=repair.id)[0].amount == Decimal("300.00")


# ---- 大中修: what it serves and the interval -------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_art23_major_repair_without_purpose_is_refused(app, login, rest, path):
    """第二十三条: an application naming none of 消除安全隐患/符合保密要求/恢复和完善使用功能/降低能源消耗
    is refused on every path, naming the article; nothing written."""
    building, _name, _rooms = make_building(app, last_repair=2000)
    _none, answer = write_major(app, login, rest, path, building, purposes=(), expect=False)
    assert "至少说明一项用途" in answer, answer
    if path != "import":
        assert ART23 in answer


@pytest.mark.parametrize("path", PATHS)
def test_art23_major_repair_within_the_interval_is_refused(app, login, rest, path):
    """第二十三条 repair standard: a building last repaired in 2020 cannot be applied for in 2027
    (interval 15 years, the Standard); the message names the building, the years and the article."""
    building, name, _rooms = make_building(app, last_repair=2020)
    _none, answer = write_major(app, login, rest, path, building, purposes=("serves_energy",), expect=False)
    assert name in answer and "未满大中修间隔 15 年" in answer and "2035" in answer, answer


@pytest.mark.parametrize("path", PATHS)
def test_art23_major_repair_within_the_interval_for_safety_is_flagged(app, login, rest, findings, path):
    """第二十三条: within the interval, an application that removes a safety hazard goes on, flagged
    for the bureau's attention."""
    building, name, _rooms = make_building(app, last_repair=2020)
    made = write_major(app, login, rest, path, building, purposes=("serves_safety",))
    found = {f["rule_key"]: f for f in findings("office_major_repair", made.id)}
    assert SAFETY_RULE in found and name in found[SAFETY_RULE]["message"]
    assert found[SAFETY_RULE]["article"] == 23


def test_art23_interval_counts_from_the_built_year_without_a_major_repair(app, login, rest):
    """第二十三条: with no major repair recorded, the interval counts from the year built."""
    building, _name, _rooms = make_building(app, last_repair=None, built=2015)
    _none, answer = write_major(app, login, rest, "rest", building, expect=False)
    assert "建成" in answer and "2030" in answer
    old, _n, _r = make_building(app, last_repair=None, built=2005)
    assert write_major(app, login, rest, "rest", old).state == "draft"


# ---- approval, the yearly plan, 竣工 ------------------------------------------------------------


def _plan_lines(app, jurisdiction_of_bureau: str, year: int) -> list[int]:
    from tests.plugins.office_space.repairs_helpers import org_of

    with app.app_context():
        bureau = org_of(jurisdiction_of_bureau)
        plan = (
            db.session.query(MajorRepairPlan)
            .filter_by(jurisdiction_id=bureau.jurisdiction_id, year=year)
            .first()
        )
        return [a.id for a in plan.lines] if plan else []


def test_art23_approved_application_enters_the_yearly_plan(app, login, rest, pdf_text):
    """第二十三条 done-when: 天山区财政局 applies, 喀什市's bureau may not decide, 天山区's bureau
    approves; the application is in the bureau's 2031 plan and its 大中修项目规划表 (PDF) lists it
    with its purposes, scope and cost."""
    building, name, _rooms = make_building(app, last_repair=2010)
    made = write_major(
        app,
        login,
        rest,
        "rest",
        building,
        year=2031,
        cost="654321.00",
        purposes=("serves_function", "serves_energy"),
    )
    clerk, bureau = rest(CLERK, "jwt"), rest(BUREAU, "jwt")
    assert decide(clerk, made.id, "submit").status_code == 200
    refused = decide(rest(KASHGAR_BUREAU, "jwt"), made.id, "approve")
    assert refused.status_code in (403, 404), refused.get_json()
    assert decide(clerk, made.id, "approve").status_code == 403
    answer = decide(bureau, made.id, "approve", "同意")
    assert answer.status_code == 200, answer.get_json()
    assert made.id in _plan_lines(app, TIANSHAN_BUREAU, 2031)
    plan_id = rows_of(app, MajorRepairApplication, id=made.id)[0].plan_id
    response = bureau.api(
        "POST", "/api/v1/reports/office_major_repair_plan/render", json={"params": {"plan_id": plan_id}}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "大中修项目规划表" in text and name in text and "654,321.00" in text
    assert "恢复和完善使用功能" in text and "降低能源" in text and "2031" in text
    refused = rest(KASHGAR_BUREAU, "jwt").api(
        "POST", "/api/v1/reports/office_major_repair_plan/render", json={"params": {"plan_id": plan_id}}
    )
    assert refused.status_code in (400, 422), refused.get_json()


def test_art23_completion_sets_the_last_major_repair_and_books_30213(app, login, rest):
    """第二十三条: 竣工 is the bureau's (the clerk is refused); it sets the building's last major repair
    year, so a new application for the building counts the interval from it, and books the cost."""
    building, _name, _rooms = make_building(app, last_repair=2001)
    made = write_major(app, login, rest, "rest", building, year=2026)
    clerk, bureau = rest(CLERK, "jwt"), rest(BUREAU, "jwt")
    assert decide(clerk, made.id, "submit").status_code == 200
    assert decide(bureau, made.id, "approve").status_code == 200
    body = {"completed_on": "2026-11-30", "actual_cost": "480000.00"}
    refused = clerk.api("POST", f"/api/v1/office_major_repair/{made.id}/complete", json=body)
    assert refused.status_code in (403, 422), refused.get_json()
    answer = bureau.api("POST", f"/api/v1/office_major_repair/{made.id}/complete", json=body)
    assert answer.status_code == 200, answer.get_json()
    with app.app_context():
        assert db.session.get(OfficeBuilding, building).last_major_repair_year == 2026
    assert ledger(app, "office_major_repair", made.id) == [
        ("30213", Decimal("480000.00"), dt.date(2026, 11, 30))
    ]
    _none, answer = write_major(app, login, rest, "rest", building, year=2030, expect=False)
    assert "2026 年最近一次大中修" in answer


def test_art23_completion_bad_input_is_a_chinese_refusal(app, login, rest):
    """第二十三条: 竣工 with a negative cost or a day to come: 422 in Chinese, nothing changed."""
    building, _name, _rooms = make_building(app, last_repair=2001)
    made = write_major(app, login, rest, "rest", building, year=2026)
    bureau = rest(BUREAU, "jwt")
    assert decide(rest(CLERK, "jwt"), made.id, "submit").status_code == 200
    assert decide(bureau, made.id, "approve").status_code == 200
    for body in (
        {"completed_on": "2026-11-30", "actual_cost": "-1"},
        {"completed_on": "2099-01-01", "actual_cost": "10"},
    ):
        answer = bureau.api("POST", f"/api/v1/office_major_repair/{made.id}/complete", json=body)
        assert answer.status_code == 422, answer.get_json()
    assert rows_of(app, MajorRepairApplication, id=made.id)[0].completed_on is None


def test_art23_issued_plan_is_fixed(app, login, rest):
    """第二十三条: the bureau issues (下达) its plan with a document number; an application approved
    afterwards for that year is not put into it, and the approval says so."""
    year = 2040 + unique_year()
    first_building, _n, _r = make_building(app, last_repair=2001)
    first = write_major(app, login, rest, "rest", first_building, year=year)
    clerk, bureau = rest(CLERK, "jwt"), rest(BUREAU, "jwt")
    assert decide(clerk, first.id, "submit").status_code == 200
    assert decide(bureau, first.id, "approve").status_code == 200
    plan_id = rows_of(app, MajorRepairApplication, id=first.id)[0].plan_id
    refused = bureau.api(
        "POST", f"/api/v1/office_major_repair_plan/{plan_id}/issue", json={"document_number": " "}
    )
    assert refused.status_code == 422
    answer = bureau.api(
        "POST",
        f"/api/v1/office_major_repair_plan/{plan_id}/issue",
        json={"document_number": "天机事〔2026〕测试号"},
    )
    assert answer.status_code == 200, answer.get_json()
    assert rows_of(app, MajorRepairPlan, id=plan_id)[0].status == "issued"
    second_building, _n, _r = make_building(app, last_repair=2001)
    second = write_major(app, login, rest, "rest", second_building, year=year)
    assert decide(clerk, second.id, "submit").status_code == 200
    assert decide(bureau, second.id, "approve").status_code == 200
    assert rows_of(app, MajorRepairApplication, id=second.id)[0].plan_id is None
    assert _plan_lines(app, TIANSHAN_BUREAU, year) == [first.id]
    plan = rows_of(app, MajorRepairPlan, id=plan_id)[0]
    changed = bureau.api(
        "PUT", f"/api/v1/office_major_repair_plan/{plan_id}", json={"title": "改名", "version": plan.version}
    )
    assert changed.status_code == 422 and "已下达，不能修改" in changed.get_json()["message"]
    assert ART23 in changed.get_json()["message"]
    deleted = bureau.api("DELETE", f"/api/v1/office_major_repair_plan/{plan_id}")
    assert deleted.status_code in (409, 422), deleted.get_json()
    assert "不能删除" in deleted.get_json()["message"]
    assert rows_of(app, MajorRepairPlan, id=plan_id)[0].status == "issued"


def unique_year() -> int:
    from tests.plugins.office_space.repairs_helpers import unique

    return unique() % 50


def test_art23_plan_page_lists_the_projects(app, login, rest):
    """第二十三条: the plan's page shows its projects with the Chinese headings the bureau reads."""
    building, name, _rooms = make_building(app, last_repair=2003)
    made = write_major(app, login, rest, "rest", building, year=2029)
    assert decide(rest(CLERK, "jwt"), made.id, "submit").status_code == 200
    assert decide(rest(BUREAU, "jwt"), made.id, "approve").status_code == 200
    plan_id = rows_of(app, MajorRepairApplication, id=made.id)[0].plan_id
    page = login(BUREAU).get(f"/majorrepairplanview/show/{plan_id}").get_data(as_text=True)
    assert "2029 年度大中修项目" in page and name in page and "预算金额（元）" in page


def test_art23_demo_application_is_in_the_2027_plan(app):
    """第二十三条 done-when (demo): 天山区财政局's approved application for 天山区政府办公楼 is in
    天山区's 2027 plan; 喀什市财政局's awaits its bureau."""
    with app.app_context():
        plan = (
            db.session.query(MajorRepairPlan)
            .join(MajorRepairPlan.organization)
            .filter(MajorRepairPlan.year == 2027)
            .all()
        )
        tianshan = [p for p in plan if p.organization.name == TIANSHAN_BUREAU][0]
        assert any(
            a.building.name == "天山区政府办公楼" and a.organization.name == TIANSHAN for a in tianshan.lines
        )
        pending = db.session.query(MajorRepairApplication).filter_by(state="submitted").all()
        assert any(a.organization.name == KASHGAR for a in pending)


def test_art23_the_interval_is_the_standard_in_force_for_the_jurisdiction(app, login, rest):
    """第二十三条: the interval is read from the Standard, the nearest jurisdiction's winning: 天山区's own,
    stricter interval of 20 years from 2027 refuses 2027 for a building repaired in 2010, while 2026
    (the region's 15 years in force) is allowed."""
    from catalog.models import Jurisdiction, Standard
    from plugins.office_space.repairs.standards import ALL_BUILDINGS, MAJOR_REPAIR_INTERVAL

    building, _name, _rooms = make_building(app, last_repair=2010)
    with app.app_context():
        tianshan = db.session.query(Jurisdiction).filter_by(code="650102").one()
        own = Standard(
            kind=MAJOR_REPAIR_INTERVAL,
            key=ALL_BUILDINGS,
            value=Decimal(20),
            unit="年",
            jurisdiction=tianshan,
            effective_from=dt.date(2027, 1, 1),
            basis="测试",
        )
        db.session.add(own)
        db.session.commit()
        own_id = own.id
    try:
        _none, answer = write_major(app, login, rest, "rest", building, year=2027, expect=False)
        assert "未满大中修间隔 20 年" in answer and "2030" in answer
        assert write_major(app, login, rest, "rest", building, year=2026).state == "draft"
    finally:
        with app.app_context():
            db.session.delete(db.session.get(Standard, own_id))
            db.session.commit()


def test_art23_second_plan_of_a_year_is_a_chinese_refusal(app, rest):
    """第二十三条: one 大中修项目规划 per bureau and year: a second one for 2027 is refused (4xx, Chinese),
    not a server error; the first stays the only one."""
    bureau = rest(BUREAU, "jwt")
    response = bureau.api("POST", "/api/v1/office_major_repair_plan/", json={"year": 2027, "title": "重复"})
    assert response.status_code in (409, 422), response.get_data(as_text=True)[:300]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.get_json()["message"])
    bad = bureau.api("POST", "/api/v1/office_major_repair_plan/", json={"year": 1900, "title": "错年"})
    assert bad.status_code == 422 and "年度应为 2000—2100 之间的年份" in str(bad.get_json())
