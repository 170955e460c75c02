"""The assets module walked in a real browser from the demo logins (docs/assets.md, “Walking it in the demo”).

A clerk of 乌鲁木齐市天山区财政局 receives, checks out, stocktakes and proposes the disposal of
assets and requests one from the pool; 乌鲁木齐市机关事务管理局 approves the stocktake, the pool
transfer and the disposal and reviews a plan, 乌鲁木齐市财政局 gives the plans' finance stage;
the reports render in 报表中心. Each test drives the screens a user has and reads what they
read: the flashed message, the record's state on its page, the card's 资产变动记录.

The tests share the session's demo database, so each one works on its own demo records
(asset numbers below) or on records it creates with a unique name.
"""

from __future__ import annotations

import datetime as dt
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.display import local_today

ORG = "乌鲁木齐市天山区财政局"
MISSING_CHAIR = "ZC-650102-05002"  # 办公椅, idle: not found in the test's stocktake
OLD_COMPUTER = "ZC-650102-05004"  # 台式计算机 of 2019, its minimum life over: scrapped
POOL_CABINET = "ZC-650102-P003"  # 文件柜 of 天山区人民政府办公室 in 乌鲁木齐's pool
POOL_LAPTOP = "ZC-650100-P001"  # 便携式计算机 in 乌鲁木齐's pool, requested by 天山区财政局 in the demo
PLAN_AT_BUREAU = "2027 年度家具补充配置计划"
PLAN_AT_FINANCE = "2027 年度打印设备更新计划"


def _tag() -> str:
    # digits only: a hex tag like "aeecc9" in a walk's record would read as a Latin word to the
    # zh crawl (test_no_foreign_text) when it runs after this walk in the same app
    return f"{uuid.uuid4().int % 10**6:06d}"


# --- reading a page as a user does ------------------------------------------------------------------


def _click_and_load(page, element) -> None:
    page.click_and_load(element)


def _wait_flash(page) -> list[tuple[str, str]]:
    page.wait(lambda d: page.find_all("div.alert"), f"no message on {page.path}")
    return page.flashes()


def _success(page, *words: str) -> str:
    return page.success(*words)


def _field(page, label: str) -> str:
    """The value next to ``label`` in a record page's table (FAB's show widget)."""
    cells = page.driver.find_elements(
        By.XPATH, f"//div[@id='Home']//table//tr[th[normalize-space()='{label}']]/td")
    assert cells, f"no field {label!r} on {page.path}"
    # textContent: the 详细 tab may be hidden behind another tab the user opened before
    return " ".join(cells[0].get_attribute("textContent").split())


def _state(page) -> str:
    return page.find("#workflow-state").text.strip()


def _history(page) -> list[tuple[str, str]]:
    """The card's 资产变动记录, newest first: (变动类型, 变动内容)."""
    rows = page.find_all("#asset-history tbody tr[data-kind]")
    return [(page.find_all("td", r)[1].text.strip(), page.find_all("td", r)[2].text.strip()) for r in rows]


def _open_row(page, list_path: str, text: str) -> None:
    """Open the record page of the list row that shows ``text`` (its 显示记录 button)."""
    page.open(list_path)
    page.wait_for("div.table-responsive > table")
    rows = [tr for tr in page.find_all("div.table-responsive > table tbody tr") if text in tr.text]
    assert rows, f"no row with {text!r} in {list_path}"
    _click_and_load(page, page.find('a[href*="/show/"]', rows[0]))
    page.wait_for("#Home")


def _open_card(page, number: str, disposed: bool = False) -> None:
    """Find an asset card by number in 资产卡片 (or 已处置资产) and open it."""
    view = "disposedassetview" if disposed else "assetview"
    _open_row(page, f"/{view}/list/?_flt_0_number={number}", number)
    assert _field(page, "资产编号") == number


def _listed(page) -> str:
    """The rows a list shows (its table; the 当前筛选 line above it names the searched number)."""
    return " ".join(t.text for t in page.find_all("div.table-responsive"))


def _open_newest(page, list_path: str, view: str, must_show: str) -> str:
    """Open the newest record of a list (by id, descending); its page must show ``must_show``."""
    page.open(f"{list_path}?_oc_{view}=id&_od_{view}=desc")
    page.wait_for("div.table-responsive > table")
    first = page.find_all("div.table-responsive > table tbody tr")[0]
    _click_and_load(page, page.find('a[href*="/show/"]', first))
    page.wait_for("#Home")
    assert must_show in page.text("#Home"), f"the newest record of {list_path} is not ours"
    return page.path


