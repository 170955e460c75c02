"""core_notification: one message to one user about one record."""

from __future__ import annotations

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from core.versioning import utcnow

#: What a notification is about, as the bell's page and the mail's subject name it.
KINDS = {"awaiting": _l("待审批"), "approved": _l("已批准"), "rejected": _l("已退回"),
         "overdue": _l("已逾期")}


class Notification(Model):
    """Something a user should know: a record awaits its decision, came back, was decided, is overdue."""

    __tablename__ = "core_notification"
    __table_args__ = (
        # the bell counts a user's unread ones
        Index("ix_core_notification_user_read", "user_id", "read_at"),
        # an overdue item is notified once per user and due date, however often the scan runs
        UniqueConstraint("user_id", "dedupe_key", name="uq_core_notification_user_dedupe"),
    )

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    #: awaiting | approved | rejected | overdue
    kind = Column(String(16), nullable=False)
    message = Column(Text, nullable=False)
    #: the record it is about (entity type key and primary key), for the link
    entity = Column(String(64))
    entity_id = Column(String(64))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    read_at = Column(DateTime)
    dedupe_key = Column(String(160))
