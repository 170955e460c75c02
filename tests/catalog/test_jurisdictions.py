"""The jurisdiction tree (Art. 2): GB/T 2260 codes, levels, materialised paths, retirement."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from catalog.divisions import read_divisions
from catalog.models import Jurisdiction
from core.errors import WriteRefused
from core.extensions import db


def _jur(code):
    return db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one()


def test_demo_holds_the_real_divisions(ctx):
    shipped = read_divisions()
    assert len([r for r in shipped if r["level"] == "prefecture"]) == 14
    for row in shipped:
        jurisdiction = _jur(row["code"])
        assert jurisdiction.name == row["name"] and jurisdiction.level == row["level"]
    assert _jur("650102").path == "/650000/650100/650102/"
    assert _jur("653131").parent.code == "653100"


def test_path_follows_the_parent_on_every_write(ctx):
    county = Jurisdiction(code="650199", name="测试新区", level="county", parent=_jur("650100"), path="")
    db.session.add(county)
    db.session.flush()
    assert county.path == "/650000/650100/650199/"


def test_level_must_follow_the_parent_art2(ctx):
    with pytest.raises(WriteRefused, match="层级与上级不符.*第二条"):
        db.session.add(Jurisdiction(code="659999", name="错误县", level="county",
                                    parent=_jur("650000"), path=""))
        db.session.flush()


def test_code_must_be_six_digits(ctx):
    with pytest.raises(ValueError, match="6 位数字"):
        Jurisdiction(code="65A1", name="坏代码", level="county")


def test_renaming_and_retiring_keeps_history(app, login):
    bureau = login("urumqi_bureau")
    with app.app_context():
        district = _jur("650107")
        pk, version = district.id, district.version
    bureau.post(f"/jurisdictionview/edit/{pk}", data={"name": "达坂城区（已撤销）",
                                                      "retired_on": "2026-01-01", "lock_version": version})
    with app.app_context():
        district = db.session.get(Jurisdiction, pk)
        assert district.name == "达坂城区（已撤销）" and district.retired_on == dt.date(2026, 1, 1)
    html = bureau.text(f"/history/jurisdiction/{pk}")
    assert "达坂城区" in html and "达坂城区（已撤销）" in html
    # a sibling prefecture's division is not the Urumqi bureau's to edit
    with app.app_context():
        kashgar = _jur("653101")
    assert bureau.post(f"/jurisdictionview/edit/{kashgar.id}",
                       data={"name": "x", "lock_version": kashgar.version}).status_code == 404
