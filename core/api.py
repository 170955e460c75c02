"""The one facade plugins import from the core (with ``catalog``).

Anything not re-exported here is the core's private business and may change.
"""

from flask_appbuilder import Model

from core.attachments.kinds import AttachmentKinds
from core.attachments.service import has_attachment
from core.contract import (
    CONTRACT_VERSION,
    FILLED,
    DemoContext,
    Derivation,
    Guard,
    JobKind,
    Module,
    Operation,
    Role,
    Rule,
    StandardKind,
    ViewSpec,
)
from core.deprecation import Deprecated, JiguanDeprecationWarning, resolve
from core.display import (
    article_text,
    format_amount,
    format_number,
    join_items,
    local_time,
    local_today,
    measures_article,
)
from core.errors import EditConflict, ScopeViolation, WriteRefused
from core.events import effective_values, previous_values, related_target
from core.extensions import db
from core.fab.references import entity_reference
from core.home.items import (
    ChartData,
    DashboardCard,
    DashboardChart,
    DashboardList,
    OverdueItem,
    OverdueSource,
)
from core.hookspecs import hookimpl
from core.jobs import JobError, JobResult, site_url
from core.jobs import register_job_kind as _register_job_kind
from core.models import Versioned
from core.pipeline import flush_scratch, read_memo
from core.plugins import area_rooms
from core.registry import EntityType, Scope, StateField
from core.scoping import acting_as, current_scope, read_clause, scoped
from core.state import get_state
from core.web.line_picker import LinePicker, LinePickerMixin
from core.web.views import ScopedInterface, ScopedModelRestApi, ScopedModelView, choice_field
from core.workflow.approval import ApprovalMixin, Stage, WorkflowError, transition, workflow_history
from core.workflow.approval_views import ApprovalViewMixin
from core.workflow.numbering import record_id_of_number
from core.workflow.operations import OperationError, Voidable
from core.workflow.recheck import recheck_rules
from core.workflow.runner import operation_for, run_operation, void_operation, void_record
from reports.charts import bar_chart, line_chart, pie_chart
from reports.engine import beijing_today, chinese_date, ledger_meta
from reports.ledger import Column as LedgerColumn
from reports.ledger import render_ledger_pdf
from reports.registry import STANDARD_SIGNATURES, Report

#: Names kept for plugins written against an earlier 1.x contract: old name → ``Deprecated``
#: (the replacement, the version that deprecated it, the one that removes it). Reading one
#: warns (``core.deprecation``); docs/plugins.md has the policy.
DEPRECATED: dict[str, Deprecated] = {
    "register_job_kind": Deprecated(_register_job_kind, "a JobKind returned from the register_job_kinds hook",
                                    since="1.0", removed_in="2.0"),
}


def __getattr__(name: str):
    return resolve(__name__, DEPRECATED, name)


__all__ = [
    "ChartData",
    "DashboardCard",
    "DashboardChart",
    "DashboardList",
    "OverdueItem",
    "OverdueSource",
    "article_text",
    "measures_article",
    "format_amount",
    "format_number",
    "join_items",
    "local_time",
    "local_today",
    "CONTRACT_VERSION",
    "ApprovalMixin",
    "ApprovalViewMixin",
    "AttachmentKinds",
    "DemoContext",
    "Derivation",
    "EditConflict",
    "JiguanDeprecationWarning",
    "EntityType",
    "Guard",
    "FILLED",
    "JobError",
    "JobKind",
    "JobResult",
    "LedgerColumn",
    "LinePicker",
    "LinePickerMixin",
    "Model",
    "Module",
    "Operation",
    "OperationError",
    "Report",
    "Role",
    "Rule",
    "STANDARD_SIGNATURES",
    "Stage",
    "Scope",
    "ScopeViolation",
    "ScopedInterface",
    "ScopedModelRestApi",
    "ScopedModelView",
    "StandardKind",
    "StateField",
    "Versioned",
    "ViewSpec",
    "Voidable",
    "WorkflowError",
    "WriteRefused",
    "acting_as",
    "area_rooms",
    "bar_chart",
    "beijing_today",
    "chinese_date",
    "choice_field",
    "current_scope",
    "db",
    "effective_values",
    "entity_reference",
    "flush_scratch",
    "read_memo",
    "get_state",
    "has_attachment",
    "hookimpl",
    "ledger_meta",
    "line_chart",
    "pie_chart",
    "previous_values",
    "operation_for",
    "read_clause",
    "related_target",
    "render_ledger_pdf",
    "run_operation",
    "scoped",
    "site_url",
    "transition",
    "void_operation",
    "void_record",
    "workflow_history",
    "record_id_of_number",
    "recheck_rules",
]
