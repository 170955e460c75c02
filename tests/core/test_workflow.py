"""The approval workflow, through HTTP as users meet it, on SQLite and PostgreSQL.

A test-only plugin (``tests.fixtures.approval_plugin``) supplies a model and a
screen with the mixins; the demo gives the users: ``tianshan_clerk`` (天山区
财政局, 650102) writes, ``urumqi_bureau`` (乌鲁木齐市, 650100, above 天山区)
decides, a Kashgar bureau admin is out of scope.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import sqlalchemy as sa

from catalog.models import Jurisdiction, Organization
from core.activation import set_module
from core.cli.demo import build_demo
from core.cli.setup import create_schema, create_user, drop_schema
from core.errors import ScopeViolation
from core.extensions import db
from core.models import AuditLog
from core.scoping import (
    ROLE_APPROVER,
    ROLE_BUREAU_ADMIN,
    ROLE_CLERK,
    ROLE_FINANCE_REVIEWER,
    SYSTEM,
    acting_as,
)
from core.versioning import utcnow
from core.workflow.approval import TRANSITIONS, WorkflowError, WorkflowEvent, step_for, transition
from tests.conftest import PASSWORD, POSTGRES_URL, Browser, make_app, postgres_unreachable
from tests.fixtures.approval_plugin import KEY, STAGED_KEY, ApprovalDemo, StagedDemo

PLUGIN = "tests.fixtures.approval_plugin"
VIEW = "/approvaldemoview"
#: Own PostgreSQL schema: this module rebuilds its database, the session-wide app keeps its own.
PG_SCHEMA = "jiguan_workflow_test"
CLERK, CLERK2, URUMQI, KASHGAR = "tianshan_clerk", "tianshan_clerk2", "urumqi_bureau", "kashgar_bureau_admin"
APPROVER = "urumqi_approver"
FINANCE, KASHGAR_FINANCE = "urumqi_fin_reviewer", "kashgar_fin_reviewer"
STAGED_VIEW = "/stageddemoview"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def wf_app(request, tmp_path_factory):
    extra = {}
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path_factory.mktemp('wf') / 'workflow.db'}"
    else:
        reason = postgres_unreachable()
        if reason:
            if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
                pytest.fail(reason + " (JIGUAN_REQUIRE_POSTGRES is set)")
            pytest.skip(reason)
        uri = POSTGRES_URL
        _pg_schema(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE; CREATE SCHEMA {PG_SCHEMA}")
        extra["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={PG_SCHEMA}"}}
    app = make_app(uri, EXTRA_PLUGINS=[PLUGIN], **extra)
    with app.app_context():
        drop_schema()
        build_demo(PASSWORD)
        create_schema()  # the test-only table: no migration knows it
        with acting_as(SYSTEM):
            region = db.session.execute(sa.select(Jurisdiction).filter_by(code="650000")).scalar_one()
            set_module(region, KEY, True)
            db.session.commit()
        create_user(KASHGAR, PASSWORD, ROLE_BUREAU_ADMIN, _org("喀什市机关事务管理局"),
                    first_name="喀什管理员")
        create_user(CLERK2, PASSWORD, ROLE_CLERK, _org("乌鲁木齐市天山区财政局"),
                    first_name="天山区经办人二")
        create_user(APPROVER, PASSWORD, ROLE_APPROVER, _org("乌鲁木齐市机关事务管理局"),
                    first_name="乌鲁木齐审批人")
        if app.appbuilder.sm.find_user(username=KASHGAR_FINANCE) is None:  # a demo login since issue 11
            create_user(KASHGAR_FINANCE, PASSWORD, ROLE_FINANCE_REVIEWER, _org("喀什市财政局"),
                        first_name="喀什财政审核人")
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        _pg_schema(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")


def _pg_schema(sql: str) -> None:
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(sql))
    engine.dispose()


def _org(name: str) -> Organization:
    return db.session.execute(sa.select(Organization).filter_by(name=name)).scalar_one()


@pytest.fixture
def users(wf_app):
    cache = {}

    def _browser(username: str) -> Browser:
        if username not in cache:
            cache[username] = Browser(wf_app, username)
        return cache[username]

    return _browser


# --- helpers ----------------------------------------------------------------------------------


def read(app, pk: int) -> ApprovalDemo | None:
    """The record as the database has it now (a fresh session, detached)."""
    with app.app_context():
        row = db.session.get(ApprovalDemo, pk)
        if row is not None:
            db.session.expunge(row)
        db.session.remove()
        return row


def events(app, pk: int) -> list[WorkflowEvent]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(WorkflowEvent).filter_by(entity=KEY, entity_id=str(pk)).order_by(WorkflowEvent.id)
        ).scalars().all()
        db.session.expunge_all()
        db.session.remove()
        return list(rows)


def create(browser: Browser, title: str) -> int:
    app = browser.app
    with app.app_context():
        org_id = _org("乌鲁木齐市天山区财政局").id
        db.session.remove()
    browser.post(f"{VIEW}/add", data={"title": title, "organization": str(org_id)})
    with app.app_context():
        pk = db.session.execute(sa.select(ApprovalDemo.id).filter_by(title=title)).scalar_one()
        db.session.remove()
    return pk


def act(browser: Browser, pk: int, action: str, comment: str = "") -> list[str]:
    """POST a transition as the user's button does; return the flashed messages."""
    response = browser.post(f"{VIEW}/workflow/{pk}/{action}", data={"comment": comment},
                            follow_redirects=True)
    return Browser.flashes(response.get_data(as_text=True))


