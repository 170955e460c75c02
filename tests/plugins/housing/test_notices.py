"""Policy notices (Art. 25 及时公布有关政策、信息): 发布 and 撤回 by the bureau as operations, the
notice on the home page (工作台) of the staff of its jurisdiction and below while published and
not expired, newest first; the Art. 25 rules of notices on every write path."""

from __future__ import annotations

import datetime as dt

import pytest

from core.api import local_today
from tests.catalog.xlsx_helpers import read_xlsx, upload, xlsx_bytes
from tests.plugins.housing.units_helpers import (
    ART,
    BUREAU,
    PATHS,
    TIANSHAN_BUREAU,
    TIANSHAN_FINANCE,
    home_list,
    make_notice,
    notice_of,
    notices_shown,
    org_id,
    unique,
)


def _op(client, pk, key, **body):
    return client.api("POST", f"/api/v1/housing_notice/{pk}/{key}", json=body)


def test_art25_published_notice_is_on_the_home_page_of_the_jurisdiction_and_below(app, login, rest):
    """第二十五条 及时公布: 天山区's bureau publishes a notice; tianshan_clerk's 工作台 lists it with a
    link to it under 周转住房政策信息, kashgar_clerk's does not; 撤回 takes it off."""
    pk, title = make_notice(app)
    clerk, kashgar = login("tianshan_clerk"), login("kashgar_clerk")
    assert title not in home_list(clerk)  # a draft is not shown
    response = _op(rest(BUREAU, "jwt"), pk, "publish")
    assert response.status_code == 200, response.get_json()
    assert (notice_of(app, pk).state, notice_of(app, pk).published_on) == ("published", local_today())
    panel = home_list(clerk)
    assert "周转住房政策信息" in clerk.text("/") and title in panel
    assert f'href="/policynoticeview/show/{pk}"' in panel
    assert title in clerk.text(f"/policynoticeview/show/{pk}")
    assert title not in home_list(kashgar) and title not in kashgar.text("/")
    response = _op(rest(BUREAU, "jwt"), pk, "withdraw")
    assert response.status_code == 200, response.get_json()
    assert title not in home_list(clerk)


def test_staff_below_read_published_notices_not_the_bureaus_drafts(app, login, rest):
    """第二十五条: tianshan_clerk opens 天山区's published notice on the screen, the REST API and the
    XLSX export; a draft stays the bureau's (not listed, not shown, not exported: the scope's
    ``shared_up_only``); the bureau above reads both."""
    draft, draft_title = make_notice(app)
    published, title = make_notice(app, state="published", published_on=local_today())
    clerk = login("tianshan_clerk")
    assert title in clerk.text(f"/policynoticeview/show/{published}")
    assert draft_title not in clerk.text(f"/policynoticeview/show/{draft}")
    listed = clerk.text(f"/policynoticeview/list/?_flt_0_title={draft_title}")
    assert f"/policynoticeview/show/{draft}" not in listed
    listed = clerk.text(f"/policynoticeview/list/?_flt_0_title={title}")
    assert f"/policynoticeview/show/{published}" in listed
    assert draft_title in login("urumqi_bureau").text(f"/policynoticeview/show/{draft}")
    assert draft_title in login(BUREAU).text(f"/policynoticeview/show/{draft}")
    api = rest("tianshan_clerk", "jwt")
    assert api.api("GET", f"/api/v1/housing_notice/{draft}").status_code == 404
    assert api.api("GET", f"/api/v1/housing_notice/{published}").get_json()["result"]["title"] == title
    found = api.api("GET", "/api/v1/housing_notice/?page_size=100").get_json()["result"]
    listed = {row["id"] for row in found}
    assert published in listed and draft not in listed
    _headers, rows = read_xlsx(clerk.get("/policynoticeview/xlsx/export").data)
    exported = {row["标题"] for row in rows}
    assert title in exported and draft_title not in exported
    assert rest(BUREAU, "jwt").api("GET", f"/api/v1/housing_notice/{draft}").status_code == 200


def test_art25_the_city_bureaus_notice_reaches_the_district_below(app, login):
    """第二十五条: a notice of 乌鲁木齐's bureau is shown to 天山区's staff below, not to 喀什市's."""
    _pk, title = make_notice(app, bureau="乌鲁木齐市机关事务管理局", state="published",
                             published_on=local_today())
    assert title in home_list(login("tianshan_clerk"))
    assert title not in home_list(login("kashgar_clerk"))


