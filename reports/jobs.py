"""The reports service's job kind: a long PDF rendered in the background (docs/jobs.md)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.contract import JobKind
from core.jobs import JobRefused, JobResult
from core.scoping import UserScope, current_scope


def _report_engine():
    from reports import engine

    return engine


def validate_report(params: dict, scope: UserScope) -> None:
    """Refuse before queueing: an unknown report, one the user's modules do not offer, bad params."""
    if not isinstance(params.get("key"), str) or not isinstance(params.get("params", {}), dict):
        raise JobRefused(_l("报表任务需要参数 key（报表标识）和 params（报表参数对象）"))
    engine = _report_engine()
    report = engine.get_report(params["key"], scope)
    engine.validate_params(report, params.get("params") or {})


def render_report(params: dict, progress) -> JobResult:
    """``report.render``: {"key": report key, "params": {...}, "draft": bool} → the PDF."""
    engine = _report_engine()
    progress(5)
    data = engine.render_pdf(params["key"], params.get("params") or {}, scope=current_scope(),
                             draft=bool(params.get("draft", False)))
    namer = getattr(engine, "pdf_filename", None)
    filename = namer(params["key"]) if namer else f"{params['key']}.pdf"
    return JobResult(data=data, filename=filename, mimetype="application/pdf")


JOB_KINDS = [JobKind("report.render", render_report, label=_l("生成报表"), validate=validate_report)]
