"""The kernel's own tables: module activation, the audit trail and the findings of flag rules.

The services keep theirs: the user bound to an organisation (core/web/security.py), approval
history (core/workflow/approval.py), jobs (core/jobs/models.py), plugin installs
(core/cli/installs.py)."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import relationship

import core.tenancy  # noqa: F401  (mappers this module refers to by name)
from core.registry import Scope
from core.versioning import Versioned, utcnow


class ModuleActivation(Model):
    """An explicit on/off of a module at one jurisdiction; inherited down the tree."""

    __tablename__ = "core_module_activation"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "module_key"),)
    __jiguan_scope__ = Scope(jurisdiction="jurisdiction_id")
    __audited__ = True

    id = Column(Integer, primary_key=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), nullable=False)
    module_key = Column(String(64), nullable=False)
    enabled = Column(Boolean, nullable=False)
    changed_at = Column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)
    jurisdiction = relationship("Jurisdiction")


class AuditLog(Model):
    """Append-only trail of every change (Art. 41-42), written in the change's transaction."""

    __tablename__ = "core_audit_log"
    __table_args__ = (Index("ix_core_audit_log_record", "entity", "entity_id"),)
    __jiguan_scope__ = Scope(organization="organization_id", jurisdiction="jurisdiction_id")

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    user_id = Column(Integer, index=True)
    username = Column(String(128), nullable=False)
    entity = Column(String(64), nullable=False)
    entity_id = Column(String(64), nullable=False)
    action = Column(String(16), nullable=False)
    before = Column(JSON)
    after = Column(JSON)
    organization_id = Column(Integer, index=True)
    jurisdiction_id = Column(Integer, index=True)

    def __repr__(self) -> str:
        return f"{self.entity}#{self.entity_id} {self.action}"

    @property
    def record_label(self) -> str:
        """The record as its screens name it (资产编号 and name), its number once deleted; the
        审计日志 list shows it (a login's entry names the login)."""
        from core.extensions import db
        from core.state import get_state

        entity = get_state().entities.get(self.entity)
        if entity is None or not self.entity_id.isdigit():
            return self.entity_id
        record = db.session.get(entity.model, int(self.entity_id))
        return str(record) if record is not None else f"#{self.entity_id}"


# On PostgreSQL the database itself refuses to change the trail; migrations run the same DDL.
AUDIT_APPEND_ONLY_DDL = """
CREATE OR REPLACE FUNCTION core_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_audit_log_no_update_delete BEFORE UPDATE OR DELETE ON core_audit_log
    FOR EACH ROW EXECUTE FUNCTION core_audit_log_append_only();
CREATE TRIGGER core_audit_log_no_truncate BEFORE TRUNCATE ON core_audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_log_append_only();
"""
event.listen(
    AuditLog.__table__,
    "after_create",
    DDL(AUDIT_APPEND_ONLY_DDL).execute_if(dialect="postgresql"),
)


class Finding(Versioned, Model):
    """A problem a flag rule found (问题清单), for the bureau to review."""

    __tablename__ = "core_finding"
    __table_args__ = (Index("ix_core_finding_record", "entity", "entity_id", "rule_key"),)
    __jiguan_scope__ = Scope(organization="organization_id", jurisdiction="jurisdiction_id")
    __audited__ = True

    id = Column(Integer, primary_key=True)
    rule_key = Column(String(128), nullable=False)
    article = Column(Integer, nullable=False)
    module = Column(String(64), nullable=False)
    entity = Column(String(64), nullable=False)
    entity_id = Column(String(64), nullable=False)
    message = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="open")  # open | resolved | accepted
    opened_at = Column(DateTime, nullable=False, default=utcnow)
    closed_at = Column(DateTime)
    review_note = Column(Text)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), index=True)
    organization = relationship("Organization")
    jurisdiction = relationship("Jurisdiction")

    def __repr__(self) -> str:
        return f"Art. {self.article}: {self.message}"

    def record_link(self):
        """The flagged record's page, for the 问题清单."""
        from flask import url_for
        from flask_babel import gettext
        from markupsafe import Markup, escape

        from core.extensions import db
        from core.state import get_state

        state = get_state()
        endpoint = state.entity_endpoints.get(self.entity)
        entity = state.entities.get(self.entity)
        record = entity and self.entity_id.isdigit() and db.session.get(entity.model, int(self.entity_id))
        label = entity.label if entity else self.entity
        if not record:  # a draft deleted since: say so rather than link to nothing
            deleted = gettext("记录已删除")  # outside the f-string: pybabel reads it there
            return f"{label} #{self.entity_id}（{deleted}）"
        text = f"{label} {record}"
        if endpoint is None:
            return text
        return Markup('<a href="%s">%s</a>') % (url_for(endpoint, pk=self.entity_id), escape(text))


__all__ = [
    "AuditLog",
    "Finding",
    "ModuleActivation",
    "Versioned",
    "utcnow",
]
