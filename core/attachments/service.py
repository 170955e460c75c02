"""What may be done with a record's attachments, by whom, and doing it (docs/attachments.md).

Every path (screen, REST) comes through here: the record is looked up in the user's row scope
(a record the user cannot see has no attachments for them: 404), the user's permission on the
record's screen decides (``can_show`` to list and download, ``can_edit`` to add and delete),
every file is checked by its content before anything is stored, and the write pipeline audits
each attachment added or deleted.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.activation import modules_for_current_user
from core.attachments import store
from core.attachments.kinds import AttachmentKinds
from core.attachments.models import Attachment
from core.display import join_items
from core.errors import WriteRefused
from core.extensions import db
from core.scoping import current_scope, scope_of_model, scoped
from core.state import get_state
from core.tenancy import Organization
from core.workflow.approval import ApprovalMixin, permitted
from core.xlsx.columns import entity_view
from core.xlsx.limits import KINDS, UploadRefused, check_upload, read_limited

#: The kind every approval record takes besides its own: the signed paper form, scanned.
SIGNED = ("signed", _l("签字扫描件"))
#: File type (a key of ``core.xlsx.limits.KINDS``) → (Content-Type, shown inline, extension).
FILE_TYPES = {
    "pdf": ("application/pdf", True, ".pdf"),
    "png": ("image/png", True, ".png"),
    "jpeg": ("image/jpeg", True, ".jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", False, ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False, ".xlsx"),
}
TYPE_OF_CONTENT = {content_type: kind for kind, (content_type, _i, _e) in FILE_TYPES.items()}


class AttachmentRefused(WriteRefused):
    """A refused attachment action; ``status`` is the HTTP answer."""

    def __init__(self, message, status: int = 422):
        super().__init__(message)
        self.status = status


def an_id(value) -> int | None:
    """``value`` as a row id, or None: not a number, or past what an INTEGER column holds."""
    text = str(value)
    return int(text) if text.isdigit() and int(text) < 2**31 else None


def not_found() -> AttachmentRefused:
    return AttachmentRefused(_("记录不存在或您无权查看"), 404)


def kinds_of(entity) -> AttachmentKinds | None:
    """What ``entity``'s records take: its declared kinds, and a signed scan on an approval record."""
    declared = entity.attachments
    approval = issubclass(entity.model, ApprovalMixin)
    if declared is None and not approval:
        return None
    kinds = list(declared.kinds) if declared else []
    if approval and SIGNED[0] not in dict(kinds):
        kinds.append(SIGNED)
    if declared is None:
        return AttachmentKinds(*kinds)
    return AttachmentKinds(*kinds, types=declared.types, max_bytes=declared.max_bytes,
                           after_decision=declared.after_decision)


@dataclass
class Target:
    """A record the user may see, with what they may do to its attachments."""

    entity: object
    record: object
    kinds: AttachmentKinds
    can_write: bool

    @property
    def kind_labels(self) -> dict:
        return dict(self.kinds.kinds)

    @property
    def locked_reason(self) -> str | None:
        """Why attachments may not be deleted now (and only a signed scan added), or None."""
        if getattr(self.record, "voided_at", None) is not None:
            return _("记录已作废，不能添加或删除附件")
        if not getattr(self.record, "is_editable", True):
            return _("记录已提交或已批准，附件不能删除，只能补充签字扫描件")
        return None

    def may_add(self, kind: str) -> bool:
        reason = self.locked_reason
        return self.can_write and (reason is None or (kind in (SIGNED[0], *self.kinds.after_decision)
                                                      and getattr(self.record, "voided_at", None) is None))

    @property
    def addable_kinds(self) -> list[tuple[str, object]]:
        return [(key, label) for key, label in self.kinds.kinds if self.may_add(key)]

    @property
    def may_delete(self) -> bool:
        return self.can_write and self.locked_reason is None


