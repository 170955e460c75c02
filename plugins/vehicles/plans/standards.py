"""The standards the acquisition and renewal plan reads (Art. 28): caps by category, renewal
thresholds, the new-energy share target."""

from __future__ import annotations

import csv

from flask_babel import lazy_gettext as _l

from catalog.vehicle_categories import VEHICLE_CATEGORIES_CSV
from core.api import StandardKind
from plugins.vehicles.plans.models import (
    ALL_KEY,
    DISPLACEMENT_CAP,
    NEW_ENERGY_SHARE,
    PRICE_CAP,
    RENEWAL_KM,
    RENEWAL_YEARS,
)


def category_keys() -> list[tuple[str, str]]:
    """The shipped categories (code, name): the keys of the caps."""
    with open(VEHICLE_CATEGORIES_CSV, encoding="utf-8") as handle:
        return [(row["code"].strip(), row["name"].strip()) for row in csv.DictReader(handle)]


def _all():
    return [(ALL_KEY, _l("全部公务用车"))]


def standard_kinds() -> list[StandardKind]:
    return [
        StandardKind(
            kind=PRICE_CAP, label=_l("公务用车购置价格上限"), unit="元", articles=(28,),
            description=_l("每辆车的购置价格上限，按车辆类别核定；配备更新计划的单价不得超过"),
            stricter="lower", key_label=_l("车辆类别"), key_choices=category_keys,
        ),
        StandardKind(
            kind=DISPLACEMENT_CAP, label=_l("公务用车排量上限"), unit="升", articles=(28,),
            description=_l("燃油及混合动力车辆的排量上限，按车辆类别核定；纯电动、燃料电池汽车不适用"),
            stricter="lower", key_label=_l("车辆类别"), key_choices=category_keys,
        ),
        StandardKind(
            kind=RENEWAL_YEARS, label=_l("公务用车更新年限"), unit="年", articles=(28,),
            description=_l("车辆使用满该年限（或行驶满更新里程）方可列入更新计划，否则提示审核"),
            stricter="higher", key_label=_l("适用范围"), key_choices=_all,
        ),
        StandardKind(
            kind=RENEWAL_KM, label=_l("公务用车更新里程"), unit="公里", articles=(28,),
            description=_l("车辆行驶满该里程（或使用满更新年限）方可列入更新计划，否则提示审核"),
            stricter="higher", key_label=_l("适用范围"), key_choices=_all,
        ),
        StandardKind(
            kind=NEW_ENERGY_SHARE, label=_l("新能源汽车配备比例目标"), unit="%", articles=(28,),
            description=_l("配备更新计划中新能源汽车占车辆数的最低比例；低于目标的计划提示审核"),
            stricter="higher", key_label=_l("指标"),
            key_choices=lambda: [(ALL_KEY, _l("新能源汽车占配备更新车辆的比例"))],
        ),
    ]
