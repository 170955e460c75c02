"""The reports service, installed through the module hooks: 报表中心 and its API, the
registry of the reports every module returns (``register_reports``), the background render
job and ``jiguan report`` (docs/reports.md)."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l

from core.contract import ViewSpec
from core.hookspecs import hookimpl

MENU, MENU_LABEL = "Reports", _l("报表")


@hookimpl
def register_views():
    from reports.views import ReportApi, ReportCenterView

    return [ViewSpec(ReportCenterView, "Report Center", _l("报表中心"), icon="fa-print",
                     category=MENU, category_label=MENU_LABEL, category_icon="fa-file-pdf-o",
                     position=-1),
            ViewSpec(ReportApi, "ReportApi", menu=False, position=-1)]


@hookimpl
def register_job_kinds():
    from reports.jobs import JOB_KINDS

    return JOB_KINDS


@hookimpl
def register_cli_commands():
    from reports.commands import report_group

    return [report_group]


@hookimpl
def init_app(app, state):
    """The registry of every module's reports; a key taken twice stops start-up."""
    from core.plugins import PluginError, collect
    from reports.registry import ReportRegistry

    registry = ReportRegistry()
    for module_key, report in collect(state.pm, "register_reports"):
        try:
            registry.add(replace(report, module=module_key))
        except ValueError as exc:
            raise PluginError(str(exc)) from exc
    state.reports = registry
    from reports.views import print_buttons

    # a record's page (templates/core/show.html) asks which reports print it: its 打印 buttons
    app.jinja_env.globals["print_buttons"] = print_buttons
