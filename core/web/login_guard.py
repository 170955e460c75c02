"""Password guessing: failed logins counted per account name and per client address.

Both login paths — the form (``/login/``) and ``POST /api/v1/security/login`` — go through the
security manager's ``auth_user_db`` (core/web/security.py), which asks here first. After
``LOGIN_MAX_FAILURES`` failures of one name, or ``LOGIN_MAX_FAILURES_PER_ADDRESS`` from one
address, within ``LOGIN_FAILURE_WINDOW``, that name or address is locked for
``LOGIN_LOCKOUT``: every attempt is refused before the password is looked at, with the same
Chinese message whether the name exists or not (names that do not exist are counted and locked
alike). The counters live in the app's database (``core_login_throttle``), so every web node
and ``jiguan user unlock`` see the same ones. Every failure, lockout and unlock is audited
(entity ``login``, no organisation: the system admin's audit screen shows them).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, request
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.web.sessions import as_timedelta

throttle_table = sa.Table(
    "core_login_throttle", Model.metadata,
    sa.Column("key", sa.String(200), primary_key=True),  # "user:<name>" or "addr:<address>"
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("window_start", sa.DateTime, nullable=False),
    sa.Column("locked_until", sa.DateTime),
)
LOCKED = _l("登录失败次数过多，该账号或本机地址已被暂时锁定，请稍后再试或联系系统管理员解锁")
FAILED = _l("用户名或密码错误")
AUDIT_ENTITY = "login"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _keys(username: str, address: str | None) -> list[tuple[str, int]]:
    config = current_app.config
    keys = [(f"user:{(username or '').strip().lower()[:190]}", config["LOGIN_MAX_FAILURES"])]
    if address:
        keys.append((f"addr:{address[:190]}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return keys


def client_address() -> str | None:
    return request.remote_addr


def locked(username: str, address: str | None) -> bool:
    """Whether the name or the address is locked now."""
    t = throttle_table
    now = utcnow()
    keys = [k for k, _max in _keys(username, address)]
    found = db.session.execute(
        sa.select(t.c.key).where(t.c.key.in_(keys), t.c.locked_until > now)).first()
    return found is not None


def _audit(username: str, action: str, detail: dict) -> None:
    from core.models import AuditLog

    db.session.add(AuditLog(user_id=None, username=(username or "-")[:128], entity=AUDIT_ENTITY,
                            entity_id=(username or "-")[:64], action=action, after=detail))


def _count(conn, key: str, now: dt.datetime, window: dt.timedelta) -> int:
    """One more failure on ``key`` (atomically, a new window when the last one is over)."""
    t = throttle_table
    fresh = t.c.window_start < now - window
    update = t.update().where(t.c.key == key).values(
        failures=sa.case((fresh, 1), else_=t.c.failures + 1),
        window_start=sa.case((fresh, now), else_=t.c.window_start))
    if not conn.execute(update).rowcount:
        try:
            with conn.begin_nested():
                conn.execute(t.insert().values(key=key, failures=1, window_start=now))
        except sa.exc.IntegrityError:  # a concurrent failure inserted it first
            conn.execute(update)
    return conn.execute(sa.select(t.c.failures).where(t.c.key == key)).scalar_one()


def record_failure(username: str, address: str | None) -> None:
    """Count a failed login; lock what reached its limit; audit both; commit."""
    config = current_app.config
    now = utcnow()
    conn = db.session.connection()
    lockouts = []
    for key, limit in _keys(username, address):
        failures = _count(conn, key, now, as_timedelta(config["LOGIN_FAILURE_WINDOW"]))
        if failures >= limit:
            until = now + as_timedelta(config["LOGIN_LOCKOUT"])
            conn.execute(throttle_table.update().where(throttle_table.c.key == key)
                         .values(locked_until=until, failures=0, window_start=now))
            lockouts.append({"locked": key, "until": until.isoformat(timespec="seconds"),
                             "failures": failures})
    _audit(username, "login_fail", {"address": address})
    for detail in lockouts:
        _audit(username, "lockout", {"address": address, **detail})
    db.session.commit()


def record_refused(username: str, address: str | None) -> None:
    """An attempt while locked: not counted (the lock stands), but on the trail."""
    _audit(username, "login_refused", {"address": address})
    db.session.commit()


def record_success(username: str) -> None:
    """A good password ends the name's run of failures (an address's count stays)."""
    key = _keys(username, None)[0][0]
    db.session.execute(throttle_table.delete().where(throttle_table.c.key == key))
    db.session.commit()


def unlock(username: str | None = None, address: str | None = None, by: str = "system") -> int:
    """Lift the lock and the count of a name and/or an address (audited); how many were lifted."""
    keys = []
    if username:
        keys.append(f"user:{username.strip().lower()}")
    if address:
        keys.append(f"addr:{address}")
    done = db.session.execute(throttle_table.delete().where(throttle_table.c.key.in_(keys))).rowcount
    _audit(username or address, "unlock", {"keys": keys, "by": by, "address": address})
    db.session.commit()
    return done


def _security_login_endpoint() -> str:
    return f"{current_app.appbuilder.sm.security_api.__name__}.login"


def _api_answers(response):
    """The API login answers a lockout with 429 and a failed login with a Chinese 401."""
    if request.endpoint != _security_login_endpoint():
        return response
    if g.get("jiguan_login_locked"):
        refused = jsonify(message=str(LOCKED))
        refused.status_code = 429
        refused.headers["Retry-After"] = str(int(as_timedelta(current_app.config["LOGIN_LOCKOUT"])
                                                 .total_seconds()))
        return refused
    if response.status_code == 401:
        failed = jsonify(message=str(FAILED))
        failed.status_code = 401
        return failed
    return response


def init_login_guard(app: Flask) -> None:
    from core.web.passwords import fab_password_validator

    app.after_request(_api_answers)
    # FAB's own password fields (user add form, reset password forms, user API) use this
    app.config["FAB_PASSWORD_COMPLEXITY_ENABLED"] = True
    app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = fab_password_validator
