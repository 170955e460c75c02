"""超期占用 (Art. 25): a checked-in tenancy past its end and the checkout days, not checked out —
on the bureau's 工作台 (逾期事项) and as a card."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.models import standard_in_force
from core.api import DashboardCard, OverdueItem, OverdueSource, db, local_today, scoped
from plugins.housing.tenancies.models import CHECKOUT_DAYS, Tenancy

#: the card opens the list of checked-in tenancies (FAB's fourth string filter, FilterEqual), which the
#: list orders by the end of the period, so the overdue come first
CHECKED_IN_FILTER = (("_flt_3_status", "checked_in"),)


def checkout_due(session, tenancy: Tenancy) -> dt.date:
    """The last day to check out: the end plus the checkout days of the unit's kind (0 without one)."""
    unit = tenancy.unit
    found = standard_in_force(session, CHECKOUT_DAYS, unit.kind, unit.jurisdiction, tenancy.end_on)
    return tenancy.end_on + dt.timedelta(days=int(found.value) if found is not None else 0)


def overdue_tenancies(scope, today: dt.date) -> list[tuple[Tenancy, dt.date]]:
    """(tenancy, due day) of the scope's checked-in tenancies past their due day, oldest first."""
    query = (
        select(Tenancy)
        .where(Tenancy.status == "checked_in", Tenancy.voided_at.is_(None), Tenancy.end_on < today)
        .options(selectinload(Tenancy.unit), selectinload(Tenancy.person), selectinload(Tenancy.organization))
    )
    rows = db.session.execute(scoped(query, Tenancy, scope).order_by(Tenancy.end_on)).scalars().all()
    found = []
    for tenancy in rows:
        due = checkout_due(db.session, tenancy)
        if due < today:
            found.append((tenancy, due))
    return found


def overdue_items(scope, today) -> list[OverdueItem]:
    return [
        OverdueItem(
            tenancy,
            due,
            _l(
                "%(name)s（%(org)s）租住的 %(unit)s 租期已于 %(end)s 届满，至今未退房（超期占用 %(n)s 天）",
                name=tenancy.person.name,
                org=tenancy.organization.name,
                unit=str(tenancy.unit),
                end=tenancy.end_on.isoformat(),
                n=(today - due).days,
            ),
        )
        for tenancy, due in overdue_tenancies(scope, today)
    ]


def overdue_count(scope) -> int:
    return len(overdue_tenancies(scope, local_today()))


def dashboard_items() -> list:
    return [
        OverdueSource("housing_tenancy_overdue", _l("超期占用周转住房"), overdue_items),
        DashboardCard(
            "housing_tenancy_overdue_card",
            _l("超期占用的周转住房"),
            overdue_count,
            endpoint="TenancyView.list",
            args=CHECKED_IN_FILTER,
        ),
    ]
