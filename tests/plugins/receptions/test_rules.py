"""Every rule of receptions (Art. 34 with 国内公务接待管理规定) on every path: the add form, REST with
a bearer token, the XLSX import, and the submission (a line written before the cap moved is
caught when the reception is submitted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from core.extensions import db
from core.scoping import acting_as
from plugins.receptions.hotels.models import DesignatedHotel
from plugins.receptions.requests.models import (
    Reception,
    ReceptionCompanion,
    ReceptionLodging,
    ReceptionMeal,
    ReceptionSettlement,
    companion_limit,
)
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.receptions.helpers import (
    DAY,
    attach_letter,
    decide_form,
    hotel_id,
    make_reception,
    state_of,
    submit_api,
)

ART = "第三十四条"


def _count(app, model, pk):
    with app.app_context():
        return db.session.execute(select(func.count(model.id)).where(model.reception_id == pk)).scalar()


def _import(browser, key, headers, rows):
    return browser.post(
        f"/api/v1/{key}/import", data=upload(xlsx_bytes(headers, rows)), content_type="multipart/form-data"
    )


def _import_error(response, row=2) -> str:
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert texts and texts[0].startswith(f"第 {row} 行"), response.get_json()
    return texts[0]


def _raw_line(app, model, pk, **values):
    """A line as it stood before the standard moved: written past the pipeline, as old data is."""
    with app.app_context():
        reception = db.session.get(Reception, pk)
        db.session.execute(
            insert(model.__table__).values(
                reception_id=pk,
                organization_id=reception.organization_id,
                jurisdiction_id=reception.jurisdiction_id,
                version=1,
                **values,
            )
        )
        db.session.commit()


def _submit_refused(app, api_client, pk, expected):
    clerk = api_client("tianshan_clerk")
    assert attach_letter(clerk, pk).status_code == 201
    response = submit_api(clerk, pk)
    assert response.status_code == 422, response.get_json()
    assert expected in response.get_json()["message"] and ART in response.get_json()["message"]
    assert state_of(app, pk) == "draft"


# --- 陪餐 at most 3 up to 10 guests, else a third of the guests (规定第九条) ------------------------


@pytest.mark.parametrize(("guests", "cap"), [(10, 3), (11, 3), (12, 4), (30, 10), (1, 3), (33, 11)])
def test_art34_companion_cap_arithmetic(guests, cap):
    assert companion_limit(guests, 10, 3, Decimal("0.3333")) == cap


@pytest.mark.parametrize(("guests", "cap"), [(10, 3), (11, 3), (12, 4), (30, 10)])
def test_art34_companions_cap_on_rest_at_the_edges(app, api_client, guests, cap):
    pk = make_reception(app, f"陪餐{guests}人单位", guests=guests, companions=cap)
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/reception_companion/", json={"reception_id": pk, "name": "多一位", "post": "科员"}
    )
    assert response.status_code == 422
    message = response.get_json()["message"]
    assert f"接待对象 {guests} 人，陪餐人数不得超过 {cap} 人" in message and ART in message
    assert _count(app, ReceptionCompanion, pk) == cap


def test_art34_companion_within_cap_is_accepted_on_rest(app, api_client):
    pk = make_reception(app, "陪餐未超单位", guests=12, companions=3)
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/reception_companion/", json={"reception_id": pk, "name": "第四位", "post": "科员"}
    )
    assert response.status_code == 201, response.get_json()


def test_art34_companions_cap_on_the_form(app, login):
    pk = make_reception(app, "陪餐表单单位", guests=4, companions=3)
    html = (
        login("tianshan_clerk")
        .post(
            "/receptioncompanionview/add",
            data={"reception": pk, "name": "表单多一位", "post": "科员"},
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "陪餐人数不得超过 3 人" in html and ART in html
    assert _count(app, ReceptionCompanion, pk) == 3


def test_art34_companions_cap_on_import(app, login):
    pk = make_reception(app, "陪餐导入单位", guests=5, companions=2)
    text = _import_error(
        _import(
            login("tianshan_clerk"),
            "reception_companion",
            ["接待审批单", "name", "post"],
            [[pk, "导入一", "科员"], [pk, "导入二", "科员"]],
        ),
        row=3,
    )
    assert "接待对象 5 人，陪餐人数不得超过 3 人，新增后为 4 人" in text and ART in text
    assert _count(app, ReceptionCompanion, pk) == 2


def test_art34_companions_cap_on_submit(app, api_client):
    """12 guests allow 4 companions; one guest dropped leaves 11, which allow 3: submit is refused."""
    pk = make_reception(app, "陪餐提交单位", guests=12, companions=4)
    with app.app_context():
        guest = db.session.get(Reception, pk).guests[0].id
    assert api_client("tianshan_clerk").api("DELETE", f"/api/v1/reception_guest/{guest}").status_code == 200
    _submit_refused(app, api_client, pk, "接待对象 11 人，陪餐人数不得超过 3 人")


# --- 工作餐 within the meal standard ---------------------------------------------------------------


def test_art34_meal_cap_on_rest(app, api_client):
    pk = make_reception(app, "餐费接口单位")
    clerk = api_client("tianshan_clerk")
    body = {
        "reception_id": pk,
        "meal_on": DAY.isoformat(),
        "kind": "lunch",
        "persons": 4,
        "per_person": "120",
    }
    response = clerk.api("POST", "/api/v1/reception_meal/", json=body)
    assert response.status_code == 422
    assert "午餐人均 120.00 元，超过工作餐标准 100.00 元/人·餐" in response.get_json()["message"]
    assert ART in response.get_json()["message"] and _count(app, ReceptionMeal, pk) == 0
    assert clerk.api("POST", "/api/v1/reception_meal/", json={**body, "per_person": "100"}).status_code == 201


def test_art34_meal_cap_on_the_form(app, login):
    pk = make_reception(app, "餐费表单单位")
    html = (
        login("tianshan_clerk")
        .post(
            "/receptionmealview/add",
            data={
                "reception": pk,
                "meal_on": DAY.isoformat(),
                "kind": "breakfast",
                "persons": "3",
                "per_person": "45",
                "place": "食堂",
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "早餐人均 45.00 元，超过工作餐标准 30.00 元/人·餐" in html and ART in html
    assert _count(app, ReceptionMeal, pk) == 0


def test_art34_meal_cap_on_import(app, login):
    pk = make_reception(app, "餐费导入单位")
    text = _import_error(
        _import(
            login("tianshan_clerk"),
            "reception_meal",
            ["接待审批单", "meal_on", "kind", "persons", "per_person"],
            [[pk, DAY, "晚餐", 4, 150]],
        )
    )
    assert "晚餐人均 150.00 元，超过工作餐标准" in text and ART in text
    assert _count(app, ReceptionMeal, pk) == 0


def test_art34_meal_cap_on_submit(app, api_client):
    pk = make_reception(app, "餐费提交单位")
    _raw_line(app, ReceptionMeal, pk, meal_on=DAY, kind="dinner", persons=4, per_person=Decimal("180"))
    _submit_refused(app, api_client, pk, "晚餐人均 180.00 元，超过工作餐标准 100.00 元/人·餐")


# --- lodging at a designated hotel at its agreed price, within the lodging standard ----------------


def _lodging(pk, hotel, room="standard", price="300"):
    return {
        "reception_id": pk,
        "hotel_id": hotel,
        "room_type": room,
        "check_in": DAY.isoformat(),
        "nights": 1,
        "rooms": 1,
        "price": price,
        "paid_by_guest": True,
    }


def test_art34_designated_hotel_on_rest(app, api_client):
    pk = make_reception(app, "住宿接口单位")
    clerk = api_client("tianshan_clerk")
    # 喀什's designated hotel does not serve 天山区
    kashgar = hotel_id(app, "喀什噶尔宾馆（演示）")
    response = clerk.api("POST", "/api/v1/reception_lodging/", json=_lodging(pk, kashgar))
    assert response.status_code in (403, 422), response.get_json()
    # above the agreed price of 天山宾馆's 标准间 (320)
    tianshan = hotel_id(app)
    response = clerk.api("POST", "/api/v1/reception_lodging/", json=_lodging(pk, tianshan, price="330"))
    assert response.status_code == 422
    assert "“天山宾馆（演示）”价格高于协议价 320.00 元" in response.get_json()["message"]
    assert ART in response.get_json()["message"]
    # a room type without an agreed price (博格达饭店 has no 套间 price)
    bogda = hotel_id(app, "博格达饭店（演示）")
    response = clerk.api("POST", "/api/v1/reception_lodging/", json=_lodging(pk, bogda, "suite", "200"))
    assert response.status_code == 422 and "该房型没有协议价格" in response.get_json()["message"]
    assert _count(app, ReceptionLodging, pk) == 0
    assert (
        clerk.api("POST", "/api/v1/reception_lodging/", json=_lodging(pk, tianshan, price="320")).status_code
        == 201
    )


def test_art34_designated_hotel_on_the_form(app, login):
    pk = make_reception(app, "住宿表单单位")
    html = (
        login("tianshan_clerk")
        .post(
            "/receptionlodgingview/add",
            data={
                "reception": pk,
                "hotel": hotel_id(app),
                "room_type": "single",
                "check_in": DAY.isoformat(),
                "nights": "2",
                "rooms": "1",
                "price": "310",
                "paid_by_guest": "y",
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "价格高于协议价 300.00 元" in html and ART in html
    assert _count(app, ReceptionLodging, pk) == 0


def test_art34_designated_hotel_on_import(app, login):
    pk = make_reception(app, "住宿导入单位")
    text = _import_error(
        _import(
            login("tianshan_clerk"),
            "reception_lodging",
            ["接待审批单", "定点接待酒店", "room_type", "check_in", "nights", "rooms", "price"],
            [[pk, "天山宾馆（演示）", "标准间", DAY, 1, 1, 400]],
        )
    )
    assert "价格高于协议价 320.00 元" in text and ART in text
    assert _count(app, ReceptionLodging, pk) == 0


def test_art34_designated_hotel_on_submit(app, api_client):
    """A designation that ended before the stay: the lodging is refused when submitted."""
    with app.app_context():
        old = db.session.execute(
            select(DesignatedHotel).where(DesignatedHotel.name == "天山宾馆（演示）")
        ).scalar_one()
        hotel = DesignatedHotel(
            name="已到期定点酒店（测试）",
            address="天山区",
            jurisdiction_id=old.jurisdiction_id,
            price_standard=Decimal("200"),
            effective_from=dt.date(2020, 1, 1),
            effective_to=dt.date(2024, 12, 31),
        )
        with acting_as(app.appbuilder.sm.find_user(username="admin")):
            db.session.add(hotel)
            db.session.commit()
        expired = hotel.id
    pk = make_reception(app, "住宿提交单位")
    _raw_line(
        app,
        ReceptionLodging,
        pk,
        hotel_id=expired,
        room_type="standard",
        check_in=DAY,
        nights=1,
        rooms=1,
        price=Decimal("200"),
        paid_by_guest=True,
    )
    _submit_refused(app, api_client, pk, "“已到期定点酒店（测试）”不是本辖区在该日期有效的定点接待酒店")


@pytest.fixture
def dear_hotel(app):
    """A designated hotel whose agreed 标准间 price (420) is above the lodging standard (350)."""
    with app.app_context():
        jurisdiction = db.session.execute(
            select(DesignatedHotel.jurisdiction_id).where(DesignatedHotel.name == "天山宾馆（演示）")
        ).scalar_one()
        with acting_as(app.appbuilder.sm.find_user(username="admin")):
            hotel = DesignatedHotel(
                name=f"高价定点酒店{dt.datetime.now():%H%M%S%f}",
                address="天山区",
                jurisdiction_id=jurisdiction,
                price_standard=Decimal("420"),
                effective_from=dt.date(2024, 1, 1),
            )
            db.session.add(hotel)
            db.session.commit()
        return hotel.id, hotel.name


def test_art34_lodging_cap_on_rest(app, api_client, dear_hotel):
    pk = make_reception(app, "住宿标准接口单位")
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/reception_lodging/", json=_lodging(pk, dear_hotel[0], price="400")
    )
    assert response.status_code == 422
    assert "标准间每间每天 400.00 元，超过接待住宿标准 350.00 元" in response.get_json()["message"]
    assert ART in response.get_json()["message"] and _count(app, ReceptionLodging, pk) == 0


def test_art34_lodging_cap_on_the_form(app, login, dear_hotel):
    pk = make_reception(app, "住宿标准表单单位")
    html = (
        login("tianshan_clerk")
        .post(
            "/receptionlodgingview/add",
            data={
                "reception": pk,
                "hotel": dear_hotel[0],
                "room_type": "standard",
                "check_in": DAY.isoformat(),
                "nights": "1",
                "rooms": "1",
                "price": "380",
                "paid_by_guest": "y",
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "超过接待住宿标准 350.00 元" in html and ART in html
    assert _count(app, ReceptionLodging, pk) == 0


def test_art34_lodging_cap_on_import(app, login, dear_hotel):
    pk = make_reception(app, "住宿标准导入单位")
    text = _import_error(
        _import(
            login("tianshan_clerk"),
            "reception_lodging",
            ["接待审批单", "定点接待酒店", "room_type", "check_in", "nights", "rooms", "price"],
            [[pk, dear_hotel[1], "标准间", DAY, 1, 1, 390]],
        )
    )
    assert "超过接待住宿标准 350.00 元" in text and ART in text


def test_art34_lodging_cap_on_submit(app, api_client, dear_hotel):
    pk = make_reception(app, "住宿标准提交单位")
    _raw_line(
        app,
        ReceptionLodging,
        pk,
        hotel_id=dear_hotel[0],
        room_type="standard",
        check_in=DAY,
        nights=1,
        rooms=1,
        price=Decimal("410"),
        paid_by_guest=True,
    )
    _submit_refused(app, api_client, pk, "超过接待住宿标准 350.00 元")


# --- nothing the rules forbid: banquets, tobacco, premium liquor, gifts, delicacies, ceremonies ------


def test_art34_forbidden_items_on_rest(app, api_client):
    response = api_client("tianshan_clerk").api(
        "POST",
        "/api/v1/reception/",
        json={
            "organization_id": _org(app),
            "guest_unit": "申报礼品单位",
            "activity": "调研",
            "start_on": DAY.isoformat(),
            "end_on": DAY.isoformat(),
            "place": "会议室",
            "declared_item": "gifts",
        },
    )
    assert response.status_code == 422
    assert "公务接待不得安排礼品" in response.get_json()["message"] and ART in response.get_json()["message"]
    assert _receptions(app, "申报礼品单位") == 0


def test_art34_forbidden_items_on_the_form(app, login):
    html = (
        login("tianshan_clerk")
        .post(
            "/receptionview/add",
            data={
                "organization": _org(app),
                "guest_unit": "申报香烟单位",
                "activity": "调研",
                "start_on": DAY.isoformat(),
                "end_on": DAY.isoformat(),
                "place": "会议室",
                "declared_item": "tobacco",
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    assert "公务接待不得安排香烟" in html and ART in html
    assert _receptions(app, "申报香烟单位") == 0


def test_art34_forbidden_items_on_import(app, login):
    text = _import_error(
        _import(
            login("tianshan_clerk"),
            "reception",
            ["接待单位", "guest_unit", "activity", "start_on", "end_on", "place", "declared_item"],
            [["乌鲁木齐市天山区财政局", "申报仪式单位", "调研", DAY, DAY, "会议室", "迎送仪式"]],
        )
    )
    assert "公务接待不得安排迎送仪式" in text and ART in text
    assert _receptions(app, "申报仪式单位") == 0


def test_art34_forbidden_items_on_submit(app, api_client):
    """A declaration on a reception written before the rule (old data) is refused at submission."""
    pk = make_reception(app, "提交申报单位")
    with app.app_context():
        db.session.execute(
            Reception.__table__.update().where(Reception.id == pk).values(declared_item="liquor")
        )
        db.session.commit()
    _submit_refused(app, api_client, pk, "公务接待不得安排高档酒水")


def test_art34_letter_required_on_a_direct_write(app):
    """What a CLI command or a job does: transition() as the clerk, refused without the 公函."""
    from core.errors import WriteRefused
    from core.workflow.approval import transition

    pk = make_reception(app, "直写公函单位")
    with app.app_context():
        with (
            acting_as(app.appbuilder.sm.find_user(username="tianshan_clerk")),
            pytest.raises(WriteRefused, match="无公函的公务活动一律不予接待"),
        ):
            transition(db.session.get(Reception, pk), "submit", "请审批", view_name="ReceptionView")
            db.session.flush()
        db.session.rollback()
    assert state_of(app, pk) == "draft"


def test_art34_settlement_before_approval_on_the_form(app, login):
    pk = make_reception(app, "表单结算单位")
    html = decide_form(login("tianshan_clerk"), pk, "submit")
    assert "无公函" in html
    html = (
        login("tianshan_clerk")
        .post(
            "/receptionsettlementview/add",
            data={
                "reception": pk,
                "meals_cost": "100",
                "lodging_cost": "0",
                "transport_cost": "0",
                "other_cost": "0",
            },
            follow_redirects=True,
        )
        .get_data(as_text=True)
    )
    # the form offers approved receptions only; the rule refuses the API's (test_flow)
    assert "所选记录不存在或您无权选择" in html
    with app.app_context():
        assert (
            db.session.execute(
                select(func.count(ReceptionSettlement.id)).where(ReceptionSettlement.reception_id == pk)
            ).scalar()
            == 0
        )


def _org(app) -> int:
    from tests.plugins.receptions.helpers import org_id

    return org_id(app)


def _receptions(app, unit) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.count(Reception.id)).where(Reception.guest_unit == unit)
        ).scalar()
