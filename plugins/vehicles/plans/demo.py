"""Demo acquisition and renewal plans (Art. 28) and the standards they read.

天山区财政局 (``tianshan_clerk``) has a 2027 plan awaiting the bureau's review (``tianshan_bureau``,
then ``tianshan_fin_reviewer``): a renewal of an old sedan and a new-energy car; 乌鲁木齐市财政局 has
an approved 2027 plan, 喀什市财政局 a draft. The clerk's draft of 2028 is where the walk shows a foreign brand refused.
The standards are demonstration values (演示数据，待核) of the region, in force since the 2017
measures; the system acts, so the rules hold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Standard
from catalog.standards import DEMO_BACKDATE_REASON
from catalog.vehicle_categories import vehicle_category_in_force
from core.api import get_state, transition
from plugins.vehicles.fleet.establishment import holdings, quota_in_force, vehicles_in_service
from plugins.vehicles.fleet.models import Vehicle, VehicleEstablishment
from plugins.vehicles.plans.models import (
    ALL_KEY,
    DISPLACEMENT_CAP,
    NEW_ENERGY_SHARE,
    PRICE_CAP,
    RENEWAL_KM,
    RENEWAL_YEARS,
    VehiclePlan,
    VehiclePlanLine,
)

BASIS = "演示数据（待核），参照《党政机关公务用车管理办法》及一般公务用车配备标准"
#: (kind, key, value, unit)
STANDARDS = [
    *[(PRICE_CAP, code, value, "元") for code, value in (
        ("other", 180000), ("confidential", 180000), ("emergency", 250000), ("enforcement", 250000),
        ("special", 450000))],
    *[(DISPLACEMENT_CAP, code, value, "升") for code, value in (
        ("other", Decimal("1.8")), ("confidential", Decimal("1.8")), ("emergency", Decimal("3.0")),
        ("enforcement", Decimal("2.0")), ("special", Decimal("3.0")))],
    (RENEWAL_YEARS, ALL_KEY, 8, "年"),
    (RENEWAL_KM, ALL_KEY, 250000, "公里"),
    (NEW_ENERGY_SHARE, ALL_KEY, 30, "%"),
]

#: (organisation, plate of the old sedan to renew, its acquisition, odometer)
ORGS = {
    "tianshan_finance": ("新A·T7021", dt.date(2016, 8, 1), 268000),
    "urumqi_finance": ("新A·U6102", dt.date(2017, 3, 1), 231000),
}


#: the asset class of vehicles' cards (the assets module's class code, read by value)
VEHICLE_CLASS = "2030000"


def _standards(ctx) -> None:
    region = ctx.jurisdictions["650000"]
    for kind, key, value, unit in STANDARDS:
        basis = BASIS if kind != NEW_ENERGY_SHARE else f"至少 30%（{BASIS}）"
        ctx.session.add(Standard(kind=kind, key=key, value=Decimal(value), unit=unit, jurisdiction=region,
                                 effective_from=dt.date(2017, 12, 1), basis=basis,
                                 backdate_reason=DEMO_BACKDATE_REASON))


def _room(ctx, org, category, wanted: int, on: dt.date) -> None:
    """An establishment of the category for ``wanted`` more vehicles than held on ``on`` (Art. 27):
    the fleet's demo may have set one already; then a later decision, from ``on``, raises it."""
    need = holdings(ctx.session, org.id, category.id) + wanted
    in_force = quota_in_force(ctx.session, org.id, category.id, on)
    if in_force is not None and in_force >= need:
        return
    record = VehicleEstablishment(organization=org, jurisdiction=org.jurisdiction, category=category,
                                  quota=need, effective_from=on, decision="演示编制核定文件（配备更新计划）")
    ctx.session.add(record)
    ctx.session.flush()
    transition(record, "submit", "演示数据", view_name="VehicleEstablishmentView")
    transition(record, "approve", "演示数据：同意", view_name="VehicleEstablishmentView")


