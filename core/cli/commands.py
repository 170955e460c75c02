"""The core's CLI commands (``jiguan plugins|modules|init|demo``, and ``db`` over Flask-Migrate)."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from core.cli.lazy_group import LazyGroup
from core.cli.plugin_commands import plugin_alias, plugins_group
from core.extensions import db
from core.scoping import acting_as_username
from core.state import get_state


def _jurisdiction(code: str):
    from core.tenancy import Jurisdiction

    found = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one_or_none()
    if found is None:
        raise click.ClickException(f"找不到行政区划代码 {code}")
    return found


def _acting(username: str | None):
    try:
        return acting_as_username(username)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("modules")
def modules_group():
    """按辖区启用、停用模块。"""


def _set(key: str, code: str, enabled: bool, username: str | None):
    from core.activation import set_module
    from core.errors import WriteRefused

    with _acting(username):
        try:
            set_module(_jurisdiction(code), key, enabled)
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
    click.echo(f"{'已启用' if enabled else '已停用'} {key} @ {code}")


@modules_group.command("enable")
@click.argument("key")
@click.option("--jurisdiction", "code", required=True, help="GB/T 2260 代码，如 650100")
@click.option("--as", "username", help="以该用户身份操作（受其权限范围限制，并记入审计）")
@with_appcontext
def modules_enable(key, code, username):
    """在辖区（及未单独设置的下级）启用模块 KEY。"""
    _set(key, code, True, username)


@modules_group.command("disable")
@click.argument("key")
@click.option("--jurisdiction", "code", required=True)
@click.option("--as", "username")
@with_appcontext
def modules_disable(key, code, username):
    """在辖区（及未单独设置的下级）停用模块 KEY。"""
    _set(key, code, False, username)


@modules_group.command("status")
@click.option("--jurisdiction", "code", required=True)
@with_appcontext
def modules_status(code):
    """显示模块在辖区的生效状态。"""
    from core.activation import active_modules

    jurisdiction = _jurisdiction(code)
    active = active_modules(jurisdiction)
    for key, module in get_state().modules.items():
        click.echo(f"{key}\t{'on' if key in active else 'off'}\t{module.label}")


@click.command("init")
@with_appcontext
def init_command():
    """建库（迁移到最新）并创建内置角色。"""
    from core.cli.setup import ensure_roles, upgrade_schema
    from core.cli.uninstall import MissingPlugin

    try:
        upgrade_schema()
    except MissingPlugin as exc:
        raise click.ClickException(str(exc)) from exc
    ensure_roles()
    click.echo("数据库已就绪，内置角色已创建。")


@click.command("demo")
@click.option("--keep", is_flag=True, help="保留已有的演示数据库（默认重建）")
@with_appcontext
def demo_command(keep):
    """建立演示数据库（SQLite）并载入演示数据，打印登录账号。"""
    from core.cli.demo import build_demo

    password = str(current_app.config.get("DEMO_PASSWORD") or "jiguan-demo-1")
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not keep and uri.startswith("sqlite:///"):
        path = uri[len("sqlite:///"):]
        db.session.remove()
        db.engine.dispose()
        if os.path.exists(path):
            os.remove(path)
    from core.cli.uninstall import MissingPlugin

    try:
        logins = build_demo(password)
    except MissingPlugin as exc:  # --keep on a database a removed plugin left its revision in
        raise click.ClickException(str(exc)) from exc
    click.echo(f"演示数据库：{uri}")
    click.echo(f"登录密码（所有账号）：{password}")
    for username, label in logins:
        click.echo(f"  {username:<16} {label}")
    click.echo("启动：jiguan run  →  http://127.0.0.1:5000/")


@click.group("user")
def user_group():
    """用户账号：解除登录锁定。"""


@user_group.command("unlock")
@click.argument("username", required=False)
@click.option("--address", help="同时（或只）解除该客户端地址的锁定，如 10.0.0.8")
@with_appcontext
def user_unlock(username, address):
    """解除账号 USERNAME（及/或 --address 地址）因登录失败次数过多而生成的锁定，记入审计。"""
    from core.web.login_guard import unlock

    if not username and not address:
        raise click.ClickException("请给出登录名或 --address 地址")
    lifted = unlock(username, address, by="cli")
    click.echo(f"已解除锁定（{lifted} 项计数已清除）：{username or ''} {address or ''}".strip())


#: The CLI service's commands (core/cli/plugin.py); the other services add theirs.
#: ``jiguan db``: imported (with Flask-Migrate and Alembic) when used; its help is Flask-Migrate's
db_group = LazyGroup("db", "core.cli.db_commands:db_group", help="Perform database migrations.")

CORE_COMMANDS = [plugins_group, plugin_alias, modules_group, init_command, demo_command, db_group,
                 user_group]
