"""定期清查盘点 (Art. 18): an organisation holding assets has an approved stocktake within the period
a standard sets (``asset_stocktake_period``, months, key ``all``), else a finding on 问题清单.

Time, not a write, makes an organisation overdue, so the rule (``assets.stocktake_periodic``) is
not evaluated by the write pipeline (``on=()``); :func:`sweep` evaluates it for every organisation
(``jiguan assets stocktake-check``, a daily cron line) and the approval of a stocktake re-evaluates
its organisation at once. Both keep one open finding per organisation (entity ``organization``):
opened once, updated if its wording changes, closed (已整改, by the system) when it complies.
"""

from __future__ import annotations

import calendar
import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from catalog.models import Jurisdiction, Organization, standard_in_force
from core.activation import active_modules
from core.api import Rule, local_today
from core.models import Finding, utcnow
from plugins.assets.cards.models import Asset
from plugins.assets.plans.models import NOT_HELD
from plugins.assets.stocktake.models import Stocktake

#: Standard kind: months between two approved stocktakes of an organisation (key ``all``).
STOCKTAKE_PERIOD = "asset_stocktake_period"
PERIOD_KEY = "all"
RULE_KEY = "assets.stocktake_periodic"
ENTITY = "organization"
CLOSED_NOTE = "已按期完成清查盘点（系统自动关闭）"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day if it is shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def last_stocktake(session, organization_id: int) -> dt.date | None:
    """The day of the organisation's latest approved stocktake (its count day, else its planned day)."""
    day = func.coalesce(Stocktake.counted_on, Stocktake.planned_on)
    return session.execute(select(func.max(day)).where(
        Stocktake.organization_id == organization_id, Stocktake.state == "approved")).scalar()


def holds_assets(session, organization_id: int) -> bool:
    return session.execute(select(Asset.id).where(
        Asset.organization_id == organization_id, Asset.status.not_in(NOT_HELD),
        Asset.voided_at.is_(None)).limit(1)).first() is not None


def overdue(session, org: Organization, today: dt.date, approved_on: dt.date | None = None):
    """The rule's check: a dict for the message if ``org`` is overdue on ``today``, else None.

    ``approved_on``: the day of a stocktake being approved in the current flush (not stored yet).
    """
    jurisdiction = org.jurisdiction or session.get(Jurisdiction, org.jurisdiction_id)
    if "assets" not in active_modules(jurisdiction, session) or not holds_assets(session, org.id):
        return None
    standard = standard_in_force(session, STOCKTAKE_PERIOD, PERIOD_KEY, jurisdiction, today)
    if standard is None:
        return None
    months = int(standard.value)
    last = max((d for d in (last_stocktake(session, org.id), approved_on) if d is not None), default=None)
    if last is not None and last >= months_before(today, months):
        return None
    when = _("最近一次为 %(day)s", day=last.isoformat()) if last else _("从未完成经批准的清查盘点")
    return {"org": org.name, "months": months, "last": when}


def sync(session, org: Organization, today: dt.date | None = None,
         approved_on: dt.date | None = None) -> str | None:
    """Open, update or close the organisation's finding; returns "opened", "closed" or None."""
    with session.no_autoflush:
        result = overdue(session, org, today or local_today(), approved_on)
        open_one = session.execute(select(Finding).where(
            Finding.entity == ENTITY, Finding.entity_id == str(org.id), Finding.rule_key == RULE_KEY,
            Finding.status == "open")).scalar_one_or_none()
    if result is None:
        if open_one is None:
            return None
        open_one.status, open_one.closed_at, open_one.review_note = "resolved", utcnow(), CLOSED_NOTE
        return "closed"
    message = str(RULE.message) % result
    if open_one is not None:
        if open_one.message != message:
            open_one.message = message
        return None
    session.add(Finding(rule_key=RULE_KEY, article=RULE.article, module="assets", entity=ENTITY,
                        entity_id=str(org.id), message=message, status="open", opened_at=utcnow(),
                        organization_id=org.id, jurisdiction_id=org.jurisdiction_id))
    return "opened"


def sweep(session, today: dt.date | None = None, only: int | None = None) -> dict[str, int]:
    """Evaluate every organisation that holds assets or has an open finding (or only the organisation
    ``only``); the caller commits."""
    holders = select(Asset.organization_id).where(Asset.status.not_in(NOT_HELD), Asset.voided_at.is_(None))
    flagged = select(Finding.entity_id).where(Finding.entity == ENTITY, Finding.rule_key == RULE_KEY,
                                              Finding.status == "open")
    flagged_ids = [int(pk) for pk in session.execute(flagged).scalars() if pk.isdigit()]
    query = select(Organization).where(Organization.id.in_(holders) | Organization.id.in_(flagged_ids))
    if only is not None:
        query = query.where(Organization.id == only)
    orgs = session.execute(query.order_by(Organization.id)).scalars().all()
    counts = {"opened": 0, "closed": 0, "checked": 0}
    for org in orgs:
        counts["checked"] += 1
        outcome = sync(session, org, today)
        if outcome:
            counts[outcome] += 1
    return counts


RULE = Rule(
    key=RULE_KEY, article=18, severity="flag", model=Organization,
    message=_l("%(org)s%(last)s，已超过 %(months)s 个月的定期清查盘点周期，应及时组织资产清查盘点"),
    # time makes it true, not a write: evaluated by sweep() and at a stocktake's approval
    check=lambda org, ctx: overdue(ctx.session, org, ctx.today), on=(),
)
