"""Rules of applications, tenancies and renewals (Art. 25), on every write path: the add and edit
forms, REST POST and PUT, the XLSX import, the approval and the operations (配租, 入住, 退房).

Every number is a Standard of the unit kind (standards.py), in force for the record's
jurisdiction on the day the rule asks about; a missing standard refuses, it never passes.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from core.api import Rule, has_attachment
from plugins.housing.tenancies.models import (
    ELIGIBILITY_YEARS,
    LIVE_STATUSES,
    RENEWALS_MAX,
    TENANCY_MONTHS,
    Tenancy,
    TenancyApplication,
    TenancyRenewal,
    add_months,
)
from plugins.housing.units.models import UNIT_KINDS

ARTICLE = 25
#: an application still being decided or approved and not yet allocated holds its person
OPEN_APPLICATION = ("draft", "submitted", "rejected", "approved")


def _live(record, ctx) -> bool:
    return getattr(record, "voided_at", None) is None and ctx.action != "delete"


def _kind_text(kind) -> str:
    return str(UNIT_KINDS.get(kind, kind or ""))


def standard_value(ctx, kind: str, key: str, jurisdiction, on: dt.date | None):
    found = ctx.standard(kind, key, jurisdiction, on or ctx.today)
    return None if found is None else found.value


# --- applications ------------------------------------------------------------------------------


def _too_late(application: TenancyApplication, ctx):
    """第二十五条: only within the eligibility years of the transfer or recruitment."""
    if not _live(application, ctx) or application.event_on is None or application.reason == "other":
        return None
    submitting = ctx.changed(application, "state") and application.state == "submitted"
    if (
        ctx.action != "create"
        and not submitting
        and not ctx.changed(application, "event_on", "reason", "unit_kind")
    ):
        return None
    jurisdiction = ctx.related(application, "jurisdiction") or _org_jurisdiction(application, ctx)
    years = standard_value(ctx, ELIGIBILITY_YEARS, application.unit_kind, jurisdiction, ctx.today)
    if years is None:
        return None  # housing.standards_missing names it
    limit = add_months(application.event_on, int(years) * 12)
    if ctx.today > limit:
        return {"day": application.event_on.isoformat(), "years": int(years), "limit": limit.isoformat()}
    return None


def _org_jurisdiction(record, ctx):
    org = ctx.related(record, "organization")
    return org.jurisdiction if org is not None else None


def _no_home_missing(application: TenancyApplication, ctx):
    """第二十五条: the applicant declares that they have no home in the city."""
    if _live(application, ctx) and not application.no_home:
        return {"declared": False}
    return None


def _no_home_proof_missing(application: TenancyApplication, ctx):
    """第二十五条 (flag): submitted without the 无房证明 attached — the bureau verifies the declaration."""
    if not _live(application, ctx) or application.id is None:
        return None
    if not (ctx.changed(application, "state") and application.state == "submitted"):
        return None
    with ctx.session.no_autoflush:
        if has_attachment(ctx.session, "housing_tenancy_application", application.id, "no_home"):
            return None
    person = ctx.related(application, "person")
    return {"name": person.name if person is not None else ""}


def _application_standards_missing(application: TenancyApplication, ctx):
    """第二十五条: the eligibility years are a standard; without one nobody is checked, so refuse."""
    if not _live(application, ctx) or application.unit_kind not in UNIT_KINDS:
        return None
    jurisdiction = ctx.related(application, "jurisdiction") or _org_jurisdiction(application, ctx)
    if jurisdiction is None:
        return None
    if standard_value(ctx, ELIGIBILITY_YEARS, application.unit_kind, jurisdiction, ctx.today) is None:
        return {"kind": _kind_text(application.unit_kind)}
    return None


def open_holding(session, person_id, *, application_id=None, tenancy_id=None) -> str | None:
    """What else holds the person: an open application or a live tenancy (its text), or None."""
    if person_id is None:
        return None
    with session.no_autoflush:
        other = (
            session.execute(
                select(TenancyApplication).where(
                    TenancyApplication.person_id == person_id,
                    TenancyApplication.voided_at.is_(None),
                    TenancyApplication.state.in_(OPEN_APPLICATION),
                    TenancyApplication.allocated_on.is_(None),
                    TenancyApplication.id != (application_id or 0),
                )
            )
            .scalars()
            .first()
        )
        if other is not None:
            return str(_l("入住申请（%(state)s）", state=other.state_label))
        query = select(Tenancy).where(
            Tenancy.person_id == person_id,
            Tenancy.voided_at.is_(None),
            Tenancy.status.in_(LIVE_STATUSES),
            Tenancy.id != (tenancy_id or 0),
        )
        if application_id:
            query = query.where(
                or_(Tenancy.application_id.is_(None), Tenancy.application_id != application_id)
            )
        tenancy = session.execute(query).scalars().first()
        if tenancy is not None:
            return str(
                _l(
                    "租住 %(unit)s（%(status)s）",
                    unit=tenancy.unit.building + " " + tenancy.unit.unit_number,
                    status=tenancy.status_label,
                )
            )
    return None


def _one_open_application(application: TenancyApplication, ctx):
    """第二十五条: one open application or tenancy per person."""
    if not _live(application, ctx) or application.allocated_on is not None:
        return None
    if (application.state or "draft") not in OPEN_APPLICATION:
        return None
    person = ctx.related(application, "person")
    person_id = ctx.value(application, "person_id")
    held = None
    for other in ctx.new_before(application, TenancyApplication):  # earlier in this flush (an import)
        if (person_id is not None and ctx.value(other, "person_id") == person_id and _live(other, ctx)
                and other.allocated_on is None and (other.state or "draft") in OPEN_APPLICATION):
            held = str(_l("入住申请（%(state)s）", state=other.state_label))
            break
    held = held or open_holding(ctx.session, person_id, application_id=application.id)
    if held:
        return {"name": person.name if person is not None else "", "held": held}
    return None


# --- tenancies ---------------------------------------------------------------------------------


def _period_too_long(tenancy: Tenancy, ctx):
    """第二十五条: a tenancy is let for at most the longest tenancy period (周转住房 is temporary)."""
    if not _live(tenancy, ctx) or tenancy.start_on is None or tenancy.end_on is None:
        return None
    if ctx.action != "create" and (
        ctx.changed(tenancy, "renewals") or not ctx.changed(tenancy, "start_on", "end_on", "unit_id")
    ):
        return None  # an approved renewal moves the end: its own rule checked it
    unit = ctx.related(tenancy, "unit")
    if unit is None:
        return None
    months = standard_value(ctx, TENANCY_MONTHS, unit.kind, unit.jurisdiction, tenancy.start_on)
    if months is None:
        return None
    limit = add_months(tenancy.start_on, int(months))
    if tenancy.end_on > limit:
        return {"months": int(months), "limit": limit.isoformat(), "kind": unit.kind_label}
    return None


def _overlapping(tenancy: Tenancy, ctx):
    """第二十五条: a unit is let to one tenancy at a time — no two live tenancies overlap."""
    if not _live(tenancy, ctx) or (tenancy.status or "allocated") not in LIVE_STATUSES:
        return None
    unit_id = ctx.value(tenancy, "unit_id")
    if unit_id is None or tenancy.start_on is None or tenancy.end_on is None:
        return None
    for other in ctx.new_before(tenancy, Tenancy):  # earlier in this flush (an import)
        if (ctx.value(other, "unit_id") == unit_id and _live(other, ctx)
                and (other.status or "allocated") in LIVE_STATUSES
                and other.start_on is not None and other.end_on is not None
                and other.start_on <= tenancy.end_on and other.end_on >= tenancy.start_on):
            person = ctx.related(other, "person")
            return {"unit": str(ctx.related(tenancy, "unit") or ""), "other": other.period_text,
                    "name": person.name if person is not None else ""}
    with ctx.session.no_autoflush:
        other = (
            ctx.session.execute(
                select(Tenancy).where(
                    Tenancy.unit_id == unit_id,
                    Tenancy.voided_at.is_(None),
                    Tenancy.id != (tenancy.id or 0),
                    or_(
                        Tenancy.status.in_(LIVE_STATUSES),
                        (Tenancy.status == "checked_out")
                        & (func.coalesce(Tenancy.checked_out_on, Tenancy.end_on) >= tenancy.start_on),
                    ),
                    Tenancy.start_on <= tenancy.end_on,
                    Tenancy.end_on >= tenancy.start_on,
                )
            )
            .scalars()
            .first()
        )
    if other is not None and not (
        other.status == "checked_out"
        and other.checked_out_on is not None
        and other.checked_out_on <= tenancy.start_on
    ):
        return {
            "unit": str(ctx.related(tenancy, "unit") or ""),
            "other": other.period_text,
            "name": other.person.name if other.person is not None else "",
        }
    return None


def _unit_not_available(tenancy: Tenancy, ctx):
    """第二十五条: 配租 lets an available unit of the bureau's jurisdiction (the tenant's)."""
    if not _live(tenancy, ctx) or not (ctx.action == "create" or ctx.changed(tenancy, "unit_id")):
        return None
    unit = ctx.related(tenancy, "unit")
    if unit is None:
        return None
    if unit.status != "available" or unit.voided_at is not None:
        return {"unit": str(unit), "status": unit.status_label}
    return None


def _unit_elsewhere(tenancy: Tenancy, ctx):
    """第二十五条: the bureau lets units of its own jurisdiction to the organisations there."""
    if not _live(tenancy, ctx):
        return None
    unit = ctx.related(tenancy, "unit")
    jurisdiction = ctx.related(tenancy, "jurisdiction") or _org_jurisdiction(tenancy, ctx)
    if unit is None or jurisdiction is None:
        return None
    if unit.jurisdiction_id != jurisdiction.id and unit.jurisdiction.code not in jurisdiction.ancestor_codes:
        return {"unit": str(unit), "where": unit.jurisdiction.name}
    return None


def _rent_missing(tenancy: Tenancy, ctx):
    """第二十五条: the rent is the unit's area × the rent standard of its kind; none in force: refused."""
    if not _live(tenancy, ctx):
        return None
    unit = ctx.related(tenancy, "unit")
    if unit is not None and tenancy.rent_per_m2 is None:
        return {"kind": unit.kind_label}
    return None


