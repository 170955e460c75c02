"""Home-page item of budgets: the economic classes overspent this year (Art. 12)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import DashboardCard, beijing_today, db, scoped
from plugins.funds.budgets.execution import execution_rows
from plugins.funds.budgets.models import Budget


def overspent(scope) -> int:
    """Classes whose spending passed the approved budget, over the approved budgets in scope."""
    year = beijing_today().year
    query = select(Budget.organization_id).where(Budget.year == year, Budget.state == "approved")
    orgs = set(db.session.execute(scoped(query, Budget, scope)).scalars())
    return sum(1 for org in orgs for row in execution_rows(db.session, org, year)
               if row.budget and row.remaining < 0)


def dashboard_items() -> list:
    return [DashboardCard("funds_budget_overspent", _l("本年度超预算的支出科目"), overspent,
                          endpoint="BudgetView.list")]
