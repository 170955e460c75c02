"""Regions of a template written once per key, their per-request values filled in (slots).

A region (``keep`` from Python, ``{% call jiguan_kept(name, key) %}`` from a template) is
rendered the first time its key is met with every per-request value written as a numbered
marker — a *slot*: a ``slotted`` template global, or one of the context's blocks named — and
kept cut at the markers; later requests of the key join the kept parts with their own values,
computed for that request as the template would have. The key is the caller's: everything the
region reads besides its slots (core/web/page_fragments.py says it for each page region); the
language and the script root are added here. A region whose key is None is rendered afresh,
as is every region when ``PAGE_FRAGMENTS_KEPT`` is off or templates reload (debug). Regions
do not nest.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from flask import current_app, request
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
    (a filter changed it, e.g. ``tojson``: the region is then rendered each time)."""
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
    if key is None or not app.config["PAGE_FRAGMENTS_KEPT"] or app.jinja_env.auto_reload:
        return render()  # auto_reload: a developer's edited template shows at the next page
    if _RECORDING.get() is not None:  # its key would not be part of the outer region's
        raise RuntimeError(f"page fragment {name!r} inside another one: regions do not nest")
    full = (name, str(get_locale()), request.script_root, key)
    store = app.extensions.setdefault("jiguan_page_fragments", {})
    fragment = store.get(full)
    if fragment is False:
        return render()
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
        if len(store) >= KEPT:
            store.clear()
        store[full] = fragment or False  # False: this region cannot be kept, render it each time
        if fragment is None:
            return render()
    return fragment.render(context)


@pass_context
def kept(context, name, key, caller, blocks=()):
    """``{% call jiguan_kept(name, key, blocks=…) %}`` … ``{% endcall %}``: the region ``keep``s."""
    return keep(name, key, caller, context, blocks)
