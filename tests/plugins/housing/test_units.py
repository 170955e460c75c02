"""Housing units (Art. 25): 接收移交, 送修, 修竣 and 处置 as operations of the bureau of the unit's
jurisdiction, on the record's page, over REST (bearer token) and as direct writes; the Art. 25
rules on units on every write path (form, REST, XLSX import, operations)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.api import acting_as
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import scope_for_user
from plugins.housing.units.models import HousingUnit
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.housing.units_helpers import (
    ART,
    BUREAU,
    CLERK,
    PATHS,
    TIANSHAN_BUREAU,
    TIANSHAN_FINANCE,
    attach,
    make_unit,
    org_id,
    set_status,
    unique,
    unit_of,
    units_named,
)

HANDOVER = {"handed_over_by": "乌鲁木齐市天山区住房和城乡建设局", "handed_over_on": "2026-11-20",
            "document_no": "天建移〔2026〕3号"}


def _op(client, pk, key, **body):
    return client.api("POST", f"/api/v1/housing_unit/{pk}/{key}", json=body)


def test_art25_handover_refused_without_the_transfer_document(app, rest):
    """第二十五条 移交: 接收移交 without the 移交文件 attached is refused in Chinese naming the article;
    the unit stays 待移交 with nothing recorded."""
    pk = make_unit(app)
    response = _op(rest(BUREAU, "jwt"), pk, "handover", **HANDOVER)
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert "移交文件" in message and ART in message
    unit = unit_of(app, pk)
    assert unit.status == "pending" and unit.handover_document_no is None


def test_art25_handover_over_rest_records_who_when_and_the_document(app, rest):
    """第二十五条 移交: with the document attached, 接收移交 makes the unit 空置可配租 and records the
    handing-over organisation, the day and the document's number; it cannot run twice."""
    pk = make_unit(app)
    bureau = rest(BUREAU, "jwt")
    assert attach(bureau, "housing_unit", pk, "handover").status_code == 201
    response = _op(bureau, pk, "handover", **HANDOVER)
    assert response.status_code == 200, response.get_json()
    unit = unit_of(app, pk)
    got = (unit.status, unit.handed_over_by, unit.handed_over_on, unit.handover_document_no,
           unit.status_since)
    assert got == (
        "available", "乌鲁木齐市天山区住房和城乡建设局", dt.date(2026, 11, 20), "天建移〔2026〕3号",
        dt.date(2026, 11, 20))
    again = _op(bureau, pk, "handover", **HANDOVER)
    assert again.status_code in (409, 422), again.get_json()


def test_art25_handover_needs_the_document_number(app, rest):
    """第二十五条 移交: a blank document number is refused in Chinese; nothing changes."""
    pk = make_unit(app)
    bureau = rest(BUREAU, "jwt")
    attach(bureau, "housing_unit", pk, "handover")
    response = _op(bureau, pk, "handover", **{**HANDOVER, "document_no": "  "})
    assert response.status_code == 422, response.get_json()
    assert "移交文件文号" in str(response.get_json())
    assert unit_of(app, pk).status == "pending"


def test_art25_handover_on_the_screen(app, login, rest):
    """第二十五条 移交: the 接收移交 button of the unit's page, refused without the document (the page
    says so, naming the article), then done once it is attached."""
    pk = make_unit(app)
    browser = login(BUREAU)
    page = browser.text(f"/housingunitview/show/{pk}")
    assert "接收移交" in page and "待移交" in page
    form = {"handed_over_by": "天山区住建局", "handed_over_on": "2026-11-21",
            "document_no": "天建移〔2026〕9号"}
    page = browser.post(f"/housingunitview/operation/{pk}/handover", data=form,
                        follow_redirects=True).get_data(as_text=True)
    assert "移交文件" in page and ART in page
    assert unit_of(app, pk).status == "pending"
    attach(rest(BUREAU, "jwt"), "housing_unit", pk, "handover")
    page = browser.post(f"/housingunitview/operation/{pk}/handover", data=form,
                        follow_redirects=True).get_data(as_text=True)
    unit = unit_of(app, pk)
    assert unit.status == "available" and unit.handover_document_no == "天建移〔2026〕9号"
    assert "空置可配租" in browser.text(f"/housingunitview/show/{pk}")


