"""Art. 14: 不得指定或者变相指定品牌、型号、产地 — what a text asking for goods names.

Shared by the modules that check what is asked for (assets: configuration-plan lines; funds:
procurement records), so it lives in the catalog: a plugin imports no other plugin. The terms
are reference data (``catalog/data/designation_terms.toml``, extended by an installation's
``designation_terms.toml`` — or the older ``assets_designation_terms.toml`` — in the instance
folder), loaded once when the app starts (the assets plugin's ``init_app``; on first use
otherwise), so a broken file stops the start instead of a save. The brands' one alternation
(escaped names: nothing a file could get wrong; ~10 ms to compile) is compiled by its first use.
:func:`designations` says what a text names.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

BUILT_IN = Path(__file__).resolve().parent / "data" / "designation_terms.toml"
#: An installation's own terms, in its instance folder: added to the built-in ones (the second
#: name is where they lived while only the assets module read them)
LOCAL_FILES = ("designation_terms.toml", "assets_designation_terms.toml")
EXTENSION = "jiguan_designation_terms"
#: What a match designates, as the finding names it (the terms file's pattern labels)
WHAT = {"品牌": _l("品牌"), "型号": _l("型号"), "产地": _l("产地")}


@dataclass(frozen=True)
class Terms:
    brand_names: tuple[str, ...]
    patterns: tuple[tuple[str, re.Pattern], ...]
    model: re.Pattern | None
    not_models: frozenset[str]
    allowed: tuple[str, ...]
    allowed_regex: tuple[re.Pattern, ...]

    @cached_property
    def brands(self) -> re.Pattern | None:
        return _brand_regex(self.brand_names)


def _brand_regex(names) -> re.Pattern | None:
    parts = []
    for name in sorted(set(names), key=len, reverse=True):  # 清华同方 before a shorter name in it
        escaped = re.escape(name).replace(r"\ ", r"\s*")
        # a Latin name is a whole word: HP is not the start of HPC, nor a horsepower (1.5HP)
        parts.append(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z])" if name.isascii() else escaped)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def load_terms(*extra: str | None) -> Terms:
    """The built-in terms, plus those of each ``extra`` (TOML files of the same shape) given."""
    sources = [tomllib.loads(BUILT_IN.read_text(encoding="utf-8"))]
    sources += [tomllib.loads(Path(path).read_text(encoding="utf-8")) for path in extra if path]
    names, patterns, not_models, allowed, allowed_regex, model = [], [], set(), [], [], None
    for data in sources:
        names += data.get("brands", {}).get("names", [])
        patterns += [(p["label"], re.compile(p["regex"], re.IGNORECASE)) for p in data.get("patterns", [])]
        models = data.get("models", {})
        model = re.compile(models["regex"]) if models.get("regex") else model
        not_models |= {word.upper() for word in models.get("not_models", [])}
        allowed += data.get("allowed", {}).get("phrases", [])
        allowed_regex += [re.compile(r, re.IGNORECASE) for r in data.get("allowed", {}).get("regex", [])]
    if not all(isinstance(name, str) for name in names):  # what compiling them at start caught
        raise TypeError(f"brands.names: not text: {[n for n in names if not isinstance(n, str)]}")
    return Terms(tuple(names), tuple(patterns), model, frozenset(not_models),
                 tuple(sorted(set(allowed), key=len, reverse=True)), tuple(allowed_regex))


def install(app) -> None:
    local = [Path(app.instance_path) / name for name in LOCAL_FILES]
    app.extensions[EXTENSION] = load_terms(*(str(path) for path in local if path.is_file()))


def _terms() -> Terms:
    terms = current_app.extensions.get(EXTENSION)
    if terms is None:  # not installed at start (no assets module, a bare test app)
        install(current_app)
        terms = current_app.extensions[EXTENSION]
    return terms


def designations(*texts: str | None, terms: Terms | None = None) -> list[tuple[str, str]]:
    """``(what, matched text)`` for each brand, model or origin the texts name, in order, once each."""
    terms = terms or _terms()
    text = " ".join(t for t in texts if t)
    for phrase in terms.allowed:
        text = text.replace(phrase, " ")
    for regex in terms.allowed_regex:
        text = regex.sub(" ", text)
    found: list[tuple[int, str, str]] = []
    if terms.brands is not None:
        found += [(m.start(), "品牌", m.group(0)) for m in terms.brands.finditer(text)]
    for label, regex in terms.patterns:
        found += [(m.start(), label, m.group(0)) for m in regex.finditer(text)]
    if terms.model is not None:
        for m in terms.model.finditer(text):
            letters = re.match(r"[A-Za-z]+", m.group(0)).group(0).upper()
            if letters not in terms.not_models:
                found.append((m.start(), "型号", m.group(0)))
    seen, result = set(), []
    for _start, label, word in sorted(found):
        if word.lower() not in seen:
            seen.add(word.lower())
            result.append((label, word.strip()))
    return result
