"""公务用车类别 (Art. 27): public reference data; the category says who sets the establishment.

Tests write their own codes (test_…) and remove them, so the shipped five stay as loaded.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from catalog.vehicle_categories import VehicleCategory, load_vehicle_categories, vehicle_category_in_force
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from tests.catalog.xlsx_helpers import read_xlsx, upload, xlsx_bytes

HEADER = "code,name,establishment_body,effective_from,basis\n"
SHIPPED = ["confidential", "emergency", "enforcement", "other", "special"]


def _codes(app, prefix="test") -> list[str]:
    with app.app_context():
        return list(
            db.session.execute(
                select(VehicleCategory.code)
                .where(VehicleCategory.code.startswith(prefix))
                .order_by(VehicleCategory.code)
            ).scalars()
        )


@pytest.fixture
def own_codes(app):
    def clean():
        with app.app_context(), acting_as(SYSTEM):
            db.session.execute(delete(VehicleCategory).where(VehicleCategory.code.startswith("test")))
            db.session.commit()

    clean()
    yield
    clean()


def test_art27_the_shipped_categories_and_who_sets_their_establishment(ctx):
    codes = db.session.execute(select(VehicleCategory.code).order_by(VehicleCategory.code)).scalars().all()
    assert set(SHIPPED) <= set(codes)  # other tests of the run may add categories of their own
    enforcement = vehicle_category_in_force(db.session, "enforcement", dt.date(2026, 10, 1))
    assert enforcement.name == "执法执勤用车" and enforcement.establishment_body == "finance"
    assert enforcement.establishment_body_label == "财政部门核定，报机关事务管理部门备案"
    assert (
        vehicle_category_in_force(db.session, "confidential").establishment_body_label
        == "机关事务管理部门核定"
    )
    assert vehicle_category_in_force(db.session, "confidential", dt.date(2017, 11, 30)) is None


def test_art27_load_vehicle_categories_is_idempotent_and_all_or_nothing(ctx, tmp_path):
    with acting_as(SYSTEM):
        assert load_vehicle_categories(db.session) == 0
        path = tmp_path / "categories.csv"
        path.write_text(
            HEADER + "test_ok,测试用车,bureau,2031-01-01,测试\n"
            "test_bad,测试坏类别,nobody,2031-01-01,测试\n"
            "test_day,测试坏日期,finance,2031-02-30,测试\n",
            encoding="utf-8",
        )
        with pytest.raises(ValueError) as refused:
            load_vehicle_categories(db.session, path)
    assert "第 3 行：编制核定部门“nobody”" in str(refused.value)
    assert "第 4 行：生效日期“2031-02-30”不是日期" in str(refused.value)
    assert db.session.execute(select(func.count()).where(VehicleCategory.code == "test_ok")).scalar_one() == 0


def test_art27_cli_load_vehicle_categories(app, own_codes, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-vehicle-categories"])
    assert result.exit_code == 0 and "公务用车类别：新增 0 个" in result.output, result.output
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "test_cli,测试命令行用车,finance,2031-01-01,测试\n", encoding="utf-8")
    assert "新增 1 个" in runner.invoke(args=["load-vehicle-categories", "--csv", str(good)]).output
    assert "新增 0 个" in runner.invoke(args=["load-vehicle-categories", "--csv", str(good)]).output
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "test_cli2,测试用车,bureau,2031-01-01,测试\n,无代码,bureau,2031-01-01,\n", encoding="utf-8"
    )
    result = runner.invoke(args=["load-vehicle-categories", "--csv", str(bad)])
    assert result.exit_code != 0
    assert "第 3 行：类别代码和类别名称不能为空" in result.output and "未写入任何记录" in result.output
    assert _codes(app) == ["test_cli"]


def test_vehicle_category_screen_is_in_chinese_and_read_by_everyone(app, login):
    for user in ("tianshan_clerk", "kashgar_clerk", "xj_bureau"):
        html = login(user).text("/vehiclecategoryview/list/")
        for text in (
            "公务用车类别",
            "类别名称",
            "编制核定部门",
            "机要通信用车",
            "执法执勤用车",
            "财政部门核定，报机关事务管理部门备案",
        ):
            assert text in html, (user, text)


def test_art27_only_the_system_admin_writes_categories(app, api_client, own_codes):
    body = {
        "code": "test_rest",
        "name": "测试接口用车",
        "establishment_body": "bureau",
        "effective_from": "2031-01-01",
    }
    # public reference data: a bureau reads it and writes none
    response = api_client("xj_bureau").post("/api/v1/vehicle_category/", json=body)
    assert response.status_code == 403
    admin = api_client("admin")
    response = admin.post("/api/v1/vehicle_category/", json=body)
    assert response.status_code == 201, response.get_json()
    got = api_client("tianshan_clerk").get(f"/api/v1/vehicle_category/{response.get_json()['id']}")
    assert got.get_json()["result"]["name"] == "测试接口用车"
    response = admin.post(
        "/api/v1/vehicle_category/", json={**body, "code": "test_bad", "establishment_body": "x"}
    )
    assert response.status_code == 422 and "未知的编制核定部门：x" in response.get_json()["message"]
    response = admin.post(
        "/api/v1/vehicle_category/", json={**body, "code": "test_rev", "effective_to": "2030-01-01"}
    )
    assert response.status_code == 422 and "失效日期不能早于生效日期" in response.get_json()["message"]
    assert _codes(app) == ["test_rest"]


def test_art27_category_form_refuses_a_reversed_period(app, login, own_codes):
    admin = login("admin")
    html = admin.post(
        "/vehiclecategoryview/add",
        data={
            "code": "test_form",
            "name": "测试表单用车",
            "establishment_body": "finance",
            "effective_from": "2031-05-01",
            "effective_to": "2031-04-01",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "公务用车类别的失效日期早于生效日期" in html and "第二十七条" in html
    assert _codes(app) == []


CATEGORY_HEADERS = ["*类别代码", "*类别名称", "*编制核定部门", "*生效日期", "失效日期", "依据文件"]


def test_art27_category_import_refuses_a_bad_row(app, login, own_codes):
    admin = login("admin")
    template, _rows = read_xlsx(admin.get("/api/v1/vehicle_category/template.xlsx").data)
    assert template == CATEGORY_HEADERS
    rows = [
        ["test_imp", "测试导入用车", "机关事务管理部门核定", dt.date(2031, 1, 1), None, "测试"],
        ["test_imp2", "测试导入坏行", "机关事务管理部门核定", dt.date(2031, 1, 1), dt.date(2030, 1, 1), None],
    ]
    response = admin.post(
        "/api/v1/vehicle_category/import",
        data=upload(xlsx_bytes(CATEGORY_HEADERS, rows)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "第 3 行" in str(response.get_json()["errors"])
    assert _codes(app) == []
    response = admin.post(
        "/api/v1/vehicle_category/import",
        data=upload(xlsx_bytes(CATEGORY_HEADERS, rows[:1])),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    assert _codes(app) == ["test_imp"]
