"""Screens of disposal (资产处置, Art. 19): applications, their assets and proceeds."""

from __future__ import annotations

from flask_appbuilder.models.sqla.filters import FilterEqual, FilterNotEqual
from flask_babel import lazy_gettext as _l

from core.api import (
    ApprovalViewMixin,
    LinePicker,
    LinePickerMixin,
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    choice_field,
)
from plugins.assets.cards.models import Asset
from plugins.assets.disposal.models import DISPOSAL_METHODS, Disposal, DisposalLine, DisposalProceeds


class DisposalLineView(ScopedModelView):
    """处置资产明细: the assets of an application (editable while it is a draft or rejected)."""

    datamodel = ScopedInterface(DisposalLine)
    list_title = _l("处置资产明细")
    # what the reviewer checks against Art. 19: the value, the age and the minimum life
    list_columns = ["disposal", "asset", "original_value", "acquired_on", "min_life_ends_on", "early_reason"]
    add_columns = ["disposal", "asset", "early_reason"]
    edit_columns = add_columns
    show_columns = ["disposal", "asset", "early_reason", "previous_status_label"]
    search_columns = ["disposal", "asset"]
    label_columns = {"disposal": _l("处置申请"), "asset": _l("资产"), "early_reason": _l("提前处置理由"),
                     "previous_status": _l("申请前状态"), "previous_status_label": _l("申请前状态"),
                     "original_value": _l("原值（元）"),
                     "acquired_on": _l("取得日期"), "min_life_ends_on": _l("最低使用年限届满日")}
    description_columns = {
        "early_reason": _l("资产未满最低使用年限的，必须填写提前处置理由（《办法》第十九条）"),
    }
    # offer what can be listed: open applications, assets not yet disposed
    add_form_query_rel_fields = {
        "disposal": [["state", FilterNotEqual, "approved"], ["state", FilterNotEqual, "submitted"],
                     ["state", FilterNotEqual, "reviewed"]],
        "asset": [["status", FilterNotEqual, "disposed"]],
    }
    edit_form_query_rel_fields = add_form_query_rel_fields


class DisposalProceedsView(ScopedModelView):
    """处置收入: recorded on an approved application, without reopening it."""

    datamodel = ScopedInterface(DisposalProceeds)
    list_title = _l("处置收入")
    list_columns = ["disposal", "amount", "received_on", "paid_to_treasury", "paid_on"]
    add_columns = ["disposal", "amount", "received_on", "paid_to_treasury", "paid_on", "note"]
    edit_columns = add_columns
    show_columns = add_columns
    search_columns = ["disposal", "received_on", "paid_to_treasury"]
    label_columns = {"disposal": _l("处置申请"), "amount": _l("金额（元）"), "received_on": _l("收款日期"),
                     "paid_to_treasury": _l("已上缴国库"), "paid_on": _l("上缴日期"), "note": _l("备注")}
    add_form_query_rel_fields = {"disposal": [["state", FilterEqual, "approved"]]}
    edit_form_query_rel_fields = add_form_query_rel_fields


def _disposable(disposal, query):
    """The application's organisation's cards not yet disposed (Art. 19)."""
    return query.where(Asset.organization_id == disposal.organization_id, Asset.status != "disposed")


class DisposalView(LinePickerMixin, ApprovalViewMixin, ScopedModelView):
    """资产处置申请: clerk drafts and submits, the bureau approves; approval disposes the assets."""

    datamodel = ScopedInterface(Disposal)
    list_title = _l("资产处置申请")
    list_columns = ["id", "organization", "applied_on", "method_label", "line_count", "appraised_value",
                    "state_label", "submitted_at"]
    add_columns = ["organization", "applied_on", "method", "recipient", "reason", "appraised_value", "note"]
    edit_columns = add_columns
    show_columns = ["id", "organization", "jurisdiction", "applied_on", "method_label", "recipient", "reason",
                    "appraised_value", "line_count", "original_total", "proceeds_total", "note",
                    "state_label", "submitted_at", "decided_at"]
    search_columns = ["organization", "applied_on", "method", "state"]
    label_columns = {
        "id": _l("申请编号"), "organization": _l("申请单位"), "jurisdiction": _l("所在辖区"),
        "applied_on": _l("申请日期"), "method": _l("处置方式"), "method_label": _l("处置方式"),
        "reason": _l("处置理由"), "appraised_value": _l("评估价值（元）"), "line_count": _l("资产数"),
        "original_total": _l("原值合计（元）"), "proceeds_total": _l("处置收入合计（元）"),
        "note": _l("备注"), "recipient": _l("接收单位"),
    }
    description_columns = {
        "recipient": _l("处置方式为“无偿划转”时必填：本辖区或下级辖区的其他单位，批准后资产划转至该单位"
                        "（《办法》第十九条）"),
    }
    add_form_extra_fields = {"method": choice_field(_l("处置方式"), DISPOSAL_METHODS)}
    edit_form_extra_fields = add_form_extra_fields
    related_views = [DisposalLineView, DisposalProceedsView]
    line_picker = LinePicker(
        line_model=DisposalLine, parent="disposal_id", target="asset_id", target_model=Asset,
        label=_l("处置资产"), eligible=_disposable, search=("number", "name"),
        columns=(("number", _l("资产编号")), ("name", _l("资产名称")), ("original_value", _l("原值（元）")),
                 ("acquired_on", _l("取得日期")), ("min_life_ends_on", _l("最低使用年限届满日"))),
        fields=(("early_reason", _l("提前处置理由"),
                 _l("所选资产中有未满最低使用年限的，必须填写提前处置理由（《办法》第十九条），填写后适用于本次添加的每项资产")),),
    )


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(DisposalView, "Asset Disposals", _l("资产处置申请"), icon="fa-trash-o", **common),
        ViewSpec(DisposalLineView, "Disposal Lines", _l("处置资产明细"), menu=False, **common),
        ViewSpec(DisposalProceedsView, "Disposal Proceeds", _l("处置收入"), icon="fa-jpy", **common),
    ]
