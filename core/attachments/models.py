"""The attachment's description and, in a table of their own, its bytes: a list never loads them."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, LargeBinary, String

from core.registry import Scope
from core.versioning import utcnow


class Attachment(Model):
    """One file of one record; its scope is the record's, copied when it is added."""

    __tablename__ = "core_attachment"
    __table_args__ = (Index("ix_core_attachment_record", "entity", "record_id"),)
    __jiguan_scope__ = Scope(organization="organization_id", jurisdiction="jurisdiction_id")
    __audited__ = True

    id = Column(Integer, primary_key=True)
    entity = Column(String(64), nullable=False)
    record_id = Column(String(64), nullable=False)
    kind = Column(String(32), nullable=False)
    filename = Column(String(255), nullable=False)
    content_type = Column(String(128), nullable=False)
    size = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    #: ``database`` (bytes in core_attachment_content) or ``filesystem`` (under ATTACHMENT_DIR)
    storage = Column(String(16), nullable=False, default="database")
    uploaded_at = Column(DateTime, nullable=False, default=utcnow)
    uploaded_by = Column(String(128))
    organization_id = Column(Integer, index=True)
    jurisdiction_id = Column(Integer, index=True)


class AttachmentContent(Model):
    """The bytes of an attachment kept in the database (the default store)."""

    __tablename__ = "core_attachment_content"

    attachment_id = Column(Integer, ForeignKey("core_attachment.id", ondelete="CASCADE"),
                           primary_key=True)
    data = Column(LargeBinary, nullable=False)
