"""Helpers of the receptions tests: each test writes the reception it decides on (Art. 34)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.models import Organization
from core.extensions import db
from core.scoping import acting_as
from plugins.receptions.hotels.models import DesignatedHotel
from plugins.receptions.requests.models import (
    Reception,
    ReceptionCompanion,
    ReceptionGuest,
    ReceptionLodging,
    ReceptionMeal,
)

TIANSHAN = "乌鲁木齐市天山区财政局"
DAY = dt.date(2026, 11, 3)


def org_id(app, name=TIANSHAN) -> int:
    with app.app_context():
        return db.session.execute(select(Organization.id).where(Organization.name == name)).scalar_one()


def hotel_id(app, name="天山宾馆（演示）") -> int:
    with app.app_context():
        return db.session.execute(select(DesignatedHotel.id).where(DesignatedHotel.name == name)).scalar_one()


def make_reception(
    app,
    unit="测试来访单位",
    *,
    guests=2,
    companions=0,
    meals=(),
    lodgings=(),
    user="tianshan_clerk",
    org=TIANSHAN,
) -> int:
    """A draft reception written as ``user`` with ``guests`` guests and ``companions`` companions;
    ``meals`` as (kind, persons, per person), ``lodgings`` as (hotel id, room type, price)."""
    with app.app_context():
        organization = db.session.execute(select(Organization).where(Organization.name == org)).scalar_one()
        scope = dict(organization_id=organization.id, jurisdiction_id=organization.jurisdiction_id)
        with acting_as(app.appbuilder.sm.find_user(username=user)):
            reception = Reception(
                organization=organization,
                guest_unit=unit,
                activity="测试公务活动",
                start_on=DAY,
                end_on=DAY,
                place="测试会议室",
            )
            reception.guests = [ReceptionGuest(name=f"来宾{i}", post="科员", **scope) for i in range(guests)]
            reception.companions = [
                ReceptionCompanion(name=f"陪同{i}", post="科长", **scope) for i in range(companions)
            ]
            reception.meals = [
                ReceptionMeal(meal_on=DAY, kind=k, persons=n, per_person=Decimal(p), **scope)
                for k, n, p in meals
            ]
            reception.lodgings = [
                ReceptionLodging(
                    hotel_id=h, room_type=r, check_in=DAY, nights=1, rooms=1, price=Decimal(p), **scope
                )
                for h, r, p in lodgings
            ]
            db.session.add(reception)
            db.session.commit()
            return reception.id


def a_pdf(text="公函") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def attach_letter(client, pk):
    return client.api(
        "POST",
        f"/api/v1/attachments/reception/{pk}/",
        data={"kind": "letter", "files": [(io.BytesIO(a_pdf()), "公函.pdf")]},
        content_type="multipart/form-data",
    )


def submit_api(client, pk, action="submit", comment="请审批"):
    return client.api("POST", f"/api/v1/reception/{pk}/workflow/{action}", json={"comment": comment})


def decide_form(browser, pk, action, comment=""):
    return browser.post(
        f"/receptionview/workflow/{pk}/{action}", data={"comment": comment}, follow_redirects=True
    ).get_data(as_text=True)


def state_of(app, pk) -> str:
    with app.app_context():
        return db.session.get(Reception, pk).state


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing: run `make system-deps`")
    assert data[:4] == b"%PDF", data[:200]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def approved_reception(app, api_client, login, unit, **kw) -> int:
    """A reception with its 公函, submitted by the clerk and approved by 天山区's bureau."""
    pk = make_reception(app, unit, **kw)
    clerk = api_client("tianshan_clerk")
    assert attach_letter(clerk, pk).status_code == 201
    assert submit_api(clerk, pk).status_code == 200
    decide_form(login("tianshan_bureau"), pk, "approve", "同意")
    assert state_of(app, pk) == "approved"
    return pk
