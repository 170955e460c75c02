"""Rules of the fleet (Art. 26, 27, 29, 30), checked on every write path: the add and edit forms,
``POST``/``PUT /api/v1/…``, the XLSX import, the operations and the approvals' effects."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.vehicles.fleet.checks import card_problem, register_problem
from plugins.vehicles.fleet.disposal import OPEN_STATES, disposal_problem, target_room
from plugins.vehicles.fleet.establishment import room_problem
from plugins.vehicles.fleet.models import Vehicle, VehicleDisposal, VehicleEstablishment

#: what makes a vehicle count against its organisation's establishment anew
COUNTED = ("organization_id", "category_id", "status", "voided_at")


def _over_establishment(vehicle: Vehicle, ctx):
    """Art. 27: holdings never exceed the establishment in force (none in force = 0). Checked when
    a vehicle comes into an organisation's holdings: a new one, a change of category or
    organisation (a card moved, a 调剂), a disposed one put back in service."""
    values = ctx.previous(vehicle) if ctx.action == "update" else None
    if (vehicle.status or "in_service") != "in_service" or vehicle.voided_at is not None:
        return None  # a new vehicle's status is in service (the column's default, set on insert)
    if (
        values is not None
        and values.get("status") == "in_service"
        and values.get("voided_at") is None
        and not ctx.changed(vehicle, "organization_id", "category_id")
    ):
        return None
    return room_problem(
        ctx.session,
        ctx.related(vehicle, "organization"),
        ctx.related(vehicle, "category"),
        ctx.today,
        exclude=vehicle,
    )


def _register(vehicle: Vehicle, ctx):
    """Art. 29 使用登记: the plate, VIN and energy data of a vehicle are well formed."""
    problem = register_problem(vehicle)
    return {"problem": problem} if problem else None


def _card(vehicle: Vehicle, ctx):
    """Art. 26: the vehicle is the card of a vehicle in the assets module (class 车辆, live, one each)."""
    if ctx.action == "update" and not ctx.changed(vehicle, "asset_id"):
        return None
    problem = card_problem(ctx.session, vehicle, ctx.related(vehicle, "asset"))
    return {"problem": problem} if problem else None


def _disposal(disposal: VehicleDisposal, ctx):
    """Art. 30: the vehicle is the applicant's and in service; 调剂 names a receiving organisation
    within the applicant's jurisdiction, 厂家回收 the manufacturer."""
    problem = disposal_problem(ctx.session, disposal)
    return {"problem": problem} if problem else None


def _disposal_room(disposal: VehicleDisposal, ctx):
    """Art. 27 on a 调剂: the receiving organisation has room in its establishment."""
    if (disposal.state or "draft") not in OPEN_STATES:
        return None  # the approval checks it once more before moving the vehicle
    return target_room(ctx.session, disposal, ctx.today)


def _establishment(record: VehicleEstablishment, ctx):
    """Art. 27: an establishment is a number of vehicles from a date."""
    if record.quota is None or record.quota < 0:
        return {"problem": _l("编制数不能为负数")}
    return None


RULES = [
    Rule(
        key="vehicles.establishment",
        article=27,
        severity="block",
        model=Vehicle,
        message=_l("%(org)s的%(category)s编制为 %(quota)s 辆，已有 %(held)s 辆，不能再增加"),
        check=_over_establishment,
    ),
    Rule(
        key="vehicles.register",
        article=29,
        severity="block",
        model=Vehicle,
        message=_l("%(problem)s"),
        check=_register,
    ),
    Rule(
        key="vehicles.card",
        article=26,
        severity="block",
        model=Vehicle,
        message=_l("%(problem)s"),
        check=_card,
    ),
    Rule(
        key="vehicles.disposal",
        article=30,
        severity="block",
        model=VehicleDisposal,
        message=_l("%(problem)s"),
        check=_disposal,
    ),
    Rule(
        key="vehicles.disposal_room",
        article=27,
        severity="block",
        model=VehicleDisposal,
        message=_l("调入单位%(org)s的%(category)s编制为 %(quota)s 辆，已有 %(held)s 辆，不能调剂"),
        check=_disposal_room,
    ),
    Rule(
        key="vehicles.establishment_quota",
        article=27,
        severity="block",
        model=VehicleEstablishment,
        message=_l("%(problem)s"),
        check=_establishment,
    ),
]
