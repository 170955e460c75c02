"""Approvals that guide: who decides next, and what a decision did, in words a clerk reads.

After a transition the screen and the API say what happened beyond the state — the effects
the module's ``on_transition`` reported ("3 张资产卡片状态改为“已处置”") — and, while the
record waits for a decision, who may take it: the active users holding the pending stage's
permission on the record's screen whose scope holds the record, the submitter and an earlier
stage's decider excepted (separation of duties), and, where the stage names its body, only
members of the record's own level's bureau or finance department (core/workflow/deciders.py).
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.display import join_items
from core.extensions import db
from core.scoping import scope_for_user
from core.workflow.approval import (
    action_label,
    stage_in,
    state_label,
    view_name_for,
    workflow_history,
)
from core.workflow.deciders import candidate_users, refusal_to_decide

#: At most this many names are listed; more read "等 N 人".
SHOWN = 5


def person_name(user) -> str:
    """A user as a colleague names them: 姓名 in Chinese order, then the login."""
    name = f"{user.last_name or ''}{user.first_name or ''}".strip()
    return f"{name}（{user.username}）" if name else user.username


def next_deciders(record, view_name: str | None = None) -> list:
    """The users who may take the decision pending on ``record`` (none when nothing is pending).

    Users whose scope is everything (the system administrator) are named only when nobody
    closer to the record may decide: the clerk is told the bureau, not the administrator.
    """
    model = type(record)
    stage = stage_in(model, record.state)
    if stage is None:
        return []
    view_name = view_name or view_name_for(model)
    if view_name is None:
        return []
    events = workflow_history(record)
    found, everywhere = [], []
    for user in candidate_users(db.session, record, order_by="username"):
        # the same answer as the decision itself (core/workflow/deciders.py)
        if refusal_to_decide(record, user, view_name=view_name, events=events) is not None:
            continue
        (everywhere if scope_for_user(user).kind == "all" else found).append(user)
    return found or everywhere


def names(users: list) -> str:
    shown = join_items(person_name(user) for user in users[:SHOWN])
    if len(users) > SHOWN:
        shown = _("%(names)s 等 %(n)s 人", names=shown, n=len(users))
    return shown


def waiting_for(record, view_name: str | None = None) -> str:
    """"待 乌鲁木齐市…的 张三（urumqi_bureau） 审批" for a pending record; empty otherwise."""
    stage = stage_in(type(record), record.state)
    if stage is None:
        return ""
    deciders = next_deciders(record, view_name)
    if not deciders:
        return _("等待“%(stage)s”：暂无可审批的人员，请联系管理员分配权限", stage=stage.label)
    return _("等待“%(stage)s”，审批人：%(names)s", stage=stage.label, names=names(deciders))


def decision_summary(record, action: str, event, view_name: str | None = None) -> str:
    """What the user is told after ``action``: done, the new state, the effects, who is next."""
    model = type(record)
    parts = [_("已%(action)s，当前状态：%(state)s", action=action_label(action),
               state=state_label(record.state, model))]
    if record.document_number:
        parts[0] = f"{record.document_number} {parts[0]}"
    parts.extend(getattr(event, "effects", None) or [])
    following = waiting_for(record, view_name)
    if following:
        parts.append(following)
    return "；".join(parts)
