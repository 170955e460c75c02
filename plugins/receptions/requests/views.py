"""Screens of receptions (公务接待): the 审批单 with its lines, and the settlement."""

from __future__ import annotations

from flask_appbuilder.models.sqla.filters import FilterEqual, FilterNotEqual
from flask_babel import lazy_gettext as _l

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.receptions.hotels.models import ROOM_TYPES
from plugins.receptions.requests.models import (
    FORBIDDEN_ITEMS,
    MEAL_KINDS,
    Reception,
    ReceptionCompanion,
    ReceptionGuest,
    ReceptionLodging,
    ReceptionMeal,
    ReceptionSettlement,
)

#: lines are added while the reception is a draft or returned
OPEN = [["state", FilterNotEqual, "submitted"], ["state", FilterNotEqual, "approved"]]


class _LineView(ScopedModelView):
    search_columns = ["reception"]
    add_form_query_rel_fields = {"reception": OPEN}
    edit_form_query_rel_fields = add_form_query_rel_fields


class ReceptionGuestView(_LineView):
    datamodel = ScopedInterface(ReceptionGuest)
    list_title = _l("接待对象")
    list_columns = ["reception", "name", "post", "unit"]
    add_columns = ["reception", "name", "post", "unit"]
    edit_columns = show_columns = add_columns
    label_columns = {"reception": _l("接待审批单"), "name": _l("姓名"), "post": _l("职务"),
                     "unit": _l("所在单位")}


class ReceptionCompanionView(_LineView):
    datamodel = ScopedInterface(ReceptionCompanion)
    list_title = _l("陪餐人员")
    list_columns = ["reception", "name", "post"]
    add_columns = ["reception", "name", "post"]
    edit_columns = show_columns = add_columns
    label_columns = {"reception": _l("接待审批单"), "name": _l("姓名"), "post": _l("职务")}
    description_columns = {"name": _l("接待对象 10 人以内的，陪餐不超过 3 人；超过 10 人的，"
                                      "不超过接待对象的三分之一（以现行标准为准，第三十四条）")}


class ReceptionMealView(_LineView):
    datamodel = ScopedInterface(ReceptionMeal)
    list_title = _l("接待用餐")
    list_columns = ["reception", "meal_on", "kind_label", "persons", "per_person", "amount", "place"]
    add_columns = ["reception", "meal_on", "kind", "persons", "per_person", "place"]
    edit_columns = add_columns
    show_columns = ["reception", "meal_on", "kind_label", "persons", "per_person", "amount", "place"]
    label_columns = {"reception": _l("接待审批单"), "meal_on": _l("日期"), "kind": _l("餐别"),
                     "kind_label": _l("餐别"), "persons": _l("人数"), "per_person": _l("人均（元）"),
                     "amount": _l("金额（元）"), "place": _l("地点")}
    description_columns = {"per_person": _l("不超过现行工作餐标准（元/人·餐，第三十四条）")}
    add_form_extra_fields = {"kind": choice_field(_l("餐别"), MEAL_KINDS)}
    edit_form_extra_fields = add_form_extra_fields


class ReceptionLodgingView(_LineView):
    datamodel = ScopedInterface(ReceptionLodging)
    list_title = _l("接待住宿")
    list_columns = ["reception", "hotel", "room_type_label", "check_in", "nights", "rooms", "price",
                    "amount", "paid_by_guest"]
    add_columns = ["reception", "hotel", "room_type", "check_in", "nights", "rooms", "price", "paid_by_guest"]
    edit_columns = add_columns
    show_columns = ["reception", "hotel", "room_type_label", "check_in", "nights", "rooms", "price", "amount",
                    "paid_by_guest"]
    label_columns = {"reception": _l("接待审批单"), "hotel": _l("定点接待酒店"), "room_type": _l("房型"),
                     "room_type_label": _l("房型"), "check_in": _l("入住日期"), "nights": _l("天数"),
                     "rooms": _l("房间数"), "price": _l("价格（元/间·天）"), "amount": _l("金额（元）"),
                     "paid_by_guest": _l("来访单位自付")}
    description_columns = {
        "hotel": _l("只能安排在定点接待酒店（第三十四条）"),
        "price": _l("不得高于该酒店该房型的协议价格和接待住宿标准"),
        "paid_by_guest": _l("住宿费用原则上由接待对象所在单位承担"),
    }
    add_form_extra_fields = {"room_type": choice_field(_l("房型"), ROOM_TYPES)}
    edit_form_extra_fields = add_form_extra_fields


