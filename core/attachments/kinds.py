"""What an entity type declares of its attachments (``EntityType.attachments``)."""

from __future__ import annotations

from typing import Any


class AttachmentKinds:
    """The files a record takes (docs/attachments.md): ``AttachmentKinds(("invoice", _l("发票")))``.

    ``types`` are file types by content (keys of ``core.xlsx.limits.KINDS``); ``max_bytes``
    overrides ``ATTACHMENT_MAX_BYTES``. An approval record takes a signed scan besides.
    ``after_decision`` names kinds that paper brings after the approval (a delegation's 出访报告):
    they may still be added, like the signed scan, to a submitted or approved record.
    """

    def __init__(self, *kinds: tuple[str, Any], types: tuple[str, ...] = ("pdf", "png", "jpeg"),
                 max_bytes: int | None = None, after_decision: tuple[str, ...] = ()) -> None:
        self.kinds, self.types, self.max_bytes = tuple(kinds), tuple(types), max_bytes
        self.after_decision = tuple(after_decision)
