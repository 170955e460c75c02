"""工作台: each demo login's home page shows what awaits it, in its scope, one click from the record."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.home.todos import SHOWN
from core.state import get_state
from core.workflow.approval import pending_states, stage_in


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find('<div class="panel panel-default" id=', start + 10)
    return html[start:end if end > 0 else len(html)]


def _links(section: str) -> dict[str, str]:
    """{title: href} of the to-do lines of one section."""
    return {re.sub(r"\s+", " ", unescape(text)).strip(): unescape(href)
            for href, text in re.findall(r'<li class="list-group-item" data-todo="[a-z]+">\s*'
                                         r'<a href="([^"]+)">([^<]+)</a>', section)}


def get_state_label(app, key: str) -> str:
    with app.app_context():
        return str(get_state().entities.get(key).label)


def _cards(html: str) -> dict[str, int]:
    return {key: int(count) for key, count in re.findall(
        r'data-card="([a-z_]+)">\s*<div class="panel-body text-center">\s*'
        r'<div class="jiguan-card-count">(?:<a href="[^"]*">)?(\d+)', html)}


def _pending_for_bureau(app, jurisdiction_path: str, own_code: str,
                       username: str | None = None) -> list[tuple[str, str, int]]:
    """(entity key, record text, id) of every record in the bureau's subtree pending a stage the
    bureau decides: ``can_approve`` (the finance department's stage is not the bureau's), for
    a stage of the bureau as a body (plans, disposals: Art. 17, 19) only its own level's records,
    and not those whose earlier stage ``username`` decided (one person, one stage)."""
    from catalog.models import Jurisdiction, Organization
    from core.workflow.approval import may_not_decide, workflow_history

    found = []
    with app.app_context():
        user_id = db.session.execute(select(app.appbuilder.sm.user_model.id).where(
            app.appbuilder.sm.user_model.username == username)).scalar() if username else None
        for entity in get_state().entities:
            model = entity.model
            if not hasattr(model, "approval_stages"):
                continue
            rows = db.session.execute(
                select(model, Jurisdiction.code, Jurisdiction.path)
                .join(Organization, model.organization_id == Organization.id)
                .join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
                .where(model.state.in_(pending_states(model)),
                       Jurisdiction.path.startswith(jurisdiction_path))).all()
            for row, code, path in rows:
                stage = stage_in(model, row.state)
                if stage.permission != "approve":
                    continue
                if getattr(stage, "body", None) == "bureau" and code != own_code:
                    continue  # another level's bureau decides it; this one only reads it
                above = [c for c in path.split("/") if c][-2:-1]
                if getattr(stage, "body", None) == "bureau_above" and above != [own_code]:
                    continue  # what goes up is decided by the bureau of the level above (Art. 15)
                if user_id is not None and may_not_decide(workflow_history(row), user_id):
                    continue  # submitted by it, or an earlier stage decided by it
                found.append((entity.key, str(row), row.id))
    return found


#: (login, its jurisdiction's name and code, what the demo has waiting for it)
BUREAUS = [
    # the city's bureau: the stocktake and the pool request; 天山区's plan and disposal are the
    # county's own bureau's to decide (同级, Art. 17, 19): the city reads them, does not decide
    ("urumqi_bureau", "乌鲁木齐市", "650100", {"asset_stocktake", "pool_request"}),
    ("tianshan_bureau", "天山区", "650102", {"disposal", "asset_plan"}),
]


@pytest.mark.parametrize(("username", "place", "code", "menus"), BUREAUS)
def test_each_bureau_sees_every_decision_it_holds_one_click_from_the_record(app, login, username, place,
                                                                           code, menus):
    """第十七条、第十九条: each bureau's 待我审批 lists what awaits IT, its own level's plans and
    disposals included and another level's excluded."""
    from catalog.models import Jurisdiction

    with app.app_context():
        path = db.session.execute(select(Jurisdiction.path).where(Jurisdiction.code == code)).scalar_one()
    expected = _pending_for_bureau(app, path, code, username)
    assert {key for key, _text, _id in expected} >= menus

    browser = login(username)
    html = browser.text("/")
    assert "工作台" in html and "待我审批" in html
    awaiting = _links(_section(html, "todo-awaiting"))
    # the card counts them all; the list shows the first SHOWN (records other tests left may add)
    assert _cards(html)["awaiting"] == len(expected) and len(awaiting) == min(len(expected), SHOWN)
    for key, text, pk in expected:
        title = next((t for t in awaiting if text in t), None)
        if title is None and len(expected) > SHOWN and key not in menus:
            continue  # beyond the list's length
        assert title is not None, text
        page = browser.get(awaiting[title])  # one click opens the record
        assert page.status_code == 200, title
        assert str(get_state_label(app, key)) in page.get_data(as_text=True)
        assert awaiting[title].endswith(f"/show/{pk}")
    # the plan the bureau has reviewed waits for the finance department, not for it
    assert not any("已审核" in t for t in awaiting)
    assert "我的任务" in html and "/jobs/" in html  # 我的任务 stays one click away


def test_art17_the_city_bureau_is_not_offered_the_county_plan_it_reads(app, login):
    """第十七条: 乌鲁木齐市机关事务管理局 reads 天山区's plan awaiting review, but neither its
    to-dos nor the plan's page offer it the decision; 天山区机关事务服务中心 gets both."""
    awaiting = _links(_section(login("urumqi_bureau").text("/"), "todo-awaiting"))
    assert not any(t.startswith(("资产配置计划", "资产处置申请")) for t in awaiting)
    county = _links(_section(login("tianshan_bureau").text("/"), "todo-awaiting"))
    plan = next(href for t, href in county.items() if t.startswith("资产配置计划"))
    city_page = login("urumqi_bureau").text(plan)
    assert "2027 年度家具补充配置计划" in city_page and 'data-action="approve"' not in city_page
    assert "天山区管理员" in city_page  # the guide names the county's bureau as the next approver
    assert 'data-action="approve"' in login("tianshan_bureau").text(plan)


