"""Hook implementations of the receptions module, and nothing else (the walk-through in docs/plugins.md).

Each area of its work is a package with the rooms every plugin's areas have; this file names
them once and collects each room across them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Module, area_rooms, hookimpl

MENU = "Receptions"
AREAS = ("hotels", "requests")


def _room(room: str) -> list:
    return area_rooms("plugins.receptions", AREAS, room)


@hookimpl
def register_module():
    return Module(
        key="receptions", label=_l("公务接待"), version="0.1.0", depends=("catalog", "funds"),
        articles=(34,), description=_l("公函、接待对象、陪餐人数、用餐住宿标准、接待清单"),
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    return [entity for area in _room("schemas") for entity in area.entity_types()]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=_l("公务接待"), category_icon="fa-coffee")
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
    return [kind for area in _room("standards") for kind in area.standard_kinds()]


@hookimpl
def load_demo_data(ctx):
    for area in _room("demo"):
        area.load(ctx)


@hookimpl
def register_dashboard_items():
    return [item for area in _room("dashboard") for item in area.dashboard_items()]
