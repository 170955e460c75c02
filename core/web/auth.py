"""One authentication step for every request: browser session, JWT bearer, personal API token.

``authenticate_request`` runs before every other ``before_request`` function. When the
request carries ``Authorization: Bearer …`` it resolves the token — a personal API token
(``jg_…``, core/web/api_tokens.py) or a JWT *access* token from ``/api/v1/security/login`` — to
the user and makes that user the request's user for Flask-Login (``current_user``) and FAB
(``g.user``). Scope (``current_scope``), module activation and the security manager's
``has_access`` all read that one user, so every path sees the same records and modules.
A bad, expired or revoked token, a refresh token used as an access token, or an inactive
user answers 401 with a Chinese message: a bearer request is never silently anonymous.
Without a bearer header Flask-Login reads the session as before.

A bearer request never gets a session cookie (``_BearerSafeSessions``): its user lives in
the request only. ``auth_method()`` says how the user was authenticated.
"""

from __future__ import annotations

import json

from flask import Flask, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import get_current_user, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError

INVALID_TOKEN = _l("身份令牌无效、已过期或已被撤销，请重新登录或换用有效的 API 令牌")
MISSING_TOKEN = _l("需要登录：请使用浏览器会话，或在 Authorization 请求头中携带 Bearer 令牌")
#: FAB's stock API answers, in Chinese (its own strings are English and not translated).
FAB_MESSAGES = {
    "Not authorized": MISSING_TOKEN,
    "Forbidden": _l("无权访问：您的角色不包括此操作"),
    "Not found": _l("记录不存在，或不在您的权限范围内，或所属模块未在本辖区启用"),
    "Arguments are not correct": _l("请求参数不正确"),
}


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header ("" if the header is malformed)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def unauthorized(message=INVALID_TOKEN):
    response = jsonify(message=str(message))
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="jiguan"'
    return response


def _security_endpoint(name: str) -> str:
    return f"{current_app.appbuilder.sm.security_api.__name__}.{name}"


def user_for_token(token: str):
    """The active user a bearer token stands for, or None; sets ``g.jiguan_auth``."""
    if not token:
        return None
    if current_app.appbuilder.sm.extract_api_key_from_request() is not None:  # "jg_…"
        from core.web.api_tokens import user_for_api_token

        g.jiguan_auth = "api_token"
        return user_for_api_token(token)  # hash, not revoked, not expired, user active
    g.jiguan_auth = "jwt"
    try:
        verify_jwt_in_request()  # signature, expiry, and an access token: refresh tokens fail
    except (JWTExtendedException, PyJWTError):
        return None
    # FAB's load_user_jwt → the security manager's load_user: roles and organisation loaded,
    # None for an inactive user (then verify_jwt_in_request has raised already)
    return get_current_user()


def authenticate_request():
    """Before anything else: a bearer header decides the request's user, or answers 401."""
    token = bearer_token()
    if token is None or request.endpoint == _security_endpoint("login"):
        return None
    g.jiguan_bearer = True
    if request.endpoint == _security_endpoint("refresh"):
        # FAB's refresh view takes a refresh token, and only that; refuse others in Chinese
        try:
            verify_jwt_in_request(refresh=True)
        except (JWTExtendedException, PyJWTError):
            return unauthorized()
        return None
    user = user_for_token(token)
    if user is None:
        return unauthorized()
    for derived in ("jiguan_scope", "jiguan_modules", "jiguan_access", "jiguan_roles"):
        g.pop(derived, None)  # nothing read before this step may stand for another user
    # the request's user for Flask-Login (what login_user does, without touching the session)
    current_app.login_manager._update_request_context_with_user(user)
    g.user = user
    if g.jiguan_auth == "api_token":
        from core.web.api_tokens import note_token_use

        note_token_use()
    return None


class _BearerSafeSessions:
    """The app's session interface, except that it never sets a cookie on a bearer request or
    on an API request that came without one (FAB writes the locale into every session)."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def save_session(self, app, session, response):
        cookie = app.config.get("SESSION_COOKIE_NAME", "session")
        if g.get("jiguan_bearer") or (request.path.startswith("/api/") and cookie not in request.cookies):
            return None
        return self._inner.save_session(app, session, response)


def auth_method() -> str | None:
    """How the request's user was authenticated: ``session``, ``jwt``, ``api_token`` or None."""
    from flask_login import current_user

    if "jiguan_auth" in g:
        return g.jiguan_auth
    return "session" if current_user.is_authenticated else None


def _chinese_fab_messages(response):
    """FAB's APIs answer 400/401/403/404 in English: give the Chinese message instead."""
    if (response.status_code in (400, 401, 403, 404) and request.path.startswith("/api/")
            and response.is_json):
        body = response.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("message"), str) \
                and body["message"] in FAB_MESSAGES:
            body["message"] = str(FAB_MESSAGES[body["message"]])
            response.set_data(json.dumps(body, ensure_ascii=False))
    return response


def _jwt_refusals(jwt_manager) -> None:
    """flask-jwt-extended answers what reaches it (no header at all, FAB's refresh view) in
    English with 401 or 422: answer 401 in Chinese."""
    jwt_manager.unauthorized_loader(lambda _reason: unauthorized(MISSING_TOKEN))
    for loader in (jwt_manager.invalid_token_loader, jwt_manager.needs_fresh_token_loader,
                   jwt_manager.expired_token_loader, jwt_manager.revoked_token_loader,
                   jwt_manager.user_lookup_error_loader,
                   jwt_manager.token_verification_failed_loader):
        loader(lambda *_args: unauthorized())


def init_auth(app: Flask) -> None:
    """Install the step; call after FAB's AppBuilder is initialised (its hooks exist then)."""
    from flask_appbuilder.api import BaseApi

    app.before_request_funcs.setdefault(None, []).insert(0, authenticate_request)
    app.after_request(_chinese_fab_messages)
    from core.web.login_guard import init_login_guard
    from core.web.sessions import init_sessions

    # sessions on the server (core/web/sessions.py), never written for a bearer request
    app.session_interface = _BearerSafeSessions(init_sessions(app))
    init_login_guard(app)
    _jwt_refusals(app.appbuilder.sm.jwt_manager)
    # FAB's own APIs (users, roles …) would read only a JWT; let them take the request's user
    # from this step like every other API, so an admin's API token works there too
    for view in app.appbuilder.baseviews:
        if isinstance(view, BaseApi):
            view.allow_browser_login = True
