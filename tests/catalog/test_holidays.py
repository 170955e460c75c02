"""节假日安排 (Art. 29): the calendar official vehicles are sealed over, read down the tree.

Each test owns its years (2031-2039), so that a full run in any order passes: the demo's
calendar (2026, 元旦 2027) stays as the demo loaded it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from catalog.holidays import Holiday, holidays_between, load_holidays
from catalog.models import Jurisdiction
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from tests.catalog.xlsx_helpers import read_xlsx, upload, xlsx_bytes

HEADER = "jurisdiction_code,name,starts_on,ends_on,basis\n"


def _jurisdiction(code: str) -> Jurisdiction:
    return db.session.execute(select(Jurisdiction).filter_by(code=code)).scalar_one()


def _jurisdiction_id(app, code: str) -> int:
    with app.app_context():
        return _jurisdiction(code).id


def _names(app, year: int) -> list[str]:
    with app.app_context():
        return list(db.session.execute(
            select(Holiday.name).where(Holiday.starts_on >= dt.date(year, 1, 1),
                                       Holiday.starts_on <= dt.date(year, 12, 31))
            .order_by(Holiday.starts_on, Holiday.name)).scalars())


def _remove_year(app, year: int) -> None:
    with app.app_context(), acting_as(SYSTEM):
        db.session.execute(delete(Holiday).where(Holiday.starts_on >= dt.date(year, 1, 1),
                                                 Holiday.starts_on <= dt.date(year, 12, 31)))
        db.session.commit()


@pytest.fixture
def own_years(app):
    """The years the tests write in, emptied before and after."""
    years = range(2031, 2040)
    for year in years:
        _remove_year(app, year)
    yield
    for year in years:
        _remove_year(app, year)


# ---- functions ------------------------------------------------------------------------------------

def test_art29_a_region_holiday_is_seen_from_tianshan(ctx):
    tianshan = _jurisdiction("650102")
    found = holidays_between(db.session, tianshan, dt.date(2026, 9, 30), dt.date(2026, 10, 2))
    assert [(h.name, h.starts_on, h.ends_on) for h in found] == [
        ("国庆节", dt.date(2026, 10, 1), dt.date(2026, 10, 7))]
    assert found[0].days == 7 and found[0].covers(dt.date(2026, 10, 7))
    assert holidays_between(db.session, tianshan, dt.date(2026, 10, 8), dt.date(2026, 10, 9)) == []
    assert holidays_between(db.session, None, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == []


def test_art29_a_kashgar_only_period_is_not_seen_from_tianshan(ctx):
    with acting_as(SYSTEM):
        db.session.add(Holiday(name="喀什市测试假日", starts_on=dt.date(2031, 5, 4),
                               ends_on=dt.date(2031, 5, 5), jurisdiction=_jurisdiction("653101"),
                               basis="测试"))
        db.session.flush()
    window = (dt.date(2031, 5, 1), dt.date(2031, 5, 31))
    seen = holidays_between(db.session, _jurisdiction("653101"), *window)
    assert [h.name for h in seen] == ["喀什市测试假日"]
    assert holidays_between(db.session, _jurisdiction("650102"), *window) == []
    # the prefecture above Kashgar city does not see it either: shared up, never down
    assert holidays_between(db.session, _jurisdiction("653100"), *window) == []


def test_art29_load_holidays_is_idempotent(ctx):
    before = db.session.execute(select(func.count(Holiday.id))).scalar_one()
    with acting_as(SYSTEM):
        assert load_holidays(db.session) == 0  # the demo loaded the shipped calendar
    assert db.session.execute(select(func.count(Holiday.id))).scalar_one() == before


def test_art29_load_holidays_is_all_or_nothing(ctx, tmp_path):
    path = tmp_path / "holidays.csv"
    path.write_text(HEADER + "650000,测试节,2032-02-01,2032-02-02,测试\n"
                    "659999,不存在的辖区,2032-03-01,2032-03-01,测试\n"
                    "650000,倒置节,2032-04-05,2032-04-01,测试\n"
                    "650000,乱填节,2032-13-01,2032-13-02,测试\n", encoding="utf-8")
    with acting_as(SYSTEM), pytest.raises(ValueError) as refused:
        load_holidays(db.session, path)
    message = str(refused.value)
    assert "第 3 行：行政区划代码 659999 不存在" in message
    assert "第 4 行：倒置节 的结束日期早于开始日期" in message
    assert "第 5 行：开始日期“2032-13-01”不是日期" in message
    query = select(func.count(Holiday.id)).where(Holiday.name == "测试节")
    assert db.session.execute(query).scalar_one() == 0
    path.write_text("code,name\n650000,测试节\n", encoding="utf-8")
    missing = "文件缺少列：jurisdiction_code、starts_on、ends_on、basis"
    with acting_as(SYSTEM), pytest.raises(ValueError, match=missing):
        load_holidays(db.session, path)


# ---- CLI ------------------------------------------------------------------------------------------

def test_art29_cli_load_holidays_loads_once_and_refuses_a_bad_file(app, own_years, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "650000,元旦,2033-01-01,2033-01-03,测试通知\n"
                    "653101,喀什市测试假日,2033-06-01,2033-06-01,测试通知\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-holidays", "--csv", str(good)])
    assert result.exit_code == 0, result.output
    assert "节假日安排：新增 2 条" in result.output
    result = runner.invoke(args=["load-holidays", "--csv", str(good)])
    assert result.exit_code == 0 and "新增 0 条" in result.output
    assert _names(app, 2033) == ["元旦", "喀什市测试假日"]

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "650000,劳动节,2034-05-01,2034-05-05,测试\n"
                   "650000,国庆节,2034-10-07,2034-10-01,测试\n", encoding="utf-8")
    result = runner.invoke(args=["load-holidays", "--csv", str(bad)])
    assert result.exit_code != 0
    assert "第 3 行：国庆节 的结束日期早于开始日期" in result.output and "未写入任何记录" in result.output
    assert _names(app, 2034) == []


def test_the_shipped_calendar_loads_from_the_cli_without_adding_twice(app):
    result = app.test_cli_runner().invoke(args=["load-holidays"])
    assert result.exit_code == 0 and "节假日安排：新增 0 条" in result.output


# ---- screens, REST, XLSX, scope -------------------------------------------------------------------

def test_holiday_screens_are_in_chinese_and_shared_down(app, login):
    clerk = login("tianshan_clerk")
    html = clerk.text("/holidayview/list/?_oc_HolidayView=starts_on&_od_HolidayView=asc"
                      "&psize_HolidayView=100")
    for text in ("节假日安排", "节日名称", "放假开始日期", "放假结束日期", "放假天数", "发布辖区",
                 "国庆节", "新疆维吾尔自治区"):
        assert text in html, text
    assert "基础数据" in html
    bureau = login("xj_bureau")
    form = bureau.text("/holidayview/add")
    assert "新增节假日安排" in form and "调休上班日不是节假日" in form and "放假通知" in form


def test_art29_the_region_bureau_adds_on_the_form_and_a_reversed_period_is_refused(app, login, own_years):
    bureau = login("xj_bureau")
    region = _jurisdiction_id(app, "650000")
    response = bureau.post("/holidayview/add", data={
        "name": "表单测试节", "starts_on": "2035-03-01", "ends_on": "2035-03-02",
        "jurisdiction": region, "basis": "测试通知"})
    assert response.status_code == 302, bureau.flashes(response.get_data(as_text=True))
    assert _names(app, 2035) == ["表单测试节"]
    response = bureau.post("/holidayview/add", data={
        "name": "倒置测试节", "starts_on": "2035-05-05", "ends_on": "2035-05-01",
        "jurisdiction": region}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "放假结束日期 2035-05-01 早于开始日期 2035-05-05" in html and "第二十九条" in html
    assert _names(app, 2035) == ["表单测试节"]


def test_art29_rest_create_and_read_with_a_bearer_token(app, api_client, own_years):
    region = _jurisdiction_id(app, "650000")
    bureau = api_client("xj_bureau")
    response = bureau.post("/api/v1/holiday/", json={
        "name": "接口测试节", "starts_on": "2036-04-01", "ends_on": "2036-04-03",
        "jurisdiction_id": region, "basis": "测试通知"})
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    got = bureau.get(f"/api/v1/holiday/{pk}").get_json()["result"]
    assert (got["name"], got["starts_on"], got["ends_on"]) == ("接口测试节", "2036-04-01", "2036-04-03")
    # the organisations below read the region's calendar
    for user in ("tianshan_clerk", "kashgar_clerk"):
        assert api_client(user).get(f"/api/v1/holiday/{pk}").status_code == 200


def test_art29_rest_refuses_a_reversed_period_in_chinese(app, api_client, own_years):
    region = _jurisdiction_id(app, "650000")
    bureau = api_client("xj_bureau")
    response = bureau.post("/api/v1/holiday/", json={
        "name": "接口倒置节", "starts_on": "2036-06-05", "ends_on": "2036-06-01", "jurisdiction_id": region})
    assert response.status_code == 422
    assert "放假结束日期不能早于开始日期" in response.get_json()["message"]
    created = bureau.post("/api/v1/holiday/", json={
        "name": "接口修改节", "starts_on": "2036-07-05", "ends_on": "2036-07-06", "jurisdiction_id": region})
    pk = created.get_json()["id"]
    # a PUT of the last day alone is checked against the stored first day (the rule)
    response = bureau.put(f"/api/v1/holiday/{pk}", json={"ends_on": "2036-07-01"})
    assert response.status_code == 422
    assert ("放假结束日期 2036-07-01 早于开始日期 2036-07-05（《办法》第二十九条）"
            in response.get_json()["message"])
    assert _names(app, 2036) == ["接口修改节"]


def test_art29_the_same_holiday_twice_is_refused(app, api_client, own_years):
    region = _jurisdiction_id(app, "650000")
    bureau = api_client("xj_bureau")
    body = {"name": "重复测试节", "starts_on": "2037-10-01", "ends_on": "2037-10-07",
            "jurisdiction_id": region}
    assert bureau.post("/api/v1/holiday/", json=body).status_code == 201
    response = bureau.post("/api/v1/holiday/", json={**body, "starts_on": "2037-10-03"})
    assert response.status_code == 422
    assert "本辖区已登记重复测试节（2037-10-01 至 2037-10-07）" in response.get_json()["message"]
    assert "第二十九条" in response.get_json()["message"]


def test_art29_scope_a_county_cannot_write_a_region_holiday(app, api_client, login, own_years):
    region, tianshan = _jurisdiction_id(app, "650000"), _jurisdiction_id(app, "650102")
    body = {"name": "越权测试节", "starts_on": "2038-03-01", "ends_on": "2038-03-01",
            "jurisdiction_id": region}
    # a county clerk reads the calendar and writes none of it
    assert api_client("tianshan_clerk").post("/api/v1/holiday/", json=body).status_code == 403
    assert login("tianshan_clerk").get("/holidayview/add").status_code in (302, 403)
    # the county's bureau keeps the county's own periods, not the region's
    response = api_client("tianshan_bureau").post("/api/v1/holiday/", json=body)
    assert response.status_code == 403 and "无权操作本辖区" in response.get_json()["message"]
    own = api_client("tianshan_bureau").post("/api/v1/holiday/", json={**body, "jurisdiction_id": tianshan,
                                                                       "name": "天山区测试假日"})
    assert own.status_code == 201, own.get_json()
    assert _names(app, 2038) == ["天山区测试假日"]
    # …and Kashgar's clerk does not see Tianshan's
    assert api_client("kashgar_clerk").get(f"/api/v1/holiday/{own.get_json()['id']}").status_code == 404


HOLIDAY_HEADERS = ["*节日名称", "*放假开始日期", "*放假结束日期", "*发布辖区", "放假通知"]


def test_art29_holiday_import_with_a_bad_row_refuses_the_whole_file(app, login, own_years):
    bureau = login("xj_bureau")
    template, _rows = read_xlsx(bureau.get("/api/v1/holiday/template.xlsx").data)
    assert template == HOLIDAY_HEADERS
    region = "新疆维吾尔自治区"
    day = dt.date
    data = xlsx_bytes(HOLIDAY_HEADERS, [["导入测试节", day(2039, 1, 1), day(2039, 1, 3), region, "测试"],
                                        ["导入倒置节", day(2039, 2, 9), day(2039, 2, 1), region, None]])
    response = bureau.post("/api/v1/holiday/import", data=upload(data), content_type="multipart/form-data")
    assert response.status_code == 422
    texts = " ".join(e["text"] for e in response.get_json()["errors"])
    assert "第 3 行" in texts and "早于开始日期" in texts
    assert _names(app, 2039) == []
    fixed = xlsx_bytes(HOLIDAY_HEADERS,
                       [["导入测试节", dt.date(2039, 1, 1), dt.date(2039, 1, 3), "650000", "测试"]])
    response = bureau.post("/api/v1/holiday/import", data=upload(fixed), content_type="multipart/form-data")
    assert response.status_code == 200 and response.get_json()["created"] == 1, response.get_json()
    _headers, rows = read_xlsx(bureau.get("/api/v1/holiday/export.xlsx").data)
    assert {"节日名称": "导入测试节", "发布辖区": "新疆维吾尔自治区"}.items() <= next(
        r for r in rows if r["节日名称"] == "导入测试节").items()


def test_art29_the_same_holiday_twice_in_one_import_file_is_refused(app, login, own_years):
    """第二十九条 (holiday sealing rests on the calendar): a holiday entered once per jurisdiction.
    Two rows of one file (one flush of the import) name the same holiday with overlapping days:
    the second is judged while the first is not stored yet, still refused; nothing written."""
    bureau = login("xj_bureau")
    day = dt.date
    data = xlsx_bytes(HOLIDAY_HEADERS, [["分块导入节", day(2039, 5, 1), day(2039, 5, 3), "650000", None],
                                        ["分块导入节", day(2039, 5, 2), day(2039, 5, 5), "650000", None]])
    response = bureau.post("/api/v1/holiday/import", data=upload(data), content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    texts = [e["text"] for e in response.get_json()["errors"]]
    assert len(texts) == 1 and texts[0].startswith("第 3 行") and "已登记分块导入节" in texts[0], texts
    assert "第二十九条" in texts[0]
    assert _names(app, 2039) == []
