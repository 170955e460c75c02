"""``jiguan import KEY FILE.xlsx``: an all-or-nothing import from the command line (docs/xlsx.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from core.display import join_items
from core.extensions import db
from core.scoping import acting_as_username
from core.state import get_state


def _acting(username: str | None):
    try:
        return acting_as_username(username)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("import")
@click.argument("key")
@click.argument("path", metavar="FILE.xlsx", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", help="以该用户身份导入（受其权限范围与规则限制，并记入审计）")
@click.option("--dry-run", is_flag=True, help="只检查，不写入")
@with_appcontext
def import_command(key, path, username, dry_run):
    """从 Excel（.xlsx）导入实体类型 KEY 的新记录：任何一行有误时全部不写入。"""
    from core.xlsx.columns import XlsxError
    from core.xlsx.importer import import_xlsx

    entity = get_state().entities.get(key)
    if entity is None:
        keys = join_items(e.key for e in get_state().entities)
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
    from core.activation import active_modules
    from core.tenancy import Jurisdiction
    from core.xlsx.columns import permission_for

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
