"""统一社会信用代码 (Unified Social Credit Code) per GB 32100-2015."""

from __future__ import annotations

import re

from flask_babel import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"^[{CHARSET}]{{18}}$")


def check_char(first17: str) -> str:
    """The 18th character that completes ``first17``."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """A Chinese message saying why ``code`` is not a valid USCC, or None if it is."""
    if not code:
        return _("统一社会信用代码不能为空")
    code = code.strip().upper()
    if len(code) != 18:
        return _("统一社会信用代码应为 18 位，实为 %(n)s 位", n=len(code))
    if not _SHAPE.match(code):
        return _("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）")
    if check_char(code[:17]) != code[17]:
        return _("统一社会信用代码校验位错误：应为 %(char)s", char=check_char(code[:17]))
    return None
