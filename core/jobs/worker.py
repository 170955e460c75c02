"""The Celery side: one task, ``jiguan.run_job(job_id)``, run by ``jiguan worker`` on any node.

``jiguan worker`` builds the Flask app (config layers, plugins, ``JOBS_IMPORTS``) and hands
it here. ``celery -A core.jobs.worker:celery_app worker -Q jiguan`` works too: the app is then
built from the same configuration (``instance/jiguan.cfg``, ``JIGUAN_*``) on first use, once
per worker process.
"""

from __future__ import annotations

import logging

from celery import Celery
from celery.signals import worker_process_init
from flask import Flask

log = logging.getLogger("jiguan.jobs")

_flask_app: Flask | None = None


def flask_app() -> Flask:
    """The worker's Flask app, built once per process."""
    global _flask_app
    if _flask_app is None:
        from core import create_app

        _flask_app = create_app()
    return _flask_app


def _settings() -> dict:
    config = flask_app().config
    return {
        "broker_url": config["CELERY_BROKER_URL"],
        "task_default_queue": config.get("JOBS_QUEUE", "jiguan"),
        "broker_connection_retry_on_startup": True,
        # a job is claimed in the database (queued → running), so a redelivery never runs twice
        "task_acks_late": False,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "worker_hijack_root_logger": False,
    }


celery_app = Celery("jiguan", set_as_current=False)
celery_app.add_defaults(_settings)  # read lazily: the Flask app is built only when needed


def use_flask_app(app: Flask) -> Celery:
    """Make ``app`` the worker's app (``jiguan worker`` does) and configure Celery from it."""
    global _flask_app
    _flask_app = app
    celery_app.conf.update(_settings())
    return celery_app


@celery_app.task(name="jiguan.run_job", ignore_result=True)
def run_job(job_id: int) -> str | None:
    from core.jobs import execute

    return execute(flask_app(), int(job_id))


@worker_process_init.connect
def _fresh_connections(**_kwargs) -> None:
    """A forked pool process must not share the parent's database connections."""
    if _flask_app is not None:
        from core.extensions import db

        with _flask_app.app_context():
            db.engine.dispose(close=False)
