"""What tenancies derive (Art. 25): the rent from the unit's area and the rent standard of its
kind (never typed), the unit's status from the tenancy's (入住 → 已入住, 退房 or 作废 → 空置可配租),
and a renewal's current end."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.api import Derivation
from plugins.housing.tenancies.models import RENT_PER_M2, Tenancy, TenancyApplication, TenancyRenewal

CENT = Decimal("0.01")


def _rent(tenancy: Tenancy, ctx) -> None:
    """月租金 = 建筑面积 × 租金标准 of the unit's kind in force on the first day of the tenancy."""
    if ctx.action != "create" and not ctx.changed(tenancy, "unit_id", "start_on"):
        return
    unit = ctx.related(tenancy, "unit")
    if unit is None or tenancy.start_on is None:
        return
    found = ctx.standard(RENT_PER_M2, unit.kind, unit.jurisdiction, tenancy.start_on)
    if found is None:
        tenancy.rent_per_m2 = tenancy.monthly_rent = None
        return
    tenancy.rent_per_m2 = Decimal(found.value)
    tenancy.monthly_rent = (Decimal(unit.area) * Decimal(found.value)).quantize(CENT, ROUND_HALF_UP)


def _unit_status(tenancy: Tenancy, ctx) -> None:
    """The unit follows its tenancy: occupied from 入住, available again after 退房 or 作废."""
    if not ctx.changed(tenancy, "status", "voided_at"):
        return
    unit = ctx.related(tenancy, "unit")
    if unit is None:
        return
    if tenancy.voided_at is None and tenancy.status == "checked_in" and unit.status != "occupied":
        unit.status, unit.status_since = "occupied", tenancy.checked_in_on or ctx.today
    elif unit.status == "occupied" and (tenancy.status == "checked_out" or tenancy.voided_at is not None):
        unit.status, unit.status_since = "available", tenancy.checked_out_on or ctx.today


def _organization_of_person(record, ctx) -> None:
    """An application and a tenancy are the person's organisation's (the form names only the person)."""
    person = ctx.related(record, "person")
    if person is not None and (ctx.action == "create" or ctx.changed(record, "person_id")):
        record.organization_id = person.organization_id


def _previous_end(renewal: TenancyRenewal, ctx) -> None:
    tenancy = ctx.related(renewal, "tenancy")
    if tenancy is not None and renewal.previous_end_on is None:
        renewal.previous_end_on = tenancy.end_on


DERIVATIONS = [
    Derivation("housing.application_organization", TenancyApplication, _organization_of_person),
    Derivation("housing.tenancy_organization", Tenancy, _organization_of_person),
    Derivation("housing.tenancy_rent", Tenancy, _rent),
    Derivation("housing.tenancy_unit_status", Tenancy, _unit_status, on=("update",)),
    Derivation("housing.renewal_previous_end", TenancyRenewal, _previous_end, on=("create",)),
]
