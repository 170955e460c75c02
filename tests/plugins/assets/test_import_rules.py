"""The asset rules hold on the Excel import too (Art. 18, Art. 19): row-numbered errors, nothing written.

The import is the catalog's generic one (docs/xlsx.md); these tests show that the rules of the
pool and disposal areas reach it without a line of import code in the module.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from catalog.models import Organization
from core.display import local_today
from core.extensions import db
from core.scoping import acting_as
from plugins.assets.cards.models import Asset
from plugins.assets.disposal.models import Disposal, DisposalLine
from plugins.assets.pool.models import PoolItem, PoolRequest
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.assets.helpers import equipment_class

TIANSHAN = "乌鲁木齐市天山区财政局"


def _org(name):
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def _import(browser, key, headers, rows):
    return browser.post(f"/api/v1/{key}/import", data=upload(xlsx_bytes(headers, rows)),
                        content_type="multipart/form-data")


def _young_asset_and_draft(app) -> tuple[str, int]:
    """A card of 天山区财政局 bought last year (minimum life of 6 years not over) and a draft disposal."""
    with app.app_context():
        org = _org(TIANSHAN)
        with acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")):
            asset = Asset(number=f"T-IMP-{dt.datetime.now():%H%M%S%f}", asset_class=equipment_class(),
                          name="导入测试机", quantity=1, unit="台", original_value=Decimal("3000"),
                          acquired_on=local_today().replace(day=1) - dt.timedelta(days=300),
                          organization=org, jurisdiction=org.jurisdiction, status="in_use")
            draft = Disposal(organization=org, method="scrap", reason="损坏", appraised_value=Decimal("0"))
            db.session.add_all([asset, draft])
            db.session.commit()
        return asset.number, draft.id


def test_art19_early_disposal_without_reason_is_refused_on_import(app, login):
    number, draft = _young_asset_and_draft(app)
    clerk = login("tianshan_clerk")
    headers = ["*处置申请", "*资产", "提前处置理由"]
    response = _import(clerk, "disposal_line", headers, [[draft, number, None]])
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert texts[0].startswith("第 2 行") and "提前处置理由" in texts[0] and "第十九条" in texts[0]
    with app.app_context():
        assert db.session.execute(select(func.count(DisposalLine.id))
                                  .where(DisposalLine.disposal_id == draft)).scalar() == 0
    response = _import(clerk, "disposal_line", headers, [[draft, number, "设备进水损毁，无修复价值"]])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 1


def test_art18_pool_request_from_outside_the_bureaus_jurisdiction_is_refused_on_import(app, login):
    """The region's bureau may see every pool, but 喀什市财政局 may not ask 乌鲁木齐's for an item."""
    with app.app_context():
        urumqi = _org("乌鲁木齐市机关事务管理局")
        item = db.session.execute(select(PoolItem.id).where(
            PoolItem.organization_id == urumqi.id, PoolItem.status == "available").order_by(PoolItem.id)
        ).scalars().first()
        before = db.session.execute(select(func.count(PoolRequest.id))).scalar()
    assert item is not None, "the demo has items in 乌鲁木齐's pool"
    response = _import(login("xj_bureau"), "pool_request", ["*公物仓物品", "*申请单位", "*用途"],
                       [[item, "喀什市财政局", "办公使用"]])
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert texts[0].startswith("第 2 行") and "第十八条" in texts[0], texts
    with app.app_context():
        assert db.session.execute(select(func.count(PoolRequest.id))).scalar() == before
