"""The jobs service, installed through the module hooks: 我的任务 and its API, the job kinds
every module returns (``register_job_kinds``), ``jiguan worker`` and ``jiguan jobs``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.contract import ViewSpec
from core.hookspecs import hookimpl


@hookimpl
def register_views():
    from core.jobs.views import JobApi, JobView

    return [ViewSpec(JobView, "My Jobs", _l("我的任务"), icon="fa-tasks", position=1),  # top level
            ViewSpec(JobApi, "JobApi", menu=False, position=1)]


@hookimpl
def register_cli_commands():
    from core.jobs.commands import JOB_COMMANDS

    return JOB_COMMANDS


@hookimpl
def init_app(app, state):
    from core.jobs import init_jobs, install_job_kind
    from core.plugins import collect

    init_jobs(app)
    for _module, kind in collect(state.pm, "register_job_kinds"):
        install_job_kind(kind)
