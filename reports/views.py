"""报表中心 (``/reports/``) and the REST API (``/api/v1/reports/``)."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from core.extensions import db
from core.scoping import current_scope
from core.state import get_state
from reports.engine import (
    ReportError,
    describe_params,
    get_report,
    html_to_pdf,
    pdf_filename,
    render_html,
    reports_for,
    validate_params,
)


def report_entries() -> list[dict]:
    """The reports the current user may render, with their parameters described."""
    modules = get_state().modules
    return [
        {"key": r.key, "label": str(r.label), "module": r.module,
         "module_label": str(modules[r.module].label), "description": str(r.description),
         "orientation": r.orientation, "params": describe_params(r)}
        for r in reports_for()
    ]


def pdf_response(pdf: bytes, key: str) -> Response:
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename={pdf_filename(key)}",
    })


def _form_params(entry: dict, form) -> dict:
    """Form values as the schema expects them: empty optional fields left out, boxes as booleans."""
    params = {}
    for p in entry["params"]:
        if p["type"] == "boolean":
            params[p["name"]] = form.get(p["name"]) in ("1", "on", "true", "y")
            continue
        value = (form.get(p["name"]) or "").strip()
        if value or p["required"]:
            params[p["name"]] = value if value else None
    return params


def too_long_to_wait(key: str, params: dict) -> bool:
    """Whether the report would hold the request for more than a few seconds."""
    report = get_report(key)
    if report.estimate_rows is None:
        return False
    limit = int(current_app.config.get("REPORT_INLINE_MAX_ROWS", 2000))
    return report.estimate_rows(validate_params(report, params), current_scope()) > limit


def submit_render_job(key: str, params: dict, draft: bool):
    """Queue the render as a background job (``report.render``) for the current user."""
    from core.jobs import submit

    return submit("report.render", {"key": key, "params": params, "draft": draft})


class ReportCenterView(BaseView):
    """报表中心: the reports of the modules active for the user, a form each, preview and PDF."""

    route_base = "/reports"
    default_view = "index"
    access = "everyone"

    def _page(self, selected=None, values=None, errors=None, message=None, preview=None, draft=False,
              status=200):
        return self.render_template(
            "reports/center.html", entries=report_entries(), selected=selected, values=values or {},
            errors=errors or {}, message=message, preview=preview, draft=draft, form=FlaskForm(),
        ), status

    @expose("/", methods=["GET"])
    @has_access
    @permission_name("list")
    def index(self):
        return self._page(selected=request.args.get("report"))

    @expose("/<key>/render", methods=["POST"])
    @has_access
    @permission_name("list")
    def render(self, key):
        form = FlaskForm()
        if not form.validate_on_submit():
            abort(400)
        entry = next((e for e in report_entries() if e["key"] == key), None)
        if entry is None:
            abort(404)
        values = request.form.to_dict()
        params = _form_params(entry, request.form)
        draft = request.form.get("draft") in ("1", "on", "true", "y")
        action = request.form.get("action")
        try:
            if action == "job" or (action == "pdf" and too_long_to_wait(key, params)):
                job = submit_render_job(key, params, draft)
                flash(_("报表较大或已选择后台生成：任务已排队，完成后可在此下载"), "info")
                return redirect(url_for("JobView.show", pk=job.id))
            html = render_html(key, params, draft=draft)
            if action == "pdf":
                return pdf_response(html_to_pdf(html), key)
        except ReportError as exc:
            db.session.rollback()
            if exc.status == 404:
                abort(404)
            return self._page(selected=key, values=values, errors=exc.errors, message=exc.message,
                              draft=draft)
        return self._page(selected=key, values=values, preview=html, draft=draft)


class ReportApi(BaseApi):
    """``GET /api/v1/reports/`` and ``POST /api/v1/reports/<key>/render``."""

    resource_name = "reports"
    access = "everyone"
    allow_browser_login = True
    openapi_summaries = {
        "list_reports": _l("可用报表列表（本辖区已启用模块的报表及其参数）"),
        "render_report": _l("生成报表（PDF 或 HTML）；较大的 PDF 转为后台任务（202）"),
    }
    openapi_examples = {"render_report": {"params": {}, "format": "pdf", "draft": False}}

    @expose("/", methods=["GET"])
    @protect()
    @permission_name("get")
    def list_reports(self):
        return self.response(200, result=report_entries())

    @expose("/<key>/render", methods=["POST"])
    @protect()
    @permission_name("get")
    def render_report(self, key):
        body = request.get_json(silent=True)
        if body is None:
            body = {}
        if not isinstance(body, dict) or not isinstance(body.get("params", {}), dict):
            return self.response(422, message=_("请求体应为 JSON 对象：{\"params\": {…}}"))
        fmt = body.get("format", "pdf")
        if fmt not in ("pdf", "html"):
            return self.response(422, message=_("format 只能是 pdf 或 html"))
        params, draft = body.get("params") or {}, bool(body.get("draft"))
        try:
            get_report(key)
            if fmt == "pdf" and (body.get("background") or too_long_to_wait(key, params)):
                job = submit_render_job(key, params, draft)
                return self.response(202, job_id=job.id, status=job.status,
                                     status_url=url_for("JobApi.get_job", pk=job.id))
            html = render_html(key, params, draft=draft)
        except ReportError as exc:
            db.session.rollback()
            if exc.status == 404:
                return self.response(404, message=exc.message)
            return self.response(422, message=exc.message, errors=exc.errors)
        if fmt == "html":
            return Response(html, mimetype="text/html")
        return pdf_response(html_to_pdf(html), key)
