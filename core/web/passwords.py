"""The password policy: every path that sets a password checks it.

FAB calls ``FAB_PASSWORD_COMPLEXITY_VALIDATOR`` on its password fields — the user add form,
both reset password forms and the user API (core/web/login_guard.py sets it); the CLI's
``create_user`` and the security manager's ``add_user`` (``jiguan fab create-admin``) call
``check_password`` themselves. Settings: ``PASSWORD_MIN_LENGTH``, ``PASSWORD_MIN_CLASSES``.
"""

from __future__ import annotations

import re

from flask import current_app, has_request_context, request
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


def password_problem(password: str, username: str | None = None) -> str | None:
    """What is wrong with ``password`` under the policy (a Chinese sentence), or None."""
    config = current_app.config
    length, classes = config["PASSWORD_MIN_LENGTH"], config["PASSWORD_MIN_CLASSES"]
    password = password if isinstance(password, str) else ""
    if len(password) < length or sum(bool(re.search(c, password)) for c in CLASSES) < classes:
        return _("密码至少 %(length)s 位，并包含小写字母、大写字母、数字、其他符号中的至少 "
                 "%(classes)s 类", length=length, classes=classes)
    if username and username.strip().lower() in password.lower():
        return _("密码不能包含登录名")
    return None


def check_password(password: str, username: str | None = None) -> None:
    problem = password_problem(password, username)
    if problem:
        raise PasswordComplexityValidationError(problem)


def _username_in_request() -> str | None:
    """The login name the password is for: the form or body being sent, else the user edited."""
    if not has_request_context():
        return None
    if request.form.get("username"):
        return request.form["username"]
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict) and isinstance(body.get("username"), str):
        return body["username"]
    sm = current_app.appbuilder.sm
    pk = request.args.get("pk") or (request.view_args or {}).get("pk")
    if pk is not None and str(pk).isdigit():
        user = sm.get_user_by_id(int(pk))
        if user is not None:
            return user.username
    from flask_login import current_user

    if request.endpoint and "ResetMyPassword" in request.endpoint and current_user.is_authenticated:
        return current_user.username
    return None


def fab_password_validator(password: str) -> None:
    """FAB's hook (``FAB_PASSWORD_COMPLEXITY_VALIDATOR``): the policy, with the request's name."""
    check_password(password, _username_in_request())
