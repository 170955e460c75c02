"""工作台 in a real browser: urumqi_bureau sees what awaits it, the charts are drawn under the
CSP, one click opens a record, and the bell counts and clears its notifications."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db


def _unread(app, username: str) -> int:
    from core.extensions import db
    from core.home.models import Notification

    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        return db.session.execute(select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None))).scalar_one()


def test_urumqi_bureau_sees_its_to_dos_charts_and_bell(live_app, login_as, tmp_path):
    page = login_as("urumqi_bureau")
    page.open("/")
    assert "工作台" in page.text("h2")
    awaiting = page.find_all("#todo-awaiting li[data-todo='awaiting'] a")
    titles = [link.text for link in awaiting]
    # every record pending the bureau's decision now (other browser tests decide some of the
    # demo's and add their own), each by its type and number
    from catalog.models import Jurisdiction
    from tests.core.test_home import _pending_for_bureau

    with live_app.app_context():
        path = db.session.execute(
            select(Jurisdiction.path).where(Jurisdiction.name == "乌鲁木齐市")).scalar_one()
    expected = _pending_for_bureau(live_app, path, "650100")
    assert expected and len(titles) == len(expected)
    for _key, text, _id in expected:
        assert any(t.endswith(text) for t in titles), (text, titles)
    assert page.text("[data-card='awaiting'] .jiguan-card-count") == str(len(expected))

    unread = _unread(live_app, "urumqi_bureau")
    assert unread > 0 and page.text("#notification-count") == str(unread)

    # the charts: figures from data attributes, drawn by the vendored ECharts, nothing refused
    page.wait(lambda d: len(page.find_all(".jiguan-chart[data-drawn='1'] svg")) >= 3, "charts not drawn")
    assert not [line for line in page.console() if "Content Security Policy" in line]
    page.screenshot(tmp_path / "home-urumqi-bureau.png")

    href = page.find("#todo-awaiting li[data-todo='awaiting'] a").get_attribute("href")
    page.open(href.removeprefix(page.base_url))
    assert "/show/" in page.path

    page.open("/")
    page.find("#notification-bell").click()
    page.wait(lambda d: "/notifications/" in page.path, "the bell opens the notifications")
    assert "我的通知" in page.text("h2") and "待您审批" in page.text("#notifications")
    page.find("#read-all").click()
    page.wait(lambda d: "条通知标为已读" in page.text(), "no confirmation")
    assert not page.find_all("#notification-count")
    assert _unread(live_app, "urumqi_bureau") == 0