def _decide(page, action: str, comment: str = "") -> str:
    return page.decide(action, comment)


def _operation(page, key: str, **fields: str) -> str:
    """Press an operation's button on the record page (操作 panel), fill its form, confirm;
    back on the record page, returns the success message."""
    offered = [a.get_attribute("data-operation") for a in page.find_all("#operations a[data-operation]")]
    assert key in offered, f"no {key!r} operation on {page.path}: {offered}"
    _click_and_load(page, page.find(f'#operations a[data-operation="{key}"]'))
    page.wait_for("#operation-form")
    for name, value in fields.items():
        if page.find_all(f"#operation-form select#{name}"):
            page.select(name, value)
        else:
            page.type_into(f"#operation-form #{name}", value)
    _click_and_load(page, page.find("#operation-submit"))
    return _success(page)


def _operations(page) -> list[str]:
    return [a.get_attribute("data-operation") for a in page.find_all("#operations a[data-operation]")]


def _type_date(page, css: str, day: dt.date) -> None:
    """A FAB date box (bootstrap-datepicker on a text input): type the date, close the picker."""
    from selenium.webdriver.common.keys import Keys

    page.type_into(css, day.isoformat())
    page.find(css).send_keys(Keys.ESCAPE)


def _save_model_form(page) -> None:
    _click_and_load(page, page.find("#model_form button[type=submit]"))


# --- the walks ----------------------------------------------------------------------------------------


def test_clerk_receives_an_asset_and_checks_it_out(login_as):
    name = f"端到端公务用车-{_tag()}"
    page = login_as("tianshan_clerk")
    page.click_menu("资产管理", "入库登记")
    page.wait_for("#receipt-form")
    assert page.options("organization") == [ORG], "a clerk registers for its own organisation only"
    # a vehicle: no configuration standard of the demo applies, so the furniture and office
    # equipment caps the plan test relies on are left as they are
    page.select("asset_class", "2030000 车辆")
    page.type_into("#name", name)
    page.type_into("#specification", "国产 1.5L 轿车")
    page.type_into("#unit", "辆")
    page.type_into("#unit_price", "150000")
    page.type_into("#supplier", "乌鲁木齐某汽车销售公司")
    page.type_into("#invoice_no", f"FP-{_tag()}")
    page.type_into("#location", "天山区财政局车库")
    page.select("status", "闲置（入库待领用）")
    _click_and_load(page, page.find("#receipt-form button[type=submit]"))

    message = _success(page, "已入库登记", "新建资产卡片 1 张")
    assert page.path.startswith("/assetview/show/"), "one card: its page opens"
    number = _field(page, "资产编号")
    assert number in message and number.startswith("ZC-650102-RK")
    assert _field(page, "资产名称") == name
    assert _field(page, "资产状态") == "闲置"
    assert [kind for kind, _ in _history(page)] == ["入库登记"]

    assert _operations(page) == ["check_out", "relocate", "set_status", "void"]
    card = page.path
    page.open(card.replace("/show/", "/edit/"))
    page.wait_for("#model_form")
    assert not page.find_all("#model_form #status") and not page.find_all("#model_form #custodian"), \
        "status and custodian change by operations only"
    page.open(card)
    page.wait_for("#operations")

    # 领用: to 李海燕, in her office
    message = _operation(page, "check_out", custodian_id="李海燕", location="天山区财政局车库 1 号车位")
    assert f"已办理“领用”：{number}" in message
    assert page.path.startswith("/assetview/show/")
    assert _field(page, "资产状态") == "在用"
    assert _field(page, "保管人") == "李海燕"
    kind, changes = _history(page)[0]
    assert kind == "领用", _history(page)
    assert "保管人：— → 李海燕" in changes and "状态：闲置 → 在用" in changes, changes
    assert _operations(page) == ["transfer", "return", "relocate", "set_status", "void"], \
        "a card with a custodian is transferred or handed back"

    # 保管人变更: to the colleague 王阿依努尔
    _click_and_load(page, page.find('#operations a[data-operation="transfer"]'))
    page.wait_for("#operation-form")
    assert "李海燕" not in page.options("custodian_id"), "the current custodian is not offered"
    page.select("custodian_id", "王阿依努尔")
    _click_and_load(page, page.find("#operation-submit"))
    _success(page, f"已办理“保管人变更”：{number}")
    assert _field(page, "保管人") == "王阿依努尔"
    assert [kind for kind, _ in _history(page)] == ["保管人变更", "领用", "入库登记"]
    assert "保管人：李海燕 → 王阿依努尔" in _history(page)[0][1]