def submitted(users, title: str) -> int:
    pk = create(users(CLERK), title)
    act(users(CLERK), pk, "submit", "请审批")
    assert read(users(CLERK).app, pk).state == "submitted"
    return pk


# --- the paths --------------------------------------------------------------------------------


def test_clerk_creates_and_submits_with_history(wf_app, users):
    clerk = users(CLERK)
    pk = create(clerk, "办公用房调剂申请")
    assert read(wf_app, pk).state == "draft"

    flashes = act(clerk, pk, "submit", "请予审批")
    assert any("已提交" in f for f in flashes), flashes
    row = read(wf_app, pk)
    assert row.state == "submitted" and row.submitted_at is not None and row.decided_at is None

    [event] = events(wf_app, pk)
    assert (event.action, event.from_state, event.to_state) == ("submit", "draft", "submitted")
    assert event.username == CLERK and event.user_id is not None
    assert event.comment == "请予审批"
    assert abs(event.at - utcnow()) < dt.timedelta(minutes=1)

    html = clerk.text(f"{VIEW}/show/{pk}")
    assert 'id="workflow-history"' in html and "请予审批" in html and CLERK in html
    assert 'data-state="submitted"' in html and "已提交" in html
    assert 'data-action="withdraw"' in html  # the clerk may withdraw …
    assert 'data-action="approve"' not in html  # … but is not offered to decide


def test_buttons_follow_state_and_rights(wf_app, users):
    pk = create(users(CLERK), "按钮测试")
    html = users(CLERK).text(f"{VIEW}/show/{pk}")
    assert 'data-action="submit"' in html and 'data-action="withdraw"' not in html
    assert 'data-action="approve"' not in users(URUMQI).text(f"{VIEW}/show/{pk}")  # a draft
    act(users(CLERK), pk, "submit")
    html = users(URUMQI).text(f"{VIEW}/show/{pk}")
    assert 'data-action="approve"' in html and 'data-action="reject"' in html
    assert 'data-action="submit"' not in html


def test_clerk_cannot_approve_own_submission(wf_app, users):
    pk = submitted(users, "本人审批测试")
    act(users(CLERK), pk, "approve", "自己批")
    assert read(wf_app, pk).state == "submitted"
    assert [e.action for e in events(wf_app, pk)] == ["submit"]


def test_clerk_has_no_approve_permission(wf_app, users):
    pk = submitted(users, "无权审批测试")
    act(users(CLERK2), pk, "approve")  # a colleague, so separation of duties is not what refuses
    assert read(wf_app, pk).state == "submitted"
    assert [e.action for e in events(wf_app, pk)] == ["submit"]


