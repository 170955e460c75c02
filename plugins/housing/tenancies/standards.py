"""The standards tenancies read (Art. 25, "其他保障性租赁住房管理工作按照有关规定执行": the local
rules on who may live in turnover housing, for how long and at what rent). Each is keyed by the
unit kind (周转住房 / 人才公寓); every number a rule reads is one of these."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind
from plugins.housing.tenancies.models import (
    CHECKOUT_DAYS,
    ELIGIBILITY_YEARS,
    RENEWALS_MAX,
    RENT_PER_M2,
    TENANCY_MONTHS,
)
from plugins.housing.units.models import UNIT_KINDS


def _kinds():
    return list(UNIT_KINDS.items())


def standard_kinds() -> list[StandardKind]:
    common = dict(articles=(25,), key_label=_l("房源类型"), key_choices=_kinds)
    return [
        StandardKind(
            kind=ELIGIBILITY_YEARS,
            label=_l("周转住房申请资格年限"),
            unit="年",
            stricter="lower",
            description=_l("调入或录用之日起该年限内方可申请入住；超过的申请不予受理"),
            **common,
        ),
        StandardKind(
            kind=TENANCY_MONTHS,
            label=_l("周转住房最长租期"),
            unit="月",
            stricter="lower",
            description=_l("一次配租或一次续租的最长期限（周转住房为临时性住房）"),
            **common,
        ),
        StandardKind(
            kind=RENT_PER_M2,
            label=_l("周转住房租金标准"),
            unit="元/平方米·月",
            description=_l("月租金 = 建筑面积 × 租金标准，配租时自动计算，不得手工填写"),
            **common,
        ),
        StandardKind(
            kind=RENEWALS_MAX,
            label=_l("周转住房续租次数上限"),
            unit="次",
            stricter="lower",
            description=_l("一次租住最多可续租的次数"),
            **common,
        ),
        StandardKind(
            kind=CHECKOUT_DAYS,
            label=_l("周转住房退房期限"),
            unit="天",
            stricter="lower",
            description=_l("租期届满后应在该天数内退房，逾期未退房的列为超期占用"),
            **common,
        ),
    ]