def test_clerk_returns_marks_idle_and_voids_a_card_the_bureau_sees_it(login_as):
    """Art. 18: a card handed back is idle (for the pool); a card entered twice is voided, never
    deleted (Art. 19, 41-42): its page says who voided it, when and why; the lists leave it out."""
    name = f"端到端重复卡片-{_tag()}"
    page = login_as("tianshan_clerk")
    page.open("/assets/custody/receive")
    page.wait_for("#receipt-form")
    page.select("asset_class", "2030000 车辆")
    page.type_into("#name", name)
    page.type_into("#unit", "辆")
    page.type_into("#unit_price", "120000")
    page.select("status", "闲置（入库待领用）")
    _click_and_load(page, page.find("#receipt-form button[type=submit]"))
    _success(page, "已入库登记")
    number = _field(page, "资产编号")
    card = page.path

    _operation(page, "set_status", status="在用", note="会议室公用")
    assert _field(page, "资产状态") == "在用"
    _operation(page, "set_status", status="闲置")
    assert _field(page, "资产状态") == "闲置"
    assert [kind for kind, _ in _history(page)][:2] == ["状态变更", "状态变更"]

    # no delete button anywhere; 作废 with its reason instead
    page.open(f"/assetview/list/?_flt_0_number={number}")
    page.wait_for("div.table-responsive > table")
    assert not page.find_all('a[href*="/assetview/delete/"]')
    page.open(card)
    page.wait_for("#operations")
    _click_and_load(page, page.find('#operations a[data-operation="void"]'))
    page.wait_for("#operation-form")
    assert "作废不能撤销" in page.text("#operation-confirm")
    _click_and_load(page, page.find("#operation-submit"))  # no reason: refused, nothing written
    assert [text for kind, text in page.flashes() if kind == "danger"], page.flashes()
    page.type_into("#operation-form #reason", "与入库单 RK 重复登记")
    _click_and_load(page, page.find("#operation-submit"))
    _success(page, "已办理“作废”")
    info = page.text("#voided-info")
    assert "与入库单 RK 重复登记" in info and "tianshan_clerk" in info
    assert _operations(page) == [], "a voided card is read-only"
    assert _history(page)[0][0] == "作废"
    page.open(f"/assetview/list/?_flt_0_number={number}")
    page.wait_for("#voided-toggle")
    assert number not in _listed(page)
    _click_and_load(page, page.find("#voided-toggle a"))
    assert number in page.table_column("资产编号")

    # the bureau sees the voided card and its reason, and may not touch it either
    bureau = login_as("urumqi_bureau")
    bureau.open(card)
    bureau.wait_for("#voided-info")
    assert "与入库单 RK 重复登记" in bureau.text("#voided-info") and _operations(bureau) == []


