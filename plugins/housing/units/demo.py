"""Demo housing units: turnover housing and a talent apartment of 天山区, turnover housing of
乌鲁木齐 and 喀什市, most handed over to the bureau (the handover recorded: who, the day, the
transfer document's number), the 5 号楼 unit awaiting handover; a repair in 天山区 (posted to
30213) and a maintenance job in 喀什市 (not yet posted) (示例数据)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from plugins.housing.units.models import HousingUnit, UnitMaintenance
from plugins.housing.units.operations import post_job

#: (bureau key, kind, building, unit number, address, area m², rooms, furnishing, status)
UNITS = [
    ("tianshan_bureau", "turnover", "天山区周转房小区 3 号楼", "1-101", "乌鲁木齐市天山区延安路 120 号", "58.6", 2,
     "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1、热水器 1", "available"),
    ("tianshan_bureau", "turnover", "天山区周转房小区 3 号楼", "1-102", "乌鲁木齐市天山区延安路 120 号", "58.6", 2,
     "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1、热水器 1", "available"),
    ("tianshan_bureau", "turnover", "天山区周转房小区 3 号楼", "2-201", "乌鲁木齐市天山区延安路 120 号", "46.2", 1,
     "床 1、衣柜 1、书桌 1、冰箱 1、热水器 1", "available"),
    ("tianshan_bureau", "turnover", "天山区周转房小区 3 号楼", "2-202", "乌鲁木齐市天山区延安路 120 号", "46.2", 1,
     "床 1、衣柜 1、书桌 1、冰箱 1、热水器 1", "available"),
    ("tianshan_bureau", "talent", "天山区人才公寓 1 号楼", "501", "乌鲁木齐市天山区红山路 36 号", "72.0", 2,
     "床 2、衣柜 2、沙发 1、餐桌 1、冰箱 1、洗衣机 1、空调 2", "available"),
    ("tianshan_bureau", "turnover", "天山区周转房小区 5 号楼", "1-301", "乌鲁木齐市天山区延安路 122 号", "52.0", 2,
     "", "pending"),
    ("urumqi_bureau", "turnover", "市直周转房 2 号楼", "1-401", "乌鲁木齐市水磨沟区南湖东路 18 号", "60.5", 2,
     "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1", "available"),
    ("urumqi_bureau", "turnover", "市直周转房 2 号楼", "1-402", "乌鲁木齐市水磨沟区南湖东路 18 号", "60.5", 2,
     "床 2、衣柜 2、书桌 1、冰箱 1、洗衣机 1", "available"),
    ("kashgar_bureau", "turnover", "喀什市周转房 1 号楼", "3-101", "喀什市克孜都维路 58 号", "55.0", 2,
     "床 2、衣柜 2、冰箱 1、洗衣机 1、热水器 1", "available"),
    ("kashgar_bureau", "turnover", "喀什市周转房 1 号楼", "3-102", "喀什市克孜都维路 58 号", "55.0", 2,
     "床 2、衣柜 2、冰箱 1、洗衣机 1、热水器 1", "available"),
]

#: the day the demo's units were handed over to the bureaus
HANDED_OVER_ON = dt.date(2023, 6, 30)
#: by bureau: who handed its units over, and the transfer document (示例)
HANDOVERS = {
    "tianshan_bureau": ("乌鲁木齐市天山区住房和城乡建设局", "天建移〔2023〕12号"),
    "urumqi_bureau": ("乌鲁木齐市住房和城乡建设局", "乌建移〔2023〕8号"),
    "kashgar_bureau": ("喀什市住房和城乡建设局", "喀建移〔2023〕5号"),
}
#: (building, unit, kind, day, work, cost, contractor, posted)
MAINTENANCE = [
    ("天山区周转房小区 3 号楼", "1-102", "repair", dt.date(2026, 9, 15), "卫生间防水层渗漏维修，更换热水器",
     "3860.00", "乌鲁木齐市天山区安居物业维修中心", True),
    ("喀什市周转房 1 号楼", "3-101", "maintenance", dt.date(2026, 10, 20), "入冬前暖气管道检修、窗户密封",
     "1250.00", "喀什市城建物业服务有限公司", False),
]


def load(ctx) -> None:
    for bureau, kind, building, number, address, area, rooms, furnishing, status in UNITS:
        org = ctx.organizations[bureau]
        ctx.session.add(HousingUnit(
            kind=kind, building=building, unit_number=number, address=address, area=Decimal(area),
            rooms=rooms, furnishing=furnishing or None, organization=org, jurisdiction=org.jurisdiction,
            status=status, status_since=HANDED_OVER_ON if status == "available" else None,
            **_handover(bureau, status),
        ))
    ctx.session.flush()
    for building, number, kind, day, work, cost, contractor, posted in MAINTENANCE:
        unit = demo_unit(ctx.session, building, number)
        job = UnitMaintenance(unit=unit, organization=unit.organization, jurisdiction=unit.jurisdiction,
                              kind=kind, done_on=day, work=work, cost=Decimal(cost), contractor=contractor,
                              posted=posted, posted_on=day + dt.timedelta(days=5) if posted else None)
        ctx.session.add(job)
        ctx.session.flush()
        if posted:
            post_job(ctx.session, job)
    ctx.session.flush()


def _handover(bureau: str, status: str) -> dict:
    if status == "pending":
        return {}
    by, document = HANDOVERS[bureau]
    return {"handed_over_by": by, "handed_over_on": HANDED_OVER_ON, "handover_document_no": document}


def demo_unit(session, building: str, number: str) -> HousingUnit:
    """A demo unit by its building and number (the other areas' demos find theirs so)."""
    return session.execute(
        select(HousingUnit).where(HousingUnit.building == building, HousingUnit.unit_number == number)
    ).scalar_one()
