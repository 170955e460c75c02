"""Shared test data of the assets tests.

Tests of custody, the pool and disposal are about moves, not about the Art. 17 quantity caps
(tests/plugins/assets/test_rules.py and test_plans.py are). Their cards use a class of
their own with a price cap and a minimum life but no quantity cap, so the holdings of the
demo classes (which the plan tests count) stay as the demo made them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Jurisdiction, Standard
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from plugins.assets.cards.models import AssetClass

EQUIPMENT_CODE = "2099000"
EQUIPMENT_NAME = "计算机设备（测试）"
FURNITURE_CODE = "5099000"


def equipment_class() -> AssetClass:
    """The test equipment class (code 2099000, under 设备: one card per piece)."""
    return _test_class(EQUIPMENT_CODE, EQUIPMENT_NAME, "2000000")


def furniture_class() -> AssetClass:
    """The test furniture class (code 5099000, under 家具和用具: one card per batch)."""
    return _test_class(FURNITURE_CODE, "家具（测试）", "5000000")


def _test_class(code: str, name: str, parent_code: str) -> AssetClass:
    """A class with a price cap and a minimum life but no quantity cap, created once per database."""
    found = db.session.execute(select(AssetClass).where(AssetClass.code == code)).scalar_one_or_none()
    if found is not None:
        return found
    with acting_as(SYSTEM):
        parent = db.session.execute(select(AssetClass).where(AssetClass.code == parent_code)).scalar_one()
        cls = AssetClass(code=code, name=name, level=2, parent=parent)
        db.session.add(cls)
        region = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650000")).scalar_one()
        for kind, value, unit in (("asset_price_cap", 6000, "元"), ("asset_min_service_life", 6, "年")):
            db.session.add(Standard(kind=kind, key=code, value=Decimal(value), unit=unit,
                                    jurisdiction=region, effective_from=dt.date(2023, 1, 1),
                                    backdate_reason="测试数据：在用的标准"))
        db.session.commit()
    return cls


TIANSHAN = "乌鲁木齐市天山区财政局"


def new_card(app, status="idle", name="测试计算机", custodian=None) -> int:
    """A fresh card of 天山区财政局 received by the system (as the demo does); a status other than
    in use or idle is seeded by the system too (a stocktake's or a disposal's effect)."""
    from catalog.models import Organization, Person
    from plugins.assets.custody.models import receive

    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == TIANSHAN)).scalar_one()
        person = db.session.get(Person, custodian) if custodian else None
        _receipt, (asset,) = receive(db.session, organization=org, asset_class=equipment_class(), name=name,
                                     quantity=1, unit="台", unit_price=Decimal("4000"),
                                     acquired_on=dt.date(2026, 1, 5), location="库房",
                                     status="in_use" if person else "idle", custodian=person)
        if status not in ("idle", "in_use"):
            asset.status = status
        db.session.commit()
        return asset.id
