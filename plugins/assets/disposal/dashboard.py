"""Proceeds not paid to the treasury in time (Art. 19): 逾期事项 on the 工作台, and the periodic
check that puts them on 问题清单 (``jiguan assets check-proceeds``, run daily from cron)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import OverdueItem, OverdueSource, db, local_today, recheck_rules, scoped
from plugins.assets.commands import assets_group
from plugins.assets.disposal.models import DisposalProceeds, proceeds_due_on

UNPAID_RULE = "assets.disposal_proceeds_unpaid"


def _unpaid():
    return select(DisposalProceeds).where(DisposalProceeds.paid_to_treasury.is_(False),
                                          DisposalProceeds.voided_at.is_(None))


def overdue_proceeds(scope, today) -> list[OverdueItem]:
    rows = db.session.execute(scoped(_unpaid(), DisposalProceeds, scope).order_by(
        DisposalProceeds.received_on)).scalars()
    items = []
    for row in rows:
        due = proceeds_due_on(db.session, row)
        if due is not None and due[0] < today:
            items.append(OverdueItem(row, due[0], _l(
                "处置收入 %(amount)s 元应于 %(day)s 前上缴国库，至今未上缴（逾期 %(n)s 天）",
                amount=row.amount, day=due[0].isoformat(), n=(today - due[0]).days)))
    return items


def check_unpaid_proceeds(today: dt.date | None = None) -> tuple[int, int]:
    """Open the Art. 19 finding of every unpaid proceeds past its period (once each); commits.
    Returns (proceeds checked, findings opened)."""
    rows = db.session.execute(_unpaid()).scalars().all()
    opened = recheck_rules(db.session, rows, today=today or local_today(), keys={UNPAID_RULE})
    db.session.commit()
    return len(rows), opened


@assets_group.command("check-proceeds",
                      help="检查超过上缴期限仍未上缴国库的处置收入，列入问题清单（可重复运行，不重复列入）")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按该日判断是否逾期（默认今天，北京时间）")
@with_appcontext
def check_proceeds_command(today):
    checked, opened = check_unpaid_proceeds(today.date() if today else None)
    click.echo(_("已检查 %(checked)s 笔未上缴的处置收入，新列入问题清单 %(opened)s 条",
                 checked=checked, opened=opened))


def dashboard_items() -> list:
    return [OverdueSource("assets_disposal_proceeds_overdue", _l("处置收入上缴"), overdue_proceeds)]
