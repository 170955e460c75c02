"""Does the system have a font for each script a report's text uses? (issue 16, item 5)

Without a CJK font WeasyPrint prints Chinese as empty boxes and says nothing: the PDF looks
produced, ``pdffonts`` lists no CJK face. So before rendering, the engine asks fontconfig — the
library WeasyPrint itself draws its fonts from, through ctypes, no ``fc-list`` process — for a
font of each script (``:lang=zh-cn`` for Han, ``:lang=ug`` for Uyghur's Arabic script,
``:lang=en`` for Latin) and refuses with the Debian package to install when one is missing.
Fonts do not change while a process runs: the answer is looked up once per process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re

from flask_babel import gettext as _

from core.display import join_items

#: script → (fontconfig language, Debian package of scripts/system-deps.sh that covers it)
SCRIPTS = {
    "han": ("zh-cn", "fonts-noto-cjk"),
    "arabic": ("ug", "fonts-ukij-uyghur"),
    "latin": ("en", "fonts-noto-cjk"),  # the CJK faces carry Latin too
}
_PATTERNS = {
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
}
_MARKUP = re.compile(r"<style\b.*?</style>|<[^>]*>", re.S | re.I)


def _languages_with_fonts(languages: list[str]) -> dict[str, bool]:
    """fontconfig's answer, language → whether any installed font covers it."""
    try:
        fc = ctypes.CDLL("libfontconfig.so.1")  # the soname: no ldconfig/gcc look-up (reports/weasy.py)
    except OSError:
        fc = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so")
    fc.FcNameParse.restype = fc.FcObjectSetBuild.restype = fc.FcFontList.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcObjectSetBuild.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    fc.FcPatternDestroy.argtypes = fc.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    fc.FcFontSetDestroy.argtypes = [ctypes.c_void_p]
    found = {}
    for lang in languages:
        pattern = fc.FcNameParse(f":lang={lang}".encode())
        objects = fc.FcObjectSetBuild(b"family", None)
        fonts = fc.FcFontList(None, pattern, objects)  # FcFontSet*: {int nfont; int sfont; …}
        found[lang] = bool(fonts) and ctypes.cast(fonts, ctypes.POINTER(ctypes.c_int))[0] > 0
        if fonts:
            fc.FcFontSetDestroy(fonts)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
    return found


@functools.cache
def available() -> frozenset[str]:
    """The scripts some installed font covers (looked up once per process)."""
    try:
        found = _languages_with_fonts([lang for lang, _package in SCRIPTS.values()])
    except (OSError, AttributeError):  # no libfontconfig: WeasyPrint cannot draw any text either
        return frozenset()
    return frozenset(script for script, (lang, _package) in SCRIPTS.items() if found[lang])


def scripts_in(text: str, markup: bool = False) -> set[str]:
    """The scripts ``text`` uses (``markup``: an HTML page, its tags and style sheet left out)."""
    if markup:
        text = _MARKUP.sub(" ", text)
    return {script for script, pattern in _PATTERNS.items() if pattern.search(text)}


def script_label(script: str) -> str:
    return {"han": _("汉字"), "arabic": _("维吾尔文（阿拉伯字母）"), "latin": _("拉丁字母")}[script]


def missing_message(scripts: set[str]) -> str | None:
    """The Chinese refusal naming the packages when a script of ``scripts`` has no font, else None."""
    missing = [s for s in SCRIPTS if s in scripts and s not in available()]
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(SCRIPTS[s][1] for s in missing))
    return _("无法生成 PDF：系统没有可显示%(scripts)s的字体，生成的文件会缺字。"
             "请管理员安装 Debian 软件包 %(packages)s（apt-get install %(packages)s，"
             "或 sudo bash scripts/system-deps.sh）后重试",
             scripts=join_items(script_label(s) for s in missing), packages=packages)
