"""``jiguan op KEY PK [OPERATION] --param k=v --as USER``: an operation from the command line.

The same runner as the record page's button and ``POST /api/v1/<key>/<pk>/<op>``
(``core.workflow.operations.run_operation``); with ``--as`` the user's scope, permission on the entity's
screen and module activation apply, and the audit names the user.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core.display import join_items
from core.extensions import db
from core.state import get_state


def _values(params) -> dict:
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.ClickException(f"参数格式应为 NAME=VALUE：{item}")
        values[name.strip()] = value
    return values


@click.command("op")
@click.argument("key")
@click.argument("pk", type=int)
@click.argument("operation", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="操作参数，可重复")
@click.option("--as", "username", help="以该用户身份操作（受其权限范围与权限限制，并记入审计）")
@with_appcontext
def op_command(key, pk, operation, params, username):
    """对实体类型 KEY 的记录 PK 执行操作 OPERATION；不写 OPERATION 时列出可执行的操作。"""
    from core.errors import WriteRefused
    from core.scoping import acting_as_username, scoped
    from core.workflow.approval import permitted, view_name_for
    from core.workflow.operations import operations_of
    from core.workflow.runner import available, refusal, run_operation

    entity = get_state().entities.get(key)
    if entity is None:
        raise click.ClickException(f"没有实体类型 {key}")
    try:
        acting = acting_as_username(username)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    with acting:
        model = entity.model
        record = db.session.execute(scoped(select(model).where(model.id == pk), model)).scalar_one_or_none()
        if record is None:
            raise click.ClickException(f"{entity.label} {pk} 不存在或不在您的权限范围内")
        view_name = view_name_for(model)

        def may(op) -> bool:
            return permitted(f"can_{op.permission}", view_name)

        if not operation:
            for op in available(record, may):
                names = ", ".join(op.params().fields) if op.params is not None else ""
                click.echo(f"{op.key}\t{op.label}" + (f"\t--param {names}" if names else ""))
            return
        op = operations_of(entity.key).get(operation)
        if op is None:
            known = join_items(operations_of(entity.key)) or "无"
            raise click.ClickException(f"{entity.label}没有操作 {operation}（可用：{known}）")
        if not may(op):
            raise click.ClickException(f"用户 {username or 'system'} 无权“{op.label}”此记录")
        reason = refusal(op, record)
        if reason:
            raise click.ClickException(reason)
        try:
            run_operation(record, operation, _values(params))
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        click.echo(f"已办理“{op.label}”：{record}")
