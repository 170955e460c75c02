"""jiguan's thin core: app factory, plugin contract, scoping, activation, rules, audit."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The cycle collector off for the block (its passes over a start's ~440,000 lasting objects
    were ~0.8 s of ~3.4 s CPU), then as it was, those objects put in its oldest generation
    (``freeze``/``unfreeze``) unless something is frozen already (docs/performance.md)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def create_app(config=None):
    from core.lazy_imports import defer

    with collector_paused():  # the import too: Flask-AppBuilder's and SQLAlchemy's modules
        defer()  # before FAB imports them: third-party modules no start uses, on first use
        from core.app import create_app as factory

        return factory(config)


__all__ = ["collector_paused", "create_app"]
