"""How every screen, PDF, XLSX file and e-mail shows a moment and an article of the Measures.

One display time zone, ``DISPLAY_TIMEZONE`` (``Asia/Shanghai`` unless configured): the database
keeps UTC (naive ``DateTime`` columns written by ``core.versioning.utcnow``); everything a user
reads goes through :func:`local_time` (the ``localtime`` Jinja filter), to the minute. Dates a
form or report proposes ("today") come from :func:`local_today`, so the check-out form and the
report form agree. Articles are cited one way, 第十七条 (:func:`article_text`, the ``article``
filter). See docs/display.md.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from core.display.locale import (
    current_locale,
    default_locale,
    format_amount,
    format_number,
    join_items,
    locale_of,
    text_direction,
)
from core.rules import article_text, chinese_number, measures_article

DEFAULT_TIMEZONE = "Asia/Shanghai"


def display_zone() -> ZoneInfo:
    """The configured display time zone (``DISPLAY_TIMEZONE``)."""
    name = current_app.config.get("DISPLAY_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def to_local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the display zone; a naive one is UTC, as the database keeps it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(display_zone())


def local_time(value, seconds: bool = False) -> str:
    """``2026-12-03 18:05`` in the display zone; a date as ``2026-12-03``; nothing as ``""``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """The display zone's wall time without tzinfo: for an XLSX cell (Excel has no zones)."""
    return None if value is None else to_local(value).replace(tzinfo=None)


def from_local(value: dt.datetime) -> dt.datetime:
    """A wall time a user typed (display zone, unless aware) as the database keeps it: naive UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=display_zone())
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def zone_label() -> str:
    """How a document names the zone: 北京时间 for the default, else the zone's name."""
    from flask_babel import gettext as _

    key = display_zone().key
    return _("北京时间") if key == DEFAULT_TIMEZONE else key


def local_now() -> dt.datetime:
    return dt.datetime.now(display_zone())


def local_today() -> dt.date:
    """Today in the display zone: the default date of every form and report parameter."""
    return local_now().date()


def install_display(app) -> None:
    """Check the setting at start-up and give every template the filters."""
    app.config.setdefault("DISPLAY_TIMEZONE", DEFAULT_TIMEZONE)
    try:
        ZoneInfo(app.config["DISPLAY_TIMEZONE"])
    except (KeyError, ValueError) as exc:
        raise RuntimeError(f"DISPLAY_TIMEZONE: unknown time zone {app.config['DISPLAY_TIMEZONE']!r}") from exc
    app.jinja_env.filters["localtime"] = local_time
    app.jinja_env.filters["article"] = article_text
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["amount"] = format_amount
    app.jinja_env.filters["join_items"] = join_items


__all__ = ["DEFAULT_TIMEZONE", "article_text", "chinese_number", "current_locale", "default_locale",
           "display_zone", "format_amount", "format_number", "from_local", "install_display",
           "join_items", "local_naive", "local_now", "local_time", "local_today", "locale_of",
           "measures_article", "text_direction", "to_local", "zone_label"]
