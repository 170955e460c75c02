"""Hook implementations of the land module, and nothing else (the walk-through in docs/plugins.md)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import EntityType, Module, Scope, StandardKind, ViewSpec, hookimpl

MENU = "Land"


@hookimpl
def register_module():
    return Module(
        key="land", label=_l("土地管理"), version="0.1.0", depends=("catalog",),
        articles=(20, 21), description=_l("宗地台账、确权登记进度、权利人登记"),
    )


@hookimpl
def register_entity_types():
    from plugins.land.models import LandParcel
    from plugins.land.schemas import LandParcelSchema

    return [
        EntityType(
            key="land_parcel", label=_l("土地宗地"), model=LandParcel,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id"),
            schema=LandParcelSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("坐落、面积、用途、确权登记状态与权利人（第二十、二十一条）"),
            api_columns=("id", "name", "jurisdiction_id", "organization_id", "location", "area",
                         "land_use", "registration_status", "certificate_no", "title_holder_id",
                         "in_compound", "note"),
        )
    ]


@hookimpl
def register_views():
    from plugins.land import views

    common = dict(category=MENU, category_label=_l("土地管理"), category_icon="fa-map-o")
    return [
        ViewSpec(views.LandParcelView, "Land Parcels", _l("宗地台账"), icon="fa-th", **common),
        ViewSpec(views.RegistrationProgressView, "Land Registration Progress",
                 _l("确权登记进度"), icon="fa-tasks", **common),
    ]


@hookimpl
def register_rules():
    from plugins.land.rules import RULES

    return RULES


@hookimpl
def register_reports():
    from plugins.land.reports import REPORTS

    return REPORTS


@hookimpl
def register_standard_kinds():
    return [
        StandardKind(kind="land_registration_target", label=_l("土地确权登记完成率目标"),
                     unit="%", articles=(20,)),
    ]


@hookimpl
def load_demo_data(ctx):
    from plugins.land.demo import load_land_demo

    load_land_demo(ctx)
