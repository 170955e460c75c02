"""Each spending rule on each write path, naming its article (Art. 11, 12): the add form, the
XLSX import and the submit transition (the REST API is in test_spending_rules.py)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.models import Standard
from core.display import local_today
from core.extensions import db
from plugins.funds.spending.models import ExpenditureClaim
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.funds.spending_helpers import (
    DAY,
    ample_budget,  # noqa: F401
    class_id,
    make_claim,
    org,
    state,
)

#: rule -> (class, form/API details, import cells by header, words of the refusal, article)
CASES = {
    "funds.training_rate": ("30216", {"grade": "class1", "participants": 10, "days": 2, "amount": "14000"},
                            {"会议或培训类别": "一类", "人数": 10, "天数": 2, "*金额（元）": 14000},
                            "超过一类培训标准 650 元/人·天", "第十一条"),
    "funds.travel_rate": ("30211", {"participants": 1, "days": 2, "place": "kashgar", "meal_amount": "300",
                                    "amount": "300"},
                          {"人数": 1, "天数": 2, "出差地点": "喀什地区", "其中：伙食补助（元）": 300,
                           "*金额（元）": 300},
                          "超过喀什地区伙食补助标准 120 元/人·天", "第十一条"),
    "funds.rate_missing": ("30211", {"participants": 1, "days": 1, "place": "beijing", "rank": "director",
                                     "lodging_amount": "400", "amount": "400"},
                           {"人数": 1, "天数": 1, "出差地点": "北京市", "出差人员级别": "处级",
                            "其中：住宿费（元）": 400, "*金额（元）": 400},
                           "尚无有效的开支标准", "第十一条"),
    "funds.spending_details": ("30215", {"amount": "1000"}, {"*金额（元）": 1000}, "人数和天数", "第十一条"),
}


def _count(app, purpose):
    with app.app_context():
        return db.session.execute(select(func.count(ExpenditureClaim.id))
                                  .where(ExpenditureClaim.purpose == purpose)).scalar()


@pytest.mark.parametrize("rule", sorted(CASES))
def test_art11_each_rate_rule_refuses_on_the_form(app, login, rule):
    code, details, _cells, words, article = CASES[rule]
    purpose = f"表单 {rule} {uuid.uuid4().hex[:6]}"
    with app.app_context():
        org_id = org().id
    data = {"organization": org_id, "spent_on": DAY.isoformat(), "economic_class": class_id(app, code),
            "payee": "x", "purpose": purpose, "grade": "", "place": "", "rank": "", **details}
    html = login("tianshan_clerk").post("/expenditureclaimview/add", data=data,
                                        follow_redirects=True).get_data(as_text=True)
    assert words in html and article in html
    assert _count(app, purpose) == 0


@pytest.mark.parametrize("rule", sorted(CASES))
def test_art11_each_rate_rule_refuses_on_the_xlsx_import(app, login, rule):
    code, _details, cells, words, article = CASES[rule]
    purpose = f"导入 {rule} {uuid.uuid4().hex[:6]}"
    names = {"30216": "培训费", "30211": "差旅费", "30215": "会议费"}
    with app.app_context():
        base = {"*单位": org().name, "*支出日期": DAY, "*经济分类": names[code], "*收款人": "x",
                "*用途": purpose}
    row = {**base, **cells}
    response = login("tianshan_clerk").post("/api/v1/funds_spending_claim/import",
                                            data=upload(xlsx_bytes(list(row), [list(row.values())])),
                                            content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = " ".join(e["text"] for e in response.get_json()["errors"])
    assert "第 2 行" in texts and words in texts and article in texts
    assert _count(app, purpose) == 0


@pytest.mark.parametrize(("kind", "key", "value", "code", "details", "words"), [
    ("funds_training_rate", "class2", "400", "30216", {"grade": "class2", "participants": 10, "days": 1},
     "超过二类培训标准 400 元/人·天"),
    ("funds_travel_rate", "meal:urumqi", "80", "30211",
     {"participants": 1, "days": 1, "place": "urumqi", "meal_amount": Decimal("100")},
     "超过乌鲁木齐市伙食补助标准 80 元/人·天"),
])
def test_art11_the_submit_refuses_a_draft_above_a_rate_made_stricter(app, api_client, kind, key, value, code,
                                                                     details, words):
    pk = make_claim(app, code=code, amount="100" if code == "30211" else "5000", **details)
    with app.app_context():
        db.session.get(ExpenditureClaim, pk).spent_on = local_today()
        stricter = Standard(kind=kind, key=key, value=Decimal(value), unit="元/人·天",
                            jurisdiction=org().jurisdiction, effective_from=local_today(), basis="测试")
        db.session.add(stricter)
        db.session.commit()
        stricter_id = stricter.id
    try:
        response = api_client("tianshan_clerk").post(f"/api/v1/funds_spending_claim/{pk}/workflow/submit",
                                                     json={"comment": "请审批"})
        assert response.status_code == 422, response.get_json()
        assert words in response.get_json()["message"] and "第十一条" in response.get_json()["message"]
        assert state(app, pk) == "draft"
    finally:
        with app.app_context():
            db.session.delete(db.session.get(Standard, stricter_id))
            db.session.commit()
