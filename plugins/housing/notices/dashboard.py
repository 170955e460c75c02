"""The notices' home-page item: the published policy notices for the viewer (Art. 25 及时公布).

Shown to every member of staff whose organisation lies in the notice's jurisdiction or below
("eligible staff" read as all staff there: whether one may apply is checked on the application
by the tenancies area), while published and not expired, newest first, each linking to the
notice's page.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from catalog.models import Jurisdiction
from core.api import DashboardList, db, local_today
from plugins.housing.notices.models import PolicyNotice


def notices_for(user) -> list[tuple[str, str, object]]:
    """(title, link, published day) of the notices in force for ``user``'s organisation."""
    org = getattr(user, "organization", None)
    jurisdiction = org.jurisdiction if org is not None else None
    if jurisdiction is None:
        return []
    today = local_today()
    above = select(Jurisdiction.id).where(Jurisdiction.code.in_(jurisdiction.ancestor_codes))
    rows = db.session.execute(
        select(PolicyNotice).where(
            PolicyNotice.state == "published", PolicyNotice.voided_at.is_(None),
            PolicyNotice.jurisdiction_id.in_(above), PolicyNotice.published_on <= today,
            or_(PolicyNotice.expires_on.is_(None), PolicyNotice.expires_on >= today))
        .order_by(PolicyNotice.published_on.desc(), PolicyNotice.id.desc())).scalars()
    return [(f"【{row.kind_label}】{row.title}", url_for("PolicyNoticeView.show", pk=row.id),
             row.published_on) for row in rows]


def dashboard_items() -> list:
    return [DashboardList("housing_notices", _l("周转住房政策信息"), notices_for, limit=5)]
