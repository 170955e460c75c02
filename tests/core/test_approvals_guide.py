"""Approvals that guide (issue 10, part 8), through the doors users use: the record page in
Chinese, and REST with a bearer token from /api/v1/security/login. Each test runs on SQLite and
PostgreSQL (the ``app`` fixture, demo data)."""

from __future__ import annotations

import datetime as dt
import re
import threading

from sqlalchemy import select

from catalog.models import Organization
from core.extensions import db
from core.workflow.numbering import next_sequence
from plugins.assets.cards.models import Asset
from plugins.assets.stocktake.models import Stocktake
from tests.plugins.assets.test_disposal import make_asset, make_disposal

API = "/api/v1/disposal"


def statuses(app, *ids) -> set[str]:
    with app.app_context():
        return set(db.session.execute(select(Asset.status).where(Asset.id.in_(ids))).scalars())


def submitted_disposal(app, api_client):
    """A disposal of two cards the 天山区 clerk submitted over REST; (pk, asset ids, response)."""
    assets = (make_asset(app), make_asset(app))
    pk = make_disposal(app, *assets)
    response = api_client("tianshan_clerk").post(f"{API}/{pk}/workflow/submit", json={"comment": "请审批"})
    assert response.status_code == 200, response.get_json()
    return pk, assets, response.get_json()


def test_submission_names_the_next_approver_in_scope(app, api_client, login):
    pk, _assets, body = submitted_disposal(app, api_client)
    deciders = {d["username"] for d in body["next_deciders"]}
    assert "tianshan_bureau" in deciders
    assert "tianshan_clerk" not in deciders  # nobody decides on their own submission
    assert not {name for name in deciders if name.startswith("kashgar")}  # out of the record's scope
    assert "admin" not in deciders  # the administrator is named only when nobody closer may decide
    assert "审批人：" in body["message"] and "tianshan_bureau" in body["message"]
    page = login("tianshan_clerk").text(f"/disposalview/show/{pk}")
    assert 'id="workflow-waiting"' in page and "tianshan_bureau" in page


def test_the_decision_says_what_it_changed(app, api_client, login):
    pk, assets, body = submitted_disposal(app, api_client)
    assert body["effects"] == ["2 张资产卡片状态改为“待处置”"]
    reviewed = api_client("tianshan_bureau").post(f"{API}/{pk}/workflow/approve", json={"comment": "同意"})
    # 9,600 元 reaches the demo's finance threshold: the bureau's approval changes no card yet and
    # names 天山区财政局's reviewer next (Art. 19, 同级财政部门)
    assert reviewed.status_code == 200 and reviewed.get_json()["effects"] == []
    assert [d["username"] for d in reviewed.get_json()["next_deciders"]] == ["tianshan_fin_reviewer"]
    decided = api_client("tianshan_fin_reviewer").post(f"{API}/{pk}/workflow/approve",
                                                       json={"comment": "同意"})
    assert decided.status_code == 200, decided.get_json()
    result = decided.get_json()
    assert result["effects"] == ["2 张资产卡片状态改为“已处置”"]
    summary = r"CZ-\d{4}-\d{5} 已批准，当前状态：已批准；2 张资产卡片状态改为“已处置”"
    assert re.match(summary, result["message"]), result["message"]
    assert result["next_deciders"] == []
    assert statuses(app, *assets) == {"disposed"}
    # on the screen, the same summary is the success message
    other = make_disposal(app, make_asset(app))
    login("tianshan_clerk").post(f"/disposalview/workflow/{other}/submit", data={"comment": "请审批"})
    html = login("tianshan_bureau").post(f"/disposalview/workflow/{other}/approve", data={"comment": "同意"},
                                       follow_redirects=True).get_data(as_text=True)
    assert "1 张资产卡片状态改为“已处置”" in html


def test_approving_a_stocktake_says_the_cards_changed(app, api_client, login):
    """A stocktake of its own (the demo's waits for the bureau in other tests): one card lost,
    one with a new status, counted and submitted by the clerk."""
    from tests.plugins.assets.test_stocktake import TIANSHAN, count_form, lines_of, open_stocktake, pick

    with app.app_context():
        org_id = db.session.execute(select(Organization.id).where(Organization.name == TIANSHAN)).scalar_one()
    pk = open_stocktake(app, login, org_id)
    lines = lines_of(app, pk)
    lost, changed, _moved = pick(lines)
    clerk = login("tianshan_clerk")
    clerk.post(f"/stocktakeview/count/{pk}", data=count_form(lines, loss=[lost["id"]],
                                                              status={changed["id"]: "lent"}))
    assert clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/submit", json={}).status_code == 200
    result = api_client("urumqi_bureau").post(f"/api/v1/asset_stocktake/{pk}/workflow/approve",
                                              json={"comment": "同意按盘点结果调整"})
    assert result.status_code == 200, result.get_json()
    effects = result.get_json()["effects"]
    assert effects and all("资产卡片" in effect for effect in effects)
    assert any(re.match(r"\d+ 张资产卡片按盘点结果调整", effect) for effect in effects)


