"""The office-space repairs and idle space walked in a real browser (docs/office_space.md, “Walk it in
the demo (repairs and idle space)”), Art. 23-24.

tianshan_clerk (天山区财政局) applies for a 大中修 of 天山区政府办公楼 in 2027 — first with no purpose
ticked: refused with the article on the page — then serving 降低能源消耗, and submits it;
tianshan_bureau approves it, finds it in 天山区's 2027 大中修项目规划, whose page prints the
大中修项目规划表; the bureau's home page lists the idle room 304 (Art. 24).
"""

from __future__ import annotations

from sqlalchemy import select

from tests.e2e.test_assets_walk import (
    _decide,
    _open_newest,
    _save_model_form,
    _state,
    _success,
    _tag,
    _wait_flash,
)

ORG = "乌鲁木齐市天山区财政局"
BUILDING = "天山区政府办公楼"


def _fill(page, scope: str, *purposes: str) -> None:
    page.open("/majorrepairapplicationview/add")
    page.wait_for("#model_form")
    page.select("building", BUILDING)
    page.type_into("#model_form #year", "2027")
    page.type_into("#model_form #scope_of_work", scope)
    page.type_into("#model_form #estimated_cost", "386000")
    for field in purposes:
        page.find(f"#model_form #{field}").click()
    _save_model_form(page)


def test_clerk_applies_bureau_approves_into_the_2027_plan_and_sees_idle_room(login_as, in_app):
    tag = _tag()
    scope = f"五层照明节能改造{tag}"
    page = login_as("tianshan_clerk")

    # no purpose: refused, in Chinese, naming the article
    _fill(page, scope)
    danger = [text for kind, text in _wait_flash(page) if kind == "danger"]
    body = page.text("body")
    assert any("至少说明一项用途" in t for t in [*danger, body]), (danger, body[:1500])
    assert "第二十三条" in body

    # serving 降低能源消耗: saved, then submitted
    _fill(page, scope, "serves_energy")
    _success(page)
    record = _open_newest(page, "/majorrepairapplicationview/list/", "MajorRepairApplicationView", scope)
    _decide(page, "submit", "请审批")
    assert _state(page).startswith("已提交")

    # 天山区机关事务服务中心 approves: the application is in its 2027 plan
    bureau = login_as("tianshan_bureau")
    bureau.open(record)
    bureau.wait_for("#workflow-form")
    assert "已批准" in _decide(bureau, "approve", "同意，编入规划")
    from plugins.office_space.repairs.models import MajorRepairApplication

    with in_app() as session:
        application = session.execute(
            select(MajorRepairApplication).where(MajorRepairApplication.scope_of_work == scope)
        ).scalar_one()
        plan_id = application.plan_id
    assert plan_id is not None
    bureau.open(f"/majorrepairplanview/show/{plan_id}")
    bureau.wait_for("#plan-projects")
    projects = bureau.text("#plan-projects")
    assert "2027 年度大中修项目" in projects and scope in projects and ORG in projects
    assert "降低能源消耗" in projects
    # the plan's page prints the 大中修项目规划表
    printing = bureau.find("#print-office_major_repair_plan")
    assert "大中修项目规划表" in printing.text
    bureau.open(printing.get_attribute("href").replace(bureau.base_url, ""))
    bureau.wait_for("body")
    assert "大中修项目规划表" in bureau.text("body")

    # the idle room of 天山区 is on the bureau's home page (Art. 24)
    bureau.open("/")
    bureau.wait_for("body")
    home = bureau.text("body")
    assert "闲置办公用房待处置利用" in home and f"{BUILDING} 304" in home
