"""接口文档 and 我的 API 令牌 in a real browser: Swagger renders from this server alone; a token is
shown once, works, and is revoked after a confirmation."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By


def _get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our server
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_swagger_page_renders_with_nothing_leaving_the_server(login_as, tmp_path):
    page = login_as("urumqi_bureau", network_log=True)
    page.click_menu("接口", "接口文档")
    page.wait_for("#swagger-ui .information-container .title")
    assert "机关事务管理平台 接口文档" in page.text("#swagger-ui .information-container")
    assert "Bearer" in page.text("#swagger-intro") or "Authorize" in page.text("#swagger-intro")
    page.wait_for("#swagger-ui button.authorize")  # Bearer auth is offered
    tags = [t.text for t in page.find_all("#swagger-ui .opblock-tag")]
    assert "资产卡片" in " ".join(tags) and "我的 API 令牌" in " ".join(tags), tags
    # open one group: its operations carry Chinese summaries
    tag = next(t for t in page.find_all("#swagger-ui .opblock-tag") if t.text.startswith("资产卡片"))
    tag.click()
    summaries = page.wait(lambda d: [s.text for s in d.find_elements(
        By.CSS_SELECTOR, ".opblock-summary-description") if s.text], "no operation shown")
    assert any(s.startswith("查询资产卡片列表") for s in summaries), summaries
    page.screenshot(tmp_path / "swagger.png")

    requested = page.requested_urls()
    assert any(u.endswith("/api/v1/_openapi") for u in requested), requested
    assert any("/swagger/assets/swagger-ui-bundle.js" in u for u in requested), requested
    network = [u for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    outside = [u for u in network if urlsplit(u).hostname != "127.0.0.1"]
    assert outside == [], outside
    loaded = page.driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert loaded and all(urlsplit(u).hostname == "127.0.0.1" for u in loaded), loaded


def test_token_is_created_shown_once_and_revoked(login_as, live_server, tmp_path):
    page = login_as("kashgar_clerk")
    page.click_menu("接口", "我的 API 令牌")
    page.wait_for("form#create-token")
    page.type_into("#token-name", "向自治区报送")
    page.select("token-days", "30 天")
    page.find("form#create-token [type=submit]").click()
    raw = page.wait_visible("#new-token-value").text.strip()
    assert raw.startswith("jg_") and len(raw) > 40
    assert "只显示这一次" in page.text("#new-token")
    row = page.find("#tokens tbody tr[data-state=active]")
    assert "向自治区报送" in row.text and raw[:11] in row.text and "有效" in row.text
    page.screenshot(tmp_path / "token-created.png")

    # the token works as the clerk …
    assert _get(f"{live_server}/api/v1/asset/", raw) == 200
    # … and is never shown again
    page.open("/apitokens/")
    page.wait_for("#tokens")
    assert raw not in page.driver.page_source and not page.find_all("#new-token-value")

    # revoking asks first; dismissing keeps the token
    row = page.find("#tokens tbody tr[data-state=active]")
    page.find("form.revoke-token button", row).click()
    alert = page.wait(lambda d: d.switch_to.alert, "no confirmation asked")
    assert "确定撤销令牌“向自治区报送”" in alert.text
    alert.dismiss()
    assert _get(f"{live_server}/api/v1/asset/", raw) == 200
    page.find("form.revoke-token button", page.find("#tokens tbody tr[data-state=active]")).click()
    page.wait(lambda d: d.switch_to.alert, "no confirmation asked").accept()
    page.wait_for("#tokens tbody tr[data-state=revoked]")
    assert any(kind == "success" and "已撤销" in text for kind, text in page.flashes()), page.flashes()
    assert _get(f"{live_server}/api/v1/asset/", raw) == 401
