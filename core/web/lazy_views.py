"""Screens and APIs whose instance is set up by its first use, not as the app is built.

Flask-AppBuilder instantiates every view it adds: a ``ModelView`` works out its columns, labels,
search filters and forms, an API its columns and permissions, ~1 ms each and ~0.2 s for the
~180 views of every module, for views a process may never serve (a CLI command, a worker, a web
process's first minutes). Here a view added between :meth:`DeferringAppBuilder.deferring`'s
start and end is an instance whose ``__init__`` has not run yet; FAB registers its URL rules and
menu entry exactly as before (they come from the class: ``@expose``, ``route_base``, the
class's name), then the first read of anything else on it (its first request, the OpenAPI
document, the roles page) runs ``__init__`` under a lock, and the instance is what FAB would
have made: the attributes FAB and the web service set as it was added win over ``__init__``'s,
as they did when they were set after it, and its related views are those FAB would have found
(:meth:`DeferringAppBuilder._process_inner_views`). While FAB adds it, it is an instance of its
own class whose ``__init__`` has not run: FAB reads every attribute of a view twice as it adds it
(``dir`` for its routes and its before-request hooks, ~140,000 reads for all of them), and a
watching ``__getattribute__`` made each read a Python call (~0.035 s a start). Once added
(:func:`release`) it is an instance of a subclass of its class (same name) whose
``__getattribute__`` watches for that first read; then it is an instance of its own class again,
and reading it costs nothing more.

A view that declares rate limits (FAB reads them as it is added) is set up at once, as before.
"""

from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager

from flask import has_app_context
from flask_appbuilder import AppBuilder, ModelRestApi

from core.fab.lazy_schemas import DeferredSchemasMixin

_lock = threading.RLock()
#: In a deferred view's ``__dict__``: "added" while FAB and the web service add it (nothing read
#: sets it up), "due" once added, the set-up thread's id while ``__init__`` runs; gone after.
STATE = "_jiguan_deferred"
#: What may be read of a due view without setting it up: set as it is added (``endpoint``,
#: ``blueprint``, ``appbuilder``) or by its class statement and not changed by ``__init__``
#: (``route_base``, ``default_view``: the menu's links; ``datamodel``: finding a model's screen).
EARLY = frozenset({"__class__", "__dict__", "endpoint", "blueprint", "appbuilder", "route_base",
                   "default_view", "datamodel"})


def _getattribute(view, name):
    """A deferred view's ``__getattribute__``: the first read of a late attribute sets it up."""
    state = object.__getattribute__(view, "__dict__").get(STATE)
    if state is not None and state != "added" and state != threading.get_ident() \
            and (name not in EARLY or state != "due"):
        set_up(view)  # while another thread sets it up, even an early read waits (its dict is bare)
    return object.__getattribute__(view, name)