def test_bureau_of_other_jurisdiction_cannot_approve(wf_app, users):
    pk = submitted(users, "跨辖区审批测试")
    kashgar = users(KASHGAR)
    assert kashgar.get(f"{VIEW}/show/{pk}").status_code == 404
    response = kashgar.post(f"{VIEW}/workflow/{pk}/approve", data={"comment": "越权"})
    assert response.status_code == 404
    assert read(wf_app, pk).state == "submitted"

    # the same refusal without the view: transition() checks the scope itself
    with wf_app.app_context():
        from core.web.security import JiguanUser

        user = db.session.execute(sa.select(JiguanUser).filter_by(username=KASHGAR)).scalar_one()
        with acting_as(user), pytest.raises(ScopeViolation):
            transition(db.session.get(ApprovalDemo, pk), "approve")
        db.session.rollback()
        db.session.remove()
    assert read(wf_app, pk).state == "submitted"
    assert [e.action for e in events(wf_app, pk)] == ["submit"]


def test_urumqi_bureau_approves(wf_app, users):
    pk = submitted(users, "批准测试")
    flashes = act(users(URUMQI), pk, "approve", "同意")
    assert any("已批准" in f for f in flashes), flashes
    row = read(wf_app, pk)
    assert row.state == "approved" and row.decided_at is not None
    last = events(wf_app, pk)[-1]
    assert (last.action, last.from_state, last.to_state, last.username, last.comment) == (
        "approve", "submitted", "approved", URUMQI, "同意")


def test_approver_role_decides_but_does_not_write(wf_app, users):
    approver = users(APPROVER)
    draft = create(users(CLERK), "审批人测试（草稿）")
    act(approver, draft, "submit")  # no can_edit: FAB refuses before the workflow is asked
    assert read(wf_app, draft).state == "draft"

    pk = submitted(users, "审批人测试")
    html = approver.text(f"{VIEW}/show/{pk}")
    assert 'data-action="approve"' in html and 'data-action="withdraw"' not in html
    act(approver, pk, "approve", "同意")
    assert read(wf_app, pk).state == "approved"
    assert events(wf_app, pk)[-1].username == APPROVER


def test_reject_needs_a_comment_then_resubmit(wf_app, users):
    pk = submitted(users, "退回测试")
    flashes = act(users(URUMQI), pk, "reject", "   ")
    assert any("必须填写意见" in f for f in flashes), flashes
    assert read(wf_app, pk).state == "submitted"

    act(users(URUMQI), pk, "reject", "面积超标，请核减")
    assert read(wf_app, pk).state == "rejected"
    assert events(wf_app, pk)[-1].comment == "面积超标，请核减"

    # a rejected record is the clerk's again: edit it and submit anew
    clerk = users(CLERK)
    org_id = read(wf_app, pk).organization_id
    version = read(wf_app, pk).version
    clerk.post(f"{VIEW}/edit/{pk}", data={"title": "退回测试（已核减）", "organization": str(org_id),
                                         "lock_version": str(version)})
    assert read(wf_app, pk).title == "退回测试（已核减）"
    act(clerk, pk, "submit", "已核减")
    assert read(wf_app, pk).state == "submitted"
    assert [(e.from_state, e.to_state) for e in events(wf_app, pk)] == [
        ("draft", "submitted"), ("submitted", "rejected"), ("rejected", "submitted")]


def test_withdraw_only_when_submitted(wf_app, users):
    clerk = users(CLERK)
    pk = create(clerk, "撤回测试")
    flashes = act(clerk, pk, "withdraw")
    assert any("当前状态“草稿”不能执行“撤回”" in f for f in flashes), flashes
    assert read(wf_app, pk).state == "draft"

    act(clerk, pk, "submit")
    act(clerk, pk, "withdraw", "材料不全，撤回补充")
    row = read(wf_app, pk)
    assert row.state == "draft" and row.submitted_at is None

    act(clerk, pk, "submit")
    act(users(URUMQI), pk, "approve")
    flashes = act(clerk, pk, "withdraw", "再改")
    assert any("当前状态“已批准”不能执行“撤回”" in f for f in flashes), flashes
    assert read(wf_app, pk).state == "approved"
    assert [e.action for e in events(wf_app, pk)] == ["submit", "withdraw", "submit", "approve"]


