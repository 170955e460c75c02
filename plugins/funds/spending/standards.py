"""Standard kinds of expenditure claims (Art. 11 开支标准; Art. 10 审批程序 thresholds)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind
from plugins.funds.spending.models import (
    APPROVAL_THRESHOLD,
    GRADES,
    MEETING_RATE,
    PLACES,
    RANKS,
    THRESHOLD_KEYS,
    TRAINING_RATE,
    TRAVEL_RATE,
)


def _grades():
    return list(GRADES.items())


def travel_keys():
    """meal:<place> (伙食补助) and lodging:<place>:<rank> (住宿费)."""
    keys = [(f"meal:{place}", _l("伙食补助：%(place)s", place=label)) for place, label in PLACES.items()]
    keys += [(f"lodging:{place}:{rank}", _l("住宿费：%(place)s %(rank)s", place=label, rank=rank_label))
             for place, label in PLACES.items() for rank, rank_label in RANKS.items()]
    return keys


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(kind=MEETING_RATE, label=_l("会议费开支标准"), unit="元/人·天", articles=(10, 11),
                     description=_l("会议费综合定额，按会议类别，每人每天"), stricter="lower",
                     key_label=_l("会议类别"), key_choices=_grades),
        StandardKind(kind=TRAINING_RATE, label=_l("培训费开支标准"), unit="元/人·天", articles=(10, 11),
                     description=_l("培训费综合定额，按培训类别，每人每天"), stricter="lower",
                     key_label=_l("培训类别"), key_choices=_grades),
        StandardKind(kind=TRAVEL_RATE, label=_l("差旅费开支标准"), unit="元/人·天", articles=(10, 11),
                     description=_l("差旅伙食补助按出差地点，住宿费按出差地点和人员级别，每人每天"),
                     stricter="lower", key_label=_l("地点及项目"), key_choices=travel_keys),
        StandardKind(kind=APPROVAL_THRESHOLD, label=_l("支出审批金额起点"), unit="元", articles=(10,),
                     description=_l("支出申请金额超过该数额的，须经相应环节审批；未设置时该环节均须审批"),
                     stricter="lower", key_label=_l("审批环节"),
                     key_choices=lambda: list(THRESHOLD_KEYS.items())),
    ]