def _one_tenancy(tenancy: Tenancy, ctx):
    """第二十五条: one live tenancy (or open application) per person."""
    if not _live(tenancy, ctx) or (tenancy.status or "allocated") not in LIVE_STATUSES:
        return None
    if ctx.action != "create" and not ctx.changed(tenancy, "person_id"):
        return None
    person_id = ctx.value(tenancy, "person_id")
    held = None
    for other in ctx.new_before(tenancy, Tenancy):  # earlier in this flush (an import)
        if (person_id is not None and ctx.value(other, "person_id") == person_id and _live(other, ctx)
                and (other.status or "allocated") in LIVE_STATUSES):
            unit = ctx.related(other, "unit")
            held = str(_l("租住 %(unit)s（%(status)s）",
                          unit=(unit.building + " " + unit.unit_number) if unit is not None else "",
                          status=other.status_label))
            break
    held = held or open_holding(
        ctx.session,
        person_id,
        tenancy_id=tenancy.id,
        application_id=ctx.value(tenancy, "application_id"),
    )
    if held:
        person = ctx.related(tenancy, "person")
        return {"name": person.name if person is not None else "", "held": held}
    return None


def _inventory_short(tenancy: Tenancy, ctx):
    """第二十五条 (flag): the check-in inventory lacks furnishing the unit is registered with."""
    if _live(tenancy, ctx) and tenancy.checkin_differences and ctx.changed(tenancy, "checkin_differences"):
        return {"unit": str(ctx.related(tenancy, "unit") or ""), "diff": tenancy.checkin_differences}
    return None


