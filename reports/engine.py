"""Render a registered report: validate parameters, build the context in a scope, HTML → PDF.

The guarantees (docs/reports.md): parameters are validated by the report's schema
(``ReportError`` 422 naming the field, in Chinese); a report of a module inactive
for the scope's jurisdiction does not exist (``ReportError`` 404); the context is
built for the given scope only; WeasyPrint fetches nothing but ``file:`` and
``data:`` URLs (fonts come from the system's fontconfig); a PDF whose text uses a script no
installed font covers is refused (``ReportError`` 503 naming the Debian package), never
produced with empty boxes (reports/fonts.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import marshmallow
from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup
from marshmallow import ValidationError, fields

from core.display import local_now, local_today, text_direction, zone_label
from core.errors import WriteRefused
from core.extensions import db
from core.fab.validation import chinese_message
from core.scoping import UserScope, current_scope
from core.state import get_state
from reports.registry import Report

HERE = Path(__file__).resolve().parent
CSS_FILE = HERE / "static" / "report.css"


class ReportError(WriteRefused):
    """A report cannot be rendered: bad parameters (422), no such report here (404), or no
    font for a script of its text on this machine (503)."""

    def __init__(self, message, status: int = 422, errors: dict | None = None):
        super().__init__(message)
        self.status = status
        #: field name → Chinese message, for forms and the API.
        self.errors = errors or {}


def beijing_now() -> dt.datetime:
    """Now in the display time zone (``DISPLAY_TIMEZONE``, Beijing time by default)."""
    return local_now()


def beijing_today() -> dt.date:
    """Today in the display time zone: the default date of report and form parameters."""
    return local_today()


def chinese_date(day: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日", y=day.year, m=day.month, d=day.day)


# --- which reports a scope may use ----------------------------------------------------


def modules_for_scope(scope: UserScope) -> set[str]:
    """Modules active for ``scope``'s jurisdiction (every one for the system)."""
    from core.activation import active_modules
    from core.tenancy import Jurisdiction

    if scope.jurisdiction_id is None:
        return set(get_state().modules) if scope.kind == "all" else set()
    return active_modules(db.session.get(Jurisdiction, scope.jurisdiction_id))


def reports_for(scope: UserScope | None = None) -> list[Report]:
    """The reports of the modules active for ``scope`` (the current user by default)."""
    scope = scope or current_scope()
    if scope.kind == "none":
        return []
    active = modules_for_scope(scope)
    return [r for r in get_state().reports if r.module in active]


def get_report(key: str, scope: UserScope | None = None) -> Report:
    """The report ``key`` if the scope may use it; otherwise ``ReportError`` 404."""
    scope = scope or current_scope()
    report = get_state().reports.get(key)
    if report is None or scope.kind == "none" or report.module not in modules_for_scope(scope):
        raise ReportError(_("报表不存在或所属模块未在本辖区启用"), status=404)
    return report


# --- parameters -----------------------------------------------------------------------


def field_label(name: str, field: fields.Field) -> str:
    return str(field.metadata.get("label") or name)


def validate_params(report: Report, params: dict | None) -> dict:
    """Load ``params`` with the report's schema; ``ReportError`` 422 naming each bad field."""
    try:
        return report.params_schema().load(dict(params or {}))
    except ValidationError as exc:
        raise _params_error(report, exc) from exc


def _params_error(report: Report, exc: ValidationError) -> ReportError:
    """``ReportError`` 422 naming each bad field in Chinese."""
    schema = report.params_schema()
    errors: dict[str, str] = {}
    for name, messages in exc.normalized_messages().items():
        if isinstance(messages, dict):  # nested: flatten
            messages = [m for ms in messages.values() for m in ms]
        field = schema.fields.get(name)
        if field is None:
            errors[name] = _("未知参数“%(name)s”", name=name)
            continue
        reason = "；".join(chinese_message(m) for m in messages)
        errors[name] = _("参数“%(label)s”%(reason)s", label=field_label(name, field),
                         reason=reason)
    return ReportError("；".join(errors.values()), status=422, errors=errors)