def test_only_the_submitter_withdraws_and_only_with_a_reason(app, api_client, login):
    pk, assets, _body = submitted_disposal(app, api_client)
    bureau = api_client("tianshan_bureau").post(f"{API}/{pk}/workflow/withdraw", json={"comment": "我来撤回"})
    assert bureau.status_code == 403 and "只有提交人可以撤回" in bureau.get_json()["message"]
    assert 'data-action="withdraw"' not in login("tianshan_bureau").text(f"/disposalview/show/{pk}")
    clerk = api_client("tianshan_clerk")
    bare = clerk.post(f"{API}/{pk}/workflow/withdraw", json={})
    assert bare.status_code == 422 and "“撤回”时必须填写意见" in bare.get_json()["message"]
    assert statuses(app, *assets) == {"pending_disposal"}  # refused: nothing changed
    done = clerk.post(f"{API}/{pk}/workflow/withdraw", json={"comment": "补充评估报告"})
    assert done.status_code == 200 and done.get_json()["state"] == "draft"
    assert done.get_json()["effects"] == ["2 张资产卡片状态改为“在用”"]
    refused = api_client("tianshan_bureau").post(f"{API}/{pk}/workflow/reject", json={})
    assert refused.status_code == 409  # a draft is not decided; a reason is required for 退回 anyway


def test_buttons_ask_first_in_chinese_and_do_not_look_alike(app, api_client, login):
    pk, _assets, _body = submitted_disposal(app, api_client)
    bureau = login("tianshan_bureau").text(f"/disposalview/show/{pk}")
    approve = re.search(r'<button[^>]*data-action="approve"[^>]*>', bureau, re.S).group(0)
    reject = re.search(r'<button[^>]*data-action="reject"[^>]*>', bureau, re.S).group(0)
    assert "btn-primary" in approve and "btn-warning" in reject
    assert 'data-confirm="确定批准' in approve and "批准后立即生效" in approve
    assert 'data-confirm="确定退回' in reject and 'data-comment-required="true"' in reject
    assert 'id="workflow-confirm"' in bureau and "取消" in bureau and "workflow.js" in bureau
    assert "退回（机关事务管理部门审批）时必须填写意见（理由）" in bureau  # a staged approval since issue 11
    clerk = login("tianshan_clerk").text(f"/disposalview/show/{pk}")
    withdraw = re.search(r'<button[^>]*data-action="withdraw"[^>]*>', clerk, re.S).group(0)
    assert "btn-default" in withdraw and "btn-danger" not in withdraw
    assert 'data-confirm="确定撤回' in withdraw and "撤回时必须填写意见（理由）" in clerk


def test_states_are_colour_coded_in_the_list(app, api_client, login):
    pk, _assets, _body = submitted_disposal(app, api_client)
    html = login("tianshan_bureau").text("/disposalview/list/")
    assert ('<span class="label label-info workflow-state" data-state="submitted">'
            '已提交，待机关事务管理部门审批</span>') in html
    # the demo's approved application, green
    assert 'class="label label-success workflow-state" data-state="approved"' in html
    assert ">submitted<" not in html


# --- one numbering scheme: prefix, year, sequence -----------------------------------------------


def beijing_year() -> int:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).year


def test_a_submission_is_numbered_once_by_type_year_and_sequence(app, api_client, login):
    draft = make_disposal(app, make_asset(app))
    listed = login("tianshan_clerk").text("/disposalview/list/")
    assert f"草稿 {draft}" in listed  # a draft has no number yet
    pk, _assets, body = submitted_disposal(app, api_client)
    number = body["number"]
    match = re.fullmatch(rf"CZ-{beijing_year()}-(\d{{5}})", number)
    assert match, number
    clerk = api_client("tianshan_clerk")
    clerk.post(f"{API}/{pk}/workflow/withdraw", json={"comment": "补充"})
    again = clerk.post(f"{API}/{pk}/workflow/submit", json={"comment": "再次提交"}).get_json()
    assert again["number"] == number  # withdrawing and submitting again keeps it
    _other, _assets, following = submitted_disposal(app, api_client)
    assert following["number"] == f"CZ-{beijing_year()}-{int(match.group(1)) + 1:05d}"
    page = login("tianshan_clerk").text(f"/disposalview/show/{pk}")
    assert f"编号：{number}" in page
    assert number in login("tianshan_clerk").text("/disposalview/list/")
    # the stocktake's 盘点单号 is the same scheme, and 报表中心 finds it by that number
    with app.app_context():
        stocktake = db.session.execute(select(Stocktake).where(Stocktake.state != "draft")
                                       .order_by(Stocktake.id)).scalars().first()
        stocktake_number = stocktake.number
    assert re.fullmatch(r"PD-\d{4}-\d{5}", stocktake_number), stocktake_number
    sheet = login("tianshan_clerk").api("POST", "/api/v1/reports/stocktake_sheet/render",
                                        json={"params": {"stocktake": stocktake_number}})
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    # and its picker finds it by that number too
    picked = login("tianshan_clerk").get(
        f"/reports/stocktake_sheet/records/stocktake?q={stocktake_number}").get_json()["results"]
    assert [r["text"] for r in picked] == [stocktake_number]


