"""部门预算表 and 预算执行情况表 (official PDFs, Art. 12)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from core.api import Report, current_scope, db, scoped
from plugins.funds.budgets.execution import approved_lines, execution_rows
from plugins.funds.budgets.models import BASIS_CENTRAL, BASIS_QUOTA, Budget, BudgetLine

SIGNATURES = (_l("经办人"), _l("单位负责人"), _l("财政部门"))


class BudgetParams(Schema):
    budget_id = fields.Integer(required=True, metadata={
        "label": _l("部门预算"), "description": _l("输入单位名称或编号搜索"), "record": "funds_budget"})

    @validates("budget_id")
    def _readable(self, value, **_kw):
        found = db.session.execute(
            scoped(select(Budget.id).where(Budget.id == value), Budget, current_scope())).scalar()
        if found is None:
            raise ValidationError(_("没有编号为 %(id)s 的部门预算，或您无权查看", id=value))


def _budget(params, scope) -> Budget:
    return db.session.execute(
        scoped(select(Budget).where(Budget.id == params["budget_id"]), Budget, scope)).scalar_one()


def central_lines(budget: Budget) -> list[BudgetLine]:
    """The 集中统筹 lines the bureau's approved items posted into this unit's year."""
    return list(db.session.execute(
        select(BudgetLine).where(BudgetLine.organization_id == budget.organization_id,
                                 BudgetLine.year == budget.year, BudgetLine.basis == BASIS_CENTRAL,
                                 BudgetLine.budget_id.is_(None)).order_by(BudgetLine.id)).scalars())


def budget_context(params: dict, scope) -> dict:
    budget = _budget(params, scope)
    quota = [line for line in budget.lines if line.basis == BASIS_QUOTA]
    other = [line for line in budget.lines if line.basis != BASIS_QUOTA]
    central = central_lines(budget)

    def total(lines):
        return sum((Decimal(line.amount) for line in lines), Decimal(0))

    return {
        "budget": budget, "quota_lines": quota, "other_lines": other, "central_lines": central,
        "quota_total": total(quota), "other_total": total(other), "central_total": total(central),
        "grand_total": total(quota) + total(other) + total(central),
        "period": _("%(year)s 年度", year=budget.year), "issuer": budget.organization.name,
    }


def execution_context(params: dict, scope) -> dict:
    budget = _budget(params, scope)
    rows = execution_rows(db.session, budget.organization_id, budget.year)
    totals = {
        "budget": sum((row.budget for row in rows), Decimal(0)),
        "actual": sum((row.actual for row in rows), Decimal(0)),
    }
    totals["remaining"] = totals["budget"] - totals["actual"]
    return {"budget": budget, "rows": rows, "totals": totals,
            "lines": approved_lines(db.session, budget.organization_id, budget.year),
            "period": _("%(year)s 年度", year=budget.year), "issuer": budget.organization.name}


def reports() -> list[Report]:
    return [
        Report(key="funds_budget", label=_l("部门预算表"), params_schema=BudgetParams,
               build_context=budget_context, template="funds/budget_report.html",
               orientation="landscape", prints="funds_budget", signatures=SIGNATURES,
               description=_l("定员定额明细（编制人数 × 定额 = 金额）、集中统筹分配与其他明细（第十二条）")),
        Report(key="funds_budget_execution", label=_l("预算执行情况表"), params_schema=BudgetParams,
               build_context=execution_context, template="funds/budget_execution_report.html",
               orientation="landscape", prints="funds_budget", signatures=SIGNATURES,
               description=_l("按支出经济分类列示已批准预算（含调整）、实际支出、结余与执行进度（第十二条）")),
    ]
