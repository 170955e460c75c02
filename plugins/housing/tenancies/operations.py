"""配租, 入住, 退房, 续租申请 and 作废 (Art. 25: 调配、运营).

配租 (the bureau, on an approved application) picks an available unit of its jurisdiction of the
kind wanted and creates the tenancy: its end is at most ``housing_tenancy_months`` after its start
(the rule refuses a longer one), its rent is derived. 入住 and 退房 record the inventories (one line
per item: "物品 数量 状况"); the check-in inventory is compared with the unit's furnishing. The
unit's status follows (derivations.py). 续租申请 opens a renewal for the bureau to approve.
"""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from catalog.models import standard_in_force
from core.api import Operation, OperationError, db, join_items, local_today, scoped, void_operation
from plugins.housing.tenancies.models import (
    TENANCY_MONTHS,
    Tenancy,
    TenancyApplication,
    TenancyRenewal,
    add_months,
)
from plugins.housing.units.models import HousingUnit

_ITEM = re.compile(r"^\s*(?P<name>[^\s\d]+)\s*(?P<count>\d+)?\s*(?P<rest>.*)$")


def parse_items(text: str | None, separators: str = "、,，;；\n") -> dict[str, int]:
    """ "床 2、衣柜 2" or lines "床 2 完好" → {"床": 2, "衣柜": 2} (a missing count is 1)."""
    items: dict[str, int] = {}
    for part in re.split("[" + re.escape(separators) + "]", text or ""):
        found = _ITEM.match(part)
        if not part.strip() or found is None:
            continue
        items[found["name"]] = items.get(found["name"], 0) + int(found["count"] or 1)
    return items


def inventory_lines(text: str | None) -> list[tuple[str, str, str]]:
    """The inventory's lines as (item, count, condition), for the forms and the report."""
    lines = []
    for line in (text or "").splitlines():
        found = _ITEM.match(line)
        if line.strip() and found is not None:
            lines.append((found["name"], found["count"] or "1", found["rest"].strip()))
    return lines


def differences(expected: dict[str, int], found: dict[str, int]) -> str:
    """What ``found`` lacks against ``expected``: 冰箱 缺 1、书桌 缺 1 ("" when nothing)."""
    short = [
        _("%(item)s缺 %(n)s", item=item, n=count - found.get(item, 0))
        for item, count in expected.items()
        if found.get(item, 0) < count
    ]
    return join_items(short)


def _inventory_field(label, description):
    return fields.String(
        required=True, metadata={"label": label, "widget": "textarea", "description": description}
    )


def _non_blank(value):
    if not (value or "").strip():
        raise ValidationError(_("请填写物品清单，每行一项：物品 数量 状况"))


# --- 配租 ---------------------------------------------------------------------------------------


def available_units(application: TenancyApplication):
    """Available units of the application's jurisdiction of the kind wanted, that the viewer reads."""
    query = (
        select(HousingUnit)
        .where(
            HousingUnit.status == "available",
            HousingUnit.voided_at.is_(None),
            HousingUnit.kind == application.unit_kind,
            HousingUnit.jurisdiction_id == application.jurisdiction_id,
        )
        .order_by(HousingUnit.building, HousingUnit.unit_number)
    )
    return db.session.execute(scoped(query, HousingUnit)).scalars().all()


def _unit_choices(application):
    return [(unit.id, f"{unit}（{unit.area} m²）") for unit in available_units(application)]


def longest_end(session, unit: HousingUnit, start: dt.date) -> dt.date | None:
    found = standard_in_force(session, TENANCY_MONTHS, unit.kind, unit.jurisdiction, start)
    return None if found is None else add_months(start, int(found.value))


class AllocateParams(Schema):
    unit_id = fields.Integer(
        required=True,
        metadata={
            "label": _l("房源"),
            "choices": _unit_choices,
            "invalid": _l("不是本辖区空置可配租的同类房源"),
            "description": _l("本辖区空置可配租的、申请房型的房源"),
        },
    )
    start_on = fields.Date(
        required=True, metadata={"label": _l("租期起始日"), "prefill": lambda _application: local_today()}
    )
    end_on = fields.Date(
        load_default=None,
        metadata={
            "label": _l("租期截止日"),
            "description": _l("不填按最长租期计算；超过最长租期的不予配租（第二十五条）"),
        },
    )
    note = fields.String(load_default=None, metadata={"label": _l("备注")})


def _allocate(application: TenancyApplication, params):
    unit = db.session.get(HousingUnit, params["unit_id"])
    if unit is None:
        raise OperationError(_("房源不存在"), 422)
    end = params.get("end_on") or longest_end(db.session, unit, params["start_on"])
    if end is None:
        raise OperationError(
            _("本辖区未设定%(kind)s最长租期标准，无法配租（《办法》第二十五条）", kind=unit.kind_label), 422
        )
    if end < params["start_on"]:
        raise OperationError(_("租期截止日不能早于起始日"), 422)
    tenancy = Tenancy(
        unit=unit,
        application=application,
        organization_id=application.organization_id,
        person_id=application.person_id,
        start_on=params["start_on"],
        end_on=end,
        note=params.get("note"),
    )
    db.session.add(tenancy)
    application.allocated_on = local_today()
    return tenancy


