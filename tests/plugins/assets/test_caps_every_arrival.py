"""Art. 17 (第十七条) caps cover every way an asset arrives (issue 11, item 6).

- a child class inherits its parent's caps and minimum life unless it has its own, looked up
  in the nearest jurisdiction that sets any (the county's cap on the parent beats the region's
  on the child);
- a budget-funded card recorded as 其他 / 自建自制 / 接受捐赠 counts and is flagged above a cap;
- an asset moved into an organisation (pool transfer, a withdrawn disposal) is flagged when the
  organisation's holdings are then above the quantity cap.

Each test makes classes of its own (codes 28xxxxx) with their own standards.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Jurisdiction, Organization, Standard
from core.display import local_today
from core.extensions import db
from core.models import Finding
from core.scoping import SYSTEM, acting_as
from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.disposal.models import Disposal, DisposalLine
from plugins.assets.pool.models import PoolItem, PoolRequest

TIANSHAN = "乌鲁木齐市天山区财政局"  # tianshan_clerk's organisation
URUMQI_FINANCE = "乌鲁木齐市财政局"
URUMQI_BUREAU = "乌鲁木齐市机关事务管理局"
_codes = itertools.count(1)
_numbers = itertools.count(1)


def _org(name):
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def _jur(code):
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


def classes(app, parent_standards=(), child_standards=()) -> tuple[int, int]:
    """(parent id, child id): a parent class and a child under it, with standards given as
    ``(kind, value, jurisdiction code)``."""
    with app.app_context(), acting_as(SYSTEM):
        n = next(_codes)
        parent = AssetClass(code=f"28{n:03d}00", name=f"测试上级分类{n}", level=2)
        child = AssetClass(code=f"28{n:03d}01", name=f"测试下级分类{n}", level=3, parent=parent)
        db.session.add_all([parent, child])
        for cls, standards in ((parent, parent_standards), (child, child_standards)):
            for kind, value, where in standards:
                db.session.add(Standard(kind=kind, key=cls.code, value=Decimal(value), unit="",
                                        jurisdiction=_jur(where), effective_from=dt.date(2023, 1, 1),
                                        backdate_reason="测试：在用的标准补录"))
        db.session.commit()
        return parent.id, child.id


def system_card(app, class_id, owner=TIANSHAN, status="in_use", **extra) -> int:
    with app.app_context(), acting_as(SYSTEM):
        org = _org(owner)
        values = dict(number=f"T-ARR-{next(_numbers):04d}-{dt.datetime.now():%H%M%S%f}", class_id=class_id,
                      name="测试设备", quantity=1, unit="台", original_value=Decimal(1000),
                      acquired_on=dt.date(2024, 3, 1), acquisition_method="existing",
                      organization=org, jurisdiction=org.jurisdiction, status=status)
        values.update(extra)
        asset = Asset(**values)
        db.session.add(asset)
        db.session.commit()
        return asset.id


def _body(app, class_id, number, **extra):
    with app.app_context():
        org = _org(TIANSHAN)
        body = {"number": number, "class_id": class_id, "name": "测试设备", "quantity": 1, "unit": "台",
                "original_value": 4000, "acquired_on": "2026-03-01", "funding_source": "fiscal",
                "organization_id": org.id, "jurisdiction_id": org.jurisdiction_id, "status": "in_use"}
    body.update(extra)
    return body


def findings(app, asset_id, rule) -> list[Finding]:
    with app.app_context():
        rows = db.session.execute(select(Finding).where(
            Finding.entity == "asset", Finding.entity_id == str(asset_id), Finding.rule_key == rule,
            Finding.status == "open")).scalars().all()
        db.session.expunge_all()
        return list(rows)


# --- a. caps along the class tree ---------------------------------------------------------------

def test_art17_child_class_inherits_its_parents_price_cap_on_api(app, login):
    """第十七条: a class without a cap of its own is capped by its parent's (today it was not capped)."""
    _parent, child = classes(app, parent_standards=[("asset_price_cap", 3000, "650000")])
    clerk = login("tianshan_clerk")
    refused = clerk.api("POST", "/api/v1/asset/", json=_body(app, child, "T-ARR-INHERIT"))
    assert refused.status_code == 422
    message = refused.get_json()["message"]
    assert "单价上限 3,000.00 元" in message and "《办法》第十七条" in message


