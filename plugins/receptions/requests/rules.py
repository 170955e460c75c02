"""Rules of receptions (Art. 34 with 国内公务接待管理规定), all blocking, on every write path.

Each reads its numbers from a Standard (standards.py). The rules on the reception itself run on
every write of it, the submission and the approval included (a transition writes the record),
so what was fixed on a line after the cap moved is caught when it is submitted.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.receptions.requests.models import (
    COMPANION_CAP,
    FORBIDDEN_ITEMS,
    LODGING_CAP,
    MEAL_CAP,
    Reception,
    ReceptionCompanion,
    ReceptionLodging,
    ReceptionMeal,
    ReceptionSettlement,
    companion_limit,
    has_letter,
)

#: states in which the reception has been submitted (its letter must be there)
SUBMITTED = ("submitted", "approved")


def _jurisdiction(record, ctx):
    return ctx.related(record, "jurisdiction")


def _reception_jurisdiction(line, ctx):
    reception = ctx.related(line, "reception")
    return ctx.related(reception, "jurisdiction") if reception is not None else None


def companion_cap(ctx, jurisdiction, guests: int) -> int | None:
    """The companions allowed for ``guests`` by the standard in force (None: no standard)."""
    found = {key: ctx.standard(COMPANION_CAP, key, jurisdiction)
             for key in ("small_group_max", "small_group_companions", "large_group_ratio")}
    if jurisdiction is None or any(standard is None for standard in found.values()):
        return None
    return companion_limit(guests, int(found["small_group_max"].value),
                           int(found["small_group_companions"].value),
                           Decimal(found["large_group_ratio"].value))


def _no_letter(reception: Reception, ctx):
    """第三十四条: 无公函的公务活动一律不予接待 — checked when it is submitted (and after)."""
    if reception.state in SUBMITTED and not has_letter(ctx.session, reception):
        return {"unit": reception.guest_unit}
    return None


def _declared(reception: Reception, ctx):
    """第三十四条: no banquet above the standard, tobacco, premium liquor, gifts, delicacies, ceremonies."""
    if reception.declared_item:
        return {"item": FORBIDDEN_ITEMS.get(reception.declared_item, reception.declared_item)}
    return None


def _too_many(reception: Reception, ctx, companions: int):
    cap = companion_cap(ctx, _jurisdiction(reception, ctx), len(reception.guests))
    if cap is not None and companions > cap:
        return {"guests": len(reception.guests), "cap": cap, "companions": companions}
    return None


def _companions_of_reception(reception: Reception, ctx):
    """第三十四条 (规定第九条): 陪餐 at most 3 up to 10 guests, else a third of the guests."""
    return _too_many(reception, ctx, len(reception.companions))


def _companion_line(line: ReceptionCompanion, ctx):
    """第三十四条: adding a companion beyond the cap of the reception's guests is refused."""
    reception = ctx.related(line, "reception")
    if reception is None or ctx.action == "delete":
        return None
    others = [c for c in reception.companions if c is not line]
    # companions of this flush before this one set only by their key (an import's chunk)
    others += [c for c in ctx.new_before(line, ReceptionCompanion)
               if c not in others and ctx.related(c, "reception") is reception]
    return _too_many(reception, ctx, len(others) + 1)


def _meal_over(meal: ReceptionMeal, ctx):
    """第三十四条: 工作餐 per person per meal within the standard of its meal kind."""
    if meal.per_person is None or not meal.kind:
        return None
    standard = ctx.standard(MEAL_CAP, meal.kind, _reception_jurisdiction(meal, ctx), meal.meal_on)
    if standard is not None and Decimal(meal.per_person) > Decimal(standard.value):
        return {"kind": meal.kind_label, "price": format(Decimal(meal.per_person), ",.2f"),
                "cap": format(Decimal(standard.value), ",.2f")}
    return None


def _lodging_off_list(lodging: ReceptionLodging, ctx):
    """第三十四条: lodging only at a designated hotel of the host's jurisdiction or above, on a
    day of its designation, at no more than its agreed price for the room type."""
    hotel = ctx.related(lodging, "hotel")
    jurisdiction = _reception_jurisdiction(lodging, ctx)
    if hotel is None or jurisdiction is None:
        return None
    where = ctx.related(hotel, "jurisdiction")
    serves = where is not None and (jurisdiction.path or "").startswith(where.path or "/")
    if not serves or not hotel.designated_on(lodging.check_in):
        return {"hotel": hotel.name, "why": _("不是本辖区在该日期有效的定点接待酒店")}
    agreed = hotel.agreed_price(lodging.room_type)
    if agreed is None:
        return {"hotel": hotel.name, "why": _("该房型没有协议价格")}
    if lodging.price is not None and Decimal(lodging.price) > Decimal(agreed):
        return {"hotel": hotel.name,
                "why": _("价格高于协议价 %(agreed)s 元", agreed=format(Decimal(agreed), ",.2f"))}
    return None


