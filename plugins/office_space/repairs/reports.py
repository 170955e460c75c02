"""大中修项目规划表 (Art. 23): one bureau's plan of a year — per project the building, what it serves,
the scope of work and the estimated cost, with the total — as PDF."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from core.api import Report, chinese_date, current_scope, db, scoped
from plugins.office_space.repairs.models import PLAN_ENTITY, MajorRepairPlan


class PlanParams(Schema):
    plan_id = fields.Integer(
        required=True,
        metadata={
            "label": _l("大中修项目规划"),
            "description": _l("输入规划编号或年度搜索"),
            "record": PLAN_ENTITY,
        },
    )

    @validates("plan_id")
    def _readable(self, value, **_kw):
        found = db.session.execute(
            scoped(
                select(MajorRepairPlan.id).where(MajorRepairPlan.id == value),
                MajorRepairPlan,
                current_scope(),
            )
        ).scalar()
        if found is None:
            raise ValidationError(_("没有编号为 %(id)s 的大中修项目规划，或您无权查看", id=value))


def plan_context(params: dict, scope) -> dict:
    plan = db.session.execute(
        scoped(select(MajorRepairPlan).where(MajorRepairPlan.id == params["plan_id"]), MajorRepairPlan, scope)
    ).scalar_one()
    return {
        "plan": plan,
        "lines": plan.lines,
        "total": plan.total_estimate,
        "period": _("%(year)s 年度", year=plan.year),
        "issuer": plan.organization.name,
        "printed_on": chinese_date,
    }


def reports() -> list[Report]:
    return [
        Report(
            key="office_major_repair_plan",
            label=_l("大中修项目规划表"),
            params_schema=PlanParams,
            build_context=plan_context,
            template="office_space/major_repair_plan_report.html",
            orientation="landscape",
            prints=PLAN_ENTITY,
            signatures=(_l("经办人"), _l("审核人"), _l("机关事务管理部门负责人")),
            description=_l(
                "本级机关办公用房年度大中修项目：办公楼、用途、维修内容、预算金额及合计（第二十三条）"
            ),
        ),
    ]