def test_art17_child_class_with_its_own_cap_and_the_parents_life(app, login):
    """第十七条: the child's own cap wins over the parent's; the minimum life comes from the parent."""
    _parent, child = classes(app, parent_standards=[("asset_price_cap", 3000, "650000"),
                                                    ("asset_min_service_life", 8, "650000")],
                             child_standards=[("asset_price_cap", 5000, "650000")])
    response = login("tianshan_clerk").api("POST", "/api/v1/asset/", json=_body(app, child, "T-ARR-OWN"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["result"]["min_life_ends_on"] == "2034-03-01"


def test_art17_nearest_jurisdiction_wins_then_the_most_specific_class(app, login):
    """第十七条: 天山区 caps the parent at 2,000 元, the region caps the child at 5,000 元: the county
    decided for its own level, so a 天山区 card of the child class is held to 2,000 元."""
    _parent, child = classes(app, parent_standards=[("asset_price_cap", 2000, "650102")],
                             child_standards=[("asset_price_cap", 5000, "650000")])
    refused = login("tianshan_clerk").api("POST", "/api/v1/asset/",
                                          json=_body(app, child, "T-ARR-NEAREST", original_value=3000))
    assert refused.status_code == 422 and "单价上限 2,000.00 元" in refused.get_json()["message"]


def test_art17_plan_line_reads_the_parents_quantity_cap(app, login):
    """第十七条: a plan line of the child class is checked against the parent's per-organisation cap."""
    from plugins.assets.plans.models import AssetPlan

    _parent, child = classes(app, parent_standards=[("asset_quantity_cap_per_organization", 1, "650000")])
    system_card(app, child)
    with app.app_context():
        org = _org(TIANSHAN)
    clerk = login("tianshan_clerk")
    clerk.post("/assetplanview/add", data={"organization": org.id, "year": "2027",
                                           "title": f"测试计划：上级分类上限{child}", "note": ""})
    with app.app_context():
        plan = db.session.execute(select(AssetPlan).where(
            AssetPlan.title == f"测试计划：上级分类上限{child}")).scalar_one()
    refused = clerk.api("POST", "/api/v1/asset_plan_line/", json={
        "plan_id": plan.id, "class_id": child, "name": "测试设备", "quantity": 1, "unit": "台",
        "unit_price": 100})
    assert refused.status_code == 422
    assert "现有 1 件加本计划 1 件超过数量上限 1 件" in refused.get_json()["message"]


# --- b. a budget-funded card that is no purchase -------------------------------------------------

def test_art17_fiscal_donation_above_the_price_cap_is_flagged_on_api(app, login):
    """第十七条: 接受捐赠 paid from the budget is saved but flagged; a self-funded one is not."""
    _parent, child = classes(app, child_standards=[("asset_price_cap", 3000, "650000")])
    clerk = login("tianshan_clerk")
    fiscal = clerk.api("POST", "/api/v1/asset/", json=_body(app, child, "T-ARR-DON-F",
                                                            acquisition_method="donation"))
    assert fiscal.status_code == 201, fiscal.get_json()
    [finding] = findings(app, fiscal.get_json()["id"], "assets.cap_fiscal_acquisition")
    assert finding.article == 17
    assert "以“接受捐赠”方式入账" in finding.message and "单价 4,000.00 元超过" in finding.message
    own = clerk.api("POST", "/api/v1/asset/", json=_body(app, child, "T-ARR-DON-S",
                                                         acquisition_method="donation",
                                                         funding_source="self_raised"))
    assert own.status_code == 201
    assert findings(app, own.get_json()["id"], "assets.cap_fiscal_acquisition") == []


def test_art17_fiscal_self_built_counts_toward_the_quantity_cap(app, login):
    """第十七条: a 自建自制 card on the budget above the organisation's cap is flagged."""
    _parent, child = classes(app, child_standards=[("asset_quantity_cap_per_organization", 1, "650000")])
    system_card(app, child)
    response = login("tianshan_clerk").api("POST", "/api/v1/asset/", json=_body(
        app, child, "T-ARR-SELF", acquisition_method="self_built", original_value=100))
    assert response.status_code == 201, response.get_json()
    [finding] = findings(app, response.get_json()["id"], "assets.cap_fiscal_acquisition")
    assert "以“自建自制”方式入账" in finding.message and "持有 2 件，超过数量上限 1 件" in finding.message


# --- c. every path into an organisation ------------------------------------------------------------

def test_art17_pool_transfer_above_the_cap_is_flagged(app, login):
    """第十七条: 天山区财政局 holds its one allowed piece; the bureau approves a pool transfer of a
    second one to it — the transfer goes through and the card gets a finding."""
    _parent, child = classes(app, child_standards=[("asset_quantity_cap_per_organization", 1, "650000")])
    system_card(app, child)
    pooled = system_card(app, child, owner=URUMQI_FINANCE, status="idle")
    with app.app_context(), acting_as(SYSTEM):
        item = PoolItem(asset_id=pooled, organization=_org(URUMQI_BUREAU), source_kind="idle",
                        entered_on=local_today(), condition="九成新")
        db.session.add(item)
        db.session.flush()
        request = PoolRequest(item_id=item.id, organization=_org(TIANSHAN), purpose="办公使用",
                              requested_on=local_today(), target_status="in_use")
        db.session.add(request)
        db.session.commit()
        request_id = request.id
    url = f"/api/v1/pool_request/{request_id}/workflow/"
    assert login("tianshan_clerk").api("POST", url + "submit", json={}).status_code == 200
    response = login("urumqi_bureau").api("POST", url + "approve", json={"comment": "同意"})
    assert response.status_code == 200, response.get_json()
    [finding] = findings(app, pooled, "assets.holdings_moved_in")
    assert finding.article == 17 and "持有 2 件，超过现行配置标准的数量上限 1 件" in finding.message
    with app.app_context():
        assert finding.organization_id == _org(TIANSHAN).id


def test_art17_disposal_withdrawn_above_the_cap_is_flagged(app, login):
    """第十七条: a card pending disposal leaves the holdings (以旧换新); its replacement is bought; the
    disposal is withdrawn — the old card is back and the holdings are above the cap: a finding."""
    _parent, child = classes(app, child_standards=[("asset_quantity_cap_per_organization", 1, "650000")])
    old = system_card(app, child, acquired_on=dt.date(2012, 1, 1))
    with app.app_context(), acting_as(SYSTEM):
        disposal = Disposal(organization=_org(TIANSHAN), applied_on=local_today(), method="scrap",
                            reason="老化损坏", appraised_value=Decimal("10"))
        disposal.lines = [DisposalLine(asset_id=old)]
        db.session.add(disposal)
        db.session.commit()
        disposal_id = disposal.id
    clerk = login("tianshan_clerk")
    url = f"/api/v1/disposal/{disposal_id}/workflow/"
    assert clerk.api("POST", url + "submit", json={}).status_code == 200
    bought = clerk.api("POST", "/api/v1/asset/", json=_body(app, child, "T-ARR-NEWONE", original_value=100))
    assert bought.status_code == 201, bought.get_json()
    assert findings(app, old, "assets.holdings_moved_in") == []
    assert clerk.api("POST", url + "withdraw", json={"comment": "暂不处置"}).status_code == 200
    [finding] = findings(app, old, "assets.holdings_moved_in")
    assert "持有 2 件" in finding.message and "数量上限 1 件" in finding.message


def test_art17_a_move_within_the_cap_opens_nothing(app, login):
    """No finding when the organisation stays within the cap after the transfer."""
    _parent, child = classes(app, child_standards=[("asset_quantity_cap_per_organization", 2, "650000")])
    system_card(app, child)
    moved = system_card(app, child, owner=URUMQI_FINANCE)
    with app.app_context(), acting_as(SYSTEM):
        asset = db.session.get(Asset, moved)
        org = _org(TIANSHAN)
        asset.organization, asset.jurisdiction = org, org.jurisdiction
        db.session.commit()
    assert findings(app, moved, "assets.holdings_moved_in") == []