# --- 入住 and 退房 ------------------------------------------------------------------------------


class CheckInParams(Schema):
    checked_in_on = fields.Date(
        required=True, metadata={"label": _l("入住日期"), "prefill": lambda tenancy: tenancy.start_on}
    )
    inventory = _inventory_field(
        _l("入住物品清单"), _l("每行一项：物品 数量 状况，例如“床 2 完好”；与房源配套家具家电核对")
    )

    @validates("inventory")
    def _inventory(self, value, **_kw):
        _non_blank(value)


def _check_in(tenancy: Tenancy, params):
    if params["checked_in_on"] < tenancy.start_on:
        raise OperationError(_("入住日期不能早于租期起始日 %(day)s", day=tenancy.start_on.isoformat()), 422)
    tenancy.status = "checked_in"
    tenancy.checked_in_on = params["checked_in_on"]
    tenancy.checkin_inventory = params["inventory"].strip()
    furnishing = parse_items(tenancy.unit.furnishing)
    tenancy.checkin_differences = (
        differences(furnishing, parse_items(tenancy.checkin_inventory, "\n")) or None
    )
    return tenancy


class CheckOutParams(Schema):
    checked_out_on = fields.Date(
        required=True, metadata={"label": _l("退房日期"), "prefill": lambda _tenancy: local_today()}
    )
    inventory = _inventory_field(_l("退房物品清单"), _l("每行一项：物品 数量 状况，与入住物品清单核对"))
    damages = fields.String(
        load_default=None,
        metadata={
            "label": _l("损坏、缺失情况"),
            "widget": "textarea",
            "description": _l("没有损坏缺失的留空；与入住清单相比缺少的物品自动列入"),
        },
    )

    @validates("inventory")
    def _inventory(self, value, **_kw):
        _non_blank(value)


def _check_out(tenancy: Tenancy, params):
    if tenancy.checked_in_on and params["checked_out_on"] < tenancy.checked_in_on:
        raise OperationError(
            _("退房日期不能早于入住日期 %(day)s", day=tenancy.checked_in_on.isoformat()), 422
        )
    tenancy.status = "checked_out"
    tenancy.checked_out_on = params["checked_out_on"]
    tenancy.checkout_inventory = params["inventory"].strip()
    missing = differences(
        parse_items(tenancy.checkin_inventory, "\n"), parse_items(tenancy.checkout_inventory, "\n")
    )
    noted = "；".join(part for part in ((params.get("damages") or "").strip(), missing) if part)
    tenancy.damages = noted or None
    return tenancy


# --- 续租申请 -----------------------------------------------------------------------------------


class RenewParams(Schema):
    new_end_on = fields.Date(
        required=True,
        metadata={
            "label": _l("续租至"),
            "description": _l("每次续租不超过最长租期，续租次数不超过上限（第二十五条）"),
        },
    )
    reason = fields.String(required=True, metadata={"label": _l("续租理由"), "widget": "textarea"})

    @validates("reason")
    def _reason(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("请填写续租理由"))


def _renew(tenancy: Tenancy, params):
    renewal = TenancyRenewal(
        tenancy=tenancy, new_end_on=params["new_end_on"], reason=params["reason"].strip()
    )
    db.session.add(renewal)
    return renewal


def operations() -> list[Operation]:
    return [
        Operation(
            key="allocate",
            label=_l("配租"),
            entity="housing_tenancy_application",
            run=_allocate,
            params=AllocateParams,
            changes=("allocated_on",),
            permission="approve",
            when={"state": ("approved",), "allocated_on": (None,)},
            description=_l(
                "为审核通过的申请人配租本辖区空置可配租的房源，租期不超过最长租期，"
                "月租金按建筑面积和租金标准计算（第二十五条）"
            ),
        ),
        void_operation("housing_tenancy_application"),
        Operation(
            key="check_in",
            label=_l("入住登记"),
            entity="housing_tenancy",
            run=_check_in,
            params=CheckInParams,
            changes=("status", "checked_in_on", "checkin_inventory", "checkin_differences"),
            permission="approve",
            when={"status": ("allocated",)},
            description=_l("登记入住日期和入住物品清单，房源状态改为已入住（第二十五条）"),
        ),
        Operation(
            key="check_out",
            label=_l("退房登记"),
            entity="housing_tenancy",
            run=_check_out,
            params=CheckOutParams,
            changes=("status", "checked_out_on", "checkout_inventory", "damages"),
            permission="approve",
            when={"status": ("checked_in",)},
            description=_l("登记退房日期、退房物品清单和损坏缺失情况，房源恢复空置可配租（第二十五条）"),
            confirm=_l("退房登记后不能修改；如有错误，请作废后重新登记。"),
        ),
        Operation(
            key="renew",
            label=_l("续租申请"),
            entity="housing_tenancy",
            run=_renew,
            params=RenewParams,
            when={"status": ("checked_in",)},
            description=_l("申请延长租期，提交后经机关事务管理部门批准生效（第二十五条）"),
        ),
        void_operation("housing_tenancy"),
        void_operation("housing_tenancy_renewal"),
    ]
