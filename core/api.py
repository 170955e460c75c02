"""The one facade plugins import from the core (with ``catalog``).

Anything not re-exported here is the core's private business and may change.
"""

from flask_appbuilder import Model
from pluggy import HookimplMarker

from catalog.registry import EntityType, Scope
from core.contract import DemoContext, Module, Rule, StandardKind, ViewSpec
from core.errors import EditConflict, ScopeViolation, WriteRefused
from core.extensions import db
from core.jobs import JobError, JobResult, register_job_kind
from core.models import Versioned
from core.scoping import acting_as, current_scope, read_clause, scoped
from core.state import get_state
from core.views import ScopedInterface, ScopedModelRestApi, ScopedModelView
from core.workflow import ApprovalMixin, ApprovalViewMixin, WorkflowError, transition
from reports.registry import Report

hookimpl = HookimplMarker("jiguan")

__all__ = [
    "ApprovalMixin",
    "ApprovalViewMixin",
    "DemoContext",
    "EditConflict",
    "EntityType",
    "JobError",
    "JobResult",
    "Model",
    "Module",
    "Report",
    "Rule",
    "Scope",
    "ScopeViolation",
    "ScopedInterface",
    "ScopedModelRestApi",
    "ScopedModelView",
    "StandardKind",
    "Versioned",
    "ViewSpec",
    "WorkflowError",
    "WriteRefused",
    "acting_as",
    "current_scope",
    "db",
    "get_state",
    "hookimpl",
    "read_clause",
    "register_job_kind",
    "scoped",
    "transition",
]
