"""Schemas and entity types of configuration plans (资产配置计划, Art. 14, 17, 18)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, Scope
from plugins.assets.plans.models import AssetPlan, AssetPlanLine


class AssetPlanSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = AssetPlan
        include_fk = True
        exclude = ("version",)
        #: the state moves only through the workflow
        dump_only = ("state", "submitted_at", "decided_at")

    @validates("year")
    def _year(self, value, **_kw):
        if value is None or not 2000 <= value <= 2100:
            raise ValidationError(_("年度应为 2000—2100 之间的年份"))


class AssetPlanLineSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = AssetPlanLine
        include_fk = True
        exclude = ("version",)
        #: taken from the plan
        dump_only = ("organization_id", "jurisdiction_id")

    @validates("quantity")
    def _quantity(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("数量必须大于 0"))

    @validates("unit_price")
    def _price(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("单价不能为负数"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="asset_plan", label=_l("资产配置计划"), model=AssetPlan,
            scope=Scope(organization="organization_id"), schema=AssetPlanSchema,
            sharing="conditional", update_cycle=_l("每年"),
            description=_l("单位年度资产配置计划：经机关事务管理部门审核、财政部门审批后作为预算编制依据"
                           "（第十四、十七、十八条）"),
            api_columns=("id", "organization_id", "year", "title", "note", "state", "submitted_at",
                         "decided_at", "version"),
        ),
        EntityType(
            key="asset_plan_line", label=_l("资产配置计划明细"), model=AssetPlanLine,
            # a line is its plan's: same organisation, locked while the plan is under review
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="plan"),
            schema=AssetPlanLineSchema,
            sharing="conditional", update_cycle=_l("每年"),
            description=_l("配置计划的资产分类、名称、规格、数量、单价、理由与超标准配置申请（第十七条）"),
            api_columns=("id", "plan_id", "class_id", "name", "specification", "quantity", "unit",
                         "unit_price", "reason", "exception_requested", "exception_reason"),
        ),
    ]
