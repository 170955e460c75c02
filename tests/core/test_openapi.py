"""The OpenAPI document and the Swagger page: logged-in users only, valid OpenAPI 3, in Chinese."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from tests.conftest import AUTH_PATHS

CHINESE = re.compile(r"[\u4e00-\u9fff]")
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_only_logged_in_users_get_the_document_and_the_page(app):
    anonymous = app.test_client()
    response = anonymous.get("/api/v1/_openapi")
    assert response.status_code == 401 and CHINESE.search(response.get_json()["message"])
    page = anonymous.get("/swagger/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


@pytest.mark.parametrize("auth", AUTH_PATHS)
def test_the_document_is_valid_openapi_3_with_chinese_summaries(rest, auth):
    response = rest("tianshan_clerk", auth).get("/api/v1/_openapi")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)  # raises on anything that is not valid OpenAPI 3
    assert document["openapi"].startswith("3.") and CHINESE.search(document["info"]["title"])
    operations = list(_operations(document))
    missing = [(m, p, o.get("summary")) for p, m, o in operations if not CHINESE.search(o.get("summary", ""))]
    assert missing == []
    # no built-in operation is left with the generic "label: METHOD path" fallback
    generic = [(m, p) for p, m, o in operations if o["summary"].endswith(f"{m.upper()} {p}")]
    assert generic == []
    assert all(CHINESE.search(tag) for _p, _m, o in operations for tag in o["tags"])


def test_the_document_covers_every_api_of_the_platform(rest):
    document = rest("admin", "jwt").get("/api/v1/_openapi").get_json()
    paths = document["paths"]
    summary = {(p, m): o["summary"] for p, m, o in _operations(document)}
    for path, method in [
        ("/api/v1/asset/", "get"), ("/api/v1/land_parcel/{pk}", "put"), ("/api/v1/catalog/", "get"),
        ("/api/v1/reports/", "get"), ("/api/v1/reports/{key}/render", "post"),
        ("/api/v1/jobs/", "post"), ("/api/v1/jobs/{pk}", "get"), ("/api/v1/{key}/export.xlsx", "get"),
        ("/api/v1/{key}/import", "post"), ("/api/v1/tokens/", "post"), ("/api/v1/tokens/{pk}", "delete"),
        ("/api/v1/security/login", "post"), ("/api/v1/security/refresh", "post"),
        ("/api/v1/disposal/{pk}/workflow/{action}", "post"),
    ]:
        assert (path, method) in summary, (path, method, sorted(paths))
    workflow = paths["/api/v1/disposal/{pk}/workflow/{action}"]["post"]
    assert "审批" in workflow["summary"]
    action = next(p for p in workflow["parameters"] if p["name"] == "action")
    assert set(action["schema"]["enum"]) == {"submit", "withdraw", "approve", "reject"}
    assert summary[("/api/v1/asset/", "get")].startswith("查询资产卡片列表")
    assert "登录" in summary[("/api/v1/security/login", "post")]
    # Swagger offers Bearer auth: the login's access token and the personal API token
    schemes = document["components"]["securitySchemes"]
    assert {schemes[k]["scheme"] for k in ("jwt", "api_key")} == {"bearer"}
    assert all(CHINESE.search(s["description"]) for s in schemes.values())
    assert paths["/api/v1/asset/"]["get"]["security"] == [{"jwt": []}, {"api_key": []}]
    assert "security" not in paths["/api/v1/security/login"]["post"]


def test_swagger_page_is_chinese_and_served_locally(login, app):
    browser = login("kashgar_clerk")
    response = browser.get("/swagger/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "接口文档" in html and "Authorize" in html and "/api/v1/_openapi" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assert "/swagger/assets/swagger-ui-bundle.js" in sources and "/swagger/assets/swagger-ui.css" in sources
    assert "validatorUrl: null" in html  # the bundle would otherwise ask validator.swagger.io
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        assert app.test_client().get(f"/swagger/assets/{asset}").status_code == 200, asset
    assert app.test_client().get("/swagger/assets/../../setup.cfg").status_code == 404


def test_every_operation_declares_the_refusals_it_can_answer(rest):
    """The status codes a client must handle are in the document (schemathesis holds the API to
    them: tests/security/test_schemathesis.py), each with the Error body."""
    document = rest("admin", "jwt").get("/api/v1/_openapi").get_json()
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["message"]["type"] == "string" and error["required"] == ["message"]
    missing = []
    for path, method, operation in _operations(document):
        codes = set(operation["responses"])
        wanted = {"400", "403", "404", "422"} | ({"401"} if "security" in operation else set())
        wanted |= {"409"} if method in ("post", "put", "delete") else set()
        wanted |= {"413", "415"} if method in ("post", "put") else set()
        if not wanted <= codes:
            missing.append((method, path, sorted(wanted - codes)))
    assert missing == []
    assert "429" in document["paths"]["/api/v1/security/login"]["post"]["responses"]
    assert "201" in document["paths"]["/api/v1/tokens/"]["post"]["responses"]


def test_every_api_route_is_documented_and_every_documented_operation_exists(app, rest):
    document = rest("admin", "jwt").get("/api/v1/_openapi").get_json()
    documented = {(m.upper(), p) for p, m, _o in _operations(document)}
    routed = {(method, re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed, (sorted(documented - routed), sorted(routed - documented))


def test_answers_are_declared_as_they_are_sent(rest):
    """ids are numbers, money (Numeric) is text, a naive timestamp is no RFC 3339 date-time,
    _info's column lists are lists: as FAB sends them, not as it declares them."""
    client = rest("admin", "jwt")
    document = client.get("/api/v1/_openapi").get_json()
    listing = document["paths"]["/api/v1/asset/"]["get"]["responses"]["200"]["content"]
    ids = listing["application/json"]["schema"]["properties"]["ids"]["items"]
    assert {"type": "integer"} in ids["anyOf"]
    fields = document["components"]["schemas"]["AssetApi.get_list"]["properties"]
    assert fields["original_value"]["type"] == "string"
    assert isinstance(client.get("/api/v1/asset/").get_json()["result"][0]["original_value"], str)
    stamps = [p for name, schema in document["components"]["schemas"].items()
              for p in schema.get("properties", {}).values() if p.get("format") == "date-time"]
    assert stamps == []
    info = document["paths"]["/api/v1/asset/_info"]["get"]["responses"]["200"]["content"]
    assert info["application/json"]["schema"]["properties"]["edit_columns"]["type"] == "array"


