"""Hook implementations of the assets module, and nothing else."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import EntityType, Module, Scope, StandardKind, ViewSpec, hookimpl

MENU = "Assets"


@hookimpl
def register_module():
    return Module(
        key="assets", label=_l("资产管理"), version="0.1.0", depends=("catalog",),
        articles=(16, 17, 18, 19), description=_l("资产分类、配置标准、资产卡片"),
    )


@hookimpl
def register_entity_types():
    from plugins.assets.models import Asset
    from plugins.assets.schemas import AssetSchema

    return [
        EntityType(
            key="asset", label=_l("资产卡片"), model=Asset,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id"),
            schema=AssetSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("资产编号、分类、规格、数量、原值、取得日期、使用单位与状态（第十七、十八条）"),
            api_columns=("id", "number", "class_id", "name", "specification", "quantity", "unit",
                         "original_value", "acquired_on", "funding_source", "location",
                         "custodian_id", "organization_id", "jurisdiction_id", "status",
                         "min_life_ends_on", "note"),
        )
    ]


@hookimpl
def register_views():
    from plugins.assets import views

    common = dict(category=MENU, category_label=_l("资产管理"), category_icon="fa-archive")
    return [
        ViewSpec(views.AssetView, "Asset Cards", _l("资产卡片"), icon="fa-id-card-o", **common),
        ViewSpec(views.AssetClassView, "Asset Classes", _l("资产分类"), icon="fa-sitemap",
                 **common),
    ]


@hookimpl
def register_rules():
    from plugins.assets.rules import RULES

    return RULES


@hookimpl
def register_standard_kinds():
    return [
        StandardKind(kind="asset_price_cap", label=_l("资产单价上限"), unit="元", articles=(17,)),
        StandardKind(kind="asset_quantity_cap_per_person", label=_l("资产人均数量上限"), unit="件",
                     articles=(17,)),
        StandardKind(kind="asset_min_service_life", label=_l("资产最低使用年限"), unit="年",
                     articles=(17, 19)),
    ]


@hookimpl
def load_demo_data(ctx):
    from plugins.assets.demo import load_assets_demo

    load_assets_demo(ctx)
