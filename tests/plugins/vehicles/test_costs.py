"""Running costs (运行费用, Art. 29) on every path: the designated-shop and designated-insurer flags
on the form, REST (bearer token) and XLSX import; 入账 (needs the invoice) posting to the ledger
under 30231 and 作废 withdrawing it, read back through the catalog's totals; a posted cost refused
on every generic path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.expenditure_totals import expenditure_totals
from catalog.expenditures import Expenditure
from catalog.models import Organization
from core.extensions import db
from plugins.vehicles.costs.models import VehicleCost
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.vehicles.costs_helpers import (
    ART,
    CLERK,
    DESIGNATED_INSURER,
    DESIGNATED_SHOP,
    HEADERS,
    PATHS,
    TIANSHAN,
    attach_invoice,
    costs_of,
    make_vehicle,
    write_cost,
)

REPAIR_RULE = "vehicles.costs_designated_repair"
INSURANCE_RULE = "vehicles.costs_designated_insurance"


def _rules(findings, pk):
    return {f["rule_key"]: f for f in findings("vehicle_cost", pk)}


@pytest.mark.parametrize("path", PATHS)
def test_art29_repair_at_undesignated_shop_is_flagged(app, login, rest, findings, path):
    """第二十九条 定点维修: a repair at a shop not designated for 天山区 on the day opens a finding
    naming the shop; one at the designated 天山区汽车综合维修厂 does not."""
    vehicle, plate = make_vehicle(app)
    bad = write_cost(app, login, rest, path, vehicle, plate, supplier="某某路边汽修店")
    found = _rules(findings, bad.id)
    assert REPAIR_RULE in found, found
    assert "维修单位“某某路边汽修店”不是定点维修单位" in found[REPAIR_RULE]["message"]
    assert found[REPAIR_RULE]["article"] == 29
    good = write_cost(app, login, rest, path, vehicle, plate, supplier=DESIGNATED_SHOP)
    assert REPAIR_RULE not in _rules(findings, good.id)


@pytest.mark.parametrize("path", PATHS)
def test_art29_maintenance_at_undesignated_shop_is_flagged(app, login, rest, findings, path):
    """第二十九条 定点维修: 保养 counts as repair work: at an undesignated shop it is flagged."""
    vehicle, plate = make_vehicle(app)
    bad = write_cost(app, login, rest, path, vehicle, plate, kind="maintenance", supplier="快修连锁某店")
    assert REPAIR_RULE in _rules(findings, bad.id)


@pytest.mark.parametrize("path", PATHS)
def test_art29_insurance_at_undesignated_insurer_is_flagged(app, login, rest, findings, path):
    """第二十九条 定点保险: insurance at an insurer not designated is flagged; the designated insurer
    of 乌鲁木齐市 serves 天山区 below it and is not."""
    vehicle, plate = make_vehicle(app)
    bad = write_cost(app, login, rest, path, vehicle, plate, kind="insurance", supplier="某某财产保险公司")
    found = _rules(findings, bad.id)
    assert INSURANCE_RULE in found
    assert "保险单位“某某财产保险公司”不是定点保险单位" in found[INSURANCE_RULE]["message"]
    good = write_cost(app, login, rest, path, vehicle, plate, kind="insurance", supplier=DESIGNATED_INSURER)
    assert INSURANCE_RULE not in _rules(findings, good.id)


@pytest.mark.parametrize("path", PATHS)
def test_art29_fuel_is_not_checked_against_repair_shops(app, login, rest, findings, path):
    """第二十九条: fuel, parking and tolls are not 定点维修/保险 matters: no finding."""
    vehicle, plate = make_vehicle(app)
    cost = write_cost(app, login, rest, path, vehicle, plate, kind="fuel", supplier="某加油站")
    assert not {REPAIR_RULE, INSURANCE_RULE} & set(_rules(findings, cost.id))
    assert cost.organization_id is not None and cost.posted is False


def test_art29_flag_closes_when_corrected(app, login, rest, findings):
    """第二十九条: correcting the shop to the designated one (before 入账) closes the finding."""
    vehicle, plate = make_vehicle(app)
    cost = write_cost(app, login, rest, "rest", vehicle, plate, supplier="某某路边汽修店")
    assert REPAIR_RULE in _rules(findings, cost.id)
    response = rest(CLERK, "jwt").api("PUT", f"/api/v1/vehicle_cost/{cost.id}",
                                      json={"supplier": DESIGNATED_SHOP, "version": cost.version})
    assert response.status_code == 200, response.get_json()
    assert REPAIR_RULE not in _rules(findings, cost.id)


def _post(client, pk, **body):
    return client.api("POST", f"/api/v1/vehicle_cost/{pk}/post", json=body)


def _ledger(app, pk):
    with app.app_context():
        rows = db.session.execute(select(Expenditure).where(
            Expenditure.source_type == "vehicle_cost", Expenditure.source_id == pk)).scalars().all()
        return [(r.economic_class.code, Decimal(r.amount), r.spent_on, r.payee) for r in rows]


def _totals(app, year):
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == TIANSHAN)).scalar_one()
        found = expenditure_totals(db.session, year=year, organization=org, codes=["30231"])
        return Decimal(found.get("30231", {}).get("amount", 0))


def test_art29_post_needs_the_invoice_and_books_30231(app, login, rest):
    """第二十九条 单车核算: 入账 without the invoice is refused (Chinese, article named); with it the
    cost is booked under 30231 in the ledger, the 三公 totals grow by it, and 作废 takes it back."""
    vehicle, plate = make_vehicle(app)
    year = 2021  # this test's own year; the totals are compared before and after
    cost = write_cost(app, login, rest, "rest", vehicle, plate, kind="fuel", supplier="某加油站",
                      amount="456.70", day=f"{year}-03-02")
    clerk = rest(CLERK, "jwt")
    refused = _post(clerk, cost.id, posted_on=f"{year}-03-02")
    assert refused.status_code == 422, refused.get_json()
    assert "发票" in refused.get_json()["message"] and ART in refused.get_json()["message"]
    assert _ledger(app, cost.id) == []
    before = _totals(app, year)
    assert attach_invoice(clerk, cost.id).status_code == 201
    response = _post(clerk, cost.id)
    assert response.status_code == 200, response.get_json()
    assert _ledger(app, cost.id) == [("30231", Decimal("456.70"), dt.date(year, 3, 2), "某加油站")]
    assert _totals(app, year) == before + Decimal("456.70")
    assert costs_of(app, vehicle)[0].posted is True
    again = _post(clerk, cost.id)
    assert again.status_code in (409, 422), again.get_json()
    voided = clerk.api("POST", f"/api/v1/vehicle_cost/{cost.id}/void", json={"reason": "发票开错，重新登记"})
    assert voided.status_code == 200, voided.get_json()
    assert _ledger(app, cost.id) == []
    assert _totals(app, year) == before


def test_art29_post_on_the_screen(app, login, rest):
    """第二十九条: the 入账 button of the record's page books the cost too."""
    vehicle, plate = make_vehicle(app)
    cost = write_cost(app, login, rest, "form", vehicle, plate, kind="parking", supplier="某停车场",
                      amount="30.00", day="2026-11-02")
    browser = login(CLERK)
    page = browser.post(f"/vehiclecostview/operation/{cost.id}/post", data={"posted_on": "2026-11-03"},
                        follow_redirects=True).get_data(as_text=True)
    assert "发票" in page and ART in page  # refused without the invoice
    assert _ledger(app, cost.id) == []
    assert attach_invoice(rest(CLERK, "jwt"), cost.id).status_code == 201
    browser.post(f"/vehiclecostview/operation/{cost.id}/post", data={"posted_on": "2026-11-03"},
                 follow_redirects=True)
    assert _ledger(app, cost.id) == [("30231", Decimal("30.00"), dt.date(2026, 11, 2), "某停车场")]


