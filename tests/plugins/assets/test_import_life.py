"""The minimum service life of imported cards (Art. 17): each card's end follows the standard in
force on its own acquisition day, though an import keeps the class standards it has looked up
(``class_standard`` in the bulk write's memo, docs/performance.md "The import, third pass")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Jurisdiction, Standard
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from plugins.assets.cards.models import Asset, AssetClass
from tests.catalog.xlsx_helpers import ASSET_HEADERS, asset_row, remove_imported_assets, upload, xlsx_bytes
from tests.plugins.assets.test_rules import fresh_class


def test_imported_cards_end_their_life_by_the_standard_of_their_own_acquisition_day(app, login):
    cls = fresh_class(app, life=6, name="寿命导入设备")  # 6 years from 2023-01-01 (the region)
    with app.app_context(), acting_as(SYSTEM):
        code = db.session.get(AssetClass, cls).code
        old = db.session.execute(select(Standard).where(Standard.key == code)).scalar_one()
        old.effective_to = dt.date(2024, 12, 31)
        region = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650000")).scalar_one()
        db.session.add(Standard(kind="asset_min_service_life", key=code, value=Decimal(8), unit="",
                                jurisdiction=region, effective_from=dt.date(2025, 1, 1),
                                backdate_reason="测试数据：调整后的使用年限"))
        db.session.commit()
    acquired = {"T-LIFE-1": dt.date(2023, 6, 1), "T-LIFE-2": dt.date(2025, 6, 1),
                "T-LIFE-3": dt.date(2023, 6, 1), "T-LIFE-4": dt.date(2025, 6, 1),
                "T-LIFE-5": dt.date(2022, 1, 1)}  # before any standard: today's (8 years)
    rows = [asset_row(number, cls=code, acquired=day) for number, day in acquired.items()]
    try:
        response = login("tianshan_clerk").post("/api/v1/asset/import", content_type="multipart/form-data",
                                                data=upload(xlsx_bytes(ASSET_HEADERS, rows)))
        assert response.status_code == 200 and response.get_json()["created"] == 5, response.get_json()
        with app.app_context():
            ends = dict(db.session.execute(select(Asset.number, Asset.min_life_ends_on)
                                           .where(Asset.number.like("T-LIFE-%"))).all())
        assert ends == {"T-LIFE-1": dt.date(2029, 6, 1), "T-LIFE-2": dt.date(2033, 6, 1),
                        "T-LIFE-3": dt.date(2029, 6, 1), "T-LIFE-4": dt.date(2033, 6, 1),
                        "T-LIFE-5": dt.date(2030, 1, 1)}
    finally:
        remove_imported_assets(app, "T-LIFE-")
