"""The tenancy flow over REST with bearer tokens (Art. 25): the clerk applies for a person of its
organisation and submits, the bureau approves and allocates (配租: the rent computed from the area
and the rent standard), records 入住 (the unit becomes 已入住; an inventory short of the furnishing
is flagged), approves a renewal (the end moves on), records 退房 (the unit is available again;
damages are flagged)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.display import local_today
from plugins.housing.tenancies.models import Tenancy, TenancyApplication, add_months
from plugins.housing.units.models import HousingUnit
from tests.plugins.housing.conftest import ART25

CLERK, BUREAU = "tianshan_clerk", "tianshan_bureau"


def apply(api_client, person_id, *, event_on=None, no_home=True, kind="turnover", submit=True):
    clerk = api_client(CLERK)
    response = clerk.api(
        "POST",
        "/api/v1/housing_tenancy_application/",
        json={
            "person_id": person_id,
            "reason": "transferred",
            "event_on": (event_on or local_today() - dt.timedelta(days=90)).isoformat(),
            "no_home": no_home,
            "family_size": 2,
            "unit_kind": kind,
            "note": "测试申请",
        },
    )
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    if submit:
        done = clerk.api(
            "POST", f"/api/v1/housing_tenancy_application/{pk}/workflow/submit", json={"comment": "请审核"}
        )
        assert done.status_code == 200, done.get_json()
    return pk


def approve(api_client, key, pk):
    done = api_client(BUREAU).api("POST", f"/api/v1/{key}/{pk}/workflow/approve", json={"comment": "同意"})
    assert done.status_code == 200, done.get_json()
    return done


def allocate(api_client, application, unit, start=None, end=None):
    body = {"unit_id": unit, "start_on": (start or local_today()).isoformat()}
    if end:
        body["end_on"] = end.isoformat()
    return api_client(BUREAU).api(
        "POST", f"/api/v1/housing_tenancy_application/{application}/allocate", json=body
    )


def test_art25_apply_approve_allocate_check_in_renew_check_out(app, api_client, housing, findings):
    unit = housing.unit(area="50.00")
    person = housing.person()
    application = apply(api_client, person)
    assert housing.get(TenancyApplication, application).state == "submitted"
    # the clerk cannot decide it: the bureau of the same level does
    refused = api_client(CLERK).api(
        "POST",
        f"/api/v1/housing_tenancy_application/{application}/workflow/approve",
        json={"comment": "同意"},
    )
    assert refused.status_code == 403
    approve(api_client, "housing_tenancy_application", application)

    start = local_today()
    response = allocate(api_client, application, unit, start)
    assert response.status_code == 200, response.get_json()
    [tenancy_id] = housing.tenancies_of(person)
    tenancy = housing.get(Tenancy, tenancy_id)
    # 24 months (the demo standard), 50 m² × 8 元 = 400 元
    assert tenancy.end_on == add_months(start, 24)
    assert tenancy.monthly_rent == Decimal("400.00") and tenancy.rent_per_m2 == Decimal("8")
    assert tenancy.status == "allocated" and housing.get(TenancyApplication, application).allocated_on
    # allocated twice: the operation no longer applies
    again = allocate(api_client, application, unit, start)
    assert again.status_code == 409 and "配租" in again.get_json()["message"]

    bureau = api_client(BUREAU)
    checked_in = bureau.api(
        "POST",
        f"/api/v1/housing_tenancy/{tenancy_id}/check_in",
        json={"checked_in_on": start.isoformat(), "inventory": "床 2 完好\n衣柜 2 完好\n书桌 1 完好"},
    )
    assert checked_in.status_code == 200, checked_in.get_json()
    assert housing.get(HousingUnit, unit).status == "occupied"
    assert housing.get(Tenancy, tenancy_id).checkin_differences == "冰箱缺 1"
    [flag] = [
        f for f in findings("housing_tenancy", tenancy_id) if f["rule_key"] == "housing.checkin_inventory"
    ]
    assert "冰箱缺 1" in flag["message"] and flag["article"] == 25

    # 续租: opened by the operation, submitted by the clerk, approved by the bureau
    new_end = add_months(start, 30)
    opened = bureau.api(
        "POST",
        f"/api/v1/housing_tenancy/{tenancy_id}/renew",
        json={"new_end_on": new_end.isoformat(), "reason": "工作需要继续租住"},
    )
    assert opened.status_code == 200, opened.get_json()
    renewal = _last_renewal(app, tenancy_id)
    submitted = api_client(CLERK).api(
        "POST", f"/api/v1/housing_tenancy_renewal/{renewal}/workflow/submit", json={"comment": "请批准"}
    )
    assert submitted.status_code == 200, submitted.get_json()
    approve(api_client, "housing_tenancy_renewal", renewal)
    tenancy = housing.get(Tenancy, tenancy_id)
    assert tenancy.end_on == new_end and tenancy.renewals == 1

    out = bureau.api(
        "POST",
        f"/api/v1/housing_tenancy/{tenancy_id}/check_out",
        json={
            "checked_out_on": (start + dt.timedelta(days=30)).isoformat(),
            "inventory": "床 2 完好\n衣柜 2 完好\n书桌 1 桌面划伤",
            "damages": "书桌桌面划伤",
        },
    )
    assert out.status_code == 200, out.get_json()
    assert housing.get(HousingUnit, unit).status == "available"
    tenancy = housing.get(Tenancy, tenancy_id)
    assert tenancy.status == "checked_out" and tenancy.damages == "书桌桌面划伤"
    [flag] = [
        f for f in findings("housing_tenancy", tenancy_id) if f["rule_key"] == "housing.checkout_damages"
    ]
    assert "书桌桌面划伤" in flag["message"] and ART25 in flag["message"] or flag["article"] == 25


def _last_renewal(app, tenancy_id):
    from sqlalchemy import select

    from core.extensions import db
    from plugins.housing.tenancies.models import TenancyRenewal

    with app.app_context():
        return (
            db.session.execute(
                select(TenancyRenewal.id)
                .where(TenancyRenewal.tenancy_id == tenancy_id)
                .order_by(TenancyRenewal.id.desc())
            )
            .scalars()
            .first()
        )


def test_art25_rent_and_status_are_not_typed(app, api_client, housing):
    """月租金 is computed and 租住状态 changes only by operations: REST refuses both when typed."""
    unit = housing.unit()
    person = housing.person()
    bureau = api_client(BUREAU)
    body = {
        "unit_id": unit,
        "person_id": person,
        "start_on": local_today().isoformat(),
        "end_on": add_months(local_today(), 12).isoformat(),
    }
    refused = bureau.api("POST", "/api/v1/housing_tenancy/", json={**body, "status": "checked_in"})
    assert refused.status_code == 422, refused.get_json()
    assert "租住状态" in refused.get_json()["message"]
    assert housing.tenancies_of(person) == []
    # a typed rent is not taken: the rent is the area × the standard
    made = bureau.api("POST", "/api/v1/housing_tenancy/", json={**body, "monthly_rent": "1"})
    assert made.status_code == 201, made.get_json()
    tenancy = housing.get(Tenancy, made.get_json()["id"])
    assert tenancy.monthly_rent == Decimal("400.00") and tenancy.status == "allocated"
    assert tenancy.organization_id == housing.org_id()
