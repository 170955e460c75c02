"""办理 of an idle room's disposition (Art. 24): the room becomes 出租出借 or 已处置 from today.

出租出借 is refused unless the approval exists: its document number (the rule) and the 批准文件
attached; 处置 needs its decision's number. Who did it and when are stamped on the record.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.api import Operation, OperationError, current_scope, db, has_attachment, local_today, void_operation
from plugins.office_space.idle.models import DISPOSITION_ENTITY


def _execute(record, _params):
    if current_scope().kind == "organization" and current_scope().organization_id != record.organization_id:
        raise OperationError(_("闲置办公用房的处置利用由机关事务管理部门办理（《办法》第二十四条）"), 403)
    if record.kind == "lease" and not (
        (record.decision_number or "").strip()
        and has_attachment(db.session, DISPOSITION_ENTITY, record.id, "approval")
    ):
        raise OperationError(
            _("出租出借须经批准：请填写批准文号并上传批准文件后再办理（《办法》第二十四条）"), 422
        )
    if record.kind == "dispose" and not (record.decision_number or "").strip():
        raise OperationError(_("处置须有处置决定：请填写决定文号后再办理（《办法》第二十四条）"), 422)
    room = record.room
    if room.status != "vacant" or room.voided_at is not None:
        raise OperationError(
            _(
                "房间 %(room)s 当前状态为“%(status)s”，只有未配置的闲置房间才能出租出借或处置"
                "（《办法》第二十四条）",
                room=str(room),
                status=room.status_label,
            ),
            422,
        )
    # the room follows in the flush (derivations.room_follows_disposition)
    record.status = "done"
    record.done_on = local_today()
    record.done_by = current_scope().username
    return record


def operations() -> list[Operation]:
    return [
        Operation(
            key="execute",
            label=_l("办理"),
            entity=DISPOSITION_ENTITY,
            run=_execute,
            changes=("status", "done_on", "done_by"),
            when={"status": ("draft",)},
            description=_l(
                "按批准文件办理出租出借或处置，房间状态随之变更；出租出借未经批准的不予办理（第二十四条）"
            ),
            confirm=_l("办理后房间状态变为“出租出借”或“已处置”。"),
        ),
        void_operation(DISPOSITION_ENTITY),
    ]
