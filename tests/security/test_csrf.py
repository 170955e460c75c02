"""CSRF on every state change (docs/security.md "CSRF"), as a foreign page would try it.

The probes of issue 9: ``GET /<view>/delete/<pk>`` with the session cookie deleted, a POST
without the token deleted, the stocktake screens took effect without a token, a form-encoded
``POST /api/v1/disposal/<id>/workflow/approve`` approved, a custody operation took
``text/plain``. Each is replayed here with CSRF protection on, as in production; a client with
a bearer token (no cookie a foreign page could ride on) is unaffected.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from catalog.models import Organization, Person
from core.extensions import db
from core.models import ModuleActivation
from core.testing.support import PASSWORD, ApiClient
from plugins.assets.disposal.models import Disposal
from plugins.assets.stocktake.models import Stocktake, StocktakeSurplus
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.assets.test_disposal import make_asset, make_disposal

TIANSHAN = "乌鲁木齐市天山区财政局"
REFUSED = "安全令牌（CSRF）缺失或已失效"


def page_token(html: str) -> str:
    """The CSRF token a page gives its scripts (``<meta name="csrf-token">``) or its forms."""
    found = (re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
             or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html))
    assert found, "the page carries no CSRF token"
    return found.group(1)


class Session:
    """A browser: logs in on the login form with its token, then keeps the page's token."""

    def __init__(self, app, username: str):
        self.client = app.test_client()
        token = page_token(self.client.get("/login/").get_data(as_text=True))
        response = self.client.post("/login/", data={"username": username, "password": PASSWORD,
                                                     "csrf_token": token})
        assert response.status_code == 302, f"login failed for {username}"
        self.token = page_token(self.client.get("/").get_data(as_text=True))

    def __getattr__(self, name):
        return getattr(self.client, name)


