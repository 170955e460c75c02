"""The flow of a reception (Art. 34): a reception without 公函 is refused and one with it produces
its 接待清单; completion posts 30217 公务接待费 to the expenditure ledger, voiding takes it back."""

from __future__ import annotations

from sqlalchemy import select

from catalog.expenditures import RECEPTION, Expenditure
from core.extensions import db
from plugins.receptions.requests.models import ReceptionSettlement
from tests.plugins.receptions.helpers import (
    approved_reception,
    attach_letter,
    decide_form,
    make_reception,
    pdf_text,
    state_of,
    submit_api,
)


def _postings(app, pk):
    with app.app_context():
        rows = (
            db.session.execute(
                select(Expenditure).where(Expenditure.source_type == "reception", Expenditure.source_id == pk)
            )
            .scalars()
            .all()
        )
        return [
            dict(
                code=r.economic_class.code,
                amount=str(r.amount),
                person_times=r.person_times,
                batch=r.batch,
                module=r.source_module,
                number=r.source_number,
            )
            for r in rows
        ]


def _settle(clerk, pk, **costs):
    body = {
        "reception_id": pk,
        "meals_cost": "600",
        "lodging_cost": "0",
        "transport_cost": "80",
        "other_cost": "20",
        **costs,
    }
    response = clerk.api("POST", "/api/v1/reception_settlement/", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_art34_without_letter_refused_with_letter_approved_completed_posted_and_printed(
    app, api_client, login
):
    """The done-when of issue 12 item 9: no 公函, no reception; with it, its 接待清单."""
    pk = make_reception(app, "公函测试来访单位", guests=3, companions=2, meals=[("lunch", 5, "80")])
    clerk = api_client("tianshan_clerk")
    refused = submit_api(clerk, pk)
    assert refused.status_code == 422
    message = refused.get_json()["message"]
    assert "无公函的公务活动一律不予接待" in message and "第三十四条" in message
    assert state_of(app, pk) == "draft"

    assert attach_letter(clerk, pk).status_code == 201
    submitted = submit_api(clerk, pk)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["number"].startswith("JD-")
    # the bureau of 天山区 decides (the host's own level), not the clerk
    assert submit_api(clerk, pk, "approve", "同意").status_code == 403
    html = decide_form(login("tianshan_bureau"), pk, "approve", "同意")
    assert state_of(app, pk) == "approved", html

    settlement = _settle(clerk, pk)
    done = clerk.api(
        "POST", f"/api/v1/reception_settlement/{settlement}/complete", json={"completed_on": "2026-11-04"}
    )
    assert done.status_code == 200, done.get_json()
    [posted] = _postings(app, pk)
    assert posted["code"] == RECEPTION == "30217"
    assert posted["amount"] == "700.00" and posted["person_times"] == 3 and posted["batch"] is True
    assert posted["module"] == "receptions" and posted["number"].startswith("JD-")

    printed = login("tianshan_clerk").get(f"/reports/reception_list/print?reception_id={pk}")
    assert printed.status_code == 200, printed.get_data(as_text=True)[:500]
    text = pdf_text(printed.data)
    for expected in (
        "接待清单",
        "公函测试来访单位",
        "来宾0",
        "测试公务活动",
        "测试会议室",
        "700.00",
        "经办人",
        "审批人",
        "接待单位负责人",
    ):
        assert expected in text, expected

    # 作废 of the settlement withdraws the posting (Art. 34: money recorded is voided, not deleted)
    voided = clerk.api(
        "POST", f"/api/v1/reception_settlement/{settlement}/void", json={"reason": "金额录入错误"}
    )
    assert voided.status_code == 200, voided.get_json()
    assert _postings(app, pk) == []
    with app.app_context():
        assert db.session.get(ReceptionSettlement, settlement).voided_at is not None


def test_art34_settlement_only_for_an_approved_reception(app, api_client):
    pk = make_reception(app, "未批准结算单位")
    response = api_client("tianshan_clerk").api(
        "POST", "/api/v1/reception_settlement/", json={"reception_id": pk, "meals_cost": "100"}
    )
    assert response.status_code == 422
    assert "尚未批准" in response.get_json()["message"] and "第三十四条" in response.get_json()["message"]


def test_art34_completion_is_an_operation_not_a_field(app, api_client, login):
    """接待完成/结算 posts the money; a create or an edit cannot mark a settlement completed."""
    pk = approved_reception(app, api_client, login, "字段结算单位")
    clerk = api_client("tianshan_clerk")
    response = clerk.api(
        "POST",
        "/api/v1/reception_settlement/",
        json={"reception_id": pk, "meals_cost": "100", "completed": True, "completed_on": "2026-11-04"},
    )
    assert response.status_code in (400, 422), response.get_json()
    settlement = _settle(clerk, pk)
    response = clerk.api("PUT", f"/api/v1/reception_settlement/{settlement}", json={"completed": True})
    assert response.status_code in (400, 422), response.get_json()
    assert _postings(app, pk) == []
    # a second live settlement of the same reception is refused (Art. 34: settled once, as approved)
    response = clerk.api(
        "POST", "/api/v1/reception_settlement/", json={"reception_id": pk, "meals_cost": "1"}
    )
    assert response.status_code == 422 and "已有接待结算" in response.get_json()["message"]


def test_art34_submit_refused_on_the_page_names_the_article(app, login):
    pk = make_reception(app, "页面公函测试单位")
    html = decide_form(login("tianshan_clerk"), pk, "submit")
    assert "无公函的公务活动一律不予接待" in html and "第三十四条" in html
    assert state_of(app, pk) == "draft"


def test_art34_ledger_counts_batches_person_times_and_amount(app, api_client):
    """公务接待台账 over REST: the demo's completed reception of 天山区财政局 (3 guests, 970 元) is on it."""
    response = api_client("tianshan_clerk").api(
        "POST",
        "/api/v1/reports/reception_ledger/render",
        json={"params": {"start": "2026-11-01", "end": "2026-11-30"}},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    assert "公务接待台账" in text and "伊犁州财政局" in text and "970.00" in text
    assert "和田地区财政局" not in text  # Kashgar's is not in 天山区财政局's scope


def test_art34_home_page_counts_approved_receptions_not_settled(app, api_client, login):
    from core.scoping import scope_for_user
    from plugins.receptions.requests.dashboard import unsettled

    def count():
        with app.app_context():
            return unsettled(scope_for_user(app.appbuilder.sm.find_user(username="tianshan_clerk")))

    before = count()
    pk = approved_reception(app, api_client, login, "待结算计数单位")
    assert count() == before + 1
    clerk = api_client("tianshan_clerk")
    settlement = _settle(clerk, pk)
    assert (
        clerk.api("POST", f"/api/v1/reception_settlement/{settlement}/complete", json={}).status_code == 200
    )
    assert count() == before
