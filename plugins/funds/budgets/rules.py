"""Rules of department budgets (Art. 12), on every write of a line, an item, an allocation,
an adjustment — and of the catalog's expenditure ledger (a flag when a line is overspent)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from catalog.expenditures import Expenditure
from catalog.models import Organization
from core.api import Rule
from plugins.funds.budgets.models import (
    BASIS_CENTRAL,
    BASIS_QUOTA,
    Budget,
    BudgetAdjustment,
    BudgetLine,
    CentralAllocation,
    CentralItem,
    headcount,
    money,
    quota_in_force,
)


def _quota_context(line: BudgetLine, ctx):
    """(organisation, class, year) of a 定员定额 line, or None when it is none or incomplete."""
    if ctx.value(line, "basis") != BASIS_QUOTA:
        return None
    budget = ctx.related(line, "budget")
    klass = ctx.related(line, "economic_class")
    if budget is None or klass is None:
        return None
    org = ctx.get(Organization, budget.organization_id)
    return (org, klass, budget.year) if org is not None else None


def _no_establishment(line: BudgetLine, ctx):
    """Art. 12: a 定员定额 line multiplies the 编制 in force on 1 January; without one, none."""
    found = _quota_context(line, ctx)
    if found is None:
        return None
    org, _klass, year = found
    if headcount(ctx.session, org.id, year) is None:
        return {"org": org.name, "day": f"{year}-01-01"}
    return None


def _no_quota(line: BudgetLine, ctx):
    """Art. 12: a 定员定额 line needs the quota of its class in force (a Standard)."""
    found = _quota_context(line, ctx)
    if found is None:
        return None
    org, klass, year = found
    if quota_in_force(ctx.session, org, klass.code, year) is None:
        return {"cls": str(klass), "year": year}
    return None


def _above_quota(line: BudgetLine, ctx):
    """Art. 12: a 定员定额 line's amount stays within 编制人数 × the quota in force."""
    found = _quota_context(line, ctx)
    amount = ctx.value(line, "amount")
    if found is None or amount is None:
        return None
    org, klass, year = found
    people = headcount(ctx.session, org.id, year)
    quota = quota_in_force(ctx.session, org, klass.code, year)
    if people is None or quota is None:
        return None
    limit = money(quota * people)
    if money(amount) > limit:
        return {"cls": str(klass), "amount": format(money(amount), ",.2f"), "people": people,
                "quota": format(quota, ",.2f"), "limit": format(limit, ",.2f")}
    return None


def _without_budget(line: BudgetLine, ctx):
    """Art. 12: a line is entered in a department budget; only a central item posts one without."""
    if ctx.value(line, "basis") != BASIS_CENTRAL and ctx.related(line, "budget") is None:
        return True
    return None


def _central_line_changed(line: BudgetLine, ctx):
    """Art. 12: a 集中统筹 line is the finance department's decision on the central item."""
    return ctx.value(line, "basis") == BASIS_CENTRAL


def _allocations_above_item(allocation: CentralAllocation, ctx):
    """Art. 12: what a central item allocates to the units stays within the item's amount."""
    item = ctx.related(allocation, "central_item")
    amount = ctx.value(allocation, "amount")
    if item is None or amount is None or item.amount is None:
        return None
    query = select(func.coalesce(func.sum(CentralAllocation.amount), 0)).where(
        CentralAllocation.item_id == item.id)
    if allocation.id is not None:
        query = query.where(CentralAllocation.id != allocation.id)
    total = money(ctx.session.execute(query).scalar()) + money(amount)
    # the allocations of this flush before this one (an import's chunk) draw on the item too
    total += sum((money(ctx.value(other, "amount")) for other in ctx.new_before(allocation, CentralAllocation)
                  if ctx.related(other, "central_item") is item), money(0))
    if total > money(item.amount):
        return {"item": item.item_label, "total": format(total, ",.2f"),
                "amount": format(money(item.amount), ",.2f")}
    return None


def _item_below_allocations(item: CentralItem, ctx):
    """Art. 12: an item's amount is not cut below what it already allocated."""
    if item.id is None or item.amount is None:
        return None
    total = money(ctx.session.execute(select(func.coalesce(func.sum(CentralAllocation.amount), 0))
                                      .where(CentralAllocation.item_id == item.id)).scalar())
    if total > money(item.amount):
        return {"item": item.item_label, "total": format(total, ",.2f"),
                "amount": format(money(item.amount), ",.2f")}
    return None


def _adjustment_without_reason(adjustment: BudgetAdjustment, ctx):
    """Art. 12: an adjustment of an approved budget states its reason."""
    return not (ctx.value(adjustment, "reason") or "").strip()


