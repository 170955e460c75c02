"""Personal API tokens (我的 API 令牌) for service clients, e.g. a bureau's upward data feed.

A token is FAB's ``ApiKey`` (table ``ab_api_key``): stored as a keyed lookup hash and a
password hash, never in the clear; shown once when created; always with an expiry, at most
``API_TOKEN_MAX_DAYS`` days away; revocable; checked on each request by
``user_for_api_token`` (called from core/web/auth.py). We create and revoke tokens here rather
than with FAB's ``create_api_key``/``revoke_api_key`` because those commit on their own: the
audit row (``core_audit_log``, entity ``api_token``, without the token or its hashes) must be
written in the same transaction as the change. A token acts exactly as its user: same
roles, scope and modules.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from core.display import local_time
from core.errors import WriteRefused
from core.extensions import db
from core.models import AuditLog
from core.scoping import current_scope
from core.web.security import JiguanUser

AUDIT_ENTITY = "api_token"
STATES = {"active": _l("有效"), "expired": _l("已过期"), "revoked": _l("已撤销")}
#: Lifetimes offered on the screen (days); those above API_TOKEN_MAX_DAYS are left out.
LIFETIMES = (7, 30, 90, 180, 365)
NAME_MAX = 100
#: Characters of the token kept to tell tokens apart (the "jg_" prefix and 8 random ones).
SHOWN_PREFIX = 11
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


class TokenRefused(WriteRefused):
    """A token that cannot be created or revoked as asked."""


class TokenForbidden(TokenRefused):
    status = 403


def _api_key_model():
    return current_app.appbuilder.sm.api_key_model


def max_days() -> int:
    return int(current_app.config["API_TOKEN_MAX_DAYS"])


def lifetimes() -> list[int]:
    limit = max_days()
    return sorted({d for d in LIFETIMES if d <= limit} | {limit})


def token_state(key, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    if key.revoked_on is not None or not key.active:
        return "revoked"
    if key.expires_on is None or key.expires_on < now:  # a token without expiry is not ours
        return "expired"
    return "active"


def _fmt(value) -> str | None:
    return local_time(value) if value else None


def token_json(key) -> dict:
    state = token_state(key)
    return {
        "id": key.id, "name": key.name, "prefix": key.key_prefix,
        "user": key.user.username if key.user else None,
        "created_on": _fmt(key.created_on), "last_used_on": _fmt(key.last_used_on),
        "expires_on": _fmt(key.expires_on), "revoked_on": _fmt(key.revoked_on),
        "state": state, "state_label": str(STATES[state]),
    }


def _audit(key, action: str, before: dict | None) -> None:
    """One audit row, in the change's transaction, scoped to the owner's organisation."""
    scope = current_scope()
    owner = db.session.get(JiguanUser, key.user_id)  # ApiKey.user is FAB's User: no organisation
    org = owner.organization
    after = {"name": key.name, "prefix": key.key_prefix, "owner": owner.username,
             "owner_id": owner.id, "expires_on": _fmt(key.expires_on),
             "revoked_on": _fmt(key.revoked_on)}
    db.session.add(AuditLog(
        user_id=scope.user_id, username=scope.username, entity=AUDIT_ENTITY,
        entity_id=str(key.id), action=action, before=before, after=after,
        organization_id=org.id if org else None, jurisdiction_id=org.jurisdiction_id if org else None,
    ))


def create_token(user, name: str, days) -> tuple[object, str]:
    """A new token of ``user`` valid ``days`` days; returns the row and the raw token (shown once)."""
    from core.web.auth import auth_method

    if has_request_context() and auth_method() == "api_token":
        # a leaked token must not be able to outlive its expiry by minting successors
        raise TokenForbidden(_("API 令牌不能用来创建新的令牌：请用账号密码登录后创建"))
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise TokenRefused(_("请填写令牌名称（例如用途或调用系统）"))
    if len(name) > NAME_MAX:
        raise TokenRefused(_("令牌名称不能超过 %(n)s 个字", n=NAME_MAX))
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise TokenRefused(_("有效期应为天数（整数）")) from None
    if not 1 <= days <= max_days():
        raise TokenRefused(_("有效期应在 1 至 %(n)s 天之间", n=max_days()))
    config = current_app.config
    sm = current_app.appbuilder.sm
    raw = config["FAB_API_KEY_PREFIXES"][0] + secrets.token_urlsafe(32)
    now = dt.datetime.now()  # FAB compares expiry with local naive time
    key = _api_key_model()(
        name=name, key_prefix=raw[:SHOWN_PREFIX], user_id=user.id, active=True,
        key_hash=generate_password_hash(raw, method=config["FAB_API_KEY_HASH_METHOD"]),
        lookup_hash=sm._compute_lookup_hash(raw), created_on=now,
        expires_on=now + dt.timedelta(days=days),
    )
    db.session.add(key)
    db.session.flush()
    _audit(key, "create", None)
    return key, raw


def revoke_token(key) -> None:
    if key.revoked_on is not None:
        raise TokenRefused(_("该令牌已撤销"))
    before = {"revoked_on": None}
    key.revoked_on = dt.datetime.now()
    _audit(key, "revoke", before)


def user_for_api_token(raw: str):
    """The active user of an active token, or None; notes when the token was last used.

    FAB's ``validate_api_key`` checks the same (lookup hash, password hash, ``is_active``) but
    hands back ``ApiKey.user``, FAB's base ``User`` without the organisation that makes the
    scope; and it accepts a token without expiry. So: the same checks, our user and policy.
    """
    sm = current_app.appbuilder.sm
    model = _api_key_model()
    key = db.session.execute(
        select(model).where(model.lookup_hash == sm._compute_lookup_hash(raw))
    ).scalar_one_or_none()
    if key is None or not check_password_hash(key.key_hash, raw) or token_state(key) != "active":
        return None
    user = sm.load_user(key.user_id)  # None for an inactive user
    if user is None:
        return None
    g.jiguan_api_key = key
    return user


def note_token_use() -> None:
    """Record when the request's token was last used (to the minute: not a write per request
    of a busy feed). Called once the request's user is set, so the flush sees that user."""
    key = g.pop("jiguan_api_key", None)
    now = dt.datetime.now()
    if key is not None and (key.last_used_on is None or now - key.last_used_on > LAST_USED_GRANULARITY):
        key.last_used_on = now
        db.session.commit()


def may_manage_any() -> bool:
    """The system admin sees and revokes every user's tokens."""
    return current_app.appbuilder.sm.has_access("can_manage_any", "ApiTokenView")


def tokens_of(user_id: int | None = None) -> list:
    """Tokens of one user, newest first; ``None``: everyone's (for the system admin)."""
    model = _api_key_model()
    query = select(model).order_by(model.created_on.desc(), model.id.desc())
    if user_id is not None:
        query = query.where(model.user_id == user_id)
    return db.session.execute(query).scalars().all()


def manageable_token(pk: int, user):
    """The token ``pk`` if ``user`` may revoke it (its own, or any for the admin), else None."""
    key = db.session.get(_api_key_model(), pk)
    if key is None or (key.user_id != user.id and not may_manage_any()):
        return None
    return key