def test_submitted_and_approved_records_are_locked(wf_app, users):
    clerk = users(CLERK)
    pk = submitted(users, "锁定测试")
    org_id = read(wf_app, pk).organization_id
    form = {"title": "偷改", "organization": str(org_id), "lock_version": str(read(wf_app, pk).version)}

    response = clerk.get(f"{VIEW}/edit/{pk}")  # not even the form: back to the record
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{VIEW}/show/{pk}")
    flashes = Browser.flashes(clerk.text(response.headers["Location"]))
    assert any("请先撤回" in f for f in flashes), flashes
    clerk.post(f"{VIEW}/edit/{pk}", data=form)
    assert read(wf_app, pk).title == "锁定测试"

    act(users(URUMQI), pk, "approve")
    form["lock_version"] = str(read(wf_app, pk).version)
    flashes = Browser.flashes(clerk.post(f"{VIEW}/edit/{pk}", data=form, follow_redirects=True)
                              .get_data(as_text=True))
    assert any("记录已批准，不能修改或删除" in f for f in flashes), flashes
    clerk.post(f"{VIEW}/delete/{pk}", follow_redirects=True)
    row = read(wf_app, pk)
    assert row is not None and row.title == "锁定测试" and row.state == "approved"

    # the API is another write path: the flush guard refuses there too
    response = clerk.api("PUT", f"/api/v1/{KEY}/{pk}", json={"title": "偷改"})
    assert response.status_code == 409, response.get_data(as_text=True)
    assert "记录已批准" in response.get_json()["message"]
    assert clerk.api("DELETE", f"/api/v1/{KEY}/{pk}").status_code == 409
    assert read(wf_app, pk).title == "锁定测试"


def test_state_changes_only_through_the_workflow(wf_app, users):
    clerk = users(CLERK)
    pk = create(clerk, "状态直改测试")
    # the API does not even take the field: the state moves only through /workflow/<action>
    response = clerk.api("PUT", f"/api/v1/{KEY}/{pk}", json={"state": "approved"})
    assert response.status_code == 422 and "state" in response.get_json()["message"]
    assert read(wf_app, pk).state == "draft"

    org_id = read(wf_app, pk).organization_id
    response = clerk.api("POST", f"/api/v1/{KEY}/",
                         json={"title": "直接批准", "organization_id": org_id, "state": "approved"})
    assert response.status_code == 422
    with wf_app.app_context():
        assert db.session.execute(sa.select(ApprovalDemo).filter_by(title="直接批准")).first() is None
        db.session.remove()

    # a direct write (what a CLI command or an import does) meets the flush guard
    with wf_app.app_context():
        clerk_user = wf_app.appbuilder.sm.find_user(username=CLERK)
        with acting_as(clerk_user), pytest.raises(WorkflowError, match="审批状态只能通过"):
            db.session.get(ApprovalDemo, pk).state = "approved"
            db.session.flush()
        db.session.rollback()
        db.session.remove()
    assert read(wf_app, pk).state == "draft"

    # the edit form has no state field: a posted one is ignored
    clerk.post(f"{VIEW}/edit/{pk}", data={"title": "状态直改测试", "organization": str(org_id),
                                         "state": "approved", "lock_version": str(read(wf_app, pk).version)})
    assert read(wf_app, pk).state == "draft"


def test_decision_on_changed_content_is_a_conflict(wf_app, users):
    """The approver decides on the version shown; if the clerk changed it since, nothing happens."""
    pk = submitted(users, "版本测试")
    seen = read(wf_app, pk).version
    clerk = users(CLERK)
    act(clerk, pk, "withdraw", "修改标题")
    row = read(wf_app, pk)
    clerk.post(f"{VIEW}/edit/{pk}", data={"title": "版本测试（改）", "lock_version": str(row.version),
                                         "organization": str(row.organization_id)})
    assert read(wf_app, pk).title == "版本测试（改）"
    act(clerk, pk, "submit")
    response = users(URUMQI).post(f"{VIEW}/workflow/{pk}/approve", data={"version": str(seen)},
                                  follow_redirects=True)
    assert any("已被他人修改" in f for f in Browser.flashes(response.get_data(as_text=True)))
    assert read(wf_app, pk).state == "submitted"


