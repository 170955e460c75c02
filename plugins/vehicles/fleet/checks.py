"""What a vehicle record must look like (使用登记, Art. 29) and what its card must be (one truth with
the asset card, Art. 26): shared by the schema (API, XLSX) and the rules (every write path)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from plugins.vehicles.fleet.models import ENERGY_TYPES

#: 省、自治区、直辖市的简称 on a Chinese plate (GA 36), and 使/领 of foreign missions
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
#: letters of a plate: neither I nor O (read as 1 and 0)
_LETTER = "A-HJ-NP-Z"
#: a 7-character plate (新A·12345, 新A·1234警) and an 8-character 新能源 plate: D/F (纯电动/非纯电动)
#: first (新A·D12345) for a small car, last (新A·12345D) for a large one; the 「·」 may be left out
PLATE = re.compile(
    rf"^[{PROVINCES}][A-Z]·?(?:[{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳]"
    rf"|[DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$"
)
#: 车辆识别代号 (GB 16735): 17 characters, digits and letters except I, O and Q
VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
#: the battery-electric and fuel-cell vehicles have no displacement
NO_DISPLACEMENT = ("bev", "fcev")
#: 车辆 in GB/T 14885-2022: a vehicle's card is of this class or one below it
VEHICLE_CLASS = "2030000"


def plate_problem(plate) -> str | None:
    if not PLATE.match((plate or "").strip()):
        return _(
            "号牌号码“%(plate)s”格式不正确：应为省份简称加发牌机关代号和 5 位序号（如 新A·12345），"
            "新能源汽车为 6 位序号（如 新A·D12345）",
            plate=plate or "",
        )
    return None


def vin_problem(vin) -> str | None:
    if not VIN.match((vin or "").strip()):
        return _("车辆识别代号“%(vin)s”格式不正确：应为 17 位大写字母和数字，不含 I、O、Q", vin=vin or "")
    return None


def energy_problem(energy_type, displacement) -> str | None:
    if energy_type not in ENERGY_TYPES:
        return _("未知的能源类型：%(value)s", value=energy_type)
    if displacement is None and energy_type not in NO_DISPLACEMENT:
        return _("%(energy)s车辆须填写排量（升）", energy=ENERGY_TYPES[energy_type])
    if displacement is not None and displacement < 0:
        return _("排量不能为负数")
    return None


def register_problem(vehicle) -> str | None:
    """The first thing wrong with a vehicle's registration data, else None."""
    return (
        plate_problem(vehicle.plate)
        or vin_problem(vehicle.vin)
        or energy_problem(vehicle.energy_type or "petrol", vehicle.displacement)
    )


def is_vehicle_class(asset_class) -> bool:
    """Whether the card's class is 车辆 or one below it (read up the card's class tree)."""
    seen = set()
    while asset_class is not None and id(asset_class) not in seen:
        seen.add(id(asset_class))
        if asset_class.code == VEHICLE_CLASS:
            return True
        asset_class = asset_class.parent
    return False


def card_problem(session, vehicle, card) -> str | None:
    """The card a vehicle names: of the class 车辆, neither voided nor disposed, not another
    vehicle's (read through the reference, never importing the assets module)."""
    from sqlalchemy import select

    from plugins.vehicles.fleet.models import Vehicle

    if card is None:
        return _("须选择车辆对应的资产卡片（先在资产管理中登记资产卡片）")
    if not is_vehicle_class(card.asset_class):
        return _("资产卡片“%(card)s”的分类不是“车辆”，不能登记为公务用车", card=card)
    if card.voided_at is not None:
        return _("资产卡片“%(card)s”已作废，不能登记为公务用车", card=card)
    if card.status == "disposed" and vehicle.status != "disposed":
        return _("资产卡片“%(card)s”已处置，不能登记为在用的公务用车", card=card)
    with session.no_autoflush:
        query = select(Vehicle.plate).where(Vehicle.asset_id == card.id)
        if vehicle.id is not None:
            query = query.where(Vehicle.id != vehicle.id)
        other = session.execute(query.limit(1)).scalar_one_or_none() if card.id is not None else None
    if other is not None:
        return _("资产卡片“%(card)s”已登记为车辆 %(plate)s，一张卡片只能对应一辆车", card=card, plate=other)
    return None
