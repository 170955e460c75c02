"""Helpers of the trips tests: each test registers its own vehicle (own plate, own asset card)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select, update

from catalog.holidays import Holiday
from catalog.models import Organization, Person
from catalog.vehicle_categories import vehicle_category_in_force
from core.extensions import db
from core.scoping import acting_as
from plugins.assets.cards.models import Asset, AssetClass
from plugins.vehicles.fleet.models import Vehicle
from plugins.vehicles.trips.models import VehicleEmergencyUse, VehicleTrip
from tests.plugins.vehicles.costs_helpers import CATEGORY as TEST_CATEGORY
from tests.plugins.vehicles.costs_helpers import establishment_room

TIANSHAN = "乌鲁木齐市天山区财政局"
ART29, ART26 = "第二十九条", "第二十六条"
SEALED = "国庆节（2026-10-01至2026-10-07）期间公务用车封存停驶，无应急用车审批不得出车"


def _free_tag() -> str:
    """Eight hex characters whose plate (the first five) no vehicle has yet: a long test session
    registers enough vehicles for five random characters to meet one already taken."""
    while True:
        tag = uuid.uuid4().hex[:8].upper()
        if db.session.execute(select(Vehicle.id).where(Vehicle.plate == f"新A·{tag[:5]}")).first() is None:
            return tag


def make_vehicle(app, *, shared=False, km=10000, org=TIANSHAN, status="in_service") -> int:
    """A vehicle of ``org`` with its own asset card (class 车辆) and a plate of its own."""
    with app.app_context():
        tag = _free_tag()
        organization = db.session.execute(select(Organization).where(Organization.name == org)).scalar_one()
        vehicles_class = db.session.execute(
            select(AssetClass).where(AssetClass.code == "2030000")
        ).scalar_one()
        # the establishment that makes room is seeded approved: as the system, not as a user
        establishment_room(organization)
        with acting_as(app.appbuilder.sm.find_user(username="admin")):
            card = Asset(
                acquisition_method="existing",
                number=f"ZC-TEST-{tag}",
                asset_class=vehicles_class,
                name="测试公务用车",
                quantity=1,
                unit="辆",
                original_value=Decimal("150000"),
                acquired_on=dt.date(2023, 3, 1),
                funding_source="fiscal",
                status="in_use",
                organization=organization,
                jurisdiction=organization.jurisdiction,
            )
            db.session.add(card)
            db.session.flush()
            vehicle = Vehicle(
                asset_id=card.id,
                plate=f"新A·{tag[:5]}",
                vin=f"TEST{tag}00000"[:17],
                brand="红旗",
                model_name="H5",
                domestic=True,
                energy_type="petrol",
                displacement=Decimal("1.80"),
                category=vehicle_category_in_force(db.session, TEST_CATEGORY, dt.date(2026, 1, 1)),
                organization=organization,
                jurisdiction=organization.jurisdiction,
                parking_place="机关大院停车场",
                shared_platform=shared,
                odometer_km=km,
            )
            db.session.add(vehicle)
            db.session.commit()
            if status != "in_service":  # only an operation reaches it: set below the write pipeline
                db.session.execute(update(Vehicle).where(Vehicle.id == vehicle.id).values(status=status))
                db.session.commit()
            return vehicle.id


def people(app, org=TIANSHAN) -> tuple[int, int]:
    with app.app_context():
        ids = (
            db.session.execute(
                select(Person.id).join(Organization).where(Organization.name == org).order_by(Person.id)
            )
            .scalars()
            .all()
        )
        return ids[0], ids[1]


def national_day(app) -> int:
    with app.app_context():
        return db.session.execute(
            select(Holiday.id).where(Holiday.name == "国庆节", Holiday.starts_on == dt.date(2026, 10, 1))
        ).scalar_one()


def trip_body(app, vehicle_id, start="2026-11-16T09:00:00", end="2026-11-16T12:00:00", odometer=10000, **kw):
    requester, driver = people(app)
    return {
        "vehicle_id": vehicle_id,
        "requester_id": requester,
        "driver_id": driver,
        "purpose": "公务检查",
        "destination": "天山区各街道",
        "start_at": start,
        "end_at": end,
        "odometer_start": odometer,
        **kw,
    }


def trips_of(app, vehicle_id) -> list[VehicleTrip]:
    with app.app_context():
        rows = (
            db.session.execute(select(VehicleTrip).where(VehicleTrip.vehicle_id == vehicle_id))
            .scalars()
            .all()
        )
        db.session.expunge_all()
        return rows


def vehicle_km(app, vehicle_id) -> int:
    with app.app_context():
        return db.session.get(Vehicle, vehicle_id).odometer_km


def emergency(
    api_client, login, app, vehicle_id, starts="2026-10-02", ends="2026-10-03", *, approve=True
) -> int:
    """An 应急用车审批 asked by the clerk; the bureau of 天山区 approves it unless ``approve`` is off."""
    clerk = api_client("tianshan_clerk")
    response = clerk.api(
        "POST",
        "/api/v1/vehicle_emergency_use/",
        json={
            "vehicle_id": vehicle_id,
            "holiday_id": national_day(app),
            "starts_on": starts,
            "ends_on": ends,
            "reason": "防汛应急值守",
        },
    )
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    submitted = clerk.api(
        "POST", f"/api/v1/vehicle_emergency_use/{pk}/workflow/submit", json={"comment": "请审批"}
    )
    assert submitted.status_code == 200, submitted.get_json()
    if approve:
        login("tianshan_bureau").post(
            f"/vehicleemergencyuseview/workflow/{pk}/approve", data={"comment": "同意"}, follow_redirects=True
        )
        with app.app_context():
            assert db.session.get(VehicleEmergencyUse, pk).state == "approved"
    return pk
