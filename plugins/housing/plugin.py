"""Hook implementations of the housing module, and nothing else (docs/plugins.md).

Art. 25 has the bureau run talent apartments (人才公寓) and turnover housing (周转住房): their
handover (移交), repairs, maintenance, operation, allocation (调配) and disposal, and publish the
policies and information about them. Each area of that work is a package with the rooms every
plugin's areas have; this file names them once and collects each room across them
(docs/housing.md).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Module, area_rooms, hookimpl

MENU = "Housing"
AREAS = ("units", "tenancies", "notices")


def _room(room: str) -> list:
    return area_rooms("plugins.housing", AREAS, room)


@hookimpl
def register_module():
    return Module(
        key="housing",
        label=_l("人才公寓和周转住房"),
        version="0.1.0",
        depends=("catalog",),
        articles=(25,),
        description=_l("房源移交与维修、入住申请与资格审核、配租、入住退出、超期占用、续租、政策信息公布"),
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    _room("models")  # maps every area's models before any relationship is resolved
    return [entity for area in _room("schemas") for entity in area.entity_types()]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=_l("周转住房"), category_icon="fa-home")
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
