"""The demo of expenditure claims (Art. 10-11): every state under way for tianshan_clerk and
kashgar_clerk, approved claims in the ledger, the voided one taken out of it, demo standards
labelled as demo values."""

from __future__ import annotations

from sqlalchemy import select

from catalog.expenditures import Expenditure
from catalog.models import Standard
from core.extensions import db
from plugins.funds.spending.models import ENTITY, ExpenditureClaim


def _claims(app, org_name):
    with app.app_context():
        rows = db.session.execute(select(ExpenditureClaim).where(ExpenditureClaim.purpose.not_like("测试%"))
                                  .join(ExpenditureClaim.organization)).scalars().all()
        return [(c.id, c.state, c.voided_at is not None, c.purpose) for c in rows
                if c.organization.name == org_name]


def test_demo_has_claims_in_every_state_for_both_clerks(app):
    tianshan = _claims(app, "乌鲁木齐市天山区财政局")
    assert {s for _, s, voided, _ in tianshan if not voided} >= {"draft", "submitted", "approved", "rejected"}
    assert any(voided for _, _, voided, _ in tianshan)
    kashgar = _claims(app, "喀什市财政局")
    assert {s for _, s, _, _ in kashgar} >= {"draft", "submitted", "approved"}


def test_demo_ledger_holds_the_approved_claims_not_the_voided_one(app):
    with app.app_context():
        approved = select(ExpenditureClaim).where(ExpenditureClaim.state == "approved")
        claims = db.session.execute(approved).scalars()
        for claim in claims:
            if claim.purpose.startswith("测试"):
                continue
            rows = db.session.execute(select(Expenditure).where(
                Expenditure.source_type == ENTITY, Expenditure.source_id == claim.id)).scalars().all()
            assert len(rows) == (0 if claim.voided_at else 1), claim.purpose
            if rows:
                assert rows[0].source_number == claim.document_number


def test_demo_standards_say_they_are_demo_values(app):
    with app.app_context():
        rows = db.session.execute(select(Standard).where(Standard.kind.like("funds_%"))).scalars().all()
        kinds = {r.kind for r in rows}
        assert {"funds_meeting_rate", "funds_training_rate", "funds_travel_rate",
                "funds_approval_threshold"} <= kinds
        # the demo's own (other tests add region standards of their own, based on “测试”)
        demo = [r for r in rows if r.basis and r.basis != "测试" and r.jurisdiction.code == "650000"]
        assert demo and all("演示数据" in r.basis for r in demo), [r.basis for r in demo]


def test_art11_the_returned_demo_meeting_set_to_its_real_class_is_refused(app, login):
    """The rejected demo claim: 一类 at 700 元/人·天; as a 二类 meeting (650) the save is refused."""
    with app.app_context():
        claim = db.session.execute(select(ExpenditureClaim).where(
            ExpenditureClaim.purpose == "全区财政监督工作会议")).scalar_one()
        assert claim.state == "rejected"
        pk, version = claim.id, claim.version
        data = {"organization": claim.organization_id, "spent_on": claim.spent_on.isoformat(),
                "economic_class": claim.economic_class_id, "amount": "4200", "payee": claim.payee,
                "purpose": claim.purpose, "grade": "class2", "participants": 3, "days": 2, "place": "",
                "rank": "", "version": version}
    html = login("tianshan_clerk").post(f"/expenditureclaimview/edit/{pk}", data=data,
                                        follow_redirects=True).get_data(as_text=True)
    assert "会议费人均每天 700.00 元，超过二类会议标准 650 元/人·天" in html and "第十一条" in html
    with app.app_context():
        assert db.session.get(ExpenditureClaim, pk).grade == "class1"
