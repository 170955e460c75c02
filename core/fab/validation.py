"""marshmallow's English messages in Chinese, for every path that validates with a schema.

The XLSX import, the REST API and the report parameters report a schema's refusal per field; a schema's own
(Chinese) messages pass unchanged.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

_MESSAGES = [
    (r"^Missing data for required field\.$", lambda m: _("必填，不能为空")),
    (r"^Field may not be null\.$", lambda m: _("不能为空")),
    (r"^Not a valid integer\.$", lambda m: _("不是有效的整数")),
    (r"^Not a valid (number|decimal)\.$", lambda m: _("不是有效的数字")),
    (r"^Special numeric values .*$", lambda m: _("不是有效的数字")),
    (r"^Number too large\.$", lambda m: _("数字过大")),
    (r"^Not a valid date\.$", lambda m: _("不是有效的日期（如 2026-03-01）")),
    (r"^Not a valid datetime\.$", lambda m: _("不是有效的日期时间")),
    (r"^Not a valid boolean\.$", lambda m: _("应填“是”或“否”")),
    (r"^Not a valid time\.$", lambda m: _("不是有效的时间（如 09:30）")),
    (r"^Not a valid period of time\.$", lambda m: _("不是有效的时长")),
    (r"^Could not deserialize related value .*$", lambda m: _("所选的记录不存在")),
    (r"^Invalid input type\.$", lambda m: _("值的类型不对")),
    (r"^Not a valid string\.$", lambda m: _("不是有效的文字")),
    (r"^Longer than maximum length (\d+)\.$", lambda m: _("不能超过 %(n)s 个字", n=m.group(1))),
    (r"^Unknown field\.$", lambda m: _("无法识别的字段")),
    (r"^Must be one of: .*$", lambda m: _("不是可选的值")),
]


def chinese_message(text) -> str:
    """One marshmallow message in Chinese (unchanged when it is not one of marshmallow's)."""
    text = str(text)
    for pattern, make in _MESSAGES:
        found = re.match(pattern, text)
        if found:
            return make(found)
    return text
