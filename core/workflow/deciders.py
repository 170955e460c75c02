"""Who may decide a stage: one answer for the decision, its buttons, the to-dos, the guide and
the notifications (Art. 17, 19: 同级机关事务管理部门、财政部门).

:func:`refusal_to_decide` is the ONE function that says whether a user may decide the stage of
a record pending now. Whoever decides must

1. hold the stage's permission on the record's view (module activation included);
2. have the record in their write scope;
3. not be barred by the separation of duties (the submitter, an earlier stage's decider);
4. where the stage names its deciding body (``Stage.body``: ``"bureau"`` or ``"finance"``),
   belong to that body **of the record's own level** (``"bureau_above"``: the bureau of the
   level above, for what a bureau reports upward, Art. 15 报送上级机关事务管理部门): the organisations flagged
   ``is_bureau`` / ``is_finance`` in the jurisdiction of the record's organisation. Where that
   jurisdiction has none in the catalog (a township, a county without a finance department
   registered), the nearest level up that has one decides. A bureau higher up still reads
   and inspects the record (its scope), but does not decide it.

The system itself (no user: demo loaders, migrations) may decide anything.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.activation import active_modules
from core.display import article_text, join_items
from core.events import column_values
from core.extensions import db
from core.scoping import current_scope, row_in_write_scope, scope_for_user, scope_of_model, scope_violation
from core.state import get_state
from core.tenancy import Jurisdiction, Organization

#: The bodies a stage may name, by the Organization flag that marks them.
BODY_FLAGS = {"bureau": "is_bureau", "finance": "is_finance"}
BODY_LABELS = {"bureau": _l("机关事务管理部门"), "finance": _l("财政部门"),
               "bureau_above": _l("上级机关事务管理部门")}
#: Bodies of the level above the record's: the body they are, one level up (Art. 15).
BODIES_ABOVE = {"bureau_above": "bureau"}


def candidate_users(session, record, order_by: str = "id") -> list:
    """Active users who could have ``record`` in scope, in one query with their roles and
    organisation: those of the record's jurisdiction or one above it, those of no organisation,
    and those of an all-seeing role — not every user of the region, checked one by one."""
    from flask_appbuilder.security.sqla.models import Role
    from sqlalchemy import or_
    from sqlalchemy.orm import joinedload, selectinload

    model = current_app.appbuilder.sm.user_model
    query = (select(model).where(model.active.is_(True))
             .options(selectinload(model.roles),
                      joinedload(model.organization).joinedload(Organization.jurisdiction)))
    path = record_path(session, record)
    if path is not None:
        above = select(Jurisdiction.id).where(Jurisdiction.code.in_([c for c in path.split("/") if c]))
        everywhere = [name for name, role in get_state().roles.items() if role.scope == "all"]
        query = query.where(or_(
            model.organization_id.is_(None),
            model.organization_id.in_(select(Organization.id).where(Organization.jurisdiction_id.in_(above))),
            model.roles.any(Role.name.in_(everywhere))))
    return session.execute(query.order_by(getattr(model, order_by))).unique().scalars().all()


def record_path(session, record) -> str | None:
    """The jurisdiction path the record's scope columns lead to (None: no narrowing)."""
    spec = scope_of_model(type(record))
    if spec is None or spec.public:
        return None
    values = column_values(record)
    if spec.jurisdiction and values.get(spec.jurisdiction) is not None:
        found = session.get(Jurisdiction, values[spec.jurisdiction])
        return found.path if found is not None else None
    if spec.organization and values.get(spec.organization) is not None:
        org = session.get(Organization, values[spec.organization])
        return org.jurisdiction.path if org is not None and org.jurisdiction is not None else None
    return None


def record_jurisdiction(session, record) -> Jurisdiction | None:
    """The jurisdiction whose level decides ``record``: its organisation's, else its own column's."""
    spec = scope_of_model(type(record))
    if spec is None:
        return None
    values = column_values(record)
    org_id = values.get(spec.organization) if spec.organization else None
    if org_id is not None:
        org = session.get(Organization, org_id)
        if org is not None:
            return org.jurisdiction
    jur_id = values.get(spec.jurisdiction) if spec.jurisdiction else None
    return session.get(Jurisdiction, jur_id) if jur_id is not None else None


def deciding_bodies(session, jurisdiction: Jurisdiction | None, body: str) -> list[Organization]:
    """The organisations flagged ``body`` at ``jurisdiction``, else at the nearest level up that
    has one (empty when no level up to the region has one)."""
    if jurisdiction is None or body not in BODY_FLAGS:
        return []
    # the home page asks once per pending record: answer each level once per request
    memo = g.setdefault("jiguan_deciding_bodies", {}) if has_request_context() else {}
    key = (jurisdiction.id, body)
    if key not in memo:
        memo[key] = _deciding_bodies(session, jurisdiction, body)
    return memo[key]


