"""定点接待酒店 (Art. 34): reference data the bureaus keep, read below; bad input refused in Chinese."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from plugins.receptions.hotels.models import DesignatedHotel


def _body(name, **extra):
    return {
        "name": name,
        "address": "乌鲁木齐市测试路 1 号",
        "jurisdiction_id": _urumqi(),
        "price_standard": "300",
        "effective_from": "2026-01-01",
        **extra,
    }


def _urumqi():
    from catalog.models import Jurisdiction

    return db.session.execute(select(Jurisdiction.id).where(Jurisdiction.code == "650100")).scalar_one()


def _count(app, name):
    with app.app_context():
        return db.session.execute(
            select(func.count(DesignatedHotel.id)).where(DesignatedHotel.name == name)
        ).scalar()


def test_art34_the_city_bureau_designates_and_the_district_clerk_reads(app, api_client):
    with app.app_context():
        body = _body("测试定点酒店甲")
    assert api_client("tianshan_clerk").api("POST", "/api/v1/reception_hotel/", json=body).status_code == 403
    response = api_client("urumqi_bureau").api("POST", "/api/v1/reception_hotel/", json=body)
    assert response.status_code == 201, response.get_json()
    # shared up: 天山区's clerk reads the city's designation
    listed = api_client("tianshan_clerk").api("GET", "/api/v1/reception_hotel/?page_size=100").get_json()
    assert "测试定点酒店甲" in [row["name"] for row in listed["result"]]
    listed = api_client("kashgar_clerk").api("GET", "/api/v1/reception_hotel/?page_size=100").get_json()
    assert "测试定点酒店甲" not in [row["name"] for row in listed["result"]]


def test_art34_hotel_bad_input_is_refused_in_chinese(app, api_client):
    bureau = api_client("urumqi_bureau")
    with app.app_context():
        negative = _body("测试定点酒店乙", price_single="-1")
        backwards = _body("测试定点酒店丙", effective_to="2025-12-31")
    response = bureau.api("POST", "/api/v1/reception_hotel/", json=negative)
    assert response.status_code == 422 and "协议价格不能为负数" in str(response.get_json())
    response = bureau.api("POST", "/api/v1/reception_hotel/", json=backwards)
    assert response.status_code == 422 and "定点截止日期不能早于起始日期" in str(response.get_json())
    assert _count(app, "测试定点酒店乙") == 0 and _count(app, "测试定点酒店丙") == 0
