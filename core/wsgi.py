"""WSGI entry point for production servers, e.g. ``gunicorn -w 4 'core.wsgi:app'``."""

from core import create_app

app = create_app()
