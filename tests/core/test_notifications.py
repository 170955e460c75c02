"""Notifications: who is told what when a record is submitted, decided or overdue; the bell, the
page, the REST API (bearer token) and the optional mail, each in the user's own scope."""

from __future__ import annotations

import datetime as dt
import re
import socket
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.home.models import Notification


def _notes(app, username: str) -> list[Notification]:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        rows = db.session.execute(select(Notification).where(Notification.user_id == user.id)
                                  .order_by(Notification.id)).scalars().all()
        db.session.expunge_all()
        return rows


def _bell(html: str) -> int:
    found = re.search(r'id="notification-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


class Inbox:
    """aiosmtpd's handler: keeps every message the local SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    controller_module = pytest.importorskip("aiosmtpd.controller")
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its server by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("NOTIFY_MAIL_ENABLED", "NOTIFY_MAIL_HOST", "NOTIFY_MAIL_PORT",
                                            "NOTIFY_MAIL_SENDER")}
    app.config.update(NOTIFY_MAIL_ENABLED=True, NOTIFY_MAIL_HOST="127.0.0.1",
                      NOTIFY_MAIL_PORT=port,
                      NOTIFY_MAIL_SENDER="jiguan@bureau.example")
    yield inbox
    app.config.update(saved)
    controller.stop()


def test_the_demo_tells_each_decider_of_what_is_pending_once(app, cli):
    """The demo's pending approvals are on their deciders' bells; ``notify pending`` adds none."""
    awaiting = [n for n in _notes(app, "urumqi_bureau") if n.kind == "awaiting"]
    assert {n.message.split("“")[0] for n in awaiting} >= {"资产盘点", "公物仓调剂申请"}
    # 天山区's plan and disposal go to 天山区's own bureau and finance department (Art. 17, 19)
    assert not [n for n in awaiting if (n.entity, n.entity_id) in _county_records(app)]
    county = [n for n in _notes(app, "tianshan_bureau") if n.kind == "awaiting"]
    assert {n.message.split("“")[0] for n in county} >= {"资产处置申请", "资产配置计划"}
    finance = [n for n in _notes(app, "tianshan_fin_reviewer") if n.kind == "awaiting"]
    # only finance stages (a plan's 审核; a disposal's 审批 when another test took one that far)
    assert finance and all(re.search("财政部门审[核批]", n.message) for n in finance)
    city_finance = [n for n in _notes(app, "urumqi_fin_reviewer") if n.kind == "awaiting"]
    assert not [n for n in city_finance if (n.entity, n.entity_id) in _county_records(app)]
    assert not [n for n in _notes(app, "kashgar_clerk") if n.kind == "awaiting"]
    # ``notify pending`` tells only whoever was not told yet (a user another test made since the
    # demo, say), never one told already; run again, it tells nobody
    with app.app_context():
        told = {(n.user_id, n.entity, n.entity_id) for n in db.session.execute(
            select(Notification).where(Notification.kind == "awaiting")).scalars()}
        last = db.session.execute(select(func.max(Notification.id))).scalar() or 0
    assert cli("notify", "pending").exit_code == 0
    with app.app_context():
        added = db.session.execute(select(Notification).where(Notification.id > last)).scalars().all()
        assert not [n for n in added if (n.user_id, n.entity, n.entity_id) in told]
    result = cli("notify", "pending")
    assert result.exit_code == 0 and "已发送 0 条待审批通知" in result.output


def test_a_submission_notifies_its_deciders_stage_by_stage_and_the_decision_its_submitter(
        app, api_client, login, smtp_server):
    clerk, bureau, finance = (api_client(u)
                              for u in ("tianshan_clerk", "tianshan_bureau", "tianshan_fin_reviewer"))
    before = {u: len(_notes(app, u)) for u in ("tianshan_clerk", "tianshan_bureau", "tianshan_fin_reviewer",
                                                "kashgar_clerk", "xj_bureau", "urumqi_bureau",
                                                "urumqi_fin_reviewer")}
    pk = _own_plan(app)  # not the demo's draft: other tests read it as the demo left it

    assert clerk.post(f"/api/v1/asset_plan/{pk}/workflow/submit", json={}).status_code == 200
    awaiting = _notes(app, "tianshan_bureau")[before["tianshan_bureau"]:]
    assert [n.kind for n in awaiting] == ["awaiting"]
    assert "资产配置计划" in awaiting[0].message and "待您审批" in awaiting[0].message
    with app.app_context():
        clerk_name = app.appbuilder.sm.find_user(username="tianshan_clerk").get_full_name().strip()
    assert "机关事务管理部门审核" in awaiting[0].message and f"提交人：{clerk_name}" in awaiting[0].message
    assert not re.search(r"[A-Za-z]", awaiting[0].message)  # no login names on a Chinese screen
    # the city's and the region's bureau oversee it but do not decide it (Art. 17, 同级): not told
    assert len(_notes(app, "xj_bureau")) == before["xj_bureau"]
    assert len(_notes(app, "urumqi_bureau")) == before["urumqi_bureau"]
    # the submitter, another prefecture and the next stage's decider are not told yet
    assert len(_notes(app, "tianshan_clerk")) == before["tianshan_clerk"]
    assert len(_notes(app, "kashgar_clerk")) == before["kashgar_clerk"]
    assert len(_notes(app, "tianshan_fin_reviewer")) == before["tianshan_fin_reviewer"]

    # the bell and the page of the bureau say so, in Chinese, with the record one click away
    page = login("tianshan_bureau").text("/notifications/")
    assert awaiting[0].message in page and "查看记录" in page and _bell(page) >= 1

    assert bureau.post(f"/api/v1/asset_plan/{pk}/workflow/approve", json={}).status_code == 200
    next_stage = _notes(app, "tianshan_fin_reviewer")[before["tianshan_fin_reviewer"]:]
    assert [n.kind for n in next_stage] == ["awaiting"] and "财政部门审核" in next_stage[0].message
    assert len(_notes(app, "urumqi_fin_reviewer")) == before["urumqi_fin_reviewer"]  # another level's

    refused = finance.post(f"/api/v1/asset_plan/{pk}/workflow/reject", json={})
    assert refused.status_code == 422  # a return needs a reason: refused, nobody told
    assert len(_notes(app, "tianshan_clerk")) == before["tianshan_clerk"]
    smtp_server.messages.clear()
    response = finance.post(f"/api/v1/asset_plan/{pk}/workflow/reject", json={"comment": "单价超过配置标准"})
    assert response.status_code == 200
    told = _notes(app, "tianshan_clerk")[before["tianshan_clerk"]:]
    assert [n.kind for n in told] == ["rejected"]
    assert "被退回" in told[0].message and "单价超过配置标准" in told[0].message

    # the mail went out over SMTP, in Chinese, to the submitter's address
    with app.app_context():
        address = app.appbuilder.sm.find_user(username="tianshan_clerk").email
    assert len(smtp_server.messages) == 1
    recipients, mail = smtp_server.messages[0]
    assert recipients == [address]
    assert mail["Subject"].startswith("【机关事务管理平台】已退回") and "单价超过配置标准" in mail["Subject"]
    body = mail.get_body().get_content()
    assert "单价超过配置标准" in body and "北京时间" in body and "请登录机关事务管理平台处理" in body


def _county_records(app) -> set[tuple[str, str]]:
    """(entity, id) of every plan and disposal of an organisation of 天山区 (650102)."""
    from catalog.models import Jurisdiction, Organization
    from plugins.assets.disposal.models import Disposal
    from plugins.assets.plans.models import AssetPlan

    found = set()
    with app.app_context():
        for key, model in (("asset_plan", AssetPlan), ("disposal", Disposal)):
            ids = db.session.execute(
                select(model.id).join(Organization, model.organization_id == Organization.id)
                .join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
                .where(Jurisdiction.code == "650102")).scalars()
            found |= {(key, str(pk)) for pk in ids}
        db.session.remove()
    return found


def _own_plan(app) -> int:
    """A copy of the demo's draft plan, with its lines, for this test to decide on."""
    from plugins.assets.plans.models import AssetPlan, AssetPlanLine

    with app.app_context():
        demo = db.session.execute(select(AssetPlan).where(AssetPlan.state == "draft")
                                  .order_by(AssetPlan.id)).scalars().first()
        plan = AssetPlan(title=f"{demo.title}（通知测试）", **{
            c: getattr(demo, c) for c in ("organization_id", "jurisdiction_id", "year")
            if hasattr(AssetPlan, c)})
        columns = [c.key for c in AssetPlanLine.__table__.columns
                   if c.key not in ("id", "plan_id", "version")]
        for line in demo.lines:
            plan.lines.append(AssetPlanLine(**{c: getattr(line, c) for c in columns}))
        db.session.add(plan)
        db.session.commit()
        return plan.id


def test_the_rest_api_lists_only_mine_in_beijing_time_and_marks_read(app, api_client):
    clerk = api_client("tianshan_clerk")
    listed = clerk.get("/api/v1/notifications/")
    assert listed.status_code == 200
    body = listed.get_json()
    mine = _notes(app, "tianshan_clerk")
    assert {n["id"] for n in body["result"]} == {n.id for n in mine}
    assert body["unread"] == sum(1 for n in mine if n.read_at is None)
    first = next(n for n in mine if n.id == body["result"][-1]["id"])
    beijing = (first.created_at + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert body["result"][-1]["created_at"] == beijing

    others = _notes(app, "urumqi_bureau")
    assert others and clerk.post(f"/api/v1/notifications/{others[0].id}/read").status_code == 404
    assert _notes(app, "urumqi_bureau")[0].read_at is None  # nobody reads another's

    unread = [n for n in mine if n.read_at is None]
    if unread:
        assert clerk.post(f"/api/v1/notifications/{unread[0].id}/read").status_code == 200
        assert next(n for n in _notes(app, "tianshan_clerk") if n.id == unread[0].id).read_at is not None
    assert clerk.post("/api/v1/notifications/read-all").get_json()["unread"] == 0
    assert clerk.get("/api/v1/notifications/?unread=1").get_json()["result"] == []
    assert app.test_client().get("/api/v1/notifications/").status_code == 401


def test_the_page_marks_one_and_all_read_and_the_bell_follows(app, login):
    browser = login("urumqi_bureau")
    unread = [n for n in _notes(app, "urumqi_bureau") if n.read_at is None]
    assert unread and _bell(browser.text("/")) == len(unread)
    response = browser.post(f"/notifications/{unread[0].id}/read", data={"open": "1"})
    assert response.status_code == 302 and "/show/" in response.headers["Location"]
    assert _bell(browser.text("/")) == len(unread) - 1
    page = browser.post("/notifications/read-all", follow_redirects=True).get_data(as_text=True)
    assert "已将" in page and "条通知标为已读" in page
    assert _bell(page) == 0 and 'id="notification-count"' not in page


def test_overdue_items_are_notified_once_to_whoever_may_act_in_scope(app, cli):
    first = cli("notify", "overdue", "--today", "2099-01-01")
    assert first.exit_code == 0, first.output
    written = int(re.search(r"已发送 (\d+) 条", first.output).group(1))
    assert written > 0
    again = cli("notify", "overdue", "--today", "2099-01-01")
    assert "已发送 0 条" in again.output  # idempotent: nobody is told twice
    kashgar = [n for n in _notes(app, "kashgar_clerk") if n.kind == "overdue"]
    # each module words its overdue items (资产盘点…已逾期, 三公经费…逾期 N 天): each says it is late
    assert kashgar and all("逾期" in n.message for n in kashgar)
    # Art. 19: the demo's copier proceeds of 喀什市财政局, unpaid past the 30-day demo period
    assert any(n.message.startswith("处置收入上缴") and "上缴国库" in n.message for n in kashgar)
    urumqi = [n for n in _notes(app, "urumqi_bureau") if n.kind == "overdue"]
    kashgar_ids = {(n.entity, n.entity_id) for n in kashgar}
    assert not kashgar_ids & {(n.entity, n.entity_id) for n in urumqi}  # another prefecture's records
    assert not [n for n in _notes(app, "urumqi_fin_reviewer") if n.kind == "overdue"]  # may not edit it


def test_an_overdue_item_is_told_whole_in_the_readers_language(app, cli):
    """Issue 16: the command runs in Chinese; a reader who chose English gets the item's own
    words (处置收入…至今未上缴（逾期 N 天）) in English too, not only the sentence around them."""
    from sqlalchemy import delete, update

    def choose(locale):
        with app.app_context():
            user = app.appbuilder.sm.find_user(username="kashgar_clerk")
            db.session.execute(update(type(user)).where(type(user).id == user.id).values(locale=locale))
            # told once per item and due date: what an earlier run told this reader is forgotten
            db.session.execute(delete(Notification).where(Notification.user_id == user.id,
                                                          Notification.kind == "overdue"))
            db.session.commit()

    choose("en")
    try:
        result = cli("notify", "overdue", "--today", "2099-02-01")
        assert result.exit_code == 0 and "已发送" in result.output, result.output
        told = [n.message for n in _notes(app, "kashgar_clerk") if n.kind == "overdue"]
    finally:
        choose(None)
    proceeds = [m for m in told if "treasury" in m.lower()]
    assert proceeds, told
    assert all("逾期" not in m and "上缴" not in m and "overdue" in m.lower() for m in proceeds), proceeds


def test_a_long_list_of_notifications_pages_with_a_short_pager(app, login):
    """Ten pages are linked as 上一页 1 … 4 5 6 7 8 … 10 下一页, not one link a page; a page past
    the end shows the last one."""
    from tests.security.test_sessions import new_user, user_id

    username = new_user(app, "pg")
    with app.app_context():
        uid = user_id(app, username)
        db.session.execute(Notification.__table__.insert(), [
            {"user_id": uid, "kind": "pending", "message": f"通知{n}号",
             "created_at": dt.datetime(2026, 1, 1)} for n in range(1, 481)])
        db.session.commit()
    browser = login(username)
    page = browser.text("/notifications/?page=6")
    pager = re.search(r'<ul class="pagination">(.*?)</ul>', page, re.S).group(1)
    links = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", pager, re.S)]
    assert links == ["上一页", "1", "…", "3", "4", "5", "6", "7", "8", "9", "10", "下一页"]
    assert "共 480 条，第 6/10 页" in page
    assert "通知230号" in page and "通知231号" not in page  # newest first: page 6 is 230…181
    last = browser.text("/notifications/?page=99")
    assert "第 10/10 页" in last and "通知1号" in last


def test_finding_who_may_decide_reads_the_users_of_the_records_reach_only(app):
    """Telling the deciders of a Tianshan record does not read Kashgar's users one by one: the
    statements run stay the same however many users other jurisdictions have."""
    from catalog.models import Organization
    from core.home.notify import users_who_may
    from core.scoping import SYSTEM, acting_as
    from plugins.assets.pool.models import PoolRequest
    from tests.core.test_list_performance import statements

    def count() -> tuple[int, set[str]]:
        with app.app_context(), acting_as(SYSTEM):
            request = db.session.execute(
                select(PoolRequest).where(PoolRequest.state == "submitted")).scalars().first()
            with statements(app) as seen:
                names = {u.username for u in users_who_may(db.session, request, "can_approve")}
            return len(seen), names

    before, deciders = count()
    assert deciders  # the pool's bureau decides
    with app.app_context():
        kashgar = db.session.execute(
            select(Organization).where(Organization.name == "喀什市财政局")).scalar_one()
        from core.cli.setup import create_user
        from core.testing.support import PASSWORD

        for n in range(8):
            create_user(f"far_{n}_{dt.datetime.now().timestamp():.0f}", PASSWORD, "Bureau Admin", kashgar,
                        first_name="远")
        db.session.commit()
    after, again = count()
    assert again == deciders
    assert after == before, (before, after)
