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
