"""Schemas and entity types of the fleet: the establishment (Art. 27), the vehicle register
(Art. 26, 29) and disposal (Art. 30)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates, validates_schema
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from core.api import AttachmentKinds, EntityType, Scope, StateField
from plugins.vehicles.fleet.checks import energy_problem, plate_problem, vin_problem
from plugins.vehicles.fleet.models import (
    DISPOSAL_METHODS,
    ENERGY_TYPES,
    VEHICLE_STATUSES,
    Vehicle,
    VehicleDisposal,
    VehicleEstablishment,
)

#: The vehicle's organisation and jurisdiction are its card's: the write pipeline fills them from
#: the card (``parent="asset"``); the card is no approval document, so nothing is locked with it.
VEHICLE_SCOPE = Scope(
    organization="organization_id", jurisdiction="jurisdiction_id", parent="asset", locked_with_parent=False
)
OWN_SCOPE = Scope(organization="organization_id", jurisdiction="jurisdiction_id", derive_jurisdiction=True)


class VehicleEstablishmentSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = VehicleEstablishment
        include_fk = True
        exclude = ("version",)

    @validates("quota")
    def _quota(self, value, **_kw):
        if value is None or value < 0:
            raise ValidationError(_("编制数不能为负数"))


class VehicleSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Vehicle
        include_fk = True
        exclude = ("version",)

    @validates("plate")
    def _plate(self, value, **_kw):
        problem = plate_problem(value)
        if problem:
            raise ValidationError(problem)

    @validates("vin")
    def _vin(self, value, **_kw):
        problem = vin_problem(value)
        if problem:
            raise ValidationError(problem)

    @validates_schema
    def _energy(self, data, partial=False, **_kw):
        if "energy_type" not in data and "displacement" not in data:
            return
        if partial and "energy_type" not in data:
            return  # the rule checks the pair as written
        problem = energy_problem(data.get("energy_type", "petrol"), data.get("displacement"))
        if problem:
            raise ValidationError(problem, "displacement")

    @validates("odometer_km")
    def _odometer(self, value, **_kw):
        if value is not None and value < 0:
            raise ValidationError(_("里程不能为负数"))


class VehicleDisposalSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = VehicleDisposal
        include_fk = True
        exclude = ("version",)

    @validates("method")
    def _method(self, value, **_kw):
        if value not in DISPOSAL_METHODS:
            raise ValidationError(_("未知的处置方式：%(value)s", value=value))


def entity_types() -> list[EntityType]:
    return [
        EntityType(
            key="vehicle_establishment",
            label=_l("车辆编制"),
            model=VehicleEstablishment,
            scope=OWN_SCOPE,
            schema=VehicleEstablishmentSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "单位按公务用车类别核定的车辆编制数及起始日期：机要通信、应急保障等由机关事务管理部门"
                "核定，执法执勤、特种专业技术用车由财政部门核定并报机关事务管理部门备案（第二十七条）"
            ),
            api_columns=(
                "id",
                "organization_id",
                "jurisdiction_id",
                "category_id",
                "quota",
                "effective_from",
                "decision",
                "note",
                "state",
                "submitted_at",
                "decided_at",
            ),
            attachments=AttachmentKinds(("decision", _l("核定文件"))),
        ),
        EntityType(
            key="vehicle",
            label=_l("公务用车"),
            model=Vehicle,
            scope=VEHICLE_SCOPE,
            schema=VehicleSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "公务用车登记：号牌、车辆识别代号、品牌型号、国产、能源类型、排量、类别、统一标识、"
                "定点停放；单位、价格和取得日期以资产卡片为准（第二十六、二十九条）"
            ),
            api_columns=(
                "id",
                "asset_id",
                "plate",
                "vin",
                "brand",
                "model_name",
                "domestic",
                "energy_type",
                "displacement",
                "category_id",
                "organization_id",
                "jurisdiction_id",
                "marked",
                "parking_place",
                "shared_platform",
                "odometer_km",
                "status",
                "disposed_on",
                "note",
                "voided_at",
                "voided_by",
                "void_reason",
            ),
            natural_keys=("plate", "vin"),
            import_columns=(
                "asset",
                "plate",
                "vin",
                "brand",
                "model_name",
                "domestic",
                "energy_type",
                "displacement",
                "category",
                "marked",
                "parking_place",
                "shared_platform",
                "odometer_km",
                "note",
            ),
            choices={"energy_type": ENERGY_TYPES},
            # 在用/已处置 change only by a disposal's approval or the card's disposal (Art. 30)
            state_fields=(
                StateField("status", initial=("in_service",), labels=VEHICLE_STATUSES),
                StateField("disposed_on", initial=(None,)),
            ),
            delete_policy="void",
            search_fields=("plate", "vin", "brand", "model_name"),
            attachments=AttachmentKinds(("license", _l("行驶证")), ("photo", _l("照片"))),
        ),
        EntityType(
            key="vehicle_disposal",
            label=_l("公务用车处置"),
            model=VehicleDisposal,
            scope=OWN_SCOPE,
            schema=VehicleDisposalSchema,
            sharing="conditional",
            update_cycle=_l("实时"),
            description=_l(
                "公务用车按规定程序处置、调剂或厂家回收，经机关事务管理部门批准后办理（第三十条）"
            ),
            api_columns=(
                "id",
                "vehicle_id",
                "organization_id",
                "jurisdiction_id",
                "method",
                "applied_on",
                "reason",
                "target_id",
                "manufacturer",
                "note",
                "state",
                "submitted_at",
                "decided_at",
            ),
            attachments=AttachmentKinds(("takeback", _l("回收证明")), ("other", _l("其他材料"))),
        ),
    ]
