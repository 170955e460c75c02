"""Response headers and caching (docs/security.md "Response headers and caching").

What an outside tester reads off the answers: a strict Content-Security-Policy whose nonce
is the one on every inline script of the page, no framing, no sniffing, no referrer to other
sites, HSTS only over HTTPS and only when the setting is on, ``Cache-Control: no-store`` on
pages, API answers and downloads while static assets stay cacheable.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import url_for

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy")
    assert policy, "no Content-Security-Policy"
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_hardened(response):
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("url", ["/", "/personview/list/", "/assetview/list/", "/jobs/",
                                 "/swagger/", "/apitokens/"])
def test_an_authenticated_page(login, url):
    response = login("tianshan_clerk").get(url)
    assert response.status_code == 200
    assert_hardened(response)
    nonce = next(s for s in directives(response)["script-src"] if s.startswith("'nonce-"))[7:-1]
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "an inline event handler the CSP blocks"


def test_each_request_gets_its_own_nonce(login):
    clerk = login("tianshan_clerk")
    first, second = (directives(clerk.get("/"))["script-src"] for _ in range(2))
    assert first != second


def test_the_login_page_and_an_error_page(app):
    client = app.test_client()
    assert_hardened(client.get("/login/"))
    assert_hardened(client.get("/no-such-page/"))


def test_an_api_answer(login, api_client):
    assert_hardened(login("tianshan_clerk").get("/api/v1/person/"))
    assert_hardened(api_client("tianshan_clerk").get("/api/v1/person/"))


def test_downloads(login):
    clerk = login("tianshan_clerk")
    for url in ("/catalog/export/person.csv", "/api/v1/person/export.xlsx"):
        response = clerk.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers


def test_static_assets_stay_cacheable(app):
    client = app.test_client()
    with app.test_request_context():
        ours = url_for("static", filename="jiguan.js")
    for url in (ours, "/static/appbuilder/js/ab.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_over_https_and_with_the_setting(app, monkeypatch):
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/login/", base_url="https://localhost").headers
    monkeypatch.setitem(app.config, "HSTS_ENABLED", True)
    assert "Strict-Transport-Security" not in client.get("/login/").headers  # plain HTTP
    hsts = client.get("/login/", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert hsts.startswith(f"max-age={app.config['HSTS_MAX_AGE']}")


def test_the_policy_can_be_extended(app, monkeypatch):
    monkeypatch.setitem(app.config, "CSP_EXTRA_SOURCES", {"img-src": ["https://tiles.example.gov.cn"]})
    csp = directives(app.test_client().get("/login/"))
    assert csp["img-src"] == ["'self'", "data:", "https://tiles.example.gov.cn"]
    assert "'unsafe-inline'" not in csp["script-src"]


def test_no_template_of_ours_has_inline_handlers_or_unnonced_scripts():
    """Every page the browser test does not walk is covered here: the CSP would block them."""
    folders = [ROOT / "templates", *ROOT.glob("plugins/*/templates"), *ROOT.glob("core/*/templates")]
    offenders = []
    for path in (p for folder in folders for p in folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "reports/" in str(path.relative_to(ROOT)) or path.parent.name == "reports":
            continue  # PDF templates: WeasyPrint runs no script
        offenders += [f"{path}: {m}" for m in re.findall(r"\son[a-z]+\s*=\s*\"", text)]
        offenders += [f"{path}: {m}" for m in re.findall(r"<script\b[^>]*>", text) if "nonce=" not in m]
    assert not offenders, offenders
