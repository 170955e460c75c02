"""预算执行 (Art. 12): each budget line against what the catalog's ledger booked under its class.

The other funds areas ask ``available_on_line`` before they let a claim through; the budget
of a line is its approved amount plus its approved adjustments, the actual the sum of the
ledger's expenditures of the organisation, year and economic class.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from catalog.expenditure_totals import expenditure_totals
from catalog.expenditures import EconomicClass
from plugins.funds.budgets.models import (
    BASIS_CENTRAL,
    Budget,
    BudgetLine,
    money,
)


def _org_id(organization) -> int:
    """An Organization, or its id (as a write's values may give it, a string)."""
    return int(organization) if isinstance(organization, int | str) else organization.id


def approved_lines(session, organization, year: int) -> list[BudgetLine]:
    """The lines that count for the organisation's year: those of its approved budget and the
    集中统筹 lines posted by approved central items."""
    query = (
        select(BudgetLine).outerjoin(Budget, BudgetLine.budget_id == Budget.id)
        .where(BudgetLine.organization_id == _org_id(organization), BudgetLine.year == int(year),
               or_(Budget.state == "approved",
                   (BudgetLine.budget_id.is_(None)) & (BudgetLine.basis == BASIS_CENTRAL)))
        .options(selectinload(BudgetLine.economic_class), selectinload(BudgetLine.adjustments))
        .order_by(BudgetLine.id)
    )
    return list(session.execute(query).scalars())


def budget_by_code(session, organization, year: int) -> dict[str, Decimal]:
    """Approved budget (amount + approved adjustments) per economic class code."""
    totals: dict[str, Decimal] = {}
    for line in approved_lines(session, organization, year):
        code = line.economic_class.code
        totals[code] = totals.get(code, Decimal(0)) + line.budget_total
    return totals


def actual_by_code(session, organization, year: int, code: str | None = None) -> dict[str, Decimal]:
    """What the ledger booked for the organisation in the year, per economic class code (the
    catalog's totals, one grouped query)."""
    totals = expenditure_totals(session, year=int(year), organization=_org_id(organization),
                                codes=[code] if code is not None else None)
    return {booked: money(figures["amount"]) for booked, figures in totals.items()}


def available_on_line(session, organization, year: int, economic_code: str) -> Decimal | None:
    """Budget − actual of the organisation's approved line(s) of ``economic_code`` in ``year``.

    None when the organisation has no approved budget line of that class that year; otherwise
    the remainder, negative once spending passed the budget (Art. 12).
    """
    budget = budget_by_code(session, organization, year).get(economic_code)
    if budget is None:
        return None
    actual = actual_by_code(session, organization, year, economic_code).get(economic_code, Decimal(0))
    return money(budget - actual)


@dataclass
class ExecutionRow:
    code: str
    name: str
    budget: Decimal
    actual: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual

    @property
    def percent(self) -> Decimal | None:
        """Share of the budget spent, in per cent (None: nothing budgeted)."""
        if not self.budget:
            return None
        return (self.actual * 100 / self.budget).quantize(Decimal("0.1"))


def execution_rows(session, organization, year: int) -> list[ExecutionRow]:
    """预算执行情况: per economic class, budget vs actual (classes spent without a line too)."""
    budget = budget_by_code(session, organization, year)
    actual = actual_by_code(session, organization, year)
    names = dict(session.execute(select(EconomicClass.code, func.min(EconomicClass.name))
                                 .where(EconomicClass.code.in_(set(budget) | set(actual)))
                                 .group_by(EconomicClass.code)).all())
    return [ExecutionRow(code, names.get(code, ""), budget.get(code, Decimal(0)),
                         actual.get(code, Decimal(0))) for code in sorted(set(budget) | set(actual))]


__all__ = ["ExecutionRow", "approved_lines", "available_on_line", "execution_rows"]