def describe_params(report: Report) -> list[dict]:
    """The parameter fields as data: name, label, type, required, default, choices."""
    from marshmallow import validate

    described = []
    for name, field in report.params_schema().fields.items():
        if field.dump_only:
            continue
        kind = "string"
        if isinstance(field, fields.Date):
            kind = "date"
        elif isinstance(field, fields.Integer):
            kind = "integer"
        elif isinstance(field, fields.Number):
            kind = "number"
        elif isinstance(field, fields.Boolean):
            kind = "boolean"
        choices = None
        for validator in field.validators:
            if isinstance(validator, validate.OneOf):
                labels = field.metadata.get("choices") or {}
                choices = [{"value": c, "label": str(labels.get(c, c))} for c in validator.choices]
                kind = "choice"
        if field.metadata.get("record") is not None:
            kind = "record"  # a record of an entity type: a type-ahead box, never a typed id
        described.append({
            "name": name, "label": field_label(name, field), "type": kind,
            "required": bool(field.required), "default": _default(field),
            "choices": choices, "help": str(field.metadata.get("description") or ""),
        })
    return described


def _default(field: fields.Field):
    """The field's default as the form shows it; none (not ``<marshmallow.missing>``) if it has none."""
    default = field.load_default
    if callable(default):
        default = default()
    if default is None or default is marshmallow.missing:
        return None
    if not isinstance(default, (str, int, float, bool)):
        default = default.isoformat() if hasattr(default, "isoformat") else str(default)
    return default


# --- context and rendering ---------------------------------------------------------------


def _issuer(scope: UserScope) -> str:
    from sqlalchemy import select

    from core.tenancy import Jurisdiction, Organization

    if scope.organization_id is not None:
        org = db.session.get(Organization, scope.organization_id)
        if org is not None:
            return org.name
    bureau = db.session.execute(
        select(Organization.name).join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
        .where(Organization.is_bureau.is_(True), Jurisdiction.level == "region")
        .order_by(Organization.id).limit(1)
    ).scalar_one_or_none()
    from flask import current_app

    return bureau or str(current_app.config.get("APP_NAME") or "")


def _author(scope: UserScope) -> str:
    if scope.user_id is None:
        return _("系统")
    user = db.session.get(current_app.appbuilder.sm.user_model, scope.user_id)
    name = user.get_full_name() if user is not None else ""  # 姓名 order (core/web/security.py)
    return f"{name}（{scope.username}）" if name else scope.username


def _lang() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return "zh-CN" if locale is None or locale.language == "zh" else str(locale).replace("_", "-")


def _footer_css() -> str:
    """The page footer's CSS ``content`` value: 第 X 页 共 Y 页 in the user's language."""
    text = _("第 %(page)s 页 共 %(pages)s 页", page="\x00page\x00", pages="\x00pages\x00")
    parts = []
    for piece in text.split("\x00"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)


def build(key: str, params: dict | None, scope: UserScope | None = None,
          draft: bool = False) -> tuple[Report, dict]:
    """Check access and parameters, build the full template context."""
    scope = scope or current_scope()
    report = get_report(key, scope)
    values = validate_params(report, params)
    try:
        context = dict(report.build_context(values, scope) or {})
    except ValidationError as exc:  # a parameter only the data shows wrong (no such unit …)
        raise _params_error(report, exc) from exc
    now = beijing_now()
    orientation = context.pop("orientation", None) or report.orientation
    base = {
        "report": report,
        "title": str(report.label),
        "subtitle_ug": "",
        "issuer": _issuer(scope),
        "period": _("截至 %(date)s", date=chinese_date(now.date())),
        "generated_at": now,
        "generated_at_text": _("%(date)s %(time)s（%(zone)s）", date=chinese_date(now.date()),
                               time=now.strftime("%H:%M"), zone=zone_label()),
        "generated_by": _author(scope),
        "draft": bool(draft),
        "signatures": [str(s) for s in report.signatures],
        "orientation": orientation,
        "params": values,
        "scope": scope,
        "report_css": Markup(CSS_FILE.read_text(encoding="utf-8")),
        "footer_content": Markup(_footer_css()),
        "lang": _lang(),
        "text_dir": text_direction(),
    }
    base.update(context)
    base["orientation"] = orientation
    return report, base


