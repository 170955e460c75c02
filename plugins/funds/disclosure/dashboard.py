"""逾期未公开的三公经费 (Art. 13): disclosures not published within the days after their
approval, on the 工作台 of whoever sees them (the bureau above, the organisation itself)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from catalog.models import Jurisdiction, standard_in_force
from core.api import OverdueItem, OverdueSource, db, scoped
from plugins.funds.disclosure.models import DEADLINE_DAYS, DEADLINE_KEY, DISCLOSURE_KINDS, SangongDisclosure


def due_on(session, disclosure) -> dt.date | None:
    """The last day to publish: the approval day plus the standard in force then."""
    jurisdiction = session.get(Jurisdiction, disclosure.jurisdiction_id)
    standard = standard_in_force(session, DEADLINE_DAYS, DEADLINE_KEY, jurisdiction, disclosure.approved_on) \
        or standard_in_force(session, DEADLINE_DAYS, DEADLINE_KEY, jurisdiction)
    return disclosure.deadline(int(standard.value)) if standard is not None else None


def overdue_disclosures(scope, today) -> list[OverdueItem]:
    query = select(SangongDisclosure).where(SangongDisclosure.published_on.is_(None),
                                            SangongDisclosure.voided_at.is_(None))
    items = []
    for row in db.session.execute(scoped(query, SangongDisclosure, scope)
                                  .order_by(SangongDisclosure.approved_on)).scalars():
        due = due_on(db.session, row)
        if due is not None and due < today:
            items.append(OverdueItem(row, due, _l(
                "%(org)s %(year)s 年三公经费%(kind)s应于 %(day)s 前公开，"
                "至今未公开（逾期 %(n)s 天，第十三条）",
                org=row.organization.name, year=row.year, kind=DISCLOSURE_KINDS.get(row.kind, row.kind),
                day=due.isoformat(), n=(today - due).days)))
    return items


def dashboard_items() -> list:
    return [OverdueSource("funds_disclosure_overdue", _l("逾期未公开的三公经费"), overdue_disclosures)]
