"""The Content-Security-Policy in a real browser (docs/security.md "Response headers and caching").

Chromium reports every script or handler the policy blocks in its console. A clerk walks the
main pages and the console holds no violation; the buttons whose behaviour moved out of inline
handlers into core/static/jiguan.js still work — delete (a POST form with the CSRF token,
after a confirmation), the stocktake's "mark all found", the 操作 buttons.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tests.plugins.assets.test_disposal import make_asset, make_disposal

PAGES = [
    "/", "/assetview/list/", "/personview/list/", "/organizationview/list/", "/disposalview/list/",
    "/stocktakeview/list/", "/assetplanview/list/", "/landparcelview/list/", "/jobs/", "/apitokens/",
    "/swagger/", "/reports/", "/catalog/", "/personview/xlsx/import", "/findingview/list/",
]


def violations(page) -> list[str]:
    return [m for m in page.console() if "Content Security Policy" in m or "Refused to" in m]


def test_a_clerk_walks_the_main_pages_without_a_csp_violation(login_as, in_app):
    from plugins.assets.cards.models import Asset
    from plugins.assets.stocktake.models import Stocktake

    page = login_as("tianshan_clerk")
    with in_app() as session:
        asset = session.execute(select(func.max(Asset.id)).where(Asset.voided_at.is_(None))).scalar_one()
        stocktake = session.execute(select(func.max(Stocktake.id))).scalar_one()
    seen = {}
    for path in [*PAGES, f"/assetview/show/{asset}", f"/stocktakeview/show/{stocktake}"]:
        page.open(path)
        page.wait_for("footer")
        seen[path] = violations(page)
    assert all(not found for found in seen.values()), {p: v for p, v in seen.items() if v}
    # the page's scripts ran under the policy: jiguan.js set its helper, jQuery and FAB's are there
    assert page.driver.execute_script(
        "return !!(window.jiguan && window.jiguan.csrfToken() && window.jQuery)")
    # and the policy holds: a script injected without the nonce (what an XSS would do) does not
    # run, and Chromium reports it in the console this test reads
    page.driver.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.injected = 1;';"
        "document.body.appendChild(s);")
    assert page.driver.execute_script("return window.injected") is None
    assert any("script-src" in m for m in violations(page)), "the injected script was not refused"


def test_delete_is_a_confirmed_post_with_the_token(login_as, live_app, in_app):
    from plugins.assets.disposal.models import DisposalLine

    disposal = make_disposal(live_app, make_asset(live_app))
    with in_app() as session:
        line = session.execute(select(DisposalLine.id)
                               .where(DisposalLine.disposal_id == disposal)).scalar_one()
    page = login_as("tianshan_clerk")
    page.open("/disposallineview/list/")
    button = page.find(f'form[action$="/disposallineview/delete/{line}"] button[type=submit]')
    button.click()
    page.wait(lambda d: d.switch_to.alert, "no confirmation asked").dismiss()  # 取消: nothing happens
    with in_app() as session:
        assert session.get(DisposalLine, line) is not None
    page.find(f'form[action$="/disposallineview/delete/{line}"] button[type=submit]').click()
    page.wait(lambda d: d.switch_to.alert, "no confirmation asked").accept()
    page.wait(lambda d: any(kind == "success" for kind, _text in page.flashes()), "no success message")
    with in_app() as session:
        assert session.get(DisposalLine, line) is None
    assert not violations(page)


def test_stocktake_mark_all_found_and_operation_buttons_work(login_as, in_app):
    from catalog.models import Organization
    from plugins.assets.cards.models import Asset
    from plugins.assets.stocktake.models import Stocktake

    with in_app() as session:
        stocktake = session.execute(
            select(func.max(Stocktake.id)).join(Organization, Stocktake.organization_id == Organization.id)
            .where(Organization.name == "乌鲁木齐市天山区财政局", Stocktake.state == "draft")).scalar_one()
        asset = session.execute(
            select(func.max(Asset.id)).join(Organization, Asset.organization_id == Organization.id)
            .where(Organization.name == "乌鲁木齐市天山区财政局", Asset.voided_at.is_(None))).scalar_one()
    page = login_as("tianshan_clerk")
    page.open(f"/stocktakeview/count/{stocktake}")
    page.find("#all-found").click()
    values = page.driver.execute_script(
        "return Array.from(document.querySelectorAll('#count-lines select.found')).map(s => s.value)")
    assert values and all(v == "1" for v in values), values
    page.open(f"/assetview/show/{asset}")
    buttons = page.find_all("#operations a[data-operation]")
    assert buttons, "no operation button"
    buttons[0].click()
    page.wait_for("#operation-form")
    assert page.find("#operation-form input[name=csrf_token]").get_attribute("value")
    assert not violations(page)