def test_art25_expired_notices_are_not_shown_and_the_newest_comes_first(app, login):
    """第二十五条: a notice past its 截止日期 leaves the home page; the newest published is listed first."""
    today = local_today()
    _a, expired = make_notice(app, state="published", published_on=today - dt.timedelta(days=30),
                              expires_on=today - dt.timedelta(days=1))
    _b, older = make_notice(app, state="published", published_on=today - dt.timedelta(days=2))
    _c, newer = make_notice(app, state="published", published_on=today)
    shown = notices_shown(app, "tianshan_clerk")
    assert not any(expired in text for text in shown)
    texts = [t for t in shown if older in t or newer in t]
    assert texts == [f"【政策】{newer}", f"【政策】{older}"]
    assert newer in home_list(login("tianshan_clerk"))  # the newest is on the page


def test_art25_publish_and_withdraw_on_the_screen(app, login):
    """第二十五条: the 发布 and 撤回 buttons of the notice's page."""
    pk, _title = make_notice(app)
    browser = login(BUREAU)
    assert "发布" in browser.text(f"/policynoticeview/show/{pk}")
    browser.post(f"/policynoticeview/operation/{pk}/publish",
                 data={"published_on": local_today().isoformat()}, follow_redirects=True)
    assert notice_of(app, pk).state == "published"
    assert "已发布" in browser.text(f"/policynoticeview/show/{pk}")
    browser.post(f"/policynoticeview/operation/{pk}/withdraw", data={}, follow_redirects=True)
    assert notice_of(app, pk).state == "withdrawn"


def test_art25_only_the_publishing_bureau_publishes(app, rest):
    """第二十五条: 乌鲁木齐's bureau above reads 天山区's draft but may not publish it (refused naming
    the article); the clerk below may not either."""
    pk, _title = make_notice(app)
    response = _op(rest("urumqi_bureau", "jwt"), pk, "publish")
    assert response.status_code in (403, 409, 422), response.get_json()
    assert ART in response.get_json()["message"]
    assert _op(rest("tianshan_clerk", "jwt"), pk, "publish").status_code in (403, 404, 422)
    assert notice_of(app, pk).state == "draft"


def test_art25_a_published_notice_is_not_edited(app, rest):
    """第二十五条: what staff read does not change under them: a PUT on a published notice's title is
    refused naming the article; the state is not editable either."""
    pk, title = make_notice(app, state="published", published_on=local_today())
    bureau = rest(BUREAU, "jwt")
    version = notice_of(app, pk).version
    response = bureau.api("PUT", f"/api/v1/housing_notice/{pk}", json={"title": "改", "version": version})
    assert response.status_code == 422, response.get_json()
    assert ART in response.get_json()["message"]
    response = bureau.api("PUT", f"/api/v1/housing_notice/{pk}", json={"state": "draft", "version": version})
    assert response.status_code == 422
    assert notice_of(app, pk).title == title and notice_of(app, pk).state == "published"


HEADERS = ["*发布单位", "*类别", "*标题", "*正文", "截止日期"]


def _create(app, login, rest, path, user, org_name, title, expires=""):
    if path == "form":
        return login(user).post("/policynoticeview/add", data={
            "organization": org_id(app, org_name), "kind": "policy", "title": title, "body": "正文",
            "expires_on": expires}, follow_redirects=True)
    if path == "rest":
        return rest(user, "jwt").api("POST", "/api/v1/housing_notice/", json={
            "organization_id": org_id(app, org_name), "kind": "policy", "title": title, "body": "正文",
            **({"expires_on": expires} if expires else {})})
    return login(user).post("/api/v1/housing_notice/import", data=upload(xlsx_bytes(
        HEADERS, [[org_name, "政策", title, "正文", expires or None]])), content_type="multipart/form-data")


def _titled(app, title):
    from sqlalchemy import select

    from core.extensions import db
    from plugins.housing.notices.models import PolicyNotice

    with app.app_context():
        return db.session.execute(select(PolicyNotice).where(PolicyNotice.title == title)).scalars().all()


@pytest.mark.parametrize("path", PATHS)
def test_bureau_drafts_a_notice_on_each_path(app, login, rest, path):
    """第二十五条: 天山区's bureau drafts a notice on each path; it starts as a draft."""
    title = f"测试草稿 {unique()}"
    response = _create(app, login, rest, path, BUREAU, TIANSHAN_BUREAU, title)
    assert response.status_code in (200, 201), response.get_data(as_text=True)[:300]
    found = _titled(app, title)
    assert len(found) == 1 and found[0].state == "draft"


