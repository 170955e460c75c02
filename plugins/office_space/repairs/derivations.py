"""What the repairs area derives: the organisation of a new repair or application, when the writer
names none — a clerk's own organisation (a clerk records and applies for their own, Art. 23); for
a writer above the organisations (a bureau's plan is its own), the user of the room a 日常维修
names, else the writer's own."""

from __future__ import annotations

from core.api import Derivation
from plugins.office_space.repairs.models import DailyRepair, MajorRepairApplication, MajorRepairPlan


def own_organization(record, ctx) -> None:
    if record.organization_id is not None or getattr(record, "organization", None) is not None:
        return
    if ctx.scope.kind == "organization" and ctx.scope.organization_id is not None:
        record.organization_id = ctx.scope.organization_id
        return
    room = ctx.related(record, "room") if isinstance(record, DailyRepair) else None
    if room is not None and room.organization_id is not None:
        record.organization_id = room.organization_id
    elif ctx.scope.organization_id is not None:
        record.organization_id = ctx.scope.organization_id


DERIVATIONS = [
    Derivation(
        "office_space.major_repair_plan_organization", MajorRepairPlan, own_organization, on=("create",)
    ),
    Derivation("office_space.daily_repair_organization", DailyRepair, own_organization, on=("create",)),
    Derivation(
        "office_space.major_repair_organization", MajorRepairApplication, own_organization, on=("create",)
    ),
]
