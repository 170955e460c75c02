"""The application factory: configuration, the plugins, and what they contribute.

The kernel collects what the services and modules return from their hooks into one
:class:`~core.state.JiguanState`, then each service installs itself (``init_app``): the web
service builds Flask-AppBuilder with every view, the jobs service its backend, the reports
service its registry. The kernel itself knows none of them (import-linter says so).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from flask import Flask
from flask_appbuilder import Model

from core import collector_paused, pipeline  # noqa: F401  (pipeline: installs the write pipeline)
from core.config import PROJECT_ROOT, DefaultConfig, env_settings
from core.extensions import db
from core.plugins import PluginError, build_plugin_manager, collect
from core.state import JiguanState
from core.versioning import never_reuse_ids


def _configure(app: Flask, config: dict | None) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("jiguan.cfg", silent=True)
    app.config.update(env_settings())
    if config:
        app.config.update(config)
    # an operator's engine options add to the defaults (pool_pre_ping stays unless turned off)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**DefaultConfig.SQLALCHEMY_ENGINE_OPTIONS,
                                               **(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})}
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'jiguan.db'}"
    app.config["FAB_CREATE_DB"] = False  # the schema belongs to the migrations


def collect_contributions(state: JiguanState) -> None:
    """Every ``register_*`` hook, each item attributed to the module that returned it."""
    pm = state.pm
    for module_key, entity in collect(pm, "register_entity_types"):
        state.entities.add(replace(entity, module=module_key))
    for module_key, rule in collect(pm, "register_rules"):
        state.rules[rule.model].append((module_key, rule))
    for module_key, derivation in collect(pm, "register_derivations"):
        state.derivations[derivation.model].append((module_key, derivation))
    state.guards = collect(pm, "register_write_guards")
    for module_key, kind in collect(pm, "register_standard_kinds"):
        state.standard_kinds[kind.kind] = (module_key, kind)
    for _module, role in collect(pm, "register_roles"):
        if role.name in state.roles:
            raise PluginError(f"角色 {role.name!r} 重复注册")
        state.roles[role.name] = role
    state.views = collect(pm, "register_views")


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config layers, plugins and services, what they contribute, installed."""
    with collector_paused():
        return _build(config)


def _build(config: dict | None) -> Flask:
    instance = os.environ.get("JIGUAN_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask(
        "jiguan",
        root_path=str(PROJECT_ROOT),
        instance_path=instance,
        instance_relative_config=True,
        template_folder="templates",
        static_folder="core/static",
        static_url_path="/static/jiguan",
    )
    _configure(app, config)
    db.init_app(app)

    pm, plugins = build_plugin_manager(app.config)
    state = JiguanState(pm=pm, plugins=plugins)
    app.extensions["jiguan"] = state
    collect_contributions(state)
    never_reuse_ids(Model.metadata)  # every plugin's models are imported by now
    pm.hook.init_app(app=app, state=state)
    for _module, command in collect(pm, "register_cli_commands"):
        app.cli.add_command(command)
    return app
