"""The fleet (issue 13 items 1, 2, 6, 7): the establishment (Art. 27) bounds the holdings on every
write path, the vehicle register is one truth with its asset card (Art. 26, 29), the purchase is
booked under 31013, disposal (Art. 30) by procedure, 调剂 or 厂家回收, and the two reports."""

from __future__ import annotations

import io

from sqlalchemy import select

from catalog.expenditures import Expenditure
from core.extensions import db
from core.scoping import scope_for_user
from plugins.vehicles.fleet.models import Vehicle, VehicleDisposal, VehicleEstablishment
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.vehicles.conftest import KASHGAR, TIANSHAN, TIANSHAN_EDU, vin_for

TIANSHAN_OFFICE = "乌鲁木齐市天山区人民政府办公室"


def _vehicle(app, pk) -> Vehicle:
    with app.app_context():
        vehicle = db.session.get(Vehicle, pk)
        card = vehicle.asset
        return dict(
            org=vehicle.organization_id,
            status=vehicle.status,
            disposed_on=vehicle.disposed_on,
            card_org=card.organization_id,
            card_status=card.status,
            category=vehicle.category_id,
        )


def _count(app, plate) -> int:
    with app.app_context():
        return len(db.session.execute(select(Vehicle.id).where(Vehicle.plate == plate)).all())


def _body(fleet, number, card, category="special", **extra):
    body = {
        "asset_id": card,
        "plate": number,
        "vin": vin_for(number),
        "brand": "红旗",
        "model_name": "H5",
        "energy_type": "petrol",
        "displacement": "1.80",
        "category_id": fleet.category_id(category),
    }
    body.update(extra)
    return body


def _form(fleet, number, card, category="special", **extra):
    data = {
        "asset": str(card),
        "plate": number,
        "vin": vin_for(number),
        "brand": "红旗",
        "model_name": "H5",
        "energy_type": "petrol",
        "displacement": "1.80",
        "category": str(fleet.category_id(category)),
        "odometer_km": "0",
        "marked": "y",
    }
    data.update(extra)
    return data


# --- Art. 27: holdings never exceed the establishment -------------------------------------------


def test_art27_demo_tianshan_finance_at_its_establishment_cannot_add_on_rest(app, api_client, fleet):
    """The done-when: 天山区财政局 holds 2 of its 2 执法执勤用车; a third is refused, nothing written."""
    card = fleet.card("新B·T0101")
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0101", card, "enforcement")
    )
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert "乌鲁木齐市天山区财政局的执法执勤用车编制为 2 辆，已有 2 辆，不能再增加" in message
    assert "第二十七条" in message
    assert _count(app, "新B·T0101") == 0


def test_art27_within_establishment_saved_then_full_refused_on_rest_post(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 1)
    clerk = api_client("tianshan_clerk")
    first = clerk.api("POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0201", fleet.card("新B·T0201")))
    assert first.status_code == 201, first.get_json()
    # the organisation is the card's, filled by the write pipeline
    assert _vehicle(app, first.get_json()["id"])["org"] == fleet.org_id(TIANSHAN)
    second = clerk.api("POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0202", fleet.card("新B·T0202")))
    assert second.status_code == 422 and "编制为 1 辆，已有 1 辆" in second.get_json()["message"]
    assert "第二十七条" in second.get_json()["message"]


