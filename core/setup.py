"""Schema, roles and users: what ``jiguan init`` and ``jiguan demo`` set up."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder import Model

from core.extensions import db
from core.scoping import ROLE_ADMIN
from core.security import ROLE_LABELS


def create_schema() -> None:
    """Create every table of the core and the installed plugins (tests and demo)."""
    Model.metadata.create_all(db.engine)


def drop_schema() -> None:
    Model.metadata.drop_all(db.engine)


def ensure_roles() -> None:
    """The built-in roles exist as rows so users can hold them; their permissions live in code."""
    sm = current_app.appbuilder.sm
    for name in [*ROLE_LABELS, sm.auth_role_public]:
        if sm.find_role(name) is None:
            sm.add_role(name)


def create_user(username: str, password: str, role: str, organization, first_name: str,
                last_name: str = "", email: str | None = None):
    """Create a login bound to ``organization`` (None only for a system admin)."""
    sm = current_app.appbuilder.sm
    if organization is None and role != ROLE_ADMIN:
        raise ValueError("除系统管理员外，每个用户都必须属于一个单位")
    user = sm.add_user(
        username=username, first_name=first_name, last_name=last_name or "-",
        email=email or f"{username}@jiguan.local", role=sm.find_role(role), password=password,
    )
    if not user:
        raise RuntimeError(f"无法创建用户 {username}")
    user.organization_id = organization.id if organization is not None else None
    db.session.commit()
    return user


def upgrade_schema() -> None:
    """Bring the database to the newest schema of the core and every installed plugin."""
    create_schema()
