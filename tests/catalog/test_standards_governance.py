"""Standards governance, 《办法》第十一条: each level sets its standards within the level above's.

A lower jurisdiction's standard may not be looser than the one in force above it (a cap not
higher, a minimum service life or a target not lower), on every write path; a change above
that leaves a lower standard looser is a finding on the lower one; a standard that takes effect
before the day it is recorded needs a reason and is a finding for the level above. Each test
makes the records it decides on: a class of its own (its own standards' key) and dates after
the demo's.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from catalog.models import Jurisdiction, Standard
from core.extensions import db
from core.models import Finding
from core.scoping import SYSTEM, acting_as
from tests.catalog.xlsx_helpers import upload, xlsx_bytes

_codes = itertools.count(1)


def _jur_id(code: str) -> int:
    return db.session.execute(select(Jurisdiction.id).where(Jurisdiction.code == code)).scalar_one()


def _fresh_class(app) -> str:
    """An asset class of this test's own: no standard names it yet."""
    from plugins.assets.cards.models import AssetClass

    with app.app_context(), acting_as(SYSTEM):
        code = f"27{next(_codes):05d}"
        while db.session.execute(select(AssetClass.id).where(AssetClass.code == code)).first():
            code = f"27{next(_codes):05d}"
        db.session.add(AssetClass(code=code, name=f"治理测试{code}", level=2))
        db.session.commit()
        db.session.remove()
    return code


def _set(app, kind, key, value, code, start, end=None, **kw) -> int:
    """A standard written by the system (the level above's, for a test to measure against)."""
    with app.app_context(), acting_as(SYSTEM):
        row = Standard(kind=kind, key=key, value=Decimal(value), unit="", jurisdiction_id=_jur_id(code),
                       effective_from=start, effective_to=end, **kw)
        db.session.add(row)
        db.session.commit()
        ident = row.id
        db.session.remove()
    return ident


def _ids(app, *codes) -> dict:
    with app.app_context():
        found = {code: _jur_id(code) for code in codes}
        db.session.remove()
    return found


def _body(kind, key, value, jurisdiction_id, start, **kw) -> dict:
    return {"kind": kind, "key": key, "value": value, "unit": "", "jurisdiction_id": jurisdiction_id,
            "effective_from": start, **kw}


def _count(app, key) -> int:
    with app.app_context():
        n = len(db.session.execute(select(Standard.id).where(Standard.key == key)).all())
        db.session.remove()
    return n


# ---- not looser than the standard above (第十一条) ----------------------------------------------

def test_art11_a_lower_cap_above_the_regions_is_refused_over_rest(app, api_client):
    """第十一条: 乌鲁木齐市 may lower the region's price cap, not raise it (a bearer token)."""
    key = _fresh_class(app)
    _set(app, "asset_price_cap", key, 5000, "650000", dt.date(2031, 1, 1))
    ids = _ids(app, "650100")
    bureau = api_client("urumqi_bureau")
    looser = bureau.post("/api/v1/standard/", json=_body("asset_price_cap", key, 6000, ids["650100"],
                                                         "2031-03-01"))
    assert looser.status_code == 422
    message = looser.get_json()["message"]
    assert "“资产单价上限”下级只能从严，不得高于上级标准" in message
    assert "新疆维吾尔自治区自 2031-01-01 起执行 5,000 元，本标准为 6,000 元" in message
    assert message.endswith("（《办法》第十一条）")
    assert _count(app, key) == 1  # nothing written
    stricter = bureau.post("/api/v1/standard/", json=_body("asset_price_cap", key, 4500, ids["650100"],
                                                           "2031-03-01"))
    assert stricter.status_code == 201, stricter.get_json()


