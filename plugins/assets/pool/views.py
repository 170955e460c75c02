"""Screens of the shared pool 公物仓 (Art. 18): the catalogue, repairs and requests (调剂申请)."""

from __future__ import annotations

from flask import current_app, url_for
from flask_appbuilder.models.sqla.filters import FilterEqual, FilterNotEqual
from flask_babel import lazy_gettext as _l

from catalog.models import Organization
from core.api import (
    ApprovalViewMixin,
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    choice_field,
    current_scope,
    db,
)
from plugins.assets.pool.models import (
    SOURCE_KINDS,
    STORED_POOL_STATUSES,
    TARGET_STATUSES,
    PoolItem,
    PoolRepair,
    PoolRequest,
)

ITEM_LABELS = {
    "asset": _l("资产"), "asset_number": _l("资产编号"), "asset_name": _l("资产名称"),
    "asset_class_name": _l("资产分类"), "specification": _l("规格型号"), "quantity": _l("数量"),
    "original_value": _l("原值（元）"), "owner": _l("原使用单位"),
    "organization": _l("管理部门"), "jurisdiction": _l("所在辖区"),
    "source_kind": _l("来源"), "source_label": _l("来源"), "entered_on": _l("入仓日期"),
    "condition": _l("成新状况"), "status": _l("状态"), "status_label": _l("状态"),
    "note": _l("备注"),
}


class PoolRepairView(ScopedModelView):
    """维修记录: repairs of pool items before reuse (written by the bureau)."""

    datamodel = ScopedInterface(PoolRepair)
    list_title = _l("公物仓维修记录")
    list_columns = ["item", "repaired_on", "description", "cost", "done_by", "finished"]
    add_columns = ["item", "repaired_on", "description", "cost", "done_by", "finished"]
    edit_columns = add_columns
    show_columns = add_columns
    search_columns = ["item", "repaired_on", "done_by", "finished"]
    label_columns = {
        "item": _l("公物仓物品"), "repaired_on": _l("维修日期"), "description": _l("维修内容"),
        "cost": _l("维修费用（元）"), "done_by": _l("维修单位"), "finished": _l("已完成"),
    }


class PoolItemView(ScopedModelView):
    """公物仓: the bureau's pool, read by every organisation of its jurisdiction."""

    datamodel = ScopedInterface(PoolItem)
    list_title = _l("公物仓")
    list_columns = ["asset_number", "asset_name", "asset_class_name", "specification", "quantity",
                    "original_value", "condition", "organization", "entered_on", "source_label",
                    "status_label"]
    add_columns = ["asset", "organization", "source_kind", "entered_on", "condition", "note"]
    edit_columns = ["source_kind", "entered_on", "condition", "status", "note"]
    show_columns = ["asset_number", "asset_name", "asset_class_name", "specification", "quantity",
                    "original_value", "owner", "organization", "jurisdiction", "source_label",
                    "entered_on", "condition", "status_label", "note"]
    search_columns = ["status", "source_kind", "organization", "jurisdiction", "entered_on", "condition"]
    label_columns = ITEM_LABELS
    description_columns = {
        "organization": _l("本辖区的机关事务管理部门；纳入后资产转为闲置，并记入资产变动记录"),
        "status": _l("“已预订”“已调剂”由调剂申请自动产生；撤出公物仓请选“已撤回”"),
    }
    add_form_query_rel_fields = {
        "organization": [["is_bureau", FilterEqual, True]],
        "asset": [["status", FilterNotEqual, "disposed"], ["status", FilterNotEqual, "pending_disposal"]],
    }
    add_form_extra_fields = {"source_kind": choice_field(_l("来源"), SOURCE_KINDS)}
    edit_form_extra_fields = {
        "source_kind": choice_field(_l("来源"), SOURCE_KINDS),
        "status": choice_field(_l("状态"), STORED_POOL_STATUSES),
    }
    related_views = [PoolRepairView]

    def may_add(self) -> bool:
        """Only a bureau keeps a pool (Art. 18): a clerk is offered no 新增 here."""
        scope = current_scope()
        if scope.kind == "all":
            return True
        org = db.session.get(Organization, scope.organization_id) if scope.organization_id else None
        return bool(org and org.is_bureau)

    def show_context(self, item, pk) -> dict:
        """申请调剂 on the item itself, for a user who may request it now."""
        context = super().show_context(item, pk)
        if (item.status == "available" and not item.reserved
                and current_app.appbuilder.sm.has_access("can_add", "PoolRequestView")):
            context["record_actions"] = [*context.get("record_actions", ()), {
                "key": "request", "label": _l("申请调剂"), "style": "primary",
                "url": url_for("PoolRequestView.add", _flt_0_item=pk)}]
        return context


class PoolRequestView(ApprovalViewMixin, ScopedModelView):
    """调剂申请: an organisation requests a pool item; the bureau approves (无偿划转)."""

    datamodel = ScopedInterface(PoolRequest)  # the item field offers the pools it reads
    list_title = _l("公物仓调剂申请")
    list_columns = ["id", "item", "organization", "requested_on", "target_status_label", "state_label",
                    "submitted_at"]
    add_columns = ["item", "organization", "purpose", "requested_by", "requested_on", "target_status",
                   "note"]
    edit_columns = add_columns
    show_columns = ["id", "item", "organization", "jurisdiction", "purpose", "requested_by",
                    "requested_on", "target_status_label", "note", "state_label", "submitted_at",
                    "decided_at"]
    search_columns = ["item", "organization", "requested_on", "state"]
    label_columns = {
        "id": _l("申请编号"), "item": _l("公物仓物品"), "organization": _l("申请单位"),
        "jurisdiction": _l("所在辖区"), "purpose": _l("用途"), "requested_by": _l("申请人"),
        "requested_on": _l("申请日期"), "target_status": _l("调入后状态"),
        "target_status_label": _l("调入后状态"), "note": _l("备注"),
    }
    add_form_query_rel_fields = {"item": [["status", FilterEqual, "available"],
                                          ["reserved", FilterEqual, False]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    add_form_extra_fields = {"target_status": choice_field(_l("调入后状态"), TARGET_STATUSES)}
    edit_form_extra_fields = add_form_extra_fields


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(PoolItemView, "Asset Pool", _l("公物仓"), icon="fa-cubes", **common),
        ViewSpec(PoolRequestView, "Pool Requests", _l("公物仓调剂申请"), icon="fa-exchange", **common),
        ViewSpec(PoolRepairView, "Pool Repairs", _l("公物仓维修记录"), icon="fa-wrench", **common),
    ]
