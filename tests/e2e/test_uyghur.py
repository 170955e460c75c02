"""The Uyghur interface in Chromium (issue 16 item 4): a clerk switches to ئۇيغۇرچە in the language
menu, logs out and in again (the choice is kept), and walks the asset flow's screens: each is
right to left — no left-to-right layout leaks — and shows no Chinese interface text. Chinese
that is data (an organisation's or an asset's name) is told apart by reading the same page in
English, whose catalogue is complete: Chinese still there is data. Then the ledger PDF the
report form downloads has Uyghur headings."""

from __future__ import annotations

import base64
import re

import pytest
from babel.messages.pofile import read_po

from core.config import PROJECT_ROOT
from core.testing.support import pdf_text, poppler_missing

CLERK = "tianshan_clerk"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
UG_PO = PROJECT_ROOT / "translations" / "ug" / "LC_MESSAGES" / "messages.po"


def ug(msgid: str) -> str:
    with open(UG_PO, "rb") as f:
        text = read_po(f).get(msgid).string
    assert text, f"{msgid!r} has no Uyghur translation"
    return text


def rect(page, element) -> dict:
    return page.driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", element)


def chinese_interface_text(page, path: str) -> list[str]:
    """Han runs on the page (as shown, in Uyghur) that the English page of the same address does
    not show too: interface text left untranslated, not data."""
    page.open(path)
    page.wait_for("body")
    shown = page.text()
    separator = "&" if "?" in path else "?"
    page.open(f"{path}{separator}_l_=en")  # one request in English; the stored choice stays
    data = page.text()
    page.open(path)
    return sorted({run for run in HAN.findall(shown) if run not in data})