def test_art11_a_shorter_minimum_service_life_is_refused_on_the_form(app, login):
    """第十一条: a minimum service life (a floor) may be longer below, not shorter (the form)."""
    key = _fresh_class(app)
    _set(app, "asset_min_service_life", key, 6, "650000", dt.date(2031, 1, 1))
    ids = _ids(app, "650100")
    form = {"kind": "asset_min_service_life", "key": key, "value": "5", "unit": "年",
            "jurisdiction": str(ids["650100"]), "effective_from": "2031-01-01", "basis": "测试"}
    bureau = login("urumqi_bureau")
    page = bureau.post("/standardview/add", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "“资产最低使用年限”下级只能从严，不得低于上级标准" in text
    assert "6 年" in text and "第十一条" in text
    assert _count(app, key) == 1
    saved = bureau.post("/standardview/add", data={**form, "value": "8"})
    assert saved.status_code == 302 and _count(app, key) == 2


def test_art11_the_whole_period_is_compared_and_the_nearest_level_above_counts(app, api_client):
    """第十一条: a county's open-ended cap is measured against its prefecture's (nearest above) and
    against a cap the region lowers later within the county's period."""
    key = _fresh_class(app)
    _set(app, "asset_price_cap", key, 8000, "650000", dt.date(2031, 1, 1), dt.date(2032, 12, 31))
    _set(app, "asset_price_cap", key, 3000, "650000", dt.date(2033, 1, 1))
    _set(app, "asset_price_cap", key, 5000, "650100", dt.date(2031, 1, 1), dt.date(2032, 12, 31))
    ids = _ids(app, "650102")
    bureau = api_client("urumqi_bureau")
    above_prefecture = bureau.post("/api/v1/standard/", json=_body(
        "asset_price_cap", key, 6000, ids["650102"], "2031-06-01", effective_to="2032-06-30"))
    assert above_prefecture.status_code == 422
    assert "乌鲁木齐市自 2031-01-01 起执行 5,000 元" in above_prefecture.get_json()["message"]
    into_2033 = bureau.post("/api/v1/standard/", json=_body("asset_price_cap", key, 4000, ids["650102"],
                                                            "2031-06-01"))
    assert into_2033.status_code == 422
    message = into_2033.get_json()["message"]
    assert "新疆维吾尔自治区自 2033-01-01 起执行 3,000 元，本标准为 4,000 元" in message
    ends_in_time = bureau.post("/api/v1/standard/", json=_body(
        "asset_price_cap", key, 4000, ids["650102"], "2031-06-01", effective_to="2032-12-31"))
    assert ends_in_time.status_code == 201, ends_in_time.get_json()


def test_art11_the_import_refuses_a_looser_row(app, login):
    """第十一条 on the XLSX import of 标准定额: the same rule, the row named, nothing written."""
    key = _fresh_class(app)
    _set(app, "asset_price_cap", key, 5000, "650000", dt.date(2031, 1, 1))
    bureau = login("urumqi_bureau")
    template = bureau.get("/standardview/xlsx/template")
    assert template.status_code == 200
    headers = [c.value for c in load_workbook(io.BytesIO(template.data)).worksheets[0][1]]
    values = {"类别": "asset_price_cap", "项目": key, "标准值": 7000, "计量单位": "元",
              "制定辖区": "乌鲁木齐市", "生效日期": dt.date(2031, 2, 1), "依据文件": "测试"}
    row = [values.get(h.lstrip("*").split("（")[0]) for h in headers]
    response = bureau.post("/api/v1/standard/import", data=upload(xlsx_bytes(headers, [row])),
                           content_type="multipart/form-data")
    assert response.status_code == 422, (headers, response.get_json())
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert len(texts) == 1 and texts[0].startswith("第 2 行")
    assert "不得高于上级标准" in texts[0] and texts[0].endswith("（《办法》第十一条）")
    assert _count(app, key) == 1


def test_art11_the_built_in_kinds_declare_which_way_is_stricter(app):
    """第十一条: caps may only go lower below, floors (a minimum life, a target rate) higher."""
    from core.state import get_state

    with app.app_context():
        kinds = {key: kind.stricter for key, (_m, kind) in get_state().standard_kinds.items()}
    assert kinds["asset_price_cap"] == "lower" and kinds["asset_min_service_life"] == "higher"
    assert kinds["land_registration_target"] == "higher"
    assert kinds["asset_quantity_cap_per_person"] == "lower"


def test_art11_tightening_above_flags_each_lower_standard_now_looser(app, api_client, login):
    """第十一条: the region may tighten its cap; the prefecture's, now looser, gets a finding its
    bureau sees, and the finding closes once the prefecture follows."""
    key = _fresh_class(app)
    region = _set(app, "asset_price_cap", key, 6000, "650000", dt.date(2031, 1, 1))
    ids = _ids(app, "650100")
    created = api_client("urumqi_bureau").post("/api/v1/standard/", json=_body(
        "asset_price_cap", key, 5000, ids["650100"], "2031-01-01"))
    assert created.status_code == 201
    lower = created.get_json()["id"]
    tightened = api_client("xj_bureau").api("PUT", f"/api/v1/standard/{region}", json={"value": 4000})
    assert tightened.status_code == 200, tightened.get_json()
    with app.app_context():
        finding = db.session.execute(select(Finding).where(
            Finding.entity == "standard", Finding.entity_id == str(lower),
            Finding.rule_key == "catalog.standard_looser_than_above")).scalar_one()
        assert finding.status == "open" and finding.article == 11
        pk = finding.id
        db.session.remove()
    page = login("urumqi_bureau").text(f"/findingview/show/{pk}")
    assert "上级标准已调整：新疆维吾尔自治区自 2031-01-01 起执行“资产单价上限”4,000 元" in page
    assert "本标准 5,000 元 已宽于上级标准" in page and "第十一条" in page
    followed = api_client("urumqi_bureau").api("PUT", f"/api/v1/standard/{lower}", json={"value": 4000})
    assert followed.status_code == 200, followed.get_json()
    with app.app_context():
        assert db.session.get(Finding, pk).status == "resolved"
        db.session.remove()


# ---- a past effective date needs a reason and is flagged (第十一条) --------------------------------

def test_art11_a_backdated_standard_needs_a_reason_and_is_flagged(app, api_client, login):
    """第十一条: a standard in force from before the day it is recorded changes what was compliant:
    refused without a reason; with one, a finding the region's bureau (the level above) sees."""
    from core.display import local_today

    key = _fresh_class(app)
    ids = _ids(app, "650100")
    with app.app_context():
        past = (local_today() - dt.timedelta(days=30)).isoformat()
    bureau = api_client("urumqi_bureau")
    bare = bureau.post("/api/v1/standard/", json=_body("asset_price_cap", key, 3000, ids["650100"], past))
    assert bare.status_code == 422
    assert f"生效日期 {past} 早于录入之日：追溯生效的标准须填写追溯生效理由" in bare.get_json()["message"]
    assert "第十一条" in bare.get_json()["message"] and _count(app, key) == 0
    stated = bureau.post("/api/v1/standard/", json=_body(
        "asset_price_cap", key, 3000, ids["650100"], past, backdate_reason="文件印发后补录"))
    assert stated.status_code == 201, stated.get_json()
    with app.app_context():
        finding = db.session.execute(select(Finding).where(
            Finding.entity == "standard", Finding.entity_id == str(stated.get_json()["id"]),
            Finding.rule_key == "catalog.standard_backdated")).scalar_one()
        pk = finding.id
        db.session.remove()
    page = login("xj_bureau").text(f"/findingview/show/{pk}")
    assert f"追溯生效的标准：自 {past} 起生效，早于录入之日，理由：文件印发后补录" in page


def test_art11_moving_the_effective_date_into_the_past_needs_a_reason(app, api_client):
    """第十一条: the reason is asked for when the date moves back, not only on creation."""
    from core.display import local_today

    key = _fresh_class(app)
    ids = _ids(app, "650100")
    bureau = api_client("urumqi_bureau")
    created = bureau.post("/api/v1/standard/", json=_body("asset_price_cap", key, 3000, ids["650100"],
                                                          "2031-01-01"))
    assert created.status_code == 201
    with app.app_context():
        past = (local_today() - dt.timedelta(days=1)).isoformat()
    moved = bureau.api("PUT", f"/api/v1/standard/{created.get_json()['id']}", json={"effective_from": past})
    assert moved.status_code == 422 and "追溯生效理由" in moved.get_json()["message"]


# ---- the form offers the kind's keys, unit, description and value input ---------------------------

def test_art11_the_form_describes_each_kind_for_its_script(login):
    """第十一条: the 类别 drop-down carries each kind's unit, description, value type, key group
    and what a lower level may do; the script that narrows the keys is served (no inline script)."""
    import html
    import json
    import re

    page = login("urumqi_bureau").text("/standardview/add")
    found = re.search(r'data-standard-kinds="([^"]*)"', page)
    assert found, "the kind drop-down carries the kinds"
    kinds = json.loads(html.unescape(found.group(1)))
    cap = kinds["asset_price_cap"]
    assert cap["type"] == "number" and cap["unit"] == "元" and cap["group"] == "资产单价上限：资产分类"
    assert "该类资产每件（套）的最高单价" in cap["help"] and "不得高于上级标准" in cap["help"]
    assert "不得低于上级标准" in kinds["asset_min_service_life"]["help"]
    assert "standards.js" in page and "标准内容" in page and "追溯生效理由" in page


def test_the_standards_script_is_served(login):
    response = login("urumqi_bureau").get("/static/jiguan/standards.js")
    assert response.status_code == 200 and b"data-standard-kinds" in response.data


def test_art11_two_overlapping_periods_in_one_import_file_are_refused(app, login):
    """第十一条: one standard per jurisdiction and day. Two rows of one file (one flush of the
    import) for the same class and jurisdiction with overlapping periods: neither is stored yet
    when the second is judged, which still sees the first; the file is refused, nothing written."""
    key = _fresh_class(app)
    bureau = login("urumqi_bureau")
    template = bureau.get("/standardview/xlsx/template")
    headers = [c.value for c in load_workbook(io.BytesIO(template.data)).worksheets[0][1]]

    def row(value, start):
        values = {"类别": "asset_price_cap", "项目": key, "标准值": value, "计量单位": "元",
                  "制定辖区": "乌鲁木齐市", "生效日期": start, "依据文件": "测试"}
        return [values.get(h.lstrip("*").split("（")[0]) for h in headers]

    response = bureau.post("/api/v1/standard/import", content_type="multipart/form-data", data=upload(
        xlsx_bytes(headers, [row(3000, dt.date(2031, 1, 1)), row(2800, dt.date(2031, 6, 1))])))
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert len(texts) == 1 and texts[0].startswith("第 3 行") and "有效期不能重叠" in texts[0], texts
    assert texts[0].endswith("（《办法》第十一条）")
    assert _count(app, key) == 0
