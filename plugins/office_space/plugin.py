"""Hook implementations of the office-space module, and nothing else (docs/plugins.md).

Art. 22 puts office space under 集中统一管理 by the bureau: planning, title registration,
allocation and reallocation (配置调剂), repairs, disposal and reuse, supervision. Each area of
that work is a package with the rooms every plugin's areas have; this file names them once and
collects each room across them. A building names the land parcel it stands on by the
entity-type key ``land_parcel`` (``entity_reference``), which is why the manifest depends on
``land`` (docs/office_space.md).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Module, area_rooms, hookimpl

MENU = "Office Space"
AREAS = ("buildings", "repairs", "idle")


def _room(room: str) -> list:
    return area_rooms("plugins.office_space", AREAS, room)


@hookimpl
def register_module():
    return Module(
        key="office_space", label=_l("办公用房"), version="0.1.0", depends=("catalog", "land"),
        articles=(22, 23, 24),
        description=_l("办公楼与房间、权属登记、配置调剂、人均面积标准、日常维修与大中修、闲置用房处置利用"),
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    _room("models")  # maps every area's models before any relationship is resolved
    return [entity for area in _room("schemas") for entity in area.entity_types()]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=_l("办公用房"), category_icon="fa-building")
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
