"""发布 (draft → published) and 撤回 (published → withdrawn) of a policy notice, and 作废 (Art. 25)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from core.api import Operation, OperationError, local_today, void_operation
from plugins.housing.notices.models import NOTICE_ENTITY


class PublishParams(Schema):
    published_on = fields.Date(load_default=local_today, metadata={
        "label": _l("发布日期"), "description": _l("自该日起在本辖区及下级辖区工作人员的工作台展示")})

    @validates_schema
    def _future(self, data, **_kw):
        if data.get("published_on") and data["published_on"] > local_today():
            raise ValidationError(_("发布日期不能晚于今天"), "published_on")


def _publish(notice, params):
    if notice.expires_on is not None and notice.expires_on < params["published_on"]:
        raise OperationError(_("公告的截止日期 %(end)s 早于发布日期，不能发布（《办法》第二十五条）",
                               end=notice.expires_on.isoformat()), 422)
    notice.state = "published"
    notice.published_on = params["published_on"]
    return notice


def _withdraw(notice, _params):
    notice.state = "withdrawn"
    return notice


def operations() -> list[Operation]:
    return [
        Operation(key="publish", label=_l("发布"), entity=NOTICE_ENTITY, run=_publish, params=PublishParams,
                  changes=("state", "published_on"), when={"state": ("draft",)},
                  description=_l("公布政策、信息，在本辖区及下级辖区工作人员的工作台展示（第二十五条）"),
                  confirm=_l("发布后公告内容不能修改；如需更正，请撤回后重新登记。")),
        Operation(key="withdraw", label=_l("撤回"), entity=NOTICE_ENTITY, run=_withdraw,
                  changes=("state",), when={"state": ("published",)}, style="danger",
                  description=_l("撤回后不再在工作台展示")),
        void_operation(NOTICE_ENTITY),
    ]
