"""A parcel's title registration walked in a real browser across two roles (Art. 20-21).

The clerk of 天山区财政局 enters a parcel and starts its registration (开始登记); the bureau of
乌鲁木齐市 completes it (登记完成) with the certificate number and the district's bureau as title
holder; the registration fields are never on the edit form. Each step through the record page's
operation buttons, as a user does.
"""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

LIST = "/landparcelview/list/"
BUREAU = "乌鲁木齐市天山区机关事务服务中心"


def _load(page, element) -> None:
    old = page.find("html")
    element.click()
    page.wait(ec.staleness_of(old), f"clicking did not load a new page on {page.path}")


def _success(page) -> str:
    page.wait(lambda d: page.find_all("div.alert"), f"no message on {page.path}")
    flashes = page.flashes()
    assert not [text for kind, text in flashes if kind == "danger"], flashes
    return " ".join(text for kind, text in flashes if kind == "success")


def _field(page, label: str) -> str:
    cells = page.driver.find_elements(
        By.XPATH, f"//div[@id='Home']//table//tr[th[normalize-space()='{label}']]/td")
    assert cells, f"no field {label!r} on {page.path}"
    return " ".join(cells[0].get_attribute("textContent").split())


def _operations(page) -> list[str]:
    return [a.get_attribute("data-operation") for a in page.find_all("#operations a[data-operation]")]


def test_clerk_starts_and_the_bureau_completes_a_registration(login_as, in_app):
    name = f"端到端确权宗地-{uuid.uuid4().int % 10**6:06d}"
    certificate = f"新(2026)乌鲁木齐市不动产权第{uuid.uuid4().int % 10**7:07d}号"
    clerk = login_as("tianshan_clerk")
    clerk.open("/landparcelview/add")
    clerk.wait_for("form #name")
    clerk.type_into("#name", name)
    clerk.select("jurisdiction", "天山区（650102）")
    clerk.select("organization", "乌鲁木齐市天山区财政局")
    clerk.type_into("#location", "乌鲁木齐市天山区测试路 9 号")
    clerk.type_into("#area", "2100")
    clerk.select("land_use", "办公用地")
    clerk.select("registration_status", "未登记")
    _load(clerk, clerk.find("#model_form button[type=submit]"))
    _success(clerk)

    with in_app() as session:
        from sqlalchemy import select

        from plugins.land.parcels.models import LandParcel

        pk = session.execute(select(LandParcel.id).where(LandParcel.name == name)).scalar_one()
    record = f"/landparcelview/show/{pk}"
    clerk.open(f"/landparcelview/edit/{pk}")
    clerk.wait_for("form #name")
    assert not clerk.find_all("form #registration_status") and not clerk.find_all("form #certificate_no")

    clerk.open(record)
    clerk.wait_for("#operations")
    assert _operations(clerk) == ["start_registration", "void"]
    _load(clerk, clerk.find('#operations a[data-operation="start_registration"]'))
    clerk.wait_for("#operation-form")
    assert "登记中" in clerk.text("#operation-confirm")
    _load(clerk, clerk.find("#operation-submit"))
    assert "已办理“开始登记”" in _success(clerk)
    assert _field(clerk, "确权登记状态") == "登记中"

    bureau = login_as("urumqi_bureau")
    bureau.open(record)
    bureau.wait_for("#operations")
    assert _operations(bureau) == ["complete_registration", "void"]
    _load(bureau, bureau.find('#operations a[data-operation="complete_registration"]'))
    bureau.wait_for("#operation-form")
    bureau.type_into("#operation-form #certificate_no", certificate)
    bureau.select("title_holder_id", BUREAU)
    _load(bureau, bureau.find("#operation-submit"))
    assert "已办理“登记完成”" in _success(bureau)
    assert _field(bureau, "确权登记状态") == "已登记"
    assert _field(bureau, "不动产权证书号") == certificate
    assert _field(bureau, "权利人") == BUREAU
    assert _operations(bureau) == ["change_title", "void"]

    # another jurisdiction's clerk neither sees the parcel nor reaches its operations
    other = login_as("kashgar_clerk")
    other.open(LIST)
    assert name not in other.table_column("宗地名称")
    other.open(f"/landparcelview/operation/{pk}/change_title")
    assert "页面不存在" in other.text()