def test_the_prefix_is_configurable_per_type(app, api_client):
    app.config["APPROVAL_NUMBER_PREFIXES"] = {"disposal": "ZCCZ"}
    try:
        _pk, _assets, body = submitted_disposal(app, api_client)
    finally:
        del app.config["APPROVAL_NUMBER_PREFIXES"]
    assert re.fullmatch(rf"ZCCZ-{beijing_year()}-\d{{5}}", body["number"]), body["number"]


def test_a_model_names_its_own_papers_and_the_operator_still_overrides(app, api_client):
    """A plugin declares ``document_prefix`` on its model; APPROVAL_NUMBER_PREFIXES still wins."""
    from plugins.assets.disposal.models import Disposal

    Disposal.document_prefix = "ZZ"
    try:
        _pk, _assets, body = submitted_disposal(app, api_client)
        assert re.fullmatch(rf"ZZ-{beijing_year()}-\d{{5}}", body["number"]), body["number"]
        app.config["APPROVAL_NUMBER_PREFIXES"] = {"disposal": "ZCCZ"}
        _pk, _assets, body = submitted_disposal(app, api_client)
        assert body["number"].startswith("ZCCZ-"), body["number"]
    finally:
        del Disposal.document_prefix
        app.config.pop("APPROVAL_NUMBER_PREFIXES", None)


def test_concurrent_submissions_never_share_a_number(app):
    """Eight transactions draw from one counter at once: eight different, consecutive numbers."""
    drawn, errors, start = [], [], threading.Barrier(8)

    def draw():
        try:
            with app.app_context():
                with db.engine.connect() as connection:
                    start.wait(timeout=30)
                    from sqlalchemy.orm import Session

                    with Session(bind=connection) as session:
                        drawn.append(next_sequence(session, "concurrency_test", 2026))
                        session.commit()
                    connection.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # one writer at a time: a busy database may refuse
            assert len(drawn) + len(errors) == 8 and len(set(drawn)) == len(drawn)
            return
    assert not errors, errors
    assert sorted(drawn) == list(range(min(drawn), min(drawn) + 8)), drawn


def test_existing_documents_are_numbered_from_their_history(tmp_path):
    """Migration a7c3d9e1f2b4 numbers every document submitted before it, by first submission."""
    import sqlalchemy as sa

    from core.testing.support import make_app

    app = make_app(f"sqlite:///{tmp_path / 'numbers.db'}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade", "5e55a1b2c3d4"])
    assert result.exit_code == 0, result.output
    events = [  # (entity, id, action, UTC time): a disposal resubmitted, one on New Year's Eve in Beijing
        ("disposal", "7", "submit", "2025-03-01 09:00:00"),
        ("disposal", "7", "withdraw", "2025-03-02 09:00:00"),
        ("disposal", "7", "submit", "2025-03-03 09:00:00"),
        ("disposal", "3", "submit", "2025-05-01 09:00:00"),
        ("disposal", "9", "submit", "2025-12-31 17:00:00"),  # 2026-01-01 01:00 in Beijing
        ("asset_stocktake", "2", "submit", "2025-04-01 09:00:00"),
        ("asset_plan", "5", "approve", "2025-04-01 09:00:00"),  # never submitted: no number
    ]
    with app.app_context():
        with db.engine.begin() as connection:
            for entity, entity_id, action, at in events:
                connection.execute(sa.text(
                    "INSERT INTO core_workflow_event (entity, entity_id, action, from_state, to_state, "
                    "username, at) VALUES (:e, :i, :a, 'draft', 'submitted', 'clerk', :at)"),
                    {"e": entity, "i": entity_id, "a": action, "at": at})
    result = runner.invoke(args=["db", "upgrade", "a7c3d9e1f2b4"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as connection:
            numbers = dict(((e, i), n) for e, i, n in connection.execute(sa.text(
                "SELECT entity, entity_id, number FROM core_document_number")))
            counters = set(connection.execute(sa.text(
                "SELECT entity, year, last FROM core_document_counter")).all())
        db.engine.dispose()
    assert numbers == {("disposal", "7"): "CZ-2025-00001", ("disposal", "3"): "CZ-2025-00002",
                       ("disposal", "9"): "CZ-2026-00001", ("asset_stocktake", "2"): "PD-2025-00001"}
    assert counters == {("disposal", 2025, 2), ("disposal", 2026, 1), ("asset_stocktake", 2025, 1)}
