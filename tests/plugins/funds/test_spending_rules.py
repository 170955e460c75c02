"""Art. 10-11: a claim above its spending standard is refused naming the article, on every path
(form, REST with a bearer token, XLSX import, direct write, the submit transition); a class
without a standard in force is refused naming the missing standard."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.models import Standard
from core.display import local_today
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import acting_as
from plugins.funds.spending.models import ExpenditureClaim
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.conftest import jwt_login
from tests.plugins.funds.spending_helpers import (
    DAY,
    ample_budget,  # noqa: F401
    class_id,
    make_claim,
    org,
    state,
    user,
)


def _count(app, purpose):
    with app.app_context():
        return db.session.execute(select(func.count(ExpenditureClaim.id))
                                  .where(ExpenditureClaim.purpose == purpose)).scalar()


def _meeting(app, amount, purpose, **extra):
    return {"spent_on": DAY.isoformat(), "place": "", "rank": "",
            "economic_class": class_id(app, "30215"), "amount": amount, "payee": "某宾馆",
            "purpose": purpose, "grade": "class2", "participants": 20, "days": 1, **extra}


def test_art11_meeting_above_its_rate_is_refused_on_the_form(app, login):
    """Done-when of issue 12 item 4: a meeting above its rate is refused naming the article."""
    purpose = f"表单超标会议 {uuid.uuid4().hex[:6]}"
    with app.app_context():
        org_id = org().id
    data = {**_meeting(app, "16400", purpose), "organization": org_id}
    html = login("tianshan_clerk").post("/expenditureclaimview/add", data=data,
                                        follow_redirects=True).get_data(as_text=True)
    assert "会议费人均每天 820.00 元，超过二类会议标准 650 元/人·天" in html
    assert "第十一条" in html
    assert _count(app, purpose) == 0


def test_art11_meeting_above_its_rate_is_refused_on_the_api_with_a_bearer_token(app):
    purpose = f"接口超标会议 {uuid.uuid4().hex[:6]}"
    client = app.test_client()
    token = jwt_login(client, "tianshan_clerk")["access_token"]
    with app.app_context():
        org_id = org().id
    body = {"organization_id": org_id, "spent_on": DAY.isoformat(),
            "economic_class_id": class_id(app, "30215"), "amount": "16400", "payee": "某宾馆",
            "purpose": purpose, "grade": "class2", "participants": 20, "days": 1}
    response = client.post("/api/v1/funds_spending_claim/", json=body,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert "超过二类会议标准 650 元/人·天" in message and "第十一条" in message
    assert _count(app, purpose) == 0
    body["amount"] = "13000"  # 650 per person and day: within the standard
    response = client.post("/api/v1/funds_spending_claim/", json=body,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    assert _count(app, purpose) == 1


def test_art11_meeting_above_its_rate_is_refused_on_the_xlsx_import(app, login):
    purpose = f"导入超标会议 {uuid.uuid4().hex[:6]}"
    with app.app_context():
        name = org().name
    headers = ["*单位", "*支出日期", "*经济分类", "*金额（元）", "*收款人", "*用途", "会议或培训类别",
               "人数", "天数"]
    rows = [[name, DAY, "会议费", 16400, "某宾馆", purpose, "二类", 20, 1]]
    response = login("tianshan_clerk").post("/api/v1/funds_spending_claim/import",
                                            data=upload(xlsx_bytes(headers, rows)),
                                            content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = " ".join(e["text"] for e in response.get_json()["errors"])
    assert "第 2 行" in texts and "超过二类会议标准 650 元/人·天" in texts and "第十一条" in texts
    assert _count(app, purpose) == 0


def test_art11_meeting_above_its_rate_is_refused_on_a_direct_write(app):
    with app.app_context(), acting_as(user(app, "tianshan_clerk")):
        with pytest.raises(WriteRefused, match="第十一条"):
            db.session.add(ExpenditureClaim(organization=org(), spent_on=DAY,
                                            economic_class_id=class_id(app, "30215"),
                                            amount=Decimal("16400"), payee="x", purpose="直接写入",
                                            grade="class2", participants=20, days=1))
            db.session.flush()
        db.session.rollback()


def _body(app, org_id, code):
    return {"organization_id": org_id, "spent_on": DAY.isoformat(), "economic_class_id": class_id(app, code),
            "payee": "x"}


def _rate(app, kind, key, value):
    """A stricter rate of 天山区 from today; returns its id (removed by the caller)."""
    with app.app_context():
        row = Standard(kind=kind, key=key, value=Decimal(value), unit="元/人·天",
                       jurisdiction=org().jurisdiction, effective_from=local_today(), basis="测试")
        db.session.add(row)
        db.session.commit()
        return row.id


def _drop(app, standard_id):
    with app.app_context():
        db.session.delete(db.session.get(Standard, standard_id))
        db.session.commit()


def test_art11_the_submit_rechecks_the_rate_in_force(app, login):
    """A draft within the old standard is refused at submit once a stricter one is in force."""
    pk = make_claim(app, amount="12000")  # 600 per person and day, 二类 (650)
    with app.app_context():
        db.session.get(ExpenditureClaim, pk).spent_on = local_today()
        db.session.commit()
    stricter = _rate(app, "funds_meeting_rate", "class2", "550")
    try:
        clerk = login("tianshan_clerk")
        html = clerk.post(f"/expenditureclaimview/workflow/{pk}/submit", data={"comment": ""},
                          follow_redirects=True).get_data(as_text=True)
        assert "超过二类会议标准 550 元/人·天" in html and "第十一条" in html
        assert state(app, pk) == "draft"
    finally:
        _drop(app, stricter)


@pytest.mark.parametrize(("code", "details", "words"), [
    ("30216", {"grade": "class1", "participants": 10, "days": 2, "amount": "14000"}, "超过一类培训标准 650"),
    ("30211", {"participants": 1, "days": 2, "place": "kashgar", "meal_amount": "300", "amount": "300"},
     "伙食补助人均每天 150.00 元，超过喀什地区伙食补助标准 120"),
    ("30211", {"participants": 1, "days": 1, "place": "urumqi", "rank": "staff", "lodging_amount": "500",
               "amount": "500"}, "住宿费人均每天 500.00 元，超过乌鲁木齐市一般工作人员住宿标准 380"),
])
def test_art11_training_and_travel_above_their_rates_are_refused_on_the_api(app, api_client, code, details,
                                                                          words):
    with app.app_context():
        org_id = org().id
    body = {"organization_id": org_id, "spent_on": DAY.isoformat(), "economic_class_id": class_id(app, code),
            "payee": "x", "purpose": f"超标 {uuid.uuid4().hex[:6]}", **details}
    response = api_client("tianshan_clerk").post("/api/v1/funds_spending_claim/", json=body)
    assert response.status_code == 422, response.get_json()
    assert words in response.get_json()["message"] and "第十一条" in response.get_json()["message"]


def test_art11_a_rated_class_without_a_standard_in_force_is_refused(app, api_client):
    """funds.rate_missing: lodging in 北京市 for a 处级 traveller has no demo standard."""
    with app.app_context():
        org_id = org().id
    body = {**_body(app, org_id, "30211"), "purpose": f"无标准 {uuid.uuid4().hex[:6]}",
            "participants": 1, "days": 1, "place": "beijing", "rank": "director",
            "lodging_amount": "400", "amount": "400"}
    response = api_client("tianshan_clerk").post("/api/v1/funds_spending_claim/", json=body)
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert "尚无有效的开支标准" in message and "lodging:beijing:director" in message and "第十一条" in message


def test_art11_a_meeting_claim_needs_its_class_persons_and_days(app, api_client):
    with app.app_context():
        org_id = org().id
    body = {**_body(app, org_id, "30215"), "purpose": "缺少明细", "amount": "1000"}
    response = api_client("tianshan_clerk").post("/api/v1/funds_spending_claim/", json=body)
    assert response.status_code == 422
    assert "人数和天数" in response.get_json()["message"] and "第十一条" in response.get_json()["message"]


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(app, api_client):
    with app.app_context():
        org_id = org().id
    purpose = f"负数 {uuid.uuid4().hex[:6]}"
    body = {**_body(app, org_id, "30201"), "purpose": purpose, "amount": "-5", "grade": "class9"}
    response = api_client("tianshan_clerk").post("/api/v1/funds_spending_claim/", json=body)
    assert response.status_code == 422
    text = str(response.get_json())
    assert "金额必须大于零" in text and "未知的会议或培训类别" in text
    assert _count(app, purpose) == 0
