"""The attachment service's settings, installed as defaults into ``app.config`` by its plugin;
an operator's value (``instance/jiguan.cfg``, ``JIGUAN_*``) wins (docs/attachments.md)."""

from __future__ import annotations


class AttachmentSettings:
    #: Where the bytes are kept: "database" (core_attachment_content: every web node serves
    #: them) or "files" (ATTACHMENT_DIR, which every node must then mount).
    ATTACHMENT_STORAGE = "database"
    #: Folder of the files with ATTACHMENT_STORAGE "files"; None: ``<instance>/attachments``.
    ATTACHMENT_DIR: str | None = None
    #: The largest file, unless the entity type's ``AttachmentKinds(max_bytes=…)`` says otherwise.
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    #: Files one upload may carry.
    ATTACHMENT_MAX_FILES = 20


def install_settings(app) -> None:
    for name in dir(AttachmentSettings):
        if name.isupper():
            app.config.setdefault(name, getattr(AttachmentSettings, name))
