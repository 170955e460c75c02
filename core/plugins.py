"""The plugin manager: built-ins, entry-point plugins, and what they contribute."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from importlib.util import find_spec
from types import ModuleType

import pluggy

from core import hookspecs
from core.contract import Module

ENTRYPOINT_GROUP = "jiguan.plugins"

#: Built-in modules, loaded in this order; each exactly like a third-party plugin.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "catalog.plugin",
    "plugins.land.plugin",
    "plugins.assets.plugin",
)


#: Services every module uses, installed through the same hooks as the modules (as Datasette's
#: default plugins are): they have no manifest, are always on and are never a module.
SERVICE_PLUGINS: tuple[str, ...] = (
    "core.workflow",
    "core.operations",
)
SERVICE_PREFIX = "service:"


class PluginError(RuntimeError):
    """A plugin cannot be loaded (duplicate key, missing dependency …)."""


@dataclass
class LoadedPlugin:
    module: Module
    plugin: object
    source: str  # "built-in" or the distribution of its entry point
    hooks: list[str] = field(default_factory=list)


def _import(obj):
    return importlib.import_module(obj) if isinstance(obj, str) else obj


def build_plugin_manager(config) -> tuple[pluggy.PluginManager, dict[str, LoadedPlugin]]:
    """Build the manager for one app; return it with the plugins by module key."""
    pm = pluggy.PluginManager("jiguan")
    pm.add_hookspecs(hookspecs)
    for dotted in SERVICE_PLUGINS:
        pm.register(_import(dotted), name=SERVICE_PREFIX + dotted)
    sources: list[tuple[object, str]] = []
    disabled = set(config.get("DISABLED_PLUGINS") or ())
    for dotted in DEFAULT_PLUGINS:
        sources.append((_import(dotted), "built-in"))
    for extra in config.get("EXTRA_PLUGINS") or ():
        sources.append((_import(extra), "configured"))
    if config.get("LOAD_ENTRYPOINT_PLUGINS", True):
        for ep in entry_points(group=ENTRYPOINT_GROUP):
            dist = ep.dist.name if ep.dist else "?"
            version = ep.dist.version if ep.dist else ""
            sources.append((ep.load(), f"{dist} {version}".strip()))

    loaded: dict[str, LoadedPlugin] = {}
    for plugin, source in sources:
        impl = getattr(plugin, "register_module", None)
        if impl is None:
            raise PluginError(f"插件 {plugin!r} 未实现 register_module，无法识别其模块")
        module = impl()
        if module.key in disabled:
            continue
        if module.key in loaded:
            other = loaded[module.key]
            raise PluginError(
                f"模块标识 {module.key!r} 重复：{other.source} 的 {other.plugin!r} "
                f"与 {source} 的 {plugin!r}"
            )
        pm.register(plugin, name=module.key)
        loaded[module.key] = LoadedPlugin(module, plugin, source)
    pm.check_pending()

    for key, info in loaded.items():
        for dep in info.module.depends:
            if dep not in loaded:
                raise PluginError(f"模块 {key!r} 依赖的模块 {dep!r} 未安装")
        info.hooks = sorted(caller.name for caller in pm.get_hookcallers(info.plugin) or ())
    return pm, loaded


def collect(pm: pluggy.PluginManager, hook_name: str, **kwargs) -> list[tuple[str | None, object]]:
    """Call a contributing hook; return ``(module_key, item)`` for every item returned
    (``None`` for a service's items)."""
    caller = getattr(pm.hook, hook_name)
    results = []
    for impl in caller.get_hookimpls():
        returned = impl.function(*(kwargs[name] for name in impl.argnames))
        key = pm.get_name(impl.plugin)
        key = None if key.startswith(SERVICE_PREFIX) else key
        for item in returned or ():
            results.append((key, item))
    return results


def dependency_order(loaded: dict[str, LoadedPlugin]) -> list[str]:
    """Module keys with each module after the modules it depends on."""
    order: list[str] = []

    def visit(key: str, trail: tuple[str, ...] = ()) -> None:
        if key in order:
            return
        if key in trail:
            raise PluginError("模块依赖成环：" + " → ".join((*trail, key)))
        for dep in loaded[key].module.depends:
            visit(dep, (*trail, key))
        order.append(key)

    for key in loaded:
        visit(key)
    return order


def area_rooms(package: str, areas: Sequence[str], room: str) -> list[ModuleType]:
    """The ``room`` module (``models``, ``views`` …) of each area of ``package`` that has one.

    A plugin is split into areas, each a package holding only the rooms it needs
    (docs/plugins.md, "The shape"); its ``plugin.py`` collects a room across the areas, in
    ``areas`` order: ``area_rooms("plugins.assets", AREAS, "rules")``.
    """
    names = [f"{package}.{area}.{room}" for area in areas]
    return [importlib.import_module(name) for name in names if find_spec(name) is not None]