def _permission(entity, action: str) -> tuple[str, str | None]:
    """(permission, FAB view name) deciding ``action`` ("read" or "write") on ``entity``'s records."""
    view = entity_view(entity)
    if view is not None:
        return ("can_show" if action == "read" else "can_edit"), view.class_permission_name
    api = "".join(part.capitalize() for part in entity.key.split("_")) + "Api"
    return ("can_get" if action == "read" else "can_put"), api


def target(entity_key: str, record_id) -> Target:
    """The record ``entity_key`` #``record_id`` as the current user may see it, else 404."""
    entity = get_state().entities.get(entity_key)
    if entity is None or (entity.module and entity.module not in modules_for_current_user()):
        raise not_found()
    kinds = kinds_of(entity)
    pk = an_id(record_id)
    if kinds is None or pk is None or not permitted(*_permission(entity, "read")):
        raise not_found()
    model = entity.model
    record = db.session.execute(scoped(select(model).where(model.id == pk), model)).scalar_one_or_none()
    if record is None:
        raise not_found()
    return Target(entity, record, kinds, permitted(*_permission(entity, "write")))


def attachments_of(found: Target) -> list[Attachment]:
    """The record's attachments, oldest first (their descriptions: no bytes are loaded)."""
    return list(db.session.execute(
        select(Attachment).where(Attachment.entity == found.entity.key,
                                 Attachment.record_id == str(found.record.id)).order_by(Attachment.id)
    ).scalars())


def attachment(attachment_id) -> tuple[Attachment, Target]:
    """An attachment the current user may read, with its record; else 404."""
    pk = an_id(attachment_id)
    found = db.session.get(Attachment, pk) if pk is not None else None
    if found is None:
        raise not_found()
    return found, target(found.entity, found.record_id)


# --- adding ----------------------------------------------------------------------------------------


def clean_name(name: str | None, file_type: str) -> str:
    """A file name safe to store and to send back: no folders, no control characters, at most
    200 characters, ending with the extension of what the file really is."""
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C").strip(" .")
    extension = FILE_TYPES[file_type][2]
    accepted = (extension, ".jpeg") if file_type == "jpeg" else (extension,)
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and "." + suffix.lower() in accepted:
        extension = "." + suffix
    else:
        stem = name or str(_("附件"))
    return stem[:200 - len(extension)] + extension


def sniff(data: bytes, types: tuple[str, ...]) -> str:
    """The file type (of ``types``) that ``data`` is by its content; refuses any other."""
    for file_type in types:
        try:
            check_upload(data, file_type, max_bytes=len(data))
        except UploadRefused as exc:
            if exc.status != 415:  # it is this type, but a bad one (a ZIP bomb …)
                raise
            continue
        return file_type
    allowed = join_items(str(KINDS[t][1]) for t in types)
    raise UploadRefused(_("文件类型不允许：只接受 %(types)s（按文件内容判断，不看文件名）",
                          types=allowed), 415)


def _checked(found: Target, files) -> list[tuple[str, str, bytes]]:
    """(name, type, bytes) of every file, or a refusal naming the first bad one: nothing stored."""
    max_bytes = found.kinds.max_bytes or int(current_app.config.get("ATTACHMENT_MAX_BYTES"))
    checked = []
    for name, stream in files:
        try:
            data = read_limited(stream, max_bytes)
            if not data:
                raise UploadRefused(_("文件是空的"))
            file_type = sniff(data, found.kinds.types)
        except UploadRefused as exc:
            raise AttachmentRefused(_("“%(name)s”：%(message)s", name=name or _("附件"),
                                      message=exc.message), exc.status) from exc
        checked.append((clean_name(name, file_type), file_type, data))
    return checked


