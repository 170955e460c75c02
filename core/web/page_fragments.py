"""A list page's chrome, written once per shape and language (core/fab/fragments.py keeps it).

A list page's layout (head, navigation bar, tail), its list's header, its table's header row
and its search filters are the same markup for every request of the same *shape* apart from a
few values of the request. Each region below says its key (what it reads besides its slots)
and its slots (what is filled in per request):

- ``layout`` (templates/appbuilder/init.html): the templates filling the layout's blocks (each
  in ``AUDITED``), the page's direction and language, logged in or not, bell or not; slots: the
  title, CSRF token, nonce, menu (kept by ``menu_cache``), user name, bell count, messages and
  content.
- ``list_header`` (templates/core/widgets/list.html, keyset lists): the view, which pager links
  exist, the page size and sizes offered, the add button, the actions; slots: the pager's URLs
  and position, the page-size and add links, the count.
- ``thead`` (the same template): the view, its columns, those sortable and hidden on a phone,
  the check-box and button columns, the column sorted by and its direction; slots: the sort links.
- ``search`` (core/fab/search_fields.py): the view and its search columns, when no filter is set
  and every control is static; slot: the nonce.
"""

from __future__ import annotations

import math
import re

from flask import current_app, g, request
from jinja2 import pass_context
from markupsafe import Markup

from core.fab.fragments import kept, slotted


def block_chain(context, names) -> tuple | None:
    """Which templates fill each of the blocks ``names`` (part of a key), or None when one is
    filled by a template outside ``AUDITED``: its block may read anything of the request."""
    chain = []
    for name in names:
        templates = tuple(fn.__globals__.get("name") for fn in context.blocks.get(name, ()))
        if not AUDITED.issuperset(templates):
            return None
        chain.append(templates)
    return tuple(chain)


#: Templates whose layout blocks (``LAYOUT_BLOCKS``) read nothing of the request but the
#: layout key and its slots. A page whose template fills one of them and is not listed here
#: gets its layout rendered each time; add a template after reading its blocks.
AUDITED = frozenset({
    "appbuilder/init.html", "appbuilder/baselayout.html", "appbuilder/base.html",
    "core/base.html", "core/list.html", "appbuilder/general/model/list.html",
})

#: The blocks of the layout rendered inside its fragment (the title, messages and content are slots).
LAYOUT_BLOCKS = ("body", "head_meta", "head_css", "head_js", "navbar", "footer",
                 "tail_js", "add_tail_js", "tail")


@pass_context
def layout_key(context) -> tuple | None:
    """What the layout reads besides its slots: its blocks' templates, the page's direction,
    whether someone is logged in and whether the bell is shown."""
    chain = block_chain(context, LAYOUT_BLOCKS)
    if chain is None:
        return None
    user = context.get("current_user")
    anonymous = user is None or bool(getattr(user, "is_anonymous", True))
    return (chain, context.get("html_dir"), context.get("html_lang"), context.get("html_locale"),
            anonymous, "jiguan_unread" in context)


def _user_name(_context):
    return g.user.get_full_name()


def _bell(context):
    unread = context["jiguan_unread"]()
    return Markup('<span class="badge" id="notification-count">%s</span>') % unread if unread else ""


# The list widget's header (core/widgets/list.html): the pager, page sizes, add, actions, count;
# and the table's header row with its sort links.

#: A stand-in value: a link is built once per request with it, then each value replaces it.
_STAND_IN = "jiguanstandin"
#: Values Werkzeug writes into a URL's query unchanged (``urlencode`` leaves them as they are).
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]+")
PAGER = ("first", "prev", "next", "last")
PAGE_SIZES = range(25, 125, 25)  # FAB's lib.render_set_page_size


def _link(context, filter_name, value, view):
    """FAB's ``value | link_order(view)`` or ``| link_page_size(view)`` (the request's arguments
    with one changed), from one URL built per request and view with a stand-in value."""
    links = g.setdefault("jiguan_links", {})
    base = links.get((filter_name, view))
    build = current_app.jinja_env.filters[filter_name]
    if base is None:
        base = links[(filter_name, view)] = build(_STAND_IN, view)
    text = str(value)
    if base.count(_STAND_IN) == 1 and _PLAIN.fullmatch(text):
        return base.replace(_STAND_IN, text)
    return build(value, view)


def _add_link(context, view):
    url = current_app.jinja_env.filters["safe_url_for"](view + ".add")
    return current_app.jinja_env.filters["set_link_filters"](url, context["filters"])


def _count(context):
    return context["count"]


def _pager_url(context, which):
    return context["count"].paging.urls[which]


def _position(context):
    return context["count"].paging.position()


def list_header_key(view, addable, page, page_size, count, actions) -> tuple | None:
    """What a keyset list's header reads besides its slots (the URLs, the position, the count):
    which pager links exist, the page sizes offered, the add button, the actions' names.
    A list paged by number (FAB's header) is rendered each time."""
    paging = getattr(count, "paging", None)
    if paging is None or not page_size:
        return None
    pager = tuple(bool(paging.urls.get(which)) for which in PAGER) if paging.urls else ()
    sizes = ()
    if math.ceil(count / page_size) > 1:
        sizes = tuple(size for size in PAGE_SIZES if (page or 0) * size <= count)
    add = bool(addable) and f"{view}.add" in current_app.view_functions
    return (view, pager, page_size, sizes, add, tuple(actions or ()))


def thead_key(view, include_columns, order_columns, hidden, actions, buttons) -> tuple:
    """What the table's header row reads besides its sort links: the view (its labels, in the
    language of the key), its columns, those sortable and those a phone hides, the check box and
    buttons columns, and which column the list is sorted by and which way (the arrows)."""
    sorted_by = request.args.get(f"_oc_{view}")
    ascending = request.args.get(f"_od_{view}") == "asc"
    columns = tuple(include_columns)
    return (view, columns, tuple(c for c in columns if c in order_columns),
            tuple(c for c in columns if c in hidden), bool(actions), bool(buttons),
            sorted_by if sorted_by in columns else "", ascending)


def install_page_fragments(app) -> None:
    """The templates' ``jiguan_kept`` and its slots; ``csrf_token``, ``csp_nonce`` and
    ``jiguan_menu`` become slots (call after they are registered)."""
    env = app.jinja_env
    env.globals.update(jiguan_kept=kept, jiguan_layout_key=layout_key,
                       jiguan_user_name=slotted(_user_name), jiguan_bell=slotted(_bell),
                       jiguan_list_header_key=list_header_key, jiguan_thead_key=thead_key,
                       jiguan_link=slotted(_link), jiguan_add_link=slotted(_add_link),
                       jiguan_list_count=slotted(_count), jiguan_pager_url=slotted(_pager_url),
                       jiguan_pager_position=slotted(_position))
    for name in ("csrf_token", "csp_nonce", "jiguan_menu"):
        if name in env.globals:
            env.globals[name] = slotted(lambda _context, *args, raw=env.globals[name]: raw(*args))
    if "csrf_token" in env.globals:
        # Flask-WTF also hands templates its csrf_token through a context processor, which wins
        # over the global: this later one hands them the slot instead (else the first request's
        # token would be written into a kept fragment)
        csrf = {"csrf_token": env.globals["csrf_token"]}
        app.context_processor(lambda: csrf)
