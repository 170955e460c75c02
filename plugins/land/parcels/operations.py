"""Operations on a parcel (Art. 20-21): registration moves by name, never by editing a field.

开始登记 (unregistered → in progress), 登记完成 (in progress → registered, with the certificate
number and the title holder), 变更登记 (a registered parcel's certificate and holder, e.g. to the
bureau, Art. 21). 作废 comes from the core (``delete_policy="void"``). The Art. 20-21 rules
(parcels/rules.py) check what each writes, as on any write.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates
from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.api import Operation, db
from plugins.land.parcels.models import LandParcel


def holder_choices(parcel: LandParcel) -> list[tuple[int, str]]:
    """Who may hold the title: the bureaus (机关事务管理部门) of the parcel's jurisdiction and
    above (Art. 21), and the using organisation as it stands."""
    codes = parcel.jurisdiction.ancestor_codes if parcel.jurisdiction is not None else []
    query = (select(Organization).join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
             .where(Organization.is_bureau.is_(True), Jurisdiction.code.in_(codes))
             .order_by(Jurisdiction.path.desc(), Organization.name))
    found = list(db.session.execute(query).scalars())
    if parcel.organization is not None and parcel.organization not in found:
        found.append(parcel.organization)
    return [(org.id, org.name) for org in found]


class TitleParams(Schema):
    certificate_no = fields.String(required=True, validate=validate.Length(max=64), metadata={
        "label": _l("不动产权证书号"), "description": _l("如：新(2026)乌鲁木齐市不动产权第0001234号")})
    title_holder_id = fields.Integer(required=True, metadata={
        "label": _l("权利人"), "choices": holder_choices,
        "prefill": lambda parcel: parcel.title_holder_id,
        "description": _l("机关用地应登记至本级机关事务管理部门名下（第二十一条）")})

    @validates("certificate_no")
    def _certificate(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写不动产权证书号"))


def _start(parcel, _params):
    parcel.registration_status = "in_progress"
    return parcel


def _complete(parcel, params):
    parcel.registration_status = "registered"
    parcel.certificate_no = params["certificate_no"].strip()
    parcel.title_holder_id = params["title_holder_id"]
    return parcel


def _change_title(parcel, params):
    certificate = params["certificate_no"].strip()
    if certificate == parcel.certificate_no and params["title_holder_id"] == parcel.title_holder_id:
        from core.api import OperationError

        raise OperationError(_("证书号和权利人均未改变"), status=422)
    parcel.certificate_no = certificate
    parcel.title_holder_id = params["title_holder_id"]
    return parcel


def operations() -> list[Operation]:
    return [
        Operation(key="start_registration", label=_l("开始登记"), entity="land_parcel", run=_start,
                  changes=("registration_status",), when={"registration_status": ("unregistered",)},
                  description=_l("向不动产登记机构申请确权登记（第二十、二十一条）"),
                  confirm=_l("宗地将标记为“登记中”。")),
        Operation(key="complete_registration", label=_l("登记完成"), entity="land_parcel",
                  run=_complete, params=TitleParams,
                  changes=("registration_status", "certificate_no", "title_holder_id"),
                  when={"registration_status": ("in_progress",)},
                  description=_l("取得不动产权证书：填写证书号和权利人（第二十、二十一条）"),
                  confirm=_l("宗地将标记为“已登记”，证书号和权利人此后只能通过“变更登记”修改。")),
        Operation(key="change_title", label=_l("变更登记"), entity="land_parcel", run=_change_title,
                  params=TitleParams, changes=("certificate_no", "title_holder_id"),
                  when={"registration_status": ("registered",)},
                  description=_l("权利人或证书变更，如将权属登记至本级机关事务管理部门名下（第二十一条）"),
                  confirm=_l("以新的不动产权证书号和权利人替换现有登记。")),
    ]