def _damages(tenancy: Tenancy, ctx):
    """第二十五条 (flag): damages or missing items noted at check-out, for the bureau to settle."""
    if _live(tenancy, ctx) and tenancy.damages and ctx.changed(tenancy, "damages"):
        return {"unit": str(ctx.related(tenancy, "unit") or ""), "damages": tenancy.damages}
    return None


# --- renewals ----------------------------------------------------------------------------------


def _renewal_tenancy(renewal, ctx):
    tenancy = ctx.related(renewal, "tenancy")
    return tenancy, (ctx.related(tenancy, "unit") if tenancy is not None else None)


def _renewal_too_long(renewal: TenancyRenewal, ctx):
    """第二十五条: a renewal extends the tenancy by at most the longest tenancy period."""
    if not _live(renewal, ctx) or renewal.new_end_on is None:
        return None
    tenancy, unit = _renewal_tenancy(renewal, ctx)
    base = renewal.previous_end_on or (tenancy.end_on if tenancy is not None else None)
    if unit is None or base is None:
        return None
    if renewal.new_end_on <= base:
        return None  # housing.renewal_after_end names it
    months = standard_value(ctx, TENANCY_MONTHS, unit.kind, unit.jurisdiction, base)
    if months is None:
        return None
    limit = add_months(base, int(months))
    if renewal.new_end_on > limit:
        return {"end": base.isoformat(), "months": int(months), "limit": limit.isoformat()}
    return None


