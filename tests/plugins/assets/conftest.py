"""The assets tests reckon per-person caps (Art. 17) for 天山区财政局 (tianshan_clerk's
organisation) with 编制人数 2: each test records that establishment, in force from today, and
removes it afterwards, so the demo's own 编制核定 (about 28) is what everything else reads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import Establishment, Organization
from core.api import local_today
from core.extensions import db

ORG_NAME = "乌鲁木齐市天山区财政局"
DECISION = "测试编制核定（编制 2 名）"


@pytest.fixture(autouse=True)
def tianshan_finance_of_two(app):
    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == ORG_NAME)).scalar_one()
        db.session.add(Establishment(organization=org, administrative=2, institutional=0, actual=2,
                                     leaders=1, effective_from=local_today(), decision=DECISION,
                                     approved_by="测试"))
        db.session.commit()
    yield
    with app.app_context():
        query = select(Establishment).where(Establishment.decision == DECISION)
        for row in db.session.execute(query).scalars():
            db.session.delete(row)
        db.session.commit()
