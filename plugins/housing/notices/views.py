"""Screen of the notices area: 政策信息公告 (with 发布 and 撤回)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import ScopedInterface, ScopedModelView, ViewSpec, choice_field
from plugins.housing.notices.models import NOTICE_KINDS, PolicyNotice


class PolicyNoticeView(ScopedModelView):
    """政策信息公告: the bureau drafts, publishes (发布) and withdraws (撤回); staff below read them."""

    datamodel = ScopedInterface(PolicyNotice)
    list_title = _l("周转住房政策信息公告")
    show_title = _l("周转住房政策信息公告")
    add_title = _l("新增公告")
    edit_title = _l("修改公告")
    list_columns = ["title", "kind_label", "organization", "published_on", "expires_on", "state_label"]
    add_columns = ["organization", "kind", "title", "body", "expires_on"]
    edit_columns = add_columns
    show_columns = ["title", "kind_label", "organization", "jurisdiction", "body", "published_on",
                    "expires_on",
                    "state_label"]
    search_columns = ["title", "kind", "organization", "published_on", "state"]
    order_columns = ["published_on", "expires_on"]
    base_order = ("published_on", "desc")
    label_columns = {
        "title": _l("标题"), "kind": _l("类别"), "kind_label": _l("类别"), "organization": _l("发布单位"),
        "jurisdiction": _l("辖区"), "body": _l("正文"), "published_on": _l("发布日期"),
        "expires_on": _l("截止日期"), "state": _l("状态"), "state_label": _l("状态"),
    }
    description_columns = {
        "organization": _l("发布公告的机关事务管理部门；公告向本辖区及下级辖区的工作人员展示"),
        "expires_on": _l("截止日期后不再在工作台展示；不填则展示至撤回"),
    }
    add_form_extra_fields = {"kind": choice_field(_l("类别"), NOTICE_KINDS)}
    edit_form_extra_fields = add_form_extra_fields


def view_specs(common: dict) -> list[ViewSpec]:
    return [ViewSpec(PolicyNoticeView, "Housing Notices", _l("政策信息公告"), icon="fa-bullhorn", **common)]
