"""What the idle-space area derives (Art. 24): a new disposition is the writing bureau's when it
names no organisation, and the room follows a disposition done (办理): 出租出借 or 已处置 from
that day — derived in the flush, as the room's state field allows (the room is the buildings
area's; no operation of this area writes it)."""

from __future__ import annotations

from core.api import Derivation
from plugins.office_space.idle.models import ROOM_STATUS_OF, IdleSpaceDisposition
from plugins.office_space.repairs.derivations import own_organization


def room_follows_disposition(record: IdleSpaceDisposition, ctx) -> None:
    if not ctx.changed(record, "status") or record.status != "done":
        return
    room = ctx.related(record, "room")
    if room is not None:
        room.status, room.status_since = ROOM_STATUS_OF[record.kind], record.done_on or ctx.today


DERIVATIONS = [
    Derivation("office_space.idle_room_follows_disposition", IdleSpaceDisposition, room_follows_disposition,
               on=("update",)),
    Derivation(
        "office_space.idle_disposition_organization", IdleSpaceDisposition, own_organization, on=("create",)
    ),
]
