"""Hook implementations of the funds module, and nothing else (the walk-through in docs/plugins.md).

Each area of its work is a package with the rooms every plugin's areas have; this file names
them once and collects each room across them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Module, area_rooms, hookimpl

MENU = "Funds"
AREAS = ("budgets", "spending", "procurement", "disclosure", "opcost")


def _room(room: str) -> list:
    return area_rooms("plugins.funds", AREAS, room)


@hookimpl
def register_module():
    return Module(
        key="funds", label=_l("经费管理"), version="0.1.0", depends=("catalog",),
        articles=(10, 11, 12, 13, 14, 15),
        description=_l("定员定额预算、支出审批与开支标准、政府采购、三公经费公开、机关运行成本"),
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    return [entity for area in _room("schemas") for entity in area.entity_types()]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=_l("经费管理"), category_icon="fa-jpy")
    return [spec for area in _room("views") for spec in area.view_specs(common)]


@hookimpl
def register_derivations():
    return [d for area in _room("models") for d in getattr(area, "DERIVATIONS", ())]


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
