"""A workflow record's identity on the home page and in notifications: its entity type, its
link and its name, whichever module owns it."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import inspect
from werkzeug.routing import BuildError

from core.state import get_state


def record_url(entity_key: str | None, entity_id: str | None) -> str | None:
    """The record's page (its view's show endpoint), or None when it has no page."""
    if not entity_key or entity_id is None:
        return None
    endpoint = get_state().entity_endpoints.get(entity_key)
    if endpoint is None:
        return None
    try:
        return url_for(endpoint, pk=entity_id)
    except BuildError:
        return None


def entity_label(entity_key: str) -> str:
    entity = get_state().entities.get(entity_key)
    return str(entity.label) if entity is not None else entity_key


def record_name(record) -> str:
    """How the record names itself (PD00001, 2027 年度家具补充配置计划 …)."""
    return str(record)


def actor_name(user_id: int | None, username: str | None) -> str:
    """Who acted, as a Chinese screen names them: the user's full name; the system as 系统."""
    from flask import current_app
    from flask_babel import gettext as _

    from core.extensions import db

    user = db.session.get(current_app.appbuilder.sm.user_model, user_id) if user_id else None
    if user is not None:
        return user.get_full_name().strip() or user.username
    return _("系统") if not username or username == "system" else username


def load_record(session, entity_key: str, entity_id: str):
    """The record ``entity_key`` / ``entity_id`` names (identity map first), or None."""
    entity = get_state().entities.get(entity_key)
    if entity is None:
        return None
    columns = inspect(entity.model).primary_key
    parts = str(entity_id).split(",")
    if len(parts) != len(columns):
        return None
    try:
        ident = tuple(column.type.python_type(part) for column, part in zip(columns, parts, strict=True))
    except (ValueError, NotImplementedError):
        return None
    return session.get(entity.model, ident[0] if len(ident) == 1 else ident)
