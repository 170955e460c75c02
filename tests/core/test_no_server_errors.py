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
