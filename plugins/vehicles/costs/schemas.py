"""Schemas and entity types of the costs area: 运行费用 and 年度绩效评价 (Art. 29)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.vehicles.costs.models import (
    COST_ENTITY,
    COST_KINDS,
    EVALUATION_ENTITY,
    GRADES,
    VehicleCost,
    VehicleEvaluation,
)

#: a cost belongs to its vehicle's organisation; it stays writable whatever the vehicle's state
COST_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="vehicle",
                   locked_with_parent=False)
EVALUATION_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                         derive_jurisdiction=True)


class VehicleCostSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = VehicleCost
        include_fk = True
        exclude = ("version",)

    @validates("amount")
    def _amount(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("金额必须大于零"))

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in COST_KINDS:
            raise ValidationError(_("未知的费用类别：%(value)s", value=value))

    @validates("odometer_km")
    def _odometer(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("里程表读数不能为负数"))


class VehicleEvaluationSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = VehicleEvaluation
        include_fk = True
        exclude = ("version",)

    @validates("year")
    def _year(self, value, **_kw):
        if value is None or not 2000 <= value <= 2100:
            raise ValidationError(_("评价年度应在 2000 至 2100 之间"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key=COST_ENTITY, label=_l("运行费用"), model=VehicleCost, scope=COST_SCOPE,
            schema=VehicleCostSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("公务用车运行维护费用单车登记：加油、充电、维修、保养、保险、过路过桥、停车，"
                           "凭发票入账计入公务用车运行维护费（30231），维修、保险须在定点单位（第二十九条）"),
            api_columns=("id", "vehicle_id", "organization_id", "kind", "spent_on", "amount", "supplier",
                         "odometer_km", "note", "posted", "posted_on", "voided_at", "voided_by",
                         "void_reason"),
            search_fields=("supplier", "note"),
            choices={"kind": COST_KINDS},
            import_columns=("vehicle", "kind", "spent_on", "amount", "supplier", "odometer_km", "note"),
            attachments=AttachmentKinds(("invoice", _l("发票")), types=("pdf", "png", "jpeg")),
            state_fields=(StateField("posted", initial=(False,)), StateField("posted_on", initial=(None,))),
            delete_policy="void",
        ),
        EntityType(
            key=EVALUATION_ENTITY, label=_l("公务用车年度绩效评价"), model=VehicleEvaluation,
            scope=EVALUATION_SCOPE, schema=VehicleEvaluationSchema, sharing="conditional",
            update_cycle=_l("每年"),
            description=_l("单位公务用车年度绩效评价：单车年运行费用、每公里运行费用、定点维修保养占比，"
                           "按标准评分定级，评价后数据固定（第二十九条）"),
            api_columns=("id", "organization_id", "year", "remark", "total_score", "grade", "evaluated_on",
                         "figures", "voided_at", "voided_by", "void_reason"),
            search_fields=("remark",),
            choices={"grade": GRADES},
            state_fields=(StateField("figures", initial=(None,)), StateField("total_score", initial=(None,)),
                          StateField("grade", initial=(None,)), StateField("evaluated_on", initial=(None,))),
            delete_policy="void",
        ),
    ]