def test_art27_no_establishment_means_none_on_form(app, login, fleet):
    card = fleet.card("新B·T0301")
    html = (
        login("tianshan_clerk")
        .post("/vehicleview/add", data=_form(fleet, "新B·T0301", card, "confidential"), follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "机要通信用车编制为 0 辆，已有 0 辆，不能再增加" in html and "第二十七条" in html
    assert _count(app, "新B·T0301") == 0


def test_art27_form_within_establishment_is_saved(app, login, fleet):
    fleet.establishment(TIANSHAN, "special", 1)
    card = fleet.card("新B·T0351")
    login("tianshan_clerk").post(
        "/vehicleview/add", data=_form(fleet, "新B·T0351", card), follow_redirects=True
    )
    assert _count(app, "新B·T0351") == 1


def test_art27_category_change_refused_on_rest_put(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 1)
    pk = fleet.vehicle("新B·T0401")
    response = api_client("tianshan_clerk").api(
        "PUT", f"/api/v1/vehicle/{pk}", json={"category_id": fleet.category_id("enforcement")}
    )
    assert response.status_code == 422, response.get_json()
    assert "执法执勤用车编制为 2 辆，已有 2 辆" in response.get_json()["message"]
    assert _vehicle(app, pk)["category"] == fleet.category_id("special")


def test_art27_refused_on_xlsx_import(app, login, fleet):
    fleet.establishment(TIANSHAN, "special", 1)
    fleet.vehicle("新B·T0501")
    card = fleet.card("新B·T0502")
    headers = [
        "*资产卡片",
        "*号牌号码",
        "*车辆识别代号",
        "*品牌",
        "*型号",
        "*能源类型",
        "排量（升）",
        "*公务用车类别",
    ]
    row = [
        "T-CL-新B·T0502",
        "新B·T0502",
        vin_for("新B·T0502"),
        "红旗",
        "H5",
        "燃油（汽油）",
        1.8,
        "特种专业技术用车",
    ]
    response = login("tianshan_clerk").post(
        "/api/v1/vehicle/import", data=upload(xlsx_bytes(headers, [row])), content_type="multipart/form-data"
    )
    assert response.status_code == 422, response.get_json()
    texts = " ".join(e["text"] for e in response.get_json()["errors"])
    assert "编制为 1 辆，已有 1 辆" in texts and "第二十七条" in texts, texts
    assert _count(app, "新B·T0502") == 0 and card


def test_art27_import_within_establishment_counts_rows_before(app, login, fleet):
    fleet.establishment(TIANSHAN, "special", 1)
    fleet.card("新B·T0511")
    fleet.card("新B·T0512")
    headers = [
        "*资产卡片",
        "*号牌号码",
        "*车辆识别代号",
        "*品牌",
        "*型号",
        "*能源类型",
        "排量（升）",
        "*公务用车类别",
    ]
    rows = [
        [f"T-CL-{p}", p, vin_for(p), "红旗", "H5", "燃油（汽油）", 1.8, "特种专业技术用车"]
        for p in ("新B·T0511", "新B·T0512")
    ]
    response = login("tianshan_clerk").post(
        "/api/v1/vehicle/import", data=upload(xlsx_bytes(headers, rows)), content_type="multipart/form-data"
    )
    assert response.status_code == 422, response.get_json()
    assert _count(app, "新B·T0511") == 0 and _count(app, "新B·T0512") == 0


# --- Art. 29 使用登记 and Art. 26 the card ----------------------------------------------------------


def test_art29_plate_vin_and_displacement_checked_on_rest(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    clerk = api_client("tianshan_clerk")
    card = fleet.card("新B·T0601")
    bad_plate = clerk.api("POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0601", card, plate="ABC123"))
    assert bad_plate.status_code == 422 and "号牌号码“ABC123”格式不正确" in bad_plate.get_json()["message"]
    bad_vin = clerk.api(
        "POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0601", card, vin="LTSTFO0000000601")
    )
    assert bad_vin.status_code == 422 and "车辆识别代号" in bad_vin.get_json()["message"]
    no_disp = clerk.api("POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0601", card, displacement=None))
    assert no_disp.status_code == 422 and "须填写排量" in no_disp.get_json()["message"]
    # an 8-character 新能源 plate, battery-electric without displacement: saved
    card2 = fleet.card("新B·D06021")
    ok = clerk.api(
        "POST",
        "/api/v1/vehicle/",
        json=_body(fleet, "新B·D06021", card2, energy_type="bev", displacement=None),
    )
    assert ok.status_code == 201, ok.get_json()
    assert _count(app, "新B·T0601") == 0


