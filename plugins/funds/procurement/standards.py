"""The standards government procurement reads (Art. 14): its thresholds and the splitting period.

One kind, ``funds_procurement_threshold``, keyed by what it measures: 分散采购限额标准 and
公开招标数额标准 per category (goods, services and works differ), and the period in days in
which purchases of the same item are added up (化整为零). Each row gives its unit (元, 天).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind
from plugins.funds.procurement.models import CATEGORIES
from plugins.funds.procurement.splitting import KIND, WINDOW_KEY, threshold_key

WHAT = {"decentralised": _l("分散采购限额标准"), "public_tender": _l("公开招标数额标准")}


def threshold_keys() -> list[tuple[str, str]]:
    keys = [(threshold_key(kind, category), f"{what}（{label}）")
            for kind, what in WHAT.items() for category, label in CATEGORIES.items()]
    return keys + [(WINDOW_KEY, str(_l("化整为零认定期间（天）")))]


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(
            kind=KIND, label=_l("政府采购限额与期间"), unit="元", articles=(14,),
            key_label=_l("项目"), key_choices=threshold_keys,
            # a lower threshold is stricter but a longer period is: no one direction for the kind
            stricter=None,
            description=_l("分散采购限额标准、公开招标数额标准（按货物、服务、工程），以及认定化整为零时"
                           "合并计算同一品目采购的期间（天）"),
        ),
    ]
