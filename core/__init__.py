"""jiguan's thin core: app factory, plugin contract, scoping, activation, rules, audit."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Python's cycle collector off for the block, then as it was. Importing and building the
    app make ~440,000 objects that live as long as it; the collector's passes over them as they
    grew (six full ones) were ~0.8 s of a start's ~3.4 s CPU (docs/performance.md, "Start-up").

    Switched back on, the collector would first walk every object the block made (its young
    generation: ~0.1 s); they go to its oldest generation at once instead (``gc.freeze`` then
    ``gc.unfreeze``, two list moves), walked only by a full collection, if any comes before a
    process freezes them for good (core/wsgi.py, core/cli). Not when something is frozen
    already: ``unfreeze`` would let it go too."""
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
