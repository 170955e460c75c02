"""Long XLSX work as background jobs (我的任务, docs/jobs.md): big exports and big imports.

A request answers within seconds; an export of more than ``XLSX_EXPORT_JOB_ROWS``
rows, or an import of more than ``XLSX_IMPORT_JOB_ROWS``, runs as a job of the
submitting user instead (same scope, same checks, same all-or-nothing) and the
user follows it on the job page.
"""

from __future__ import annotations

import base64
import io
import tempfile

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.scoping import current_scope
from core.xlsx.columns import MIME, XlsxError, entity_view, permission_for
from core.xlsx.export import download_name, list_query, plain_query, write_export

#: Defaults of ``XLSX_EXPORT_JOB_ROWS`` / ``XLSX_IMPORT_JOB_ROWS``; 0 turns the job off.
EXPORT_JOB_ROWS = 20_000
IMPORT_JOB_ROWS = 1_000
#: How many row errors a failed import job's message lists (the job message holds 2,000 characters).
JOB_ERRORS = 30


def job_rows(setting: str, default: int) -> int:
    value = current_app.config.get(setting)
    return default if value is None else int(value)


def _refused(message):
    from core.jobs import JobRefused

    return JobRefused(message)


def _entity(params: dict, scope, permission: str | None = None):
    """The entity type of a job, checked as the request would: module active, and the permission."""
    from core.activation import active_modules
    from core.state import get_state

    key = params.get("key")
    entity = get_state().entities.get(key) if isinstance(key, str) else None
    if entity is None:
        raise _refused(_("没有这种数据类型"))
    if scope.kind == "all":
        return entity
    from core.tenancy import Jurisdiction

    jurisdiction = db.session.get(Jurisdiction, scope.jurisdiction_id) if scope.jurisdiction_id else None
    if jurisdiction is None or entity.module not in active_modules(jurisdiction):
        raise _refused(_("该数据类型所属模块未在本辖区启用"))
    if permission and not _user_may(entity, scope, permission):
        raise _refused(_("您无权对“%(what)s”执行此操作", what=entity.label))
    return entity


def _user_may(entity, scope, permission: str) -> bool:
    sm = current_app.appbuilder.sm
    user = sm.get_user_by_id(scope.user_id) if scope.user_id else None
    return user is not None and sm._has_view_access(user, *permission_for(entity, permission))


# --- export ---------------------------------------------------------------------------------------

def _validate_export(params: dict, scope) -> None:
    _entity(params, scope, "can_export")
    if not isinstance(params.get("args", {}), dict):
        raise _refused(_("参数 args 应为列表页的查询参数对象"))


def run_export(params: dict, progress):
    """``xlsx.export``: {"key": entity key, "args": the list page's query arguments} → the .xlsx.

    Runs as the submitter (the job runner's ``acting_as``), so the scope is theirs;
    the list's filters are parsed from ``args`` exactly as in the request.
    """
    from core.jobs import JobResult

    entity = _entity(params, current_scope())
    view = entity_view(entity)
    with current_app.test_request_context("/", query_string=params.get("args") or {}):
        query = list_query(view) if view is not None else plain_query(entity)
        total = max(1, query.order_by(None).count())
        out = tempfile.TemporaryFile()
        write_export(entity, query, out, progress=lambda n: progress(min(99, n * 100 // total)))
    out.seek(0)
    return JobResult(data=out.read(), filename=download_name(entity), mimetype=MIME)


# --- import ---------------------------------------------------------------------------------------

def import_params(entity, data: bytes, filename: str, dry_run: bool, rows: int | None = None) -> dict:
    """The job's parameters; ``rows`` (the file's data rows, counted when it was checked) lets the
    job's page show the rate, seconds per 1,000 rows, beside the bar."""
    params = {"key": entity.key, "file": base64.b64encode(data).decode("ascii"), "filename": filename,
              "dry_run": bool(dry_run)}
    if rows is not None:
        params["rows"] = int(rows)
    return params


def _validate_import(params: dict, scope) -> None:
    _entity(params, scope, "can_add")
    if not isinstance(params.get("file"), str):
        raise _refused(_("参数 file 应为 Base64 编码的 .xlsx 文件"))


def _report(entity, result) -> bytes:
    """The job's result file: the summary (the rows were written; nothing to correct)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("导入结果")
    ws.append([_("数据类型"), str(entity.label)])
    ws.append([_("结果"), result.summary()])
    ws.append([_("数据行数"), result.rows])
    ws.append([_("新增记录"), result.created])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(params: dict, progress):
    """``xlsx.import``: {"key", "file": base64 .xlsx, "filename", "dry_run"} → a result sheet.

    Fails with the row errors (the first ``JOB_ERRORS``) when any row is wrong;
    then, as in the request, nothing was written.
    """
    from core.jobs import JobError, JobResult
    from core.xlsx.importer import import_xlsx

    entity = _entity(params, current_scope(), "can_add")
    report = None
    # progress is written on its own connection; SQLite locks the whole file while the
    # import's transaction is open, so there the job shows no progress until it ends
    if db.engine.dialect.name != "sqlite":
        def report(done, total):
            progress(min(99, done * 100 // total))
    try:
        data = base64.b64decode(params["file"], validate=True)
        result = import_xlsx(entity, io.BytesIO(data), dry_run=bool(params.get("dry_run")), progress=report)
    except XlsxError as exc:
        raise JobError(exc.message) from exc
    except ValueError as exc:
        raise JobError(_("上传的文件已损坏，请重新导入")) from exc
    if not result.ok:
        # one per line for the API; the "；" keeps them apart where a page folds the lines
        lines = [result.summary(), *[f"{e}；" for e in result.errors[:JOB_ERRORS]]]
        hidden = len(result.errors) + result.more_errors - JOB_ERRORS
        if hidden > 0:
            lines.append(_("另有 %(n)s 处错误未列出；请先改正以上各处后重新导入。", n=hidden))
        raise JobError("\n".join(lines))
    return JobResult(data=_report(entity, result), filename=download_name(entity, _("导入结果")),
                     mimetype=MIME)


def job_kinds() -> list:
    """The XLSX service's job kinds (``register_job_kinds``)."""
    from core.contract import JobKind

    return [JobKind("xlsx.export", run_export, label=_l("导出 Excel"), validate=_validate_export),
            JobKind("xlsx.import", run_import, label=_l("导入 Excel"), validate=_validate_import)]