def _posted(app, login, rest, **kw):
    vehicle, plate = make_vehicle(app)
    cost = write_cost(app, login, rest, "rest", vehicle, plate, **kw)
    clerk = rest(CLERK, "jwt")
    assert attach_invoice(clerk, cost.id).status_code == 201
    assert _post(clerk, cost.id).status_code == 200
    return vehicle, plate, costs_of(app, vehicle)[0]


def test_art29_posted_cost_refused_on_rest_put(app, login, rest):
    """第二十九条: a posted cost cannot be changed over REST (422 naming the article), nor 入账 undone."""
    _vehicle, _plate, cost = _posted(app, login, rest, kind="fuel", supplier="某加油站", amount="200.00")
    clerk = rest(CLERK, "jwt")
    response = clerk.api("PUT", f"/api/v1/vehicle_cost/{cost.id}",
                         json={"amount": "20.00", "version": cost.version})
    assert response.status_code == 422, response.get_json()
    assert "已入账" in response.get_json()["message"] and ART in response.get_json()["message"]
    response = clerk.api("PUT", f"/api/v1/vehicle_cost/{cost.id}",
                         json={"posted": False, "version": cost.version})
    assert response.status_code == 422, response.get_json()
    assert _ledger(app, cost.id)[0][1] == Decimal("200.00")


def test_art29_posted_cost_refused_on_the_form(app, login, rest):
    """第二十九条: the edit form of a posted cost answers the rule's message; nothing changes."""
    _vehicle, _plate, cost = _posted(app, login, rest, kind="fuel", supplier="某加油站", amount="210.00")
    page = login(CLERK).post(f"/vehiclecostview/edit/{cost.id}", data={
        "vehicle": cost.vehicle_id, "kind": "fuel", "spent_on": "2026-11-10", "amount": "21.00",
        "supplier": "某加油站", "note": "改", "version": cost.version},
        follow_redirects=True).get_data(as_text=True)
    assert "已入账" in page
    with app.app_context():
        assert db.session.get(VehicleCost, cost.id).amount == Decimal("210.00")


