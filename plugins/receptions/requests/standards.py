"""The standards receptions read (Art. 11, 34): companions, meals, lodging."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind
from plugins.receptions.hotels.models import ROOM_TYPES
from plugins.receptions.requests.models import COMPANION_CAP, LODGING_CAP, MEAL_CAP, MEAL_KINDS

COMPANION_KEYS = {
    "small_group_max": _l("小规模接待对象人数上限（人）"),
    "small_group_companions": _l("小规模接待陪餐人数上限（人）"),
    "large_group_ratio": _l("超过小规模时陪餐人数占接待对象的比例上限"),
}


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(
            kind=COMPANION_CAP, label=_l("公务接待陪餐人数上限"), unit="人", articles=(34,),
            description=_l("接待对象在小规模人数以内的，陪餐不超过规定人数；超过的，不超过接待对象的规定比例"
                           "（国内公务接待管理规定第九条）"),
            stricter="lower", key_label=_l("指标"), key_choices=lambda: list(COMPANION_KEYS.items()),
        ),
        StandardKind(
            kind=MEAL_CAP, label=_l("公务接待工作餐标准"), unit="元/人·餐", articles=(34,),
            description=_l("接待工作餐每人每餐的最高费用（含酒水）"),
            stricter="lower", key_label=_l("餐别"), key_choices=lambda: list(MEAL_KINDS.items()),
        ),
        StandardKind(
            kind=LODGING_CAP, label=_l("公务接待住宿标准"), unit="元/间·天", articles=(34,),
            description=_l("接待住宿每间每天的最高价格，按房型核定；并且不得高于定点酒店协议价"),
            stricter="lower", key_label=_l("房型"), key_choices=lambda: list(ROOM_TYPES.items()),
        ),
    ]
