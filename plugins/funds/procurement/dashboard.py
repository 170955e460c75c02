"""Home-page card of government procurement: the records with an open Art. 14 finding."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, select

from core.api import DashboardCard, db, scoped
from core.models import Finding
from plugins.funds.procurement.models import ProcurementRecord


def flagged(scope) -> int:
    """Live records of the viewer's scope with an open procurement finding (Art. 14)."""
    query = (select(func.count(func.distinct(ProcurementRecord.id))).join(
        Finding, (Finding.entity == "procurement_record")
        & (Finding.entity_id == cast(ProcurementRecord.id, String)))
        .where(Finding.status == "open", Finding.rule_key.like("funds.procurement_%"),
               ProcurementRecord.voided_at.is_(None)))
    return db.session.execute(scoped(query, ProcurementRecord, scope)).scalar_one()


def dashboard_items() -> list:
    return [DashboardCard("funds_procurement_flagged", _l("疑似违规的政府采购（第十四条）"), flagged,
                          endpoint="ProcurementRecordView.list")]
