"""Helpers of the expenditure-claim tests: a claim of 天山区财政局 made by its clerk."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.expenditures import Expenditure, economic_class_in_force
from catalog.models import Organization
from core.display import local_today
from core.extensions import db
from core.scoping import acting_as
from plugins.funds.spending.demo import attach_invoice, ensure_classes
from plugins.funds.spending.models import ENTITY, ExpenditureClaim

TIANSHAN = "乌鲁木齐市天山区财政局"
DAY = local_today() - dt.timedelta(days=3)


@pytest.fixture(autouse=True)
def ample_budget(monkeypatch):
    """The budget lines of the demo are shared by every test of the session: a spending test
    that is not about Art. 12 does not spend them (imported by each spending test module)."""
    from plugins.funds.budgets import execution

    monkeypatch.setattr(execution, "available_on_line", lambda *a, **k: Decimal("1e12"))


def org(name=TIANSHAN):
    return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()


def class_id(app, code) -> int:
    with app.app_context():
        ensure_classes(db.session)
        db.session.commit()
        return economic_class_in_force(db.session, code, DAY).id


def user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def make_claim(app, code="30215", amount="12000", invoice=True, owner=TIANSHAN, **details) -> int:
    """A draft claim written by the clerk (rules apply); a meeting of 二类, 20 people, 1 day by default."""
    if code == "30215":
        details = {"grade": "class2", "participants": 20, "days": 1, **details}
    with app.app_context():
        ensure_classes(db.session)
        klass = economic_class_in_force(db.session, code, DAY)
        clerk = "kashgar_clerk" if owner != TIANSHAN else "tianshan_clerk"
        with acting_as(user(app, clerk)):
            claim = ExpenditureClaim(organization=org(owner), spent_on=DAY, economic_class=klass,
                                     amount=Decimal(amount), payee="测试收款人",
                                     purpose=f"测试支出 {uuid.uuid4().hex[:6]}", **details)
            db.session.add(claim)
            db.session.commit()
            if invoice:
                attach_invoice(db.session, claim)
                db.session.commit()
        return claim.id


def state(app, pk) -> str:
    with app.app_context():
        return db.session.get(ExpenditureClaim, pk).state


def booked(app, pk) -> list:
    with app.app_context():
        return db.session.execute(select(Expenditure.amount, Expenditure.source_number).where(
            Expenditure.source_type == ENTITY, Expenditure.source_id == pk)).all()
