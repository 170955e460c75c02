"""Asset-card screens and the read-only class tree (Art. 17-18)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import FilterEqual, FilterNotEqual
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField

from core.api import ScopedInterface, ScopedModelView, ViewSpec, choice_field, db
from plugins.assets.cards.models import (
    ACQUISITION_METHODS,
    ASSET_STATUSES,
    FUNDING_SOURCES,
    Asset,
    AssetClass,
)


class CardHistoryMixin:
    """The card page shows the history (资产变动记录, custody/views.py); its operations (领用 …)
    are the core's 操作 panel."""

    show_template = "assets/custody_card_show.html"

    def show_context(self, item, pk) -> dict:
        from plugins.assets.custody.views import movement_rows

        return {**super().show_context(item, pk), "history": movement_rows(item)}


class AssetView(CardHistoryMixin, ScopedModelView):
    datamodel = ScopedInterface(Asset)
    list_title = _l("资产卡片")
    list_columns = ["number", "name", "asset_class", "organization", "quantity", "unit",
                    "original_value", "acquired_on", "status_label"]
    add_columns = ["number", "asset_class", "name", "specification", "quantity", "unit",
                   "original_value", "acquired_on", "acquisition_method", "funding_source", "location",
                   "custodian", "organization", "jurisdiction", "status", "plan_line", "note"]
    edit_columns = add_columns
    show_columns = ["number", "asset_class", "name", "specification", "quantity", "unit",
                    "original_value", "acquired_on", "acquisition_label", "funding_label", "location",
                    "custodian", "organization", "jurisdiction", "status_label", "min_life_ends_on",
                    "plan_line", "note"]
    search_columns = ["number", "name", "asset_class", "organization", "jurisdiction", "status",
                      "acquisition_method", "funding_source", "acquired_on"]
    label_columns = {
        "number": _l("资产编号"), "asset_class": _l("资产分类"), "name": _l("资产名称"),
        "specification": _l("规格型号"), "quantity": _l("数量"), "unit": _l("计量单位"),
        "original_value": _l("原值（元）"), "acquired_on": _l("取得日期"),
        "acquisition_method": _l("取得方式"), "acquisition_label": _l("取得方式"),
        "funding_source": _l("经费来源"), "funding_label": _l("经费来源"), "location": _l("存放地点"),
        "custodian": _l("保管人"), "organization": _l("使用单位"), "jurisdiction": _l("所在辖区"),
        "status": _l("资产状态"), "status_label": _l("资产状态"),
        "min_life_ends_on": _l("最低使用年限届满日"), "note": _l("备注"),
        "plan_line": _l("配置计划明细"),
    }
    add_form_extra_fields = {
        "status": choice_field(_l("资产状态"), ASSET_STATUSES),
        # a card typed in is a purchase unless said otherwise (the caps of Art. 17 apply)
        "acquisition_method": SelectField(_l("取得方式"), choices=list(ACQUISITION_METHODS.items()),
                                          default="purchase"),
        "funding_source": choice_field(_l("经费来源"), FUNDING_SOURCES),
    }
    edit_form_extra_fields = add_form_extra_fields
    # a card names a plan line only to buy above the standards (an approved deviation, Art. 17):
    # offer exception lines
    add_form_query_rel_fields = {"plan_line": [["exception_requested", FilterEqual, True]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    #: the in-use ledger: disposed assets leave it (Art. 19) and are found under 已处置资产
    base_filters = [["status", FilterNotEqual, "disposed"]]
    #: printing labels reads the cards: whoever lists them may print them (cards/labels.py)
    method_permission_name = {"print_labels": "list"}

    @action("print_labels", _l("打印资产标签"), "", "fa-tags", multiple=True, single=False)
    def print_labels(self, items):
        """The selected cards' labels: 资产标签's page with their numbers, to choose the label stock."""
        numbers = [item.number for item in (items if isinstance(items, list) else [items]) if item]
        if not numbers:
            flash(_("请先勾选要打印标签的资产卡片"), "warning")
            return redirect(url_for("AssetView.list"))
        return redirect(url_for("ReportCenterView.report", key="asset_labels", numbers=",".join(numbers)))

    def show_context(self, item, pk) -> dict:
        """资产标签 in another label stock than the 打印资产标签 button's (A4 3×8)."""
        context = super().show_context(item, pk)
        context["record_actions"] = [*context.get("record_actions", ()), {
            "key": "labels", "label": _l("选择规格打印资产标签"),
            "url": url_for("ReportCenterView.report", key="asset_labels", asset=pk)}]
        return context


class DisposedAssetView(CardHistoryMixin, ScopedModelView):
    """已处置资产: disposed cards stay searchable, read-only, with their history (Art. 19)."""

    datamodel = ScopedInterface(Asset)
    list_title = _l("已处置资产")
    base_permissions = ["can_list", "can_show"]
    base_filters = [["status", FilterEqual, "disposed"]]
    list_columns = ["number", "name", "asset_class", "organization", "quantity", "unit",
                    "original_value", "acquired_on", "min_life_ends_on"]
    show_columns = AssetView.show_columns
    search_columns = ["number", "name", "asset_class", "organization", "jurisdiction", "acquired_on"]
    label_columns = AssetView.label_columns


def class_tree() -> list[dict]:
    """Every asset class, depth-first by code (public national classification, not scoped)."""
    classes = db.session.execute(select(AssetClass).order_by(AssetClass.code)).scalars().all()
    children: dict[int | None, list[AssetClass]] = {}
    for cls in classes:
        children.setdefault(cls.parent_id, []).append(cls)
    rows: list[dict] = []

    def walk(parent_id, depth):
        for cls in children.get(parent_id, []):
            rows.append(dict(code=cls.code, name=cls.name, level=cls.level, depth=depth))
            walk(cls.id, depth + 1)

    walk(None, 0)
    return rows


class AssetClassView(BaseView):
    """资产分类 (GB/T 14885): the class tree, read-only."""

    route_base = "/assets/classes"
    default_view = "index"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        return self.render_template("assets/classes.html", rows=class_tree())


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(AssetView, "Asset Cards", _l("资产卡片"), icon="fa-id-card-o", **common),
        ViewSpec(DisposedAssetView, "Disposed Assets", _l("已处置资产"), icon="fa-archive", **common),
        ViewSpec(AssetClassView, "Asset Classes", _l("资产分类"), icon="fa-sitemap", **common),
    ]
