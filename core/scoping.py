"""Row scope, default deny (Art. 4-5): the ONE place that decides what a user sees.

A department user sees its own organisation; a bureau user (bureau admin,
approver, auditor) at jurisdiction J sees J's subtree; the system admin sees
everything; anyone else sees nothing. Views, APIs, exports and reports read
through :func:`read_clause`; every flush checks written rows with
:func:`row_in_write_scope` and the foreign keys they set with :func:`may_reference`
(``core.pipeline``), so no path skips it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from dataclasses import dataclass
from typing import Literal

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, or_, select

from core.errors import ScopeViolation
from core.events import held
from core.registry import Scope

ROLE_ADMIN = "Admin"
ROLE_BUREAU_ADMIN = "Bureau Admin"
ROLE_APPROVER = "Approver"
ROLE_CLERK = "Clerk"
ROLE_AUDITOR = "Auditor"
#: Gives the finance department's decision (财政部门审核) of a staged approval (core/workflow/).
ROLE_FINANCE_REVIEWER = "Finance Reviewer"
#: Roles whose scope is the jurisdiction subtree of their organisation.
JURISDICTION_ROLES = {ROLE_BUREAU_ADMIN, ROLE_APPROVER, ROLE_AUDITOR, ROLE_FINANCE_REVIEWER}

Kind = Literal["all", "jurisdiction", "organization", "none"]


def scope_violation() -> ScopeViolation:
    return ScopeViolation(_l("无权操作本辖区（本单位）以外的数据"))


@dataclass(frozen=True)
class UserScope:
    kind: Kind
    user_id: int | None = None
    username: str = "system"
    organization_id: int | None = None
    jurisdiction_id: int | None = None
    jurisdiction_path: str | None = None

    @property
    def jurisdiction_codes(self) -> list[str]:
        return [c for c in (self.jurisdiction_path or "").split("/") if c]


SYSTEM = UserScope(kind="all")
NOBODY = UserScope(kind="none", username="anonymous")

_acting: contextvars.ContextVar[UserScope | None] = contextvars.ContextVar(
    "jiguan_acting", default=None
)


def role_scopes(names: set[str]) -> set[str]:
    """The row scopes the roles ``names`` give (``Role.scope`` of ``register_roles``)."""
    from core.state import state_or_none

    state = state_or_none()
    if state is not None and state.roles:
        return {state.roles[name].scope for name in names if name in state.roles}
    # outside an app (a bare script): the built-in roles' scopes
    return {"all" if n == ROLE_ADMIN else "organization" if n == ROLE_CLERK else "jurisdiction"
            for n in names & {ROLE_ADMIN, ROLE_CLERK, *JURISDICTION_ROLES}}


def scope_for_user(user) -> UserScope:
    """Derive a user's scope from its roles and organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    names = {role.name for role in user.roles}
    org = getattr(user, "organization", None)
    base = dict(user_id=user.id, username=user.username)
    if org is not None:
        base.update(
            organization_id=org.id,
            jurisdiction_id=org.jurisdiction_id,
            jurisdiction_path=org.jurisdiction.path,
        )
    kinds = role_scopes(names)
    if "all" in kinds:
        return UserScope(kind="all", **base)
    if org is None:
        return UserScope(kind="none", **base)
    if "jurisdiction" in kinds:
        return UserScope(kind="jurisdiction", **base)
    if "organization" in kinds:
        return UserScope(kind="organization", **base)
    return UserScope(kind="none", **base)


def current_scope() -> UserScope:
    """The scope of whoever is acting: ``acting_as`` (CLI, jobs), the request's user, or system."""
    acting = _acting.get()
    if acting is not None:
        return acting
    if has_request_context():
        cached = g.get("jiguan_scope")
        if cached is None:
            from flask_login import current_user

            cached = scope_for_user(current_user)
            g.jiguan_scope = cached
        return cached
    return SYSTEM


@contextlib.contextmanager
def acting_as(user_or_scope):
    """Run a block (CLI command, import, job) with a user's scope and name in the audit."""
    scope = user_or_scope if isinstance(user_or_scope, UserScope) else scope_for_user(user_or_scope)
    token = _acting.set(scope)
    try:
        yield scope
    finally:
        _acting.reset(token)


def acting_as_username(username: str | None):
    """``acting_as`` for a command's ``--as USERNAME``: the system without one; an unknown
    user is a ``LookupError`` with the message to show."""
    if not username:
        return acting_as(SYSTEM)
    from flask import current_app

    user = current_app.appbuilder.sm.find_user(username=username)
    if user is None:
        raise LookupError(f"找不到用户 {username}")
    return acting_as(user)


def scope_of_model(model) -> Scope | None:
    spec = getattr(model, "__jiguan_scope__", None)
    if spec is not None:
        return spec
    from core.state import state_or_none

    state = state_or_none()
    entity = state.entities.for_model(model) if state else None
    return entity.scope if entity else None


@functools.lru_cache(maxsize=4096)  # immutable: one per jurisdiction for all (15 % of a search)
def _subtree_ids(path: str):
    from core.tenancy import Jurisdiction

    return select(Jurisdiction.id).where(Jurisdiction.path.startswith(path))


def _ancestor_ids(codes: list[str]):
    from core.tenancy import Jurisdiction

    return select(Jurisdiction.id).where(Jurisdiction.code.in_(codes))


