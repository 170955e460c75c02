"""Art. 12 with the budgets area for real (plugins.funds.budgets.execution): a claim above what
is left on its budget line is refused; an organisation without a line of the class is flagged."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select

from core.extensions import db
from core.models import Finding
from plugins.funds.budgets.execution import available_on_line
from plugins.funds.spending.models import ExpenditureClaim
from tests.plugins.funds.spending_helpers import DAY, class_id, org

API = "/api/v1/funds_spending_claim/"


def _left(app, name, code):
    with app.app_context():
        return available_on_line(db.session, org(name), DAY.year, code)


def test_art12_a_claim_above_its_budget_line_is_refused_with_the_real_budget(app, api_client):
    left = _left(app, "乌鲁木齐市天山区财政局", "30201")
    assert left is not None and left > 0  # the budgets demo's 办公费 line of 天山区财政局
    with app.app_context():
        org_id = org().id
    purpose = f"超预算办公费 {uuid.uuid4().hex[:6]}"
    body = {"organization_id": org_id, "spent_on": DAY.isoformat(),
            "economic_class_id": class_id(app, "30201"), "amount": str(left + Decimal("0.01")),
            "payee": "x", "purpose": purpose}
    response = api_client("tianshan_clerk").post(API, json=body)
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["message"]
    assert f"预算余额 {left:.2f} 元" in message and "超出预算" in message and "第十二条" in message
    with app.app_context():
        same = select(ExpenditureClaim).where(ExpenditureClaim.purpose == purpose)
        assert db.session.execute(same).first() is None


def test_art12_an_organisation_without_a_line_of_the_class_is_flagged(app, api_client):
    # 印刷费 (30202) is no quota item and no centrally run item: no budget of the demo has its line
    assert _left(app, "喀什市财政局", "30202") is None
    with app.app_context():
        org_id = org("喀什市财政局").id
    body = {"organization_id": org_id, "spent_on": DAY.isoformat(),
            "economic_class_id": class_id(app, "30202"), "amount": "100", "payee": "x",
            "purpose": f"无预算项目 {uuid.uuid4().hex[:6]}"}
    response = api_client("kashgar_clerk").post(API, json=body)
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    with app.app_context():
        found = db.session.query(Finding).filter_by(entity="funds_spending_claim", entity_id=str(pk)).all()
        assert [f.rule_key for f in found] == ["funds.budget_line_missing"] and found[0].article == 12