def _renewal_not_after(renewal: TenancyRenewal, ctx):
    """第二十五条: the new end is after the current end."""
    if not _live(renewal, ctx) or renewal.new_end_on is None:
        return None
    tenancy, _unit = _renewal_tenancy(renewal, ctx)
    base = renewal.previous_end_on or (tenancy.end_on if tenancy is not None else None)
    if base is not None and renewal.new_end_on <= base:
        return {"end": base.isoformat()}
    return None


def _too_many_renewals(renewal: TenancyRenewal, ctx):
    """第二十五条: at most ``housing_renewals_max`` renewals of one tenancy."""
    if not _live(renewal, ctx) or renewal.state == "approved" and not ctx.changed(renewal, "state"):
        return None
    tenancy, unit = _renewal_tenancy(renewal, ctx)
    if tenancy is None or unit is None:
        return None
    most = standard_value(ctx, RENEWALS_MAX, unit.kind, unit.jurisdiction, ctx.today)
    if most is None:
        return None
    with ctx.session.no_autoflush:
        done = ctx.session.scalar(
            select(func.count(TenancyRenewal.id)).where(
                TenancyRenewal.tenancy_id == tenancy.id,
                TenancyRenewal.state == "approved",
                TenancyRenewal.voided_at.is_(None),
                TenancyRenewal.id != (renewal.id or 0),
            )
        )
    # the approved renewals of the tenancy before this one in the flush (an import)
    done += sum(1 for other in ctx.new_before(renewal, TenancyRenewal)
                if other.state == "approved" and other.voided_at is None
                and ctx.related(other, "tenancy") is tenancy)
    if done >= int(most):
        return {"most": int(most), "done": done}
    return None


def _renewal_of_checked_in(renewal: TenancyRenewal, ctx):
    """第二十五条: only a checked-in tenancy is renewed."""
    if not _live(renewal, ctx) or renewal.state == "approved" and not ctx.changed(renewal, "state"):
        return None
    tenancy, _unit = _renewal_tenancy(renewal, ctx)
    if tenancy is not None and (tenancy.status != "checked_in" or tenancy.voided_at is not None):
        return {"status": tenancy.status_label}
    return None


