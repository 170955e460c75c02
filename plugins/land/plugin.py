"""Hook implementations of the land module, and nothing else (the walk-through in docs/plugins.md).

One area, ``parcels``; its rooms have the entry points every plugin's areas have
(``entity_types()``, ``view_specs(common)``, ``RULES``, ``operations()``, ``reports()``,
``load(ctx)``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Module, StandardKind, area_rooms, hookimpl

MENU = "Land"
AREAS = ("parcels",)


def _room(room: str) -> list:
    return area_rooms("plugins.land", AREAS, room)


@hookimpl
def register_module():
    return Module(
        key="land", label=_l("土地管理"), version="0.1.0", depends=("catalog",),
        articles=(20, 21, 43), description=_l("宗地台账、确权登记进度、权利人登记"),
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    return [entity for area in _room("schemas") for entity in area.entity_types()]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=_l("土地管理"), category_icon="fa-map-o")
    return [spec for area in _room("views") for spec in area.view_specs(common)]


@hookimpl
def register_rules():
    return [rule for area in _room("rules") for rule in area.RULES]


@hookimpl
def register_operations():
    return [op for area in _room("operations") for op in area.operations()]


@hookimpl
def register_reports():
    return [report for area in _room("reports") for report in area.reports()]


@hookimpl
def register_standard_kinds():
    return [
        StandardKind(kind="land_registration_target", label=_l("土地确权登记完成率目标"),
                     unit="%", articles=(21,), key_label=_l("指标"),
                     description=_l("本辖区已登记宗地应达到的占比"), stricter="higher",
                     key_choices=lambda: [("share", _l("已登记宗地占比"))]),
    ]


@hookimpl
def load_demo_data(ctx):
    for area in _room("demo"):
        area.load(ctx)


@hookimpl
def register_dashboard_items():
    return [item for area in _room("dashboard") for item in area.dashboard_items()]
