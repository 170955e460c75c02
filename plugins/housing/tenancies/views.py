"""Screens of applications, tenancies and renewals (Art. 25). Every state change is a button
of the record's page (配租, 入住登记, 退房登记, 续租申请, 作废) or the approval's."""

from __future__ import annotations

from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.housing.tenancies.models import REASONS, Tenancy, TenancyApplication, TenancyRenewal
from plugins.housing.units.models import UNIT_KINDS

APPLICATION_LABELS = {
    "organization": _l("申请单位"),
    "person": _l("申请人"),
    "reason": _l("申请理由"),
    "reason_label": _l("申请理由"),
    "event_on": _l("调入或录用日期"),
    "no_home": _l("本市无住房"),
    "family_size": _l("家庭人口"),
    "unit_kind": _l("申请房型"),
    "unit_kind_label": _l("申请房型"),
    "note": _l("备注"),
    "allocated_on": _l("配租日期"),
    "allocation_label": _l("配租"),
    "void_label": _l("作废"),
}
TENANCY_LABELS = {
    "unit": _l("房源"),
    "application": _l("入住申请"),
    "organization": _l("承租人单位"),
    "person": _l("承租人"),
    "start_on": _l("租期起始日"),
    "end_on": _l("租期截止日"),
    "period_text": _l("租期"),
    "monthly_rent": _l("月租金（元）"),
    "rent_per_m2": _l("租金标准（元/平方米·月）"),
    "status": _l("租住状态"),
    "status_label": _l("租住状态"),
    "renewals": _l("已续租次数"),
    "checked_in_on": _l("入住日期"),
    "checkin_inventory": _l("入住物品清单"),
    "checkin_differences": _l("与配套家具家电不符"),
    "checked_out_on": _l("退房日期"),
    "checkout_inventory": _l("退房物品清单"),
    "damages": _l("损坏、缺失情况"),
    "note": _l("备注"),
    "void_label": _l("作废"),
}


class TenancyApplicationView(ApprovalViewMixin, ScopedModelView):
    """入住申请: the organisation's clerk applies for one of its people and submits; the bureau
    checks eligibility, approves or returns, and allocates a unit (配租)."""

    datamodel = ScopedInterface(TenancyApplication)
    list_title = _l("周转住房入住申请")
    show_title = _l("周转住房入住申请")
    add_title = _l("新增入住申请")
    edit_title = _l("修改入住申请")
    list_columns = [
        "person",
        "organization",
        "reason_label",
        "event_on",
        "unit_kind_label",
        "family_size",
        "state_label",
        "allocation_label",
    ]
    add_columns = ["person", "reason", "event_on", "no_home", "family_size", "unit_kind", "note"]
    edit_columns = add_columns
    show_columns = [
        "person",
        "organization",
        "reason_label",
        "event_on",
        "no_home",
        "family_size",
        "unit_kind_label",
        "note",
        "state_label",
        "submitted_at",
        "decided_at",
        "allocation_label",
        "void_label",
    ]
    search_columns = ["person", "organization", "state", "unit_kind"]
    base_order = ("id", "desc")
    label_columns = APPLICATION_LABELS
    description_columns = {
        "event_on": _l("调入或录用之日起在申请资格年限内方可申请（第二十五条）"),
        "no_home": _l("申请人及配偶在本市无住房的声明；请上传无房证明作为附件"),
        "person": _l("本单位人员；每人只能有一份在办的申请或一处租住"),
    }
    add_form_extra_fields = {
        "reason": choice_field(_l("申请理由"), REASONS),
        "unit_kind": choice_field(_l("申请房型"), UNIT_KINDS),
    }
    edit_form_extra_fields = add_form_extra_fields


class TenancyView(ScopedModelView):
    """租住: created by 配租; 入住登记, 退房登记, 续租申请 and 作废 are operations."""

    datamodel = ScopedInterface(Tenancy)
    list_title = _l("周转住房租住")
    show_title = _l("周转住房租住")
    add_title = _l("补录租住")
    edit_title = _l("修改租住")
    list_columns = [
        "unit",
        "person",
        "organization",
        "period_text",
        "monthly_rent",
        "status_label",
        "renewals",
    ]
    add_columns = ["unit", "person", "start_on", "end_on", "note"]
    edit_columns = ["note"]
    show_columns = [
        "unit",
        "person",
        "organization",
        "application",
        "start_on",
        "end_on",
        "rent_per_m2",
        "monthly_rent",
        "status_label",
        "renewals",
        "checked_in_on",
        "checkin_inventory",
        "checkin_differences",
        "checked_out_on",
        "checkout_inventory",
        "damages",
        "note",
        "void_label",
    ]
    search_columns = ["unit", "person", "organization", "status", "end_on"]
    base_order = ("end_on", "asc")
    label_columns = TENANCY_LABELS
    description_columns = {
        "end_on": _l("不超过最长租期；同一房源的租期不能重叠（第二十五条）"),
        "unit": _l("本辖区空置可配租的房源；月租金按建筑面积和租金标准自动计算"),
    }
    add_form_query_rel_fields = {"unit": [["status", FilterEqual, "available"]]}


class TenancyRenewalView(ApprovalViewMixin, ScopedModelView):
    """续租申请: opened from the tenancy (续租申请) or here, submitted, approved by the bureau."""

    datamodel = ScopedInterface(TenancyRenewal)
    list_title = _l("周转住房续租申请")
    show_title = _l("周转住房续租申请")
    add_title = _l("新增续租申请")
    edit_title = _l("修改续租申请")
    list_columns = ["tenancy", "previous_end_on", "new_end_on", "state_label", "submitted_at"]
    add_columns = ["tenancy", "new_end_on", "reason"]
    edit_columns = add_columns
    show_columns = [
        "tenancy",
        "organization",
        "previous_end_on",
        "new_end_on",
        "reason",
        "state_label",
        "submitted_at",
        "decided_at",
        "void_label",
    ]
    search_columns = ["tenancy", "state"]
    label_columns = {
        "tenancy": _l("租住"),
        "organization": _l("承租人单位"),
        "previous_end_on": _l("原租期截止日"),
        "new_end_on": _l("续租至"),
        "reason": _l("续租理由"),
        "void_label": _l("作废"),
    }
    description_columns = {"new_end_on": _l("每次续租不超过最长租期，续租次数不超过上限（第二十五条）")}
    add_form_query_rel_fields = {"tenancy": [["status", FilterEqual, "checked_in"]]}
    edit_form_query_rel_fields = add_form_query_rel_fields


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(
            TenancyApplicationView,
            "Housing Tenancy Applications",
            _l("入住申请"),
            icon="fa-file-text-o",
            **common,
        ),
        ViewSpec(TenancyView, "Housing Tenancies", _l("租住登记"), icon="fa-key", **common),
        ViewSpec(TenancyRenewalView, "Housing Tenancy Renewals", _l("续租申请"), icon="fa-refresh", **common),
    ]
