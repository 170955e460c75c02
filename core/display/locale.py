"""The one locale-aware place: which language something is shown in, and numbers in it.

A request's language is chosen by core/web/user_locale.py (``?_l_=``, session, the user's
stored choice, the default); what is rendered *for* a user outside their request — a background
job's result, a notification — uses :func:`locale_of` that user. Numbers and amounts go through
Babel with the current locale (:func:`format_number`, :func:`format_amount`; the ``number`` and
``amount`` Jinja filters): zh, en and ug all group with "," and use "." and Latin digits, as
Babel's data for the three says, so Chinese and English output is what it was. Dates stay
``2026-12-03`` in every language: it is Babel's short date pattern for ug and what the Chinese
and English screens always showed (docs/i18n.md, "Numbers and dates").
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from flask import current_app, has_app_context


def default_locale() -> str:
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "zh") if has_app_context() else "zh"


def offered_locales() -> dict:
    return current_app.config.get("LANGUAGES") or {} if has_app_context() else {}


def locale_of(user) -> str:
    """The language to render something for ``user`` in: the choice stored on the user
    (``ab_user.locale``) while it is still offered, else the default language."""
    chosen = getattr(user, "locale", None)
    return chosen if chosen and chosen in offered_locales() else default_locale()


def current_locale() -> str:
    """The locale in force: the request's, a ``force_locale``'s, else the default."""
    from flask_babel import get_locale

    locale = get_locale() if has_app_context() else None
    return str(locale) if locale is not None else default_locale()


def text_direction() -> str:
    """"rtl" or "ltr": Babel's direction of the current locale (no list of rtl languages)."""
    from babel import Locale

    return "rtl" if Locale.parse(current_locale()).text_direction == "rtl" else "ltr"


def format_number(value, digits: int | None = None) -> str:
    """``1,234.5``: grouped, in the current locale; ``digits`` fixes the decimals, else at most
    four and no trailing zeros. ``None`` is ``""``; a value that is no number is shown as it is."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    pattern = "#,##0" + ("." + "0" * digits if digits else "") if digits is not None else "#,##0.####"
    return format_decimal(number, format=pattern, locale=current_locale(), decimal_quantization=True)


def format_amount(value) -> str:
    """An amount of money, to the fen: ``12,345.60``."""
    return format_number(value, 2)


def join_items(items) -> str:
    """An enumeration as the language writes it: 甲、乙 in Chinese, ``a, b`` in English, ``a، b``
    in Uyghur (the catalogue's ``pgettext("列举", "、")``; the ``join_items`` filter)."""
    from flask_babel import pgettext

    return pgettext("列举", "、").join(str(item) for item in items)
