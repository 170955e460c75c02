"""A clerk adds a parcel through the browser form; a block rule's message shows and nothing is saved."""

from __future__ import annotations

import uuid

ADD = "/landparcelview/add"
LIST = "/landparcelview/list/"
ORG = "乌鲁木齐市天山区财政局"


def _fill(page, name: str, status: str, certificate: str = "") -> None:
    page.open(ADD)
    page.wait_for("form #name")
    page.type_into("#name", name)
    page.select("jurisdiction", "天山区（650102）")
    page.select("organization", ORG)
    page.type_into("#location", "乌鲁木齐市天山区测试路 1 号")
    page.type_into("#area", "1234.5")
    page.select("land_use", "办公用地")
    page.select("registration_status", status)
    if certificate:
        page.type_into("#certificate_no", certificate)


def _submit(page) -> None:
    page.find("#model_form button[type=submit]").click()
    page.wait(lambda d: page.find_all("div.alert"), f"no message after saving on {page.path}")


def _count(in_app, name: str) -> int:
    from sqlalchemy import func, select

    from plugins.land.parcels.models import LandParcel

    with in_app() as session:
        return session.execute(select(func.count()).where(LandParcel.name == name)).scalar_one()


def test_clerk_adds_a_parcel(login_as, in_app):
    name = f"端到端测试宗地-{uuid.uuid4().int % 10**6:06d}"
    page = login_as("tianshan_clerk")
    page.open(ADD)
    page.wait_for("form #name")
    # a clerk can only pick its own organisation, and jurisdictions on its own path
    assert page.options("organization") == [ORG]
    assert "喀什市（653101）" not in page.options("jurisdiction")

    _fill(page, name, "未登记")
    _submit(page)
    kinds = page.flashes()
    assert not [text for kind, text in kinds if kind == "danger"], kinds
    assert any(kind == "success" for kind, _text in kinds), kinds
    page.open(LIST)
    assert name in page.table_column("宗地名称")
    assert _count(in_app, name) == 1

    # another organisation's clerk does not see it
    other = login_as("kashgar_clerk").open(LIST)
    assert name not in other.table_column("宗地名称")


def test_block_rule_message_shows_and_nothing_is_saved(login_as, in_app):
    name = f"端到端无证宗地-{uuid.uuid4().int % 10**6:06d}"
    page = login_as("tianshan_clerk")
    _fill(page, name, "已登记")  # registered, but no certificate number: Art. 21 block rule
    _submit(page)
    errors = [text for kind, text in page.flashes() if kind == "danger"]
    assert errors and "不动产权证书号" in errors[0], page.flashes()
    assert page.path.startswith(ADD), "the form stays open to be corrected"
    assert page.find("#name").get_attribute("value") == name, "what the user typed is kept"

    page.open(LIST)
    assert name not in page.table_column("宗地名称")
    assert _count(in_app, name) == 0

    # corrected, the same entry saves
    _fill(page, name, "已登记", certificate="新(2026)乌鲁木齐市不动产权第0009999号")
    _submit(page)
    assert not [text for kind, text in page.flashes() if kind == "danger"], page.flashes()
    assert _count(in_app, name) == 1
