"""Fixtures of the vehicles tests: ``fleet`` makes asset cards of the class 车辆, establishments
and vehicles for a test (as the system, before the test's own writes) and voids or removes them
afterwards, so the demo's holdings (天山区财政局 at its 执法执勤用车 establishment) stay as they are.

Each test names its own plates (新B·…) and VINs; cards are numbered ``T-CL-<plate>``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.models import Organization
from catalog.vehicle_categories import vehicle_category_in_force
from core.extensions import db
from core.versioning import utcnow
from plugins.vehicles.fleet.models import Vehicle, VehicleEstablishment

TIANSHAN = "乌鲁木齐市天山区财政局"
TIANSHAN_EDU = "乌鲁木齐市天山区教育局"
KASHGAR = "喀什市财政局"


def vin_for(plate: str) -> str:
    """A well-formed VIN (17, no I/O/Q) derived from the plate's digits."""
    digits = "".join(ch for ch in plate if ch.isdigit())
    return ("LTSTF" + digits.rjust(12, "0"))[:17]


class Fleet:
    def __init__(self, app):
        self.app = app
        self.cards: list[int] = []
        self.establishments: list[int] = []

    def org(self, name: str = TIANSHAN) -> Organization:
        return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()

    def org_id(self, name: str = TIANSHAN) -> int:
        with self.app.app_context():
            return self.org(name).id

    def category_id(self, code: str) -> int:
        with self.app.app_context():
            return vehicle_category_in_force(db.session, code).id

    def card(
        self,
        plate: str,
        org: str = TIANSHAN,
        *,
        value="150000",
        acquired=dt.date(2026, 3, 1),
        method="purchase",
        class_code="2030000",
    ) -> int:
        """An asset card of the class 车辆 (or ``class_code``) in use at ``org``; returns its id."""
        with self.app.app_context():
            card_model = Vehicle.asset.property.mapper.class_
            class_model = card_model.asset_class.property.mapper.class_
            cls = db.session.execute(select(class_model).where(class_model.code == class_code)).scalar_one()
            organization = self.org(org)
            card = card_model(
                number=f"T-CL-{plate}",
                asset_class=cls,
                name="测试车辆",
                quantity=1,
                unit="辆",
                original_value=Decimal(value),
                acquired_on=acquired,
                acquisition_method=method,
                funding_source="fiscal",
                organization=organization,
                jurisdiction=organization.jurisdiction,
                status="in_use",
            )
            db.session.add(card)
            db.session.commit()
            self.cards.append(card.id)
            return card.id

    def establishment(
        self, org: str, category: str, quota: int, *, state="approved", effective_from=dt.date(2026, 1, 1)
    ) -> int:
        with self.app.app_context():
            organization = self.org(org)
            row = VehicleEstablishment(
                organization=organization,
                jurisdiction=organization.jurisdiction,
                category=vehicle_category_in_force(db.session, category),
                quota=quota,
                effective_from=effective_from,
                decision="测试核定",
                state=state,
            )
            db.session.add(row)
            db.session.commit()
            self.establishments.append(row.id)
            return row.id

    def vehicle(self, plate: str, org: str = TIANSHAN, category: str = "special", **extra) -> int:
        """A vehicle on a new card of ``org``, written as the system (the rules still apply)."""
        card_id = self.card(
            plate, org, **{k: extra.pop(k) for k in ("value", "acquired", "method") if k in extra}
        )
        with self.app.app_context():
            values = dict(
                asset_id=card_id,
                plate=plate,
                vin=vin_for(plate),
                brand="测试品牌",
                model_name="测试型号",
                energy_type="petrol",
                displacement=Decimal("1.60"),
                category_id=vehicle_category_in_force(db.session, category).id,
            )
            values.update(extra)
            vehicle = Vehicle(**values)
            db.session.add(vehicle)
            db.session.commit()
            return vehicle.id

    def cleanup(self) -> None:
        with self.app.app_context():
            db.session.rollback()
            card_model = Vehicle.asset.property.mapper.class_
            now = utcnow()
            for vehicle in db.session.execute(
                select(Vehicle).where(Vehicle.asset_id.in_(self.cards))
            ).scalars():
                if vehicle.voided_at is None:
                    vehicle.voided_at, vehicle.voided_by, vehicle.void_reason = now, "测试", "测试数据"
            for card in db.session.execute(select(card_model).where(card_model.id.in_(self.cards))).scalars():
                if card.voided_at is None:
                    card.voided_at, card.voided_by, card.void_reason = now, "测试", "测试数据"
            for row in db.session.execute(
                select(VehicleEstablishment).where(VehicleEstablishment.id.in_(self.establishments))
            ).scalars():
                db.session.delete(row)
            db.session.commit()


@pytest.fixture
def fleet(app):
    made = Fleet(app)
    yield made
    made.cleanup()