def test_the_finance_reviewer_sees_only_the_stage_it_decides(app, login):
    awaiting = _links(_section(login("tianshan_fin_reviewer").text("/"), "todo-awaiting"))
    # its finance stages (配置计划, 部门预算调整 …), none of the bureau's decisions
    assert awaiting and any(t.startswith("资产配置计划") for t in awaiting)
    assert not any(t.startswith(("资产盘点", "资产处置申请", "公物仓调剂申请")) for t in awaiting)
    # 第十七条: the city's finance department decides no 天山区 plan
    city = _links(_section(login("urumqi_fin_reviewer").text("/"), "todo-awaiting"))
    assert not any(t.startswith("资产配置计划") for t in city)


def test_a_clerk_sees_its_own_drafts_and_nothing_of_another_prefecture(app, login):
    clerk = login("tianshan_clerk").text("/")
    drafts = _links(_section(clerk, "todo-drafts"))
    assert any(t.startswith("资产盘点") for t in drafts)
    assert _cards(clerk)["awaiting"] == 0  # a clerk prepares; it decides nothing

    kashgar = login("kashgar_clerk").text("/")
    for title in _links(_section(clerk, "todo-drafts")):
        assert title not in kashgar
    findings = _section(kashgar, "todo-findings")
    assert "乌鲁木齐" not in findings and "ZC-650100" not in findings


def test_open_findings_are_counted_in_scope(app, login):
    from core.models import Finding
    from core.scoping import scope_for_user, scoped

    with app.app_context():
        scope = scope_for_user(app.appbuilder.sm.find_user(username="urumqi_bureau"))
        expected = db.session.execute(scoped(select(func.count(Finding.id)).where(Finding.status == "open"),
                                             Finding, scope)).scalar_one()
    assert _cards(login("urumqi_bureau").text("/"))["findings"] == expected > 0


def _charts(html: str) -> dict[str, dict]:
    return {key: json.loads(unescape(data)) for key, data in
            re.findall(r'data-chart-key="([a-z_]+)" data-chart="([^"]+)"', html)}


def test_the_modules_charts_are_scoped_and_the_land_chart_shows_the_target(app, login):
    from catalog.models import Jurisdiction, standard_in_force
    from plugins.assets.cards.models import Asset

    html = login("urumqi_bureau").text("/")
    charts = _charts(html)
    assert {"assets_value_by_status", "assets_value_by_class", "land_registration_progress"} <= set(charts)
    assert "vendor/echarts/echarts.min.js" in html and "home.js" in html
    with app.app_context():
        home = db.session.execute(select(Jurisdiction).where(Jurisdiction.name == "乌鲁木齐市")).scalar_one()
        total = db.session.execute(
            select(func.sum(Asset.original_value))
            .join(Jurisdiction, Asset.jurisdiction_id == Jurisdiction.id)
            .where(Jurisdiction.path.startswith(home.path), Asset.status != "disposed")).scalar_one()
        from reports.engine import beijing_today

        target = standard_in_force(db.session, "land_registration_target", "share", home, beijing_today())
    by_status = charts["assets_value_by_status"]
    assert by_status["kind"] == "pie" and by_status["unit"] == "万元" and "在用" in by_status["categories"]
    assert sum(by_status["series"][0]["values"]) == pytest.approx(float(Decimal(total) / 10000), abs=0.05)
    land = charts["land_registration_progress"]
    assert land["target"] == float(target.value)
    assert all("喀什" not in name for name in land["categories"])


def test_an_inactive_module_shows_nothing_on_the_home_page(app, login):
    from catalog.models import Jurisdiction
    from core.activation import set_module

    with app.app_context():
        kashgar = db.session.execute(select(Jurisdiction).where(Jurisdiction.name == "喀什地区")).scalar_one()
        set_module(kashgar, "vehicles", False)  # it depends on assets: off first
        set_module(kashgar, "assets", False)
        db.session.commit()
        kashgar_id = kashgar.id
    try:
        html = login("kashgar_clerk").text("/")
        charts = _charts(html)
        assert "land_registration_progress" in charts
        assert not any(key.startswith("assets") for key in charts)
        assert 'data-card="assets_held"' not in html
        assert "资产盘点" not in _section(html, "todo-drafts")
    finally:
        with app.app_context():
            kashgar = db.session.get(Jurisdiction, kashgar_id)
            set_module(kashgar, "assets", True)
            set_module(kashgar, "vehicles", True)
            db.session.commit()
    assert 'data-card="assets_held"' in login("kashgar_clerk").text("/")


def test_the_modules_contribute_their_items_through_the_hook(app):
    from core.home.items import DashboardCard, DashboardChart, OverdueSource
    from core.plugins import collect

    with app.app_context():
        items = collect(get_state().pm, "register_dashboard_items")
    by_module = {(module, type(item)) for module, item in items}
    assert {("assets", DashboardChart), ("assets", DashboardCard), ("assets", OverdueSource),
            ("land", DashboardChart), ("land", DashboardCard)} <= by_module


def test_an_anonymous_visitor_gets_the_login_page_not_the_desk(app):
    html = app.test_client().get("/", follow_redirects=True).get_data(as_text=True)
    assert "工作台" not in html and "登录" in html
