"""Rules of the idle-space area (Art. 24), on every write path (form, REST, XLSX import, operations).

- Only an unallocated (未配置) room is leased out or disposed of as idle space (block).
- 出租出借 needs an approval: the decision's document number is named on the record (block); 办理
  also needs the 批准文件 attached (operations.py).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.office_space.idle.models import IdleSpaceDisposition


def _room_vacant(record: IdleSpaceDisposition, ctx):
    if ctx.action == "delete" or (record.status or "draft") != "draft" or record.voided_at is not None:
        return None
    room = ctx.related(record, "room")
    if room is None or room.status == "vacant":
        return None
    return {"room": str(room), "status": room.status_label}


def _lease_approval(record: IdleSpaceDisposition, ctx):
    if ctx.action == "delete" or record.kind != "lease" or record.voided_at is not None:
        return None
    return None if (record.decision_number or "").strip() else {"missing": True}


def _done_locked(record: IdleSpaceDisposition, ctx):
    """第二十四条: a disposition done is what happened to the room: only 作废 changes it."""
    if ctx.action != "update" or record.voided_at is not None:
        return None
    return {"done": True} if ctx.previous(record).get("status") == "done" else None


RULES = [
    Rule(
        key="office_space.idle_done_locked",
        article=24,
        severity="block",
        model=IdleSpaceDisposition,
        message=_l("闲置办公用房处置利用已办理，不能修改；如有错误，请作废"),
        check=_done_locked,
    ),
    Rule(
        key="office_space.idle_room_vacant",
        article=24,
        severity="block",
        model=IdleSpaceDisposition,
        message=_l("房间 %(room)s 当前状态为“%(status)s”，只有未配置的闲置房间才能出租出借或处置"),
        check=_room_vacant,
    ),
    Rule(
        key="office_space.idle_lease_approval",
        article=24,
        severity="block",
        model=IdleSpaceDisposition,
        message=_l("闲置办公用房出租出借须经批准：请填写批准文号并上传批准文件"),
        check=_lease_approval,
    ),
]
