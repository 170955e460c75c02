"""Rules of the repairs area (Art. 23), on every write path (form, REST, XLSX import, operations).

- 日常维修 by the using organisation: a room named is in the building named and is used by the
  organisation that records the repair (block).
- A posted 日常维修 is the ledger's line: not changed on any path, only voided (block).
- 大中修 states what it serves: at least one of the four purposes of Art. 23 (block).
- The repair standard: a building repaired (or built) fewer than ``office_major_repair_interval``
  years before is refused (block), unless the work removes a safety hazard: then flagged.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.office_space.repairs.major import interval_problem, purpose_missing
from plugins.office_space.repairs.models import DailyRepair, MajorRepairApplication, MajorRepairPlan

OPEN_STATES = (None, "draft", "submitted", "rejected")


def _room(repair: DailyRepair, ctx):
    """第二十三条: 日常维修 by the room's using organisation, of a room of the building named."""
    if ctx.action == "delete" or repair.voided_at is not None:
        return None
    room = ctx.related(repair, "room")
    if room is None:
        return None
    building = ctx.related(repair, "building")
    organization = ctx.related(repair, "organization")
    if building is not None and room.building_id != building.id:
        return {"problem": _l("所选房间不在所选办公楼内")}
    if organization is not None and room.organization_id != organization.id:
        return {"problem": _l("所选房间不是本单位使用的房间，日常维修由使用单位登记")}
    return None


def _posted_changed(repair: DailyRepair, ctx):
    if ctx.action != "update":
        return None
    before = ctx.previous(repair)
    if not before.get("posted") or before.get("voided_at") is not None or repair.voided_at is not None:
        return None
    return {"repair": repair}


def _purpose(application: MajorRepairApplication, ctx):
    if ctx.action == "delete" or application.state not in OPEN_STATES:
        return None
    return {"missing": True} if purpose_missing(application) else None


def _interval(safety: bool):
    def check(application: MajorRepairApplication, ctx):
        if ctx.action == "delete" or application.state not in OPEN_STATES:
            return None
        if bool(application.serves_safety) != safety:
            return None
        return interval_problem(ctx.session, application)

    return check


def _plan_fixed(plan: MajorRepairPlan, ctx):
    """第二十三条: an issued plan is fixed; a plan with projects is not deleted (its lines point at it)."""
    if ctx.action == "delete":
        if plan.applications:
            return {"problem": _l("大中修项目规划已编入项目，不能删除")}
        if plan.status == "issued":
            return {"problem": _l("大中修项目规划已下达，不能删除")}
        return None
    if ctx.action == "update" and ctx.previous(plan).get("status") == "issued":
        return {"problem": _l("大中修项目规划已下达，不能修改")}
    return None


RULES = [
    Rule(
        key="office_space.daily_repair_room",
        article=23,
        severity="block",
        model=DailyRepair,
        message=_l("%(problem)s"),
        check=_room,
    ),
    Rule(
        key="office_space.daily_repair_posted_locked",
        article=23,
        severity="block",
        model=DailyRepair,
        message=_l("日常维修已入账，不能修改；如有错误，请作废后重新登记"),
        check=_posted_changed,
    ),
    Rule(
        key="office_space.major_repair_plan_fixed",
        article=23,
        severity="block",
        model=MajorRepairPlan,
        message=_l("%(problem)s"),
        check=_plan_fixed,
        on=("update", "delete"),
    ),
    Rule(
        key="office_space.major_repair_purpose",
        article=23,
        severity="block",
        model=MajorRepairApplication,
        message=_l(
            "大中修申请须至少说明一项用途：消除安全隐患、符合保密要求、恢复和完善使用功能、降低能源消耗"
        ),
        check=_purpose,
    ),
    Rule(
        key="office_space.major_repair_interval",
        article=23,
        severity="block",
        model=MajorRepairApplication,
        message=_l(
            "%(building)s于 %(last)s 年%(what)s，距申请年度 %(year)s 年未满大中修间隔 %(interval)s 年"
            "（%(next)s 年起方可申请），不予受理；消除安全隐患的除外"
        ),
        check=_interval(False),
    ),
    Rule(
        key="office_space.major_repair_interval_safety",
        article=23,
        severity="flag",
        model=MajorRepairApplication,
        message=_l(
            "%(building)s于 %(last)s 年%(what)s，未满大中修间隔 %(interval)s 年，因消除安全隐患申请，"
            "请审批部门重点审核"
        ),
        check=_interval(True),
    ),
]