def test_art25_only_the_bureau_of_the_units_jurisdiction_runs_its_operations(app, rest):
    """第二十五条 统一组织实施: 天山区's clerk does not reach the unit (404), 乌鲁木齐's bureau above
    reads it but its 接收移交 is refused naming the article; 天山区's bureau does it."""
    pk = make_unit(app)
    attach(rest(BUREAU, "jwt"), "housing_unit", pk, "handover")
    assert _op(rest(CLERK, "jwt"), pk, "handover", **HANDOVER).status_code == 404
    above = _op(rest("urumqi_bureau", "jwt"), pk, "handover", **HANDOVER)
    assert above.status_code in (403, 409, 422), above.get_json()
    assert ART in above.get_json()["message"] and "机关事务管理部门" in above.get_json()["message"]
    assert unit_of(app, pk).status == "pending"
    assert _op(rest(BUREAU, "jwt"), pk, "handover", **HANDOVER).status_code == 200


def test_art25_repair_and_back(app, rest):
    """第二十五条 维修: 送修 (空置 → 维修中) and 修竣 (维修中 → 空置), with their days."""
    pk = make_unit(app, status="available")
    bureau = rest(BUREAU, "jwt")
    response = _op(bureau, pk, "send_to_repair", on="2026-11-01")
    assert response.status_code == 200, response.get_json()
    assert (unit_of(app, pk).status, unit_of(app, pk).status_since) == ("maintenance", dt.date(2026, 11, 1))
    assert _op(bureau, pk, "send_to_repair").status_code in (409, 422)
    response = _op(bureau, pk, "repaired", on="2026-11-15")
    assert response.status_code == 200, response.get_json()
    assert (unit_of(app, pk).status, unit_of(app, pk).status_since) == ("available", dt.date(2026, 11, 15))


def test_art25_occupied_unit_is_neither_repaired_nor_disposed(app, rest):
    """第二十五条: a unit the tenancies area checked a tenant into is not sent to repair nor disposed —
    not by the operations, nor by a direct write (refused naming the article)."""
    pk = make_unit(app, status="available")
    set_status(app, pk, "occupied")
    bureau = rest(BUREAU, "jwt")
    for key, body in (("send_to_repair", {}), ("dispose", {"document_no": "天机处〔2026〕1号"})):
        response = _op(bureau, pk, key, **body)
        assert response.status_code in (409, 422), response.get_json()
        assert "已入住" in response.get_json()["message"]
    assert unit_of(app, pk).status == "occupied"
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=BUREAU)
        with acting_as(scope_for_user(user)):
            unit = db.session.get(HousingUnit, pk)
            unit.status, unit.disposal_document_no = "disposed", "天机处〔2026〕2号"
            with pytest.raises(WriteRefused, match=ART) as refused:
                db.session.flush()
            assert "已入住" in str(refused.value)
            db.session.rollback()
    assert unit_of(app, pk).status == "occupied"


def test_art25_disposal_needs_the_decision_and_records_it(app, rest):
    """第二十五条 处置: without the decision's number refused in Chinese; with it the unit is 已处置."""
    pk = make_unit(app, status="available")
    bureau = rest(BUREAU, "jwt")
    response = _op(bureau, pk, "dispose")
    assert response.status_code == 422 and "处置决定文号" in str(response.get_json())
    assert unit_of(app, pk).status == "available"
    response = _op(bureau, pk, "dispose", document_no="天机处〔2026〕7号", disposed_on="2026-11-30")
    assert response.status_code == 200, response.get_json()
    unit = unit_of(app, pk)
    assert (unit.status, unit.disposal_document_no, unit.disposed_on) == (
        "disposed", "天机处〔2026〕7号", dt.date(2026, 11, 30))


