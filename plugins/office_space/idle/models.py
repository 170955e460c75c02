"""Idle office space (Art. 24): a room left unallocated (未配置) longer than ``office_idle_days`` is
idle; its reuse or disposal is recorded.

- 调剂使用: the buildings area's allocation (配置) of the room ends its idleness; it counts as reuse.
- 出租出借 and 处置: an ``IdleSpaceDisposition`` by the bureau names the room, the decision (文号,
  日期) and the counterparty; 办理 (an operation) applies it to the room (status 出租出借 / 已处置),
  and is refused for 出租出借 unless the approval exists: its document number and the 批准文件
  attached. Who did it and when are kept on the record (and in its audit trail).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from core.api import Model, Versioned, Voidable

DISPOSITION_ENTITY = "office_idle_disposition"

DISPOSITION_KINDS = {"lease": _l("出租出借"), "dispose": _l("处置")}
DISPOSITION_STATUSES = {"draft": _l("待办理"), "done": _l("已办理")}
#: what the room becomes when a disposition is done
ROOM_STATUS_OF = {"lease": "leased", "dispose": "disposed"}


class IdleSpaceDisposition(Voidable, Versioned, Model):
    """出租出借 or 处置 of an idle room, on the bureau's decision (Art. 24)."""

    __tablename__ = "office_space_idle_disposition"
    __table_args__ = (
        CheckConstraint("kind in ('lease', 'dispose')", name="ck_office_space_idle_disposition_kind"),
        CheckConstraint("status in ('draft', 'done')", name="ck_office_space_idle_disposition_status"),
    )

    id = Column(Integer, primary_key=True)
    room_id = Column(Integer, ForeignKey("office_space_room.id"), nullable=False, index=True)
    #: the bureau that manages the room and decides
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), nullable=False, index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False, index=True)
    kind = Column(String(16), nullable=False, default="lease")
    #: the approval (出租出借) or decision (处置): its document number and day
    decision_number = Column(String(64))
    decided_on = Column(Date)
    #: 承租（借用）单位, or to whom / how the room is disposed of
    counterparty = Column(String(128))
    period_from = Column(Date)
    period_to = Column(Date)
    reason = Column(Text)
    #: 待办理 / 已办理: set only by 办理
    status = Column(String(16), nullable=False, default="draft")
    done_on = Column(Date)
    done_by = Column(String(64))

    room = relationship("OfficeRoom")
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return _("%(room)s %(kind)s", room=self.room or "", kind=self.kind_label)

    @property
    def kind_label(self) -> str:
        return str(DISPOSITION_KINDS.get(self.kind, self.kind or ""))

    @property
    def status_label(self) -> str:
        return str(DISPOSITION_STATUSES.get(self.status, self.status or ""))


def idle_since(room) -> dt.date | None:
    """The day a vacant room's idle time counts from (its last status change)."""
    return room.status_since if room.status == "vacant" else None