def assert_right_to_left(page, path: str) -> None:
    """What a reader of Uyghur sees as a left-to-right leak, checked on the page as rendered."""
    html = page.find("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ug", path
    width = page.driver.execute_script("return window.innerWidth")
    brand = rect(page, page.find(".navbar-brand"))
    assert brand["left"] > width / 2, f"{path}: the brand sits on the left ({brand})"
    for cell in page.find_all("table td, table th")[:40]:
        style = page.driver.execute_script(
            "const s = getComputedStyle(arguments[0]); return [s.direction, s.textAlign]", cell)
        assert style[0] == "rtl" and style[1] in ("right", "start", "center", "end"), (path, style)
        if style[1] == "end":  # numbers only: end is left in rtl
            assert "num" in (cell.get_attribute("class") or "") or cell.tag_name == "td", path
    # a horizontal form: each label stands to the right of its field
    for group in page.find_all("#model_form .form-group, form .form-group")[:10]:
        labels = page.find_all("label.control-label, th.col-lg-2", group)
        fields = page.find_all("input.form-control, select, textarea", group)
        if labels and fields and labels[0].is_displayed() and fields[0].is_displayed():
            label, field = rect(page, labels[0]), rect(page, fields[0])
            if label["top"] < field["bottom"] and field["top"] < label["bottom"]:  # side by side
                assert label["left"] >= field["right"] - 2, f"{path}: label left of its field"
    for box in page.find_all(".select2-container"):
        assert box.get_attribute("dir") == "rtl", f"{path}: a select2 box is left to right"


def switch_to_uyghur(page) -> None:
    page.find("#language-menu").click()
    link = page.wait_visible('a[data-locale="ug"]')
    menu = page.find('a[data-locale="ug"]').find_element("xpath", "ancestor::ul[1]")
    toggle = page.find("#language-menu").find_element("xpath", "ancestor::li[1]")
    # the language menu (closest to the left edge in rtl) still opens inside the window
    assert rect(page, menu)["left"] >= -1, rect(page, menu)
    assert rect(page, toggle)
    link.click()
    page.wait(lambda d: page.find("html").get_attribute("dir") == "rtl", "the page did not turn rtl")


def logout(page) -> None:
    user_menu = page.find_all(".navbar-right > li.dropdown > a.dropdown-toggle")[-1]
    user_menu.click()
    button = page.wait_visible("form.jiguan-logout button")
    # a dropdown of the navbar opens to the left in rtl: its right edge under its toggle's
    menu, toggle = rect(page, button.find_element("xpath", "ancestor::ul[1]")), rect(page, user_menu)
    assert abs(menu["right"] - toggle["right"]) <= 2 or menu["left"] >= 0, (menu, toggle)
    button.click()
    page.wait(lambda d: not page.find_all("#notification-bell"), "still logged in")


@pytest.fixture
def forget_choice(in_app):
    def reset():
        with in_app() as session:
            from core.web.security import JiguanUser

            session.query(JiguanUser).filter_by(username=CLERK).update({"locale": None})
            session.commit()
    reset()
    yield
    reset()


def test_clerk_works_in_uyghur_right_to_left(login_as, forget_choice):
    page = login_as(CLERK)
    assert page.find("html").get_attribute("dir") == "ltr"
    switch_to_uyghur(page)
    logout(page)
    page.login(CLERK)  # a new session: the stored choice comes back at login
    assert page.find("html").get_attribute("lang") == "ug"
    assert ug("我的通知") in page.find("#notification-bell").get_attribute("textContent")

    page.open("/assetview/list/")
    card = page.find('table a[href*="/assetview/show/"]').get_attribute("href").removeprefix(page.base_url)
    page.open("/stocktakeview/list/")
    stocktakes = page.find_all('table a[href*="/stocktakeview/show/"]')
    screens = ["/assetview/list/", card, "/assetview/add", "/assets/custody/receive",
               "/stocktakeview/list/", "/disposalview/list/", "/disposalview/add"]
    if stocktakes:
        screens.append(stocktakes[0].get_attribute("href").removeprefix(page.base_url))
    problems = {}
    for path in screens:
        left = chinese_interface_text(page, path)
        assert_right_to_left(page, path)
        if left:
            problems[path] = left
    assert not problems, f"Chinese interface text on Uyghur screens: {problems}"


def test_ledger_pdf_downloaded_in_uyghur(login_as, forget_choice):
    reason = poppler_missing()
    if reason:
        pytest.skip(reason)
    page = login_as(CLERK)
    switch_to_uyghur(page)
    page.open("/reports/asset_ledger/")
    page.wait_for("form")
    assert_right_to_left(page, "/reports/asset_ledger/")
    encoded = page.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const form = document.querySelector('button[name=action][value=pdf]').form;  // 下载 PDF
        const data = new FormData(form); data.set('action', 'pdf');
        // form.action would be the button named "action": read the attribute
        fetch(form.getAttribute('action'), {method: 'POST', body: data, credentials: 'same-origin'})
          .then(r => r.arrayBuffer()).then(b => {
            let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); done(btoa(s));
          }).catch(e => done('error ' + e));""")
    pdf = base64.b64decode(encoded)
    assert pdf.startswith(b"%PDF"), encoded[:80]
    # a heading wraps in its column as the data widen it (other tests' assets), and pdftotext
    # reorders a wrapped rtl cell and mirrors its brackets: read each heading as its words
    text = pdf_text(pdf, layout=False)
    found = set(words(text))
    for heading in ("资产台账", "资产编号", "资产名称", "原值（元）"):
        assert set(words(ug(heading))) <= found and heading not in text, (heading, words(ug(heading)))


def words(text):
    """The words of ``text``: letters and digits only (no bidi marks, brackets or colons)."""
    return re.findall(r"[^\W_]+", text)


def test_uyghur_on_a_phone(login_as, forget_choice):
    """390 px (docs/display.md, "Phones"), right to left: no horizontal scroll, the navbar's
    toggle on the left (the mirror of its place), the list's key columns from the right."""
    page = login_as(CLERK)
    switch_to_uyghur(page)
    page.phone()
    for path in ("/", "/assetview/list/", "/assetview/add"):
        page.open(path)
        page.wait_for("body")
        assert page.find("html").get_attribute("dir") == "rtl", path
        assert page.horizontal_overflow() <= 0, path
        assert not page.beyond_the_window(), (path, page.beyond_the_window())
        toggle = rect(page, page.find(".navbar-toggle"))
        assert toggle["right"] < page.driver.execute_script("return window.innerWidth") / 2, (path, toggle)
    page.open("/assetview/list/")
    cells = [c for c in page.find_all("table tbody tr:first-child td") if c.is_displayed()]
    assert len(cells) >= 2 and rect(page, cells[0])["left"] > rect(page, cells[-1])["left"], \
        "the first column stands on the right"
