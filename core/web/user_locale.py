"""The interface language of a request, and the user's remembered choice (docs/i18n.md).

A request's language: ``?_l_=`` (an API client's override, as FAB has it) → the session's
choice → the language the user chose in the navbar's menu, stored on the user
(``ab_user.locale``) → ``BABEL_DEFAULT_LOCALE``. A bearer request has no session, so the API
answers in the token's user's stored language. Choosing in the menu (``/lang/<key>``) stores
the choice on a logged-in user; logging in puts the stored choice into the session.

Unlike FAB's selector this one never writes the default into the session: a default written
there would hide the user's stored choice from then on.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, refresh
from flask_login import current_user, user_logged_in

from core.display.locale import default_locale, locale_of


def languages() -> dict:
    return current_app.config["LANGUAGES"]


def select_locale() -> str | None:
    """Flask-Babel's locale selector (replaces FAB's ``BabelManager.get_locale``)."""
    if not has_request_context():
        return None  # a job or a command: force_locale decides, else the default
    if "_l_" in request.args:
        value = request.args["_l_"]
        return value if value in languages() else default_locale()
    chosen = session.get("locale")
    if chosen in languages():
        return chosen
    user = current_user
    if user and user.is_authenticated:
        return locale_of(user)
    return default_locale()


def _remember_choice(view):
    """Wrap FAB's ``LocaleView.index``: also store the choice on the logged-in user."""

    def index(locale, **kwargs):
        response = view(locale=locale, **kwargs)  # 404 for a language not offered
        if current_user.is_authenticated and locale in languages() and current_user.locale != locale:
            from core.extensions import db

            user = db.session.get(type(current_user._get_current_object()), current_user.id)
            user.locale = locale
            db.session.commit()
        return response

    index.__name__ = view.__name__
    return index


def _apply_at_login(app, user, **_extra) -> None:
    """The stored choice wins over what the login page was shown in."""
    if getattr(user, "locale", None) in languages():
        session["locale"] = user.locale
        refresh()


def _after_authentication() -> None:
    """A bearer request's user is known only after core.web.auth ran: forget a language
    computed before (an early gettext), so the token's user's choice applies."""
    refresh()


def page_language() -> dict:
    """``<html lang dir>`` of every page (templates/appbuilder/init.html): the direction is
    Babel's for the locale (``Locale.text_direction``), no list of right-to-left languages."""
    locale = get_locale()
    if locale is None:
        return {}
    return {"html_lang": str(locale).replace("_", "-"), "html_locale": str(locale),
            "html_dir": "rtl" if locale.text_direction == "rtl" else "ltr"}


def install_user_locale(app: Flask) -> None:
    """After FAB's BabelManager and LocaleView exist, and after ``init_auth``."""
    app.extensions["babel"].locale_selector = select_locale
    view = app.appbuilder.bm.locale_view
    endpoint = f"{view.endpoint}.index" if view is not None else None
    if endpoint in app.view_functions:  # an app without views has no language menu
        app.view_functions[endpoint] = _remember_choice(app.view_functions[endpoint])
    user_logged_in.connect(_apply_at_login, app)
    app.context_processor(page_language)
    funcs = app.before_request_funcs.setdefault(None, [])
    funcs.insert(1 if funcs else 0, _after_authentication)