def test_every_transition_is_audited(wf_app, users):
    pk = submitted(users, "审计测试")
    act(users(URUMQI), pk, "reject", "请补充依据")
    act(users(CLERK), pk, "submit")
    act(users(URUMQI), pk, "approve")
    with wf_app.app_context():
        audit = db.session.execute(
            sa.select(AuditLog).filter_by(entity=KEY, entity_id=str(pk), action="update")
            .order_by(AuditLog.id)
        ).scalars().all()
        changes = [(a.username, a.before["state"], a.after["state"]) for a in audit]
        db.session.remove()
    steps = [(e.username, e.from_state, e.to_state) for e in events(wf_app, pk)]
    assert changes == steps == [
        (CLERK, "draft", "submitted"), (URUMQI, "submitted", "rejected"),
        (CLERK, "rejected", "submitted"), (URUMQI, "submitted", "approved"),
    ]


def test_separation_of_duties_and_errors_without_http(wf_app):
    """transition() from code (CLI, jobs) applies the same rules as the screens."""
    from core.web.security import JiguanUser

    with wf_app.app_context():
        def user(name):
            return db.session.execute(sa.select(JiguanUser).filter_by(username=name)).scalar_one()

        org = _org("乌鲁木齐市天山区财政局")
        with acting_as(user(URUMQI)):
            record = ApprovalDemo(title="局内自审测试", organization_id=org.id)
            db.session.add(record)
            transition(record, "submit", "局里直接报")  # a new record is saved as a draft first
            with pytest.raises(WorkflowError, match="不能审批本人提交的记录") as refused:
                transition(record, "approve")
            assert refused.value.status == 403
            with pytest.raises(WorkflowError, match="未知的审批操作"):
                transition(record, "archive")
        db.session.commit()
        with acting_as(user("xj_bureau")):  # the region's bureau, above 乌鲁木齐市
            transition(record, "approve", "同意")
        db.session.commit()
        pk = record.id
        db.session.remove()
    assert read(wf_app, pk).state == "approved"
    assert [(e.action, e.username) for e in events(wf_app, pk)] == [
        ("submit", URUMQI), ("approve", "xj_bureau")]


def test_transition_table():
    assert {a: (t.sources, t.target) for a, t in TRANSITIONS.items()} == {
        "submit": (("draft", "rejected"), "submitted"),
        "withdraw": (("submitted",), "draft"),
        "approve": (("submitted",), "approved"),
        "reject": (("submitted",), "rejected"),
    }
    assert TRANSITIONS["reject"].comment_required and not TRANSITIONS["approve"].comment_required


# --- the same workflow on the REST API -----------------------------------------------------------


def api_act(browser: Browser, pk: int, action: str, **body):
    return browser.api("POST", f"/api/v1/{KEY}/{pk}/workflow/{action}", json=body)


def test_api_transitions_follow_the_same_rules(wf_app, users):
    pk = create(users(CLERK), "接口审批测试")
    submitted_ = api_act(users(CLERK), pk, "submit", comment="接口提交")
    assert submitted_.status_code == 200, submitted_.get_json()
    assert submitted_.get_json()["state"] == "submitted"
    assert api_act(users(CLERK2), pk, "approve").status_code == 403  # a clerk holds no approve
    assert api_act(users(KASHGAR), pk, "approve").status_code == 404  # out of scope
    no_comment = api_act(users(URUMQI), pk, "reject")
    assert no_comment.status_code == 422 and "意见" in no_comment.get_json()["message"]
    stale = api_act(users(URUMQI), pk, "approve", version=0)
    assert stale.status_code == 409
    done = api_act(users(URUMQI), pk, "approve", comment="同意")
    assert done.status_code == 200 and done.get_json()["state"] == "approved"
    assert [h["action"] for h in done.get_json()["history"]] == ["submit", "approve"]
    assert read(wf_app, pk).state == "approved"
    wrong_state = api_act(users(CLERK), pk, "withdraw", comment="再改")
    assert wrong_state.status_code == 409 and "不能执行" in wrong_state.get_json()["message"]
    assert read(wf_app, pk).state == "approved"


def test_module_effects_of_a_decision_are_part_of_the_transition(wf_app, users):
    """on_transition: the module's effect lands with the approval; a refusal changes nothing."""
    pk = submitted(users, "生效测试")
    assert act(users(URUMQI), pk, "approve", "同意")
    record = read(wf_app, pk)
    assert (record.state, record.title) == ("approved", "生效测试（已生效）")

    vetoed = submitted(users, "否决测试")
    flashed = act(users(URUMQI), vetoed, "approve", "同意")
    assert any("标题含“否决”的记录不能批准" in m for m in flashed)
    record = read(wf_app, vetoed)
    assert (record.state, record.title) == ("submitted", "否决测试")
    assert [e.action for e in events(wf_app, vetoed)] == ["submit"]


