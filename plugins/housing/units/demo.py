"""Demo housing units: turnover housing and a talent apartment of 天山区, turnover housing of
乌鲁木齐 and 喀什市, most handed over to the bureau, one awaiting handover (示例数据)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from plugins.housing.units.models import HousingUnit

#: (bureau key, kind, building, unit number, address, area m², rooms, furnishing, status)
UNITS = [
    (
        "tianshan_bureau",
        "turnover",
        "天山区周转房小区 3 号楼",
        "1-101",
        "乌鲁木齐市天山区延安路 120 号",
        "58.6",
        2,
        "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1、热水器 1",
        "available",
    ),
    (
        "tianshan_bureau",
        "turnover",
        "天山区周转房小区 3 号楼",
        "1-102",
        "乌鲁木齐市天山区延安路 120 号",
        "58.6",
        2,
        "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1、热水器 1",
        "available",
    ),
    (
        "tianshan_bureau",
        "turnover",
        "天山区周转房小区 3 号楼",
        "2-201",
        "乌鲁木齐市天山区延安路 120 号",
        "46.2",
        1,
        "床 1、衣柜 1、书桌 1、冰箱 1、热水器 1",
        "available",
    ),
    (
        "tianshan_bureau",
        "turnover",
        "天山区周转房小区 3 号楼",
        "2-202",
        "乌鲁木齐市天山区延安路 120 号",
        "46.2",
        1,
        "床 1、衣柜 1、书桌 1、冰箱 1、热水器 1",
        "available",
    ),
    (
        "tianshan_bureau",
        "talent",
        "天山区人才公寓 1 号楼",
        "501",
        "乌鲁木齐市天山区红山路 36 号",
        "72.0",
        2,
        "床 2、衣柜 2、沙发 1、餐桌 1、冰箱 1、洗衣机 1、空调 2",
        "available",
    ),
    (
        "tianshan_bureau",
        "turnover",
        "天山区周转房小区 5 号楼",
        "1-301",
        "乌鲁木齐市天山区延安路 122 号",
        "52.0",
        2,
        "",
        "pending",
    ),
    (
        "urumqi_bureau",
        "turnover",
        "市直周转房 2 号楼",
        "1-401",
        "乌鲁木齐市水磨沟区南湖东路 18 号",
        "60.5",
        2,
        "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1",
        "available",
    ),
    (
        "urumqi_bureau",
        "turnover",
        "市直周转房 2 号楼",
        "1-402",
        "乌鲁木齐市水磨沟区南湖东路 18 号",
        "60.5",
        2,
        "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1",
        "available",
    ),
    (
        "kashgar_bureau",
        "turnover",
        "喀什市周转房 1 号楼",
        "3-101",
        "喀什市克孜都维路 58 号",
        "55.0",
        2,
        "床 2、衣柜 2、冰箱 1、洗衣机 1、热水器 1",
        "available",
    ),
    (
        "kashgar_bureau",
        "turnover",
        "喀什市周转房 1 号楼",
        "3-102",
        "喀什市克孜都维路 58 号",
        "55.0",
        2,
        "床 2、衣柜 2、冰箱 1、洗衣机 1、热水器 1",
        "available",
    ),
]

#: the day the demo's units were handed over to the bureaus
HANDED_OVER_ON = dt.date(2023, 6, 30)


def load(ctx) -> None:
    for bureau, kind, building, number, address, area, rooms, furnishing, status in UNITS:
        org = ctx.organizations[bureau]
        ctx.session.add(
            HousingUnit(
                kind=kind,
                building=building,
                unit_number=number,
                address=address,
                area=Decimal(area),
                rooms=rooms,
                furnishing=furnishing or None,
                organization=org,
                jurisdiction=org.jurisdiction,
                status=status,
                status_since=HANDED_OVER_ON if status == "available" else None,
            )
        )
    ctx.session.flush()


def demo_unit(session, building: str, number: str) -> HousingUnit:
    """A demo unit by its building and number (the other areas' demos find theirs so)."""
    return session.execute(
        select(HousingUnit).where(HousingUnit.building == building, HousingUnit.unit_number == number)
    ).scalar_one()
