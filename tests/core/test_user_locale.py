"""The Uyghur interface (issue 16 item 4): chosen in the language menu, remembered per user,
right to left, used by the API, the jobs and the notifications rendered for the user."""

from __future__ import annotations

import re
import time

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import update

from core.config import PROJECT_ROOT
from core.extensions import db
from core.testing.support import ApiClient, Browser

UG_PO = PROJECT_ROOT / "translations" / "ug" / "LC_MESSAGES" / "messages.po"


def ug(msgid: str) -> str:
    """The Uyghur of one of our msgids, as the catalogue has it (must be translated)."""
    with open(UG_PO, "rb") as f:
        text = read_po(f).get(msgid).string
    assert text and re.search(r"[\u0600-\u06ff]", text), f"{msgid!r} has no Uyghur translation"
    return text


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


@pytest.fixture
def clerk(app):
    """tianshan_clerk with no stored language; put back as it was after the test."""
    def stored(value):
        with app.app_context():
            user = app.appbuilder.sm.find_user(username="tianshan_clerk")
            db.session.execute(update(type(user)).where(type(user).id == user.id).values(locale=value))
            db.session.commit()
    stored(None)
    yield "tianshan_clerk"
    stored(None)


def stored_locale(app, username):
    with app.app_context():
        db.session.expire_all()
        return app.appbuilder.sm.find_user(username=username).locale


def test_ug_page_is_right_to_left_with_the_mirrored_bootstrap(login, clerk):
    browser = login(clerk)
    page = browser.text("/")
    assert html_tag(page) == '<html lang="zh" dir="ltr">'
    assert "appbuilder/css/bootstrap.min.css" in page and "bootstrap.rtl.min.css" not in page
    assert browser.get("/lang/ug").status_code == 302
    page = browser.text("/")
    assert html_tag(page) == '<html lang="ug" dir="rtl">'
    assert "vendor/bootstrap-rtl/bootstrap.rtl.min.css" in page
    assert "appbuilder/css/bootstrap.min.css" not in page  # one Bootstrap, never both
    assert ug("我的通知") in page and "我的通知" not in page
    assert 'id="language-menu"' in page and "ئۇيغۇرچە" in page
    # the style sheet, the mirrored Bootstrap and the fonts are ours, served here
    for url in ("/static/jiguan/vendor/bootstrap-rtl/bootstrap.rtl.min.css",
                "/static/jiguan/vendor/fonts/NotoSansArabic-Regular.woff2", "/static/jiguan/jiguan.css"):
        assert browser.get(url).status_code == 200, url
    css = browser.get("/static/jiguan/jiguan.css").get_data(as_text=True)
    assert "vendor/fonts/NotoSansArabic-Regular.woff2" in css


def test_the_choice_is_stored_on_the_user_and_applied_at_the_next_login(app, login, clerk):
    browser = login(clerk)
    assert stored_locale(app, clerk) is None
    browser.get("/lang/ug")
    assert stored_locale(app, clerk) == "ug"
    again = Browser(app, clerk)  # a new browser: no session of the first one
    assert html_tag(again.text("/")) == '<html lang="ug" dir="rtl">'
    # ?_l_= still overrides for one request, without changing the stored choice
    assert html_tag(again.text("/?_l_=zh")) == '<html lang="zh" dir="ltr">'
    assert stored_locale(app, clerk) == "ug"
    again.get("/lang/zh")
    assert stored_locale(app, clerk) == "zh"
    assert html_tag(Browser(app, clerk).text("/")) == '<html lang="zh" dir="ltr">'


def test_unknown_language_changes_nothing(app, login, clerk):
    browser = login(clerk)
    assert browser.get("/lang/xx").status_code == 404
    assert stored_locale(app, clerk) is None
    assert html_tag(browser.text("/")) == '<html lang="zh" dir="ltr">'


def test_api_by_token_answers_in_the_stored_language(app, login, clerk):
    login(clerk).get("/lang/ug")
    api = ApiClient(app, clerk)
    labels = api.get("/api/v1/asset/?q=(page_size:1)").get_json()["label_columns"]
    assert labels["number"] == ug("资产编号")
    labels = api.get("/api/v1/asset/?q=(page_size:1)&_l_=zh").get_json()["label_columns"]
    assert labels["number"] == "资产编号"


def test_a_job_renders_in_its_submitters_language(app, login, clerk, pdf_text):
    """The asset ledger as a background job for a ug user, submitted by a request in Chinese
    (?_l_=zh): the job renders for the user, in Uyghur."""
    login(clerk).get("/lang/ug")
    api = ApiClient(app, clerk)
    job = api.post("/api/v1/jobs/?_l_=zh", json={"kind": "report.render",
                                                 "params": {"key": "asset_ledger", "params": {}}})
    assert job.status_code == 201, job.get_data(as_text=True)
    job_id = job.get_json()["result"]["id"]
    deadline = time.monotonic() + 120
    while (done := api.get(f"/api/v1/jobs/{job_id}").get_json()["result"])["status"] \
            not in ("done", "failed"):
        assert time.monotonic() < deadline, done
        time.sleep(0.2)
    assert done["status"] == "done", done
    text = pdf_text(api.get(done["download_url"]).data)
    assert ug("资产编号") in text and "资产编号" not in text