# --- staged approval: the bureau reviews, then the finance department approves ---------------------


def staged(app, pk: int) -> StagedDemo:
    with app.app_context():
        row = db.session.get(StagedDemo, pk)
        db.session.expunge(row)
        db.session.remove()
        return row


def staged_events(app, pk: int) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(WorkflowEvent).filter_by(entity=STAGED_KEY, entity_id=str(pk))
            .order_by(WorkflowEvent.id)
        ).scalars().all()
        result = [(e.action, e.from_state, e.to_state, e.username) for e in rows]
        db.session.remove()
        return result


def staged_create(browser: Browser, title: str) -> int:
    app = browser.app
    with app.app_context():
        org_id = _org("乌鲁木齐市天山区财政局").id
        db.session.remove()
    browser.post(f"{STAGED_VIEW}/add", data={"title": title, "organization": str(org_id)})
    with app.app_context():
        pk = db.session.execute(sa.select(StagedDemo.id).filter_by(title=title)).scalar_one()
        db.session.remove()
    return pk


def staged_act(browser: Browser, pk: int, action: str, comment: str = "") -> list[str]:
    response = browser.post(f"{STAGED_VIEW}/workflow/{pk}/{action}", data={"comment": comment},
                            follow_redirects=True)
    return Browser.flashes(response.get_data(as_text=True))


def test_staged_approval_goes_bureau_then_finance_on_screens(wf_app, users):
    pk = staged_create(users(CLERK), "两级审批：配置计划")
    staged_act(users(CLERK), pk, "submit", "请审核")
    assert staged(wf_app, pk).state == "submitted"

    # the finance department is not offered, and cannot give, the bureau's review
    html = users(FINANCE).text(f"{STAGED_VIEW}/show/{pk}")
    assert 'data-action="approve"' not in html and "机关事务管理部门审核（待审）" in html
    flashes = staged_act(users(FINANCE), pk, "approve", "越级")
    assert any("没有“批准（机关事务管理部门审核）”此记录的权限" in f for f in flashes), flashes
    assert staged(wf_app, pk).state == "submitted"

    html = users(URUMQI).text(f"{STAGED_VIEW}/show/{pk}")
    assert 'data-action="approve"' in html and "批准（机关事务管理部门审核）" in html
    flashes = staged_act(users(URUMQI), pk, "approve", "审核通过")
    assert any("已审核，待财政审批" in f for f in flashes), flashes
    row = staged(wf_app, pk)
    assert row.state == "reviewed" and row.state_label == "已审核，待财政审批"

    # still locked for the clerk, and the bureau cannot give the finance decision
    assert 'data-action="approve"' not in users(URUMQI).text(f"{STAGED_VIEW}/show/{pk}")
    staged_act(users(URUMQI), pk, "approve", "代财政批")
    assert staged(wf_app, pk).state == "reviewed"

    html = users(FINANCE).text(f"{STAGED_VIEW}/show/{pk}")
    assert 'data-action="approve"' in html and "批准（财政部门审核）" in html
    staged_act(users(FINANCE), pk, "approve", "同意列入预算")
    assert staged(wf_app, pk).state == "approved"
    assert staged_events(wf_app, pk) == [
        ("submit", "draft", "submitted", CLERK), ("approve", "submitted", "reviewed", URUMQI),
        ("approve", "reviewed", "approved", FINANCE)]
    html = users(CLERK).text(f"{STAGED_VIEW}/show/{pk}")
    assert "批准（财政部门审核）" in html and "已审核，待财政审批" in html  # the history reads by stage


