"""Right to left without leaks, statically (docs/i18n.md, "Right to left"): our style sheets say
start/end (logical properties) or give each physical left/right rule a [dir=rtl] counterpart,
and no template writes a physical side in a style attribute. The browser test
(tests/e2e/test_uyghur.py) checks the pages as rendered."""

from __future__ import annotations

import re

from core.config import PROJECT_ROOT

#: a declaration naming a physical side (not logical: margin-inline-start, inset-inline …)
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right|"
    r"border-(?:top|bottom)-(?:left|right)-radius)\s*:|"
    r"(?<![\w-])(?:float|clear|text-align)\s*:\s*(?:left|right)\b")
#: templates whose physical sides are geometry of paper, not of reading: they stay as they are
PHYSICAL_ON_PURPOSE = {
    # each label's place on the label stock, measured from the sheet's left edge (the printer's)
    "plugins/assets/templates/assets/labels.html",
}
RTL = re.compile(r"(?:html)?\[dir=[\"']?rtl[\"']?\]\s*|:dir\(rtl\)\s*")


def _sheets():
    for pattern in ("core/static/*.css", "plugins/*/static/*.css", "reports/static/*.css"):
        yield from sorted(PROJECT_ROOT.glob(pattern))  # vendor/ holds generated and third-party files


def _rules(css: str):
    """(selector, declarations) of every innermost rule (inside @media too)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        yield " ".join(selector.split()), body


def physical_without_counterpart(css: str) -> list[str]:
    rules = list(_rules(css))
    mirrored = {RTL.sub("", s) for s, _body in rules if RTL.search(s)}
    return [f"{selector} {{ {body.strip()} }}" for selector, body in rules
            if not selector.startswith("@") and not RTL.search(selector)
            and PHYSICAL.search(body) and selector not in mirrored]


def test_our_style_sheets_are_direction_aware():
    sheets = list(_sheets())
    assert any(p.name == "jiguan.css" for p in sheets) and any(p.name == "report.css" for p in sheets)
    leaks = {str(p.relative_to(PROJECT_ROOT)): found for p in sheets
             if (found := physical_without_counterpart(p.read_text(encoding="utf-8")))}
    assert not leaks, ("physical left/right without an rtl counterpart: use margin-inline-start, "
                       f"padding-inline, inset-inline-start, text-align: start/end … {leaks}")


def test_no_template_writes_a_physical_side_inline():
    found = []
    templates = [*PROJECT_ROOT.glob("templates/**/*.html"),
                 *PROJECT_ROOT.glob("plugins/*/templates/**/*.html")]
    for path in templates:
        if str(path.relative_to(PROJECT_ROOT)) in PHYSICAL_ON_PURPOSE:
            continue
        for style in re.findall(r'style="([^"]*)"', path.read_text(encoding="utf-8")):
            if PHYSICAL.search(style):
                found.append(f"{path.relative_to(PROJECT_ROOT)}: {style}")
    assert not found, f"a style attribute naming a physical side (left/right): {found}"


def test_the_check_finds_a_leak_and_accepts_a_counterpart():
    assert physical_without_counterpart(".a { margin-left: 4px; }") == [".a { margin-left: 4px; }"]
    assert physical_without_counterpart(".a { text-align: right }") != []
    assert physical_without_counterpart(".a { margin-inline-start: 4px; text-align: end }") == []
    assert physical_without_counterpart(
        ".a { margin-left: 4px; } [dir=rtl] .a { margin-left: 0; margin-right: 4px; }") == []
    assert physical_without_counterpart("@page { @top-right { content: 'x'; } }") == []
