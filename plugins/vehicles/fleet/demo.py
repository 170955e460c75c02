"""The fleet in the demo: establishments, vehicles with their asset cards, one establishment
awaiting the bureau and one disposal under way (Art. 26-30).

天山区财政局 holds exactly its 执法执勤用车 establishment (2 of 2), so the walk shows that an
organisation at its establishment cannot add a vehicle. The cards are written here through the
reference model (the card model behind ``Vehicle.asset``), never importing the assets module.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.vehicle_categories import vehicle_category_in_force
from plugins.vehicles.fleet.checks import VEHICLE_CLASS
from plugins.vehicles.fleet.models import Vehicle, VehicleDisposal, VehicleEstablishment

#: (organisation, category, quota, state, decision)
ESTABLISHMENTS = [
    ("tianshan_finance", "enforcement", 2, "approved", "天财发〔2025〕演示 1 号"),
    ("tianshan_finance", "other", 1, "approved", "天机事〔2025〕演示 2 号"),
    ("urumqi_bureau", "emergency", 3, "approved", "乌机事〔2025〕演示 3 号"),
    ("kashgar_finance", "enforcement", 2, "approved", "喀财发〔2025〕演示 4 号"),
    # 财政部门已核定，待机关事务管理部门备案
    ("tianshan_office", "enforcement", 2, "reviewed", "天财发〔2026〕演示 5 号"),
]

SHARED_PLATE = "新A·D26003"

#: (organisation, category, plate, vin, brand, model, energy, displacement, price, acquired on, parking)
VEHICLES = [
    (
        "tianshan_finance",
        "enforcement",
        "新A·J2601",
        "LFV2A21K8P3026001",
        "红旗",
        "H5",
        "petrol",
        "1.80",
        "179800",
        dt.date(2023, 5, 8),
        "天山区财政局院内停车场",
    ),
    (
        "tianshan_finance",
        "enforcement",
        "新A·J2602",
        "LFV2A21K8P3026002",
        "大众",
        "帕萨特",
        "petrol",
        "2.00",
        "186500",
        dt.date(2022, 9, 20),
        "天山区财政局院内停车场",
    ),
    (
        "tianshan_finance",
        "other",
        "新A·D26003",
        "LGXCE4CB0P2026003",
        "比亚迪",
        "汉",
        "bev",
        None,
        "209800",
        dt.date(2025, 3, 16),
        "天山区财政局院内充电车位",
    ),
    (
        "urumqi_bureau",
        "emergency",
        "新A·Y2604",
        "LGWEF4A51P1026004",
        "长城",
        "哈弗H9",
        "diesel",
        "2.40",
        "226800",
        dt.date(2021, 11, 2),
        "乌鲁木齐市机关事务管理局车库",
    ),
    (
        "kashgar_finance",
        "enforcement",
        "新Q·Z2605",
        "LSVNV2187N2026005",
        "大众",
        "桑塔纳",
        "petrol",
        "1.50",
        "98600",
        dt.date(2016, 6, 30),
        "喀什市财政局院内停车场",
    ),
]


def load(ctx) -> None:
    session = ctx.session
    card_model = Vehicle.asset.property.mapper.class_
    class_model = card_model.asset_class.property.mapper.class_
    vehicle_class = session.execute(select(class_model).where(class_model.code == VEHICLE_CLASS)).scalar_one()
    categories = {
        code: vehicle_category_in_force(session, code, dt.date(2026, 1, 1))
        for code in ("enforcement", "other", "emergency")
    }
    for org_key, code, quota, state, decision in ESTABLISHMENTS:
        org = ctx.organizations[org_key]
        session.add(
            VehicleEstablishment(
                organization=org,
                jurisdiction=org.jurisdiction,
                category=categories[code],
                quota=quota,
                effective_from=dt.date(2025, 1, 1),
                decision=decision,
                state=state,
                note="演示数据",
            )
        )
    session.flush()
    vehicles = []
    for n, (
        org_key,
        code,
        plate,
        vin,
        brand,
        model,
        energy,
        displacement,
        price,
        acquired,
        parking,
    ) in enumerate(VEHICLES, start=1):
        org = ctx.organizations[org_key]
        card = card_model(
            number=f"CL-{org.jurisdiction.code}-{n:03d}",
            asset_class=vehicle_class,
            name=f"{brand}{model}",
            specification=plate,
            quantity=1,
            unit="辆",
            original_value=Decimal(price),
            acquired_on=acquired,
            acquisition_method="purchase",
            funding_source="fiscal",
            location=parking,
            organization=org,
            jurisdiction=org.jurisdiction,
            status="in_use",
        )
        session.add(card)
        vehicle = Vehicle(
            asset=card,
            plate=plate,
            vin=vin,
            brand=brand,
            model_name=model,
            domestic=True,
            energy_type=energy,
            displacement=Decimal(displacement) if displacement else None,
            category=categories[code],
            organization=org,
            jurisdiction=org.jurisdiction,
            marked=code == "enforcement",
            parking_place=parking,
            odometer_km=12000 * n,
            # the 比亚迪汉 runs on the district's 公务用车平台: its trips wait for 派车审批 (Art. 29)
            shared_platform=plate == SHARED_PLATE,
        )
        session.add(vehicle)
        session.flush()
        vehicles.append(vehicle)
    # 喀什市财政局's old 桑塔纳 (ten years) awaits the bureau's approval of its disposal
    old = vehicles[-1]
    session.add(
        VehicleDisposal(
            vehicle=old,
            organization=old.organization,
            jurisdiction=old.jurisdiction,
            method="procedure",
            applied_on=dt.date(2026, 11, 20),
            reason="车辆使用已满十年，维修费用高，按规定程序处置",
            state="submitted",
            submitted_at=dt.datetime(2026, 11, 20, 3, 0),
        )
    )
    # 乌鲁木齐市机关事务管理局 drafts the manufacturer take-back of its 哈弗H9 (the 回收证明 still to come)
    emergency = next(v for v in vehicles if v.plate == "新A·Y2604")
    session.add(VehicleDisposal(
        vehicle=emergency, organization=emergency.organization, jurisdiction=emergency.jurisdiction,
        method="takeback", manufacturer="长城汽车股份有限公司", applied_on=dt.date(2026, 12, 1),
        reason="柴油车排放不达标，厂家以旧换新回收", state="draft"))
    session.flush()