def render_html(key: str, params: dict | None, scope: UserScope | None = None,
                draft: bool = False) -> str:
    """The report's HTML, for the preview and for WeasyPrint."""
    report, context = build(key, params, scope, draft)
    return render_template(report.template, **context)


def url_fetcher():
    """WeasyPrint's fetcher limited to local files and data URLs: a report never goes online."""
    from reports.weasy import load

    load()  # its native libraries found in one look-up (reports/weasy.py)
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"}, timeout=1)


def require_fonts(scripts) -> None:
    """``ReportError`` 503 naming the Debian package when a script of ``scripts`` has no font.

    ``scripts`` is a set or a callable giving it, called only when some script lacks a font
    (the usual machine has them all: no scan of the text)."""
    from reports import fonts

    if fonts.available() >= set(fonts.SCRIPTS):
        return
    message = fonts.missing_message(scripts() if callable(scripts) else scripts)
    if message:
        raise ReportError(message, status=503)


#: context entries that are layout, not text of the report (CSS, the language tag …)
_LAYOUT_KEYS = ("report_css", "footer_content", "lang", "text_dir", "orientation")


def _strings(value):
    """Every string in a context value, through dicts, lists and tuples (a ledger's rows)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def html_to_pdf(html: str) -> bytes:
    from reports import fonts
    from reports.weasy import load

    require_fonts(lambda: fonts.scripts_in(html, markup=True))
    return load().HTML(string=html, base_url=str(HERE) + "/", url_fetcher=url_fetcher()).write_pdf()


def render_pdf(key: str, params: dict | None, scope: UserScope | None = None,
               draft: bool = False) -> bytes:
    """The report as PDF bytes, rendered for ``scope`` (the current user by default).

    Raises :class:`ReportError` (422 bad parameters, 404 no such report for the
    scope, 503 no font for a script of its text: no PDF is produced). Safe to call from a
    background job inside an app context.
    """
    report, context = build(key, params, scope, draft)
    if report.render_pdf is not None:
        from reports import fonts

        # a ledger's monospaced CJK layout needs the Han font whatever its rows hold
        require_fonts(lambda: {"han"} | fonts.scripts_in("\n".join(_strings(
            {k: v for k, v in context.items() if k not in _LAYOUT_KEYS}))))
        return report.render_pdf(context)
    return html_to_pdf(render_template(report.template, **context))


def ledger_meta(context: dict) -> dict:
    """The official-layout lines of a ledger report (制表单位, 报表期间, 生成时间, 制表人)."""
    return {
        _("制表单位"): context["issuer"], _("报表期间"): context["period"],
        _("生成时间"): context["generated_at_text"], _("制表人"): context["generated_by"],
    }


def pdf_filename(key: str, ascii: bool = False) -> str:
    """The PDF's file name: the report's Chinese label and the date (the key for ASCII-only clients)."""
    report = get_state().reports.get(key)
    name = key if ascii or report is None else str(report.label)
    return f"{name}-{beijing_now().date().isoformat()}.pdf"


def content_disposition(key: str) -> str:
    """``attachment`` with the Chinese name for browsers (RFC 5987 ``filename*``), like the XLSX files."""
    from urllib.parse import quote

    return (f'attachment; filename="{pdf_filename(key, ascii=True)}"; '
            f"filename*=UTF-8''{quote(pdf_filename(key))}")