def test_art29_import_cannot_set_posted(app, login):
    """第二十九条: an import only creates unposted costs: 已入账 is set by 入账 alone."""
    vehicle, plate = make_vehicle(app)
    response = login(CLERK).post("/api/v1/vehicle_cost/import", data=upload(xlsx_bytes(
        [*HEADERS, "已入账"], [[plate, "加油", "2026-11-10", 100, "某加油站", None, "", "是"]])),
        content_type="multipart/form-data")
    assert response.status_code in (200, 422), response.get_json()
    assert all(not c.posted for c in costs_of(app, vehicle))


@pytest.mark.parametrize("path", ("rest", "import"))
def test_bad_input_is_refused_in_chinese(app, login, rest, path):
    """A negative amount or an unknown kind: a Chinese message, nothing written, no 500."""
    vehicle, plate = make_vehicle(app)
    if path == "rest":
        response = rest(CLERK, "jwt").api("POST", "/api/v1/vehicle_cost/", json={
            "vehicle_id": vehicle, "kind": "rocket", "spent_on": "2026-11-10", "amount": "-5"})
        assert response.status_code == 422
        text = str(response.get_json())
        assert "金额必须大于零" in text and "未知的费用类别" in text
    else:
        response = login(CLERK).post("/api/v1/vehicle_cost/import", data=upload(xlsx_bytes(
            HEADERS, [[plate, "加油", "2026-11-10", -5, "某加油站", None, ""]])),
            content_type="multipart/form-data")
        assert response.status_code == 422
        assert "金额必须大于零" in str(response.get_json())
    assert costs_of(app, vehicle) == []


# --- the home page (工作台): costs awaiting 入账 ---------------------------------------------------------

def _unposted_card(browser) -> tuple[str, int] | None:
    """The card 待入账的运行费用 on the home page: (its link, its count), None when not shown."""
    import html as html_lib
    import re

    page = browser.text("/")
    found = re.search(r'data-card="vehicles_costs_unposted">.*?<div class="jiguan-card-count">'
                      r'<a href="([^"]+)">(\d+)</a></div>\s*<div class="jiguan-card-label">([^<]*)</div>',
                      page, re.S)
    if found is None:
        return None
    assert found.group(3).strip() == "待入账的运行费用"
    return html_lib.unescape(found.group(1)), int(found.group(2))


def _unposted_in(app, org_name) -> int:
    with app.app_context():
        return len(db.session.execute(select(VehicleCost.id).join(
            Organization, VehicleCost.organization_id == Organization.id).where(
            Organization.name == org_name, VehicleCost.posted.is_(False),
            VehicleCost.voided_at.is_(None))).all())


def test_art29_home_card_counts_costs_awaiting_posting_in_the_users_scope(app, login):
    """第二十九条: the home page (工作台) of tianshan_clerk shows 待入账的运行费用 — the demo's parking fee
    among them — linking to the cost list filtered to 待入账; a new unposted cost of 天山区财政局 adds one
    to it and nothing to kashgar_clerk's card; a posted or voided cost is not counted."""
    clerk, kashgar = login(CLERK), login("kashgar_clerk")
    url, count = _unposted_card(clerk)
    with app.app_context():
        demo = db.session.execute(select(VehicleCost).where(
            VehicleCost.supplier == "乌鲁木齐市会展中心停车场", VehicleCost.amount == Decimal("60.00"))
        ).scalar_one()
        assert demo.posted is False and demo.voided_at is None
    assert count >= 1 and count == _unposted_in(app, TIANSHAN)
    assert url.startswith("/vehiclecostview/list/") and "_flt_1_posted=y" in url
    listed = clerk.text(url)
    assert "运行费用" in listed and "待入账" in listed and "已入账" not in listed.split("<tbody")[-1]
    kashgar_card = _unposted_card(kashgar)
    kashgar_before = kashgar_card[1] if kashgar_card else 0
    assert kashgar_before == _unposted_in(app, "喀什市财政局")

    vehicle_id, _plate = make_vehicle(app)
    with app.app_context():
        vehicle = db.session.get(VehicleCost.vehicle.property.mapper.class_, vehicle_id)
        unposted = VehicleCost(vehicle_id=vehicle_id, organization_id=vehicle.organization_id,
                               jurisdiction_id=vehicle.jurisdiction_id, kind="parking",
                               spent_on=dt.date(2026, 12, 2), amount=Decimal("15.00"), supplier="红山停车场")
        db.session.add(unposted)
        db.session.commit()
        unposted_id = unposted.id
    assert _unposted_card(clerk)[1] == count + 1
    kashgar_card = _unposted_card(kashgar)
    assert (kashgar_card[1] if kashgar_card else 0) == kashgar_before
    with app.app_context():
        row = db.session.get(VehicleCost, unposted_id)
        row.voided_at, row.voided_by, row.void_reason = dt.datetime(2026, 12, 3), "测试", "测试数据"
        db.session.commit()
    assert _unposted_card(clerk)[1] == count
