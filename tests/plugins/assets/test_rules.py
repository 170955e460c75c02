"""Asset rules on every write path: form, API and a direct write (CLI/import), Art. 17-18."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from catalog.models import Jurisdiction, Organization
from core.errors import WriteRefused
from core.extensions import db
from core.models import Finding
from core.scoping import acting_as
from plugins.assets.models import Asset, AssetClass


def _ids(app):
    with app.app_context():
        one = db.session.execute
        return {
            "jur": one(select(Jurisdiction.id).where(Jurisdiction.code == "650102")).scalar_one(),
            "org": one(select(Organization.id)
                       .where(Organization.name == "乌鲁木齐市天山区财政局")).scalar_one(),
            "computers": one(select(AssetClass.id).where(AssetClass.code == "2010000")).scalar_one(),
            "furniture": one(select(AssetClass.id).where(AssetClass.code == "5010000")).scalar_one(),
        }


def _count(app, number):
    with app.app_context():
        return db.session.execute(select(func.count()).where(Asset.number == number)).scalar()


def _form(ids, number, **extra):
    data = {"number": number, "asset_class": ids["computers"], "name": "台式计算机",
            "specification": "i5/16G", "quantity": "1", "unit": "台", "original_value": "5000",
            "acquired_on": "2026-03-01", "funding_source": "fiscal", "location": "301 室",
            "custodian": "", "organization": ids["org"], "jurisdiction": ids["jur"],
            "status": "in_use", "note": ""}
    data.update(extra)
    return data


def _api_body(ids, number, **extra):
    body = {"number": number, "class_id": ids["computers"], "name": "便携式计算机", "quantity": 1,
            "unit": "台", "original_value": 5500, "acquired_on": "2026-03-01",
            "funding_source": "fiscal", "organization_id": ids["org"], "jurisdiction_id": ids["jur"],
            "status": "in_use"}
    body.update(extra)
    return body


@pytest.fixture
def ids(app):
    return _ids(app)


# Art. 17 — the unit price stays within the price cap in force for the class: block on every path.

def test_art17_price_cap_blocks_on_form(app, login, ids):
    clerk = login("tianshan_clerk")
    html = clerk.post("/assetview/add", data=_form(ids, "T-FORM-OVER", original_value="6500"),
                      follow_redirects=True).get_data(as_text=True)
    assert "超过“计算机设备”现行配置标准的单价上限 6,000.00 元" in html and "第 17 条" in html
    assert _count(app, "T-FORM-OVER") == 0


def test_art17_within_cap_is_saved_on_form(app, login, ids):
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-FORM-OK"), follow_redirects=True)
    assert _count(app, "T-FORM-OK") == 1
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.number == "T-FORM-OK")).scalar_one()
        # the minimum service life (6 years for computers) is computed on save
        assert asset.min_life_ends_on == dt.date(2032, 3, 1)


def test_art17_price_cap_blocks_on_api(app, login, ids):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(ids, "T-API-OVER", original_value=12000))
    assert response.status_code == 422
    assert "单价上限 6,000.00 元" in response.get_json()["message"]
    assert _count(app, "T-API-OVER") == 0


def test_art17_unit_price_is_value_over_quantity(app, login, ids):
    """Ten chairs at 600 元 each are within a 3,000 元 furniture cap although the card totals 6,000."""
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(
        ids, "T-API-CHAIRS", class_id=ids["furniture"], name="办公椅", quantity=10, unit="把",
        original_value=6000))
    assert response.status_code == 201, response.get_json()
    assert _count(app, "T-API-CHAIRS") == 1


def test_art17_price_cap_blocks_on_direct_write(app, ids):
    """What a CLI command or an import does: a plain session write, acting as a user."""
    with app.app_context():
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk), pytest.raises(WriteRefused, match="单价上限"):
            db.session.add(Asset(number="T-DIRECT-OVER", class_id=ids["computers"], name="工作站",
                                 quantity=2, unit="台", original_value=20000,
                                 acquired_on=dt.date(2026, 1, 5), organization_id=ids["org"],
                                 jurisdiction_id=ids["jur"]))
            db.session.flush()
        db.session.rollback()
    assert _count(app, "T-DIRECT-OVER") == 0


def test_art17_price_cap_blocks_on_form_edit(app, login, ids):
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-FORM-EDIT"))
    with app.app_context():
        asset = db.session.execute(select(Asset).where(Asset.number == "T-FORM-EDIT")).scalar_one()
        pk, version = asset.id, asset.version
    html = clerk.post(f"/assetview/edit/{pk}",
                      data=_form(ids, "T-FORM-EDIT", original_value="9000", lock_version=version),
                      follow_redirects=True).get_data(as_text=True)
    assert "单价上限" in html
    with app.app_context():
        assert db.session.get(Asset, pk).original_value == 5000


# Art. 18 — an idle asset belongs in the shared pool (公物仓): a flag opens a finding, fixing closes it.

def _findings(app, pk, status="open"):
    with app.app_context():
        return db.session.execute(
            select(Finding).where(Finding.entity == "asset", Finding.entity_id == str(pk),
                                  Finding.rule_key == "assets.idle_to_pool", Finding.status == status)
        ).scalars().all()


def test_art18_idle_flag_opens_and_closes_a_finding(app, login, ids):
    clerk = login("tianshan_clerk")
    response = clerk.api("POST", "/api/v1/asset/", json=_api_body(ids, "T-API-IDLE", status="idle"))
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    found = _findings(app, pk)
    assert len(found) == 1 and found[0].article == 18 and "公物仓" in found[0].message
    assert "T-API-IDLE" not in login("kashgar_clerk").text("/assetview/list/")
    assert "公物仓" in login("urumqi_bureau").text("/findingview/list/")
    with app.app_context():
        version = db.session.get(Asset, pk).version
    response = clerk.api("PUT", f"/api/v1/asset/{pk}", json={"status": "in_use", "version": version})
    assert response.status_code == 200, response.get_json()
    assert _findings(app, pk) == [] and len(_findings(app, pk, "resolved")) == 1


def test_art18_idle_flag_on_form_does_not_block(app, login, ids):
    clerk = login("tianshan_clerk")
    clerk.post("/assetview/add", data=_form(ids, "T-FORM-IDLE", status="idle"), follow_redirects=True)
    assert _count(app, "T-FORM-IDLE") == 1
    with app.app_context():
        pk = db.session.execute(select(Asset.id).where(Asset.number == "T-FORM-IDLE")).scalar_one()
    assert len(_findings(app, pk)) == 1


def test_art18_idle_flag_on_direct_write_does_not_block(app, ids):
    with app.app_context():
        with acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")):
            db.session.add(Asset(number="T-DIRECT-IDLE", class_id=ids["computers"], name="台式计算机",
                                 quantity=1, unit="台", original_value=4000,
                                 acquired_on=dt.date(2024, 6, 1), organization_id=ids["org"],
                                 jurisdiction_id=ids["jur"], status="idle"))
            db.session.commit()
            pk = db.session.execute(select(Asset.id).where(Asset.number == "T-DIRECT-IDLE")).scalar_one()
    assert len(_findings(app, pk)) == 1
