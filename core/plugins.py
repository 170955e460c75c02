"""The plugin manager: built-ins, entry-point plugins, and what they contribute."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from core import hookspecs
from core.contract import CONTRACT_VERSION, Module

ENTRYPOINT_GROUP = "jiguan.plugins"

#: Built-in modules by key, loaded in this order; each exactly like a third-party plugin. The
#: key is the module's key, so a disabled built-in is skipped before it is imported.
DEFAULT_PLUGINS: dict[str, str] = {
    "catalog": "catalog.plugin",
    "land": "plugins.land.plugin", "assets": "plugins.assets.plugin",
    "funds": "plugins.funds.plugin", "receptions": "plugins.receptions.plugin",
    "vehicles": "plugins.vehicles.plugin", "office_space": "plugins.office_space.plugin",
    "housing": "plugins.housing.plugin",
}


#: Services every module uses, installed through the same hooks as the modules (as Datasette's
#: default plugins are): they have no manifest, are always on and are never a module.
SERVICE_PLUGINS: tuple[str, ...] = (
    "core.display.plugin",
    "core.web.plugin",
    "core.workflow.plugin",
    "core.jobs.plugin",
    "core.xlsx.plugin",
    "core.search.plugin",
    "core.attachments.plugin",
    "reports.plugin",
    "core.cli.plugin",
    "core.home.plugin",
)
SERVICE_PREFIX = "service:"

#: Hook specifications a service adds beside the kernel's (``core/hookspecs.py``): hooks that
#: only make sense with that service (the home page's cards, attachments …) live with it.
SERVICE_HOOKSPECS: tuple[str, ...] = ("core.home.hookspecs",)


def hookspec_modules() -> list[ModuleType]:
    """Every module of hook specifications: the kernel's, then each service's."""
    return [hookspecs, *(importlib.import_module(dotted) for dotted in SERVICE_HOOKSPECS)]


class PluginError(RuntimeError):
    """A plugin cannot be loaded (duplicate key, missing dependency, contract mismatch …)."""


@dataclass
class LoadedPlugin:
    module: Module
    plugin: object
    source: str  # "built-in" or the distribution of its entry point
    hooks: list[str] = field(default_factory=list)


def _hashable(plugin):
    """pluggy keeps plugins in sets: a plugin given as a plain namespace becomes a module."""
    try:
        hash(plugin)
    except TypeError:
        module = types.ModuleType(getattr(plugin, "__name__", "jiguan_plugin"))
        module.__dict__.update(vars(plugin))
        return module
    return plugin


def _import(obj):
    return importlib.import_module(obj) if isinstance(obj, str) else obj


def _entry_points(config) -> list:
    """The ``jiguan.plugins`` entry points to load: all, none, or the names listed.

    ``LOAD_ENTRYPOINT_PLUGINS`` is a bool or a list of entry-point names (a deployment or a
    test that wants only some of the installed plugins).
    """
    wanted = config.get("LOAD_ENTRYPOINT_PLUGINS", True)
    if not wanted:
        return []
    found = list(entry_points(group=ENTRYPOINT_GROUP))
    if wanted is True:
        return found
    names = set(wanted)
    missing = names - {ep.name for ep in found}
    if missing:
        raise PluginError(f"找不到入口点插件：{', '.join(sorted(missing))}（未安装？）")
    return [ep for ep in found if ep.name in names]


def _source(ep) -> str:
    dist = ep.dist.name if ep.dist else "?"
    version = ep.dist.version if ep.dist else ""
    return f"{dist} {version}".strip()


def disabled_plugins(config) -> list[tuple[str, str]]:
    """``(key, source)`` of the installed plugins that ``DISABLED_PLUGINS`` keeps from loading."""
    disabled = set(config.get("DISABLED_PLUGINS") or ())
    found = [(key, "built-in") for key in DEFAULT_PLUGINS if key in disabled]
    found += [(ep.name, _source(ep)) for ep in entry_points(group=ENTRYPOINT_GROUP)
              if ep.name in disabled]
    return found


def check_contract(module: Module, source: str) -> None:
    """Refuse a module written for another contract version than the core's."""
    if not module.contract:
        return
    try:
        accepted = SpecifierSet(module.contract)
    except InvalidSpecifier as exc:
        raise PluginError(
            f"插件 {module.key}（{source}）声明的契约版本范围 {module.contract!r} 无法解析"
        ) from exc
    if not accepted.contains(CONTRACT_VERSION, prereleases=True):
        raise PluginError(
            f"插件 {module.key}（{source}）要求核心契约版本 {module.contract}，"
            f"而本核心的契约版本为 {CONTRACT_VERSION}：请安装与本核心相符的插件版本，"
            f"或在 DISABLED_PLUGINS 中停用它"
        )


