"""Demo tenancies (Art. 25) and the standards they read (示例数据).

天山区 (tianshan_bureau): a tenancy of 天山区教育局 checked in whose end is past (超期占用, on the
bureau's 工作台), a current tenancy of 天山区财政局 ending in two months with a renewal awaiting the
bureau, a tenancy of 天山区人民政府办公室 checked out, and an application of 天山区财政局
(tianshan_clerk) awaiting the bureau's eligibility check. 喀什市 (kashgar_bureau): a current tenancy
of 喀什市财政局 with a renewal asked, an overdue one of 喀什市教育局, an application of 喀什市财政局. Days are
relative to the day the demo is loaded, so the overdue ones stay overdue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import object_session

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from core.api import transition
from plugins.housing.tenancies.derivations import CENT
from plugins.housing.tenancies.models import (
    CHECKOUT_DAYS,
    ELIGIBILITY_YEARS,
    RENEWALS_MAX,
    RENT_PER_M2,
    TENANCY_MONTHS,
    Tenancy,
    TenancyApplication,
    TenancyRenewal,
    add_months,
)
from plugins.housing.units.demo import demo_unit

BASIS = "示例数据（待核实），参照自治区周转住房管理有关规定"
#: (kind, {unit kind: value}, unit)
STANDARDS = [
    (ELIGIBILITY_YEARS, {"turnover": 3, "talent": 3}, "年"),
    (TENANCY_MONTHS, {"turnover": 24, "talent": 24}, "月"),
    (RENT_PER_M2, {"turnover": 8, "talent": 12}, "元/平方米·月"),
    (RENEWALS_MAX, {"turnover": 1, "talent": 1}, "次"),
    (CHECKOUT_DAYS, {"turnover": 15, "talent": 0}, "天"),
]
CHECKIN = "床 {beds} 完好\n衣柜 {beds} 完好\n书桌 1 完好\n冰箱 1 完好\n洗衣机 1 完好\n热水器 1 完好"
ONE_ROOM = "床 1 完好\n衣柜 1 完好\n书桌 1 完好\n冰箱 1 完好\n热水器 1 完好"


def _standards(ctx) -> None:
    region = ctx.jurisdictions["650000"]
    for kind, values, unit in STANDARDS:
        for key, value in values.items():
            ctx.session.add(
                Standard(
                    kind=kind,
                    key=key,
                    value=Decimal(value),
                    unit=unit,
                    jurisdiction=region,
                    effective_from=dt.date(2020, 1, 1),
                    basis=BASIS,
                    backdate_reason=DEMO_BACKDATE_REASON,
                )
            )
    ctx.session.flush()


def _tenancy(ctx, building, number, person_key, start, *, checked_in=True, checked_out=None, inventory=None):
    unit = demo_unit(ctx.session, building, number)
    person = ctx.people[person_key]
    rate = {"turnover": 8, "talent": 12}[unit.kind]
    tenancy = Tenancy(
        unit=unit,
        person=person,
        organization=person.organization,
        jurisdiction=person.organization.jurisdiction,
        start_on=start,
        end_on=add_months(start, 24),
        rent_per_m2=Decimal(rate),
        monthly_rent=(unit.area * rate).quantize(CENT),
        status="allocated",
    )
    if checked_in:
        tenancy.status, tenancy.checked_in_on = "checked_in", start
        tenancy.checkin_inventory = inventory or CHECKIN.format(beds=unit.rooms)
    if checked_out is not None:
        tenancy.status, tenancy.checked_out_on = "checked_out", checked_out
        tenancy.checkout_inventory = tenancy.checkin_inventory
    ctx.session.add(tenancy)
    ctx.session.flush()
    if tenancy.status == "checked_in":  # the unit follows its tenancy, as 入住登记 makes it
        unit.status, unit.status_since = "occupied", start
        ctx.session.flush()
    return tenancy


def load(ctx) -> None:
    _standards(ctx)
    today = dt.date.today()
    tianshan, kashgar = "天山区周转房小区 3 号楼", "喀什市周转房 1 号楼"
    # 超期占用: the 24 months ended 40 days ago, past the 15 checkout days
    _tenancy(ctx, tianshan, "1-101", "tianshan_education.0", add_months(today, -24) - dt.timedelta(days=40))
    current = _tenancy(ctx, tianshan, "1-102", "tianshan_finance.1", add_months(today, -22))
    _tenancy(
        ctx,
        tianshan,
        "2-201",
        "tianshan_office.0",
        add_months(today, -20),
        checked_out=add_months(today, -2),
        inventory=ONE_ROOM,
    )
    kashgar_current = _tenancy(ctx, kashgar, "3-101", "kashgar_finance.0", add_months(today, -8))
    _tenancy(ctx, kashgar, "3-102", "kashgar_education.0", add_months(today, -24) - dt.timedelta(days=70))

    # 续租申请 awaiting the bureaus: the 天山区 one ends in two months, the 喀什市 one asked early
    _renewal(current, 12, "工作岗位未变动，本市仍无住房，申请续租一年")
    _renewal(kashgar_current, 6, "子女就学未满学年，申请续租半年")

    _application(ctx, "tianshan_finance.0", add_months(today, -4), 3, "自南疆调入，携配偶及子女，本市无住房")
    _application(ctx, "kashgar_finance.1", add_months(today, -2), 1, "新录用公务员，本市无住房")


def _renewal(tenancy, months, reason) -> None:
    renewal = TenancyRenewal(
        tenancy=tenancy,
        organization_id=tenancy.organization_id,
        jurisdiction_id=tenancy.jurisdiction_id,
        new_end_on=add_months(tenancy.end_on, months),
        reason=reason,
    )
    session = object_session(tenancy)
    session.add(renewal)
    session.flush()
    transition(renewal, "submit", "演示数据：申请续租", view_name="TenancyRenewalView")


def _application(ctx, person_key, event_on, family, note) -> None:
    person = ctx.people[person_key]
    application = TenancyApplication(
        organization=person.organization,
        jurisdiction=person.organization.jurisdiction,
        person=person,
        reason="transferred" if family > 1 else "recruited",
        event_on=event_on,
        no_home=True,
        family_size=family,
        unit_kind="turnover",
        note=note,
    )
    ctx.session.add(application)
    ctx.session.flush()
    transition(application, "submit", "演示数据：申请入住周转住房", view_name="TenancyApplicationView")
