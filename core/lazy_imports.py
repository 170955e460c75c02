"""Third-party modules Flask-AppBuilder imports that no start uses, executed by their first use.

Each name in ``DEFERRED`` is put in ``sys.modules`` as the module object its real spec makes
(``importlib.util.module_from_spec``), not executed: its ``__spec__``, ``__path__`` and
``__file__`` are real, so ``import x``, and a submodule's import (``sqlalchemy_utils.types.uuid``)
without its package's ``__init__``, work as before. The first read of a name it lacks (or
``dir()``) executes it in place, once, under a lock; other threads wait for it. importlib's
``LazyLoader`` would not do: it loads on any attribute, ``__path__`` too, so a submodule's
import loads its package. None is imported for a side effect jiguan relies on
(docs/performance.md, "Start-up", sixth pass)."""

from __future__ import annotations

import importlib.util
import sys
import threading

#: What FAB imports and jiguan's start does not use: ``sqlalchemy_utils`` (FAB reads only
#: ``types.uuid``), jsonschema (a request's ``q``), yaml (the OpenAPI document), Pillow's ``Image``
#: and ``ImageOps`` (image fields), dateutil's parser (a date filter). A package before its own.
DEFERRED = ("sqlalchemy_utils", "sqlalchemy_utils.types", "jsonschema", "yaml",
            "PIL.Image", "PIL.ImageOps", "dateutil.parser")


_DEFERRING = threading.Lock()  # two apps made at once by two threads: one stand-in each name


def defer(names=DEFERRED) -> None:
    """A stand-in for each of ``names`` not imported (nor deferred) yet; one not installed is skipped."""
    with _DEFERRING:
        for name in names:
            if name not in sys.modules:
                spec = importlib.util.find_spec(name)  # imports the parent package, if any
                if spec is not None and spec.loader is not None:
                    _install(name, spec)


def _install(name, spec) -> None:
    module = importlib.util.module_from_spec(spec)
    lock, state = threading.RLock(), []  # state: [thread] while executing, [True] once done

    def load():
        with lock:
            if state:  # done, or this thread is executing it: a name still missing is missing
                return state[0] is True
            state.append(threading.get_ident())
            try:
                spec.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(name, None)  # as a failed import leaves it
                state[:] = [False]
                raise
            finally:
                for hook, own in (("__getattr__", __getattr__), ("__dir__", __dir__)):
                    if module.__dict__.get(hook) is own:  # unless the module defined its own
                        del module.__dict__[hook]
            state[:] = [True]
            return True

    def __getattr__(attr):
        if load():
            return getattr(module, attr)
        raise AttributeError(f"module {name!r} has no attribute {attr!r}")

    def __dir__():
        return dir(module) if load() else sorted(module.__dict__)

    module.__getattr__, module.__dir__ = __getattr__, __dir__
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)  # ``from PIL import Image``, as an import does