def build_plugin_manager(config) -> tuple[pluggy.PluginManager, dict[str, LoadedPlugin]]:
    """Build the manager for one app; return it with the plugins by module key.

    Disabled plugins are matched by key *before* they are imported: the key of a built-in in
    ``DEFAULT_PLUGINS``, the name of an entry point (by convention the module key, checked
    once loaded). A plugin that fails to import cannot be switched off any other way.
    """
    pm = pluggy.PluginManager("jiguan")
    for specs in hookspec_modules():
        pm.add_hookspecs(specs)
    for dotted in SERVICE_PLUGINS:
        pm.register(_import(dotted), name=SERVICE_PREFIX + dotted)
    sources: list[tuple[object, str, str | None]] = []  # (plugin, source, expected key)
    disabled = set(config.get("DISABLED_PLUGINS") or ())
    for key, dotted in DEFAULT_PLUGINS.items():
        if key not in disabled:
            sources.append((_import(dotted), "built-in", key))
    for extra in config.get("EXTRA_PLUGINS") or ():
        sources.append((_import(extra), "configured", None))
    for ep in _entry_points(config):
        if ep.name not in disabled:
            sources.append((ep.load(), _source(ep), ep.name))

    loaded: dict[str, LoadedPlugin] = {}
    for plugin, source, expected in ((_hashable(p), s, e) for p, s, e in sources):
        impl = getattr(plugin, "register_module", None)
        if impl is None:
            raise PluginError(f"插件 {plugin!r} 未实现 register_module，无法识别其模块")
        module = impl()
        if expected is not None and module.key != expected:
            raise PluginError(
                f"{source} 的入口点名 {expected!r} 与其模块标识 {module.key!r} 不一致："
                f"入口点名必须等于模块标识（DISABLED_PLUGINS 按它在导入前停用插件）"
            )
        if module.key in disabled:
            continue
        check_contract(module, source)
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
    """Call a contributing hook through pluggy; return ``(module_key, item)`` for every item
    returned (``None`` for a service's items).

    Each implementation is called through its own pluggy caller (``subset_hook_caller``) that
    keeps every plugin's wrappers, so ``@hookimpl(wrapper=True)``, tracing and call monitoring
    work as with any pluggy hook, and each item is still attributed to the module that returned
    it: the core never needs a plugin to repeat its own key.
    """
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    wrapping = [i.plugin for i in impls if i.wrapper or i.hookwrapper]
    plugins = [i.plugin for i in impls]
    results = []
    for impl in impls:
        if impl.wrapper or impl.hookwrapper:
            continue
        others = [p for p in plugins if p is not impl.plugin and not any(p is w for w in wrapping)]
        returned = pm.subset_hook_caller(hook_name, remove_plugins=others)(**kwargs)
        key = pm.get_name(impl.plugin)
        key = None if key.startswith(SERVICE_PREFIX) else key
        for result in returned or ():
            for item in result or ():
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


def plugin_folder(plugin) -> Path | None:
    """The folder of the module that defines ``plugin`` (a module, class or instance).

    Beside it a plugin ships, by convention (docs/plugins.md), ``templates/`` (joins the
    template search path), ``migrations/versions/`` (its Alembic branch) and
    ``translations/<lang>/LC_MESSAGES/`` (its catalogues): the core finds all three.
    """
    path = getattr(plugin, "__file__", None)
    if path is None:
        path = getattr(sys.modules.get(getattr(plugin, "__module__", "") or ""), "__file__", None)
    return Path(path).resolve().parent if path else None


def plugin_subfolders(plugins, name: str) -> list[Path]:
    """Each loaded plugin's folder ``name`` (``templates``, ``translations`` …) that exists."""
    found = []
    for info in plugins.values():
        folder = plugin_folder(info.plugin)
        if folder is not None and (folder / name).is_dir():
            found.append(folder / name)
    return list(dict.fromkeys(found))
