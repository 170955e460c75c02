"""Schemas and entity types of department budgets (部门预算, Art. 12)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, Scope, StateField, join_items
from plugins.funds.budgets.models import (
    BASES,
    BASIS_OTHER,
    BASIS_QUOTA,
    CENTRAL_ITEMS,
    Budget,
    BudgetAdjustment,
    BudgetLine,
    CentralAllocation,
    CentralItem,
)

WORKFLOW = ("state", "submitted_at", "decided_at")


def _year(value):
    if value is None or not 2000 <= value <= 2100:
        raise ValidationError(_("年度应为 2000—2100 之间的年份"))


def _not_negative(value):
    if value is None or value < 0:
        raise ValidationError(_("金额不能为负数"))


class BudgetSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Budget
        include_fk = True
        exclude = ("version",)
        dump_only = (*WORKFLOW, "jurisdiction_id")

    @validates("year")
    def _check_year(self, value, **_kw):
        _year(value)


class BudgetLineSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = BudgetLine
        include_fk = True
        exclude = ("version",)
        #: from the budget, the 编制 and the standards; a 集中统筹 line only from its item
        dump_only = ("organization_id", "jurisdiction_id", "year", "quantity", "quota",
                     "allocation_id")

    @validates("amount")
    def _check_amount(self, value, **_kw):
        _not_negative(value)


class CentralItemSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = CentralItem
        include_fk = True
        exclude = ("version",)
        dump_only = (*WORKFLOW, "jurisdiction_id")

    @validates("year")
    def _check_year(self, value, **_kw):
        _year(value)

    @validates("item")
    def _check_item(self, value, **_kw):
        if value not in CENTRAL_ITEMS:
            raise ValidationError(_("集中统筹项目应为：%(items)s", items=join_items(
                f"{key}（{label}）" for key, (label, _code) in CENTRAL_ITEMS.items())))

    @validates("amount")
    def _check_amount(self, value, **_kw):
        _not_negative(value)


class CentralAllocationSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = CentralAllocation
        include_fk = True
        exclude = ("version",)
        dump_only = ("organization_id", "jurisdiction_id")

    @validates("amount")
    def _check_amount(self, value, **_kw):
        _not_negative(value)


class BudgetAdjustmentSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = BudgetAdjustment
        include_fk = True
        exclude = ("version",)
        dump_only = (*WORKFLOW, "organization_id", "jurisdiction_id", "applied_on")

    @validates("reason")
    def _check_reason(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("请填写调整理由（《办法》第十二条）"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="funds_budget", label=_l("部门预算"), model=Budget,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        derive_jurisdiction=True),
            schema=BudgetSchema, update_cycle=_l("每年"),
            description=_l("单位年度部门预算：公用经费按定员定额编制，经同级财政部门审核（第十二条）"),
            api_columns=("id", "organization_id", "jurisdiction_id", "year", "note", *WORKFLOW,
                         "version"),
        ),
        EntityType(
            key="funds_budget_line", label=_l("部门预算明细"), model=BudgetLine,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        parent="budget", derive_jurisdiction=True),
            schema=BudgetLineSchema, update_cycle=_l("每年"),
            description=_l("部门预算的支出经济分类、编制依据（定员定额/集中统筹/其他）、编制人数、定额与金额"
                           "（第十二条）"),
            api_columns=("id", "budget_id", "organization_id", "year", "economic_class_id", "basis",
                         "quantity", "quota", "amount", "allocation_id", "note"),
            # a 集中统筹 line is posted by its item's approval, never entered
            state_fields=(StateField("basis", initial=(BASIS_QUOTA, BASIS_OTHER), labels=BASES),),
        ),
        EntityType(
            key="funds_central_item", label=_l("集中统筹项目"), model=CentralItem,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        derive_jurisdiction=True),
            schema=CentralItemSchema, update_cycle=_l("每年"),
            description=_l("机关事务管理部门统一编制的办公用房建设和维修、公务用车配备更新、节能降碳、"
                           "公务接待、后勤服务预算及其分配，经同级财政部门审核（第十二条）"),
            api_columns=("id", "organization_id", "year", "item", "amount", "note", *WORKFLOW,
                         "version"),
            choices={"item": {key: label for key, (label, _code) in CENTRAL_ITEMS.items()}},
        ),
        EntityType(
            key="funds_central_allocation", label=_l("集中统筹项目分配"), model=CentralAllocation,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        parent="central_item", derive_jurisdiction=True),
            schema=CentralAllocationSchema, update_cycle=_l("每年"),
            description=_l("集中统筹项目分配给各预算单位的金额（第十二条）"),
            api_columns=("id", "item_id", "unit_id", "amount", "note"),
        ),
        EntityType(
            key="funds_budget_adjustment", label=_l("预算调整"), model=BudgetAdjustment,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        parent="line", locked_with_parent=False, derive_jurisdiction=True),
            schema=BudgetAdjustmentSchema, update_cycle=_l("实时"),
            description=_l("已批准预算明细的调整：调整金额与理由，经同级财政部门审核批准后生效（第十二条）"),
            api_columns=("id", "line_id", "organization_id", "delta", "reason", "applied_on",
                         *WORKFLOW, "version"),
        ),
    ]
