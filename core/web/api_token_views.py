"""我的 API 令牌: the screen and ``/api/v1/tokens/`` (list, create — shown once —, revoke)."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from core.extensions import db
from core.web.api_tokens import (
    STATES,
    TokenRefused,
    create_token,
    lifetimes,
    manageable_token,
    max_days,
    may_manage_any,
    revoke_token,
    token_json,
    token_state,
    tokens_of,
)

SHOWN_ONCE = _l("请立即复制并妥善保存此令牌：它只显示这一次，系统不保存明文，关闭页面后无法再次查看。"
                "令牌与您的账号权限相同，切勿发给他人或写入代码仓库。")


def _no_store(response):
    """A page or answer with a raw token is never cached."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


class ApiTokenView(BaseView):
    """我的 API 令牌: every logged-in user's own tokens; the system admin sees everyone's."""

    route_base = "/apitokens"
    default_view = "index"
    access = "personal"

    def _page(self, created=None, raw=None, error=None, name="", days=None, status=200):
        everyone = may_manage_any() and request.args.get("all") == "1"
        keys = tokens_of(None if everyone else current_user.id)
        page = self.render_template(
            "core/api_tokens.html", keys=keys, everyone=everyone, admin=may_manage_any(),
            states=STATES, state_of=token_state, lifetimes=lifetimes(), max_days=max_days(),
            created=created, raw=raw, shown_once=SHOWN_ONCE, error=error, name=name,
            days=days or (90 if 90 in lifetimes() else max_days()), form=FlaskForm(),
        )
        return _no_store((page, status))

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        return self._page()

    @expose("/create", methods=["POST"])
    @has_access
    @permission_name("add")
    def create(self):
        name, days = request.form.get("name", ""), request.form.get("days", "")
        if not FlaskForm().validate_on_submit():
            return self._page(error=_("表单已过期，请重试"), name=name, status=400)
        try:
            key, raw = create_token(current_user, name, days)
            db.session.commit()
        except TokenRefused as exc:
            db.session.rollback()
            return self._page(error=exc.message, name=name, days=days, status=exc.status)
        # rendered here, never flashed: a flash would carry the token into the session cookie
        return self._page(created=key, raw=raw)

    @expose("/<int:pk>/revoke", methods=["POST"])
    @has_access
    @permission_name("delete")
    def revoke(self, pk):
        back = url_for(".index", all=request.args.get("all"))
        if not FlaskForm().validate_on_submit():
            flash(_("表单已过期，请重试"), "danger")
            return redirect(back)
        key = manageable_token(pk, current_user)
        if key is None:
            abort(404)
        try:
            revoke_token(key)
            db.session.commit()
        except TokenRefused as exc:
            db.session.rollback()
            flash(exc.message, "warning")
        else:
            flash(_("已撤销令牌“%(name)s”（%(prefix)s…），使用它的请求将被拒绝",
                    name=key.name, prefix=key.key_prefix), "success")
        return redirect(back)


class ApiTokenApi(BaseApi):
    """``GET/POST /api/v1/tokens/``, ``DELETE /api/v1/tokens/<id>``: the same as the screen."""

    resource_name = "tokens"
    access = "personal"
    allow_browser_login = True
    openapi_spec_tag = "API Tokens"
    openapi_summaries = {
        "list_tokens": _l("我的 API 令牌列表（系统管理员加 ?all=1 查看所有用户的令牌）"),
        "create": _l("创建 API 令牌（name 名称，days 有效天数）：令牌明文只在此次应答中返回"),
        "revoke": _l("撤销 API 令牌"),
    }
    openapi_examples = {"create": {"name": "向自治区报送资产数据", "days": 90}}

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("list")
    def list_tokens(self):
        everyone = may_manage_any() and request.args.get("all") == "1"
        keys = tokens_of(None if everyone else current_user.id)
        return self.response(200, result=[token_json(k) for k in keys])

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("add")
    def create(self):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response(400, message=_("请求体应为 JSON 对象：{\"name\": …, \"days\": …}"))
        try:
            key, raw = create_token(current_user, body.get("name"), body.get("days"))
            db.session.commit()
        except TokenRefused as exc:
            db.session.rollback()
            return self.response(exc.status, message=exc.message)
        return _no_store(self.response(201, message=str(SHOWN_ONCE),
                                       result={**token_json(key), "token": raw}))

    @expose("/<int:pk>", methods=["DELETE"])
    @protect()
    @safe
    @permission_name("delete")
    def revoke(self, pk):
        key = manageable_token(pk, current_user)
        if key is None:
            return self.response_404()
        try:
            revoke_token(key)
            db.session.commit()
        except TokenRefused as exc:
            db.session.rollback()
            return self.response(exc.status, message=exc.message)
        return self.response(200, message=_("令牌已撤销"), result=token_json(key))