@pytest.fixture
def browser(app, monkeypatch):
    """``browser(username)`` → a ``Session`` on the app with CSRF protection on."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return lambda username: Session(app, username)


def new_person(app, name: str) -> int:
    """A person of 天山区财政局, made over the API with a bearer token (no CSRF involved)."""
    with app.app_context():
        org_id = db.session.execute(select(Organization.id).where(Organization.name == TIANSHAN)).scalar_one()
    response = ApiClient(app, "admin").post("/api/v1/person/", json={"name": name, "organization_id": org_id,
                                                                     "rank": "staff"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def person(app, pk):
    with app.app_context():
        row = db.session.get(Person, pk)
        return None if row is None else (row.name, row.title)


# --- screens --------------------------------------------------------------------------------------

def test_delete_on_get_deletes_nothing(app, browser):
    pk = new_person(app, "防伪甲")
    admin = browser("admin")
    response = admin.get(f"/personview/delete/{pk}")
    assert response.status_code == 405
    assert person(app, pk) is not None


def test_delete_without_the_token_is_refused_with_it_done(app, browser):
    pk = new_person(app, "防伪乙")
    admin = browser("admin")
    response = admin.post(f"/personview/delete/{pk}")
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    assert person(app, pk) is not None
    response = admin.post(f"/personview/delete/{pk}", data={"csrf_token": "forged"})
    assert response.status_code == 400 and person(app, pk) is not None
    response = admin.post(f"/personview/delete/{pk}", data={"csrf_token": admin.token})
    assert response.status_code == 302 and person(app, pk) is None


def test_the_list_deletes_with_a_post_form_carrying_the_token(app, browser):
    new_person(app, "防伪丙")
    admin = browser("admin")
    html = admin.get("/personview/list/").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/personview/delete/\d+"[^>]*>\s*'
                       r'<input type="hidden" name="csrf_token" value="([^"]+)">', html)
    assert forms and set(forms) == {forms[0]}
    assert 'href="/personview/delete/' not in html


def _stocktake(app, state: str) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.max(Stocktake.id)).join(Organization, Stocktake.organization_id == Organization.id)
            .where(Organization.name == TIANSHAN, Stocktake.state == state)).scalar_one()


def _surpluses(app, pk) -> list:
    with app.app_context():
        return db.session.execute(select(StocktakeSurplus.id, StocktakeSurplus.name)
                                  .where(StocktakeSurplus.stocktake_id == pk)).all()


def test_stocktake_count_and_surplus_screens_need_the_token(app, browser):
    pk = _stocktake(app, "draft")
    clerk = browser("tianshan_clerk")
    before = _surpluses(app, pk)
    for url, data in ((f"/stocktakeview/count/{pk}", {"counted_on": "2026-11-21"}),
                      (f"/stocktakeview/surplus/{pk}", {"name": "伪造盘盈", "quantity": "1", "unit": "台"})):
        response = clerk.post(url, data=data)
        assert response.status_code == 400, url
        assert REFUSED in response.get_data(as_text=True)
    assert _surpluses(app, pk) == before
    response = clerk.post(f"/stocktakeview/surplus/{pk}", data={
        "name": "真盘盈", "quantity": "1", "unit": "台", "class_id": "", "csrf_token": clerk.token})
    assert response.status_code == 302  # with the token the screen answers (its own checks apply)


def test_every_screen_action_needs_the_token(app, browser):
    """Workflow, operations, module activation, API tokens, XLSX import, reports: 400, nothing done."""
    disposal = make_disposal(app, make_asset(app))
    clerk, bureau = browser("tianshan_clerk"), browser("urumqi_bureau")
    asset = make_asset(app)
    actions = [
        (clerk, f"/disposalview/workflow/{disposal}/submit", {"comment": "伪造"}),
        (clerk, f"/assetview/operation/{asset}/relocate", {"location": "伪造"}),
        (bureau, "/modules/set", {"jurisdiction": "650102", "module": "land", "enabled": "0"}),
        (clerk, "/apitokens/create", {"name": "伪造", "days": "30"}),
        (clerk, "/personview/xlsx/import", upload(xlsx_bytes(["*姓名", "*所在单位"], [["伪造", TIANSHAN]]))),
        (clerk, "/reports/assets_disposal_form/render", {"disposal_id": str(disposal)}),
    ]
    for who, url, data in actions:
        response = who.post(url, data=data)
        assert response.status_code == 400, (url, response.status_code)
        assert REFUSED in response.get_data(as_text=True), url
    with app.app_context():
        assert db.session.get(Disposal, disposal).state == "draft"
        assert db.session.execute(select(Person).where(Person.name == "伪造")).first() is None
        assert db.session.execute(select(ModuleActivation).where(ModuleActivation.module_key == "land")
                                  .where(ModuleActivation.enabled.is_(False))).first() is None
    response = clerk.post(f"/disposalview/workflow/{disposal}/submit", data={"csrf_token": clerk.token})
    assert response.status_code == 302


# --- the API --------------------------------------------------------------------------------------

def test_a_cookie_api_write_needs_the_header(app, browser):
    pk = new_person(app, "防伪丁")
    admin = browser("admin")
    response = admin.put(f"/api/v1/person/{pk}", json={"title": "伪造"})
    assert response.status_code == 400 and REFUSED in response.get_json()["message"]
    response = admin.put(f"/api/v1/person/{pk}", json={"title": "伪造"}, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400
    response = admin.delete(f"/api/v1/person/{pk}")
    assert response.status_code == 400 and person(app, pk) == ("防伪丁", None)
    response = admin.put(f"/api/v1/person/{pk}", json={"title": "科员"}, headers={"X-CSRFToken": admin.token})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert person(app, pk) == ("防伪丁", "科员")
    assert admin.get(f"/api/v1/person/{pk}").status_code == 200  # reading needs nothing


def test_a_bearer_client_needs_no_csrf_token(app, browser):
    pk = new_person(app, "防伪戊")
    browser("admin")  # CSRF on
    client = ApiClient(app, "admin")
    assert client.put(f"/api/v1/person/{pk}", json={"title": "处长"}).status_code == 200
    assert client.delete(f"/api/v1/person/{pk}").status_code == 200
    assert person(app, pk) is None


def test_only_a_valid_bearer_token_skips_the_check(app, browser):
    """An ``Authorization`` header that is no valid bearer token (Basic, junk) proves nothing."""
    clerk = browser("tianshan_clerk")
    data = upload(xlsx_bytes(["*姓名", "*所在单位"], [["伪造授权", TIANSHAN]]))
    response = clerk.post("/api/v1/person/import", data=data, content_type="multipart/form-data",
                          headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert response.status_code == 400 and REFUSED in response.get_json()["message"]
    response = clerk.post("/api/v1/person/import", content_type="multipart/form-data",
                          data=upload(xlsx_bytes(["*姓名", "*所在单位"], [["伪造授权", TIANSHAN]])),
                          headers={"Authorization": "Bearer jg_not-a-token"})
    assert response.status_code == 401
    with app.app_context():
        assert db.session.execute(select(Person).where(Person.name == "伪造授权")).first() is None


@pytest.mark.parametrize("content_type, body", [
    ("text/plain", '{"title": "伪造"}'),
    ("application/x-www-form-urlencoded", "title=%E4%BC%AA%E9%80%A0"),
    ("multipart/form-data; boundary=x",
     '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--\r\n'),
])
def test_api_writes_take_json_only(app, browser, content_type, body):
    pk = new_person(app, "防伪己")
    admin = browser("admin")
    for client, headers in ((admin, {"X-CSRFToken": admin.token}), (ApiClient(app, "admin"), {})):
        response = client.put(f"/api/v1/person/{pk}", data=body, content_type=content_type, headers=headers)
        assert response.status_code == 415, (content_type, response.status_code)
        assert "只接受 JSON" in response.get_json()["message"]
    assert person(app, pk) == ("防伪己", None)


def test_a_custody_operation_refuses_text_plain(app, browser):
    clerk = browser("tianshan_clerk")
    asset = make_asset(app)
    response = clerk.post(f"/api/v1/asset_custody/{asset}/check_out", data='{"custodian_id": 1}',
                          content_type="text/plain", headers={"X-CSRFToken": clerk.token})
    assert response.status_code == 415


def test_the_upload_endpoint_takes_multipart_only(app, browser):
    clerk = browser("tianshan_clerk")
    response = clerk.post("/api/v1/person/import", json={"file": "x"}, headers={"X-CSRFToken": clerk.token})
    assert response.status_code == 415 and "multipart/form-data" in response.get_json()["message"]
    sheet = xlsx_bytes(["*姓名", "*所在单位"], [["上传甲", TIANSHAN]])
    response = clerk.post("/api/v1/person/import", content_type="multipart/form-data",
                          data=upload(sheet, dry_run="1"), headers={"X-CSRFToken": clerk.token})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_form_encoded_disposal_approval_is_refused(app, browser):
    """The probe: ``POST /api/v1/disposal/1/workflow/approve`` form-encoded without a token approved."""
    disposal = make_disposal(app, make_asset(app))
    assert ApiClient(app, "tianshan_clerk").post(
        f"/api/v1/disposal/{disposal}/workflow/submit", json={}).status_code == 200
    bureau = browser("tianshan_bureau")  # the same level decides (Art. 19)
    url = f"/api/v1/disposal/{disposal}/workflow/approve"
    assert bureau.post(url, data={"comment": "同意"}).status_code == 415
    response = bureau.post(url, json={"comment": "同意"})
    assert response.status_code == 400 and REFUSED in response.get_json()["message"]
    with app.app_context():
        assert db.session.get(Disposal, disposal).state == "submitted"
    response = bureau.post(url, json={"comment": "同意"}, headers={"X-CSRFToken": bureau.token})
    assert response.status_code == 200, response.get_data(as_text=True)
