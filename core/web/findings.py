"""问题清单 works: a finding's status changes only by its operations — 整改, 确认, 重新打开 —
each with a required comment; who and when are in the audit trail, shown on the finding's page.
The same service function serves the buttons and ``POST /api/v1/finding/<id>/<operation>``;
the list exports as XLSX and CSV. See docs/workflow.md, "问题清单"."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.display import article_text, local_naive, local_time
from core.errors import WriteRefused
from core.extensions import db
from core.models import AuditLog, Finding, utcnow
from core.scoping import current_scope, scoped
from core.state import get_state
from core.tenancy import Organization

FINDING_STATUSES = {"open": _l("待处理"), "resolved": _l("已整改"), "accepted": _l("已确认")}
COMMENT_MAX = 2000


@dataclass(frozen=True)
class FindingAction:
    key: str
    label: object
    sources: tuple[str, ...]
    target: str
    style: str
    prompt: object


FINDING_ACTIONS = {a.key: a for a in (
    FindingAction("resolve", _l("整改"), ("open",), "resolved", "primary", _l("整改说明")),
    FindingAction("accept", _l("确认"), ("resolved",), "accepted", "success", _l("确认意见")),
    FindingAction("reopen", _l("重新打开"), ("resolved", "accepted"), "open", "warning",
                  _l("重新打开的理由")),
)}


class FindingRefused(WriteRefused):
    """404 no such finding in scope or no such operation, 409 wrong status, 422 no comment,
    403 a confirmation its author may not give."""

    def __init__(self, message, status: int):
        super().__init__(message)
        self.status = status


#: What the statuses mean, said on the list and on a finding's page (Art. 6: supervision by the
#: bureau; a bureau does not close what was found on its own records).
STATUS_HELP = _l("状态说明：待处理＝规则发现、尚未整改；已整改＝单位已整改并说明情况；"
                 "已确认＝机关事务管理部门核实整改到位后确认关闭（《办法》第六条）。"
                 "机关事务管理部门本单位记录上的问题，由上级机关事务管理部门核实确认。")


def accept_refusal(finding) -> str | None:
    """Why whoever acts may not confirm (确认) ``finding``; None when they may (Art. 6, 42).

    Confirming says a bureau checked the rectification (监督检查和督促整改, Art. 6): a bureau
    confirms the findings of the organisations in its scope, but never those raised on its own
    organisation's records, which the bureau of a level above confirms. At the top (the region)
    no level is above: the region bureau's own findings stay 已整改 on the platform.
    """
    scope = current_scope()
    if scope.user_id is None and scope.kind == "all":
        return None  # the system itself
    if finding.organization_id is not None and finding.organization_id == scope.organization_id:
        return _("不能确认本单位记录上的问题：整改情况由上级机关事务管理部门核实确认（《办法》第六条）")
    org = db.session.get(Organization, scope.organization_id) if scope.organization_id else None
    if org is None or not org.is_bureau:
        return _("问题的确认由机关事务管理部门核实整改情况后办理（《办法》第六条）")
    return None


def available_actions(finding) -> list[FindingAction]:
    """The operations of the finding's status whoever acts may take (确认 not where refused)."""
    return [a for a in FINDING_ACTIONS.values() if finding.status in a.sources
            and not (a.key == "accept" and accept_refusal(finding))]


def find_finding(pk) -> Finding | None:
    """The finding, only if the user's scope reaches it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return db.session.execute(scoped(select(Finding).where(Finding.id == pk), Finding)).scalar_one_or_none()


def act_on_finding(finding, key: str, comment) -> FindingAction:
    """Run one operation on a finding (the caller commits); refuse with a Chinese message."""
    action = FINDING_ACTIONS.get(key)
    if action is None:
        raise FindingRefused(_("问题清单没有“%(key)s”这项操作", key=key), 404)
    if finding.status not in action.sources:
        raise FindingRefused(_("该问题当前为“%(status)s”，不能%(action)s",
                               status=FINDING_STATUSES.get(finding.status, finding.status),
                               action=action.label), 409)
    if key == "accept":
        refusal = accept_refusal(finding)
        if refusal:
            raise FindingRefused(refusal, 403)
    comment = comment.strip() if isinstance(comment, str) else ""
    if not comment:
        raise FindingRefused(_("请填写%(prompt)s", prompt=action.prompt), 422)
    if len(comment) > COMMENT_MAX:
        raise FindingRefused(_("%(prompt)s不能超过 %(n)s 个字", prompt=action.prompt, n=COMMENT_MAX), 422)
    finding.status = action.target
    finding.review_note = comment
    finding.closed_at = None if action.target == "open" else utcnow()
    db.session.flush()
    return action


def finding_trail(finding) -> list[dict]:
    """Who changed the finding's status, when, and what they wrote: from the audit trail."""
    entries = db.session.execute(
        select(AuditLog).where(AuditLog.entity == Finding.__tablename__,
                               AuditLog.entity_id == str(finding.id)).order_by(AuditLog.id)
    ).scalars().all()
    trail = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        if entry.action == "update" and before.get("status") != after.get("status"):
            trail.append({"at": local_time(entry.at), "who": entry.username,
                          "from": FINDING_STATUSES.get(before.get("status"), before.get("status")),
                          "to": FINDING_STATUSES.get(after.get("status"), after.get("status")),
                          "comment": after.get("review_note") or ""})
    return trail


def record_name(finding) -> str:
    """The flagged record as its screens name it: 资产卡片 ZC-… 计算机."""
    state = get_state()
    entity = state.entities.get(finding.entity)
    if entity is None:
        return f"{finding.entity} #{finding.entity_id}"
    record = db.session.get(entity.model, int(finding.entity_id)) if finding.entity_id.isdigit() else None
    return f"{entity.label} {record if record is not None else '#' + finding.entity_id}"


def export_rows(findings) -> tuple[list[str], list[list]]:
    state = get_state()
    header = [_("条款"), _("问题"), _("模块"), _("记录"), _("单位"), _("辖区"), _("状态"),
              _("发现时间"), _("关闭时间"), _("处理意见")]
    rows = []
    for f in findings:
        module = state.modules.get(f.module)
        rows.append([
            _("《办法》%(article)s", article=article_text(f.article)), f.message,
            str(module.label) if module else f.module,
            record_name(f), f.organization.name if f.organization else "",
            f.jurisdiction.name if f.jurisdiction else "", str(FINDING_STATUSES.get(f.status, f.status)),
            local_naive(f.opened_at), local_naive(f.closed_at), f.review_note or ""])
    return [str(h) for h in header], rows


def findings_csv(findings) -> bytes:
    header, rows = export_rows(findings)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # the times are the display zone's wall time already (local_naive)
        writer.writerow([v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "hour") else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read it as UTF-8


def findings_xlsx(findings) -> bytes:
    from openpyxl import Workbook

    header, rows = export_rows(findings)
    book = Workbook()
    sheet = book.active
    sheet.title = _("问题清单")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column in ("H", "I"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
