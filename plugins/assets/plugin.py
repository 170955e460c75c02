"""Hook implementations of the assets module, and nothing else.

The module is split into areas (cards, custody, stocktake, pool, disposal, plans), each a
package with the rooms it needs (models, schemas, views, rules, operations, reports, demo),
every room with the same entry point (``entity_types()``, ``view_specs(common)``, ``RULES``,
``operations()``, ``reports()``, ``load(ctx)``), collected here in ``AREAS`` order
(docs/plugins.md, "The shape").
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Module, StandardKind, area_rooms, hookimpl

MENU = "Assets"
AREAS = ("cards", "custody", "stocktake", "pool", "disposal", "plans")


def _room(room: str) -> list:
    return area_rooms("plugins.assets", AREAS, room)


@hookimpl
def register_module():
    return Module(
        key="assets", label=_l("资产管理"), version="0.2.0", depends=("catalog",),
        articles=(14, 16, 17, 18, 19),
        description=_l("资产分类、配置标准与配置计划、资产卡片、领用与盘点、公物仓、资产处置"),
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    _room("models")  # maps every area's models before any relationship is resolved
    return [entity for area in _room("schemas") for entity in area.entity_types()]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=_l("资产管理"), category_icon="fa-archive")
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
    from plugins.assets.cards.models import asset_class_choices

    by_class = dict(key_label=_l("资产分类"), key_choices=asset_class_choices)  # keyed by class code
    return [
        StandardKind(kind="asset_price_cap", label=_l("资产单价上限"), unit="元", articles=(17,),
                     description=_l("该类资产每件（套）的最高单价"), stricter="lower", **by_class),
        StandardKind(kind="asset_quantity_cap_per_person", label=_l("资产人均数量上限"), unit="件",
                     articles=(17,), description=_l("单位每人可配置该类资产的数量"),
                     stricter="lower", **by_class),
        StandardKind(kind="asset_quantity_cap_per_organization", label=_l("资产单位数量上限"), unit="件",
                     articles=(17,), description=_l("一个单位可持有该类资产的总数量（不含已处置）"),
                     stricter="lower", **by_class),
        StandardKind(kind="asset_min_service_life", label=_l("资产最低使用年限"), unit="年",
                     articles=(17, 19), description=_l("该类资产处置前至少应使用的年限"),
                     stricter="higher", **by_class),
        StandardKind(kind="asset_disposal_proceeds_days", label=_l("处置收入上缴期限"), unit="天",
                     articles=(19,), key_label=_l("适用范围"),
                     key_choices=lambda: [("all", _l("全部处置收入"))], stricter="lower",
                     description=_l("收到处置收入后应在该天数内上缴国库，逾期未上缴的列入问题清单")),
        StandardKind(kind="asset_stocktake_period", label=_l("资产定期清查盘点周期"), unit="月",
                     articles=(18,), key_label=_l("适用范围"), key_choices=_stocktake_period_keys,
                     stricter="lower",
                     description=_l("单位两次经批准的资产清查盘点之间最长间隔的月数；逾期生成问题清单")),
        # Art. 19: from this amount on, the finance department of the same level approves a disposal
        StandardKind(kind="asset_disposal_finance_threshold", label=_l("资产处置报财政审批起点"), unit="元",
                     articles=(19,), stricter="lower",
                     description=_l("处置申请的资产原值合计达到此数额的，经同级机关事务管理部门审批后，"
                                    "报同级财政部门审批；未设置时均报财政部门审批"),
                     key_label=_l("适用范围"), key_choices=_disposal_threshold_keys),
    ]


def _disposal_threshold_keys():
    return [("all", _l("全部处置申请"))]


def _stocktake_period_keys():
    return [("all", str(_l("全部资产")))]


@hookimpl
def register_cli_commands():
    from plugins.assets.commands import assets_group
    from plugins.assets.disposal import dashboard  # noqa: F401  (adds check-proceeds)
    from plugins.assets.stocktake import commands  # noqa: F401  (adds stocktake-check)

    return [assets_group]


@hookimpl
def init_app(app, state):
    from catalog.designation import install

    install(app)  # the Art. 14 terms: a broken terms file stops the start, not a save
    # the module's own scripts and styles (the stocktake's phone screen, the vendored jsQR),
    # served from this package like the core's /static/jiguan: no CDN, under the same CSP
    from flask import Blueprint

    app.register_blueprint(Blueprint("assets_static", __name__, static_folder="static",
                                     static_url_path="/static/assets"))


@hookimpl
def load_demo_data(ctx):
    for area in _room("demo"):
        area.load(ctx)


@hookimpl
def register_dashboard_items():
    return [item for area in _room("dashboard") for item in area.dashboard_items()]
