"""The one facade plugins import from the core (with ``catalog``).

Anything not re-exported here is the core's private business and may change.
"""

from flask_appbuilder import Model

from catalog.registry import EntityType, Scope, StateField
from core.contract import (
    FILLED,
    DemoContext,
    Derivation,
    Guard,
    Module,
    Operation,
    Rule,
    StandardKind,
    ViewSpec,
)
from core.errors import EditConflict, ScopeViolation, WriteRefused
from core.events import effective_values, previous_values, related_target
from core.extensions import db
from core.hookspecs import hookimpl
from core.jobs import JobError, JobResult, register_job_kind
from core.models import Versioned
from core.operation_runner import operation_for, run_operation, void_operation, void_record
from core.operations import OperationError, Voidable
from core.pipeline import flush_scratch
from core.plugins import area_rooms
from core.references import entity_reference
from core.scoping import acting_as, current_scope, read_clause, scoped
from core.state import get_state
from core.views import ScopedInterface, ScopedModelRestApi, ScopedModelView, choice_field
from core.workflow import (
    ApprovalMixin,
    ApprovalViewMixin,
    Stage,
    WorkflowError,
    transition,
    workflow_history,
)
from reports.charts import bar_chart, line_chart, pie_chart
from reports.engine import beijing_today, chinese_date, ledger_meta
from reports.ledger import Column as LedgerColumn
from reports.ledger import render_ledger_pdf
from reports.registry import STANDARD_SIGNATURES, Report

__all__ = [
    "ApprovalMixin",
    "ApprovalViewMixin",
    "DemoContext",
    "Derivation",
    "EditConflict",
    "EntityType",
    "Guard",
    "FILLED",
    "JobError",
    "JobResult",
    "LedgerColumn",
    "Model",
    "Module",
    "Operation",
    "OperationError",
    "Report",
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
    "get_state",
    "hookimpl",
    "ledger_meta",
    "line_chart",
    "pie_chart",
    "previous_values",
    "operation_for",
    "read_clause",
    "related_target",
    "register_job_kind",
    "render_ledger_pdf",
    "run_operation",
    "scoped",
    "transition",
    "void_operation",
    "void_record",
    "workflow_history",
]
