"""报表中心 in a real browser: a clerk and a bureau admin preview their reports and get PDFs."""

from __future__ import annotations

from selenium.webdriver.common.by import By


def _entry(page, key):
    return page.find(f'.report-entry[data-report="{key}"]')


def _click(page, key, action):
    _entry(page, key).find_element(By.CSS_SELECTOR, f'button[value="{action}"]').click()


def test_clerk_previews_the_land_report_of_its_scope(login_as, tmp_path):
    page = login_as("tianshan_clerk")
    page.click_menu("报表", "报表中心")
    keys = [e.get_attribute("data-report") for e in page.find_all(".report-entry")]
    # the reports of the modules active in 天山区: the catalog's, land's and the assets module's
    assert {"organization_directory", "land_registration", "asset_ledger", "asset_card"} <= set(keys)
    _click(page, "land_registration", "preview")
    preview = page.wait_for('.report-entry[data-report="land_registration"] iframe.report-preview')
    html = preview.get_attribute("srcdoc")
    assert "土地确权登记情况表" in html and "天山区" in html and "喀什" not in html
    page.screenshot(tmp_path / "report-preview.png")


def test_bureau_directory_lists_its_subtree_only(login_as):
    page = login_as("urumqi_bureau")
    page.open("/reports/")
    _click(page, "organization_directory", "preview")
    html = page.wait_for('.report-entry[data-report="organization_directory"] iframe').get_attribute("srcdoc")
    assert "乌鲁木齐市机关事务管理局" in html and "乌鲁木齐市天山区财政局" in html
    assert "喀什市财政局" not in html and "昌吉市机关事务管理局" not in html


def test_background_render_ends_in_a_download(login_as):
    page = login_as("kashgar_clerk")
    page.open("/reports/")
    _click(page, "organization_directory", "job")
    assert page.path.startswith("/jobs/")
    link = page.wait_visible("#job-download")
    assert link.get_attribute("href").endswith("/download") and ".pdf" in link.text
