"""办公用房使用情况表 and 超标准使用清单 (Art. 22 配置 and 监督): per organisation using rooms in the
reader's scope, its 编制人数, rooms, office-room area against its allowance; the rooms and the
organisations above the per-person standard, with the persons and figures.

A bureau reads its jurisdiction and the levels below, an organisation itself (``scoped``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.api import STANDARD_SIGNATURES, Report, beijing_today, chinese_date, db, join_items, scoped
from plugins.office_space.buildings.measure import fmt, org_figures, room_figures
from plugins.office_space.buildings.models import OfficeRoom


class OnParams(Schema):
    on = fields.Date(load_default=beijing_today, metadata={
        "label": _l("统计日期"), "description": _l("按该日的使用人员、编制和有效的人均面积标准统计")})


def _rooms(scope) -> list[OfficeRoom]:
    query = select(OfficeRoom).where(OfficeRoom.voided_at.is_(None), OfficeRoom.organization_id.is_not(None))
    return list(db.session.execute(scoped(query, OfficeRoom, scope)).scalars())


def _orgs(ids) -> list[Organization]:
    if not ids:
        return []
    return list(db.session.execute(
        select(Organization).join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
        .where(Organization.id.in_(ids)).order_by(Jurisdiction.path, Organization.name)).scalars())


def _org_rows(rooms, on: dt.date) -> list[dict]:
    counts: dict[int, int] = {}
    for room in rooms:
        counts[room.organization_id] = counts.get(room.organization_id, 0) + 1
    rows = []
    for org in _orgs(set(counts)):
        figures = org_figures(db.session, org, on, pending=False)
        balance = figures.area - figures.allowance if figures.allowance is not None else None
        rows.append({
            "jurisdiction": org.jurisdiction.name, "organization": org.name,
            "established": figures.established,
            "rooms": counts[org.id], "office_rooms": figures.rooms, "area": fmt(figures.area),
            "per_head": fmt(figures.per_head), "allowance": fmt(figures.allowance),
            "over": fmt(balance) if balance is not None and balance > 0 else "",
            "under": fmt(-balance) if balance is not None and balance <= 0 else "",
            "figures": figures,
        })
    return rows


def usage_context(params: dict, scope) -> dict:
    on = params["on"]
    rows = _org_rows(_rooms(scope), on)
    area = sum((r["figures"].area for r in rows), Decimal("0"))
    return {"rows": rows, "period": _("截至 %(date)s", date=chinese_date(on)),
            "total_rooms": sum(r["rooms"] for r in rows),
            "total_office": sum(r["office_rooms"] for r in rows),
            "total_established": sum(r["established"] for r in rows), "total_area": fmt(area)}


def over_context(params: dict, scope) -> dict:
    on = params["on"]
    rooms = _rooms(scope)
    room_rows = []
    for room in sorted(rooms, key=lambda r: (r.jurisdiction.path, str(r.building), r.number)):
        figures = room_figures(db.session, room, on, pending=False)
        if figures is None or figures.unknown or figures.over <= 0:
            continue
        room_rows.append({
            "organization": room.organization.name, "building": str(room.building), "number": room.number,
            "area": fmt(figures.area), "allowance": fmt(figures.allowance), "over": fmt(figures.over),
            "persons": join_items(f"{name}（{rank}，{fmt(standard)} m²）"
                                for name, rank, standard in figures.persons),
        })
    org_rows = [row for row in _org_rows(rooms, on) if row["over"]]
    return {"room_rows": room_rows, "org_rows": org_rows, "period": _("截至 %(date)s", date=chinese_date(on))}


def reports() -> list[Report]:
    return [
        Report(key="office_space_usage", label=_l("办公用房使用情况表"), params_schema=OnParams,
               build_context=usage_context, template="office_space/usage_report.html",
               orientation="landscape", signatures=STANDARD_SIGNATURES,
               description=_l("按单位列出编制人数、使用房间、办公室用房面积、人均面积、按标准核定面积及超出或"
                              "未用足的面积；机关事务管理部门看本辖区及下级（第二十二条）")),
        Report(key="office_space_over_standard", label=_l("超标准使用清单"), params_schema=OnParams,
               build_context=over_context, template="office_space/over_standard_report.html",
               orientation="landscape", signatures=STANDARD_SIGNATURES,
               description=_l("超过人均使用面积标准的办公室（列出使用人员）和超过核定面积的单位（第二十二条）")),
    ]
