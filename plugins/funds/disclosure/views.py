"""Screens of 三公经费 (Art. 13): delegations and members, budgets, disclosures, the roll-up."""

from __future__ import annotations

from flask import request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _l

from core.api import (
    ApprovalViewMixin,
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    beijing_today,
    choice_field,
    current_scope,
    db,
)
from plugins.funds.disclosure.figures import organization_table
from plugins.funds.disclosure.models import (
    DISCLOSURE_KINDS,
    OutboundMember,
    OutboundTrip,
    SangongBudget,
    SangongDisclosure,
)
from plugins.funds.disclosure.reports import (
    column_labels,
    organization_in_scope,
    rollup_context,
    rollup_jurisdiction,
)

MONEY = {"outbound": _l("因公出国（境）费（元）"), "vehicle_purchase": _l("公务用车购置费（元）"),
         "vehicle_running": _l("公务用车运行维护费（元）"), "reception": _l("公务接待费（元）")}


class OutboundMemberView(ScopedModelView):
    """团组成员: the person-times of the delegation (editable while it is a draft)."""

    datamodel = ScopedInterface(OutboundMember)
    list_title = _l("出访团组成员")
    list_columns = ["trip", "name", "post", "employer"]
    add_columns = ["trip", "name", "post", "employer"]
    edit_columns = add_columns
    show_columns = add_columns
    label_columns = {"trip": _l("出访团组"), "name": _l("姓名"), "post": _l("职务"),
                     "employer": _l("工作单位")}


class OutboundTripView(ApprovalViewMixin, ScopedModelView):
    """因公出国（境）团组: the clerk drafts with members and 任务批件, the bureau of the level
    approves; 回国结算 after the return books the cost (Art. 13)."""

    datamodel = ScopedInterface(OutboundTrip)
    list_title = _l("因公出国（境）团组")
    list_columns = ["id", "organization", "name", "leader", "destinations", "departs_on", "returns_on",
                    "budget", "actual_cost", "state_label"]
    add_columns = ["organization", "name", "leader", "destinations", "purpose", "departs_on", "returns_on",
                   "budget"]
    edit_columns = add_columns
    show_columns = ["id", "organization", "name", "leader", "destinations", "purpose", "departs_on",
                    "returns_on", "days", "member_count", "budget", "settled_label", "returned_on",
                    "actual_cost", "settlement_note", "state_label", "submitted_at", "decided_at"]
    search_columns = ["organization", "name", "leader", "destinations", "departs_on", "state"]
    label_columns = {
        "id": _l("团组编号"), "organization": _l("组团单位"), "name": _l("团组名称"), "leader": _l("团长"),
        "destinations": _l("出访国家（地区）"), "purpose": _l("出访任务"), "departs_on": _l("出发日期"),
        "returns_on": _l("计划回国日期"), "days": _l("在外天数"), "member_count": _l("团组人数"),
        "budget": _l("预算金额（元）"), "settled_label": _l("结算情况"), "returned_on": _l("实际回国日期"),
        "actual_cost": _l("实际费用（元）"), "settlement_note": _l("结算说明"),
    }
    description_columns = {
        "budget": _l("提交前须列明团组成员并上传任务批件；回国后上传出访报告并办理“回国结算”"
                     "（《办法》第十三条）"),
    }
    related_views = [OutboundMemberView]


class SangongBudgetView(ScopedModelView):
    """三公经费预算: the 财政批复数 of the organisation's department budget, entered by its clerk."""

    datamodel = ScopedInterface(SangongBudget)
    list_title = _l("三公经费预算")
    list_columns = ["organization", "year", "approved_on", "outbound", "vehicle_purchase", "vehicle_running",
                    "reception", "total"]
    add_columns = ["organization", "year", "approved_on", "outbound", "vehicle_purchase", "vehicle_running",
                   "reception", "note"]
    edit_columns = add_columns
    show_columns = add_columns + ["total"]
    search_columns = ["organization", "year"]
    label_columns = {"organization": _l("单位"), "year": _l("年度"), "approved_on": _l("预算批复日期"),
                     "note": _l("备注"), "total": _l("合计（元）"), **MONEY}
    description_columns = {
        "approved_on": _l("财政部门批复部门预算的日期，公开期限自此起算（《办法》第十三条）")}


class SangongDisclosureView(ScopedModelView):
    """三公经费公开: the 预算/决算 table of a year with its 说明; 公开 freezes it (Art. 13)."""

    datamodel = ScopedInterface(SangongDisclosure)
    list_title = _l("三公经费公开")
    list_columns = ["organization", "year", "kind_label", "approved_on", "status_label", "published_place"]
    add_columns = ["organization", "year", "kind", "approved_on", "vehicles_held", "explanation"]
    edit_columns = add_columns
    show_columns = ["organization", "year", "kind_label", "approved_on", "vehicles_held", "explanation",
                    "status_label", "published_on", "published_place"]
    search_columns = ["organization", "year", "kind"]
    label_columns = {"organization": _l("单位"), "year": _l("年度"), "kind": _l("公开类型"),
                     "kind_label": _l("公开类型"), "approved_on": _l("预算（决算）批复日期"),
                     "vehicles_held": _l("年末公务用车保有量（辆）"), "explanation": _l("说明"),
                     "status_label": _l("公开情况"), "published_on": _l("公开日期"),
                     "published_place": _l("公开位置")}
    description_columns = {
        "explanation": _l("数额与对比数不一致的，必须说明增减变化原因（《办法》第十三条）"),
        "vehicles_held": _l("公务用车模块上线前由单位填报"),
    }
    add_form_extra_fields = {"kind": choice_field(_l("公开类型"), DISCLOSURE_KINDS)}
    edit_form_extra_fields = add_form_extra_fields


class SangongRollupView(BaseView):
    """三公经费汇总: a bureau's jurisdiction and below, a line per organisation; a line opens
    that organisation's table (``?organization=``)."""

    route_base = "/funds/sangong"
    default_view = "index"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        scope = current_scope()
        try:
            year = int(request.args.get("year") or beijing_today().year)
        except ValueError:
            year = beijing_today().year
        org_id = request.args.get("organization", type=int)
        if org_id is None and scope.kind == "organization":
            org_id = scope.organization_id
        if org_id is not None:
            org = organization_in_scope(org_id, scope)
            table = organization_table(db.session, org, year, "final") if org is not None else None
            return self.render_template("funds/disclosure_organization.html", organization=org, table=table,
                                        year=year, columns=column_labels())
        code = request.args.get("jurisdiction")
        context = rollup_context({"year": year, "jurisdiction": code}, scope) \
            if rollup_jurisdiction(scope, code) is not None else {"jurisdiction": None}
        context.pop("period", None)
        context.pop("year", None)
        page_title = context.pop("title", None)
        return self.render_template("funds/disclosure_page.html", year=year, page_title=page_title, **context)

def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(OutboundTripView, "Outbound Trips", _l("因公出国（境）团组"), icon="fa-plane", **common),
        ViewSpec(OutboundMemberView, "Outbound Members", _l("出访团组成员"), menu=False, **common),
        ViewSpec(SangongBudgetView, "Sangong Budgets", _l("三公经费预算"), icon="fa-list-alt", **common),
        ViewSpec(SangongDisclosureView, "Sangong Disclosures", _l("三公经费公开"), icon="fa-bullhorn",
                 **common),
        ViewSpec(SangongRollupView, "Sangong Rollup", _l("三公经费汇总"), icon="fa-table", **common),
    ]