def _vehicle(ctx, org, category, plate, acquired, odometer) -> Vehicle:
    """The vehicle the organisation's plan renews: its oldest in service (the fleet's demo registers
    some), else an old sedan registered here with its asset card (the card's module found by its
    entity-type key, never imported)."""
    session = ctx.session
    held = vehicles_in_service(session, org.id)
    if held:
        return min(held, key=lambda vehicle: (vehicle.acquired_on or dt.date.max, vehicle.id))
    _room(ctx, org, category, 1, dt.date(2026, 1, 1))
    asset_model = get_state().entities.get("asset").model
    class_model = asset_model.asset_class.property.mapper.class_
    vehicles_class = session.execute(select(class_model).where(class_model.code == VEHICLE_CLASS)).scalar_one()
    card = asset_model(
        number=f"ZC-{org.jurisdiction.code}-CL{plate[-4:]}", asset_class=vehicles_class, name="轿车",
        specification=f"国产 1.6 升，{plate}", quantity=1, unit="辆", original_value=Decimal("158000"),
        acquired_on=acquired, acquisition_method="existing", funding_source="fiscal",
        location=f"{org.name}停车场", organization=org, jurisdiction=org.jurisdiction, status="in_use")
    session.add(card)
    session.flush()
    vehicle = Vehicle(asset_id=card.id, plate=plate, vin=f"LFV2A21K0G{plate[-4:]}{org.id:03d}"[:17],
                      brand="红旗", model_name="H5", domestic=True, energy_type="petrol",
                      displacement=Decimal("1.6"), category=category, organization=org,
                      jurisdiction=org.jurisdiction, parking_place=f"{org.name}停车场", odometer_km=odometer)
    session.add(vehicle)
    session.flush()
    return vehicle


def _plan(ctx, org, year, budget, note, lines, steps) -> VehiclePlan:
    session = ctx.session
    plan = VehiclePlan(organization=org, organization_id=org.id, year=year, budget=Decimal(budget), note=note)
    session.add(plan)
    session.flush()
    for values in lines:
        session.add(VehiclePlanLine(plan_id=plan.id, organization_id=org.id, jurisdiction_id=org.jurisdiction_id,
                                    **values))
        session.flush()
    session.refresh(plan)
    for action, comment in steps:
        transition(plan, action, comment, view_name="VehiclePlanView")
    return plan


def load(ctx) -> None:
    _standards(ctx)
    ctx.session.flush()
    other = vehicle_category_in_force(ctx.session, "other", dt.date(2027, 1, 1))
    old = {}
    for key, (plate, acquired, odometer) in ORGS.items():
        old[key] = _vehicle(ctx, ctx.organizations[key], other, plate, acquired, odometer)
    tianshan, urumqi = ctx.organizations["tianshan_finance"], ctx.organizations["urumqi_finance"]
    _room(ctx, tianshan, other, 1, dt.date(2027, 1, 1))  # the new-energy car of the 2027 plan
    renewed = old["tianshan_finance"]
    _plan(ctx, tianshan, 2027, "330000", "更新一辆车况较差的公务用车；新增一辆新能源汽车。", [
        dict(action="renewal", replaces_id=renewed.id, category=renewed.category, brand="红旗", model_name="H5",
             domestic=True, energy_type="petrol", displacement=Decimal("1.5"), unit_price=Decimal("158000"),
             quantity=1, reason="原车车况较差，维修费用高"),
        dict(action="new", category=other, brand="比亚迪", model_name="秦", domestic=True, energy_type="bev",
             unit_price=Decimal("139800"), quantity=1, reason="优先选用新能源汽车"),
    ], [("submit", "天山区财政局经办人：请予审核")])
    _plan(ctx, tianshan, 2028, "200000", "2028 年度计划，编制中。", [], [])
    _plan(ctx, urumqi, 2027, "180000", "原公务用车达到更新标准，更新为新能源汽车。", [
        dict(action="renewal", replaces_id=old["urumqi_finance"].id, category=old["urumqi_finance"].category,
             brand="吉利", model_name="几何",
             domestic=True, energy_type="bev", unit_price=Decimal("129800"), quantity=1,
             reason="原车里程接近更新标准、车况差，更新为纯电动汽车"),
    ], [("submit", "请予审核"), ("approve", "乌鲁木齐市机关事务管理局：符合编制和标准，同意"),
        ("approve", "乌鲁木齐市财政局：同意，列入 2027 年度部门预算")])
    # another prefecture's draft: 喀什市财政局 (kashgar_clerk) plans one new-energy car
    kashgar = ctx.organizations["kashgar_finance"]
    _room(ctx, kashgar, other, 1, dt.date(2027, 1, 1))
    _plan(ctx, kashgar, 2027, "150000", "新增一辆新能源汽车，编制中。", [
        dict(action="new", category=other, brand="比亚迪", model_name="秦", domestic=True, energy_type="bev",
             unit_price=Decimal("129800"), quantity=1, reason="现有车辆不能满足下乡督导工作需要"),
    ], [])
    ctx.session.flush()
