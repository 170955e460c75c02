"""Screen of the idle-space area: 闲置办公用房处置利用 (with 办理)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.office_space.idle.models import DISPOSITION_KINDS, IdleSpaceDisposition


class IdleSpaceDispositionView(ScopedModelView):
    """闲置办公用房处置利用: the bureau records 出租出借 or 处置 of an idle room and 办理 applies it."""

    datamodel = ScopedInterface(IdleSpaceDisposition)
    list_title = _l("闲置办公用房处置利用")
    show_title = _l("闲置办公用房处置利用")
    add_title = _l("登记闲置办公用房处置利用")
    edit_title = _l("修改闲置办公用房处置利用")
    list_columns = ["room", "kind_label", "decision_number", "counterparty", "status_label", "done_on"]
    add_columns = [
        "organization",
        "room",
        "kind",
        "decision_number",
        "decided_on",
        "counterparty",
        "period_from",
        "period_to",
        "reason",
    ]
    edit_columns = add_columns
    show_columns = [
        "organization",
        "room",
        "kind_label",
        "decision_number",
        "decided_on",
        "counterparty",
        "period_from",
        "period_to",
        "reason",
        "status_label",
        "done_on",
        "done_by",
    ]
    search_columns = ["organization", "room", "kind", "status"]
    label_columns = {
        "organization": _l("办理单位"),
        "room": _l("房间"),
        "kind": _l("处置利用方式"),
        "kind_label": _l("处置利用方式"),
        "decision_number": _l("批准（决定）文号"),
        "decided_on": _l("批准日期"),
        "counterparty": _l("承租（借用）单位或处置去向"),
        "period_from": _l("起始日期"),
        "period_to": _l("截止日期"),
        "reason": _l("事由"),
        "status": _l("办理状态"),
        "status_label": _l("办理状态"),
        "done_on": _l("办理日期"),
        "done_by": _l("办理人"),
    }
    description_columns = {
        "decision_number": _l(
            "出租出借须经批准（第二十四条）：填写批准文号，并以附件（类别“批准文件”）上传批准文件"
        ),
        "room": _l("只有未配置的房间可以出租出借或处置；调剂使用请在房间上办理配置"),
    }
    add_form_extra_fields = {"kind": choice_field(_l("处置利用方式"), DISPOSITION_KINDS)}
    edit_form_extra_fields = add_form_extra_fields


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(
            IdleSpaceDispositionView,
            "Office Idle Dispositions",
            _l("闲置用房处置利用"),
            icon="fa-key",
            **common,
        )
    ]
