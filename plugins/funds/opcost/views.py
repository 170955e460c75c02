"""Screens of the operating-cost area (Art. 15): reports, office space, the roll-up of the
jurisdictions below."""

from __future__ import annotations

from flask import abort, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog.models import Jurisdiction
from core.api import (
    ApprovalViewMixin,
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    current_scope,
    db,
    local_today,
)
from plugins.funds.opcost.categories import CATEGORY_LABELS
from plugins.funds.opcost.models import OpcostOfficeArea, OpcostReport
from plugins.funds.opcost.rollup import rollup

LABELS = {
    "number": _l("报告编号"), "organization": _l("编报单位"), "jurisdiction": _l("辖区"),
    "year": _l("统计年度"), "budget": _l("机关运行经费预算数（元）"), "remark": _l("分析评价说明"),
    "total_cost": _l("运行成本合计（元）"), "total_score": _l("绩效评分"), "grade_label": _l("评价等级"),
    "computed_at": _l("计算时间"), "area": _l("办公用房面积（平方米）"), "note": _l("备注"),
}


class OpcostReportView(ApprovalViewMixin, ScopedModelView):
    datamodel = ScopedInterface(OpcostReport)
    list_title = _l("机关运行成本统计报告")
    list_columns = ["number", "jurisdiction", "year", "total_cost", "total_score", "grade_label",
                    "state_label", "submitted_at"]
    add_columns = ["organization", "year", "budget", "remark"]
    edit_columns = ["budget", "remark"]
    show_columns = ["number", "organization", "jurisdiction", "year", "budget", "total_cost",
                    "total_score", "grade_label", "remark", "computed_at", "state_label",
                    "submitted_at", "decided_at"]
    search_columns = ["jurisdiction", "year", "state"]
    base_order = ("id", "desc")
    show_template = "funds/opcost_show.html"
    label_columns = LABELS
    description_columns = {
        "organization": _l("本辖区的机关事务管理部门；报告覆盖本级单位（县级含所辖乡镇）"),
        "remark": _l("对运行成本的分析和评价意见，随报告报送上级"),
    }

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            item = self.datamodel.get(kwargs["pk"], self._base_filters)
            if item is not None:
                kwargs["opcost"] = item
                kwargs["figures"] = item.figures or {}
                kwargs["categories"] = {k: str(v) for k, v in CATEGORY_LABELS.items()}
                kwargs["rollup_code"] = _visible_parent(item)
        return super().render_template(template, **kwargs)

    def pre_add(self, item):
        if item.organization is None and current_scope().organization_id:
            item.organization_id = current_scope().organization_id
        super().pre_add(item)


def _visible_parent(report: OpcostReport) -> str | None:
    """The code of the roll-up the report went to, when the user sees it (the bureau above)."""
    parent = report.jurisdiction.parent if report.jurisdiction is not None else None
    scope = current_scope()
    if parent is None:
        return None
    if scope.kind == "all":
        return parent.code
    own = db.session.get(Jurisdiction, scope.jurisdiction_id) if scope.jurisdiction_id else None
    return parent.code if own is not None and parent.path.startswith(own.path) else None


class OpcostOfficeAreaView(ScopedModelView):
    datamodel = ScopedInterface(OpcostOfficeArea)
    list_title = _l("办公用房面积（机关运行成本）")
    list_columns = ["organization", "year", "area", "note"]
    add_columns = ["organization", "year", "area", "note"]
    edit_columns = add_columns
    show_columns = ["organization", "jurisdiction", "year", "area", "note"]
    search_columns = ["organization", "year"]
    base_order = ("id", "desc")
    label_columns = {**LABELS, "organization": _l("单位")}


class OpcostRollupView(BaseView):
    """The bureau's view of the reports submitted to it, with links down to each."""

    route_base = "/funds/opcost/rollup"
    default_view = "index"
    access = "records"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        scope = current_scope()
        year = request.args.get("year", "")
        year = int(year) if year.isdigit() else local_today().year - 1
        code = request.args.get("jurisdiction", "").strip()
        jurisdiction = None
        if code:
            jurisdiction = db.session.query(Jurisdiction).filter_by(code=code).one_or_none()
        elif scope.jurisdiction_id is not None:
            jurisdiction = db.session.get(Jurisdiction, scope.jurisdiction_id)
        if jurisdiction is None:
            abort(404)
        if scope.kind != "all":
            own = db.session.get(Jurisdiction, scope.jurisdiction_id) if scope.jurisdiction_id else None
            if own is None or not jurisdiction.path.startswith(own.path):
                abort(404)  # above or beside the user's jurisdiction: it does not exist for them
        return self.render_template(
            "funds/opcost_rollup.html", data=rollup(jurisdiction, year, scope),
            categories={k: str(v) for k, v in CATEGORY_LABELS.items()},
            title=_("%(name)s %(year)s 年机关运行成本汇总", name=jurisdiction.name, year=year),
        )


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(OpcostReportView, "Opcost Reports", _l("机关运行成本统计报告"), icon="fa-bar-chart",
                 **common),
        ViewSpec(OpcostRollupView, "Opcost Rollup", _l("机关运行成本汇总"), icon="fa-sitemap", **common),
        ViewSpec(OpcostOfficeAreaView, "Opcost Office Areas", _l("办公用房面积（运行成本）"),
                 icon="fa-building", **common),
    ]
