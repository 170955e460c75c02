"""WSGI entry point for production servers, e.g. ``gunicorn -w 4 'core.wsgi:app'``."""

import gc

from core import create_app

app = create_app()
# The app's ~440,000 objects live as long as the process: out of the cycle collector's sight
# (as the command line does, core/cli), a request's full collections no longer walk them all.
gc.freeze()
