"""``jiguan plugin new KEY``: a pip-installable plugin package that passes its own tests at once.

The files are ``template/`` (package data of the core), rendered with ``string.Template``
(``$key``, ``${Model}`` …; Python and Jinja keep their braces). Path parts ``__package__``,
``__key__`` and ``__migration__`` are renamed. The English catalogue is extracted from the
rendered package with Babel and filled from :func:`english`, so it holds exactly the
strings the package uses.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "template"
CORE_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,22}[a-z0-9]$")
#: Longer names would not fit the generated code's lines (110 columns, a CJK glyph counts two).
LABEL_MAX, LABEL_EN_MAX = 12, 40
#: Names a plugin key cannot take: the core's packages and the built-in modules.
RESERVED = {"core", "catalog", "reports", "plugins", "tests", "templates", "land", "assets", "jiguan"}
LABEL_FORBIDDEN = re.compile(r"[\"'\\%$\n\r{}]")


class ScaffoldError(ValueError):
    """The plugin cannot be generated (bad key, target exists …); the message says why."""


def camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


def core_head() -> str:
    """The core branch's head revision: the generated branch's root depends on it."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(CORE_MIGRATIONS), version_locations=[str(CORE_MIGRATIONS / "versions")])
    return script.get_revision("core@head").revision


def english(label: str, label_en: str) -> dict[str, str]:
    """The English of every msgid the template uses (the label's own ones included)."""
    return {
        label: label_en,
        f"{label}登记": f"{label_en} records",
        f"{label}数量上限": f"{label_en} quantity cap",
        f"{label}登记表": f"{label_en} register",
        "示例实体：登记、按标准上限检查、登记表":
            "A sample entity: records, checked against a standard cap, and their register",
        "名称": "Name", "所在辖区": "Jurisdiction", "所属单位": "Organisation", "数量": "Quantity",
        "登记日期": "Recorded on", "备注": "Note", "实时": "Real time",
        "名称、所在辖区、所属单位、数量与登记日期":
            "Name, jurisdiction, organisation, quantity and date recorded",
        "数量不能为负数": "The quantity cannot be negative",
        "数量 %(quantity)s 超过%(place)s现行的上限 %(cap)s":
            "Quantity %(quantity)s exceeds the cap of %(cap)s in force in %(place)s",
        "统计截止日期": "As of", "截至 %(date)s": "As of %(date)s",
        "本辖区的登记记录及数量合计": "The records in your jurisdiction and their total quantity",
        "序号": "No.", "合计": "Total", "本辖区暂无记录": "No records in your jurisdiction",
    }


def context(key: str, label: str | None = None, label_en: str | None = None,
            head: str | None = None) -> dict[str, str]:
    """The template's variables for plugin ``key``; checks the key and the labels."""
    if not KEY_PATTERN.match(key):
        raise ScaffoldError(f"模块标识 {key!r} 不合规：3-24 个小写字母、数字或下划线，以字母开头")
    if key in RESERVED:
        raise ScaffoldError(f"模块标识 {key!r} 已被核心或内置模块占用")
    label = label or key
    label_en = label_en or key.replace("_", " ").capitalize()
    for name, value, longest in (("--label", label, LABEL_MAX), ("--label-en", label_en, LABEL_EN_MAX)):
        if LABEL_FORBIDDEN.search(value):
            raise ScaffoldError(f"{name} 不能含引号、反斜杠、%、$、花括号或换行：{value!r}")
        if len(value) > longest:
            raise ScaffoldError(f"{name} 最长 {longest} 个字符：{value!r}")
    model = camel(key) + "Record"
    now = dt.datetime.now()
    return {
        "key": key, "label": label, "label_en": label_en, "Camel": camel(key), "Model": model,
        "package": f"jiguan_{key}", "dist": f"jiguan-{key.replace('_', '-')}",
        "table": f"{key}_record", "entity": f"{key}_record", "route": f"/{model.lower()}view",
        "article": "11", "rev": secrets.token_hex(6), "core_head": head or core_head(),
        "date": now.isoformat(sep=" "), "day": now.strftime("%Y%m%d"),
    }


def _target_name(relative: Path, ctx: dict) -> Path:
    names = {"__package__": ctx["package"], "__key__": ctx["key"],
             "__migration__.py": f"{ctx['day']}_{ctx['rev']}_{ctx['key']}_initial_schema.py"}
    parts = [part.removesuffix(".tmpl") for part in relative.parts]
    parts = [names.get(part, part.replace("__key__", ctx["key"])) for part in parts]
    return Path(*parts)


def generate(key: str, directory: Path | str = ".", label: str | None = None,
             label_en: str | None = None, head: str | None = None) -> Path:
    """Write the package ``jiguan-<key>/`` under ``directory``; return its folder."""
    ctx = context(key, label, label_en, head)
    root = Path(directory) / ctx["dist"]
    if root.exists() and any(root.iterdir()):
        raise ScaffoldError(f"{root} 已存在且不为空")
    for source in sorted(TEMPLATE.rglob("*.tmpl")):
        target = root / _target_name(source.relative_to(TEMPLATE), ctx)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(string.Template(source.read_text(encoding="utf-8")).substitute(ctx),
                          encoding="utf-8")
    write_translations(root, ctx)
    return root


def write_translations(root: Path, ctx: dict) -> None:
    """messages.pot and the English messages.po/.mo, from the strings the package really uses."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    package = ctx["package"]
    html = f"{package}/templates/**.html"
    found = extract_from_dir(
        str(root), method_map=[(f"{package}/**.py", "python"), (html, "jinja2.ext:babel_extract")],
        options_map={html: {"extensions": "jinja2.ext.do"}},
        keywords={**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None},
    )
    template = Catalog(project=ctx["dist"], version="0.1.0", fuzzy=False)
    for filename, lineno, message, _comments, _context in found:
        template.add(message, locations=[(filename, lineno)])
    known = english(ctx["label"], ctx["label_en"])
    missing = sorted(str(m.id) for m in template if m.id and m.id not in known)
    if missing:  # the template and english() went apart: a bug of the scaffold itself
        raise ScaffoldError(f"脚手架缺少这些字符串的英文：{missing}")
    folder = root / package / "translations"
    (folder / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    with open(folder / "messages.pot", "wb") as f:
        write_po(f, template, width=0, sort_output=True)
    catalog = Catalog(locale="en", project=ctx["dist"], version="0.1.0", fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(message.id, known[message.id], locations=message.locations)
    with open(folder / "en" / "LC_MESSAGES" / "messages.po", "wb") as f:
        write_po(f, catalog, width=0, sort_output=True)
    with open(folder / "en" / "LC_MESSAGES" / "messages.mo", "wb") as f:
        write_mo(f, catalog)
