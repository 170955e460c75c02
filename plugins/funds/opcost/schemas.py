"""Schemas and entity types of the operating-cost area (Art. 15)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, StateField
from plugins.funds.opcost.models import (
    AREA_SCOPE,
    COMPUTED,
    GRADES,
    REPORT_SCOPE,
    OpcostOfficeArea,
    OpcostReport,
)


class OpcostReportSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = OpcostReport
        include_fk = True
        exclude = ("version", "state", "submitted_at", "decided_at")

    @validates("budget")
    def _budget(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("预算数不能为负数"))


class OpcostOfficeAreaSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = OpcostOfficeArea
        include_fk = True
        exclude = ("version",)

    @validates("area")
    def _area(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("办公用房面积必须大于 0 平方米（《办法》第十五条）"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="funds_opcost_report", label=_l("机关运行成本统计报告"), model=OpcostReport,
            scope=REPORT_SCOPE, schema=OpcostReportSchema, sharing="conditional",
            update_cycle=_l("每年"),
            description=_l("辖区年度机关运行成本：分类支出、人均与单位面积成本、同比变化、绩效评价，"
                           "报送上一级机关事务管理部门（第十五条）"),
            api_columns=("id", "organization_id", "jurisdiction_id", "year", "budget", "remark",
                         "total_cost", "total_score", "grade", "figures", "computed_at", "state",
                         "submitted_at", "decided_at"),
            # computed from the ledger by 计算 and on submission, never typed in
            state_fields=tuple(StateField(name, initial=(None,),
                                          labels=GRADES if name == "grade" else None)
                               for name in COMPUTED),
            search_fields=(),
        ),
        EntityType(
            key="funds_opcost_office_area", label=_l("办公用房面积（机关运行成本）"), model=OpcostOfficeArea,
            scope=AREA_SCOPE, schema=OpcostOfficeAreaSchema, sharing="conditional",
            update_cycle=_l("每年"),
            description=_l("单位年度办公用房面积（平方米），计算单位面积运行成本用；办公用房模块建成前录入"),
            api_columns=("id", "organization_id", "jurisdiction_id", "year", "area", "note"),
            search_fields=(),
        ),
    ]
