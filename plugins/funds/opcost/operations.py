"""Operations of the operating-cost report (Art. 15): 计算 (recompute the figures and the
evaluation from the ledger, 编制核定 and the Standards) while it is a draft or returned."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Operation
from plugins.funds.opcost.models import COMPUTED


def _recompute(report, _params):
    from core.api import db
    from plugins.funds.opcost.figures import refresh

    refresh(db.session, report)
    return report


def operations() -> list[Operation]:
    return [
        Operation(key="recompute", label=_l("计算"), entity="funds_opcost_report", run=_recompute,
                  changes=COMPUTED, when=lambda report: report.is_editable,
                  description=_l("按支出台账、编制核定和绩效评价标准计算统计数据和评分（第十五条）"),
                  confirm=_l("将按当前支出台账重新计算；报送时还会再计算一次。")),
    ]
