"""Screens of expenditure claims (支出申请/报销单, Art. 10-11)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import ApprovalViewMixin, ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.funds.spending.models import GRADES, PLACES, RANKS, ExpenditureClaim


class ExpenditureClaimView(ApprovalViewMixin, ScopedModelView):
    """支出申请: the clerk drafts, attaches the invoice and submits; approvers decide by amount."""

    datamodel = ScopedInterface(ExpenditureClaim)
    list_title = _l("支出申请")
    list_columns = ["id", "organization", "spent_on", "economic_class", "amount", "payee", "state_label"]
    add_columns = ["organization", "spent_on", "economic_class", "amount", "payee", "purpose", "grade",
                   "participants", "days", "place", "rank", "meal_amount", "lodging_amount"]
    edit_columns = add_columns
    show_columns = ["id", "organization", "jurisdiction", "spent_on", "economic_class", "amount", "payee",
                    "purpose", "grade_label", "participants", "days", "place_label", "rank_label",
                    "meal_amount", "lodging_amount", "state_label", "submitted_at", "decided_at"]
    search_columns = ["organization", "spent_on", "economic_class", "payee", "state"]
    label_columns = {
        "id": _l("编号"), "organization": _l("单位"), "jurisdiction": _l("所在辖区"),
        "spent_on": _l("支出日期"), "economic_class": _l("经济分类"), "amount": _l("金额（元）"),
        "payee": _l("收款人"), "purpose": _l("用途"), "grade": _l("会议或培训类别"),
        "grade_label": _l("会议或培训类别"), "participants": _l("人数"), "days": _l("天数"),
        "place": _l("出差地点"), "place_label": _l("出差地点"), "rank": _l("出差人员级别"),
        "rank_label": _l("出差人员级别"), "meal_amount": _l("其中：伙食补助（元）"),
        "lodging_amount": _l("其中：住宿费（元）"),
    }
    description_columns = {
        "grade": _l("会议费、培训费必填，按类别执行开支标准（《办法》第十一条）"),
        "participants": _l("会议费、培训费、差旅费必填：参会、参训或出差人数"),
        "days": _l("会议费、培训费、差旅费必填：会期、培训或出差天数"),
        "place": _l("差旅费必填"),
        "rank": _l("报销住宿费时必填"),
    }
    add_form_extra_fields = {
        # optional: blank for classes without a rate
        "grade": choice_field(_l("会议或培训类别"), {"": _l("（不适用）"), **GRADES}),
        "place": choice_field(_l("出差地点"), {"": _l("（不适用）"), **PLACES}),
        "rank": choice_field(_l("出差人员级别"), {"": _l("（不适用）"), **RANKS}),
    }
    edit_form_extra_fields = add_form_extra_fields


def view_specs(common: dict) -> list[ViewSpec]:
    return [ViewSpec(ExpenditureClaimView, "Expenditure Claims", _l("支出申请"), icon="fa-file-text-o",
                     **common)]
