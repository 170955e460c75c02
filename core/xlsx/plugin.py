"""The XLSX service, installed through the module hooks: export, template and all-or-nothing
import of every entity type over REST (the screens get them from ``ScopedModelView``), its
background job kinds and ``jiguan import`` (docs/xlsx.md)."""

from __future__ import annotations

from core.contract import ViewSpec
from core.hookspecs import hookimpl


@hookimpl
def register_views():
    from core.xlsx.views import XlsxApi

    return [ViewSpec(XlsxApi, "XlsxApi", menu=False)]


@hookimpl
def register_job_kinds():
    from core.xlsx.jobs import job_kinds

    return job_kinds()


@hookimpl
def register_cli_commands():
    from core.xlsx.commands import import_command

    return [import_command]