@pytest.mark.parametrize("path", PATHS)
def test_art25_notices_are_published_by_a_bureau(app, login, rest, path):
    """第二十五条: a notice of 天山区财政局 (not a 机关事务管理部门) is refused on every path naming the
    article; nothing is written."""
    title = f"测试非管理部门公告 {unique()}"
    response = _create(app, login, rest, path, "admin", TIANSHAN_FINANCE, title)
    text = str(response.get_json()) if response.is_json else response.get_data(as_text=True)
    assert "不是机关事务管理部门" in text and ART in text
    assert _titled(app, title) == []


def test_art25_publish_refused_when_already_expired(app, rest):
    """第二十五条: a notice whose 截止日期 is before the publishing day is refused in Chinese."""
    pk, _title = make_notice(app, expires_on=local_today() - dt.timedelta(days=3))
    response = _op(rest(BUREAU, "jwt"), pk, "publish")
    assert response.status_code == 422 and "截止日期" in response.get_json()["message"]
    assert notice_of(app, pk).state == "draft"


def test_bad_notice_input_is_refused_in_chinese(app, rest):
    """An unknown kind and an empty title: Chinese messages, nothing written, no 500."""
    response = rest(BUREAU, "jwt").api("POST", "/api/v1/housing_notice/", json={
        "organization_id": org_id(app), "kind": "rumour", "title": " ", "body": "x"})
    assert response.status_code == 422
    text = str(response.get_json())
    assert "未知的公告类别" in text and "必须填写标题" in text


def test_demo_notices(app):
    """The demo: 天山区's policy and Q4 listing on tianshan_clerk's 工作台, not the expired publicity
    nor the draft; 喀什市's on kashgar_clerk's."""
    shown = " ".join(notices_shown(app, "tianshan_clerk"))
    assert "天山区周转住房管理办法（示例）" in shown and "乌鲁木齐市人才公寓管理暂行办法（示例）" in shown
    if local_today() <= dt.date(2026, 12, 31):
        assert "2026 年第四季度周转住房房源信息" in shown
    assert "配租结果公示" not in shown and "征求意见稿" not in shown
    assert "喀什市周转住房入住须知（示例）" not in shown
    kashgar = " ".join(notices_shown(app, "kashgar_clerk"))
    assert "喀什市周转住房入住须知（示例）" in kashgar and "天山区" not in kashgar


def test_art25_a_notice_does_not_expire_before_it_is_published_direct_write(app):
    """第二十五条: a direct write giving a published notice a 截止日期 before its publishing day is
    refused naming the article."""
    from core.errors import WriteRefused
    from core.extensions import db
    from plugins.housing.notices.models import PolicyNotice

    pk, _title = make_notice(app)
    with app.app_context():
        notice = db.session.get(PolicyNotice, pk)
        notice.state, notice.published_on = "published", dt.date(2026, 11, 10)
        notice.expires_on = dt.date(2026, 11, 1)
        with pytest.raises(WriteRefused, match=ART) as refused:
            db.session.flush()
        assert "早于发布日期" in str(refused.value)
        db.session.rollback()
    assert notice_of(app, pk).state == "draft"


def test_art25_a_published_notice_is_not_edited_on_the_form(app, login):
    """第二十五条: the edit form of a published notice answers the rule's message; nothing changes."""
    pk, title = make_notice(app, state="published", published_on=local_today())
    notice = notice_of(app, pk)
    page = login(BUREAU).post(f"/policynoticeview/edit/{pk}", data={
        "organization": notice.organization_id, "kind": "policy", "title": "改过的标题", "body": "改",
        "expires_on": "", "version": notice.version}, follow_redirects=True).get_data(as_text=True)
    assert "内容不能修改" in page and ART in page
    assert notice_of(app, pk).title == title


def test_art25_the_bureau_above_cannot_publish_on_the_screen(app, login):
    """第二十五条: 乌鲁木齐's bureau pressing 发布 on 天山区's draft reads the refusal naming the article."""
    pk, _title = make_notice(app)
    page = login("urumqi_bureau").post(f"/policynoticeview/operation/{pk}/publish",
                                       data={"published_on": local_today().isoformat()},
                                       follow_redirects=True).get_data(as_text=True)
    assert "发布和撤回由发布公告的机关事务管理部门办理" in page and ART in page
    assert notice_of(app, pk).state == "draft"
