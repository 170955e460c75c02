"""报表中心 in a real browser: a clerk and a bureau admin find their reports, open one, preview it
under its form, and get PDFs."""

from __future__ import annotations

from selenium.webdriver.common.by import By


def _open(page, key):
    """From 报表中心's list, open one report's own page."""
    page.open("/reports/")
    old = page.find("html")
    page.find(f'.report-entry[data-report="{key}"] a').click()
    from selenium.webdriver.support import expected_conditions as ec

    page.wait(ec.staleness_of(old), "the report's page did not open")
    return page.wait_for(f'.report-entry[data-report="{key}"]')


def _click(page, key, action):
    page.find(f'.report-entry[data-report="{key}"]').find_element(
        By.CSS_SELECTOR, f'button[value="{action}"]').click()


def test_clerk_finds_a_report_by_name_and_previews_it_under_the_form(login_as, tmp_path):
    page = login_as("tianshan_clerk")
    page.click_menu("报表", "报表中心")
    keys = [e.get_attribute("data-report") for e in page.find_all(".report-entry")]
    # the reports of the modules active in 天山区: the catalog's, land's and the assets module's
    assert {"organization_directory", "land_registration", "asset_ledger", "asset_card"} <= set(keys)
    page.type_into("#report-search", "土地")  # filtered as the user types
    shown = [e.get_attribute("data-report") for e in page.find_all(".report-entry") if e.is_displayed()]
    assert shown == ["land_registration"], shown
    _open(page, "land_registration")
    assert "marshmallow" not in page.text()
    _click(page, "land_registration", "preview")
    preview = page.wait_for('#report-result iframe.report-preview')
    html = preview.get_attribute("srcdoc")
    assert "土地确权登记情况表" in html and "天山区" in html and "喀什" not in html
    # the browser landed on the result: it is in view, not 1,500 px below
    top = page.driver.execute_script(
        "return document.getElementById('report-result').getBoundingClientRect().top")
    assert 0 <= top < page.driver.execute_script("return window.innerHeight"), top
    page.screenshot(tmp_path / "report-preview.png")


def test_bureau_directory_lists_its_subtree_only(login_as):
    page = login_as("urumqi_bureau")
    _open(page, "organization_directory")
    _click(page, "organization_directory", "preview")
    html = page.wait_for("#report-result iframe").get_attribute("srcdoc")
    assert "乌鲁木齐市机关事务管理局" in html and "乌鲁木齐市天山区财政局" in html
    assert "喀什市财政局" not in html and "昌吉市机关事务管理局" not in html


def test_background_render_ends_in_a_download(login_as):
    page = login_as("kashgar_clerk")
    _open(page, "organization_directory")
    _click(page, "organization_directory", "job")
    page.wait(lambda d: page.path.startswith("/jobs/"), "no job page")
    link = page.wait_visible("#job-download")
    assert link.get_attribute("href").endswith("/download") and ".pdf" in link.text
