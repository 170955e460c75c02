"""Hook implementations of the vehicles module, and nothing else (the walk-through in docs/plugins.md).

Each area of its work is a package with the rooms every plugin's areas have; this file names
them once and collects each room across them. A vehicle is also a fixed asset: it names its
asset card by the entity-type key ``asset`` (``entity_reference``), which is why the manifest
depends on ``assets`` (docs/vehicles.md, "One truth with the asset card").
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Module, area_rooms, hookimpl

MENU = "Vehicles"
AREAS = ("fleet", "plans", "trips", "costs")


def _room(room: str) -> list:
    return area_rooms("plugins.vehicles", AREAS, room)


@hookimpl
def register_module():
    return Module(
        key="vehicles", label=_l("公务用车"), version="0.1.0", depends=("catalog", "assets"),
        articles=(26, 27, 28, 29, 30),
        description=_l("车辆编制、配备更新计划、出车登记、节假日封存、单车核算、处置"),
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    _room("models")  # maps every area's models before any relationship is resolved
    return [entity for area in _room("schemas") for entity in area.entity_types()]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=_l("公务用车"), category_icon="fa-car")
    return [spec for area in _room("views") for spec in area.view_specs(common)]


@hookimpl
def register_rules():
    return [rule for area in _room("rules") for rule in area.RULES]


@hookimpl
def register_derivations():
    return [derivation for area in _room("derivations") for derivation in area.DERIVATIONS]


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
