"""公务用车编制及实有情况表 (Art. 27, 29 统计报告) and 新能源汽车配备情况 (Art. 28).

Both read the establishment in force and the vehicles in service within the reader's scope: a
bureau sees its jurisdiction and the levels below, an organisation itself.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from catalog.vehicle_categories import VehicleCategory
from core.api import STANDARD_SIGNATURES, Report, beijing_today, chinese_date, db, scoped
from plugins.vehicles.fleet.models import ENERGY_TYPES, NEW_ENERGY, Vehicle, VehicleEstablishment


class OnParams(Schema):
    on = fields.Date(
        load_default=beijing_today,
        metadata={"label": _l("统计日期"), "description": _l("按该日有效的车辆编制和在用车辆统计")},
    )


def _vehicles(scope) -> list[Vehicle]:
    query = select(Vehicle).where(Vehicle.status == "in_service", Vehicle.voided_at.is_(None))
    return list(db.session.execute(scoped(query, Vehicle, scope)).scalars())


def _quotas(scope, on: dt.date) -> dict[tuple[int, int], int]:
    """The approved establishment in force on ``on`` per (organisation, category)."""
    query = (
        select(VehicleEstablishment)
        .where(VehicleEstablishment.state == "approved", VehicleEstablishment.effective_from <= on)
        .order_by(VehicleEstablishment.effective_from, VehicleEstablishment.id)
    )
    found: dict[tuple[int, int], int] = {}
    for row in db.session.execute(scoped(query, VehicleEstablishment, scope)).scalars():
        found[(row.organization_id, row.category_id)] = row.quota  # the latest wins
    return found


def _org_order(ids) -> list[Organization]:
    if not ids:
        return []
    query = (
        select(Organization)
        .join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
        .where(Organization.id.in_(ids))
        .order_by(Jurisdiction.path, Organization.name)
    )
    return list(db.session.execute(query).scalars())


def establishment_context(params: dict, scope) -> dict:
    on = params["on"]
    quotas = _quotas(scope, on)
    held: dict[tuple[int, int], int] = {}
    for vehicle in _vehicles(scope):
        key = (vehicle.organization_id, vehicle.category_id)
        held[key] = held.get(key, 0) + 1
    keys = set(quotas) | set(held)
    categories = {c.id: c for c in db.session.execute(select(VehicleCategory)).scalars()}
    rows = []
    for org in _org_order({k[0] for k in keys}):
        for cat_id in sorted(c for o, c in keys if o == org.id):
            quota, count = quotas.get((org.id, cat_id), 0), held.get((org.id, cat_id), 0)
            rows.append(
                {
                    "jurisdiction": org.jurisdiction.name,
                    "organization": org.name,
                    "category": categories[cat_id].name,
                    "quota": quota,
                    "held": count,
                    "vacant": max(quota - count, 0),
                    "over": max(count - quota, 0),
                }
            )
    return {
        "rows": rows,
        "period": _("截至 %(date)s", date=chinese_date(on)),
        "total_quota": sum(r["quota"] for r in rows),
        "total_held": sum(r["held"] for r in rows),
        "total_vacant": sum(r["vacant"] for r in rows),
        "total_over": sum(r["over"] for r in rows),
    }


def new_energy_context(params: dict, scope) -> dict:
    on = params["on"]
    by_org: dict[int, dict] = {}
    for vehicle in _vehicles(scope):
        entry = by_org.setdefault(
            vehicle.organization_id,
            {"total": 0, "new": 0, "domestic": 0, "energy": dict.fromkeys(ENERGY_TYPES, 0)},
        )
        entry["total"] += 1
        entry["energy"][vehicle.energy_type] = entry["energy"].get(vehicle.energy_type, 0) + 1
        entry["new"] += vehicle.energy_type in NEW_ENERGY
        entry["domestic"] += bool(vehicle.domestic)
    rows = []
    for org in _org_order(set(by_org)):
        entry = by_org[org.id]
        rows.append(
            {
                "jurisdiction": org.jurisdiction.name,
                "organization": org.name,
                **entry,
                "share": f"{entry['new'] * 100 / entry['total']:.1f}%" if entry["total"] else "—",
            }
        )
    total = sum(r["total"] for r in rows)
    new = sum(r["new"] for r in rows)
    energy_totals = {k: sum(r["energy"].get(k, 0) for r in rows) for k in ENERGY_TYPES}
    return {
        "rows": rows,
        "energy_types": [(k, str(v)) for k, v in ENERGY_TYPES.items()],
        "energy_totals": energy_totals,
        "total": total,
        "new": new,
        "domestic": sum(r["domestic"] for r in rows),
        "share": f"{new * 100 / total:.1f}%" if total else "—",
        "period": _("截至 %(date)s", date=chinese_date(on)),
    }


def reports() -> list[Report]:
    return [
        Report(
            key="vehicle_establishment",
            label=_l("公务用车编制及实有情况表"),
            params_schema=OnParams,
            build_context=establishment_context,
            template="vehicles/establishment_report.html",
            orientation="landscape",
            signatures=STANDARD_SIGNATURES,
            description=_l(
                "按单位和公务用车类别列出车辆编制、实有数量、空缺和超编；机关事务管理部门看本辖区及下级"
                "（第二十七、二十九条）"
            ),
        ),
        Report(
            key="vehicle_new_energy",
            label=_l("新能源汽车配备情况"),
            params_schema=OnParams,
            build_context=new_energy_context,
            template="vehicles/new_energy_report.html",
            orientation="landscape",
            signatures=STANDARD_SIGNATURES,
            description=_l(
                "按单位统计在用公务用车的能源类型、新能源汽车数量和占比、国产汽车数量（第二十八条）"
            ),
        ),
    ]