def test_art25_status_is_not_an_editable_field(app, rest, login):
    """第二十五条: the status and the handover record move only by the operations: a PUT is refused
    (422), the edit form does not offer them, and a direct write without the document is refused
    naming the article."""
    pk = make_unit(app)
    bureau = rest(BUREAU, "jwt")
    version = unit_of(app, pk).version
    response = bureau.api("PUT", f"/api/v1/housing_unit/{pk}",
                          json={"status": "available", "version": version})
    assert response.status_code == 422, response.get_json()
    assert unit_of(app, pk).status == "pending"
    assert 'name="status"' not in login(BUREAU).text(f"/housingunitview/edit/{pk}")
    with app.app_context():
        unit = db.session.get(HousingUnit, pk)
        unit.status = "available"
        with pytest.raises(WriteRefused, match=ART) as refused:
            db.session.flush()
        assert "移交文件" in str(refused.value)
        db.session.rollback()


HEADERS = ["*房源类型", "*小区楼栋", "*户号", "地址", "*建筑面积（平方米）", "*居室数", "配套家具家电",
           "*管理单位", "备注"]


def _create(app, login, rest, path, user, organization_name, building):
    organization = org_id(app, organization_name)
    if path == "form":
        return login(user).post("/housingunitview/add", data={
            "kind": "turnover", "building": building, "unit_number": "1-101", "address": "测试地址",
            "area": "50", "rooms": "2", "furnishing": "", "organization": organization, "note": ""},
            follow_redirects=True)
    if path == "rest":
        return rest(user, "jwt").api("POST", "/api/v1/housing_unit/", json={
            "kind": "turnover", "building": building, "unit_number": "1-101", "area": "50", "rooms": 2,
            "organization_id": organization})
    return login(user).post("/api/v1/housing_unit/import", data=upload(xlsx_bytes(
        HEADERS, [["周转住房", building, "1-101", "测试地址", 50, 2, "", organization_name, ""]])),
        content_type="multipart/form-data")


@pytest.mark.parametrize("path", PATHS)
def test_bureau_registers_a_unit_awaiting_handover(app, login, rest, path):
    """第二十五条: 天山区's bureau registers a unit on each path; it starts 待移交."""
    building = f"测试登记 {unique()} 号楼"
    response = _create(app, login, rest, path, BUREAU, TIANSHAN_BUREAU, building)
    assert response.status_code in (200, 201), response.get_data(as_text=True)[:500]
    made = units_named(app, building)
    assert len(made) == 1 and made[0].status == "pending"


@pytest.mark.parametrize("path", PATHS)
def test_art25_a_unit_is_managed_by_a_bureau(app, login, rest, path):
    """第二十五条: a unit whose managing organisation is not a 机关事务管理部门 (天山区财政局) is refused on
    every path, naming the article; nothing is written."""
    building = f"测试非管理部门 {unique()} 号楼"
    response = _create(app, login, rest, path, "admin", TIANSHAN_FINANCE, building)
    text = str(response.get_json()) if response.is_json else response.get_data(as_text=True)
    assert "不是机关事务管理部门" in text and ART in text
    assert units_named(app, building) == []


@pytest.mark.parametrize("path", ("rest", "import"))
def test_bad_unit_input_is_refused_in_chinese(app, login, rest, path):
    """A zero area or an unknown kind: a Chinese message, nothing written, no 500."""
    building = f"测试错误 {unique()} 号楼"
    if path == "rest":
        response = rest(BUREAU, "jwt").api("POST", "/api/v1/housing_unit/", json={
            "kind": "villa", "building": building, "unit_number": "1", "area": "0", "rooms": 1,
            "organization_id": org_id(app)})
        assert response.status_code == 422
        text = str(response.get_json())
        assert "建筑面积必须大于 0 平方米" in text and "未知的房源类型" in text
    else:
        response = login(BUREAU).post("/api/v1/housing_unit/import", data=upload(xlsx_bytes(
            HEADERS, [["周转住房", building, "1-101", "", 0, 2, "", TIANSHAN_BUREAU, ""]])),
            content_type="multipart/form-data")
        assert response.status_code == 422
        assert "建筑面积必须大于 0 平方米" in str(response.get_json())
    assert units_named(app, building) == []