def test_art29_bad_plate_refused_on_form(app, login, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    card = fleet.card("新B·T0701")
    html = (
        login("tianshan_clerk")
        .post("/vehicleview/add", data=_form(fleet, "新B·T0701", card, plate="新B-12"), follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "号牌号码“新B-12”格式不正确" in html and "第二十九条" in html


def test_art26_card_must_be_of_the_class_vehicle_on_rest(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    card = fleet.card("新B·T0801", class_code="2010000", value="5000")
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0801", card)
    )
    assert response.status_code == 422
    assert (
        "分类不是“车辆”" in response.get_json()["message"] and "第二十六条" in response.get_json()["message"]
    )


def test_art26_one_card_one_vehicle_on_rest(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T0901")
    with app.app_context():
        card = db.session.get(Vehicle, pk).asset_id
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/vehicle/", json=_body(fleet, "新B·T0902", card)
    )
    assert response.status_code == 422 and "已登记为车辆 新B·T0901" in response.get_json()["message"]


def test_status_is_changed_only_by_operations_on_rest_put(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T1001")
    response = api_client("tianshan_clerk").api("PUT", f"/api/v1/vehicle/{pk}", json={"status": "disposed"})
    assert response.status_code == 422
    assert _vehicle(app, pk)["status"] == "in_service"


# --- the vehicle follows its card --------------------------------------------------------------


def test_vehicle_follows_its_card_moved_and_disposed_in_the_assets_module(app, fleet):
    """The Derivation on ``asset`` (by key): the card's move and disposal reach the vehicle."""
    fleet.establishment(TIANSHAN, "special", 3)
    fleet.establishment(TIANSHAN_EDU, "special", 1)
    pk = fleet.vehicle("新B·T1101")
    edu = fleet.org_id(TIANSHAN_EDU)
    with app.app_context():
        card = db.session.get(Vehicle, pk).asset
        card.organization_id = edu
        db.session.commit()
    assert _vehicle(app, pk)["org"] == edu
    with app.app_context():
        db.session.get(Vehicle, pk).asset.status = "disposed"
        db.session.commit()
    after = _vehicle(app, pk)
    assert after["status"] == "disposed" and after["disposed_on"] is not None


def test_art27_card_moved_to_an_organisation_without_room_is_refused(app, fleet):
    from core.api import WriteRefused

    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T1201")
    with app.app_context():
        card = db.session.get(Vehicle, pk).asset
        card.organization_id = fleet.org(TIANSHAN_OFFICE).id
        try:
            db.session.commit()
            raise AssertionError("the move was written")
        except WriteRefused as exc:
            assert "第二十七条" in str(exc)
            db.session.rollback()
    assert _vehicle(app, pk)["org"] == fleet.org_id(TIANSHAN)


# --- 购置入账: 31013 ----------------------------------------------------------------------------


def _purchases(app, pk):
    with app.app_context():
        rows = (
            db.session.execute(
                select(Expenditure).where(Expenditure.source_type == "vehicle", Expenditure.source_id == pk)
            )
            .scalars()
            .all()
        )
        return [(r.economic_class.code, str(r.amount), r.spent_on.isoformat(), r.payee) for r in rows]


def test_book_purchase_posts_31013_idempotently_and_void_withdraws(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T1301", value="188800")
    clerk = api_client("tianshan_clerk")
    for _ in range(2):
        done = clerk.api("POST", f"/api/v1/vehicle/{pk}/book_purchase", json={})
        assert done.status_code == 200, done.get_json()
    assert _purchases(app, pk) == [("31013", "188800.00", "2026-03-01", "测试品牌")]
    voided = clerk.api("POST", f"/api/v1/vehicle/{pk}/void", json={"reason": "重复登记"})
    assert voided.status_code == 200, voided.get_json()
    assert _purchases(app, pk) == []


def test_book_purchase_refused_for_a_card_not_bought(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T1401", method="transfer_in")
    response = api_client("tianshan_clerk").api("POST", f"/api/v1/vehicle/{pk}/book_purchase", json={})
    assert response.status_code == 409 and "不是“购置”" in response.get_json()["message"]
    assert _purchases(app, pk) == []


# --- Art. 30 disposal ---------------------------------------------------------------------------


def _disposal(clerk, pk, method, **extra):
    body = {
        "vehicle_id": pk,
        "organization_id": extra.pop("organization"),
        "method": method,
        "applied_on": "2026-11-25",
        "reason": "测试处置",
    }
    body.update(extra)
    return clerk.api("POST", "/api/v1/vehicle_disposal/", json=body)


def _workflow(client, pk, action, comment="同意"):
    return client.api("POST", f"/api/v1/vehicle_disposal/{pk}/workflow/{action}", json={"comment": comment})


def test_art30_takeback_needs_the_certificate_then_disposes_vehicle_and_card(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T1501")
    clerk = api_client("tianshan_clerk")
    no_maker = _disposal(clerk, pk, "takeback", organization=fleet.org_id())
    assert no_maker.status_code == 422 and "回收厂家" in no_maker.get_json()["message"]
    created = _disposal(clerk, pk, "takeback", organization=fleet.org_id(), manufacturer="一汽红旗")
    assert created.status_code == 201, created.get_json()
    dpk = created.get_json()["id"]
    refused = _workflow(clerk, dpk, "submit", "请审批")
    assert refused.status_code == 422 and "回收证明" in refused.get_json()["message"]
    assert "第三十条" in refused.get_json()["message"]
    from tests.plugins.receptions.helpers import a_pdf

    attached = clerk.api(
        "POST",
        f"/api/v1/attachments/vehicle_disposal/{dpk}/",
        data={"kind": "takeback", "files": [(io.BytesIO(a_pdf("回收证明")), "回收证明.pdf")]},
        content_type="multipart/form-data",
    )
    assert attached.status_code == 201, attached.get_json()
    assert _workflow(clerk, dpk, "submit", "请审批").status_code == 200
    assert _workflow(clerk, dpk, "approve").status_code == 403  # the bureau decides
    approved = _workflow(api_client("tianshan_bureau"), dpk, "approve")
    assert approved.status_code == 200, approved.get_json()
    after = _vehicle(app, pk)
    assert after["status"] == "disposed" and after["card_status"] == "disposed"


def test_art30_procedure_disposes_vehicle_and_marks_card_pending(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T1601")
    clerk = api_client("tianshan_clerk")
    dpk = _disposal(clerk, pk, "procedure", organization=fleet.org_id()).get_json()["id"]
    assert _workflow(clerk, dpk, "submit", "请审批").status_code == 200
    assert _workflow(api_client("tianshan_bureau"), dpk, "approve").status_code == 200
    after = _vehicle(app, pk)
    assert after["status"] == "disposed" and after["card_status"] == "pending_disposal"


def test_art27_reallocation_to_an_organisation_without_room_refused_on_rest(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    pk = fleet.vehicle("新B·T1701")
    response = _disposal(
        api_client("tianshan_clerk"),
        pk,
        "reallocation",
        organization=fleet.org_id(),
        target_id=fleet.org_id(TIANSHAN_OFFICE),
    )
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert (
        "调入单位乌鲁木齐市天山区人民政府办公室的特种专业技术用车编制为 0 辆" in message
        and "第二十七条" in message
    )


def test_art30_reallocation_moves_vehicle_and_card_with_the_card_history(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    fleet.establishment(TIANSHAN_EDU, "special", 1)
    pk = fleet.vehicle("新B·T1801")
    clerk = api_client("tianshan_clerk")
    created = _disposal(
        clerk, pk, "reallocation", organization=fleet.org_id(), target_id=fleet.org_id(TIANSHAN_EDU)
    )
    assert created.status_code == 201, created.get_json()
    dpk = created.get_json()["id"]
    assert _workflow(clerk, dpk, "submit", "请审批").status_code == 200
    approved = _workflow(api_client("tianshan_bureau"), dpk, "approve")
    assert approved.status_code == 200, approved.get_json()
    edu = fleet.org_id(TIANSHAN_EDU)
    after = _vehicle(app, pk)
    assert after["org"] == edu and after["card_org"] == edu and after["status"] == "in_service"
    with app.app_context():
        card = db.session.get(Vehicle, pk).asset
        moves = [(m.from_organization_id, m.to_organization_id) for m in card.movements]
        assert (fleet.org(TIANSHAN).id, edu) in [
            (m.from_organization_id if hasattr(m, "from_organization_id") else None, edu)
            for m in card.movements
        ] or any(m.kind in ("status_change", "free_transfer") for m in card.movements), moves
        assert db.session.get(VehicleDisposal, dpk).organization_id == fleet.org(TIANSHAN).id


def test_art27_reallocation_approval_refused_when_target_filled_meanwhile(app, api_client, fleet):
    fleet.establishment(TIANSHAN, "special", 3)
    fleet.establishment(TIANSHAN_EDU, "special", 1)
    pk = fleet.vehicle("新B·T1901")
    clerk = api_client("tianshan_clerk")
    dpk = _disposal(
        clerk, pk, "reallocation", organization=fleet.org_id(), target_id=fleet.org_id(TIANSHAN_EDU)
    ).get_json()["id"]
    assert _workflow(clerk, dpk, "submit", "请审批").status_code == 200
    fleet.vehicle("新B·T1902", TIANSHAN_EDU)  # the receiving organisation fills its one place
    refused = _workflow(api_client("tianshan_bureau"), dpk, "approve")
    assert refused.status_code == 422 and "第二十七条" in refused.get_json()["message"]
    assert _vehicle(app, pk)["org"] == fleet.org_id(TIANSHAN)


# --- the establishment's approval ---------------------------------------------------------------


def test_art27_finance_category_decided_by_finance_then_filed_with_the_bureau(app, api_client, fleet):
    clerk = api_client("tianshan_clerk")
    created = clerk.api(
        "POST",
        "/api/v1/vehicle_establishment/",
        json={
            "organization_id": fleet.org_id(),
            "category_id": fleet.category_id("special"),
            "quota": 4,
            "effective_from": "2026-12-01",
            "decision": "测试编制申请",
        },
    )
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    fleet.establishments.append(pk)
    def flow(who, action):
        url = f"/api/v1/vehicle_establishment/{pk}/workflow/{action}"
        return who.api("POST", url, json={"comment": "同意"})

    assert flow(clerk, "submit").status_code == 200
    with app.app_context():
        assert db.session.get(VehicleEstablishment, pk).state == "submitted"
    assert flow(api_client("tianshan_bureau"), "approve").status_code == 403  # finance first
    assert flow(api_client("tianshan_fin_reviewer"), "approve").status_code == 200
    assert flow(api_client("tianshan_bureau"), "approve").status_code == 200
    with app.app_context():
        assert db.session.get(VehicleEstablishment, pk).state == "approved"


def test_dashboard_counts_establishments_awaiting_a_decision(app, fleet):
    from plugins.vehicles.fleet.dashboard import pending_establishments

    def count():
        with app.app_context():
            return pending_establishments(
                scope_for_user(app.appbuilder.sm.find_user(username="tianshan_bureau"))
            )

    before = count()
    assert before >= 1  # the demo's 天山区人民政府办公室 awaits the bureau's 备案
    fleet.establishment(TIANSHAN_EDU, "special", 1, state="submitted")
    assert count() == before + 1


# --- screens and reports ------------------------------------------------------------------------


def test_vehicle_list_page_in_chinese(app, login):
    clerk = login("tianshan_clerk")  # other tests' vehicles may fill the first page: find by quick search
    html = clerk.text("/vehicleview/list/?q=新A·J2601")
    for expected in ("公务用车", "号牌号码", "新A·J2601", "执法执勤用车", "在用"):
        assert expected in html, expected
    assert "纯电动" in clerk.text("/vehicleview/list/?q=新A·D26003")
    assert "喀什市财政局" not in clerk.text("/vehicleview/list/?q=新Q·Z2605")  # out of the clerk's scope


def test_establishment_report_pdf_reads_back(app, api_client, pdf_text):
    response = api_client("urumqi_bureau").api(
        "POST", "/api/v1/reports/vehicle_establishment/render", json={"params": {"on": "2026-12-01"}}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = "".join(pdf_text(response.data, layout=False).split())  # long names wrap in their cells
    assert "公务用车编制及实有情况表" in text and "乌鲁木齐市天山区财政局" in text and "执法执勤用车" in text
    assert "乌鲁木齐市机关事务管理局" in text and "应急保障用车" in text
    assert "喀什市财政局" not in text  # not in 乌鲁木齐市's scope


def test_new_energy_report_pdf_reads_back(app, api_client, pdf_text):
    response = api_client("tianshan_bureau").api(
        "POST", "/api/v1/reports/vehicle_new_energy/render", json={"params": {"on": "2026-12-01"}}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = "".join(pdf_text(response.data, layout=False).split())  # long names wrap in their cells
    assert "新能源汽车配备情况" in text and "乌鲁木齐市天山区财政局" in text and "纯电动" in text
    with app.app_context():  # the demo's 3 and whatever other tests of the run left in service
        held = [v for v in db.session.execute(select(Vehicle).where(
            Vehicle.status == "in_service", Vehicle.voided_at.is_(None))).scalars()
            if v.organization.name == TIANSHAN]
        new = sum(v.new_energy for v in held)
    assert new >= 1 and f"{new * 100 / len(held):.1f}%" in text


def test_demo_has_a_disposal_under_way_in_kashgar(app):
    with app.app_context():
        rows = db.session.execute(
            select(VehicleDisposal).where(VehicleDisposal.state == "submitted")
        ).scalars()
        assert any(r.organization.name == KASHGAR for r in rows)
