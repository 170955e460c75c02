"""The standard the idle-space area reads (Art. 24): how long a room may stay unallocated before it
is idle office space to be reused or disposed of in time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind

IDLE_DAYS = "office_idle_days"
ALL_ROOMS = "all"


def _keys():
    return [(ALL_ROOMS, _l("各类办公用房房间"))]


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(
            kind=IDLE_DAYS,
            label=_l("办公用房闲置认定天数"),
            unit="天",
            articles=(24,),
            stricter="lower",
            key_label=_l("适用范围"),
            key_choices=_keys,
            description=_l("房间未配置超过该天数即为闲置办公用房，列入闲置办公用房清单并提示及时处置利用"),
        ),
    ]