def read_clause(model, scope: UserScope | None = None, for_reference: bool = False):
    """A WHERE clause limiting ``model`` to the rows ``scope`` may read (None: no limit).

    ``for_reference`` gives the rows a record being written may point to (the
    choices of a form's relation field). ``True``: for a scope column (its
    organisation, its jurisdiction): shared-up reference data then offers the
    writer's own jurisdiction and below, not the ancestors it may only read.
    ``"reference"``: for any other foreign key, :func:`reference_clause`.
    """
    from core.tenancy import Organization

    scope = scope or current_scope()
    if for_reference == "reference":
        return reference_clause(model, scope)
    if scope.kind == "all":
        return None
    spec = scope_of_model(model)
    if spec is None or scope.kind == "none":
        return false()
    if spec.public:
        return None
    if for_reference and spec.shared_up and spec.jurisdiction:
        return getattr(model, spec.jurisdiction).in_(_subtree_ids(scope.jurisdiction_path))
    clauses = []
    if scope.kind == "organization":
        if spec.organization:
            clauses.append(getattr(model, spec.organization) == scope.organization_id)
    elif spec.jurisdiction:
        clauses.append(getattr(model, spec.jurisdiction).in_(_subtree_ids(scope.jurisdiction_path)))
    elif spec.organization:
        orgs = select(Organization.id).where(
            Organization.jurisdiction_id.in_(_subtree_ids(scope.jurisdiction_path))
        )
        clauses.append(getattr(model, spec.organization).in_(orgs))
    if spec.shared_up and spec.jurisdiction:
        shared = getattr(model, spec.jurisdiction).in_(_ancestor_ids(scope.jurisdiction_codes))
        clauses.append(shared if spec.shared_up_only is None else and_(shared, spec.shared_up_only(model)))
    return or_(*clauses) if clauses else false()


def _jurisdiction_column(model, spec: Scope):
    """The jurisdiction a row lies in: its own column, else its organisation's."""
    from core.tenancy import Organization

    if spec.jurisdiction:
        return getattr(model, spec.jurisdiction)
    return (select(Organization.jurisdiction_id)
            .where(Organization.id == getattr(model, spec.organization)).scalar_subquery())


def scoped(query, model, scope: UserScope | None = None, for_reference: bool = False):
    """Apply :func:`read_clause` to a Query or Select.

    ``for_reference`` also leaves voided rows out (``core.workflow.operations.Voidable``): a new
    record may not point to a record that was voided.
    """
    clause = read_clause(model, scope, for_reference)
    voided = getattr(model, "voided_at", None) if for_reference else None
    if voided is not None:
        clause = voided.is_(None) if clause is None else and_(clause, voided.is_(None))
    if clause is None:
        return query
    return query.where(clause) if hasattr(query, "where") else query.filter(clause)


def _jurisdiction_path(session, jurisdiction_id) -> str | None:
    from core.tenancy import Jurisdiction

    if jurisdiction_id is None:
        return None
    row = held(session, Jurisdiction, jurisdiction_id)
    return row.path if row is not None else None


def _org_jurisdiction_path(session, organization_id) -> str | None:
    from core.tenancy import Organization

    if organization_id is None:
        return None
    org = held(session, Organization, organization_id)
    return org.jurisdiction.path if org is not None and org.jurisdiction is not None else None


def row_in_write_scope(session, spec: Scope, values: dict, scope: UserScope) -> bool:
    """Whether a row with these scope-column ``values`` is writable by ``scope``."""
    if scope.kind == "all":
        return True
    if scope.kind == "none" or spec.public:
        return False
    org_id = values.get(spec.organization) if spec.organization else None
    jur_id = values.get(spec.jurisdiction) if spec.jurisdiction else None
    if scope.kind == "organization":
        if not spec.organization or org_id != scope.organization_id:
            return False
        if spec.jurisdiction:
            path = _jurisdiction_path(session, jur_id)
            return path is not None and path.startswith(scope.jurisdiction_path)
        return True
    # jurisdiction scope: every scope column present must lie in the subtree
    paths = []
    if spec.jurisdiction:
        paths.append(_jurisdiction_path(session, jur_id))
    if spec.organization and (org_id is not None or not spec.jurisdiction):
        paths.append(_org_jurisdiction_path(session, org_id))
    return bool(paths) and all(p is not None and p.startswith(scope.jurisdiction_path) for p in paths)


def reference_clause(model, scope: UserScope):
    """A WHERE clause of the rows of ``model`` a record written by ``scope`` may point to.

    What the writer may read (shared-up rows of the jurisdictions above included), and for
    a ``referable_below`` model also its rows at the writer's jurisdiction and above.
    """
    clause = read_clause(model, scope)
    spec = scope_of_model(model)
    if clause is None or spec is None or not spec.referable_below or scope.kind == "none":
        return clause
    return or_(clause, _jurisdiction_column(model, spec).in_(_ancestor_ids(scope.jurisdiction_codes)))


def may_reference(session, model, ident, scope: UserScope, cache: dict | None = None) -> bool:
    """Whether a row written by ``scope`` may point to row ``ident`` of ``model`` (Art. 4-5)."""
    if scope.kind == "all" or ident is None:
        return True
    key = (model, ident)
    if cache is not None and key in cache:
        return cache[key]
    from sqlalchemy import inspect

    pk = inspect(model).primary_key[0]
    query = select(pk).where(pk == ident)
    clause = reference_clause(model, scope)
    if clause is not None:
        query = query.where(clause)
    allowed = session.execute(query.limit(1)).first() is not None
    if cache is not None:
        cache[key] = allowed
    return allowed
