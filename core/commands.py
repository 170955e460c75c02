"""The core's CLI commands (``jiguan plugins|modules|init|demo``, and ``db`` over Flask-Migrate)."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from core.db_commands import db_group
from core.extensions import db
from core.plugin_commands import plugin_alias, plugins_group
from core.state import get_state


def _jurisdiction(code: str):
    from catalog.models import Jurisdiction

    found = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == code)).scalar_one_or_none()
    if found is None:
        raise click.ClickException(f"找不到行政区划代码 {code}")
    return found


def _acting(username: str | None):
    from core.scoping import SYSTEM, acting_as

    if not username:
        return acting_as(SYSTEM)
    user = current_app.appbuilder.sm.find_user(username=username)
    if user is None:
        raise click.ClickException(f"找不到用户 {username}")
    return acting_as(user)


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
    from core.setup import ensure_roles, upgrade_schema
    from core.uninstall import MissingPlugin

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
    from core.demo import build_demo

    password = str(current_app.config.get("DEMO_PASSWORD") or "jiguan-demo")
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not keep and uri.startswith("sqlite:///"):
        path = uri[len("sqlite:///"):]
        db.session.remove()
        db.engine.dispose()
        if os.path.exists(path):
            os.remove(path)
    from core.uninstall import MissingPlugin

    try:
        logins = build_demo(password)
    except MissingPlugin as exc:  # --keep on a database a removed plugin left its revision in
        raise click.ClickException(str(exc)) from exc
    click.echo(f"演示数据库：{uri}")
    click.echo(f"登录密码（所有账号）：{password}")
    for username, label in logins:
        click.echo(f"  {username:<16} {label}")
    click.echo("启动：jiguan run  →  http://127.0.0.1:5000/")


@click.group("report")
def report_group():
    """PDF 报表：列出、生成（受 --as 用户的权限范围与模块启用限制）。"""


@report_group.command("list")
@click.option("--as", "username", help="以该用户身份列出（其辖区启用的模块提供的报表）")
@with_appcontext
def report_list(username):
    """列出可用的报表及其参数。"""
    from reports.engine import describe_params, reports_for

    with _acting(username) as scope:
        modules = get_state().modules
        for report in reports_for(scope):
            click.echo(f"{report.key}\t{report.label}\t{modules[report.module].label}")
            for p in describe_params(report):
                mark = "*" if p["required"] else ""
                choices = f" [{'|'.join(c['value'] for c in p['choices'])}]" if p["choices"] else ""
                click.echo(f"    --param {p['name']}=…{mark}\t{p['label']}（{p['type']}）{choices}")


@report_group.command("render")
@click.argument("key")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="报表参数，可重复")
@click.option("--as", "username", help="以该用户身份生成（受其权限范围限制）")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的 PDF 文件")
@click.option("--draft", is_flag=True, help="加“草稿”水印")
@with_appcontext
def report_render(key, params, username, output, draft):
    """生成报表 KEY 的 PDF。"""
    from reports.engine import ReportError, render_pdf

    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.ClickException(f"参数格式应为 NAME=VALUE：{item}")
        values[name.strip()] = value
    with _acting(username) as scope:
        try:
            pdf = render_pdf(key, values, scope, draft=draft)
        except ReportError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
    with open(output, "wb") as f:
        f.write(pdf)
    click.echo(f"已生成 {output}（{len(pdf):,} 字节）")


@click.command("import")
@click.argument("key")
@click.argument("path", metavar="FILE.xlsx", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", help="以该用户身份导入（受其权限范围与规则限制，并记入审计）")
@click.option("--dry-run", is_flag=True, help="只检查，不写入")
@with_appcontext
def import_command(key, path, username, dry_run):
    """从 Excel（.xlsx）导入实体类型 KEY 的新记录：任何一行有误时全部不写入。"""
    from catalog.xlsx import XlsxError
    from catalog.xlsx_import import import_xlsx

    entity = get_state().entities.get(key)
    if entity is None:
        keys = "、".join(e.key for e in get_state().entities)
        raise click.ClickException(f"没有实体类型 {key}（可用：{keys}）")
    with _acting(username) as scope:
        _check_can_import(entity, username, scope)
        bar = None

        def progress(done, total):
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label="导入", file=click.get_text_stream("stderr"))
                bar.__enter__()
            bar.update(1)

        try:
            result = import_xlsx(entity, path, dry_run=dry_run, progress=progress)
        except XlsxError as exc:
            raise click.ClickException(exc.message) from exc
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    for error in result.errors:
        click.echo(str(error), err=True)
    if result.more_errors:
        click.echo(f"另有 {result.more_errors} 处错误未列出", err=True)
    if not result.ok:
        raise click.ClickException(result.summary())
    click.echo(result.summary())


def _check_can_import(entity, username, scope) -> None:
    """With --as, the user needs the add permission on the type's screen and its module active."""
    from catalog.models import Jurisdiction
    from catalog.xlsx import permission_for
    from core.activation import active_modules

    if not username:
        return
    user = current_app.appbuilder.sm.find_user(username=username)
    jurisdiction = db.session.get(Jurisdiction, scope.jurisdiction_id) if scope.jurisdiction_id else None
    active = active_modules(jurisdiction) if jurisdiction is not None else (
        set(get_state().modules) if scope.kind == "all" else set())
    if entity.module not in active:
        raise click.ClickException(f"模块 {entity.module} 未在用户 {username} 所在辖区启用")
    if not current_app.appbuilder.sm._has_view_access(user, *permission_for(entity, "can_add")):
        raise click.ClickException(f"用户 {username} 无权新增“{entity.label}”")


from core.jobs.commands import JOB_COMMANDS  # noqa: E402  (jiguan worker, jiguan jobs …)
from core.operation_commands import op_command  # noqa: E402  (jiguan op)

CORE_COMMANDS = [plugins_group, plugin_alias, modules_group, init_command, demo_command, db_group,
                 report_group, import_command, op_command, *JOB_COMMANDS]
