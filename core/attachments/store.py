"""Where an attachment's bytes live: the database (default) or a folder every node mounts.

Files are named by their SHA-256, so the same scan attached twice is kept once; a file is
removed when the last attachment naming it is.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select

from core.attachments.models import Attachment, AttachmentContent
from core.extensions import db


def storage() -> str:
    return "files" if current_app.config.get("ATTACHMENT_STORAGE") == "files" else "database"


def _folder() -> Path:
    configured = current_app.config.get("ATTACHMENT_DIR")
    return Path(configured or Path(current_app.instance_path) / "attachments")


def _path(sha256: str) -> Path:
    return _folder() / sha256[:2] / sha256


def save(attachment: Attachment, data: bytes) -> None:
    """Keep ``data`` for ``attachment`` (flushed, so it has its id), in the configured store."""
    attachment.storage = storage()
    if attachment.storage == "database":
        db.session.add(AttachmentContent(attachment_id=attachment.id, data=data))
        return
    path = _path(attachment.sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a reader never sees half a file


def load(attachment: Attachment) -> bytes:
    if attachment.storage == "database":
        return db.session.execute(
            select(AttachmentContent.data).where(AttachmentContent.attachment_id == attachment.id)
        ).scalar_one()
    return _path(attachment.sha256).read_bytes()


def remove(attachment: Attachment) -> None:
    """Forget the database bytes of ``attachment``, before its row goes, in the same transaction."""
    if attachment.storage == "database":
        db.session.execute(delete(AttachmentContent)
                           .where(AttachmentContent.attachment_id == attachment.id))


def remove_unused_file(sha256: str) -> None:
    """After the commit that deleted an attachment: its file, unless another still names it."""
    others = db.session.execute(
        select(func.count()).where(Attachment.sha256 == sha256, Attachment.storage == "files")
    ).scalar_one()
    if not others:
        _path(sha256).unlink(missing_ok=True)