def test_the_docstrings_parsed_once_give_fabs_own_document(app, rest, monkeypatch):
    """core/fab/api_docs.py keeps each route docstring's parse (FAB parsed it twice per API, ~5 s
    of the first document, and the Swagger page gave up waiting on a busy machine): the document
    is the one FAB's own ``operation_helper`` gives, operation for operation."""
    from flask_appbuilder.api import BaseApi

    from core.fab import api_docs

    client = rest("admin", "jwt")
    api = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "AssetApi")
    # FAB's documented way for an API to change one operation's text
    monkeypatch.setattr(api, "openapi_spec_methods", {"get_list": {"get": {"description": "只读"}}})
    app.extensions.pop("jiguan_openapi", None)
    ours = client.get("/api/v1/_openapi").get_json()
    monkeypatch.setattr(BaseApi, "operation_helper", api_docs.ORIGINAL)
    app.extensions.pop("jiguan_openapi", None)
    fabs = client.get("/api/v1/_openapi").get_json()
    app.extensions.pop("jiguan_openapi", None)
    assert len(fabs["paths"]) > 100 and ours == fabs
    assert ours["paths"]["/api/v1/asset/"]["get"]["description"] == "只读"
    # each call has its own copy: what apispec writes into one API's operation is not another's
    first, second = {}, {}
    api_docs.operation_helper(api, operations=first, methods=["GET"], func=api.get_list)
    first["get"]["parameters"].append({"name": "written-in"})
    api_docs.operation_helper(api, operations=second, methods=["GET"], func=api.get_list)
    assert {"name": "written-in"} not in second["get"]["parameters"]
