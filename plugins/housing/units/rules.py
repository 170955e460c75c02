"""Rules of the units area (Art. 25), on every write path (form, REST, XLSX import, operations).

第二十五条 has the bureau (机关事务管理部门) 统一组织实施 the handover, repairs, maintenance,
operation, allocation and disposal of talent apartments and turnover housing:

- a unit is managed by a bureau: its organisation is a 机关事务管理部门 (block);
- its handover (接收移交), repair (送修/修竣) and disposal (处置) are done by the bureau of the
  unit's own jurisdiction, not by a clerk nor by a bureau above (block; the tenancies area's
  check-in and check-out, to and from 已入住, are its own business);
- a unit past its handover carries the transfer document's number, a disposed one the
  disposal decision's (block);
- an occupied unit is not sent to repair nor disposed (block);
- a repair or maintenance job on a disposed unit is refused (block), and one posted (入账) to
  the ledger is not changed, only voided (block).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.housing.units.models import HousingUnit, UnitMaintenance

#: the columns only the bureau's operations change
BUREAU_COLUMNS = ("status", "handed_over_by", "handed_over_on", "handover_document_no",
                  "disposal_document_no", "disposed_on")


def _not_bureau(unit: HousingUnit, ctx):
    """第二十五条: the unit is managed by a 机关事务管理部门."""
    if ctx.action == "delete":
        return None
    org = ctx.related(unit, "organization")
    if org is None or org.is_bureau:
        return None
    return {"org": org.name}


def _bureau_only(unit: HousingUnit, ctx):
    """第二十五条 统一组织实施: handover, repair and disposal by the bureau of the unit's jurisdiction."""
    if ctx.action != "update" or ctx.scope.user_id is None:
        return None
    if not ctx.changed(unit, *BUREAU_COLUMNS):
        return None
    before = ctx.previous(unit).get("status")
    if "occupied" in (before, unit.status) and not ctx.changed(
            unit, *(c for c in BUREAU_COLUMNS if c != "status")):
        return None  # check-in / check-out: the tenancies area's
    from core.tenancy import Organization

    org = ctx.get(Organization, ctx.scope.organization_id)
    if org is not None and org.is_bureau and org.jurisdiction_id == unit.jurisdiction_id:
        return None
    return {"who": org.name if org is not None else ctx.scope.username}


def _handover_document(unit: HousingUnit, ctx):
    """第二十五条 移交: a unit handed over carries the transfer document's number."""
    if ctx.action == "delete" or unit.status in (None, "pending") or unit.voided_at is not None:
        return None
    if (unit.handover_document_no or "").strip():
        return None
    return {"unit": str(unit)}


def _disposal_document(unit: HousingUnit, ctx):
    """第二十五条 处置: a disposed unit carries the disposal decision's number."""
    if ctx.action == "delete" or unit.status != "disposed" or (unit.disposal_document_no or "").strip():
        return None
    return {"unit": str(unit)}


def _occupied_unit_moved(unit: HousingUnit, ctx):
    """第二十五条: an occupied unit is neither sent to repair nor disposed."""
    if ctx.action != "update" or unit.status not in ("maintenance", "disposed"):
        return None
    if ctx.previous(unit).get("status") != "occupied":
        return None
    return {"unit": str(unit)}


def _disposed_unit_maintained(job: UnitMaintenance, ctx):
    """第二十五条: no repair or maintenance is recorded on a disposed unit."""
    if ctx.action == "delete" or job.voided_at is not None:
        return None
    unit = ctx.related(job, "unit")
    if unit is None or unit.status != "disposed":
        return None
    if ctx.action == "update" and not ctx.changed(job, "unit_id", "done_on", "work", "cost", "kind"):
        return None
    return {"unit": str(unit)}


def _posted_changed(job: UnitMaintenance, ctx):
    """第二十五条: a posted job is the ledger's line; only 作废 changes it."""
    if ctx.action != "update":
        return None
    before = ctx.previous(job)
    if not before.get("posted") or before.get("voided_at") is not None or job.voided_at is not None:
        return None
    return {"job": str(job)}


RULES = [
    Rule(key="housing.units_bureau_managed", article=25, severity="block", model=HousingUnit,
         message=_l("“%(org)s”不是机关事务管理部门，人才公寓和周转住房由机关事务管理部门统一管理"),
         check=_not_bureau),
    Rule(key="housing.units_bureau_only", article=25, severity="block", model=HousingUnit,
         message=_l("房源的接收移交、送修、修竣和处置由房源所在辖区的机关事务管理部门统一组织实施，"
                    "“%(who)s”不能办理"),
         check=_bureau_only),
    Rule(key="housing.units_handover_document", article=25, severity="block", model=HousingUnit,
         message=_l("房源 %(unit)s 须凭移交文件接收移交，请填写移交文件文号"), check=_handover_document),
    Rule(key="housing.units_disposal_document", article=25, severity="block", model=HousingUnit,
         message=_l("房源 %(unit)s 的处置须有处置决定文号"), check=_disposal_document),
    Rule(key="housing.units_occupied_locked", article=25, severity="block", model=HousingUnit,
         message=_l("房源 %(unit)s 已入住，不能送修或处置；请先办理退出"), check=_occupied_unit_moved),
    Rule(key="housing.units_maintenance_disposed", article=25, severity="block", model=UnitMaintenance,
         message=_l("房源 %(unit)s 已处置，不能登记维修维护"), check=_disposed_unit_maintained),
    Rule(key="housing.units_maintenance_posted_locked", article=25, severity="block", model=UnitMaintenance,
         message=_l("维修维护记录已入账，不能修改；如有错误，请作废后重新登记"), check=_posted_changed),
]
