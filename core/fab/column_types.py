"""The portable column types beyond FAB's own, as every path reads and writes them.

A plugin's model may use any portable SQLAlchemy type (docs/plugins.md, "Column types").
FAB and marshmallow handle text, numbers, booleans and dates themselves; for the others
this module is the one answer to "what is this value, in words and on the wire", shared by
the forms (``core.fab.column_forms``), the REST API (``core.fab.column_schemas``), the show and
list pages and the XLSX engine (``catalog/xlsx*.py``), so no two paths disagree:

=========  ==================================  =========================================
kind       SQLAlchemy type                     written and read as
=========  ==================================  =========================================
enum       ``Enum`` (a Python enum, strings)   its code (a member's *name*, or the string)
                                               shown as its label (``info={"labels": …}``)
time       ``Time``                            ``09:30`` (``09:30:15`` with seconds)
duration   ``Interval``                        ``2天 03:30`` (API: seconds)
json       ``JSON``                            JSON text, shown pretty
binary     ``LargeBinary``                     never shown: its size and SHA-256
=========  ==================================  =========================================

The audit trail stores the same codes (``core.events._jsonable``).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import JSON, Enum, Interval, LargeBinary, Time

from core.display import join_items

#: ``Column(..., info={LABELS: {code or member: label}})``: the labels of an Enum's codes.
LABELS = "labels"


def kind_of(column) -> str | None:
    """The portable kind of ``column`` this module handles, or None (FAB's own types)."""
    kind = getattr(column, "type", None)
    if isinstance(kind, Enum):  # before String: an Enum is a String
        return "enum"
    if isinstance(kind, Time):
        return "time"
    if isinstance(kind, Interval):
        return "duration"
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, LargeBinary):
        return "binary"
    return None


def model_column(model, name: str):
    """The table column ``name`` of ``model``, or None (a relation, a property)."""
    table = getattr(model, "__table__", None)
    return table.c[name] if table is not None and name in table.c else None


# --- enum ------------------------------------------------------------------------------------


def enum_code(value) -> str | None:
    """The code of an enum value: a member's name, or the string itself."""
    if value is None:
        return None
    return value.name if isinstance(value, enum.Enum) else str(value)


def enum_choices(column) -> dict:
    """Code → label of an Enum column, in declaration order (the label defaults to the code)."""
    declared = {enum_code(k): v for k, v in (column.info.get(LABELS) or {}).items()}
    return {code: declared.get(code, code) for code in column.type.enums}


def enum_value(column, code):
    """What the ORM stores for ``code``: the member of a Python enum, else the string."""
    if code is None or code == "":
        return None
    enum_class = column.type.enum_class
    if enum_class is not None and not isinstance(code, enum_class):
        return enum_class[code]
    return code


def enum_refusal(column, value) -> str:
    labels = join_items(f"{code}（{label}）" if str(label) != code else code
                      for code, label in enum_choices(column).items())
    return _("“%(value)s”不是可选的值（可选：%(values)s）", value=value, values=labels)


# --- time and duration -----------------------------------------------------------------------

_TIME = re.compile(r"(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*[:：分]\s*(?:(\d{1,2})\s*秒?)?)?")
#: ``2天 03:30``; ``2d 03:30`` as the English pages show it; ``{day}``: the day words accepted
_DURATION = (r"(?:(\d+)\s*(?:{day}))?\s*"
             r"(?:(\d+)\s*[:：]\s*(\d{{1,2}})(?:\s*[:：]\s*(\d{{1,2}}))?)?")


def time_text(value: dt.time | None) -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def parse_time(text) -> dt.time:
    """``09:30``, ``9:30:15``, ``9时30分``; raises ValueError with a Chinese message."""
    found = _TIME.fullmatch(str(text).strip())
    try:
        if not found:
            raise ValueError
        hour, minute, second = (int(g) if g else 0 for g in found.groups())
        return dt.time(hour, minute, second)
    except ValueError:
        raise ValueError(_("不是有效的时间（如 09:30）")) from None


def duration_text(value: dt.timedelta | None) -> str:
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    return _("%(days)s天 %(clock)s", days=days, clock=clock) if days else clock


def _day_words() -> str:
    """天, d, day(s) and the word the current language writes after the days (duration_text), so
    that a duration shown on a page in any language can be typed back."""
    shown = _("%(days)s天 %(clock)s", days="", clock="").strip()
    words = {"天", "d", "day", "days", shown} - {""}
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def parse_duration(text) -> dt.timedelta:
    """``1:30``, ``2天 03:30``, ``2天``; raises ValueError with a Chinese message."""
    text = str(text).strip()
    found = re.fullmatch(_DURATION.format(day=_day_words()), text, re.IGNORECASE)
    if not text or not found or not any(found.groups()):
        raise ValueError(_("不是有效的时长（如 1:30 或 2天 03:30）"))
    days, hours, minutes, seconds = (int(g) if g else 0 for g in found.groups())
    if minutes > 59 or seconds > 59:
        raise ValueError(_("不是有效的时长（如 1:30 或 2天 03:30）"))
    return dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


# --- JSON and binary -------------------------------------------------------------------------


def json_text(value, pretty: bool = True) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2 if pretty else None, sort_keys=False)


def parse_json(text):
    """The value of a JSON text; raises ValueError naming the line and column in Chinese."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(_("不是有效的 JSON（第 %(line)s 行第 %(col)s 列附近）",
                           line=exc.lineno, col=exc.colno)) from None


def binary_summary(value) -> dict | None:
    """What a file stored in a column is, never its bytes (as the audit trail records it)."""
    if value is None:
        return None
    data = bytes(value)
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def binary_text(value) -> str:
    summary = binary_summary(value)
    if summary is None:
        return ""
    return _("%(size)s 字节（SHA-256 %(digest)s…）", size=summary["size"], digest=summary["sha256"][:12])


# --- shown on the show and list pages, and in an export --------------------------------------


def display(column, value, html: bool = False):
    """``value`` of ``column`` as a reader sees it: labels, HH:MM, pretty JSON, a file's size."""
    if value is None:
        return ""
    kind = kind_of(column)
    if kind == "enum":
        enum_class = column.type.enum_class
        # FAB's pages hand over a member's value, not the member
        if enum_class is not None and not isinstance(value, enum_class) \
                and value not in enum_class.__members__:
            value = next((m for m in enum_class if m.value == value), value)
        code = enum_code(value)
        return str(enum_choices(column).get(code, code))
    if kind == "time":
        return time_text(value)
    if kind == "duration":
        return duration_text(value)
    if kind == "json":
        text = json_text(value)
        if html:
            return Markup('<pre class="jiguan-json" style="max-height:16em;overflow:auto;margin:0">'
                          "%s</pre>") % escape(text)
        return json_text(value, pretty=False)
    if kind == "binary":
        return binary_text(value)
    return value


def formatter(column):
    """A FAB ``formatters_columns`` entry for a column of a portable kind, or None."""
    if kind_of(column) is None:
        return None
    return lambda value: display(column, value, html=True)
