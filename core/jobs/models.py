"""The job table: one row per background job, scoped like its submitter (docs/jobs.md)."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import deferred

from core.registry import Scope
from core.versioning import utcnow


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
    #: The result file, relative to JOBS_DIR (storage "files"); None with storage "database".
    result_path = Column(String(512))
    #: The address the job was submitted from (``site_url`` while it runs); None from the CLI.
    site_url = Column(String(512))

    def __repr__(self) -> str:
        return f"job#{self.id} {self.kind} {self.status}"


class JobResultData(Model):
    """A job's result file in the database (JOBS_STORAGE "database", the default): every web
    node of a deployment reads it, with no shared folder. One row per done job, removed with
    the job by ``jiguan jobs purge``; a download after ``expires_at`` finds it gone."""

    __tablename__ = "core_job_result"

    job_id = Column(Integer, ForeignKey("core_job.id", ondelete="CASCADE"), primary_key=True)
    #: Loaded only by the download, never with the row.
    data = deferred(Column(LargeBinary, nullable=False))
    size = Column(Integer, nullable=False)
    mimetype = Column(String(128), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False, index=True)
