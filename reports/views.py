"""报表中心 (``/reports/``) and the REST API (``/api/v1/reports/``)."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, jsonify, redirect, request, url_for
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
    content_disposition,
    describe_params,
    get_report,
    render_html,
    render_pdf,
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
        "Content-Disposition": content_disposition(key),
    })


def matching(entries: list[dict], query: str) -> list[dict]:
    """The entries whose label, module or description contains ``query`` (all when it is empty)."""
    query = query.strip().lower()
    if not query:
        return entries
    return [e for e in entries
            if any(query in text.lower() for text in (e["label"], e["module_label"], e["description"]))]


def record_entity(key: str, name: str):
    """The entity type a record parameter names (its field's ``metadata["record"]``), or 404."""
    report = get_report(key)
    field = report.params_schema._declared_fields.get(name)
    entity = get_state().entities.get(field.metadata.get("record")) if field is not None else None
    if entity is None:
        abort(404)
    return entity, field.metadata.get("record_value")


def record_matches(key: str, name: str, term: str, page: int = 0):
    """One page of the records a parameter may name, in the user's scope (select2's format)."""
    from sqlalchemy import String, cast, or_, select

    from core.fab.typeahead import PAGE, searched_columns
    from core.scoping import scoped
    from core.workflow.approval import ApprovalMixin
    from core.workflow.numbering import DocumentNumber

    entity, value_attr = record_entity(key, name)
    model = entity.model
    columns = searched_columns(model)
    query = scoped(select(model), model)
    term = term.strip()[:100]
    pk = model.__mapper__.primary_key[0]
    if term and columns:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = [c.ilike(pattern, escape="\\") for c in columns]
        if issubclass(model, ApprovalMixin):  # an approval document by its number (CZ-2026-00001)
            found.append(cast(pk, String).in_(select(DocumentNumber.entity_id).where(
                DocumentNumber.entity == entity.key, DocumentNumber.number.ilike(pattern, escape="\\"))))
        digits = "".join(ch for ch in term if ch.isdigit())
        if digits and len(digits) <= 9:  # a number made of the id (PD00012) finds its record
            found.append(pk == int(digits))
        query = query.where(or_(*found))
    rows = db.session.execute(query.order_by(*columns[:1], pk).offset(page * PAGE).limit(PAGE + 1)
                              ).scalars().all()
    results = [{"id": str(getattr(row, value_attr or pk.key)), "text": str(row)} for row in rows[:PAGE]]
    return results, len(rows) > PAGE


def record_text(key: str, name: str, value: str) -> str:
    """How a chosen record reads in its picker (the value itself when it is not found)."""
    from sqlalchemy import select

    from core.scoping import scoped

    entity, value_attr = record_entity(key, name)
    model = entity.model
    column = getattr(model, value_attr) if value_attr else model.__mapper__.primary_key[0]
    try:
        row = db.session.execute(scoped(select(model).where(column == column.type.python_type(value)),
                                        model)).scalars().first()
    except (ValueError, TypeError, NotImplementedError):
        row = None
    return str(row) if row is not None else value


def print_buttons(entity: str | None, pk) -> list[dict]:
    """The 打印 buttons of a record's page: each report the user may use that prints ``entity``."""
    if not entity or pk is None:
        return []
    buttons = []
    try:
        available = reports_for()
    except Exception:  # noqa: BLE001 - a page never fails for want of a print button
        db.session.rollback()
        return []
    for report in available:
        if report.prints == entity:
            buttons.append({"key": report.key, "label": _("打印%(report)s", report=report.label),
                            "url": url_for("ReportCenterView.print_record", key=report.key,
                                           **{report.record_param(): pk})})
    return buttons


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

    def _page(self, entry, values=None, errors=None, message=None, preview=None, draft=False,
              status=200):
        values = values or {}
        chosen = {p["name"]: record_text(entry["key"], p["name"], values[p["name"]])
                  for p in entry["params"] if p["type"] == "record" and values.get(p["name"])}
        return self.render_template(
            "reports/report.html", entry=entry, values=values, chosen=chosen, errors=errors or {},
            message=message, preview=preview, draft=draft, form=FlaskForm(),
        ), status

    def _entry(self, key) -> dict:
        entry = next((e for e in report_entries() if e["key"] == key), None)
        if entry is None:
            abort(404)
        return entry

    @expose("/", methods=["GET"])
    @has_access
    @permission_name("list")
    def index(self):
        if request.args.get("report"):  # the old address of one report's panel
            return redirect(url_for("ReportCenterView.report", key=request.args["report"]))
        entries = report_entries()
        query = request.args.get("q", "")[:100]
        return self.render_template("reports/center.html", entries=matching(entries, query),
                                    total=len(entries), query=query)

    @expose("/<key>/", methods=["GET"])
    @has_access
    @permission_name("list")
    def report(self, key):
        """One report's page: its parameters (filled from the query string), preview and download."""
        entry = self._entry(key)
        values = {p["name"]: request.args[p["name"]] for p in entry["params"] if request.args.get(p["name"])}
        return self._page(entry, values=values)

    @expose("/<key>/records/<name>", methods=["GET"])
    @has_access
    @permission_name("list")
    def records(self, key, name):
        """The records a parameter may name, matching ``q``: the picker's type-ahead."""
        self._entry(key)
        try:
            page = max(0, int(request.args.get("page", 1)) - 1)
        except ValueError:
            page = 0
        results, more = record_matches(key, name, request.args.get("q", ""), page)
        return jsonify(results=results, pagination={"more": more})

    @expose("/<key>/print", methods=["GET"])
    @has_access
    @permission_name("list")
    def print_record(self, key):
        """The 打印 button of a record's page: the report of that record as PDF."""
        entry = self._entry(key)
        params = {p["name"]: request.args[p["name"]] for p in entry["params"] if p["name"] in request.args}
        try:
            return pdf_response(render_pdf(key, params), key)
        except ReportError as exc:
            db.session.rollback()
            if exc.status == 404:
                abort(404)
            return self._page(entry, values=params, errors=exc.errors, message=exc.message,
                              status=exc.status)

    @expose("/<key>/render", methods=["POST"])
    @has_access
    @permission_name("list")
    def render(self, key):
        form = FlaskForm()
        if not form.validate_on_submit():
            abort(400)
        entry = self._entry(key)
        values = request.form.to_dict()
        params = _form_params(entry, request.form)
        draft = request.form.get("draft") in ("1", "on", "true", "y")
        action = request.form.get("action")
        try:
            if action == "job" or (action == "pdf" and too_long_to_wait(key, params)):
                job = submit_render_job(key, params, draft)
                flash(_("报表较大或已选择后台生成：任务已排队，完成后可在此下载"), "info")
                return redirect(url_for("JobView.show", pk=job.id))
            if action == "pdf":  # the report's own PDF: a ledger draws every row, not the preview's
                return pdf_response(render_pdf(key, params, draft=draft), key)
            html = render_html(key, params, draft=draft)
        except ReportError as exc:
            db.session.rollback()
            if exc.status == 404:
                abort(404)
            return self._page(entry, values=values, errors=exc.errors, message=exc.message,
                              draft=draft, status=exc.status)
        return self._page(entry, values=values, preview=html, draft=draft)


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
            if fmt == "html":
                return Response(render_html(key, params, draft=draft), mimetype="text/html")
            pdf = render_pdf(key, params, draft=draft)
        except ReportError as exc:
            db.session.rollback()
            if exc.status == 404:
                return self.response(404, message=exc.message)
            return self.response(exc.status, message=exc.message, errors=exc.errors)
        return pdf_response(pdf, key)
