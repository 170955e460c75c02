"""The standards the repairs area reads (Art. 23): the interval between major repairs of a building.
Every number a rule reads is one of these, never a literal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind

MAJOR_REPAIR_INTERVAL = "office_major_repair_interval"
#: the one key: every office building of the jurisdiction
ALL_BUILDINGS = "all"


def _keys():
    return [(ALL_BUILDINGS, _l("各类办公用房"))]


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(
            kind=MAJOR_REPAIR_INTERVAL,
            label=_l("办公用房大中修间隔年限"),
            unit="年",
            articles=(23,),
            stricter="higher",
            key_label=_l("适用范围"),
            key_choices=_keys,
            description=_l(
                "同一办公楼两次大中修之间的最短年限，自最近一次大中修（无则自建成）之年起算；"
                "未满年限的大中修申请不予受理，消除安全隐患的除外（提示审批部门关注）"
            ),
        ),
    ]
