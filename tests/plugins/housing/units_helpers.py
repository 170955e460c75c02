"""Helpers of the units and notices tests (Art. 25): each test makes its own units and notices
(a building or title carrying its own number), as the system, and acts on them as the demo's
bureaus and clerks.

The tenancies area owns ``conftest.py`` of this folder; these are plain functions, imported by
name."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import time
from decimal import Decimal

from sqlalchemy import select

from catalog.models import Organization
from core.extensions import db
from plugins.housing.notices.models import PolicyNotice
from plugins.housing.units.models import HousingUnit, UnitMaintenance

ART = "第二十五条"
BUREAU = "tianshan_bureau"
CLERK = "tianshan_clerk"
TIANSHAN_BUREAU = "乌鲁木齐市天山区机关事务服务中心"
KASHGAR_BUREAU = "喀什市机关事务管理局"
TIANSHAN_FINANCE = "乌鲁木齐市天山区财政局"
PATHS = ("form", "rest", "import")
_serial = itertools.count()


def unique() -> int:
    return int(time.time() * 1000) % 10**6 * 100 + next(_serial) % 100


def org(name: str) -> Organization:
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def org_id(app, name: str = TIANSHAN_BUREAU) -> int:
    with app.app_context():
        return org(name).id


def make_unit(app, *, bureau: str = TIANSHAN_BUREAU, status: str = "pending", **extra) -> int:
    """A unit of ``bureau`` in ``status`` written as the system (a handed-over one with its document)."""
    n = unique()
    with app.app_context():
        owner = org(bureau)
        values = dict(kind="turnover", building=f"测试周转房 {n} 号楼", unit_number="1-101",
                      address="测试地址", area=Decimal("50.00"), rooms=2, organization=owner,
                      jurisdiction=owner.jurisdiction, status=status)
        if status != "pending":
            values.update(handed_over_by="测试移交单位", handed_over_on=dt.date(2024, 1, 1),
                          handover_document_no=f"测移〔2024〕{n}号", status_since=dt.date(2024, 1, 1))
        values.update(extra)
        unit = HousingUnit(**values)
        db.session.add(unit)
        db.session.commit()
        return unit.id


def unit_of(app, pk) -> HousingUnit:
    with app.app_context():
        unit = db.session.get(HousingUnit, pk)
        db.session.expunge(unit)
        return unit


def set_status(app, pk, status: str) -> None:
    """As the system (the tenancies area's check-in does so for 已入住)."""
    with app.app_context():
        db.session.get(HousingUnit, pk).status = status
        db.session.commit()


def units_named(app, building: str) -> list[HousingUnit]:
    with app.app_context():
        rows = list(db.session.execute(select(HousingUnit).where(HousingUnit.building == building)).scalars())
        db.session.expunge_all()
        return rows


def jobs_of(app, unit_id) -> list[UnitMaintenance]:
    with app.app_context():
        rows = list(db.session.execute(select(UnitMaintenance).where(UnitMaintenance.unit_id == unit_id)
                                       .order_by(UnitMaintenance.id)).scalars())
        db.session.expunge_all()
        return rows


def a_pdf(text="移交文件") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def attach(client, entity: str, pk, kind: str):
    return client.api("POST", f"/api/v1/attachments/{entity}/{pk}/",
                      data={"kind": kind, "files": [(io.BytesIO(a_pdf()), f"{kind}.pdf")]},
                      content_type="multipart/form-data")


def make_notice(app, *, bureau: str = TIANSHAN_BUREAU, state: str = "draft", published_on=None,
                expires_on=None, title: str | None = None) -> tuple[int, str]:
    """A notice of ``bureau`` written as the system: (id, title)."""
    title = title or f"测试公告 {unique()}"
    with app.app_context():
        owner = org(bureau)
        notice = PolicyNotice(organization=owner, jurisdiction=owner.jurisdiction, kind="policy", title=title,
                              body="测试正文", state=state, published_on=published_on, expires_on=expires_on)
        db.session.add(notice)
        db.session.commit()
        return notice.id, title


def notice_of(app, pk) -> PolicyNotice:
    with app.app_context():
        notice = db.session.get(PolicyNotice, pk)
        db.session.expunge(notice)
        return notice


def home_list(browser, key: str = "housing_notices") -> str:
    """The panel of the home page's list ``key`` (its HTML), '' when not shown."""
    page = browser.text("/")
    start = page.find(f'data-list="{key}"')
    if start < 0:
        return ""
    end = page.find("</ul>", start)
    return page[start:end]


def notices_shown(app, username: str) -> list[str]:
    """The notice texts the home page's 周转住房政策信息 offers ``username``, all of them, in order."""
    from plugins.housing.notices.dashboard import notices_for

    with app.test_request_context("/"):
        user = app.appbuilder.sm.find_user(username=username)
        return [text for text, _url, _day in notices_for(user)]
