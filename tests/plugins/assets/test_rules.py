"""Asset-card rules on every write path: form, API and a direct write (CLI/import), Art. 14, 17, 18.

Each test that counts holdings works on a class of its own (``fresh_class``), with its
own configuration standards, so the tests do not depend on each other's cards.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.models import Jurisdiction, Organization, Standard
from core.errors import WriteRefused
from core.extensions import db
from core.models import Finding
from core.scoping import SYSTEM, acting_as
from core.workflow.approval import transition
from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.plans.models import AssetPlan, AssetPlanLine

ORG_NAME = "乌鲁木齐市天山区财政局"  # tianshan_clerk's organisation: 2 people in the demo
_codes = itertools.count(1)


def _ids(app):
    with app.app_context():
        one = db.session.execute
        return {
            "jur": one(select(Jurisdiction.id).where(Jurisdiction.code == "650102")).scalar_one(),
            "urumqi": one(select(Jurisdiction.id).where(Jurisdiction.code == "650100")).scalar_one(),
            "org": one(select(Organization.id).where(Organization.name == ORG_NAME)).scalar_one(),
            "computers": one(select(AssetClass.id).where(AssetClass.code == "2010000")).scalar_one(),
            "furniture": one(select(AssetClass.id).where(AssetClass.code == "5010000")).scalar_one(),
        }


def fresh_class(app, *, price=None, per_person=None, per_org=None, life=6, name="测试设备") -> int:
    """A class of its own (no cards yet) with region-level standards; returns its id."""
    with app.app_context(), acting_as(SYSTEM):
        code = f"29{next(_codes):05d}"
        cls = AssetClass(code=code, name=f"{name}{code}", level=2)
        db.session.add(cls)
        region = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650000")).scalar_one()
        for kind, value in (("asset_price_cap", price), ("asset_quantity_cap_per_person", per_person),
                            ("asset_quantity_cap_per_organization", per_org),
                            ("asset_min_service_life", life)):
            if value is not None:
                db.session.add(Standard(kind=kind, key=code, value=Decimal(value), unit="",
                                        jurisdiction=region, effective_from=dt.date(2023, 1, 1),
                                        backdate_reason="测试数据：在用的标准"))
        db.session.commit()
        return cls.id


def approved_line(app, class_id, *, quantity=3, price="5000", exception=True, state="approved") -> int:
    """A plan line of 天山区财政局 for ``class_id``, its plan taken to ``state`` by the system."""
    with app.app_context(), acting_as(SYSTEM):
        org = db.session.execute(select(Organization).where(Organization.name == ORG_NAME)).scalar_one()
        plan = AssetPlan(organization=org, year=2026, title=f"测试计划{class_id}-{state}")
        line = AssetPlanLine(class_id=class_id, name="测试明细", quantity=quantity, unit="台",
                             unit_price=Decimal(price), organization=org, exception_requested=exception,
                             exception_reason="新增人员" if exception else None)
        plan.lines.append(line)
        db.session.add(plan)
        db.session.flush()
        steps = {"draft": [], "reviewed": ["submit", "approve"], "approved": ["submit", "approve", "approve"]}
        for action in steps[state]:
            transition(plan, action, view_name="AssetPlanView")
        db.session.commit()
        return line.id


def _count(app, number):
    with app.app_context():
        return db.session.execute(select(func.count()).where(Asset.number == number)).scalar()


def _form(ids, number, **extra):
    data = {"number": number, "asset_class": ids["computers"], "name": "台式计算机",
            "specification": "i5/16G", "quantity": "1", "unit": "台", "original_value": "5000",
            "acquired_on": "2026-03-01", "funding_source": "fiscal", "location": "301 室",
            "custodian": "", "organization": ids["org"], "jurisdiction": ids["jur"],
            "status": "in_use", "plan_line": "", "note": ""}
    data.update(extra)
    return data


def _api_body(ids, number, **extra):
    body = {"number": number, "class_id": ids["computers"], "name": "便携式计算机", "quantity": 1,
            "unit": "台", "original_value": 5500, "acquired_on": "2026-03-01",
            "funding_source": "fiscal", "organization_id": ids["org"], "jurisdiction_id": ids["jur"],
            "status": "in_use"}
    body.update(extra)
    return body


def _direct(app, ids, number, **extra):
    values = dict(number=number, class_id=ids["computers"], name="工作站", quantity=1, unit="台",
                  original_value=Decimal(5000), acquired_on=dt.date(2026, 1, 5), organization_id=ids["org"],
                  jurisdiction_id=ids["jur"])
    values.update(extra)
    with app.app_context():
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        try:
            with acting_as(clerk):
                db.session.add(Asset(**values))
                db.session.commit()
        finally:
            db.session.rollback()


@pytest.fixture
def ids(app):
    return _ids(app)


# Art. 17 — the unit price stays within the price cap in force for the class: block on every path.

def test_art17_price_cap_blocks_on_form(app, login, ids):
    clerk = login("tianshan_clerk")
    html = clerk.post("/assetview/add", data=_form(ids, "T-FORM-OVER", original_value="6500"),
                      follow_redirects=True).get_data(as_text=True)
    assert "超过“计算机设备”现行配置标准的单价上限 6,000.00 元" in html and "第十七条" in html
    assert _count(app, "T-FORM-OVER") == 0


def test_art17_within_cap_is_saved_on_form(app, login, ids):
    cls = fresh_class(app, price=6000)
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-FORM-OK", asset_class=cls), follow_redirects=True)
    assert _count(app, "T-FORM-OK") == 1
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.number == "T-FORM-OK")).scalar_one()
        # the minimum service life (6 years for the class) is computed on save
        assert asset.min_life_ends_on == dt.date(2032, 3, 1)


def test_art17_price_cap_blocks_on_api(app, login, ids):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(ids, "T-API-OVER", original_value=12000))
    assert response.status_code == 422
    assert "单价上限 6,000.00 元" in response.get_json()["message"]
    assert _count(app, "T-API-OVER") == 0


def test_art17_unit_price_is_value_over_quantity(app, login, ids):
    """Ten chairs at 600 元 each are within a 3,000 元 cap although the card totals 6,000."""
    cls = fresh_class(app, price=3000, name="椅凳")
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-API-CHAIRS", class_id=cls, name="办公椅", quantity=10, unit="把", original_value=6000))
    assert response.status_code == 201, response.get_json()
    assert _count(app, "T-API-CHAIRS") == 1


def test_art17_price_cap_blocks_on_direct_write(app, ids):
    """What a CLI command or an import does: a plain session write, acting as a user."""
    with pytest.raises(WriteRefused, match="单价上限"):
        _direct(app, ids, "T-DIRECT-OVER", quantity=2, original_value=Decimal(20000))
    assert _count(app, "T-DIRECT-OVER") == 0

def test_art17_caps_apply_to_purchases_only(app, login, ids):
    """Art. 17 configuration standards govern purchases: a donated card above the cap is recorded."""
    cls = fresh_class(app, price=6000, per_person=1, name="受赠设备")  # own class: holdings stay apart
    ids = {**ids, "computers": cls}
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-API-DONATED", original_value=12000, acquisition_method="donation"))
    assert response.status_code == 201, response.get_json()
    html = clerk.post("/assetview/add", data=_form(ids, "T-FORM-DONATED-OVER", original_value="6500",
                                                   asset_class=cls, acquisition_method="purchase"),
                      follow_redirects=True).get_data(as_text=True)
    assert "单价上限" in html and _count(app, "T-FORM-DONATED-OVER") == 0
    clerk.post("/assetview/add", data=_form(ids, "T-FORM-DONATED", original_value="6500", asset_class=cls,
                                            acquisition_method="donation"), follow_redirects=True)
    _direct(app, ids, "T-DIRECT-SURPLUS", original_value=Decimal(20000), acquisition_method="surplus")
    assert (_count(app, "T-API-DONATED"), _count(app, "T-FORM-DONATED"), _count(app, "T-DIRECT-SURPLUS")) \
        == (1, 1, 1)
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(ids, "T-API-BADMETHOD",
                                                                  acquisition_method="stolen"))
    assert response.status_code == 422 and "未知的取得方式" in str(response.get_json())


def test_art17_price_cap_blocks_on_form_edit(app, login, ids):
    cls = fresh_class(app, price=6000)
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-FORM-EDIT", asset_class=cls))
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.number == "T-FORM-EDIT")).scalar_one()
        pk, version = asset.id, asset.version
    html = clerk.post(f"/assetview/edit/{pk}",
                      data=_form(ids, "T-FORM-EDIT", asset_class=cls, original_value="9000",
                                 lock_version=version),
                      follow_redirects=True).get_data(as_text=True)
    assert "单价上限" in html
    with app.app_context():
        assert db.session.get(Asset, pk).original_value == 5000


# Art. 17 — holdings of the class within the quantity caps (per person × headcount, per organisation).

def test_art17_quantity_cap_per_person_blocks_on_form(app, login, ids):
    """1 per person × 2 people in 天山区财政局: two fit, a third is refused."""
    cls = fresh_class(app, per_person=1)
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-QTY-F1", asset_class=cls, quantity="2",
                                             original_value="8000"))
    assert _count(app, "T-QTY-F1") == 1
    html = clerk.post("/assetview/add", data=_form(ids, "T-QTY-F2", asset_class=cls),
                      follow_redirects=True).get_data(as_text=True)
    assert "现有 2 件，再增加 1 件将超过现行配置标准的数量上限 2 件" in html and "第十七条" in html
    assert _count(app, "T-QTY-F2") == 0


def test_art17_quantity_cap_per_person_blocks_on_api(app, login, ids):
    cls = fresh_class(app, per_person=1)
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(ids, "T-QTY-A", class_id=cls, quantity=3,
                                                                  original_value=9000))
    assert response.status_code == 422
    assert "数量上限 2 件" in response.get_json()["message"]
    assert _count(app, "T-QTY-A") == 0


def test_art17_quantity_cap_counts_holdings_not_disposed(app, ids):
    """A disposed card no longer counts in the holdings; the cap blocks a direct write too."""
    cls = fresh_class(app, per_person=1)
    with app.app_context():  # a card disposed of earlier: a disposal's approval, seeded by the system
        db.session.add(Asset(number="T-QTY-D1", class_id=cls, name="工作站", quantity=2, unit="台",
                             original_value=Decimal(5000), acquired_on=dt.date(2026, 1, 5),
                             organization_id=ids["org"], jurisdiction_id=ids["jur"], status="disposed"))
        db.session.commit()
    _direct(app, ids, "T-QTY-D2", class_id=cls, quantity=2)
    with pytest.raises(WriteRefused, match="数量上限"):
        _direct(app, ids, "T-QTY-D3", class_id=cls, quantity=1)
    assert (_count(app, "T-QTY-D2"), _count(app, "T-QTY-D3")) == (1, 0)


def test_art17_quantity_cap_counts_every_card_of_one_receipt(app, login, ids):
    """Art. 17: three computers received at once are three pieces, though each card holds one."""
    cls = fresh_class(app, per_person=1, name="批量设备")  # 1 × 2 people: two fit, not three
    with app.app_context():
        cls_code = db.session.get(AssetClass, cls).code
    body = {"class_id": cls, "name": "台式计算机", "quantity": 3, "unit_price": 4000,
            "acquired_on": "2026-10-01", "organization_id": ids["org"]}
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset_custody/receive", json=body)
    assert response.status_code == 422, response.get_json()
    assert "数量上限 2 件" in response.get_json()["message"]
    with app.app_context():
        assert db.session.execute(select(func.count(Asset.id)).join(AssetClass)
                                  .where(AssetClass.code == cls_code)).scalar() == 0
    assert clerk.api("POST", "/api/v1/asset_custody/receive", json={**body, "quantity": 2}).status_code == 201


def test_art17_quantity_cap_per_organisation(app, login, ids):
    cls = fresh_class(app, per_org=1)
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(ids, "T-ORG-A", class_id=cls, quantity=2,
                                                                  original_value=2000))
    assert response.status_code == 422 and "数量上限 1 件" in response.get_json()["message"]
    assert clerk.api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-ORG-B", class_id=cls, original_value=1000)).status_code == 201


def test_art17_quantity_cap_on_edit_of_quantity(app, login, ids):
    cls = fresh_class(app, per_person=1)
    clerk = login("tianshan_clerk")
    pk = clerk.api("POST", "/api/v1/asset/", json=_api_body(ids, "T-QTY-E", class_id=cls,
                                                             original_value=1000)).get_json()["id"]
    with app.app_context():
        version = db.session.get(Asset, pk).version
    response = clerk.api("PUT", f"/api/v1/asset/{pk}", json={"quantity": 5, "original_value": 5000,
                                                              "version": version})
    assert response.status_code == 422 and "数量上限" in response.get_json()["message"]
    with app.app_context():
        assert db.session.get(Asset, pk).quantity == 1


# Art. 14 — above a cap only under an approved plan line approved as an exception.

def test_art14_exception_line_allows_card_above_quantity_cap_on_api(app, login, ids):
    cls = fresh_class(app, per_person=1)
    line = approved_line(app, cls, quantity=3)
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-EXC-API", class_id=cls, quantity=3, original_value=15000, plan_line_id=line))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["result"]["plan_line_id"] == line
    # the line's approved quantity is used up: a further card under it is refused
    again = clerk.api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-EXC-API2", class_id=cls, quantity=1, original_value=5000, plan_line_id=line))
    assert again.status_code == 422 and "已按批准数量配置完毕" in again.get_json()["message"]


def test_art14_exception_line_allows_card_above_price_cap_on_form(app, login, ids):
    cls = fresh_class(app, price=6000)
    line = approved_line(app, cls, quantity=1, price="8000")
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-EXC-FORM", asset_class=cls, original_value="7800",
                                             plan_line=line), follow_redirects=True)
    assert _count(app, "T-EXC-FORM") == 1
    # above the line's approved unit price the exception does not cover it
    cls2 = fresh_class(app, price=6000)
    line2 = approved_line(app, cls2, quantity=1, price="7000")
    html = clerk.post("/assetview/add", data=_form(ids, "T-EXC-FORM2", asset_class=cls2,
                                                    original_value="7800", plan_line=line2),
                      follow_redirects=True).get_data(as_text=True)
    assert "单价上限" in html and _count(app, "T-EXC-FORM2") == 0


def test_art14_exception_needs_the_plan_approved_on_direct_write(app, ids):
    cls = fresh_class(app, per_person=1)
    reviewed = approved_line(app, cls, quantity=3, state="reviewed")  # the finance has not decided
    with pytest.raises(WriteRefused, match="未经批准"):
        _direct(app, ids, "T-EXC-DIRECT", class_id=cls, quantity=3, plan_line_id=reviewed)
    plain = approved_line(app, cls, quantity=2, exception=False)  # approved within the cap, no exception
    _direct(app, ids, "T-EXC-HELD", class_id=cls, quantity=1)
    with pytest.raises(WriteRefused, match="数量上限"):  # 1 held + 2 > 2: the plain line does not cover it
        _direct(app, ids, "T-EXC-DIRECT", class_id=cls, quantity=2, plan_line_id=plain)
    good = approved_line(app, cls, quantity=3)
    _direct(app, ids, "T-EXC-DIRECT", class_id=cls, quantity=3, plan_line_id=good)
    assert _count(app, "T-EXC-DIRECT") == 1


def test_art17_plan_line_of_another_class_is_refused_on_api(app, login, ids):
    cls, other = fresh_class(app), fresh_class(app)
    line = approved_line(app, other)
    response = login("tianshan_clerk").api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-LINE-CLASS", class_id=cls, original_value=1000, plan_line_id=line))
    assert response.status_code == 422 and "不属于本单位或本资产分类" in response.get_json()["message"]


# Art. 18 — true accounts: a card's jurisdiction is its organisation's.

def test_art18_jurisdiction_must_be_the_organisations_on_api(app, login, ids):
    bureau = login("urumqi_bureau")  # may write both 650100 and 650102: the rule, not the scope, refuses
    response = bureau.api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-JUR-API", class_id=fresh_class(app), original_value=1000, jurisdiction_id=ids["urumqi"]))
    assert response.status_code == 422
    assert "必须与使用单位“乌鲁木齐市天山区财政局”所在辖区" in response.get_json()["message"]
    assert _count(app, "T-JUR-API") == 0


def test_art18_jurisdiction_must_be_the_organisations_on_form(app, login, ids):
    html = login("urumqi_bureau").post("/assetview/add", data=_form(
        ids, "T-JUR-FORM", asset_class=fresh_class(app), jurisdiction=ids["urumqi"]),
        follow_redirects=True).get_data(as_text=True)
    assert "所在辖区" in html and "第十八条" in html
    assert _count(app, "T-JUR-FORM") == 0


def test_art18_jurisdiction_must_be_the_organisations_on_direct_write(app, ids):
    with app.app_context():
        bureau = app.appbuilder.sm.find_user(username="urumqi_bureau")
        with acting_as(bureau), pytest.raises(WriteRefused, match="所在辖区"):
            db.session.add(Asset(number="T-JUR-DIRECT", class_id=fresh_class(app), name="台式计算机",
                                 quantity=1, unit="台", original_value=1000, acquired_on=dt.date(2026, 1, 5),
                                 organization_id=ids["org"], jurisdiction_id=ids["urumqi"]))
            db.session.flush()
        db.session.rollback()
    assert _count(app, "T-JUR-DIRECT") == 0


# Art. 18 — an idle asset belongs in the shared pool (公物仓): a flag opens a finding, fixing closes it.

def _findings(app, pk, status="open"):
    with app.app_context():
        return db.session.execute(
            select(Finding).where(Finding.entity == "asset", Finding.entity_id == str(pk),
                                  Finding.rule_key == "assets.idle_to_pool", Finding.status == status)
        ).scalars().all()


def test_art18_idle_flag_opens_and_closes_a_finding(app, login, ids):
    clerk = login("tianshan_clerk")
    body = _api_body(ids, "T-API-IDLE", class_id=fresh_class(app), status="idle")
    response = clerk.api("POST", "/api/v1/asset/", json=body)
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    found = _findings(app, pk)
    assert len(found) == 1 and found[0].article == 18 and "公物仓" in found[0].message
    assert "T-API-IDLE" not in login("kashgar_clerk").text("/assetview/list/")
    assert "公物仓" in login("urumqi_bureau").text("/findingview/list/")
    with app.app_context():
        version = db.session.get(Asset, pk).version
    # back in use (变更使用状态, an operation): the finding closes
    response = clerk.api("POST", f"/api/v1/asset/{pk}/set_status",
                         json={"status": "in_use", "version": version})
    assert response.status_code == 200, response.get_json()
    assert _findings(app, pk) == [] and len(_findings(app, pk, "resolved")) == 1


def test_art18_idle_flag_on_form_does_not_block(app, login, ids):
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-FORM-IDLE", asset_class=fresh_class(app), status="idle"),
               follow_redirects=True)
    assert _count(app, "T-FORM-IDLE") == 1
    with app.app_context():
        pk = db.session.execute(select(Asset.id).where(Asset.number == "T-FORM-IDLE")).scalar_one()
    assert len(_findings(app, pk)) == 1


def test_art18_idle_flag_on_direct_write_does_not_block(app, ids):
    _direct(app, ids, "T-DIRECT-IDLE", class_id=fresh_class(app), original_value=Decimal(4000),
            acquired_on=dt.date(2024, 6, 1), status="idle")
    with app.app_context():
        pk = db.session.execute(select(Asset.id).where(Asset.number == "T-DIRECT-IDLE")).scalar_one()
    assert len(_findings(app, pk)) == 1


def test_demo_cards_keep_to_every_card_rule(ctx):
    """The demo's cards pass the quantity caps and sit in their organisations' jurisdictions."""
    assets = db.session.execute(select(Asset)).scalars().all()
    assert all(a.jurisdiction_id == a.organization.jurisdiction_id for a in assets)
