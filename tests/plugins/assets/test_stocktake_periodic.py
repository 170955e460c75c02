"""定期清查盘点 (《办法》第十八条): an organisation holding assets without an approved stocktake within
the period of the standard ``asset_stocktake_period`` (demo value: 12 months) gets one finding,
opened by the periodic check ``jiguan assets stocktake-check`` and closed by the approval of a
stocktake (issue 11, item 9). Each test makes an organisation of its own, with a card.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy import delete, select

from catalog.demo import make_uscc
from catalog.models import Jurisdiction, Organization
from core.display import local_today
from core.extensions import db
from core.models import Finding
from core.scoping import SYSTEM, acting_as
from core.workflow.approval import transition
from plugins.assets.cards.models import Asset
from plugins.assets.stocktake.models import Stocktake
from tests.plugins.assets.helpers import equipment_class

RULE = "assets.stocktake_periodic"
_serial = itertools.count(1)


def organisation_with_a_card(app) -> int:
    with app.app_context(), acting_as(SYSTEM):
        n = next(_serial)
        tianshan = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650102")).scalar_one()
        org = Organization(name=f"测试定期盘点单位{n}-{dt.datetime.now():%H%M%S%f}",
                           uscc=make_uscc("1", "1", "650102", f"PD{n:03d}{dt.datetime.now():%M%S}"[:9]),
                           org_type="party_government", jurisdiction=tianshan)
        db.session.add(org)
        db.session.add(Asset(number=f"T-PD-{n}-{dt.datetime.now():%H%M%S%f}", asset_class=equipment_class(),
                             name="台式计算机", quantity=1, unit="台", original_value=Decimal(4000),
                             acquired_on=dt.date(2024, 1, 1), acquisition_method="existing", organization=org,
                             jurisdiction=tianshan, status="in_use"))
        db.session.commit()
        return org.id


def approved_stocktake(app, org_id, day: dt.date) -> list[str]:
    """A stocktake of the organisation counted on ``day``, approved by the system; the approval's effects."""
    with app.app_context(), acting_as(SYSTEM):
        stocktake = Stocktake(organization_id=org_id, planned_on=day, counted_on=day, note="测试盘点")
        db.session.add(stocktake)
        db.session.flush()
        for line in stocktake.lines:
            line.found = True
        db.session.flush()
        transition(stocktake, "submit", "盘点完成")
        event = transition(stocktake, "approve", "同意")
        db.session.commit()
        return list(getattr(event, "effects", None) or [])


def open_findings(app, org_id) -> list[Finding]:
    with app.app_context():
        rows = db.session.execute(select(Finding).where(
            Finding.entity == "organization", Finding.entity_id == str(org_id), Finding.rule_key == RULE,
            Finding.status == "open")).scalars().all()
        db.session.expunge_all()
        return list(rows)


def test_art18_no_stocktake_opens_one_finding_and_no_duplicate(app, cli, login):
    """第十八条: never counted → one finding naming the period; the check run again adds none."""
    org = organisation_with_a_card(app)
    result = cli("assets", "stocktake-check", "--organization", str(org))
    assert result.exit_code == 0, result.output
    assert "新增 1 条" in result.output
    [finding] = open_findings(app, org)
    assert finding.article == 18 and finding.module == "assets"
    assert "从未完成经批准的清查盘点" in finding.message and "12 个月的定期清查盘点周期" in finding.message
    again = cli("assets", "stocktake-check", "--organization", str(org))
    assert "新增 0 条" in again.output and len(open_findings(app, org)) == 1
    # the bureau of the jurisdiction reads it on 问题清单
    listing = "/findingview/list/?psize_FindingView=100&_oc_FindingView=id&_od_FindingView=desc"
    assert finding.message in login("urumqi_bureau").text(listing)


def test_art18_approving_a_stocktake_closes_the_finding(app, cli):
    """第十八条: the approval of a stocktake closes the organisation's finding at once, and says so."""
    org = organisation_with_a_card(app)
    cli("assets", "stocktake-check", "--organization", str(org))
    assert len(open_findings(app, org)) == 1
    effects = approved_stocktake(app, org, local_today())
    assert open_findings(app, org) == []
    with app.app_context():
        closed = db.session.execute(select(Finding).where(
            Finding.entity == "organization", Finding.entity_id == str(org), Finding.rule_key == RULE)
        ).scalar_one()
        assert closed.status == "resolved" and closed.closed_at is not None
    assert any("未按期清查盘点”问题已自动关闭" in str(e) for e in effects), effects
    assert "新增 0 条" in cli("assets", "stocktake-check", "--organization", str(org)).output


def test_art18_a_stocktake_older_than_the_period_is_overdue(app, cli):
    """第十八条: a stocktake 13 months ago is past the 12-month standard; checked 11 months after a
    stocktake, the organisation is not overdue."""
    org = organisation_with_a_card(app)
    today = local_today()
    counted = today - dt.timedelta(days=200)
    approved_stocktake(app, org, counted)
    assert "新增 0 条" in cli("assets", "stocktake-check", "--organization", str(org)).output
    later = (counted + dt.timedelta(days=400)).isoformat()
    result = cli("assets", "stocktake-check", "--organization", str(org), "--today", later)
    assert "新增 1 条" in result.output
    [finding] = open_findings(app, org)
    assert f"最近一次为 {counted.isoformat()}" in finding.message


def test_art18_the_whole_sweep_flags_organisations_holding_assets(app, cli):
    """第十八条: the check without --organization looks at every organisation holding assets (the demo's
    天山区财政局 has no approved stocktake) and at none without assets."""
    org = organisation_with_a_card(app)
    with app.app_context():
        before = set(db.session.execute(select(Finding.id).where(Finding.rule_key == RULE)).scalars())
        tianshan = db.session.execute(select(Organization.id).where(
            Organization.name == "乌鲁木齐市天山区财政局")).scalar_one()
        empty = db.session.execute(select(Organization.id).where(
            Organization.id.not_in(select(Asset.organization_id)))).scalars().first()
    try:
        result = cli("assets", "stocktake-check")
        assert result.exit_code == 0, result.output
        assert len(open_findings(app, org)) == 1
        assert len(open_findings(app, tianshan)) == 1 or _approved_recently(app, tianshan)
        if empty is not None:
            assert open_findings(app, empty) == []
    finally:  # leave the demo's 问题清单 as other tests expect it
        with app.app_context():
            db.session.execute(delete(Finding).where(Finding.rule_key == RULE, Finding.id.not_in(before)))
            db.session.commit()


def _approved_recently(app, org_id) -> bool:
    with app.app_context():
        return db.session.execute(select(Stocktake.id).where(
            Stocktake.organization_id == org_id, Stocktake.state == "approved")).first() is not None
