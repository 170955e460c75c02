"""The vehicle acquisition and renewal plan walked in a real browser (docs/vehicles.md, Art. 28).

天山区财政局's clerk opens the 2028 draft plan and adds a foreign-brand line: refused on the form,
in Chinese, naming 第二十八条; a domestic new-energy line is saved and the plan's page shows the
share. The bureau of 天山区 reviews the 2027 plan, then 天山区's finance department approves it.
"""

from __future__ import annotations

from tests.e2e.test_assets_walk import _click_and_load, _decide, _open_row, _save_model_form, _state


def _add_line(page, plan_path: str, brand: str, model: str, *, domestic: bool) -> str:
    page.open(plan_path)
    page.wait_for("#add-line")
    _click_and_load(page, page.find("#add-line"))
    page.wait_for("#model_form")
    page.select("action", "新增配备")
    page.select("category", "其他按照规定配备的公务用车")
    page.type_into("#model_form #brand", brand)
    page.type_into("#model_form #model_name", model)
    box = page.find("#model_form #domestic")
    if box.is_selected() != domestic:
        box.click()
    page.select("energy_type", "纯电动")
    page.type_into("#model_form #unit_price", "139800")
    page.type_into("#model_form #quantity", "1")
    _save_model_form(page)
    page.wait_for("body")
    return page.text("body")


def test_clerk_is_refused_a_foreign_brand_and_the_bureau_then_finance_approve(login_as):
    clerk = login_as("tianshan_clerk")
    clerk.click_menu("公务用车", "配备更新计划")
    _open_row(clerk, "/vehicleplanview/list/", "2028")
    draft = clerk.path
    assert _state(clerk) == "草稿"

    text = _add_line(clerk, draft, "奔驰", "旅行车", domestic=False)
    assert "“奔驰旅行车”非国产品牌，不得列入配备更新计划" in text and "第二十八条" in text
    clerk.open(draft)
    clerk.wait_for("#plan-lines")
    assert "奔驰" not in clerk.text("#plan-lines")

    _add_line(clerk, draft, "比亚迪", "汉", domestic=True)
    clerk.open(draft)
    clerk.wait_for("#plan-lines")
    assert "比亚迪" in clerk.text("#plan-lines")
    assert "新能源汽车：1 / 1 辆，占比 100.0%" in clerk.text("#plan-summary")

    bureau = login_as("tianshan_bureau")
    _open_row(bureau, "/vehicleplanview/list/", "已提交，待机关事务管理部门审核")
    plan = bureau.path
    _decide(bureau, "approve", "符合编制和标准，同意，报财政")
    assert _state(bureau) == "已审核，待财政部门审核"
    assert not bureau.find_all('#workflow-form button[data-action="approve"]'), \
        "the bureau does not give the finance stage"

    finance = login_as("tianshan_fin_reviewer")
    finance.open(plan)
    finance.wait_for("#workflow-form")
    _decide(finance, "approve", "同意，列入部门预算")
    assert _state(finance) == "已批准"