def test_staged_reject_at_either_stage_returns_to_the_submitter(wf_app, users):
    pk = staged_create(users(CLERK), "两级审批：退回")
    staged_act(users(CLERK), pk, "submit")
    staged_act(users(URUMQI), pk, "reject", "数量超标")
    assert staged(wf_app, pk).state == "rejected"
    staged_act(users(CLERK), pk, "submit", "已核减")
    staged_act(users(URUMQI), pk, "approve")
    flashes = staged_act(users(FINANCE), pk, "reject", "")
    assert any("必须填写意见" in f for f in flashes), flashes
    staged_act(users(FINANCE), pk, "reject", "预算不足")
    assert staged(wf_app, pk).state == "rejected"
    # editable again, and a new submission starts at the bureau's review
    staged_act(users(CLERK), pk, "submit", "再报")
    assert staged(wf_app, pk).state == "submitted"
    assert [e[:3] for e in staged_events(wf_app, pk)][-3:] == [
        ("approve", "submitted", "reviewed"), ("reject", "reviewed", "rejected"),
        ("submit", "rejected", "submitted")]


def test_staged_withdraw_from_any_pending_stage(wf_app, users):
    pk = staged_create(users(CLERK), "两级审批：撤回")
    staged_act(users(CLERK), pk, "submit")
    staged_act(users(URUMQI), pk, "approve")
    staged_act(users(CLERK), pk, "withdraw", "补充材料")
    assert staged(wf_app, pk).state == "draft"


def test_staged_separation_of_duties_per_stage(wf_app):
    """Nobody decides on their own submission, nor gives two stages of the same submission."""
    from core.web.security import JiguanUser

    with wf_app.app_context():
        def user(name):
            return db.session.execute(sa.select(JiguanUser).filter_by(username=name)).scalar_one()

        record = StagedDemo(title="两级审批：职责分离", organization_id=_org("乌鲁木齐市天山区财政局").id)
        with acting_as(user(CLERK)):
            db.session.add(record)
            transition(record, "submit")
        with acting_as(user("admin")):  # the system admin holds every permission …
            transition(record, "approve", "审核")
            with pytest.raises(WorkflowError, match="前一环节") as refused:
                transition(record, "approve", "又批")  # … but gives one stage only
            assert refused.value.status == 403
        with acting_as(user(KASHGAR_FINANCE)), pytest.raises(ScopeViolation):
            transition(record, "approve")  # another jurisdiction's finance
        with acting_as(user(FINANCE)):
            transition(record, "approve", "同意")
        assert record.state == "approved"
        db.session.commit()
        db.session.remove()


def test_staged_transition_table():
    submitted_ = step_for(StagedDemo, "approve", "submitted")
    reviewed = step_for(StagedDemo, "approve", "reviewed")
    assert (submitted_.sources, submitted_.target, submitted_.permission) == (
        ("submitted",), "reviewed", "approve")
    assert (reviewed.sources, reviewed.target, reviewed.permission) == (
        ("reviewed",), "approved", "approve_finance")
    assert step_for(StagedDemo, "reject", "reviewed").permission == "approve_finance"
    assert step_for(StagedDemo, "withdraw", "reviewed").sources == ("submitted", "reviewed")
    # a single-stage model keeps the plain table
    assert step_for(ApprovalDemo, "approve", "submitted") is TRANSITIONS["approve"]


def test_staged_api_decides_the_pending_stage(wf_app, users):
    def call(who, pk, action, **body):
        return users(who).api("POST", f"/api/v1/{STAGED_KEY}/{pk}/workflow/{action}", json=body)

    pk = staged_create(users(CLERK), "两级审批：接口")
    assert call(CLERK, pk, "submit").get_json()["state"] == "submitted"
    refused = call(FINANCE, pk, "approve")
    assert refused.status_code == 403 and "机关事务管理部门审核" in refused.get_json()["message"]
    assert call(KASHGAR_FINANCE, pk, "approve").status_code == 404
    reviewed = call(URUMQI, pk, "approve", comment="审核通过")
    assert reviewed.status_code == 200 and reviewed.get_json()["state"] == "reviewed"
    assert reviewed.get_json()["state_label"] == "已审核，待财政审批"
    assert call(URUMQI, pk, "approve").status_code == 403
    assert call(CLERK2, pk, "approve").status_code == 403
    done = call(FINANCE, pk, "approve", comment="同意")
    assert done.status_code == 200 and done.get_json()["state"] == "approved"
    assert [h["label"] for h in done.get_json()["history"]] == [
        "提交", "批准（机关事务管理部门审核）", "批准（财政部门审核）"]
