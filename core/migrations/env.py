"""Alembic environment of jiguan: one database, the core branch plus one branch per plugin.

Flask-Migrate runs this inside the app context. ``core.cli.setup`` has already put every
loaded plugin's ``migrations/versions`` into ``version_locations``, so the scripts of
all branches are known before this file runs.
"""

import importlib
import importlib.util
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from flask_appbuilder import Model

import core.models  # noqa: F401  (the core and catalog tables)

config = context.config
logger = logging.getLogger("alembic.env")

# The CLI gets Alembic's log lines; an app or test runner that set up logging keeps its own.
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _import_plugin_models() -> None:
    """Import ``<plugin package>.models`` of every loaded plugin, so Model.metadata is complete."""
    for info in current_app.extensions["jiguan"].plugins.values():
        name = getattr(info.plugin, "__name__", "")
        package = name if hasattr(info.plugin, "__path__") else name.rpartition(".")[0]
        if package and importlib.util.find_spec(f"{package}.models") is not None:
            importlib.import_module(f"{package}.models")


_import_plugin_models()
# FAB models use their own declarative base: db.metadata does not hold them.
target_metadata = Model.metadata
# ... and it holds every model this process ever imported: compare and autogenerate only the
# tables of this app (``jiguan db revision --plugin KEY`` narrows it to that plugin's).
_tables = config.attributes.get("jiguan_tables")
if _tables is None:
    from core.cli.installs import app_tables

    _tables = app_tables(current_app)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    # a PostgreSQL-only search index (pg_trgm, docs/search.md) is the migration's alone
    if type_ == "index" and reflected and compare_to is None and (name or "").endswith("_trgm"):
        return False
    return type_ != "table" or name in _tables
engine = current_app.extensions["migrate"].db.engine


def run_migrations_offline() -> None:
    """Emit SQL (``jiguan db upgrade --sql``) instead of running it."""
    context.configure(
        url=engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_autogenerate(_context, _revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = {
        "process_revision_directives": skip_empty_autogenerate,
        "include_object": include_object,
        **current_app.extensions["migrate"].configure_args,
    }
    with engine.connect() as connection:
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        conf_args["render_as_batch"] = connection.dialect.name == "sqlite"
        context.configure(connection=connection, target_metadata=target_metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
