"""Schema, roles and users: what ``jiguan init`` and ``jiguan demo`` set up."""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import command
from flask import Flask, current_app
from flask_appbuilder import Model

from core.cli.migrations import migrate
from core.config import MIGRATIONS_DIR
from core.extensions import db
from core.plugins import plugin_subfolders
from core.scoping import ROLE_ADMIN
from core.state import get_state


def version_locations(app: Flask) -> list[str]:
    """Where Alembic finds scripts: the core branch, then each loaded plugin's ``migrations/versions``."""
    locations = [MIGRATIONS_DIR / "versions"]
    locations += plugin_subfolders(app.extensions["jiguan"].plugins, "migrations/versions")
    return [str(path) for path in dict.fromkeys(locations)]


@migrate.configure
def _add_plugin_branches(config):
    """Every Flask-Migrate command (``jiguan db …``) sees the branches of all loaded plugins."""
    joined = os.pathsep.join(version_locations(current_app))
    config.set_main_option("version_locations", joined.replace("%", "%%"))  # configparser escaping
    return config


def create_schema() -> None:
    """Create every table of the core and the installed plugins (tests and demo)."""
    Model.metadata.create_all(db.engine)


def drop_schema() -> None:
    """Drop every table of the core and the loaded plugins, and Alembic's record of them (tests)."""
    from core.cli import installs  # noqa: F401  its table, though this process ran no install
    Model.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        sa.Table("alembic_version", sa.MetaData()).drop(conn, checkfirst=True)
        if conn.dialect.name == "postgresql":  # the audit trigger's function outlives its table
            conn.execute(sa.text("DROP FUNCTION IF EXISTS core_audit_log_append_only()"))


def ensure_roles() -> None:
    """The built-in roles exist as rows so users can hold them; their permissions live in code."""
    sm = current_app.appbuilder.sm
    for name in [*get_state().roles, sm.auth_role_public]:
        if sm.find_role(name) is None:
            sm.add_role(name)


def create_user(username: str, password: str, role: str, organization, first_name: str,
                last_name: str = "", email: str | None = None):
    """Create a login bound to ``organization`` (None only for a system admin)."""
    sm = current_app.appbuilder.sm
    if organization is None and role != ROLE_ADMIN:
        raise ValueError("除系统管理员外，每个用户都必须属于一个单位")
    user = sm.add_user(
        username=username, first_name=first_name, last_name=last_name,
        email=email or f"{username}@jiguan.local", role=sm.find_role(role), password=password,
    )
    if not user:
        raise RuntimeError(f"无法创建用户 {username}")
    user.organization_id = organization.id if organization is not None else None
    db.session.commit()
    return user


def upgrade_schema(revision: str = "heads") -> None:
    """Bring the database to the newest schema of the core and every installed plugin.

    Runs the Alembic migrations of every branch (``heads``), as ``jiguan db upgrade`` does,
    and records what each plugin installed; a revision of an uninstalled plugin stops it with
    ``core.cli.uninstall.MissingPlugin`` naming the plugin. Alembic's own command rather than
    ``flask_migrate.upgrade``, which turns errors into exit(1).
    """
    from core.cli.installs import record_installs
    from core.cli.uninstall import check_installed

    check_installed(current_app)
    command.upgrade(migrate.get_config(str(MIGRATIONS_DIR)), revision)
    record_installs(current_app)
