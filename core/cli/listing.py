"""``jiguan --help`` without building the app: the list of commands, kept in the instance folder.

Every plugin and service contributes its commands when ``create_app`` runs
(``register_cli_commands``), and building the app with every plugin takes seconds: too long to
print a help page. The first listing builds the app as before and writes each top-level
command's name and help to ``instance/cli-commands.json``; later listings read it back while
nothing it was made from has changed — the installed plugins and Flask command entry points,
the ``JIGUAN_*`` environment, the instance's ``jiguan.cfg``, and every source file that
defines a listed command or a plugin (compared by modification time). Running a command, or
asking a command's own help, builds the app as before.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sys
from importlib.metadata import entry_points
from pathlib import Path

import click

from core.config import PROJECT_ROOT

#: Bump when the file's shape changes: an older file is then rebuilt, never misread.
FORMAT = 1
FILE_NAME = "cli-commands.json"
_ENTRY_POINT_GROUPS = ("jiguan.plugins", "flask.commands")


def instance_path() -> Path:
    """Where ``create_app`` puts the instance folder (core/app.py)."""
    return Path(os.environ.get("JIGUAN_INSTANCE_PATH") or PROJECT_ROOT / "instance")


def _environment_key() -> str:
    """What decides which plugins load and so which commands exist, apart from source files."""
    cfg = instance_path() / "jiguan.cfg"
    try:
        stat = cfg.stat()
        cfg_key = [stat.st_mtime_ns, stat.st_size]
    except OSError:
        cfg_key = None
    found = entry_points()
    eps = sorted(
        (group, ep.name, ep.value, ep.dist.name if ep.dist else "", ep.dist.version if ep.dist else "")
        for group in _ENTRY_POINT_GROUPS for ep in found.select(group=group)
    )
    parts = {
        "format": FORMAT,
        "python": sys.executable,
        "root": str(PROJECT_ROOT),
        "env": sorted((k, v) for k, v in os.environ.items() if k.startswith("JIGUAN_")),
        "cfg": cfg_key,
        "entry_points": eps,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _source_file(obj) -> str | None:
    try:
        return inspect.getsourcefile(obj)
    except TypeError:
        return None


def read() -> list[dict] | None:
    """The kept listing, or ``None`` when there is none or it may no longer be true."""
    try:
        kept = json.loads((instance_path() / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("key") != _environment_key():
        return None
    if any(_mtime(path) != mtime for path, mtime in kept.get("files", {}).items()):
        return None
    return kept.get("commands")


def write(commands: dict[str, click.Command], app) -> None:
    """Keep the listing of ``commands`` (name → command) made with ``app``; best effort."""
    files = {_source_file(cmd.callback) for cmd in commands.values() if cmd.callback}
    state = app.extensions.get("jiguan")
    if state is not None:
        files |= {_source_file(plugin) for plugin in state.pm.get_plugins()}
    files |= {_source_file(sys.modules[__name__]), _source_file(sys.modules["core.cli"])}
    listing = [
        {"name": name, "help": cmd.help, "short_help": cmd.short_help,
         "deprecated": cmd.deprecated, "hidden": cmd.hidden}
        for name, cmd in sorted(commands.items())
    ]
    kept = {"key": _environment_key(), "files": {f: _mtime(f) for f in sorted(files - {None})},
            "commands": listing}
    path = instance_path() / FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{FILE_NAME}.{os.getpid()}")
        partial.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass  # a read-only instance folder: the next listing builds the app again


def stand_ins(listing: list[dict]) -> dict[str, click.Command]:
    """Commands that only carry a kept command's name and help, for formatting the list."""
    return {
        item["name"]: click.Command(item["name"], help=item["help"], short_help=item["short_help"],
                                    deprecated=item["deprecated"], hidden=item["hidden"])
        for item in listing
    }