def _one_budget_a_year(budget: Budget, ctx):
    """Art. 12: one department budget per organisation and year (changes are adjustments)."""
    org_id, year = ctx.value(budget, "organization_id"), ctx.value(budget, "year")
    if org_id is None or year is None:
        return None
    if any(ctx.value(other, "organization_id") == org_id and ctx.value(other, "year") == year
           for other in ctx.new_before(budget, Budget)):
        return {"year": year}  # an earlier budget of this flush (an import's chunk)
    query = select(Budget.id).where(Budget.organization_id == org_id, Budget.year == year)
    if budget.id is not None:
        query = query.where(Budget.id != budget.id)
    return {"year": year} if ctx.session.execute(query.limit(1)).first() else None


def _overspent(expenditure: Expenditure, ctx):
    """Art. 12: spending beyond the approved line of its class and year is flagged."""
    from plugins.funds.budgets.execution import budget_by_code

    org_id, day = ctx.value(expenditure, "organization_id"), expenditure.spent_on
    klass = ctx.related(expenditure, "economic_class")
    amount = expenditure.amount
    if isinstance(day, str):  # as an import or the API gives it
        day = dt.date.fromisoformat(day)
    if org_id is None or not isinstance(day, dt.date) or klass is None or amount is None:
        return None
    budget = budget_by_code(ctx.session, org_id, day.year).get(klass.code)
    if budget is None:
        return None
    query = select(func.coalesce(func.sum(Expenditure.amount), 0)).where(
        Expenditure.organization_id == org_id, Expenditure.economic_class_id == klass.id,
        Expenditure.spent_on >= dt.date(day.year, 1, 1), Expenditure.spent_on <= dt.date(day.year, 12, 31))
    if expenditure.id is not None:
        query = query.where(Expenditure.id != expenditure.id)
    actual = money(ctx.session.execute(query).scalar()) + money(amount)
    # the expenditures of this flush before this one (several posted at once) are spent too
    for other in ctx.new_before(expenditure, Expenditure):
        other_day = other.spent_on
        if isinstance(other_day, str):
            other_day = dt.date.fromisoformat(other_day)
        if (ctx.value(other, "organization_id") == org_id and other.amount is not None
                and isinstance(other_day, dt.date) and other_day.year == day.year
                and getattr(ctx.related(other, "economic_class"), "id", None) == klass.id):
            actual += money(other.amount)
    if actual > budget:
        return {"cls": str(klass), "year": day.year, "actual": format(actual, ",.2f"),
                "budget": format(budget, ",.2f"), "over": format(actual - budget, ",.2f")}
    return None


RULES = [
    Rule(key="funds.budget_quota_establishment", article=12, severity="block", model=BudgetLine,
         message=_l("“%(org)s”在 %(day)s 没有登记编制：定员定额明细按编制人数 × 定额编制，"
                    "请先由机关事务管理部门登记编制核定"),
         check=_no_establishment),
    Rule(key="funds.budget_quota_standard", article=12, severity="block", model=BudgetLine,
         message=_l("“%(cls)s”在 %(year)s 年 1 月 1 日没有现行的定员定额标准，不能按定员定额编制；"
                    "请改为“其他”依据或先登记定员定额标准"),
         check=_no_quota),
    Rule(key="funds.budget_quota_cap", article=12, severity="block", model=BudgetLine,
         message=_l("“%(cls)s”定员定额明细金额 %(amount)s 元超过编制人数 %(people)s 人 × 定额 "
                    "%(quota)s 元/人·年 = %(limit)s 元"),
         check=_above_quota),
    Rule(key="funds.budget_line_in_budget", article=12, severity="block", model=BudgetLine,
         message=_l("预算明细须属于一份部门预算（集中统筹明细由集中统筹项目批准后下达）"),
         check=_without_budget),
    Rule(key="funds.budget_central_line_readonly", article=12, severity="block", model=BudgetLine,
         message=_l("集中统筹明细由同级财政部门批准的集中统筹项目下达，不能修改或删除；如需变更请办理预算调整"),
         check=_central_line_changed, on=("update", "delete")),
    Rule(key="funds.central_allocation_cap", article=12, severity="block", model=CentralAllocation,
         message=_l("集中统筹项目“%(item)s”的分配合计 %(total)s 元超过项目预算 %(amount)s 元"),
         check=_allocations_above_item),
    Rule(key="funds.central_item_below_allocations", article=12, severity="block", model=CentralItem,
         message=_l("集中统筹项目“%(item)s”已分配 %(total)s 元，项目预算不能改为 %(amount)s 元"),
         check=_item_below_allocations, on=("update",)),
    Rule(key="funds.budget_adjustment_reason", article=12, severity="block", model=BudgetAdjustment,
         message=_l("预算调整必须填写调整理由"),
         check=_adjustment_without_reason),
    Rule(key="funds.budget_one_per_year", article=12, severity="block", model=Budget,
         message=_l("本单位 %(year)s 年度部门预算已有记录：已批准的预算通过预算调整变更"),
         check=_one_budget_a_year),
    Rule(key="funds.expenditure_over_budget", article=12, severity="flag", model=Expenditure,
         message=_l("%(year)s 年“%(cls)s”支出 %(actual)s 元超过已批准预算 %(budget)s 元（超支 %(over)s 元）"),
         check=_overspent),
]


