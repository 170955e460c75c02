"""Rules of the notices area (Art. 25 及时公布有关政策、信息), on every write path.

- a notice is published by a 机关事务管理部门 (block): its organisation is a bureau;
- its period is sound (block): it expires no earlier than it is published;
- a published or withdrawn notice's text is not changed (block): it is what staff read;
- 发布 and 撤回 are the bureau's own: a bureau above reads the notice but does not publish it
  for the level below (block; the bureau of the notice's jurisdiction does).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.housing.notices.models import PolicyNotice


def _not_bureau(notice: PolicyNotice, ctx):
    if ctx.action == "delete":
        return None
    org = ctx.related(notice, "organization")
    if org is None or org.is_bureau:
        return None
    return {"org": org.name}


def _period(notice: PolicyNotice, ctx):
    if ctx.action == "delete" or notice.expires_on is None:
        return None
    start = notice.published_on
    if start is None or notice.expires_on >= start:
        return None
    return {"end": notice.expires_on.isoformat(), "start": start.isoformat()}


def _publisher(notice: PolicyNotice, ctx):
    if ctx.action != "update" or ctx.scope.user_id is None or not ctx.changed(notice, "state"):
        return None
    from core.tenancy import Organization

    org = ctx.get(Organization, ctx.scope.organization_id)
    if org is not None and org.id == notice.organization_id:
        return None
    return {"who": org.name if org is not None else ctx.scope.username}


def _published_changed(notice: PolicyNotice, ctx):
    """A published (or withdrawn) notice is what staff read: its text is not changed."""
    if ctx.action != "update" or ctx.previous(notice).get("state") == "draft":
        return None
    if not ctx.changed(notice, "title", "body", "kind", "expires_on", "organization_id"):
        return None
    return {"state": str(notice.state_label)}


RULES = [
    Rule(key="housing.notices_bureau", article=25, severity="block", model=PolicyNotice,
         message=_l("“%(org)s”不是机关事务管理部门，周转住房政策信息由机关事务管理部门公布"),
         check=_not_bureau),
    Rule(key="housing.notices_period", article=25, severity="block", model=PolicyNotice,
         message=_l("公告的截止日期 %(end)s 早于发布日期 %(start)s"), check=_period),
    Rule(key="housing.notices_publisher", article=25, severity="block", model=PolicyNotice,
         message=_l("公告的发布和撤回由发布公告的机关事务管理部门办理，“%(who)s”不能办理"), check=_publisher),
    Rule(key="housing.notices_published_locked", article=25, severity="block", model=PolicyNotice,
         message=_l("公告%(state)s，内容不能修改；如需更正，请撤回后重新登记"), check=_published_changed),
]
