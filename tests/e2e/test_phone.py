"""Issue 16 item 3: the screens at a phone's 390×844 (docs/display.md, "Phones"): a list shows
its key columns and its row buttons, the home page and an approval are done without scrolling
sideways, with 40 px tap targets and the navbar folded behind its toggle."""

from __future__ import annotations

ASSET_KEY_HEADERS = ["资产编号", "资产名称", "资产状态"]


def _headers(page, css: str = "div.table-responsive > table") -> tuple[list[str], list[str]]:
    """(shown, hidden) header labels of the list's table."""
    shown, hidden = [], []
    for th in page.find_all("thead th", page.find(css)):
        label = " ".join((th.get_attribute("textContent") or "").split())
        if label:
            (shown if th.is_displayed() else hidden).append(label)
    return shown, hidden


def _too_small(page, css: str) -> list[tuple[str, int]]:
    """The shown buttons under ``css`` less than 40 px tall: (text, height)."""
    return [(b.text or b.get_attribute("title") or "", b.size["height"]) for b in page.find_all(css)
            if b.is_displayed() and b.size["height"] < 40]


def test_asset_list_shows_its_key_columns_on_a_phone(login_as, tmp_path):
    page = login_as("tianshan_clerk").phone()
    page.open("/assetview/list/")
    page.wait_for("div.table-responsive > table")
    shown, hidden = _headers(page)
    assert shown == ASSET_KEY_HEADERS, (shown, hidden)
    assert {"资产分类", "使用单位", "原值（元）", "取得日期"} <= set(hidden)
    rows = page.find_all("div.table-responsive > table tbody tr")
    assert rows, "no asset listed"
    first = rows[0]
    cells = [td for td in page.find_all("td", first) if td.is_displayed()]
    # the check box, the buttons, then the three key cells; the show button at hand
    assert len(cells) == 2 + len(ASSET_KEY_HEADERS), [c.text for c in cells]
    assert page.find('a[href*="/show/"]', first).is_displayed()
    assert page.horizontal_overflow() <= 0 and not page.beyond_the_window()
    # the table fits the window, and a name wraps at words: no cell a single character wide
    assert page.driver.execute_script(
        "const box = document.querySelector('div.table-responsive');"
        "return box.scrollWidth <= box.clientWidth"), "the table scrolls sideways in its box"
    for td in cells[2:]:
        assert td.size["width"] >= 48, (td.text, td.size)
    page.screenshot(tmp_path / "phone-asset-list.png")


def test_home_page_on_a_phone(login_as, tmp_path):
    page = login_as("urumqi_bureau").phone()
    page.open("/")
    page.wait_for("#scope")
    assert page.horizontal_overflow() <= 0
    # the navbar folds behind its toggle, which opens it (Bootstrap's own script, served locally)
    toggle = page.find(".navbar-toggle")
    assert toggle.is_displayed() and toggle.size["height"] >= 40
    assert not page.find(".navbar-collapse").is_displayed()
    toggle.click()
    # Bootstrap ignores a toggle while the menu is still sliding: wait until it is fully open
    page.wait(lambda d: "in" in page.find(".navbar-collapse").get_attribute("class").split()
              and not page.find_all(".navbar-collapse.collapsing"), "the toggle does not open the menu")
    assert "资产管理" in page.text(".navbar-collapse")
    toggle.click()
    page.wait(lambda d: not page.find(".navbar-collapse").is_displayed(),
              "the toggle does not close the menu")
    assert page.find_all("#todo-awaiting li[data-todo='awaiting'] a")
    assert not _too_small(page, "#content .btn, .container .btn")
    assert page.horizontal_overflow() <= 0 and not page.beyond_the_window()
    page.screenshot(tmp_path / "phone-home.png")


def test_an_approval_decided_on_a_phone(login_as, live_app, tmp_path):
    """From the 待我审批 list to the decision: urumqi_bureau approves 天山区's 运行成本统计报告
    (a demo record no other browser test decides)."""
    from selenium.webdriver.support import expected_conditions as ec

    page = login_as("urumqi_bureau").phone()
    page.open("/")
    page.find("[data-card='awaiting'] a").click()  # the card leads to the list below it
    todos = page.find_all("#todo-awaiting li[data-todo='awaiting'] a")
    links = [a for a in todos if "运行成本统计报告" in a.text]
    assert links, [a.text for a in todos]
    assert links[0].is_displayed() and links[0].size["height"] >= 20
    old = page.find("html")
    links[0].click()
    page.wait(ec.staleness_of(old), "the to-do does not open its record")
    page.wait_for("#workflow-form")
    assert page.horizontal_overflow() <= 0 and not page.beyond_the_window(), page.beyond_the_window()
    assert not _too_small(page, "#workflow-form button"), _too_small(page, "#workflow-form button")
    page.type_into("#workflow-form #comment", "同意")
    page.find('#workflow-form button[data-action="approve"]').click()  # asks first
    ok = page.wait_visible("#workflow-confirm-ok")
    assert ok.size["height"] >= 40 and not page.beyond_the_window("#workflow-confirm .btn")
    old = page.find("html")
    ok.click()
    page.wait(ec.staleness_of(old), "confirming does not decide")
    page.wait(lambda d: page.find_all("div.alert"), "no message after the decision")
    assert not [text for kind, text in page.flashes() if kind == "danger"], page.flashes()
    assert any(kind == "success" for kind, _text in page.flashes()), page.flashes()
    assert page.find("#workflow-state").get_attribute("data-state") not in ("submitted", "pending")
    assert "approve" in [tr.get_attribute("data-event") for tr in page.find_all("#workflow-history tbody tr")]
    assert page.horizontal_overflow() <= 0
    page.screenshot(tmp_path / "phone-approval.png")
