"""Schema and entity type of the idle-space area (Art. 24)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.office_space.idle.models import (
    DISPOSITION_ENTITY,
    DISPOSITION_KINDS,
    DISPOSITION_STATUSES,
    IdleSpaceDisposition,
)

#: the bureau's record; the room it names is in the bureau's jurisdiction
DISPOSITION_SCOPE = Scope(
    organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True
)


class IdleSpaceDispositionSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = IdleSpaceDisposition
        include_fk = True
        exclude = ("version",)

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in DISPOSITION_KINDS:
            raise ValidationError(_("未知的处置利用方式：%(value)s", value=value))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key=DISPOSITION_ENTITY,
            label=_l("闲置办公用房处置利用"),
            model=IdleSpaceDisposition,
            scope=DISPOSITION_SCOPE,
            schema=IdleSpaceDispositionSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "机关事务管理部门对闲置办公用房的出租出借（须经批准）或处置：房间、批准文号、"
                "承租（借用）单位或处置去向、期限；办理后房间状态随之变更（第二十四条）"
            ),
            api_columns=(
                "id",
                "room_id",
                "organization_id",
                "jurisdiction_id",
                "kind",
                "decision_number",
                "decided_on",
                "counterparty",
                "period_from",
                "period_to",
                "reason",
                "status",
                "done_on",
                "done_by",
                "voided_at",
                "voided_by",
                "void_reason",
            ),
            search_fields=("decision_number", "counterparty", "reason"),
            choices={"kind": DISPOSITION_KINDS, "status": DISPOSITION_STATUSES},
            import_columns=(
                "room",
                "kind",
                "decision_number",
                "decided_on",
                "counterparty",
                "period_from",
                "period_to",
                "reason",
            ),
            attachments=AttachmentKinds(("approval", _l("批准文件")), ("other", _l("其他材料"))),
            state_fields=(
                StateField("status", initial=("draft",), labels=DISPOSITION_STATUSES),
                StateField("done_on", initial=(None,)),
                StateField("done_by", initial=(None,)),
            ),
            delete_policy="void",
        ),
    ]
