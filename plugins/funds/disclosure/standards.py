"""Standard kinds of 三公经费 (Art. 13)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import StandardKind
from plugins.funds.disclosure.models import DEADLINE_DAYS, DEADLINE_KEY


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(kind=DEADLINE_DAYS, label=_l("三公经费公开期限"), unit="天", articles=(13,),
                     description=_l("部门预算、决算批复后应在多少日内公开三公经费（预算法第十四条：二十日内）"),
                     key_label=_l("适用范围"), key_choices=lambda: [(DEADLINE_KEY, _l("全部单位"))],
                     stricter="lower"),
    ]
