"""Rules of the costs area (Art. 29), on every write path (form, REST, XLSX import, operations).

- 定点维修、定点保险: a repair or maintenance at a shop that is not designated ``vehicle_repair``
  for the vehicle's jurisdiction (or above) on the day, or insurance at an insurer not designated
  ``vehicle_insurance``, is let through and flagged for the bureau (catalog.suppliers).
- 单车核算: a cost once posted (入账) is what the ledger holds; it is not changed on any path, only
  voided (作废 withdraws the posting) and entered again.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog.suppliers import designated_supplier
from core.api import Rule
from plugins.vehicles.costs.models import INSURANCE_KINDS, REPAIR_KINDS, SUPPLIER_KIND_OF, VehicleCost


def _jurisdiction(cost, ctx):
    vehicle = ctx.related(cost, "vehicle")
    if vehicle is not None:
        found = ctx.related(vehicle, "jurisdiction")
        if found is not None:
            return found
    return ctx.related(cost, "jurisdiction")


def _not_designated(kinds):
    def check(cost: VehicleCost, ctx):
        if ctx.action == "delete" or cost.kind not in kinds or cost.voided_at is not None:
            return None
        jurisdiction = _jurisdiction(cost, ctx)
        if jurisdiction is None:
            return None
        if designated_supplier(ctx.session, SUPPLIER_KIND_OF[cost.kind], cost.supplier, jurisdiction,
                               cost.spent_on) is not None:
            return None
        return {"name": (cost.supplier or "").strip() or _("（未填写）")}

    return check


def _posted_changed(cost: VehicleCost, ctx):
    """第二十九条 (单车核算): a posted cost is the ledger's line; only 作废 changes it."""
    if ctx.action != "update":
        return None
    before = ctx.previous(cost)
    if not before.get("posted") or before.get("voided_at") is not None:
        return None
    if cost.voided_at is not None:  # 作废: withdraws the posting
        return None
    return {"cost": cost}


RULES = [
    Rule(key="vehicles.costs_designated_repair", article=29, severity="flag", model=VehicleCost,
         message=_l("维修单位“%(name)s”不是定点维修单位"), check=_not_designated(REPAIR_KINDS)),
    Rule(key="vehicles.costs_designated_insurance", article=29, severity="flag", model=VehicleCost,
         message=_l("保险单位“%(name)s”不是定点保险单位"), check=_not_designated(INSURANCE_KINDS)),
    Rule(key="vehicles.costs_posted_locked", article=29, severity="block", model=VehicleCost,
         message=_l("运行费用已入账，不能修改；如有错误，请作废后重新登记"), check=_posted_changed),
]
