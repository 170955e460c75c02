"""The navigation menu, rendered once per language, roles and active modules.

FAB renders the menu bar for every page: each of its ~90 entries asks ``has_access`` and is
translated and linked again, ~40 % of a list page's time. What an entry's visibility depends
on is fixed per request by three things: the user's roles (built-in regex tables, fixed once
the app is built: ``core/web/security.py``), the modules active and read-only for the user
(``core.activation``, itself kept per jurisdiction) and the language. The HTML is kept per
combination of them in the process. A user with a role stored in the database (not a
built-in one) gets the menu rendered for its request, as before.
"""

from __future__ import annotations

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

#: Distinct menus kept per process before they are dropped and made again.
KEPT = 256


def menu_key():
    """What the menu depends on for whoever asks, or None when it must be rendered afresh."""
    from core.activation import modules_for_current_user, read_only_modules_for_current_user

    sm = current_app.appbuilder.sm
    user = g.get("user")
    roles = None  # anonymous: the public role's menu
    if user is not None and getattr(user, "is_authenticated", False):
        if not user.is_active:
            return None
        roles = tuple(sorted(role.name for role in sm.get_user_roles(user)))
        if any(name not in sm.builtin_roles for name in roles):
            return None
    return (str(get_locale()), request.script_root, roles,
            frozenset(modules_for_current_user()), frozenset(read_only_modules_for_current_user()))


def menu_html() -> Markup:
    """The menu's entries (``<li>`` items) for the current request."""
    key = menu_key()
    kept = current_app.extensions.setdefault("jiguan_menu_html", {})
    html = kept.get(key) if key is not None else None
    if html is None:
        html = Markup(render_template("core/navbar_menu_items.html", menu=current_app.appbuilder.menu))
        if key is not None:
            if len(kept) >= KEPT:
                kept.clear()
            kept[key] = html
    return html


def install_menu_cache(app) -> None:
    app.jinja_env.globals["jiguan_menu"] = menu_html
