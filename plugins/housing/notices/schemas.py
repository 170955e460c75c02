"""Schema and entity type of a policy notice (Art. 25 及时公布有关政策、信息)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.housing.notices.models import NOTICE_ENTITY, NOTICE_KINDS, NOTICE_STATES, PolicyNotice

#: the bureau's notice; the staff of its jurisdiction and below read it once it is out of draft
#: (shared_up, on every read path: screens, REST, export, search), never write it
NOTICE_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True,
                     shared_up=True, shared_up_only=lambda model: model.state != "draft")


class PolicyNoticeSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = PolicyNotice
        include_fk = True
        exclude = ("version",)

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in NOTICE_KINDS:
            raise ValidationError(_("未知的公告类别：%(value)s", value=value))

    @validates("title")
    def _title(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写标题"))

    @validates("body")
    def _body(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写正文"))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key=NOTICE_ENTITY, label=_l("周转住房政策信息公告"), model=PolicyNotice, scope=NOTICE_SCOPE,
            schema=PolicyNoticeSchema, sharing="unconditional", update_cycle=_l("实时"),
            description=_l("机关事务管理部门公布的人才公寓和周转住房政策、房源信息和公示，发布后在本辖区及下级"
                           "辖区工作人员的工作台展示（第二十五条 及时公布有关政策、信息）"),
            api_columns=("id", "organization_id", "jurisdiction_id", "kind", "title", "body", "published_on",
                         "expires_on", "state", "voided_at", "voided_by", "void_reason"),
            search_fields=("title", "body"),
            choices={"kind": NOTICE_KINDS},
            import_columns=("organization", "kind", "title", "body", "expires_on"),
            state_fields=(StateField("state", initial=("draft",), labels=NOTICE_STATES),
                          StateField("published_on", initial=(None,))),
            attachments=AttachmentKinds(("policy", _l("政策文件")), types=("pdf", "png", "jpeg")),
            delete_policy="void",
        ),
    ]
