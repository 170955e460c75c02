"""Schemas and entity types of receptions (公务接待, Art. 34)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates, validates_schema
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.receptions.hotels.models import ROOM_TYPES
from plugins.receptions.requests.models import (
    FORBIDDEN_ITEMS,
    LETTER,
    MEAL_KINDS,
    Reception,
    ReceptionCompanion,
    ReceptionGuest,
    ReceptionLodging,
    ReceptionMeal,
    ReceptionSettlement,
)

SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True)
LINE_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="reception")
#: the settlement is recorded after the approval, without reopening it
SETTLEMENT_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", parent="reception",
                         locked_with_parent=False)
LINE_READ = ("organization_id", "jurisdiction_id")


def _schema(model_, *, dump_only=LINE_READ):
    class Meta:
        model = model_
        include_fk = True
        exclude = ("version",)

    Meta.dump_only = dump_only
    return Meta


class ReceptionSchema(SQLAlchemyAutoSchema):
    Meta = _schema(Reception, dump_only=("state", "submitted_at", "decided_at", "jurisdiction_id"))

    @validates("declared_item")
    def _item(self, value, **_kw):
        if value and value not in FORBIDDEN_ITEMS:
            raise ValidationError(_("未知的申报事项：%(value)s", value=value))

    @validates_schema
    def _dates(self, data, **_kw):
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            raise ValidationError(_("接待结束日期不能早于开始日期"), "end_on")


class ReceptionGuestSchema(SQLAlchemyAutoSchema):
    Meta = _schema(ReceptionGuest)


class ReceptionCompanionSchema(SQLAlchemyAutoSchema):
    Meta = _schema(ReceptionCompanion)


class ReceptionMealSchema(SQLAlchemyAutoSchema):
    Meta = _schema(ReceptionMeal)

    @validates("kind")
    def _kind(self, value, **_kw):
        if value not in MEAL_KINDS:
            raise ValidationError(_("未知的餐别：%(value)s", value=value))

    @validates("persons")
    def _persons(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("用餐人数必须大于 0"))

    @validates("per_person")
    def _price(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("人均餐费不能为负数"))


class ReceptionLodgingSchema(SQLAlchemyAutoSchema):
    Meta = _schema(ReceptionLodging)

    @validates("room_type")
    def _room(self, value, **_kw):
        if value not in ROOM_TYPES:
            raise ValidationError(_("未知的房型：%(value)s", value=value))

    @validates("nights")
    def _nights(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("天数必须大于 0"))

    @validates("rooms")
    def _rooms(self, value, **_kw):
        if value is None or value <= 0:
            raise ValidationError(_("房间数必须大于 0"))

    @validates("price")
    def _price(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("住宿价格不能为负数"))


class ReceptionSettlementSchema(SQLAlchemyAutoSchema):
    Meta = _schema(ReceptionSettlement, dump_only=(*LINE_READ, "completed", "completed_on"))

    @validates_schema
    def _costs(self, data, **_kw):
        for name in ("meals_cost", "lodging_cost", "transport_cost", "other_cost"):
            if data.get(name) is not None and data[name] < 0:
                raise ValidationError(_("费用不能为负数"), name)


def _line(key, label, model, schema, description, columns):
    return EntityType(key=key, label=label, model=model, scope=LINE_SCOPE, schema=schema,
                      sharing="conditional", update_cycle=_l("实时"), description=description,
                      api_columns=("id", "reception_id", *columns))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="reception", label=_l("公务接待审批单"), model=Reception, scope=SCOPE,
            schema=ReceptionSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("接待单位、来访单位及公函、接待对象、陪餐人员、活动、用餐和住宿安排，"
                           "经同级机关事务管理部门审批（第三十四条）"),
            api_columns=("id", "organization_id", "guest_unit", "letter_number", "activity", "start_on",
                         "end_on", "place", "declared_item", "note", "state", "submitted_at", "decided_at"),
            choices={"declared_item": FORBIDDEN_ITEMS},
            # 无公函的公务活动一律不予接待: the letter is attached before submitting (rules.py)
            attachments=AttachmentKinds((LETTER, _l("公函")), types=("pdf", "png", "jpeg", "docx")),
        ),
        _line("reception_guest", _l("接待对象"), ReceptionGuest, ReceptionGuestSchema,
              _l("来访人员姓名、职务及所在单位（第三十四条）"), ("name", "post", "unit")),
        _line("reception_companion", _l("陪餐人员"), ReceptionCompanion, ReceptionCompanionSchema,
              _l("接待单位陪餐人员姓名、职务；人数不超过陪餐上限（第三十四条）"), ("name", "post")),
        _line("reception_meal", _l("接待用餐"), ReceptionMeal, ReceptionMealSchema,
              _l("工作餐的日期、餐别、人数、人均标准及地点（第三十四条）"),
              ("meal_on", "kind", "persons", "per_person", "place")),
        _line("reception_lodging", _l("接待住宿"), ReceptionLodging, ReceptionLodgingSchema,
              _l("定点接待酒店、房型、协议价格、天数与房间数及费用承担（第三十四条）"),
              ("hotel_id", "room_type", "check_in", "nights", "rooms", "price", "paid_by_guest")),
        EntityType(
            key="reception_settlement", label=_l("接待结算"), model=ReceptionSettlement,
            scope=SETTLEMENT_SCOPE, schema=ReceptionSettlementSchema, sharing="conditional",
            update_cycle=_l("实时"),
            description=_l("已批准接待的实际费用（餐费、接待单位承担的住宿费、交通费、其他），"
                           "接待完成后计入公务接待费（第十三、三十四条）"),
            api_columns=("id", "reception_id", "meals_cost", "lodging_cost", "transport_cost", "other_cost",
                         "note", "completed", "completed_on", "voided_at", "voided_by", "void_reason"),
            # 接待完成/结算 is an operation (operations.py); money recorded is voided, not deleted
            state_fields=(StateField("completed", initial=(False,)),
                          StateField("completed_on", initial=(None,))),
            delete_policy="void",
        ),
    ]
