"""The checks and effects of a 大中修 application (Art. 23), called by its approval
(``MajorRepairApplication.on_transition``), by its rules and by the 竣工 operation.

- What it serves: at least one of 消除安全隐患、符合保密要求、恢复和完善使用功能、降低能源消耗.
- The repair standard: a building whose last major repair (else its building year) is fewer than
  ``office_major_repair_interval`` years before the application's year is refused, unless the
  work removes a safety hazard; then it goes on, flagged for the bureau.
- The approval puts the application into the bureau's 大中修项目规划 of its year (made, 编制中, if
  the bureau has none yet); a plan already issued (已下达) takes no more lines, and the approval
  says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from catalog.models import standard_in_force
from core.api import WorkflowError, related_target
from plugins.office_space.repairs.models import PURPOSES, MajorRepairApplication, MajorRepairPlan
from plugins.office_space.repairs.standards import ALL_BUILDINGS, MAJOR_REPAIR_INTERVAL


def purpose_missing(application) -> bool:
    return not any(getattr(application, field) for field in PURPOSES)


def interval_in_force(session, jurisdiction, year: int) -> int | None:
    found = standard_in_force(
        session, MAJOR_REPAIR_INTERVAL, ALL_BUILDINGS, jurisdiction, dt.date(year, 1, 1)
    )
    return int(Decimal(found.value)) if found is not None and found.value is not None else None


def interval_problem(session, application) -> dict | None:
    """The building's last major repair is fewer years ago than the standard: the figures, else None."""
    with session.no_autoflush:
        building = related_target(session, application, "building")
        if building is None or application.year is None:
            return None
        jurisdiction = related_target(session, building, "jurisdiction")
        if jurisdiction is None:
            return None
        interval = interval_in_force(session, jurisdiction, application.year)
        last = building.last_major_repair_year or building.built_year
        if interval is None or last is None or application.year - last >= interval:
            return None
        what = _("最近一次大中修") if building.last_major_repair_year else _("建成")
        return {
            "building": building.name,
            "what": what,
            "last": last,
            "interval": interval,
            "year": application.year,
            "next": last + interval,
        }


def check_submit(session, application) -> None:
    if purpose_missing(application):
        raise WorkflowError(
            _(
                "大中修申请须至少说明一项用途：消除安全隐患、符合保密要求、恢复和完善使用功能、"
                "降低能源消耗（《办法》第二十三条）"
            ),
            status=422,
        )
    problem = interval_problem(session, application)
    if problem and not application.serves_safety:
        raise WorkflowError(interval_message(problem), status=422)


def interval_message(problem: dict) -> str:
    return _(
        "%(building)s于 %(last)s 年%(what)s，距申请年度 %(year)s 年未满大中修间隔 %(interval)s 年"
        "（%(next)s 年起方可申请），不予受理；消除安全隐患的除外（《办法》第二十三条）",
        **problem,
    )


def plan_of(session, jurisdiction_id: int, year: int) -> MajorRepairPlan | None:
    return session.execute(
        select(MajorRepairPlan).where(
            MajorRepairPlan.jurisdiction_id == jurisdiction_id, MajorRepairPlan.year == year
        )
    ).scalar_one_or_none()


def into_plan(session, application: MajorRepairApplication) -> list[str]:
    """编入规划: the approval's effect; what it did, for the user."""
    from core.workflow.deciders import deciding_bodies

    jurisdiction = application.organization.jurisdiction
    bodies = deciding_bodies(session, jurisdiction, "bureau")
    if not bodies:
        return []
    bureau = bodies[0]
    plan = plan_of(session, bureau.jurisdiction_id, application.year)
    if plan is None:
        plan = MajorRepairPlan(
            organization=bureau,
            jurisdiction_id=bureau.jurisdiction_id,
            year=application.year,
            title=_("%(org)s %(year)s 年度大中修项目规划", org=bureau.name, year=application.year),
        )
        session.add(plan)
        session.flush()
    if plan.status == "issued":
        return [
            _(
                "%(year)s 年度大中修项目规划已下达，本申请未编入；请在下一年度规划中安排",
                year=application.year,
            )
        ]
    application.plan_id = plan.id
    application.plan = plan
    return [_("已编入%(plan)s", plan=str(plan))]
