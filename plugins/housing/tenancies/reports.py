"""周转住房台账, 入住/退出登记表 and 超期占用清单 (Art. 25: 调配、运营 of turnover housing)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.api import Report, beijing_today, chinese_date, current_scope, db, scoped
from plugins.housing.tenancies.dashboard import overdue_tenancies
from plugins.housing.tenancies.models import LIVE_STATUSES, Tenancy
from plugins.housing.tenancies.operations import inventory_lines
from plugins.housing.units.models import HousingUnit


class NoParams(Schema):
    pass


def register_context(params: dict, scope) -> dict:
    """Every unit of the scope with its current tenancy (allocated or checked in), if any."""
    units = (
        db.session.execute(
            scoped(
                select(HousingUnit)
                .where(HousingUnit.voided_at.is_(None))
                .options(selectinload(HousingUnit.organization))
                .order_by(HousingUnit.jurisdiction_id, HousingUnit.building, HousingUnit.unit_number),
                HousingUnit,
                scope,
            )
        )
        .scalars()
        .all()
    )
    current: dict[int, Tenancy] = {}
    if units:
        for tenancy in db.session.execute(
            select(Tenancy)
            .where(
                Tenancy.unit_id.in_([u.id for u in units]),
                Tenancy.voided_at.is_(None),
                Tenancy.status.in_(LIVE_STATUSES),
            )
            .options(selectinload(Tenancy.person), selectinload(Tenancy.organization))
        ).scalars():
            current[tenancy.unit_id] = tenancy
    rows = [{"unit": unit, "tenancy": current.get(unit.id)} for unit in units]
    return {
        "rows": rows,
        "period": _("截至 %(day)s", day=chinese_date(beijing_today())),
        "total_area": sum(unit.area for unit in units),
        "occupied": sum(1 for row in rows if row["tenancy"] is not None),
        "total_rent": sum(row["tenancy"].monthly_rent or 0 for row in rows if row["tenancy"] is not None),
    }


def find_tenancy(value, scope):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return db.session.execute(
        scoped(select(Tenancy).where(Tenancy.id == pk), Tenancy, scope)
    ).scalar_one_or_none()


class FormParams(Schema):
    tenancy = fields.String(
        required=True,
        metadata={"label": _l("租住"), "description": _l("租住记录编号"), "record": "housing_tenancy"},
    )

    @validates("tenancy")
    def _exists(self, value, **_kw):
        if find_tenancy(value, current_scope()) is None:
            raise ValidationError(_("租住记录不存在或不在您的权限范围内"))


def form_context(params: dict, scope) -> dict:
    tenancy = find_tenancy(params["tenancy"], scope)
    if tenancy is None:
        return {"tenancy": None, "period": ""}
    return {
        "tenancy": tenancy,
        "period": tenancy.period_text,
        "checkin": inventory_lines(tenancy.checkin_inventory),
        "checkout": inventory_lines(tenancy.checkout_inventory),
    }


def overdue_context(params: dict, scope) -> dict:
    today = beijing_today()
    rows = [
        {"tenancy": tenancy, "due": due, "days": (today - due).days}
        for tenancy, due in overdue_tenancies(scope, today)
    ]
    return {"rows": rows, "period": _("截至 %(day)s", day=chinese_date(today))}


def reports() -> list[Report]:
    return [
        Report(
            key="housing_register",
            label=_l("周转住房台账"),
            params_schema=NoParams,
            build_context=register_context,
            template="housing/tenancies_register.html",
            orientation="landscape",
            signatures=(_l("制表人"), _l("审核人"), _l("负责人")),
            description=_l(
                "本辖区全部周转住房、人才公寓：房型、面积、状态、现承租人及单位、租期、月租金（第二十五条）"
            ),
        ),
        Report(
            key="housing_tenancy_form",
            label=_l("周转住房入住/退出登记表"),
            params_schema=FormParams,
            build_context=form_context,
            template="housing/tenancies_form.html",
            prints="housing_tenancy",
            signatures=(_l("承租人"), _l("承租人单位经办人"), _l("机关事务管理部门经办人")),
            description=_l(
                "一次租住的入住和退房登记：房源、承租人、租期、租金、入住和退房物品清单、"
                "损坏缺失情况（第二十五条）"
            ),
        ),
        Report(
            key="housing_overdue",
            label=_l("周转住房超期占用清单"),
            params_schema=NoParams,
            build_context=overdue_context,
            template="housing/tenancies_overdue.html",
            orientation="landscape",
            signatures=(_l("制表人"), _l("审核人"), _l("负责人")),
            description=_l("租期届满并超过退房期限仍未退房的租住（第二十五条）"),
        ),
    ]