def test_stocktake_counted_submitted_and_approved(login_as):
    note = f"端到端盘点-{_tag()}"
    page = login_as("tianshan_clerk")
    page.click_menu("资产管理", "资产盘点")
    page.open("/stocktakeview/add")
    page.wait_for("#model_form")
    assert page.options("organization") == [ORG]
    _type_date(page, "#planned_on", local_today())
    page.type_into("#model_form #note", note)
    _save_model_form(page)
    _success(page)
    stocktake = _open_newest(page, "/stocktakeview/list/", "StocktakeView", note)
    assert _state(page) == "草稿"
    summary = page.text("#stocktake-summary")
    assert "已盘 0 项" in summary, summary

    # the count screen: everything found but the chair, which is not there
    _click_and_load(page, page.find("#count-link"))
    page.wait_for("#count-form")
    numbers = [tr.get_attribute("data-asset") for tr in page.find_all("#count-lines tbody tr[data-line]")]
    assert MISSING_CHAIR in numbers, numbers
    page.find("#all-found").click()
    chair = page.find(f'#count-lines tr[data-asset="{MISSING_CHAIR}"]')
    Select(page.find("select.found", chair)).select_by_visible_text("不在（盘亏）")
    note_box = page.find('input[name^="note_"]', chair)
    note_box.clear()
    note_box.send_keys("库房未找到")
    _click_and_load(page, page.find("#count-form button[type=submit]"))
    _success(page, f"已保存实盘结果：已盘 {len(numbers)} / {len(numbers)} 项")

    # the discrepancy shows: one 盘亏, the chair
    _click_and_load(page, page.find('a[href^="/stocktakeview/discrepancies/"]'))
    page.wait_for("#discrepancy-totals")
    loss = page.find('#discrepancy-totals tr[data-kind="loss"]')
    assert page.find_all("td", loss)[1].text.strip() == "1", loss.text
    assert MISSING_CHAIR in page.text("#discrepancies-loss")

    page.open(stocktake)
    assert "盘亏 1" in page.text("#stocktake-summary")
    _decide(page, "submit", "盘点完成，请审批")
    assert _state(page) == "已提交"

    # the bureau approves; the missing chair is to be written off
    bureau = login_as("urumqi_bureau")
    bureau.open(stocktake)
    assert note in bureau.text("#Home")
    _decide(bureau, "approve", "同意按盘点结果调整")
    assert _state(bureau) == "已批准"

    page.driver.refresh()
    _open_card(page, MISSING_CHAIR)
    assert _field(page, "资产状态") == "待处置"
    kind, changes = _history(page)[0]
    assert kind == "盘点调整" and "状态：闲置 → 待处置" in changes, _history(page)


def test_disposal_applied_and_approved(login_as):
    reason = f"端到端报废申请-{_tag()}：超过最低使用年限，故障频发"
    page = login_as("tianshan_clerk")
    page.click_menu("资产管理", "资产处置申请")
    page.open("/disposalview/add")
    page.wait_for("#model_form")
    page.select("method", "报废")
    page.type_into("#model_form #reason", reason)
    page.type_into("#model_form #appraised_value", "150")
    _save_model_form(page)
    _success(page)
    disposal = _open_newest(page, "/disposalview/list/", "DisposalView", reason)
    assert _state(page) == "草稿"

    # a line: the old computer, through the application's 处置资产明细 tab
    page.find('a[href="#DisposalLineView"]').click()
    _click_and_load(page, page.wait_visible('#DisposalLineView a[href^="/disposallineview/add"]'))
    page.wait_for("#model_form")
    page.select("asset", f"{OLD_COMPUTER} 台式计算机")
    _save_model_form(page)
    _success(page)
    page.open(disposal)
    assert _field(page, "资产数") == "1"
    _decide(page, "submit", "请审批")
    assert _state(page) == "已提交，待机关事务管理部门审批"
    _open_card(page, OLD_COMPUTER)
    assert _field(page, "资产状态") == "待处置"

    # the city's bureau reads it but does not decide: 天山区's own bureau does (同级, Art. 19)
    city = login_as("urumqi_bureau")
    city.open(disposal)
    assert not city.find_all('#workflow-form button[data-action="approve"]')
    bureau = login_as("tianshan_bureau")
    bureau.open(disposal)
    _decide(bureau, "approve", "同意报废")
    # the computer's original value reaches the demo's finance threshold: 天山区财政局 approves last
    assert _state(bureau) == "已审核，待财政审批"
    finance = login_as("tianshan_fin_reviewer")
    finance.open(disposal)
    _decide(finance, "approve", "同意")
    assert _state(finance) == "已批准"

    # the computer left the in-use ledger: it is under 已处置资产
    page.open(f"/assetview/list/?_flt_0_number={OLD_COMPUTER}")
    assert OLD_COMPUTER not in _listed(page)
    page.click_menu("资产管理", "已处置资产")
    assert OLD_COMPUTER in page.table_column("资产编号")
    _open_card(page, OLD_COMPUTER, disposed=True)
    assert _field(page, "资产状态") == "已处置"
    assert _history(page)[0][0] == "处置"


