"""``jiguan report list|render``: the PDF reports from the command line (docs/reports.md)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.extensions import db
from core.scoping import acting_as_username
from core.state import get_state


def _acting(username: str | None):
    try:
        return acting_as_username(username)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


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
