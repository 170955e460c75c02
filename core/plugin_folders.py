"""The folders a plugin ships next to its ``plugin.py``: templates, migrations, translations.

The convention (docs/plugins.md): beside the module that implements the hooks,
``templates/`` joins the template search path, ``migrations/versions/`` is the plugin's
Alembic branch and ``translations/<lang>/LC_MESSAGES/messages.mo`` its catalogues — the
core finds all three, a plugin configures nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path


def plugin_folder(plugin) -> Path | None:
    """The folder of the module that defines ``plugin`` (a module, class or instance)."""
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


def add_translation_directories(app, plugins) -> None:
    """Put the plugins' ``translations/`` folders into ``BABEL_TRANSLATION_DIRECTORIES``.

    In front of the project's own: Flask-Babel merges the folders in order and the later wins
    for a msgid found in both, so a plugin adds its strings but never rewords the core's.
    FAB puts its bundled folder in front of all of them when it starts.
    """
    ours = app.config.get("BABEL_TRANSLATION_DIRECTORIES") or ""
    present = [d for d in ours.split(";") if d]
    extra = [str(d) for d in plugin_subfolders(plugins, "translations") if str(d) not in present]
    if extra:
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join([*extra, *present])