class ReceptionSettlementView(ScopedModelView):
    """接待结算: the actual cost of an approved reception; 接待完成/结算 posts it."""

    datamodel = ScopedInterface(ReceptionSettlement)
    list_title = _l("接待结算")
    list_columns = ["reception", "meals_cost", "lodging_cost", "transport_cost", "other_cost", "total",
                    "completed", "completed_on"]
    add_columns = ["reception", "meals_cost", "lodging_cost", "transport_cost", "other_cost", "note"]
    edit_columns = add_columns
    show_columns = ["reception", "meals_cost", "lodging_cost", "transport_cost", "other_cost", "total",
                    "note", "completed", "completed_on"]
    search_columns = ["reception", "completed"]
    label_columns = {"reception": _l("接待审批单"), "meals_cost": _l("餐费（元）"),
                     "lodging_cost": _l("接待单位承担的住宿费（元）"), "transport_cost": _l("交通费（元）"),
                     "other_cost": _l("其他费用（元）"), "total": _l("合计（元）"), "note": _l("说明"),
                     "completed": _l("已结算"), "completed_on": _l("结算日期")}
    add_form_query_rel_fields = {"reception": [["state", FilterEqual, "approved"]]}
    edit_form_query_rel_fields = add_form_query_rel_fields


class ReceptionView(ApprovalViewMixin, ScopedModelView):
    """公务接待审批单: the clerk drafts it with the 公函 and submits; the bureau approves."""

    datamodel = ScopedInterface(Reception)
    list_title = _l("公务接待审批单")
    show_title = _l("公务接待审批单")
    add_title = _l("新增公务接待审批单")
    edit_title = _l("修改公务接待审批单")
    list_columns = ["id", "organization", "guest_unit", "start_on", "guest_count", "place", "state_label",
                    "submitted_at"]
    add_columns = ["organization", "guest_unit", "letter_number", "activity", "start_on", "end_on", "place",
                   "declared_item", "note"]
    edit_columns = add_columns
    show_columns = ["id", "organization", "guest_unit", "letter_number", "activity", "start_on", "end_on",
                    "place", "guest_count", "companion_count", "planned_meals", "declared_label", "note",
                    "state_label", "submitted_at", "decided_at"]
    search_columns = ["organization", "guest_unit", "start_on", "state"]
    order_columns = ["start_on", "submitted_at"]
    base_order = ("start_on", "desc")
    label_columns = {
        "id": _l("审批单编号"), "organization": _l("接待单位"), "guest_unit": _l("来访单位"),
        "letter_number": _l("公函文号"), "activity": _l("公务活动内容"), "start_on": _l("接待开始日期"),
        "end_on": _l("接待结束日期"), "place": _l("活动地点"), "guest_count": _l("接待对象人数"),
        "companion_count": _l("陪餐人数"), "planned_meals": _l("用餐计划金额（元）"),
        "declared_item": _l("申报事项"), "declared_label": _l("申报事项"), "note": _l("备注"),
    }
    description_columns = {
        "letter_number": _l("来访单位公函的文号；公函原件以附件（类别“公函”）上传，"
                            "无公函的一律不予接待（第三十四条）"),
        "declared_item": _l("如安排了所列事项须如实申报；公务接待不得安排这些事项（第三十四条）"),
    }
    add_form_extra_fields = {"declared_item": choice_field(_l("申报事项"), {"": _l("无"), **FORBIDDEN_ITEMS})}
    edit_form_extra_fields = add_form_extra_fields
    related_views = [ReceptionGuestView, ReceptionCompanionView, ReceptionMealView, ReceptionLodgingView,
                     ReceptionSettlementView]


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(ReceptionView, "Receptions", _l("公务接待审批单"), icon="fa-handshake-o", **common),
        ViewSpec(ReceptionGuestView, "Reception Guests", _l("接待对象"), menu=False, **common),
        ViewSpec(ReceptionCompanionView, "Reception Companions", _l("陪餐人员"), menu=False, **common),
        ViewSpec(ReceptionMealView, "Reception Meals", _l("接待用餐"), menu=False, **common),
        ViewSpec(ReceptionLodgingView, "Reception Lodgings", _l("接待住宿"), menu=False, **common),
        ViewSpec(ReceptionSettlementView, "Reception Settlements", _l("接待结算"), icon="fa-jpy", **common),
    ]