def _deciding_bodies(session, jurisdiction: Jurisdiction, body: str) -> list[Organization]:
    codes = list(reversed(jurisdiction.ancestor_codes))  # own level first
    rows = session.execute(
        select(Organization, Jurisdiction.code)
        .join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
        .where(getattr(Organization, BODY_FLAGS[body]).is_(True), Jurisdiction.code.in_(codes))
        .order_by(Organization.id)
    ).all()
    for code in codes:
        found = [org for org, at in rows if at == code]
        if found:
            return found
    return []


def body_refusal(session, record, stage, organization_id: int | None) -> str | None:
    """Why a member of ``organization_id`` may not decide ``stage`` of ``record`` for its body."""
    if getattr(stage, "body", None) is None:
        return None
    jurisdiction, body = record_jurisdiction(session, record), stage.body
    if body in BODIES_ABOVE:  # one level up; none above the region: nobody decides
        jurisdiction, body = (jurisdiction.parent if jurisdiction else None), BODIES_ABOVE[body]
    bodies = deciding_bodies(session, jurisdiction, body)
    if organization_id is not None and any(org.id == organization_id for org in bodies):
        return None
    article = article_text(stage.article) if getattr(stage, "article", None) else ""
    if stage.body in BODIES_ABOVE:
        if not bodies:
            return _("“%(stage)s”由上一级%(body)s办理，但上级均未登记%(body)s（《办法》%(article)s）",
                     stage=stage.label, body=BODY_LABELS[body], article=article)
        return _("“%(stage)s”由上一级%(body)s（%(names)s）办理，您所在单位不能审批（《办法》%(article)s）",
                 stage=stage.label, body=BODY_LABELS[body],
                 names=join_items(org.name for org in bodies), article=article)
    if not bodies:
        return _("“%(stage)s”应由同级%(body)s办理，但本级及上级均未登记%(body)s（《办法》%(article)s）",
                 stage=stage.label, body=BODY_LABELS[stage.body], article=article)
    return _("“%(stage)s”由同级%(body)s（%(names)s）办理，您所在单位不能审批（《办法》%(article)s）",
             stage=stage.label, body=BODY_LABELS[stage.body],
             names=join_items(org.name for org in bodies), article=article)


def _holds(user, scope, permission: str, view_name: str | None) -> bool:
    """Whether ``user`` (None: whoever acts now) holds ``permission`` on ``view_name``."""
    from core.workflow.approval import permitted

    if user is None:
        return permitted(permission, view_name)
    if view_name is None:
        return False
    module = get_state().module_of_name.get(view_name)
    if module:
        if scope.jurisdiction_id is None:
            if scope.kind != "all":
                return False
        elif module not in active_modules(db.session.get(Jurisdiction, scope.jurisdiction_id)):
            return False
    return current_app.appbuilder.sm._has_view_access(user, permission, view_name)


def refusal_to_decide(record, user=None, *, action: str = "approve", view_name: str | None = None,
                      events=None):
    """Why ``user`` (default: whoever acts now) may not take ``action`` (approve/reject) on the
    stage of ``record`` pending now: a :class:`~core.workflow.approval.WorkflowError` or a
    ``ScopeViolation`` to raise; None when they may.

    Every place that decides or shows who decides calls this: :func:`~core.workflow.approval.transition`
    (the screen, the REST API and the CLI), the record page's buttons, the home page's to-dos, the
    guide's next approver and the notifications' recipients.
    """
    from core.workflow.approval import (
        WorkflowError,
        action_label,
        may_not_decide,
        stage_in,
        step_for,
        view_name_for,
        workflow_history,
    )

    model = type(record)
    scope = current_scope() if user is None else scope_for_user(user)
    step = step_for(model, action, record.state, record)
    stage = stage_in(model, record.state)
    view_name = view_name or view_name_for(model)
    label = action_label(action, model, record.state)
    if step is None or stage is None:
        return WorkflowError(_("当前状态“%(state)s”不能执行“%(action)s”", state=record.state_label,
                               action=label))
    if not _holds(user, scope, f"can_{step.permission}", view_name):
        return WorkflowError(_("您没有“%(action)s”此记录的权限", action=label), status=403)
    if scope.user_id is None and scope.kind == "all":
        return None  # the system itself
    session = db.session
    spec = scope_of_model(model)
    with session.no_autoflush:
        if spec is not None and not row_in_write_scope(session, spec, column_values(record), scope):
            return scope_violation()
        history = workflow_history(record) if events is None else events
        refusal = may_not_decide(history, scope.user_id) or \
            body_refusal(session, record, stage, scope.organization_id)
    return WorkflowError(refusal, status=403) if refusal else None


def may_decide(record, user=None, *, view_name: str | None = None, events=None) -> bool:
    """Whether ``user`` (default: whoever acts now) may decide the stage pending on ``record``."""
    return refusal_to_decide(record, user, view_name=view_name, events=events) is None
