"""Government procurement (Art. 14): the demo's flags, the 集中采购目录 and the thresholds."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.models import Finding
from plugins.funds.procurement.models import ProcurementRecord


def findings_of(app, record_id, rule=None) -> list[Finding]:
    with app.app_context():
        query = select(Finding).where(Finding.entity == "procurement_record",
                                      Finding.entity_id == str(record_id), Finding.status == "open")
        if rule:
            query = query.where(Finding.rule_key == f"funds.procurement_{rule}")
        rows = list(db.session.execute(query.order_by(Finding.id)).scalars())
        db.session.expunge_all()
        return rows


def test_art14_demo_split_purchase_is_flagged_on_each_part(app):
    """第十四条 化整为零: the demo's three 台式计算机 of 天山区财政局 are each flagged, naming the others."""
    with app.app_context():
        rows = db.session.execute(select(ProcurementRecord.id, ProcurementRecord.number).where(
            ProcurementRecord.item_name == "台式计算机").order_by(ProcurementRecord.purchased_on)).all()
    assert len(rows) == 3
    for record_id, number in rows:
        [finding] = findings_of(app, record_id, "splitting")
        assert finding.article == 14 and "第十四条" in finding.message and "110,100.00" in finding.message
        others = [n for _i, n in rows if n != number]
        assert all(n in finding.message for n in others) and number not in finding.message
