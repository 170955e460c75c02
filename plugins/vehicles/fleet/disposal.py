"""The checks and the effects of a vehicle's disposal (Art. 30), called by its approval
(``VehicleDisposal.on_transition``) and by the rules on the application.

- 按规定程序处置: the vehicle leaves the fleet (已处置) and its card is marked 待处置 — the
  card's own disposal (拍卖、报废 …, Art. 19) is done in the assets module, whose approval marks
  the card 已处置; the vehicle follows it (derivations.py).
- 调剂: the vehicle and its card move to the receiving organisation, which must have room in its
  establishment (Art. 27): the card is written through the reference (``vehicle.asset``), so the
  assets module's own derivation records the card's movement and the vehicle follows its card.
- 厂家回收: the vehicle and its card are disposed; the 回收证明 is attached before submission.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.api import WorkflowError, current_scope, has_attachment, local_today, related_target
from plugins.vehicles.fleet.establishment import room_problem
from plugins.vehicles.fleet.models import DISPOSAL_METHODS, VehicleDisposal

#: states of an application still under way
OPEN_STATES = ("draft", "submitted", "rejected")
TAKEBACK_PAPER = "takeback"


def disposal_problem(session, disposal: VehicleDisposal) -> str | None:
    """Why the application cannot stand as written (Art. 30), else None."""
    with session.no_autoflush:
        vehicle = related_target(session, disposal, "vehicle")
        owner = related_target(session, disposal, "organization")
        target = related_target(session, disposal, "target")
        if disposal.method not in DISPOSAL_METHODS:
            return _("未知的处置方式：%(value)s", value=disposal.method)
        if vehicle is None or owner is None:
            return None
        if (disposal.state or "draft") in OPEN_STATES:  # a new one is a draft (the column's default)
            if vehicle.organization_id != owner.id:
                return _(
                    "车辆 %(plate)s 不属于%(org)s，不能由该单位申请处置", plate=vehicle.plate, org=owner.name
                )
            if (vehicle.status or "in_service") != "in_service" or vehicle.voided_at is not None:
                return _("车辆 %(plate)s 已处置或已作废，不能再申请处置", plate=vehicle.plate)
            query = select(VehicleDisposal.id).where(
                VehicleDisposal.vehicle_id == vehicle.id, VehicleDisposal.state.in_(("submitted",))
            )
            if disposal.id is not None:
                query = query.where(VehicleDisposal.id != disposal.id)
            if session.execute(query.limit(1)).first() is not None:
                return _("车辆 %(plate)s 已有待审批的处置申请，不能重复申请", plate=vehicle.plate)
        if disposal.method == "reallocation":
            if target is None:
                return _("处置方式为“调剂”的，必须填写调入单位")
            if target.id == owner.id:
                return _("调入单位不能是申请单位本身")
            here = related_target(session, owner, "jurisdiction")
            there = related_target(session, target, "jurisdiction")
            if here is not None and there is not None and not (there.path or "").startswith(here.path or "/"):
                return _(
                    "调入单位“%(target)s”不在申请单位所在辖区（%(jur)s）或其下级辖区内，不能调剂",
                    target=target.name,
                    jur=here.name,
                )
        elif target is not None:
            return _("只有处置方式为“调剂”的申请才填写调入单位")
        if disposal.method == "takeback" and not (disposal.manufacturer or "").strip():
            return _("处置方式为“厂家回收”的，必须填写回收厂家")
    return None


def target_room(session, disposal: VehicleDisposal, on) -> dict | None:
    """Art. 27 for a 调剂: the receiving organisation has room for one more of the category."""
    if disposal.method != "reallocation":
        return None
    with session.no_autoflush:
        vehicle = related_target(session, disposal, "vehicle")
        target = related_target(session, disposal, "target")
        if vehicle is None or target is None:
            return None
        return room_problem(session, target, vehicle.category, on)


def _room_message(problem: dict) -> str:
    return _(
        "%(org)s的%(category)s编制为 %(quota)s 辆，已有 %(held)s 辆，不能再增加（《办法》第二十七条）",
        **problem,
    )


def check_submit(session, disposal: VehicleDisposal) -> None:
    problem = disposal_problem(session, disposal)
    if problem:
        raise WorkflowError(problem, status=422)
    room = target_room(session, disposal, local_today())
    if room:
        raise WorkflowError(_room_message(room), status=422)
    if disposal.method == "takeback" and not has_attachment(
        session, "vehicle_disposal", disposal.id, TAKEBACK_PAPER
    ):
        raise WorkflowError(_("厂家回收须先上传厂家出具的回收证明，再提交（《办法》第三十条）"), status=422)


def apply_disposal(session, disposal: VehicleDisposal) -> list[str]:
    """The approval's effect on the vehicle and its card; what changed, for the user."""
    if current_scope().kind == "organization":
        raise WorkflowError(_("公务用车处置须由机关事务管理部门审批（《办法》第三十条）"), status=403)
    vehicle = disposal.vehicle
    card = vehicle.asset
    today = local_today()
    if disposal.method == "reallocation":
        room = target_room(session, disposal, today)
        if room:
            raise WorkflowError(_room_message(room), status=422)
        target = disposal.target
        # the card is the truth for the organisation: move it; the vehicle follows its card
        card.organization_id = target.id
        card.jurisdiction_id = target.jurisdiction_id
        card.custodian_id = None  # a person of the giving organisation
        vehicle.organization_id = target.id
        vehicle.jurisdiction_id = target.jurisdiction_id
        return [_("车辆 %(plate)s 及其资产卡片调剂至“%(org)s”", plate=vehicle.plate, org=target.name)]
    vehicle.status = "disposed"
    vehicle.disposed_on = today
    if disposal.method == "takeback":
        card.status = "disposed"
        return [_("车辆 %(plate)s 已处置（厂家回收），资产卡片状态改为“已处置”", plate=vehicle.plate)]
    if card.status not in ("disposed", "pending_disposal"):
        card.status = "pending_disposal"
    return [_("车辆 %(plate)s 已处置，资产卡片改为“待处置”，请在资产管理中办理资产处置", plate=vehicle.plate)]
