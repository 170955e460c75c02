"""同级 review (issue 11, items 7 and 8): a configuration plan is reviewed by the bureau and the
finance department of the organisation's own level (第十七条), a disposal approved by the bureau of
the same level and, from the threshold on, its finance department (第十九条). A higher level reads
and inspects but does not decide; where a level has no bureau, the nearest level up decides.

Each test makes the records it decides on and acts over REST with bearer tokens."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from catalog.models import Jurisdiction, standard_in_force
from core.extensions import db
from core.scoping import SYSTEM, acting_as
from core.workflow.approval import transition
from plugins.assets.disposal.models import FINANCE_THRESHOLD, FINANCE_THRESHOLD_KEY, Disposal
from plugins.assets.plans.models import AssetPlan, AssetPlanLine
from tests.plugins.assets.test_disposal import make_asset, make_disposal

PLANS, DISPOSALS = "/api/v1/asset_plan", "/api/v1/disposal"


def own_plan(app, title: str, organization: str | None = None) -> int:
    """A copy of the demo's draft plan of 天山区财政局 (with its lines), for one test to decide on;
    ``organization`` (a name) gives the copy to another organisation."""
    from catalog.models import Organization

    with app.app_context():
        demo = db.session.execute(select(AssetPlan).where(AssetPlan.state == "draft")
                                  .order_by(AssetPlan.id)).scalars().first()
        org_id = demo.organization_id if organization is None else db.session.execute(
            select(Organization.id).where(Organization.name == organization)).scalar_one()
        with acting_as(SYSTEM):
            plan = AssetPlan(title=title, organization_id=org_id, year=demo.year)
            columns = [c.key for c in AssetPlanLine.__table__.columns
                       if c.key not in ("id", "plan_id", "version", "organization_id")]
            for line in demo.lines:
                plan.lines.append(AssetPlanLine(organization_id=org_id,
                                                **{c: getattr(line, c) for c in columns}))
            db.session.add(plan)
            db.session.commit()
        return plan.id


def state_of(app, model, pk) -> str:
    with app.app_context():
        try:
            return db.session.get(model, pk).state
        finally:
            db.session.remove()


def test_art17_plan_is_reviewed_by_its_own_levels_bureau_and_finance_not_the_citys(app, api_client):
    """第十七条: 同级机关事务管理部门、财政部门 review 天山区财政局's plan — 天山区's offices, not
    乌鲁木齐市's, which read it; a refusal says who decides and cites the article, changing nothing."""
    pk = own_plan(app, "同级审核测试计划")
    submitted = api_client("tianshan_clerk").post(f"{PLANS}/{pk}/workflow/submit", json={"comment": "请审核"})
    assert submitted.status_code == 200, submitted.get_json()
    assert [d["username"] for d in submitted.get_json()["next_deciders"]] == ["tianshan_bureau"]

    city = api_client("urumqi_bureau")
    assert city.get(f"{PLANS}/{pk}").status_code == 200  # the city's bureau reads it …
    refused = city.post(f"{PLANS}/{pk}/workflow/approve", json={"comment": "同意"})
    assert refused.status_code == 403  # … and does not decide it
    message = refused.get_json()["message"]
    assert "同级机关事务管理部门" in message and "天山区机关事务服务中心" in message
    assert "《办法》第十七条" in message
    assert state_of(app, AssetPlan, pk) == "submitted"

    reviewed = api_client("tianshan_bureau").post(f"{PLANS}/{pk}/workflow/approve", json={"comment": "同意"})
    assert reviewed.status_code == 200 and reviewed.get_json()["state"] == "reviewed"
    assert [d["username"] for d in reviewed.get_json()["next_deciders"]] == ["tianshan_fin_reviewer"]

    other_finance = api_client("urumqi_fin_reviewer").post(f"{PLANS}/{pk}/workflow/approve", json={})
    assert other_finance.status_code == 403
    assert "同级财政部门" in other_finance.get_json()["message"]
    assert "第十七条" in other_finance.get_json()["message"]
    # another prefecture's finance department does not even see it
    outside = api_client("kashgar_fin_reviewer").post(f"{PLANS}/{pk}/workflow/approve", json={})
    assert outside.status_code == 404
    assert state_of(app, AssetPlan, pk) == "reviewed"

    approved = api_client("tianshan_fin_reviewer").post(f"{PLANS}/{pk}/workflow/approve", json={})
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"


def test_art17_the_city_decides_its_own_levels_plan(app, api_client):
    """第十七条: a plan of 乌鲁木齐市教育局 (the city's own level) is the city bureau's and the city
    finance department's to decide; 天山区's offices do not even see it."""
    pk = own_plan(app, "市级单位同级审核测试计划", "乌鲁木齐市教育局")
    assert api_client("tianshan_fin_reviewer").get(f"{PLANS}/{pk}").status_code == 404
    with app.app_context():
        with acting_as(SYSTEM):
            transition(db.session.get(AssetPlan, pk), "submit", comment="请审核", view_name="AssetPlanView")
            db.session.commit()
    assert api_client("tianshan_bureau").post(f"{PLANS}/{pk}/workflow/approve", json={}).status_code == 404
    reviewed = api_client("urumqi_bureau").post(f"{PLANS}/{pk}/workflow/approve", json={"comment": "同意"})
    assert reviewed.status_code == 200 and reviewed.get_json()["state"] == "reviewed"
    approved = api_client("urumqi_fin_reviewer").post(f"{PLANS}/{pk}/workflow/approve", json={})
    assert approved.status_code == 200 and approved.get_json()["state"] == "approved"


