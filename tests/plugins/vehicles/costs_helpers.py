"""Helpers of the costs tests: each test makes its own vehicle (its own plate) through the models,
as the fleet's screens are built beside this area."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import time
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Organization
from catalog.vehicle_categories import vehicle_category_in_force
from core.extensions import db
from plugins.assets.cards.models import Asset, AssetClass
from plugins.vehicles.costs.models import VehicleCost
from plugins.vehicles.fleet.models import Vehicle, VehicleEstablishment
from tests.catalog.xlsx_helpers import upload, xlsx_bytes

TIANSHAN = "乌鲁木齐市天山区财政局"
CLERK = "tianshan_clerk"
PATHS = ("form", "rest", "import")
ART = "第二十九条"
DESIGNATED_SHOP = "天山区汽车综合维修厂"
DESIGNATED_INSURER = "中国人民财产保险股份有限公司乌鲁木齐市分公司"
_serial = itertools.count()


def unique() -> int:
    return int(time.time() * 1000) % 10**6 * 100 + next(_serial) % 100


#: the costs and trips tests' vehicles are 应急保障用车 within an establishment of their own (Art. 27),
#: so they never take a place the fleet tests or the demo count on
CATEGORY = "emergency"
DECISION = "测试核定（运行费用测试车辆）"


def establishment_room(organization) -> None:
    category = vehicle_category_in_force(db.session, CATEGORY, dt.date(2026, 1, 1))
    found = db.session.execute(select(VehicleEstablishment.id).filter_by(
        organization_id=organization.id, category_id=category.id, decision=DECISION)).first()
    if found is None:
        db.session.add(VehicleEstablishment(
            organization=organization, jurisdiction=organization.jurisdiction, category=category,
            quota=100000, effective_from=dt.date(2000, 1, 1), decision=DECISION, state="approved"))
        db.session.flush()


def make_vehicle(app, org=TIANSHAN) -> tuple[int, str]:
    """A card (class 车辆) and its vehicle with a plate no other test uses: (id, plate)."""
    n = unique()
    plate = f"新A·T{n % 10000:04d}"
    with app.app_context():
        organization = db.session.execute(select(Organization).where(Organization.name == org)).scalar_one()
        klass = db.session.execute(select(AssetClass).where(AssetClass.code == "2030000")).scalar_one()
        card = Asset(number=f"CL-TEST-{n}", class_id=klass.id, name="公务用车", quantity=1, unit="辆",
                     original_value=Decimal("150000"), acquired_on=dt.date(2024, 1, 10),
                     organization=organization,
                     jurisdiction=organization.jurisdiction)
        db.session.add(card)
        establishment_room(organization)
        db.session.flush()
        vehicle = Vehicle(asset_id=card.id, plate=plate, vin=f"LTEST{n:012d}"[:17], brand="红旗",
                          model_name="H5", displacement=Decimal("1.60"),
                          category=vehicle_category_in_force(db.session, CATEGORY, dt.date(2026, 1, 1)),
                          organization=organization, jurisdiction=organization.jurisdiction)
        db.session.add(vehicle)
        db.session.commit()
        return vehicle.id, plate


def costs_of(app, vehicle_id) -> list[VehicleCost]:
    with app.app_context():
        rows = list(db.session.execute(select(VehicleCost).where(VehicleCost.vehicle_id == vehicle_id)
                                       .order_by(VehicleCost.id)).scalars())
        db.session.expunge_all()
        return rows


KIND_LABELS = {"fuel": "加油", "repair": "维修", "maintenance": "保养", "insurance": "保险",
               "parking": "停车"}
HEADERS = ["*车辆", "*费用类别", "*发生日期", "*金额（元）", "收款单位", "里程表读数（公里）", "说明"]


def write_cost(app, login, rest, path, vehicle, plate, *, kind="repair", supplier=DESIGNATED_SHOP,
               amount="800.00", day="2026-11-10", odometer=None) -> VehicleCost:
    """One cost written by 天山区财政局's clerk on ``path``; the new record."""
    before = {c.id for c in costs_of(app, vehicle)}
    if path == "form":
        data = {"vehicle": vehicle, "kind": kind, "spent_on": day, "amount": amount, "supplier": supplier,
                "odometer_km": "" if odometer is None else str(odometer), "note": "测试"}
        login(CLERK).post("/vehiclecostview/add", data=data)
    elif path == "rest":
        body = {"vehicle_id": vehicle, "kind": kind, "spent_on": day, "amount": amount, "supplier": supplier,
                "odometer_km": odometer, "note": "测试"}
        response = rest(CLERK, "jwt").api("POST", "/api/v1/vehicle_cost/", json=body)
        assert response.status_code == 201, response.get_json()
    else:
        row = [plate, KIND_LABELS[kind], day, float(amount), supplier, odometer, "测试"]
        response = login(CLERK).post("/api/v1/vehicle_cost/import", data=upload(xlsx_bytes(HEADERS, [row])),
                                     content_type="multipart/form-data")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["created"] == 1
    made = [c for c in costs_of(app, vehicle) if c.id not in before]
    assert len(made) == 1, made
    return made[0]


def a_pdf(text="发票") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def attach_invoice(client, pk):
    return client.api("POST", f"/api/v1/attachments/vehicle_cost/{pk}/",
                      data={"kind": "invoice", "files": [(io.BytesIO(a_pdf()), "发票.pdf")]},
                      content_type="multipart/form-data")
