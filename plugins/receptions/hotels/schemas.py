"""Schema and entity type of designated hotels (reference data of the bureaus, Art. 34)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates_schema
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import EntityType, Scope
from plugins.receptions.hotels.models import DesignatedHotel


class DesignatedHotelSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = DesignatedHotel
        include_fk = True
        exclude = ("version",)

    @validates_schema
    def _period(self, data, **_kw):
        for name in ("price_standard", "price_single", "price_suite"):
            if data.get(name) is not None and data[name] < 0:
                raise ValidationError(_("协议价格不能为负数"), name)
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            raise ValidationError(_("定点截止日期不能早于起始日期"), "effective_to")


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="reception_hotel", label=_l("定点接待酒店"), model=DesignatedHotel,
            # a jurisdiction's designation serves every organisation below it
            scope=Scope(jurisdiction="jurisdiction_id", shared_up=True),
            schema=DesignatedHotelSchema, sharing="unconditional", update_cycle=_l("按定点协议调整"),
            access="reference",
            description=_l("机关事务管理部门确定的定点接待酒店（饭店）、地址及各房型协议价格（第三十四条）"),
            api_columns=("id", "name", "address", "jurisdiction_id", "price_standard", "price_single",
                         "price_suite", "effective_from", "effective_to", "basis", "note"),
        ),
    ]
