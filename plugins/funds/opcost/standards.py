"""Standards the operating-cost evaluation reads (Art. 15): weights, targets, grade thresholds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind
from plugins.funds.opcost.scoring import GRADE_KIND, INDICATORS, TARGET_KIND, WEIGHT_KIND

GRADE_LABELS = {"excellent": _l("优秀（不低于）"), "good": _l("良好（不低于）"), "pass": _l("合格（不低于）")}


def _indicators():
    return [(key, label) for key, (label, _unit) in INDICATORS.items()]


def _grades():
    return list(GRADE_LABELS.items())


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(kind=WEIGHT_KIND, label=_l("机关运行成本绩效评价指标权重"), unit="分", articles=(15,),
                     key_label=_l("评价指标"), key_choices=_indicators,
                     description=_l("各评价指标的满分；总分按权重合计折算为百分制")),
        StandardKind(kind=TARGET_KIND, label=_l("机关运行成本绩效目标值"), unit="", articles=(15,),
                     key_label=_l("评价指标"), key_choices=_indicators,
                     description=_l("人均运行成本（元/人）、单位面积运行成本（元/m²）的上限，预算执行率（%）"
                                    "的下限，三公经费增长率（%）的上限；达到目标得满分")),
        StandardKind(kind=GRADE_KIND, label=_l("机关运行成本绩效评价等级分数线"), unit="分", articles=(15,),
                     key_label=_l("评价等级"), key_choices=_grades,
                     description=_l("总分达到分数线评为该等级（优秀、良好、合格），低于合格线为不合格")),
    ]
