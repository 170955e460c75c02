"""jiguan's thin core: app factory, plugin contract, scoping, activation, rules, audit."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Python's cycle collector off for the block, then as it was. Importing and building the
    app make ~440,000 objects that live as long as it; the collector's passes over them as they
    grew were ~0.8 s of a start's ~3.4 s CPU. Resuming, it would first walk them all as young
    ones (~0.1 s): they go to its oldest generation instead (``freeze`` then ``unfreeze``),
    unless something is frozen already (docs/performance.md, "Start-up")."""
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
    with collector_paused():  # the import too: Flask-AppBuilder's and SQLAlchemy's modules
        from core.app import create_app as factory

        return factory(config)


__all__ = ["collector_paused", "create_app"]