def add(found: Target, kind: str, files) -> list[Attachment]:
    """Attach ``files`` (``(name, bytes or stream)`` pairs) as ``kind``; all of them or none."""
    if not found.can_write:
        raise AttachmentRefused(_("您无权为此记录添加附件"), 403)
    labels = found.kind_labels
    if kind not in labels:
        names = join_items(str(v) for v in labels.values())
        raise AttachmentRefused(_("请选择附件类别：%(kinds)s", kinds=names))
    if not found.may_add(kind):
        raise AttachmentRefused(found.locked_reason, 409)
    files = [(name, stream) for name, stream in files if name or stream]
    if not files:
        raise AttachmentRefused(_("请选择要上传的文件"))
    most = int(current_app.config.get("ATTACHMENT_MAX_FILES"))
    if len(files) > most:
        raise AttachmentRefused(_("一次最多上传 %(n)s 个文件", n=most))
    checked = _checked(found, files)
    organization_id, jurisdiction_id = _record_scope(found.record)
    added = []
    try:
        for name, file_type, data in checked:
            row = Attachment(
                entity=found.entity.key, record_id=str(found.record.id), kind=kind, filename=name,
                content_type=FILE_TYPES[file_type][0], size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), storage=store.storage(),
                uploaded_by=current_scope().username,
                organization_id=organization_id, jurisdiction_id=jurisdiction_id,
            )
            db.session.add(row)
            db.session.flush()  # scope-checked and audited by the write pipeline
            store.save(row, data)
            added.append(row)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return added


def _record_scope(record) -> tuple[int | None, int | None]:
    """The record's organisation and jurisdiction; a type scoped by organisation alone (a plan)
    lends its organisation's jurisdiction, so the attachment is scoped on both."""
    spec = scope_of_model(type(record))

    def value(column):
        return None if not column else record.id if column == "id" else getattr(record, column, None)

    organization_id = value(spec.organization) if spec else None
    jurisdiction_id = value(spec.jurisdiction) if spec else None
    if jurisdiction_id is None and organization_id is not None:
        organization = db.session.get(Organization, organization_id)
        jurisdiction_id = organization.jurisdiction_id if organization is not None else None
    return organization_id, jurisdiction_id


# --- deleting, reading ------------------------------------------------------------------------------


def delete(attachment_id) -> None:
    """Delete an attachment while its record is editable (audited)."""
    row, found = attachment(attachment_id)
    if not found.can_write:
        raise AttachmentRefused(_("您无权删除此记录的附件"), 403)
    if found.locked_reason:
        raise AttachmentRefused(found.locked_reason, 409)
    storage, sha256 = row.storage, row.sha256
    try:
        store.remove(row)
        db.session.delete(row)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if storage == "files":
        store.remove_unused_file(sha256)


def content(row: Attachment) -> bytes:
    return store.load(row)


def is_inline(row: Attachment) -> bool:
    file_type = TYPE_OF_CONTENT.get(row.content_type)
    return bool(file_type and FILE_TYPES[file_type][1])


def zip_of(found: Target) -> tuple[io.BytesIO, int]:
    """Every attachment of the record in one ZIP, in folders by kind (下载全部附件)."""
    buffer, labels, used = io.BytesIO(), found.kind_labels, set()
    rows = attachments_of(found)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            name = f"{labels.get(row.kind, row.kind)}/{row.filename}"
            stem, dot, suffix = name.rpartition(".")
            number = 1
            while name in used:
                number += 1
                name = f"{stem}（{number}）{dot}{suffix}"
            used.add(name)
            archive.writestr(name, content(row))
    buffer.seek(0)
    return buffer, len(rows)


def zip_name(found: Target) -> str:
    return re.sub(r'[\\/:*?"<>|]', "_", f"{found.entity.label}{found.record.id}-{_('附件')}.zip")


def has_attachment(session, entity_key: str, record_id, kind: str) -> bool:
    """Whether the record carries at least one file of ``kind`` (a paper a module requires before
    an operation: a delegation's 任务批件 before submission, its 出访报告 before settlement)."""
    query = select(Attachment.id).where(Attachment.entity == entity_key,
                                        Attachment.record_id == str(record_id), Attachment.kind == kind)
    return session.execute(query.limit(1)).first() is not None
