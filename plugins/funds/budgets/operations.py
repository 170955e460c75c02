"""按定员定额生成: a draft budget's quota lines from 编制 × the quotas in force (Art. 12)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog.expenditures import economic_class_in_force
from core.api import Operation, OperationError, db
from plugins.funds.budgets.models import (
    BASIS_QUOTA,
    Budget,
    BudgetLine,
    headcount,
    quota_codes,
    quota_in_force,
    year_start,
)

#: a budget is generated while it may be edited: a draft, or returned by finance
EDITABLE = ("draft", "rejected")


def generate(budget: Budget, session=None) -> int:
    """Write (or rewrite) one 定员定额 line per class with a quota in force on 1 January:
    编制人数 × quota. Refused when the organisation has no 编制 recorded (Art. 12)."""
    session = session or db.session
    org = budget.organization
    people = headcount(session, org.id, budget.year)
    if people is None:
        raise OperationError(_("“%(org)s”在 %(day)s 没有登记编制，不能按定员定额编制预算"
                               "（《办法》第十二条：公用经费按编制人数和定额标准编制）",
                               org=org.name, day=year_start(budget.year).isoformat()), status=422)
    codes = quota_codes(session, org, budget.year)
    if not codes:
        raise OperationError(_("%(year)s 年 1 月 1 日没有适用于“%(org)s”的定员定额标准，"
                               "请先在“标准”中登记（《办法》第十二条）", year=budget.year, org=org.name),
                             status=422)
    existing = {line.economic_class.code: line for line in budget.lines if line.basis == BASIS_QUOTA}
    written = 0
    for code in codes:
        klass = economic_class_in_force(session, code, year_start(budget.year))
        if klass is None:
            continue
        quota = quota_in_force(session, org, code, budget.year)
        line = existing.get(code)
        if line is None:
            line = BudgetLine(basis=BASIS_QUOTA, economic_class=klass)
            budget.lines.append(line)
        line.quantity, line.quota = people, quota
        line.amount = (quota * people).quantize(quota.__class__("0.01"))
        written += 1
    return written


def _generate(budget: Budget, _params):
    return generate(budget)


def operations() -> list[Operation]:
    return [
        Operation(key="generate", label=_l("按定员定额生成"), entity="funds_budget", run=_generate,
                  when=lambda budget: (budget.state or "draft") in EDITABLE,
                  description=_l("按本年 1 月 1 日的编制人数 × 现行定员定额标准生成（或重算）定员定额明细"
                                 "（第十二条）"),
                  confirm=_l("将按编制人数和定员定额标准重算本预算的定员定额明细。")),
    ]
