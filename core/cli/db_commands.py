"""``jiguan db …``: Flask-Migrate's commands, for one database with a branch per plugin.

- ``upgrade`` defaults to every head (``heads``; 'head' is ambiguous with several branches)
  and records what each plugin installed (core/cli/installs.py);
- ``revision --plugin KEY`` sets the branch, its folder and its dependencies itself;
- the commands that read the database's revisions first name any plugin that is gone but
  left a revision behind, with the way out (core/cli/uninstall.py), instead of Alembic's bare
  "Can't locate revision".
"""

from __future__ import annotations

import click
import flask_migrate
from alembic import command as alembic
from flask import current_app, g
from flask.cli import with_appcontext
from flask_migrate.cli import db as migrate_db

from core.cli.migrations import migrate


def refuse_missing_plugins() -> None:
    from core.cli.uninstall import MissingPlugin, check_installed

    try:
        check_installed(current_app)
    except MissingPlugin as exc:
        raise click.ClickException(str(exc)) from exc


def guarded(cmd: click.Command) -> click.Command:
    """``cmd``, which first names any uninstalled plugin whose revision the database still holds."""

    @with_appcontext
    def callback(**kwargs):
        if cmd.name != "revision" or kwargs.get("autogenerate"):  # a bare revision reads no database
            refuse_missing_plugins()
        return click.get_current_context().invoke(cmd.callback, **kwargs)

    return click.Command(cmd.name, callback=callback, params=cmd.params, help=cmd.help,
                         short_help=cmd.short_help)


@click.command("upgrade")
@click.option("-d", "--directory", default=None, help="迁移目录（默认 core/migrations）")
@click.option("--sql", is_flag=True, help="只输出 SQL，不执行")
@click.option("--tag", default=None, help="传给 env.py 的任意标记")
@click.option("-x", "--x-arg", multiple=True, help="传给 env.py 的附加参数")
@click.argument("revision", default="heads")
@with_appcontext
def db_upgrade(directory, sql, tag, x_arg, revision):
    """升级数据库（默认 heads：核心及每个已安装插件的分支），并记录各插件安装的内容。"""
    from core.cli.installs import record_installs

    flask_migrate.upgrade(directory or g.directory, revision, sql, tag, x_arg or g.x_arg)
    if not sql:
        record_installs(current_app)


def plugin_revision_options(app, key: str) -> dict:
    """``head``, ``version_path`` and, for a plugin's first revision, ``branch_label`` and
    ``depends_on`` (the core's head and the heads of the modules it depends on)."""
    from core.cli.installs import script_directory
    from core.plugins import plugin_folder

    plugins = app.extensions["jiguan"].plugins
    if key not in plugins:
        raise click.ClickException(f"插件 {key} 未加载（未安装，或在 DISABLED_PLUGINS 中）")
    if key == "catalog":
        raise click.ClickException("基础数据目录的表属于 core 分支：用 --head core@head"
                                   "（docs/migrations.md）")
    folder = plugin_folder(plugins[key].plugin) / "migrations" / "versions"
    folder.mkdir(parents=True, exist_ok=True)
    script = script_directory()  # now with the folder among the version locations
    labels = {label for rev in script.walk_revisions() for label in rev.branch_labels}
    if key in labels:
        return {"head": f"{key}@head", "version_path": str(folder)}
    depends_on = [script.get_revision("core@head").revision]
    depends_on += [script.get_revision(f"{dep}@head").revision
                   for dep in plugins[key].module.depends if dep in labels]
    return {"head": "base", "branch_label": key, "version_path": str(folder), "depends_on": depends_on}


@click.command("revision")
@click.option("-d", "--directory", default=None, help="迁移目录（默认 core/migrations）")
@click.option("-m", "--message", default=None, help="修订说明")
@click.option("--autogenerate", is_flag=True, help="对比数据库与模型，自动写出变更")
@click.option("--sql", is_flag=True, help="只输出 SQL")
@click.option("--head", default="head", help="新修订接在哪个修订之后（如 land@head）")
@click.option("--splice", is_flag=True, help="允许接在非最新修订之后")
@click.option("--branch-label", default=None, help="新修订的分支标签")
@click.option("--version-path", default=None, help="修订文件所在目录")
@click.option("--rev-id", default=None, help="指定修订号")
@click.option("--plugin", "plugin_key", default=None,
              help="插件的模块标识：自动设置分支、目录（插件的 migrations/versions）和依赖")
@with_appcontext
def db_revision(directory, message, autogenerate, sql, head, splice, branch_label, version_path,
                rev_id, plugin_key):
    """新建修订文件；--plugin KEY 时写入该插件的分支（首个修订为分支的根）。"""
    if plugin_key is None:
        flask_migrate.revision(directory or g.directory, message, autogenerate, sql, head, splice,
                               branch_label, version_path, rev_id)
        return
    if head != "head" or splice or branch_label or version_path:
        raise click.ClickException("--plugin 自行设置 --head、--branch-label 和 --version-path，请勿同时给出")
    from core.cli.installs import module_tables

    options = plugin_revision_options(current_app, plugin_key)
    config = migrate.get_config(directory or g.directory, opts=["autogenerate"] if autogenerate else None)
    if autogenerate:  # the diff holds this plugin's tables only
        config.attributes["jiguan_tables"] = set(module_tables(current_app, plugin_key))
    alembic.revision(config, message, autogenerate=autogenerate, sql=sql, rev_id=rev_id, **options)


#: Commands that read the database's revisions; each first checks for uninstalled plugins.
GUARDED = ("current", "downgrade", "stamp", "check", "migrate")

#: Flask-Migrate's ``db`` group (replaced under the same name) with the commands above.
db_group = click.Group(
    "db",
    commands={**migrate_db.commands,
              **{name: guarded(migrate_db.commands[name]) for name in GUARDED},
              "upgrade": guarded(db_upgrade), "revision": guarded(db_revision)},
    callback=migrate_db.callback, params=migrate_db.params, help=migrate_db.help,
)
