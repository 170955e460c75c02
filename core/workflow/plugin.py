"""The state-change service (approvals and operations), installed through the module hooks:
its guards join step 5 of the write pipeline, the operations the modules contribute are
checked and kept, ``jiguan op`` runs one."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl
def register_write_guards():
    from core.workflow.approval import WORKFLOW_GUARDS
    from core.workflow.operations import OPERATION_GUARDS

    return [*WORKFLOW_GUARDS, *OPERATION_GUARDS]


@hookimpl
def register_cli_commands():
    from core.workflow.commands import op_command

    return [op_command]


@hookimpl
def init_app(app, state):
    from core.plugins import collect
    from core.workflow.operations import install_operations

    install_operations(state, collect(state.pm, "register_operations"))
