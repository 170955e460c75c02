"""The standard kind budgets read: 定员定额标准 (Art. 12)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind
from plugins.funds.budgets.models import QUOTA, class_choices


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(kind=QUOTA, label=_l("定员定额标准"), unit="元/人·年", articles=(12,),
                     description=_l("公用经费按编制人数核定的每人每年定额：部门预算的定员定额明细"
                                    "按 1 月 1 日的编制人数 × 本定额编制"),
                     key_label=_l("支出经济分类"), key_choices=class_choices, stricter="lower"),
    ]
