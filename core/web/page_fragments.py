"""The parts of a page that do not depend on the request's data, written once per shape.

A list page's layout (head, navigation bar, tail) and its table's header row are the same
markup for every request of the same *shape* — language, the templates that fill the page's
blocks, the view and its columns … — apart from a few values of the request: the CSRF token,
the script nonce, the user's name, the bell's count, the menu (kept by ``menu_cache``), the
page's title, messages and content. A template marks such a region::

    {% call jiguan_kept('layout', key, blocks=('content', …)) %} … {% endcall %}

The first request of a shape renders the region with every per-request value written as a
numbered marker (a *slot*: ``slotted`` globals, the blocks named) and keeps the markup cut at
the markers; later requests of the shape join the kept parts with their own values, computed
for that request as the template would have. The key is the caller's (what the region reads
besides its slots) plus the language and the script root; a region whose key is None is
rendered afresh, as is everything when ``PAGE_FRAGMENTS_KEPT`` is off. Regions do not nest.
"""

from __future__ import annotations

import math
import re
from contextvars import ContextVar

from flask import current_app, g, request
from flask_babel import get_locale
from jinja2 import pass_context
from markupsafe import Markup, escape

#: Distinct fragments kept per process before they are dropped and made again.
KEPT = 2000

#: The slots of the region being recorded (None: not recording).
_RECORDING: ContextVar[list | None] = ContextVar("jiguan_fragment_recording", default=None)
_MARKER = re.compile("\ue000([0-9]+)\ue001")


class Fragment:
    """Kept markup: ``parts[0] slot[0] parts[1] slot[1] … parts[n]``."""

    __slots__ = ("parts", "slots")

    def __init__(self, parts: list[str], slots: list[tuple]):
        self.parts, self.slots = parts, slots

    def render(self, context) -> Markup:
        parts = self.parts
        out = [parts[0]]
        for index, (fn, args) in enumerate(self.slots):
            value = fn(context, *args)
            out.append(value if isinstance(value, Markup) else escape(value))
            out.append(parts[index + 1])
        return Markup("".join(out))


def _cut(html: str, slots: list) -> Fragment | None:
    """The recorded markup cut at its markers; None when a marker went missing or was doubled
    (a filter changed it: the region must then be rendered each time)."""
    pieces = _MARKER.split(html)
    parts, found = pieces[0::2], [int(n) for n in pieces[1::2]]
    if found != list(range(len(slots))) or any("\ue000" in p or "\ue001" in p for p in parts):
        return None
    return Fragment(parts, slots)


def slot(context, fn, *args):
    """``fn(context, *args)`` for this request; while a region is recorded, its marker."""
    recording = _RECORDING.get()
    if recording is None:
        return fn(context, *args)
    recording.append((fn, args))
    return Markup(f"\ue000{len(recording) - 1}\ue001")


def slotted(fn):
    """A template global whose value is a slot: ``fn(context, *args)`` per request."""

    @pass_context
    def global_(context, *args):
        return slot(context, fn, *args)

    global_.__name__ = getattr(fn, "__name__", "slot")
    return global_


def _block(context, name):
    return Markup("".join(context.blocks[name][0](context)))


def _slot_block(context, name):
    def render(_context):  # Jinja closes a block's generator
        yield slot(context, _block, name)

    return render


def keep(name: str, key: tuple | None, render, context=None, blocks=()) -> Markup:
    """``render()`` for this request, from the fragment kept under ``key`` when there is one;
    ``blocks``: the names of ``context``'s blocks that are slots of the region."""
    app = current_app
    if key is None or not app.config["PAGE_FRAGMENTS_KEPT"]:
        return render()
    if _RECORDING.get() is not None:  # its key would not be part of the outer region's
        raise RuntimeError(f"page fragment {name!r} inside another one: regions do not nest")
    full = (name, str(get_locale()), request.script_root, key)
    store = app.extensions.setdefault("jiguan_page_fragments", {})
    fragment = store.get(full)
    if fragment is None:
        saved = {block: context.blocks[block] for block in blocks}
        token = _RECORDING.set(slots := [])
        try:
            for block in blocks:  # a block named is a slot: rendered per request
                context.blocks[block] = [_slot_block(context, block)]
            html = render()
        finally:
            _RECORDING.reset(token)
            if saved:
                context.blocks.update(saved)
        fragment = _cut(html, slots)
        if fragment is None:
            return render()
        if len(store) >= KEPT:
            store.clear()
        store[full] = fragment
    return fragment.render(context)


@pass_context
def kept(context, name, key, caller, blocks=()):
    """``{% call jiguan_kept(name, key, blocks=…) %}`` … ``{% endcall %}``: the region ``keep``s."""
    return keep(name, key, caller, context, blocks)


def block_chain(context, names) -> tuple | None:
    """Which templates fill each of the blocks ``names`` (part of a key), or None when one is
    filled by a template outside ``audited``: its block may read anything of the request."""
    audited = current_app.extensions.get("jiguan_fragment_templates", AUDITED)
    chain = []
    for name in names:
        templates = tuple(fn.__globals__.get("name") for fn in context.blocks.get(name, ()))
        if not audited.issuperset(templates):
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
LAYOUT_SLOTS = ("page_title", "messages", "content")


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


def _user_name(context):
    return context["g"].user.get_full_name()


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
