"""``jiguan notify overdue``: notify every overdue item once (a cron line or a job runs it)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext


@click.group("notify", help="通知：扫描逾期事项并通知相关人员")
def notify_group():
    pass


@notify_group.command("pending", help="向尚未收到通知的审批人补发“待您审批”通知（可重复运行，不重复通知）")
@with_appcontext
def pending_command():
    from core.home.notify import notify_pending

    click.echo(f"已发送 {notify_pending()} 条待审批通知")


@notify_group.command("overdue",
                      help="扫描各模块的逾期事项，向可处理的用户发送通知（可重复运行，不重复通知）")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按该日判断是否逾期（默认今天，北京时间）")
@with_appcontext
def overdue_command(today):
    from flask import current_app

    from core.home.items import OverdueSource
    from core.home.notify import notify_overdue
    from core.home.views import BEIJING

    day = today.date() if today else dt.datetime.now(BEIJING).date()
    sources = [item for _m, item in current_app.extensions.get("jiguan_home_items", [])
               if isinstance(item, OverdueSource)]
    written = notify_overdue(sources, day)
    click.echo(f"已发送 {written} 条逾期通知")