def _stand_in(cls: type) -> type:
    """The class's stand-in, kept on the class itself (an entity type's API class is made anew by
    each app: a table of them would keep every test app's alive)."""
    found = cls.__dict__.get("_jiguan_stand_in")
    if found is None:
        # the class itself its only base: the same layout, so the view can become one of it
        found = type(cls.__name__, (cls,), {
            "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "__getattribute__": _getattribute, "_jiguan_class": cls})
        type.__setattr__(cls, "_jiguan_stand_in", found)
    return found


def real_class(view) -> type:
    """The view's own class, set up or not."""
    return type(view).__dict__.get("_jiguan_class") or type(view)


def is_due(view) -> bool:
    """True while a deferred view has not been set up."""
    return object.__getattribute__(view, "__dict__").get(STATE) is not None


_limited: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()


def _declares_limits(cls: type) -> bool:
    """Rate limits on the class or a method (FAB's ``@limit``), which FAB reads as it adds it
    (each class of the MRO looked at once: FAB's bases are every view's)."""
    return bool(getattr(cls, "limits", None)) or any(map(_limits_in, cls.__mro__))


def _limits_in(klass: type) -> bool:
    found = _limited.get(klass)
    if found is None:
        found = _limited[klass] = any(hasattr(value, "_limit") for value in vars(klass).values())
    return found


def _deferrable(cls: type) -> bool:
    """Not a view declaring rate limits, nor a REST API building its schemas as it is added from
    what its ``__init__`` works out (FAB's own; jiguan's build them by first use)."""
    if _declares_limits(cls):
        return False
    return not issubclass(cls, ModelRestApi) or issubclass(cls, DeferredSchemasMixin)


def release(view) -> None:
    """The view is added: from now on the first read of a late attribute sets it up."""
    state = object.__getattribute__(view, "__dict__")
    if state.get(STATE) == "added":
        state[STATE] = "due"
        object.__setattr__(view, "__class__", _stand_in(type(view)))  # now watching


def set_up(view) -> None:
    """Run the deferred view's ``__init__`` now (once, whichever thread asks first)."""
    state = object.__getattribute__(view, "__dict__")
    with _lock:
        if state.get(STATE) != "due":  # set up meanwhile by another thread, or not deferred
            return
        given = {k: v for k, v in state.items() if k != STATE}  # set as FAB added it
        state.clear()  # __init__ sees a bare instance, as it did before FAB added it
        state[STATE] = threading.get_ident()
        cls = real_class(view)
        appbuilder = given.get("appbuilder")
        try:
            if has_app_context() or appbuilder is None:
                cls.__init__(view)
            else:  # read outside a request or command (a test): in its app, as FAB made it
                with appbuilder.jiguan_app.app_context():
                    cls.__init__(view)
        except BaseException:
            state.clear()
            state.update(given, **{STATE: "due"})
            raise
        state.update(given)  # as when they were set after __init__
        if appbuilder is not None:
            appbuilder._resolve_inner_views(view)
        del state[STATE]
        object.__setattr__(view, "__class__", cls)


class DeferringAppBuilder(AppBuilder):
    """FAB's ``AppBuilder``, deferring the set-up of the views added inside :meth:`deferring`."""

    #: False: every view is set up as it is added, as FAB does (the tests compare both ways)
    defer_views = True
    _defer = False

    def __init__(self, *args, **kwargs):
        self._added_at: dict[int, int] = {}  # id(view) -> its index in baseviews as added
        self._classes: set[type] = set()
        self._set_up: list = []  # the added views that are set up
        super().__init__(*args, **kwargs)

    def init_app(self, app, session) -> None:
        """FAB's, its own screens and APIs (users, roles, the security and menu APIs …) deferred
        too when the views are (``defer_views``); the ones FAB makes itself are set up as before."""
        self.jiguan_app = app
        with self.deferring():
            super().init_app(app, session)
        for view in self.baseviews:
            release(view)

    @contextmanager
    def deferring(self):
        self._defer = self.defer_views
        try:
            yield
        finally:
            self._defer = False

    def _check_and_init(self, baseview):
        if isinstance(baseview, type) and self._defer and _deferrable(baseview):
            view = object.__new__(baseview)  # its own class while FAB reads it all: no hook
            object.__getattribute__(view, "__dict__")[STATE] = "added"
            return view
        return super()._check_and_init(baseview)

    def _view_exists(self, view) -> bool:
        # FAB compares every added view's class (quadratic); a deferred one's is its stand-in's
        cls = real_class(view)
        if cls in self._classes:
            return True
        self._classes.add(cls)
        self._added_at[id(view)] = len(self.baseviews)
        if not is_due(view):
            self._set_up.append(view)
        return False

    def _process_inner_views(self) -> None:
        """FAB's (each view's related views: the added views of their classes), for the views
        set up; a deferred view's are found as it is set up, as FAB would have found them."""
        for view in self._set_up:
            self._inner_views_of(view, self.baseviews)

    @staticmethod
    def _inner_views_of(view, added) -> None:
        inner_classes = view.get_uninit_inner_views()
        if not inner_classes:  # most views: none (FAB asks every set-up view after each addition)
            return
        found = view.get_init_inner_views()
        for inner_class in inner_classes:
            # a class read of a due view is its stand-in's (``role_view.related_views``: FAB's own)
            inner_class = inner_class.__dict__.get("_jiguan_class", inner_class)
            for other in added:
                if isinstance(other, inner_class) and other not in found:
                    found.append(other)

    def _resolve_inner_views(self, view) -> None:
        # FAB ran its search after the view's own addition and after every later one, each
        # over the views added by then: the order of the found views depends on it
        start = self._added_at.get(id(view))
        self._set_up.append(view)
        if start is None or not view.get_uninit_inner_views():
            return
        for end in range(start + 1, len(self.baseviews) + 1):
            self._inner_views_of(view, self.baseviews[:end])
