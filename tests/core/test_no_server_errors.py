"""No screen answers 500: every menu entry of every demo login, the first record it lists, its
add form and each sortable column header, as a person clicking through would reach them."""

from __future__ import annotations

import re

import pytest

LOGINS = ["admin", "xj_bureau", "urumqi_bureau", "tianshan_clerk", "kashgar_clerk", "urumqi_fin_reviewer"]


def _links(html: str, pattern: str) -> list[str]:
    return list(dict.fromkeys(h.replace("&amp;", "&") for h in re.findall(pattern, html)))


@pytest.mark.parametrize("username", LOGINS)
def test_every_screen_a_login_reaches_answers_without_a_server_error(login, username):
    browser = login(username)
    home = browser.get("/").get_data(as_text=True)
    menu = [h for h in _links(home, r'href="(/[^"#]*)"')
            if not h.startswith(("/static", "/logout", "/lang/", "/users/userinfo"))]
    assert len(menu) > 5, menu
    failures, seen = [], set()
    for url in menu:
        response = browser.get(url)
        seen.add(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
            continue
        page = response.get_data(as_text=True)
        if "/list/" not in url:
            continue
        base = url.split("/list/")[0]
        followups = _links(page, rf'href="({re.escape(base)}/(?:show|add|edit)/?[^"]*)"')[:3]
        followups += _links(page, r'href="(\?_oc_[^"]+)"')[:12]
        for link in followups:
            target = url.split("?")[0] + link if link.startswith("?") else link
            if target in seen:
                continue
            seen.add(target)
            status = browser.get(target).status_code
            if status >= 500:
                failures.append((target, status))
    assert len(seen) > len(menu) and failures == [], (len(seen), failures)  # records and sorts too


@pytest.mark.parametrize("auth", ["jwt", "token"])
@pytest.mark.parametrize("username", LOGINS)
def test_every_api_a_rest_client_reaches_answers_without_a_server_error(app, rest, username, auth):
    """The same through a bearer: every entity type's list, its first record and ``_info``,
    and the APIs every user has."""
    from core.state import get_state

    client = rest(username, auth)
    with app.app_context():
        paths = [e.api_path for e in get_state().entities]
    urls = ["/api/v1/reports/", "/api/v1/catalog/", "/api/v1/jobs/", "/api/v1/tokens/",
            "/api/v1/menu/", "/api/v1/_openapi"]
    failures, answered = [], []
    for path in paths:
        listing = client.get(path)
        answered.append(listing.status_code)
        if listing.status_code >= 500:
            failures.append((path, listing.status_code))
            continue
        ids = listing.get_json().get("ids") or [] if listing.status_code == 200 else []
        urls += [f"{path}_info"] + [f"{path}{pk}" for pk in ids[:1]]
    for url in urls:
        response = client.get(url)
        answered.append(response.status_code)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    assert failures == [], failures
    assert answered.count(200) > len(paths), answered  # it was let in, not refused everywhere


# --- bad input: the probes of issue 9, each a named case -----------------------------------------

CHINESE = re.compile(r"[\u4e00-\u9fff]")
LEAKS = ("Traceback", "SELECT ", "INSERT ", "UPDATE ", "sqlalchemy", "psycopg2", "sqlite3")
BIG = "99999999999999999999"  # beyond 64 bits

API_PROBES = {
    "id beyond 64 bits": ("GET", f"/api/v1/asset/{BIG}", {}),
    "id zero": ("GET", "/api/v1/asset/0", {}),
    "put id beyond 64 bits": ("PUT", f"/api/v1/asset/{BIG}", {"json": {"note": "x"}}),
    "delete id beyond 64 bits": ("DELETE", f"/api/v1/asset/{BIG}", {}),
    "job id beyond 64 bits": ("GET", f"/api/v1/jobs/{BIG}", {}),
    "token id beyond 64 bits": ("DELETE", f"/api/v1/tokens/{BIG}", {}),
    "user id beyond 64 bits": ("GET", f"/api/v1/security/users/{BIG}", {}),
    "workflow id beyond 64 bits": ("POST", f"/api/v1/disposal/{BIG}/workflow/approve", {"json": {}}),
    "operations id beyond 64 bits": ("GET", f"/api/v1/asset_custody/{BIG}/operations", {}),
    "truncated rison": ("GET", "/api/v1/asset/?q=(((((((", {}),
    "deeply nested rison": ("GET", "/api/v1/asset/?q=" + "(a:" * 300 + "1" + ")" * 300, {}),
    "truncated rison on one record": ("GET", "/api/v1/asset/1?q=(((", {}),
    "truncated rison on _info": ("GET", "/api/v1/asset/_info?q=(columns:!(", {}),
    "rison float page": ("GET", "/api/v1/asset/?q=(page:5.4e16,page_size:10)", {}),
    "json float page": ("GET", '/api/v1/asset/?q={"page":5.4e16}', {}),
    "negative page": ("GET", "/api/v1/asset/?q=(page:-1,page_size:10)", {}),
    "negative page size": ("GET", "/api/v1/asset/?q=(page:0,page_size:-5)", {}),
    "huge page": ("GET", f"/api/v1/asset/?q=(page:{BIG},page_size:10)", {}),
    "negative page on a FAB api": ("GET", "/api/v1/security/roles/?q=(page:-1)", {}),
    "NUL byte in a filter": ("GET", "/api/v1/asset/?q=(filters:!((col:name,opr:ct,value:'a%00b')))", {}),
    "integer filter beyond 64 bits": ("GET", f"/api/v1/asset/?q=(filters:!((col:id,opr:eq,value:{BIG})))",
                                      {}),
    "filter value that is a list": ("GET", "/api/v1/asset/?q=(filters:!((col:name,opr:eq,value:!(1))))", {}),
    "unknown filter column": ("GET", "/api/v1/asset/?q=(filters:!((col:nope,opr:eq,value:a)))", {}),
    "unknown order column": ("GET", "/api/v1/asset/?q=(order_column:nope,order_direction:asc)", {}),
    "q that is a list": ("GET", "/api/v1/asset/?q=!(1,2)", {}),
    "body that is a list": ("POST", "/api/v1/asset/", {"json": [1, 2]}),
    "body that is a string": ("POST", "/api/v1/asset/", {"json": "x"}),
    "body that is a number": ("PUT", "/api/v1/asset/1", {"json": 5}),
    "body that is not JSON": ("POST", "/api/v1/asset/", {"data": "{bad", "content_type": "application/json"}),
    "body nested too deep": ("PUT", "/api/v1/asset/1", {"data": '{"a":' * 50 + "1" + "}" * 50,
                                                        "content_type": "application/json"}),
    "NUL byte in a body": ("PUT", "/api/v1/asset/1", {"json": {"name": "a\x00b"}}),
    "integer beyond 64 bits in a body": ("PUT", "/api/v1/asset/1", {"json": {"quantity": int(BIG)}}),
    "integer beyond 32 bits in a body": ("PUT", "/api/v1/asset/1", {"json": {"quantity": 2**40}}),
    "wrong JSON types per field": ("PUT", "/api/v1/asset/1", {"json": {"name": 5, "original_value": "abc"}}),
    "unknown field": ("PUT", "/api/v1/asset/1", {"json": {"zzz": 1}}),
    "workflow body that is a list": ("POST", "/api/v1/disposal/1/workflow/approve", {"json": [1]}),
    "report body that is a list": ("POST", "/api/v1/reports/land_registration/render", {"json": [1]}),
    "job body that is a list": ("POST", "/api/v1/jobs/", {"json": [1]}),
    "token with wrong types": ("POST", "/api/v1/tokens/", {"json": {"name": 5, "days": "x"}}),
    "login body that is a list": ("POST", "/api/v1/security/login", {"json": [1]}),
}


def _asset_row(app, pk=1):
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        row = db.session.execute(text("select * from assets_asset where id = :pk"), {"pk": pk})
        row = row.mappings().one()
        db.session.remove()
        return dict(row)


@pytest.mark.parametrize("case", list(API_PROBES))
def test_bad_api_input_answers_4xx_in_chinese_and_changes_nothing(app, rest, case):
    method, url, kw = API_PROBES[case]
    before = _asset_row(app)
    response = rest("admin", "jwt").open(method, url, **kw)
    body = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, (case, response.status_code, body[:300])
    assert CHINESE.search(response.get_json()["message"]), body[:300]
    assert not [leak for leak in LEAKS if leak in body], body[:300]
    assert _asset_row(app) == before  # nothing was written


SCREEN_PROBES = {
    "show id beyond 64 bits": f"/assetview/show/{BIG}",
    "edit id beyond 64 bits": f"/assetview/edit/{BIG}",
    "delete id beyond 64 bits": f"/assetview/delete/{BIG}",
    "show negative id": "/assetview/show/-1",
    "job page id beyond 64 bits": f"/jobs/{BIG}",
    "NUL byte in a screen filter": "/assetview/list/?_flt_0_name=a%00b",
    "integer screen filter beyond 64 bits": f"/assetview/list/?_flt_0_id={BIG}",
    "page that is not a number": "/assetview/list/?page_AssetView=abc",
    "negative page": "/assetview/list/?page_AssetView=-1",
    "huge page": f"/assetview/list/?page_AssetView={BIG}",
    "huge page size": f"/assetview/list/?psize_AssetView={BIG}",
    "negative page size": "/assetview/list/?psize_AssetView=-1",
    "unknown order column": "/assetview/list/?_oc_AssetView=nope&_od_AssetView=asc",
    "unknown order direction": "/assetview/list/?_oc_AssetView=name&_od_AssetView=zz",
    "unknown filter index and column": "/assetview/list/?_flt_99_name=a&_flt_0_nope=b",
    "date filter that is not a date": "/assetview/list/?_flt_0_acquired_on=xx",
}


@pytest.mark.parametrize("case", list(SCREEN_PROBES))
def test_odd_screen_parameters_answer_without_a_server_error(app, login, case):
    url = SCREEN_PROBES[case]
    before = _asset_row(app)
    response = login("admin").get(url)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (case, response.status_code)
    assert not [leak for leak in LEAKS if leak in body]
    if response.status_code in (400, 404):
        assert "请求无效" in body or "不存在" in body, body[:500]
    assert _asset_row(app) == before