RULES = [
    Rule(
        key="housing.application_eligibility_years",
        article=ARTICLE,
        severity="block",
        model=TenancyApplication,
        message=_l(
            "调入或录用日期 %(day)s 距今已超过申请资格年限 %(years)s 年（应在 %(limit)s 前申请），"
            "不符合入住条件"
        ),
        check=_too_late,
    ),
    Rule(
        key="housing.application_no_home",
        article=ARTICLE,
        severity="block",
        model=TenancyApplication,
        message=_l("申请人须声明本市无住房（并附无房证明）方可申请入住周转住房"),
        check=_no_home_missing,
    ),
    Rule(
        key="housing.application_no_home_proof",
        article=ARTICLE,
        severity="flag",
        model=TenancyApplication,
        message=_l("%(name)s 的入住申请提交时未上传无房证明，请核实本市无住房声明"),
        check=_no_home_proof_missing,
    ),
    Rule(
        key="housing.application_standard",
        article=ARTICLE,
        severity="block",
        model=TenancyApplication,
        message=_l("本辖区未设定%(kind)s申请资格年限标准，无法审核入住资格，请先在标准中设定"),
        check=_application_standards_missing,
    ),
    Rule(
        key="housing.application_one_open",
        article=ARTICLE,
        severity="block",
        model=TenancyApplication,
        message=_l("%(name)s 已有%(held)s，每人只能有一份在办的入住申请或一处租住"),
        check=_one_open_application,
    ),
    Rule(
        key="housing.tenancy_period",
        article=ARTICLE,
        severity="block",
        model=Tenancy,
        message=_l("租期超过%(kind)s最长租期 %(months)s 个月（截止日最晚为 %(limit)s）"),
        check=_period_too_long,
    ),
    Rule(
        key="housing.tenancy_overlap",
        article=ARTICLE,
        severity="block",
        model=Tenancy,
        message=_l("%(unit)s 在该期间已租给%(name)s（%(other)s），同一房源的租期不能重叠"),
        check=_overlapping,
    ),
    Rule(
        key="housing.tenancy_unit_available",
        article=ARTICLE,
        severity="block",
        model=Tenancy,
        message=_l("%(unit)s 当前状态为“%(status)s”，只能配租空置可配租的房源"),
        check=_unit_not_available,
    ),
    Rule(
        key="housing.tenancy_unit_jurisdiction",
        article=ARTICLE,
        severity="block",
        model=Tenancy,
        message=_l("%(unit)s 属于%(where)s，只能配租本辖区的房源"),
        check=_unit_elsewhere,
    ),
    Rule(
        key="housing.tenancy_rent_standard",
        article=ARTICLE,
        severity="block",
        model=Tenancy,
        message=_l("本辖区未设定%(kind)s租金标准，无法计算月租金，请先在标准中设定"),
        check=_rent_missing,
    ),
    Rule(
        key="housing.tenancy_one_per_person",
        article=ARTICLE,
        severity="block",
        model=Tenancy,
        message=_l("%(name)s 已有%(held)s，每人只能有一处租住"),
        check=_one_tenancy,
    ),
    Rule(
        key="housing.checkin_inventory",
        article=ARTICLE,
        severity="flag",
        model=Tenancy,
        message=_l("%(unit)s 入住物品清单与房源配套家具家电不符：%(diff)s，请核实"),
        check=_inventory_short,
    ),
    Rule(
        key="housing.checkout_damages",
        article=ARTICLE,
        severity="flag",
        model=Tenancy,
        message=_l("%(unit)s 退房时登记损坏或缺失：%(damages)s，请按规定处理"),
        check=_damages,
    ),
    Rule(
        key="housing.renewal_after_end",
        article=ARTICLE,
        severity="block",
        model=TenancyRenewal,
        message=_l("续租后的租期截止日应晚于现租期截止日 %(end)s"),
        check=_renewal_not_after,
    ),
    Rule(
        key="housing.renewal_period",
        article=ARTICLE,
        severity="block",
        model=TenancyRenewal,
        message=_l("每次续租不得超过最长租期 %(months)s 个月（现租期截止 %(end)s，续租最晚至 %(limit)s）"),
        check=_renewal_too_long,
    ),
    Rule(
        key="housing.renewal_max",
        article=ARTICLE,
        severity="block",
        model=TenancyRenewal,
        message=_l("该租住已续租 %(done)s 次，达到续租次数上限 %(most)s 次，不能再续租"),
        check=_too_many_renewals,
    ),
    Rule(
        key="housing.renewal_checked_in",
        article=ARTICLE,
        severity="block",
        model=TenancyRenewal,
        message=_l("租住状态为“%(status)s”，只有已入住的租住才能续租"),
        check=_renewal_of_checked_in,
    ),
]