def test_art19_only_a_bureau_approves_a_disposal_not_a_finance_departments_approver(app, api_client, login):
    """第十九条: the bureau stage of a disposal belongs to the bureau of the same level. An approver
    of 天山区财政局 (holding 批准, in scope) cannot give it; nor can the finance reviewer; the
    button is not offered to them."""
    pk = make_disposal(app, make_asset(app))
    assert api_client("tianshan_clerk").post(f"{DISPOSALS}/{pk}/workflow/submit", json={}).status_code == 200
    finance_approver = login(role="Approver", organization="乌鲁木齐市天山区财政局")
    refused = finance_approver.api("POST", f"{DISPOSALS}/{pk}/workflow/approve", json={"comment": "同意"})
    assert refused.status_code == 403, refused.get_json()
    assert "机关事务管理部门" in refused.get_json()["message"] and "第十九条" in refused.get_json()["message"]
    assert 'data-action="approve"' not in finance_approver.text(f"/disposalview/show/{pk}")
    reviewer = api_client("tianshan_fin_reviewer").post(f"{DISPOSALS}/{pk}/workflow/approve", json={})
    assert reviewer.status_code == 403
    assert state_of(app, Disposal, pk) == "submitted"
    assert 'data-action="approve"' in login("tianshan_bureau").text(f"/disposalview/show/{pk}")


def _threshold(app) -> Decimal:
    with app.app_context():
        county = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650102")).scalar_one()
        return standard_in_force(db.session, FINANCE_THRESHOLD, FINANCE_THRESHOLD_KEY, county).value


def test_art19_the_finance_stage_follows_the_threshold_standard(app, api_client, login):
    """第十九条: below the threshold (a Standard, 资产处置报财政审批起点) the same-level bureau's
    approval is final; from it on, the same-level finance department approves after the bureau."""
    threshold = _threshold(app)
    assert threshold > 4800  # the demo's 5,000 元: one 4,800 元 card is below, two are above
    small = make_disposal(app, make_asset(app))
    large = make_disposal(app, make_asset(app), make_asset(app))
    clerk, bureau = api_client("tianshan_clerk"), api_client("tianshan_bureau")
    for pk in (small, large):
        assert clerk.post(f"{DISPOSALS}/{pk}/workflow/submit", json={}).status_code == 200
        assert bureau.post(f"{DISPOSALS}/{pk}/workflow/approve", json={"comment": "同意"}).status_code == 200
    assert state_of(app, Disposal, small) == "approved"
    assert state_of(app, Disposal, large) == "reviewed"
    # the page says which applications the finance stage does not concern
    assert "财政部门审批（本件无需此环节）" in login("tianshan_clerk").text(f"/disposalview/show/{small}")
    assert "本件无需此环节" not in login("tianshan_clerk").text(f"/disposalview/show/{large}")
    assert api_client("urumqi_fin_reviewer").post(f"{DISPOSALS}/{large}/workflow/approve",
                                                  json={}).status_code == 403
    done = api_client("tianshan_fin_reviewer").post(f"{DISPOSALS}/{large}/workflow/approve", json={})
    assert done.status_code == 200 and done.get_json()["state"] == "approved"
    assert "2 张资产卡片状态改为“已处置”" in done.get_json()["message"]


def test_art19_where_a_county_has_no_bureau_the_nearest_level_up_decides(app, api_client, login):
    """第十九条: 叶城县 has no bureau in the catalog, so 喀什地区机关事务管理局 approves a disposal
    of 叶城县妇女联合会; 喀什市's bureau (another county) does not see it, the region's reads it
    but does not decide it."""
    owner = "叶城县妇女联合会"
    pk = make_disposal(app, make_asset(app, owner=owner), owner=owner)
    with app.app_context():
        with acting_as(SYSTEM):
            transition(db.session.get(Disposal, pk), "submit", view_name="DisposalView")
            db.session.commit()
    assert api_client("kashgar_bureau").post(f"{DISPOSALS}/{pk}/workflow/approve", json={}).status_code == 404
    region = api_client("xj_bureau").post(f"{DISPOSALS}/{pk}/workflow/approve", json={})  # reads, not decides
    assert region.status_code == 403 and "喀什地区机关事务管理局" in region.get_json()["message"]
    prefecture = login(role="Bureau Admin", organization="喀什地区机关事务管理局")
    decided = prefecture.api("POST", f"{DISPOSALS}/{pk}/workflow/approve", json={"comment": "同意"})
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["state"] == "approved"


def test_art17_the_operations_api_offers_a_decision_only_to_whoever_may_take_it(app, api_client):
    """第十七条: GET …/operations lists 批准 and 退回 for 天山区's bureau, not for the city's bureau
    that reads the plan; both read the same record."""
    pk = own_plan(app, "操作列表测试计划")
    assert api_client("tianshan_clerk").post(f"{PLANS}/{pk}/workflow/submit", json={}).status_code == 200

    def offered(username) -> set[str]:
        response = api_client(username).get(f"{PLANS}/{pk}/operations")
        assert response.status_code == 200, response.get_json()
        return {op["key"] for op in response.get_json()["operations"] if op["kind"] == "workflow"}

    assert {"approve", "reject"} <= offered("tianshan_bureau")
    assert not {"approve", "reject"} & offered("urumqi_bureau")