def _direct(app, username, pk, **values):
    """Write ``values`` on the unit directly as ``username`` (None: the system), as a CLI command
    or a plugin's own code does: the refusal's message, None when written."""
    from contextlib import nullcontext

    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username) if username else None
        with acting_as(scope_for_user(user)) if user else nullcontext():
            unit = db.session.get(HousingUnit, pk)
            for key, value in values.items():
                setattr(unit, key, value)
            try:
                db.session.commit()
            except WriteRefused as refused:
                db.session.rollback()
                return str(refused)
    return None


def test_art25_the_bureau_above_cannot_write_the_status_directly(app):
    """第二十五条 统一组织实施: a direct write of a 天山区 unit's status by 乌鲁木齐's bureau is refused
    naming the article; 天山区's own bureau is not refused by that rule (only by the core, which
    keeps the status to the operations)."""
    pk = make_unit(app, status="available")
    refused = _direct(app, "urumqi_bureau", pk, status="maintenance")
    assert refused and ART in refused and "乌鲁木齐市机关事务管理局" in refused
    assert unit_of(app, pk).status == "available"
    own = _direct(app, BUREAU, pk, status="maintenance")
    assert own and "统一组织实施" not in own and "只能通过操作改变" in own


def test_art25_a_disposed_unit_carries_its_decision_number(app):
    """第二十五条 处置: a direct write making a unit 已处置 without the decision's number is refused
    naming the article."""
    pk = make_unit(app, status="available")
    refused = _direct(app, None, pk, status="disposed")
    assert refused and "处置决定文号" in refused and ART in refused
    assert unit_of(app, pk).status == "available"


def test_art25_operations_refused_on_the_screen_for_the_bureau_above(app, login, rest):
    """第二十五条: 乌鲁木齐's bureau pressing 送修 on a 天山区 unit's page reads the refusal naming the
    article; the unit does not move."""
    pk = make_unit(app, status="available")
    page = login("urumqi_bureau").post(f"/housingunitview/operation/{pk}/send_to_repair",
                                       data={"on": "2026-11-02"}, follow_redirects=True)
    page = page.get_data(as_text=True)
    assert "统一组织实施" in page and ART in page
    assert unit_of(app, pk).status == "available"


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["op", "housing_unit", *args])


def test_art25_operations_through_jiguan_op(app, rest):
    """第二十五条: ``jiguan op`` refuses 接收移交 without the 移交文件 (naming the article), refuses the
    bureau above, and takes the unit over as 天山区's bureau once the file is attached; 送修 and
    修竣 too."""
    pk = make_unit(app)
    params = ["--param", "handed_over_by=天山区住建局", "--param", "document_no=天建移〔2026〕21号"]
    result = _cli(app, str(pk), "handover", *params, "--as", BUREAU)
    assert result.exit_code != 0 and "移交文件" in result.output and ART in result.output
    attach(rest(BUREAU, "jwt"), "housing_unit", pk, "handover")
    result = _cli(app, str(pk), "handover", *params, "--as", "urumqi_bureau")
    assert result.exit_code != 0 and ART in result.output
    assert unit_of(app, pk).status == "pending"
    result = _cli(app, str(pk), "handover", *params, "--as", BUREAU)
    assert result.exit_code == 0, result.output
    assert unit_of(app, pk).handover_document_no == "天建移〔2026〕21号"
    assert _cli(app, str(pk), "send_to_repair", "--as", BUREAU).exit_code == 0
    assert unit_of(app, pk).status == "maintenance"
    assert _cli(app, str(pk), "repaired", "--as", BUREAU).exit_code == 0
    assert unit_of(app, pk).status == "available"