def test_pool_requests_decided_by_the_bureau(login_as):
    """The clerk requests the cabinet; the bureau transfers the laptop of the demo's waiting request
    and sends the cabinet request back (a cabinet more would put 天山区财政局 above its furniture cap,
    which the plan test relies on)."""
    purpose = f"端到端调剂-{_tag()}：档案室新增文件柜"
    page = login_as("tianshan_clerk")
    page.click_menu("资产管理", "公物仓")
    pool = dict(zip(page.table_column("资产编号"), page.table_column("状态"), strict=True))
    assert pool.get(POOL_CABINET) == "可调剂", "a district clerk reads the city's pool"
    assert pool.get(POOL_LAPTOP) == "已预订", "the demo's request for the laptop is waiting"
    page.open(f"/assetview/list/?_flt_0_number={POOL_LAPTOP}")
    assert POOL_LAPTOP not in _listed(page), "the laptop is still another organisation's"

    # the clerk's own request, through the form
    page.click_menu("资产管理", "公物仓调剂申请")
    page.open("/poolrequestview/add")
    page.wait_for("#model_form")
    assert f"{POOL_LAPTOP} 便携式计算机" not in page.options("item"), "a reserved item is not offered"
    page.select("item", f"{POOL_CABINET} 文件柜")
    page.type_into("#model_form #purpose", purpose)
    page.select("requested_by", "李海燕")
    page.select("target_status", "在用")
    _save_model_form(page)
    _success(page)
    request = _open_newest(page, "/poolrequestview/list/", "PoolRequestView", purpose)
    assert _state(page) == "草稿"
    _decide(page, "submit", "请审批")
    assert _state(page) == "已提交"
    page.click_menu("资产管理", "公物仓")
    pool = dict(zip(page.table_column("资产编号"), page.table_column("状态"), strict=True))
    assert pool[POOL_CABINET] == "已预订", pool

    # the bureau: the laptop is transferred (无偿划转), the cabinet request sent back
    bureau = login_as("urumqi_bureau")
    _open_row(bureau, "/poolrequestview/list/", f"{POOL_LAPTOP} 便携式计算机")
    assert _state(bureau) == "已提交"
    _decide(bureau, "approve", "同意无偿划转")
    assert _state(bureau) == "已批准"
    bureau.open(request)
    _decide(bureau, "reject", "本单位家具已达配置标准数量上限，不予调剂")
    assert _state(bureau) == "已退回"

    page.click_menu("资产管理", "公物仓")
    pool = dict(zip(page.table_column("资产编号"), page.table_column("状态"), strict=True))
    assert pool[POOL_CABINET] == "可调剂", "a request sent back frees the item"
    assert POOL_LAPTOP not in pool or pool[POOL_LAPTOP] == "已调剂", pool
    # the laptop is now 天山区财政局's, in use, with the transfer on its card
    _open_card(page, POOL_LAPTOP)
    assert _field(page, "使用单位") == ORG
    assert _field(page, "资产状态") == "在用"
    kind, changes = _history(page)[0]
    assert kind == "公物仓调剂（无偿划转）", _history(page)
    assert f"单位：乌鲁木齐市教育局 → {ORG}" in changes, changes


def test_plans_reviewed_by_the_bureau_and_approved_by_finance(login_as):
    """同级 (Art. 17): 天山区's plans go to 天山区's bureau and finance department."""
    bureau = login_as("tianshan_bureau")
    bureau.click_menu("资产管理", "资产配置计划")
    _open_row(bureau, "/assetplanview/list/", PLAN_AT_BUREAU)
    plan = bureau.path
    assert _state(bureau) == "已提交，待机关事务管理部门审核"
    assert "机关事务管理部门审核（待审）" in bureau.text("#workflow-stages")
    _decide(bureau, "approve", "符合配置标准，同意，报财政审批")
    assert _state(bureau) == "已审核，待财政审批"
    assert "财政部门审核（待审）" in bureau.text("#workflow-stages")
    assert not bureau.find_all('#workflow-form button[data-action="approve"]'), \
        "the bureau does not give the finance stage"

    finance = login_as("tianshan_fin_reviewer")
    _open_row(finance, "/assetplanview/list/", PLAN_AT_FINANCE)
    assert _state(finance) == "已审核，待财政审批"
    _decide(finance, "approve", "同意列入部门预算")
    assert _state(finance) == "已批准"
    assert finance.find("#budget-export").is_displayed()

    finance.open(plan)
    _decide(finance, "approve", "同意")
    assert _state(finance) == "已批准"
    events = [tr.get_attribute("data-event") for tr in finance.find_all("#workflow-history tbody tr")]
    assert events.count("approve") == 2, events


