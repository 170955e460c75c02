"""Lists stay fast at scale (issue 4, item 10): a constant number of SQL statements per list page
and API call, no <select> of every related row, a capped or estimated count, scope unchanged.

Timing targets live in benchmarks/list_benchmark.py; here we count what makes them hold.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa

from catalog.models import Jurisdiction, Organization
from core.extensions import db
from plugins.assets.cards.models import Asset, AssetClass
from plugins.assets.cards.views import AssetView
from tests.core.helpers import model_view_for, user

LIST = "/assetview/list/"
API = "/api/v1/asset/"


@contextlib.contextmanager
def statements(app):
    """Count the SQL statements run inside the block (every connection of the app's engine)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def get_counted(app, browser, url):
    with statements(app) as seen:
        response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(seen)


@pytest.fixture
def more_rows(app):
    """Add organisations and assets straight in the tables (no rules: only the volume matters)."""
    added = {"orgs": [], "assets": []}

    def add(orgs: int, assets_per_org: int, jurisdiction_code: str = "650102"):
        with app.app_context():
            jur_id = db.session.execute(
                sa.select(Jurisdiction.id).where(Jurisdiction.code == jurisdiction_code)).scalar_one()
            class_id = db.session.execute(sa.select(AssetClass.id).limit(1)).scalar_one()
            start = len(added["orgs"])
            for i in range(start, start + orgs):
                org_id = db.session.execute(sa.insert(Organization.__table__).values(
                    name=f"性能测试单位{i:04d}", uscc=f"PERF{i:014d}", org_type="party_government",
                    is_bureau=False, jurisdiction_id=jur_id, version=1,
                ).returning(Organization.__table__.c.id)).scalar_one()
                added["orgs"].append(org_id)
                rows = [dict(number=f"PERF-{i:04d}-{k:03d}", class_id=class_id, name=f"性能测试资产{k}",
                             quantity=1, unit="台", original_value=100, acquired_on=dt.date(2024, 1, 1),
                             funding_source="fiscal", organization_id=org_id, jurisdiction_id=jur_id,
                             status="in_use", version=1) for k in range(assets_per_org)]
                if rows:
                    db.session.execute(sa.insert(Asset.__table__), rows)
            db.session.commit()
            db.session.remove()

    yield add
    with app.app_context():
        db.session.execute(sa.delete(Asset.__table__).where(Asset.__table__.c.number.like("PERF-%")))
        db.session.execute(sa.delete(Organization.__table__).where(Organization.__table__.c.uscc.like("PERF%")))
        db.session.commit()
        db.session.remove()


def test_list_page_runs_a_constant_number_of_statements(app, login, more_rows):
    more_rows(orgs=10, assets_per_org=3)  # more than a page
    browser = login("xj_bureau")
    browser.get(LIST)  # warm-up: first-request caches
    _, before = get_counted(app, browser, LIST)
    more_rows(orgs=100, assets_per_org=3)
    _, after = get_counted(app, browser, LIST)
    assert after == before
    assert before <= 6, "user, module activation, the page with its relations, (estimate), count"


def test_a_short_list_needs_no_count(app, login):
    """A last (or only) page that is not full tells the count: no count query at all."""
    browser = login("tianshan_clerk")
    page = API + "?q=(page_size:100)"  # the clerk's cards (other tests add some) on one page
    browser.get(page)
    response, n = get_counted(app, browser, page)
    assert response.get_json()["count"] == len(response.get_json()["result"]) < 100
    # the session (a primary-key lookup: sessions live on the server, docs/security.md), the
    # user, module activation, the page — and no count
    assert n <= 4


def test_list_page_statements_do_not_grow_with_page_size(app, login, more_rows):
    more_rows(orgs=10, assets_per_org=10)
    browser = login("xj_bureau")
    browser.get(LIST)
    _, small = get_counted(app, browser, LIST + "?psize_AssetView=10")
    _, large = get_counted(app, browser, LIST + "?psize_AssetView=100")
    assert large == small


def test_api_runs_a_constant_number_of_statements(app, login, more_rows):
    more_rows(orgs=4, assets_per_org=5)
    browser = login("xj_bureau")
    browser.get(API)
    _, before = get_counted(app, browser, API + "?q=(page_size:10)")
    more_rows(orgs=40, assets_per_org=5)
    response, after = get_counted(app, browser, API + "?q=(page_size:100)")
    assert len(response.get_json()["result"]) == 100
    assert after == before
    assert before <= 6


def test_the_list_page_does_not_list_every_organisation(app, login, more_rows):
    """No <option> per organisation: relation filters and fields search as the user types."""
    browser = login("xj_bureau")
    before = len(browser.get(LIST).get_data())
    more_rows(orgs=200, assets_per_org=0)
    html = browser.text(LIST)
    assert len(html.encode()) - before < 2000
    assert "性能测试单位0150" not in html
    assert "jiguan-typeahead" in html and "typeahead.js" in html
    add_form = browser.text("/assetview/add")
    assert "性能测试单位0150" not in add_form
    organization = select_html(add_form, "organization")
    assert "jiguan-typeahead" in organization and organization.count("<option") <= 1


def select_html(html: str, field_id: str) -> str:
    match = re.search(rf'<select id="{field_id}".*?</select>', html, re.S)
    assert match, f"no <select id={field_id}>"
    return match.group(0)


def test_a_form_field_with_few_choices_lists_them(app, login, more_rows):
    """A clerk's organisation field offers its one organisation, chosen from a plain list."""
    more_rows(orgs=60, assets_per_org=0)  # in the clerk's county: not the clerk's to choose
    with app.app_context():
        org_name = db.session.get(Organization, user(app, "tianshan_clerk").organization_id).name
    organization = select_html(login("tianshan_clerk").text("/assetview/add"), "organization")
    assert "jiguan-typeahead" not in organization and "my_select2" in organization
    assert re.findall(r"<option[^>]*>([^<]*)</option>", organization) == [org_name]


def test_count_is_exact_below_the_cap(app, login):
    browser = login("tianshan_clerk")
    with app.app_context():
        org_id = user(app, "tianshan_clerk").organization_id
        expected = db.session.execute(
            sa.select(sa.func.count()).select_from(Asset).where(Asset.organization_id == org_id)).scalar_one()
    assert expected > 0
    data = browser.get(API).get_json()
    assert data["count"] == expected and data["count_estimated"] is False
    with app.app_context():  # the 资产卡片 list leaves disposed cards out (已处置资产 has them)
        expected = db.session.execute(
            sa.select(sa.func.count()).select_from(Asset).where(Asset.organization_id == org_id,
                                                                Asset.status != "disposed")).scalar_one()
    html = browser.text(LIST)
    assert re.search(rf"</strong>\s*{expected}\s*</", html) or re.search(rf":</strong>\s*{expected}\b", html)


def test_count_beyond_the_cap_is_estimated_or_capped(app, login, backend, monkeypatch):
    view = model_view_for(app, Asset)
    monkeypatch.setattr(view.datamodel, "count_cap", 5)
    html = login("xj_bureau").text(LIST)
    if backend.startswith("postgresql"):
        assert re.search(r"约 [\d,]+ 条", html)
    else:
        assert "超过 5 条" in html
    api = next(v for v in app.appbuilder.baseviews if getattr(v, "resource_name", None) == "asset")
    monkeypatch.setattr(api.datamodel, "count_cap", 5)
    data = login("xj_bureau").get(API).get_json()
    assert data["count_estimated"] is True and data["count"] > 5
    assert len(data["result"]) == 25


def test_a_clerk_still_lists_only_its_own_rows(app, login, more_rows):
    more_rows(orgs=5, assets_per_org=4)  # in the clerk's county, but other organisations
    with app.app_context():
        org_id = user(app, "tianshan_clerk").organization_id
    data = login("tianshan_clerk").get(API + "?q=(page_size:100)").get_json()
    assert data["result"] and {row["organization_id"] for row in data["result"]} == {org_id}
    html = login("tianshan_clerk").text(LIST)
    assert "性能测试资产" not in html


def test_typeahead_offers_only_what_the_user_may_point_to(app, login, more_rows):
    more_rows(orgs=30, assets_per_org=0, jurisdiction_code="653101")  # Kashgar
    url = "/assetview/typeahead/organization"
    kashgar = login("kashgar_clerk").get(url + "?q=性能测试").get_json()
    assert kashgar["results"] == []  # a clerk points only to its own organisation
    own = login("kashgar_clerk").get(url).get_json()["results"]
    with app.app_context():
        assert [r["id"] for r in own] == [user(app, "kashgar_clerk").organization_id]
    bureau = login("xj_bureau").get(url + "?q=性能测试单位").get_json()
    assert len(bureau["results"]) == 20 and bureau["pagination"]["more"] is True
    page2 = login("xj_bureau").get(url + "?q=性能测试单位&page=2").get_json()
    assert len(page2["results"]) == 10 and page2["pagination"]["more"] is False
    assert not {r["id"] for r in bureau["results"]} & {r["id"] for r in page2["results"]}
    urumqi = login("urumqi_bureau").get(url + "?q=性能测试单位").get_json()
    assert urumqi["results"] == []  # Kashgar is outside Urumqi's jurisdiction


def test_typeahead_requires_login_and_a_shown_relation(app, login):
    anonymous = app.test_client().get("/assetview/typeahead/organization")
    assert anonymous.status_code in (302, 401, 403)
    assert login("xj_bureau").get("/assetview/typeahead/note").status_code == 404


def test_an_active_relation_filter_shows_its_choice(app, login):
    with app.app_context():
        org = db.session.get(Organization, user(app, "tianshan_clerk").organization_id)
        org_id, org_name = org.id, org.name
    html = login("xj_bureau").text(f"{LIST}?_flt_0_organization={org_id}")
    # the filter fields reach the page as JSON for FAB's filter script
    option = f'<option value="{org_id}" selected>{org_name}</option>'
    assert json.dumps(option)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e") in html


def test_the_edit_form_keeps_the_chosen_relation(app, login):
    with app.app_context():
        clerk = user(app, "tianshan_clerk")
        asset = db.session.execute(sa.select(Asset).where(
            Asset.organization_id == clerk.organization_id).limit(1)).scalar_one()
        # the organisation is a state field (never on the edit form): the class is a relation field
        asset_id, class_name = asset.id, str(asset.asset_class)
    browser = login("tianshan_clerk")
    html = browser.text(f"/assetview/edit/{asset_id}")
    assert re.search(rf'<option value="\d+" selected>{re.escape(class_name)}</option>', html)
    assert AssetView.search_widget.template == "core/widgets/search.html"


def test_a_view_s_limits_on_the_choices_still_hold(app, login, monkeypatch):
    """``add_form_query_rel_fields`` limit the type-ahead, the short list and what the form accepts."""
    from flask_appbuilder.models.sqla.filters import FilterEqual

    view = model_view_for(app, Asset)
    limits = {"organization": [["is_bureau", FilterEqual, True]]}
    monkeypatch.setattr(view, "add_form_query_rel_fields", limits)
    with app.app_context():
        in_scope = db.session.execute(sa.select(Organization.id, Organization.is_bureau)).all()
        bureaus = {oid for oid, is_bureau in in_scope if is_bureau}
        others = {oid for oid, is_bureau in in_scope if not is_bureau}
    browser = login("xj_bureau")
    offered = browser.get("/assetview/typeahead/organization?form=add").get_json()["results"]
    assert offered and {r["id"] for r in offered} <= bureaus
    unlimited = browser.get("/assetview/typeahead/organization?form=search").get_json()["results"]
    assert {r["id"] for r in unlimited} & others
    organization = select_html(browser.text("/assetview/add"), "organization")
    assert set(map(int, re.findall(r'<option value="(\d+)"', organization))) <= bureaus
    response = browser.post("/assetview/add", data={"organization": min(others)}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "所选记录不存在或您无权选择" in html


def test_the_user_screen_s_organisation_is_a_type_ahead_too(app, login, more_rows):
    more_rows(orgs=60, assets_per_org=0)
    admin = login("admin")
    organization = select_html(admin.text("/users/add"), "organization")
    assert "jiguan-typeahead" in organization and "性能测试单位" not in organization
    found = admin.get("/users/typeahead/organization?q=性能测试单位0042").get_json()["results"]
    assert [r["text"] for r in found] == ["性能测试单位0042"]
    assert login("xj_bureau").get("/users/typeahead/organization").status_code in (302, 403)


def test_the_deciding_body_of_a_level_is_read_once_per_request(app):
    """The 工作台 asks who decides for each pending record (Art. 17, 19: 同级审批); the bodies of
    one level are read once per request, not once per record."""
    from core.tenancy import Jurisdiction as Jur
    from core.workflow.deciders import deciding_bodies

    with app.app_context():
        tianshan = db.session.execute(sa.select(Jur).where(Jur.code == "650102")).scalar_one()
        with app.test_request_context("/"), statements(app) as seen:
            first = [org.name for org in deciding_bodies(db.session, tianshan, "finance")]
            for _ in range(5):
                assert [org.name for org in deciding_bodies(db.session, tianshan, "finance")] == first
            assert deciding_bodies(db.session, tianshan, "bureau")
        assert first == ["乌鲁木齐市天山区财政局"]
        assert len([s for s in seen if "catalog_organization" in s]) == 2
