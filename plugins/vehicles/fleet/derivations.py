"""The vehicle follows its asset card (one truth, docs/vehicles.md): a Derivation on the assets
module's entity type ``asset`` (by key: no import of the assets module).

When a linked card moves to another organisation through the assets module (a 无偿划转, a pool
transfer, a correction), the vehicle's organisation and jurisdiction follow in the same flush —
and the vehicle's own rules (Art. 27) check the move; when the card is disposed (Art. 19), the
vehicle is marked 已处置 with the day. The vehicle's own write fills its scope from the card
(``Scope(parent="asset")``); this covers the writes that touch only the card.
"""

from __future__ import annotations

from sqlalchemy import select

from core.api import Derivation, effective_values, previous_values, related_target
from plugins.vehicles.fleet.models import Vehicle, VehicleDisposal


def follow_card(card, ctx) -> None:
    if card.id is None:
        return
    values, before = effective_values(card), previous_values(card)
    if all(values.get(name) == before.get(name) for name in ("organization_id", "status")):
        return  # most card writes (a location, a custodian) leave the vehicle as it is: no query
    linked = ctx.session.execute(select(Vehicle).where(Vehicle.asset_id == card.id)).scalars().all()
    for vehicle in linked:
        if vehicle.voided_at is not None:
            continue
        if vehicle.organization_id != values.get("organization_id"):
            vehicle.organization_id = values.get("organization_id")
            vehicle.jurisdiction_id = values.get("jurisdiction_id")
        if values.get("status") == "disposed" and vehicle.status != "disposed":
            vehicle.status = "disposed"
            vehicle.disposed_on = ctx.today


def disposal_organization(disposal: VehicleDisposal, ctx) -> None:
    """An application names the vehicle; its organisation is the vehicle's when left empty."""
    if disposal.organization_id is None and disposal.organization is None:
        vehicle = related_target(ctx.session, disposal, "vehicle")
        if vehicle is not None:
            disposal.organization_id = vehicle.organization_id


DERIVATIONS = [
    Derivation("vehicles.follow_card", "asset", follow_card, on=("update",)),
    Derivation("vehicles.disposal_organization", VehicleDisposal, disposal_organization, on=("create",)),
]
