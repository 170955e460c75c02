"""``jiguan plugins …`` (also spelled ``jiguan plugin …``): list, scaffold and purge plugins."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from core.contract import CONTRACT_VERSION


@click.group("plugins")
def plugins_group():
    """插件：列出、新建（脚手架）、清除已卸载插件的数据。"""


@plugins_group.command("list")
@with_appcontext
def plugins_list():
    """列出插件：模块、版本、来源、契约版本和实现的钩子；已停用的也列出。"""
    from core.plugins import disabled_plugins
    from core.state import get_state

    state = get_state()
    click.echo(f"core contract {CONTRACT_VERSION}")
    for key, info in state.plugins.items():
        m = info.module
        click.echo(f"{key}\t{m.label}\tv{m.version}\t{info.source}")
        if m.depends:
            click.echo(f"    depends: {', '.join(m.depends)}")
        if m.articles:
            click.echo(f"    articles: {', '.join(map(str, m.articles))}")
        click.echo(f"    contract: {m.contract or '未声明'}")
        click.echo(f"    hooks: {', '.join(info.hooks)}")
    for key, source in disabled_plugins(current_app.config):
        click.echo(f"{key}\t已停用（DISABLED_PLUGINS，未导入）\t{source}")


@plugins_group.command("new")
@click.argument("key")
@click.option("--dir", "directory", default=".", type=click.Path(file_okay=False),
              help="在此目录下生成 jiguan-KEY/（默认：当前目录）")
@click.option("--label", default=None, help="模块的中文名（默认：KEY）")
@click.option("--label-en", default=None, help="模块的英文名，写入英文翻译（默认：KEY）")
def plugins_new(key, directory, label, label_en):
    """生成插件 KEY 的脚手架：可 pip 安装的包，含示例实体、规则、报表、迁移、翻译和测试。"""
    from core.scaffold import ScaffoldError, generate

    try:
        root = generate(key, directory, label=label, label_en=label_en)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已生成 {root}")
    click.echo("下一步：")
    click.echo(f"  pip install -e {root}")
    click.echo("  jiguan db upgrade")
    click.echo(f"  jiguan modules enable {key} --jurisdiction <代码>")
    click.echo(f"  cd {root} && pytest")


@plugins_group.command("purge")
@click.argument("key")
@click.option("--yes", is_flag=True, help="不再询问，直接清除")
@with_appcontext
def plugins_purge(key, yes):
    """清除已卸载（或已停用）插件 KEY 留下的数据：数据表、迁移版本、模块启用、问题清单、审批记录。

    审计日志（core_audit_log）只增不改，不清除：插件记录的历史留在审计日志里。
    """
    from core.cli.uninstall import PurgeRefused, purge, purge_plan

    try:
        plan = purge_plan(current_app, key)
    except PurgeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    record = plan.record
    click.echo(f"将清除插件 {key}（{record.source}）留下的：")
    for table, rows in plan.tables:
        click.echo(f"  数据表 {table}（{rows} 行）")
    click.echo(f"  迁移版本：{', '.join(plan.revisions) or '无'}（alembic_version 之后为："
               f"{', '.join(plan.versions_after) or '空'}）")
    click.echo(f"  模块启用设置 {plan.activations} 条，问题清单 {plan.findings} 条，"
               f"审批记录 {plan.workflow_events} 条")
    click.echo("审计日志（core_audit_log）只增不改，其中的记录保留不动。")
    if not yes:
        click.confirm("确定清除？此操作不可撤销", abort=True)
    purge(plan)
    click.echo(f"已清除插件 {key} 的数据。")


#: ``jiguan plugin new KEY`` reads better than ``plugins new``: the same group, both names.
plugin_alias = click.Group("plugin", commands=plugins_group.commands, help=plugins_group.help)