def _lodging_over_cap(lodging: ReceptionLodging, ctx):
    """第三十四条: the room's price within the lodging standard of its room type."""
    if lodging.price is None or not lodging.room_type:
        return None
    standard = ctx.standard(LODGING_CAP, lodging.room_type, _reception_jurisdiction(lodging, ctx),
                            lodging.check_in)
    if standard is not None and Decimal(lodging.price) > Decimal(standard.value):
        return {"room": lodging.room_type_label, "price": format(Decimal(lodging.price), ",.2f"),
                "cap": format(Decimal(standard.value), ",.2f")}
    return None


def _settled_unapproved(settlement: ReceptionSettlement, ctx):
    """第三十四条: what is paid is paid for an approved reception, once."""
    reception = ctx.related(settlement, "reception")
    if reception is None or settlement.voided_at is not None:
        return None
    if reception.state != "approved":
        return {"reception": reception, "why": _("尚未批准")}
    if any(other is not settlement and other.voided_at is None for other in reception.settlements):
        return {"reception": reception, "why": _("已有接待结算，如需更正请先作废原结算")}
    return None


def on_submit(check, lines: str):
    """The line rule ``check`` over every line of a reception being submitted or approved: a cap
    may have moved since the line was written, and the bureau decides on what is in force."""

    def run(reception: Reception, ctx):
        if reception.state not in SUBMITTED:
            return None
        for line in getattr(reception, lines):
            found = check(line, ctx)
            if found:
                return found
        return None

    run.__doc__ = check.__doc__
    return run


RULES = [
    Rule(key="receptions.letter_required", article=34, severity="block", model=Reception,
         message=_l("无公函的公务活动一律不予接待：请先上传“%(unit)s”的公函（附件类别“公函”）再提交"),
         check=_no_letter),
    Rule(key="receptions.forbidden_items", article=34, severity="block", model=Reception,
         message=_l("公务接待不得安排%(item)s：不得超标准接待，不得提供香烟和高档酒水，不得赠送礼品，"
                    "不得使用鱼翅燕窝等菜肴，不得组织迎送仪式"),
         check=_declared),
    Rule(key="receptions.companions_cap", article=34, severity="block", model=Reception,
         message=_l("接待对象 %(guests)s 人，陪餐人数不得超过 %(cap)s 人，现有 %(companions)s 人"),
         check=_companions_of_reception),
    Rule(key="receptions.companion_line_cap", article=34, severity="block", model=ReceptionCompanion,
         message=_l("接待对象 %(guests)s 人，陪餐人数不得超过 %(cap)s 人，新增后为 %(companions)s 人"),
         check=_companion_line),
    Rule(key="receptions.meal_cap", article=34, severity="block", model=ReceptionMeal,
         message=_l("%(kind)s人均 %(price)s 元，超过工作餐标准 %(cap)s 元/人·餐"),
         check=_meal_over),
    Rule(key="receptions.designated_hotel", article=34, severity="block", model=ReceptionLodging,
         message=_l("接待住宿应安排在定点接待酒店并按协议价格结算：“%(hotel)s”%(why)s"),
         check=_lodging_off_list),
    Rule(key="receptions.lodging_cap", article=34, severity="block", model=ReceptionLodging,
         message=_l("%(room)s每间每天 %(price)s 元，超过接待住宿标准 %(cap)s 元"),
         check=_lodging_over_cap),
    Rule(key="receptions.settlement_approved", article=34, severity="block", model=ReceptionSettlement,
         message=_l("“%(reception)s”%(why)s，不能登记接待结算：公务接待须经审批，按审批事项结算"),
         check=_settled_unapproved),
    Rule(key="receptions.meal_cap_on_submit", article=34, severity="block", model=Reception,
         message=_l("%(kind)s人均 %(price)s 元，超过工作餐标准 %(cap)s 元/人·餐"),
         check=on_submit(_meal_over, "meals")),
    Rule(key="receptions.designated_hotel_on_submit", article=34, severity="block", model=Reception,
         message=_l("接待住宿应安排在定点接待酒店并按协议价格结算：“%(hotel)s”%(why)s"),
         check=on_submit(_lodging_off_list, "lodgings")),
    Rule(key="receptions.lodging_cap_on_submit", article=34, severity="block", model=Reception,
         message=_l("%(room)s每间每天 %(price)s 元，超过接待住宿标准 %(cap)s 元"),
         check=on_submit(_lodging_over_cap, "lodgings")),
]
