"""CSRF on every state change: the screens by Flask-WTF's ``CSRFProtect``, the API by a header.

Flask-AppBuilder registers no CSRF protection of its own; a ``FlaskForm`` checks its token,
but screens reading ``request.form`` (stocktake counts, surplus rows …) and FAB's
``GET /<view>/delete/<pk>`` did not. ``init_csrf`` registers ``CSRFProtect`` before FAB starts,
so every POST/PUT/PATCH/DELETE of a screen needs the token (form field ``csrf_token`` or the
``X-CSRFToken`` header), and FAB itself refuses state changes on GET once it sees the extension.

FAB exempts its API blueprints (``BaseApi.csrf_exempt``): a program sends a bearer token, which
a foreign page cannot. ``api_write_guard`` runs right after the authentication step
(core/web/auth.py) and closes what a browser could still forge there:

- a write whose body is not JSON answers 415 — a foreign page can send ``text/plain``,
  form-encoded and multipart bodies without a CORS preflight, never ``application/json``;
  an upload endpoint (named in its API class's ``multipart_methods``) takes
  ``multipart/form-data`` only;
- a write authenticated by the session cookie needs the CSRF token in ``X-CSRFToken``
  (``<meta name="csrf-token">`` of every page); a valid ``Authorization: Bearer`` (JWT or
  ``jg_`` API token) needs none.
"""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect, ValidationError, validate_csrf

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
HEADERS = ("X-CSRFToken", "X-CSRF-Token")
CSRF_REFUSED = _l("安全令牌（CSRF）缺失或已失效：请刷新页面后重试。"
                  "脚本以浏览器会话调用接口时，请在 X-CSRFToken 请求头中附带页面的 csrf-token")
JSON_ONLY = _l("接口只接受 JSON 请求体（Content-Type: application/json）")
MULTIPART_ONLY = _l("此接口只接受文件上传（Content-Type: multipart/form-data）")

csrf = CSRFProtect()


def _refusal(message, status: int):
    response = jsonify(message=str(message))
    response.status_code = status
    return response


def _is_upload_endpoint() -> bool:
    """Whether the API method answering is named in its class's ``multipart_methods``."""
    view = current_app.view_functions.get(request.endpoint or "")
    api = getattr(view, "__self__", None)  # FAB registers the API's bound methods
    return getattr(view, "__name__", None) in (getattr(api, "multipart_methods", None) or ())


def _body_refusal():
    """415 unless the body is JSON (or multipart on an upload endpoint); no body is fine."""
    mimetype = request.mimetype
    has_body = bool(mimetype) or bool(request.content_length) or \
        request.headers.get("Transfer-Encoding", "").lower() == "chunked"
    if _is_upload_endpoint():
        return None if mimetype == "multipart/form-data" else _refusal(MULTIPART_ONLY, 415)
    if not has_body or mimetype == "application/json" or mimetype.endswith("+json"):
        return None
    return _refusal(JSON_ONLY, 415)


def session_token_valid() -> bool:
    """Whether the request carries this session's CSRF token (header or form field)."""
    token = next((request.headers[h] for h in HEADERS if request.headers.get(h)), None)
    if token is None and request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        token = request.form.get("csrf_token")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


def api_write_guard():
    """Before every API write, after the authentication step: JSON bodies, and the token for
    a cookie session."""
    if not request.path.startswith("/api/") or request.method in SAFE_METHODS:
        return None
    refused = _body_refusal()
    if refused is not None:
        return refused
    if g.get("jiguan_bearer") or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None  # authenticate_request has answered 401 for a bad bearer token already
    if current_user.is_authenticated and not session_token_valid():
        return _refusal(CSRF_REFUSED, 400)
    return None


def _csrf_error(error: CSRFError):
    if request.path.startswith("/api/"):
        return _refusal(CSRF_REFUSED, 400)
    appbuilder = current_app.appbuilder
    if "user" not in g:  # refused before FAB's own before_request set it: the menu needs it
        g.user = current_user
    return render_template("core/error.html", appbuilder=appbuilder,
                           base_template=appbuilder.base_template, code=400,
                           title=_l("请求未通过安全校验"), message=CSRF_REFUSED), 400


def init_csrf(app: Flask) -> None:
    """Register ``CSRFProtect`` before AppBuilder, so FAB sees it (API blueprints exempt, no
    mutation on GET); the Chinese refusal for screens."""
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_error)


def install_api_guard(app: Flask) -> None:
    """Put ``api_write_guard`` right after the authentication step (core/web/auth.py)."""
    funcs = app.before_request_funcs.setdefault(None, [])
    from core.web.auth import authenticate_request

    at = funcs.index(authenticate_request) + 1 if authenticate_request in funcs else 0
    funcs.insert(at, api_write_guard)
