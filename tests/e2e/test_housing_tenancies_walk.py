"""The housing module's tenancies walked in a real browser (docs/housing.md, “Tenancies”), Art. 25.

tianshan_clerk (天山区财政局) applies for one of its people and submits; tianshan_bureau approves,
allocates (配租) a turnover unit of 天山区 — the rent computed from its area — and records the
check-in with the inventory; tianshan_bureau's 工作台 lists the demo's overdue tenancy under 逾期事项;
kashgar_clerk (喀什市财政局) sees none of 天山区's tenancies.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from core.display import local_today
from tests.e2e.test_assets_walk import (
    _decide,
    _field,
    _open_newest,
    _operation,
    _pick_record,
    _save_model_form,
    _state,
    _success,
    _tag,
    _type_date,
)

ORG = "乌鲁木齐市天山区财政局"
BUREAU = "乌鲁木齐市天山区机关事务服务中心"


def _a_person_and_a_unit(in_app, tag: str) -> tuple[str, str]:
    """A new person of 天山区财政局 and a new available turnover unit of 天山区 (58 m²)."""
    from catalog.models import Organization, Person
    from plugins.housing.units.models import HousingUnit

    with in_app() as session:
        org = session.execute(select(Organization).where(Organization.name == ORG)).scalar_one()
        bureau = session.execute(select(Organization).where(Organization.name == BUREAU)).scalar_one()
        person = Person(name=f"端到端申请人{tag}", rank="staff", organization=org)
        unit = HousingUnit(
            kind="turnover",
            building=f"端到端周转房 {tag} 号楼",
            unit_number="1-101",
            address="乌鲁木齐市天山区",
            area=Decimal("58.00"),
            rooms=2,
            furnishing="床 2、衣柜 2、冰箱 1",
            organization=bureau,
            jurisdiction=bureau.jurisdiction,
            status="available",
            status_since=dt.date(2024, 1, 1),
            # handed over with its document (Art. 25, the units area's rule)
            handed_over_by="端到端移交单位", handed_over_on=dt.date(2024, 1, 1),
            handover_document_no=f"端到端移交〔2024〕{tag}号",
        )
        session.add_all([person, unit])
        session.commit()
        return person.name, f"{unit.building} {unit.unit_number}"


def _demo_overdue_tenant(in_app) -> str:
    from plugins.housing.tenancies.models import Tenancy
    from plugins.housing.units.models import HousingUnit

    with in_app() as session:
        tenancy = session.execute(
            select(Tenancy)
            .join(HousingUnit, Tenancy.unit_id == HousingUnit.id)
            .where(
                HousingUnit.building == "天山区周转房小区 3 号楼",
                HousingUnit.unit_number == "1-101",
                Tenancy.status == "checked_in",
            )
        ).scalar_one()
        return tenancy.person.name


def test_clerk_applies_bureau_approves_allocates_checks_in_and_sees_the_overdue(login_as, in_app):
    tag = _tag()
    name, unit = _a_person_and_a_unit(in_app, tag)
    today = local_today()

    # the clerk applies for the person and submits
    page = login_as("tianshan_clerk")
    page.open("/tenancyapplicationview/add")
    page.wait_for("#model_form")
    _pick_record(page, "person", name)
    page.select("reason", "新调入")
    _type_date(page, "#model_form #event_on", today - dt.timedelta(days=60))
    page.find("#model_form #no_home").click()
    page.find("#model_form #family_size").clear()
    page.type_into("#model_form #family_size", "3")
    page.select("unit_kind", "周转住房")
    _save_model_form(page)
    _success(page)
    application = _open_newest(page, "/tenancyapplicationview/list/", "TenancyApplicationView", name)
    _decide(page, "submit", "请审核入住资格")
    assert _state(page).startswith("已提交")

    # the bureau of 天山区 approves and allocates the unit
    bureau = login_as("tianshan_bureau")
    bureau.open(application)
    bureau.wait_for("#workflow-form")
    assert "已批准" in _decide(bureau, "approve", "符合入住条件")
    _operation(bureau, "allocate", unit_id=f"{unit}（58.00 m²）")  # starts today (prefilled)
    assert "已配租" in _field(bureau, "配租")

    # the tenancy: 58 m² × 8 元 (示例) = 464 元 a month; check-in with the inventory
    tenancy = _open_newest(bureau, "/tenancyview/list/", "TenancyView", name)
    assert _field(bureau, "月租金（元）") == "464.00"
    _operation(bureau, "check_in", inventory="床 2 完好\n衣柜 2 完好\n冰箱 1 完好")
    assert _field(bureau, "租住状态") == "已入住"

    # the bureau's 工作台 lists the demo's overdue tenancy
    overdue_name = _demo_overdue_tenant(in_app)
    bureau.open("/")
    bureau.wait_for("#todo-overdue")
    panel = bureau.text("#todo-overdue")
    assert overdue_name in panel and "至今未退房" in panel, panel

    # 喀什市's clerk sees none of 天山区's tenancies
    kashgar = login_as("kashgar_clerk")
    kashgar.open("/tenancyview/list/")
    kashgar.wait_for("body")
    listed = kashgar.text("body")
    assert name not in listed and overdue_name not in listed
    kashgar.open(tenancy)
    assert name not in kashgar.text("body")
