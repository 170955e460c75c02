"""The per-person office-room standard (Art. 22 配置; 党政机关办公用房建设标准 2014): m² of
办公室用房 per person, by the organ level of the using organisation and the person's rank."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from catalog.models import ORGAN_LEVELS, RANKS
from core.api import StandardKind

#: the Standard kind (catalog) the over-standard rules read
AREA_PER_PERSON = "office_area_per_person"


def standard_key(organ_level: str | None, rank: str | None) -> str:
    return f"{organ_level}:{rank}"


def area_keys() -> list[tuple[str, str]]:
    """Every organ level × rank: the keys of the standard, with their labels."""
    return [(standard_key(level, rank), f"{level_label}·{rank_label}")
            for level, level_label in ORGAN_LEVELS.items() for rank, rank_label in RANKS.items()]


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(
            kind=AREA_PER_PERSON, label=_l("办公室用房人均使用面积标准"), unit="m²", articles=(22,),
            description=_l("按使用单位的机构级别和人员职级核定的每人办公室使用面积上限；"
                           "超过的房间和单位提示超标准配备使用，新的配置调剂不得超标"),
            stricter="lower", key_label=_l("机构级别·职级"), key_choices=area_keys,
        ),
    ]