def _pick_record(page, field_id: str, text: str) -> None:
    """Type into a type-ahead record picker (select2) and click the match, as a user does."""
    from selenium.common.exceptions import StaleElementReferenceException

    container = page.wait(lambda d: page.find_all(f"select#{field_id} + .select2-container"),
                          f"the picker {field_id} did not start")[0]
    page.find(".select2-selection", container).click()
    page.wait_visible(".select2-container--open .select2-search__field").send_keys(text)

    def pick(_driver):
        # select2 redraws its results as each answer arrives: an option may go stale under us
        try:
            option = next((li for li in page.find_all(".select2-container--open .select2-results__option")
                           if li.is_displayed() and text in li.text), None)
            if option is None:
                return False
            option.click()
            return True
        except StaleElementReferenceException:
            return False

    page.wait(pick, f"no match for {text!r} in {field_id}")


def _preview(page, key: str, **params: str) -> str:
    """Open the report from 报表中心's list, pick its parameters, preview it."""
    page.open("/reports/")
    _click_and_load(page, page.find(f'.report-entry[data-report="{key}"] a'))
    entry = page.wait_for(f'.report-entry[data-report="{key}"]')
    for name, value in params.items():
        if page.find_all(f"select#{key}-{name}.jiguan-typeahead"):  # a record picker: type, pick
            _pick_record(page, f"{key}-{name}", value)
        else:
            page.type_into(f"#{key}-{name}", value)
    _click_and_load(page, page.find('button[value="preview"]', entry))
    frame = page.wait_for(f'.report-entry[data-report="{key}"] iframe.report-preview')
    return frame.get_attribute("srcdoc")


def test_asset_reports_render(login_as):
    page = login_as("tianshan_clerk")
    page.click_menu("报表", "报表中心")
    keys = {e.get_attribute("data-report") for e in page.find_all(".report-entry")}
    assert {"asset_ledger", "asset_card", "stocktake_sheet", "assets_pool_available",
            "assets_disposal_form", "asset_plan"} <= keys, keys

    html = _preview(page, "asset_ledger")
    assert "资产台账" in html and ORG in html and "ZC-650102-05090" in html
    assert "喀什" not in html, "a clerk's ledger is its own organisation's"

    page.open("/reports/")
    html = _preview(page, "asset_card", asset="ZC-650102-05090")
    assert "资产变动记录" in html and "台式计算机" in html

    page.click_menu("资产管理", "资产盘点")
    number = page.table_column("盘点单号")[-1]
    page.open("/reports/")
    html = _preview(page, "stocktake_sheet", stocktake=number)
    assert "资产盘点表" in html and number in html and ORG in html

    page.open("/reports/")
    html = _preview(page, "assets_pool_available")
    assert "公物仓可调剂资产清单" in html and "乌鲁木齐市机关事务管理局" in html

    # another jurisdiction's card does not exist for 喀什's clerk, even asked for by its number
    other = login_as("kashgar_clerk")
    other.open("/reports/asset_card/print?asset=ZC-650102-05090")
    other.wait_for('.report-entry[data-report="asset_card"] .has-error')
    assert "资产不存在或不在您的权限范围内" in other.text('.report-entry[data-report="asset_card"]')
    assert not other.find_all('.report-entry[data-report="asset_card"] iframe.report-preview')


def test_a_list_action_pressed_with_no_row_ticked_says_so_in_chinese(login_as):
    """FAB's own script alerts "No row selected" in English; the page's language is shown instead."""
    page = login_as("tianshan_clerk")
    page.open("/assetview/list/")
    page.wait_for("div.table-responsive > table")
    assert not [box for box in page.find_all("input.action_check") if box.is_selected()]
    page.find(".btn-group .dropdown-toggle", page.find(".print_labels_menu_item")
              .find_element(By.XPATH, "ancestor::div[contains(@class,'btn-group')]")).click()
    page.wait(lambda d: page.find(".print_labels_menu_item").is_displayed(), "the 操作 menu does not open")
    page.find(".print_labels_menu_item").click()
    page.wait_visible("#modal-alert .modal-text")
    page.wait(lambda d: page.text("#modal-alert .modal-text"), "the alert shows no text")
    assert page.text("#modal-alert .modal-text") == "请先勾选要操作的记录"
    assert page.text("#modal-alert .modal-footer") == "确定"
