"""Schemas and entity types of the acquisition and renewal plan (Art. 28)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, Scope
from plugins.vehicles.fleet.models import ENERGY_TYPES
from plugins.vehicles.plans.models import ACTIONS, VehiclePlan, VehiclePlanLine


class VehiclePlanSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = VehiclePlan
        include_fk = True
        exclude = ("version",)
        #: the state moves only through the workflow; the jurisdiction is the organisation's
        dump_only = ("state", "submitted_at", "decided_at", "jurisdiction_id")

    @validates("year")
    def _year(self, value, **_kw):
        if value is None or not 2000 <= value <= 2100:
            raise ValidationError(_("年度应为 2000—2100 之间的年份"))

    @validates("budget")
    def _budget(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("购置经费预算不能为负数"))


class VehiclePlanLineSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = VehiclePlanLine
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

    @validates("displacement")
    def _displacement(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("排量不能为负数"))

    @validates("action")
    def _action(self, value, **_kw):
        if value not in ACTIONS:
            raise ValidationError(_("配备方式应为“新增配备”或“更新”"))

    @validates("energy_type")
    def _energy(self, value, **_kw):
        if value not in ENERGY_TYPES:
            raise ValidationError(_("未知的能源类型：%(value)s", value=value))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="vehicle_plan", label=_l("公务用车配备更新计划"), model=VehiclePlan,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        derive_jurisdiction=True),
            schema=VehiclePlanSchema, sharing="conditional", update_cycle=_l("每年"),
            description=_l("单位年度公务用车配备更新计划及购置经费预算：经同级机关事务管理部门审核、"
                           "财政部门审核后执行（第二十八条）"),
            api_columns=("id", "organization_id", "jurisdiction_id", "year", "budget", "note", "state",
                         "submitted_at", "decided_at", "version"),
            search_fields=("note",),
        ),
        EntityType(
            key="vehicle_plan_line", label=_l("公务用车配备更新计划明细"), model=VehiclePlanLine,
            # a line is its plan's: same organisation, locked while the plan is under review
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="plan"),
            schema=VehiclePlanLineSchema, sharing="conditional", update_cycle=_l("每年"),
            description=_l("新增配备或更新（被更新车辆）、车辆类别、品牌型号、国产、能源类型、排量、单价、数量"
                           "（第二十七、二十八条）"),
            api_columns=("id", "plan_id", "action", "replaces_id", "category_id", "brand", "model_name",
                         "domestic", "energy_type", "displacement", "unit_price", "quantity", "reason",
                         "version"),
            choices={"action": ACTIONS, "energy_type": ENERGY_TYPES},
            search_fields=("brand", "model_name"),
        ),
    ]
