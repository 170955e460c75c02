"""闲置办公用房清单 (Art. 24): the idle rooms of the caller's scope on a day — building, room, use
area, vacant since, days — as PDF."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from core.api import Report, chinese_date, db, local_today
from plugins.office_space.idle.idle import idle_rooms


class IdleParams(Schema):
    as_of = fields.Date(
        load_default=local_today,
        metadata={"label": _l("截至日期"), "description": _l("按该日现行的闲置认定天数统计，默认今天")},
    )


def idle_context(params: dict, scope) -> dict:
    day = params.get("as_of") or local_today()
    rows = idle_rooms(db.session, scope, day)
    return {
        "rows": rows,
        "as_of": day,
        "total_area": sum((Decimal(r.room.use_area) for r in rows), Decimal(0)),
        "period": _("截至 %(day)s", day=day.isoformat()),
        "printed_on": chinese_date,
    }


def reports() -> list[Report]:
    return [
        Report(
            key="office_idle_rooms",
            label=_l("闲置办公用房清单"),
            params_schema=IdleParams,
            build_context=idle_context,
            template="office_space/idle_rooms_report.html",
            signatures=(_l("经办人"), _l("负责人")),
            description=_l(
                "未配置超过闲置认定天数的办公用房：办公楼、房间、使用面积、闲置起始日期、闲置天数（第二十四条）"
            ),
        ),
    ]
