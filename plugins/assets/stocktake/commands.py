"""``jiguan assets stocktake-check``: the periodic check of Art. 18's 定期清查盘点 (a daily cron line)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from plugins.assets.commands import assets_group


@assets_group.command("stocktake-check",
                      help="检查各单位是否在规定周期内完成经批准的资产清查盘点（《办法》第十八条），"
                           "逾期的生成问题清单，已按期盘点的自动关闭（可重复运行，不重复生成）")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按该日判断（默认今天，北京时间）")
@click.option("--organization", "organization", default=None,
              help="只检查该单位（名称或编号）")
@with_appcontext
def stocktake_check(today, organization):
    from sqlalchemy import or_, select

    from catalog.models import Organization
    from core.api import acting_as, db, local_today
    from core.scoping import SYSTEM
    from plugins.assets.stocktake.periodic import sweep

    only = None
    if organization:
        clause = Organization.name == organization
        if organization.isdigit():
            clause = or_(clause, Organization.id == int(organization))
        only = db.session.execute(select(Organization.id).where(clause)).scalar()
        if only is None:
            raise click.ClickException(_("没有单位“%(name)s”", name=organization))
    with acting_as(SYSTEM):
        counts = sweep(db.session, today.date() if today else local_today(), only)
        db.session.commit()
    click.echo(_("已检查 %(checked)s 个单位：新增 %(opened)s 条、关闭 %(closed)s 条“未按期清查盘点”问题",
                 **counts))
