"""Docs that cannot drift: every hook, every ``core.api`` name and every name a doc cites exist
on both sides. A renamed module, function or setting fails here, not in a reader's hands."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
CODE_ROOTS = ("core", "catalog", "plugins", "reports", "templates", "tests", "benchmarks", "scripts",
              "docs", "translations", ".ci")
#: words that stand for a name the reader chooses (myplugin/, jiguan_<key>/ …)
PLACEHOLDERS = re.compile(r"<|>|\*|…|\.\.\.|\bmy|\bhello\b|mypackage|your|\{|(?<![a-z])KEY(?![a-z])"
                          r"|\bFILE\b|\bX\b")


def _cited(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def _doc_texts():
    return [(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in DOCS]


# --- hooks --------------------------------------------------------------------------------------

def _hookspecs():
    from core.plugins import hookspec_modules

    return {name: f for specs in hookspec_modules() for name, f in vars(specs).items()
            if callable(f) and hasattr(f, "jiguan_spec")}


def _signature(func) -> str:
    sig = inspect.signature(func)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"{func.__name__}({params}) -> {sig.return_annotation}"


@pytest.mark.parametrize("name", sorted(_hookspecs()))
def test_every_hook_has_a_section_with_its_signature(name):
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    signature = _signature(_hookspecs()[name])
    assert f"### `{signature}`" in guide, f"docs/plugins.md needs a section '### `{signature}`'"


# --- the facade ---------------------------------------------------------------------------------

def test_every_core_api_name_is_in_the_reference():
    import core.api

    reference = (ROOT / "docs" / "core-api.md").read_text(encoding="utf-8")
    missing = [name for name in core.api.__all__ if f"`{name}`" not in reference]
    assert missing == [], f"docs/core-api.md does not document: {missing}"


def test_the_reference_names_nothing_the_facade_lacks():
    import core.api

    reference = (ROOT / "docs" / "core-api.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#### `([A-Za-z_][A-Za-z0-9_]*)", reference, re.M)
    assert headings, "docs/core-api.md has no '#### `name`' entries"
    unknown = [name for name in headings if name not in core.api.__all__]
    assert unknown == [], f"docs/core-api.md documents names core.api does not export: {unknown}"


# --- what the docs cite -------------------------------------------------------------------------

def _template_exists(name: str) -> bool:
    """A Jinja template name (``reports/base.html``) as a report or a page extends it."""
    folders = [ROOT / "templates", *(ROOT / "plugins").glob("*/templates")]
    return name.endswith(".html") and any((folder / name).exists() for folder in folders)


def _path_exists(text: str) -> bool:
    path, _colon, attr = text.partition(":")
    target = ROOT / path.rstrip("/")
    if not target.exists():
        return _template_exists(path)
    if attr and target.suffix == ".py" and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", attr):
        module = importlib.import_module(path[:-3].replace("/", "."))
        return _has(module, attr)
    return True


def _has(obj, dotted: str) -> bool:
    for part in dotted.split("."):
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def _dotted_exists(text: str) -> bool:
    parts = text.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        return _has(module, ".".join(parts[cut:])) if cut < len(parts) else True
    return False


def _citations():
    found = []
    for doc, text in _doc_texts():
        for cited in _cited(text):
            cited = cited.strip()
            if PLACEHOLDERS.search(cited) or " " in cited:
                continue
            if re.fullmatch(rf"(?:{'|'.join(map(re.escape, CODE_ROOTS))})/[\w./-]*(?::[\w.]+)?", cited):
                found.append((doc, "path", cited))
            elif re.fullmatch(r"(?:core|catalog|reports|plugins)(?:\.[A-Za-z_]\w*)+", cited) \
                    and not cited.endswith((".py", ".html", ".css")):
                found.append((doc, "name", cited))
            elif re.fullmatch(r"JIGUAN_[A-Z0-9_]+", cited):
                found.append((doc, "setting", cited))
    return found


def _plugin_settings() -> set[str]:
    """The settings the built-in plugins read: ``config.get("KEY"`` or ``config["KEY"]``."""
    pattern = re.compile(r"""config(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
    return {key for path in (ROOT / "plugins").rglob("*.py") for key in pattern.findall(path.read_text())}


def test_docs_cite_things_that_exist():
    from core.config import ENV_ALIASES, DefaultConfig
    from core.web.settings import WebSettings

    settings = {k for k in dir(DefaultConfig) if k.isupper()} | set(ENV_ALIASES)
    settings |= {k for k in dir(WebSettings) if k.isupper()}  # the web service's own
    settings |= _plugin_settings()  # a plugin's own, read from the app's config by its code
    extra_settings = {"INSTANCE_PATH", "TEST_POSTGRES_URL", "REQUIRE_POSTGRES", "REQUIRE_BROWSER",
                      "CHROMIUM", "CHROMEDRIVER"}  # read by the launcher and the tests, not the app
    wrong = []
    for doc, kind, cited in _citations():
        if kind == "path":
            ok = _path_exists(cited)
        elif kind == "name":
            ok = _dotted_exists(cited)
        else:
            key = cited.removeprefix("JIGUAN_")
            ok = key in settings or key in extra_settings
        if not ok:
            wrong.append(f"{doc}: `{cited}`")
    assert wrong == [], "docs cite what does not exist:\n" + "\n".join(wrong)


def test_the_citation_check_sees_the_docs():
    kinds = {kind for _doc, kind, _cited in _citations()}
    assert kinds == {"path", "name", "setting"} and len(_citations()) > 100


# --- rules --------------------------------------------------------------------------------------

def test_every_registered_rule_is_listed_with_its_article(app):
    """docs/rules.md names every rule the modules register, under the article it cites."""
    from core.rules import article_text
    from core.state import get_state

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    with app.app_context():
        rules = [rule for listed in get_state().rules.values() for _plugin, rule in listed]
    assert rules
    missing = [rule.key for rule in rules if rule.key not in rows]
    assert not missing, f"docs/rules.md lacks {missing}"
    wrong = [rule.key for rule in rules if f"| {article_text(rule.article)} |" not in rows[rule.key]]
    assert not wrong, f"docs/rules.md cites another article for {wrong}"
