"""The core's own tables: users bound to organisations, module activation,
the audit trail, findings of flag rules and approval history."""

from __future__ import annotations

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import deferred, relationship

import catalog.models  # noqa: F401  (mappers this module refers to by name)
from catalog.registry import Scope
from core.versioning import Versioned, utcnow


class JiguanUser(User):
    """FAB's user, bound to the organisation (hence the jurisdiction) it works for."""

    __tablename__ = "ab_user"
    __table_args__ = {"extend_existing": True}

    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    organization = relationship("Organization", foreign_keys=[organization_id])


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
        from markupsafe import Markup, escape

        from core.state import get_state

        state = get_state()
        endpoint = state.entity_endpoints.get(self.entity)
        entity = state.entities.get(self.entity)
        text = f"{entity.label if entity else self.entity} #{self.entity_id}"
        if endpoint is None:
            return text
        return Markup('<a href="%s">%s</a>') % (url_for(endpoint, pk=self.entity_id), escape(text))


class WorkflowEvent(Model):
    """One step of an approval (draft → submitted → approved/rejected, withdraw)."""

    __tablename__ = "core_workflow_event"
    __table_args__ = (Index("ix_core_workflow_record", "entity", "entity_id"),)

    id = Column(Integer, primary_key=True)
    entity = Column(String(64), nullable=False)
    entity_id = Column(String(64), nullable=False)
    action = Column(String(16), nullable=False)
    from_state = Column(String(16), nullable=False)
    to_state = Column(String(16), nullable=False)
    user_id = Column(Integer)
    username = Column(String(128), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
    comment = Column(Text)


class Job(Model):
    """A background job (docs/jobs.md): queued → running → done | failed, scoped like its submitter."""

    __tablename__ = "core_job"
    __table_args__ = (Index("ix_core_job_user", "user_id", "id"),)
    __jiguan_scope__ = Scope(organization="organization_id", jurisdiction="jurisdiction_id")

    id = Column(Integer, primary_key=True)
    kind = Column(String(128), nullable=False)
    params = Column(JSON, nullable=False, default=dict)
    status = Column(String(16), nullable=False, default="queued", index=True)
    progress = Column(Integer, nullable=False, default=0)
    message = Column(Text)
    user_id = Column(Integer)  # ix_core_job_user (user_id, id) serves "my jobs"
    username = Column(String(128), nullable=False)
    organization_id = Column(Integer, ForeignKey("catalog_organization.id"), index=True)
    jurisdiction_id = Column(Integer, ForeignKey("catalog_jurisdiction.id"), index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    started_at = Column(DateTime)
    finished_at = Column(DateTime)
    attempts = Column(Integer, nullable=False, default=0)
    result_filename = Column(String(255))
    result_mimetype = Column(String(128))
    result_size = Column(Integer)
    #: The result file, relative to JOBS_DIR (storage "files").
    result_path = Column(String(512))
    #: The result itself (storage "database").
    result_data = deferred(Column(LargeBinary))

    def __repr__(self) -> str:
        return f"job#{self.id} {self.kind} {self.status}"


class PluginInstall(Model):
    """What one plugin installed in this database, recorded at every upgrade (core/installs.py).

    When the plugin is gone, its revision in ``alembic_version`` names no script any more:
    this row says whose it was, and what ``jiguan plugins purge KEY`` has to remove.
    """

    __tablename__ = "core_plugin_install"
    __table_args__ = (UniqueConstraint("module_key", name="uq_core_plugin_install_module_key"),)

    id = Column(Integer, primary_key=True)
    module_key = Column(String(64), nullable=False)
    version = Column(String(32), nullable=False)
    #: "built-in", or the distribution and its version ("jiguan-notes 0.1.0").
    source = Column(String(255), nullable=False)
    #: The revisions of its Alembic branch, and the other branches' revisions they depend on.
    revisions = Column(JSON, nullable=False, default=list)
    dependencies = Column(JSON, nullable=False, default=list)
    #: Its tables in creation order, and its entity types (keys in findings, workflow events).
    tables = Column(JSON, nullable=False, default=list)
    entities = Column(JSON, nullable=False, default=list)
    installed_at = Column(DateTime, nullable=False, default=utcnow)
    upgraded_at = Column(DateTime, nullable=False, default=utcnow)

    def __repr__(self) -> str:
        return f"{self.module_key} {self.version} ({self.source})"


__all__ = [
    "AuditLog",
    "Finding",
    "Job",
    "JiguanUser",
    "ModuleActivation",
    "PluginInstall",
    "Versioned",
    "WorkflowEvent",
    "utcnow",
]
