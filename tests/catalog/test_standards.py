"""Standards are catalog data with effective dates, looked up up the tree (Art. 11).

Exercises ``register_standard_kinds``: a kind a module registered is accepted, others refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from catalog.models import Jurisdiction, Standard, standard_in_force
from core.errors import WriteRefused
from core.extensions import db


def _jur(code):
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


def _target(code, on):
    found = standard_in_force(db.session, "land_registration_target", "share", _jur(code), on)
    return found.value if found else None


def test_nearest_jurisdiction_up_the_tree_wins(ctx):
    today = dt.date(2026, 6, 1)
    assert _target("650000", today) == Decimal(95)
    assert _target("650100", today) == Decimal(100)  # 乌鲁木齐 sets its own
    assert _target("650102", today) == Decimal(100)  # 天山区 inherits 乌鲁木齐's
    assert _target("652301", today) == Decimal(95)  # 昌吉市 inherits the region's


def test_effective_dates_select_the_version(ctx):
    assert _target("650102", dt.date(2024, 6, 1)) == Decimal(80)  # before 乌鲁木齐's own began
    assert _target("650102", dt.date(2022, 6, 1)) is None  # nothing in force yet


def _standard(**kw):
    base = dict(kind="land_registration_target", key="share", value=Decimal(100), unit="%",
                jurisdiction=_jur("650105"), effective_from=dt.date(2030, 1, 1))
    base.update(kw)
    return Standard(**base)


def test_overlapping_periods_are_refused(ctx):
    db.session.add(_standard(effective_to=dt.date(2030, 12, 31)))
    db.session.flush()
    with pytest.raises(WriteRefused, match="有效期不能重叠.*第十一条"):
        db.session.add(_standard(effective_from=dt.date(2030, 6, 1)))
        db.session.flush()


def test_reversed_period_is_refused(ctx):
    with pytest.raises(WriteRefused, match="失效日期早于生效日期"):
        db.session.add(_standard(effective_to=dt.date(2029, 1, 1)))
        db.session.flush()


def test_unregistered_kind_is_refused(ctx):
    with pytest.raises(WriteRefused, match="未被任何已安装模块登记"):
        db.session.add(_standard(kind="no_such_kind"))
        db.session.flush()


def test_standard_api_applies_the_same_rules(app, login):
    with app.app_context():
        jur = _jur("650100").id
    bureau = login("urumqi_bureau")
    response = bureau.api("POST", "/api/v1/standard/", json={
        "kind": "land_registration_target", "key": "share", "value": 99, "unit": "%",
        "jurisdiction_id": jur, "effective_from": "2026-03-01"})
    assert response.status_code == 422 and "有效期不能重叠" in response.get_json()["message"]
