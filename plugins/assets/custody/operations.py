"""Operations on an asset card (Art. 18): who holds it, where, and whether it is in use.

领用 (check_out), 交回 (return), 保管人变更 (transfer), 变更存放地点 (relocate) and 变更使用状态
(set_status: 在用/闲置/出借/维修) — each a button on the card, ``POST /api/v1/asset/<pk>/<key>``
and ``jiguan op asset <pk> <key>``, all calling the functions of ``custody/models.py``, which
write the card's movement (资产变动记录) in the same flush. 待处置 and 已处置 are never set here:
they are the effects of a stocktake's or a disposal's approval (Art. 18-19).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from catalog.models import Person
from core.api import FILLED, Operation, db, local_today, scoped
from plugins.assets.cards.models import ASSET_STATUSES, Asset
from plugins.assets.custody.models import (
    USAGE_STATUSES,
    CustodyError,
    check_out,
    relocate,
    return_asset,
    set_usage_status,
    transfer_custodian,
)

# --- lookups within the user's scope ----------------------------------------------------------


def scoped_person(pk) -> Person | None:
    if pk in (None, "", "__None"):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise CustodyError(_("保管人编号无效")) from None
    person = db.session.execute(scoped(select(Person).where(Person.id == pk), Person)).scalar_one_or_none()
    if person is None:
        raise CustodyError(_("保管人不存在或不在您的权限范围内"))
    return person


def people_of(org_id) -> list[Person]:
    query = select(Person).where(Person.organization_id == org_id).order_by(Person.name)
    return list(db.session.execute(scoped(query, Person)).scalars())


def other_custodians(asset: Asset) -> list[tuple[int, str]]:
    """The people of the asset's organisation the user may see, but its current custodian."""
    return [(p.id, p.name) for p in people_of(asset.organization_id) if p.id != asset.custodian_id]


# --- parameters ---------------------------------------------------------------------------------

ON = dict(load_default=local_today, metadata={"label": _l("日期")})
NOTE = dict(load_default=None, metadata={"label": _l("备注"), "widget": "textarea"})


class ReturnParams(Schema):
    location = fields.String(load_default=None, validate=validate.Length(max=255), metadata={
        "label": _l("存放地点"), "prefill": lambda asset: asset.location,
        "description": _l("不填则保持原存放地点")})
    on = fields.Date(**ON)
    note = fields.String(**NOTE)


class CustodianParams(ReturnParams):
    custodian_id = fields.Integer(required=True, metadata={
        "label": _l("保管人"), "choices": other_custodians,
        "invalid": _l("须为资产使用单位在您权限范围内的人员，且不是现保管人")})


class RelocateParams(Schema):
    location = fields.String(required=True, validate=validate.Length(max=255), metadata={
        "label": _l("新存放地点"), "prefill": lambda asset: asset.location})
    on = fields.Date(**ON)
    note = fields.String(**NOTE)


class StatusParams(Schema):
    status = fields.String(required=True, validate=validate.OneOf(USAGE_STATUSES), metadata={
        "label": _l("使用状态"), "choices": {k: ASSET_STATUSES[k] for k in USAGE_STATUSES},
        "description": _l("闲置资产可纳入公物仓调剂使用（第十八条）；待处置、已处置由盘点或处置审批产生")})
    on = fields.Date(**ON)
    note = fields.String(**NOTE)


# --- the services, as the core calls them: (card, params) ---------------------------------------


def _check_out(asset, p):
    check_out(db.session, asset, scoped_person(p["custodian_id"]), location=p.get("location"),
              on=p["on"], note=p.get("note"))
    return asset


def _return(asset, p):
    return_asset(db.session, asset, location=p.get("location"), on=p["on"], note=p.get("note"))
    return asset


def _transfer(asset, p):
    transfer_custodian(db.session, asset, scoped_person(p["custodian_id"]), location=p.get("location"),
                       on=p["on"], note=p.get("note"))
    return asset


def _relocate(asset, p):
    relocate(db.session, asset, p["location"], on=p["on"], note=p.get("note"))
    return asset


def _set_status(asset, p):
    set_usage_status(db.session, asset, p["status"], on=p["on"], note=p.get("note"))
    return asset


MOVED = ("custodian_id", "status", "location")
#: 领用: an idle (or unassigned, in use) card without a custodian
UNASSIGNED = {"status": ("idle", "in_use"), "custodian_id": (None,)}
#: 交回, 保管人变更: a card someone holds, not leaving the books
HELD = {"status": USAGE_STATUSES, "custodian_id": FILLED}


def operations() -> list[Operation]:
    return [
        Operation(key="check_out", label=_l("领用"), entity="asset", run=_check_out, params=CustodianParams,
                  changes=MOVED, when=UNASSIGNED,
                  description=_l("闲置或无人保管的资产交由本单位人员保管使用，状态变为在用（第十八条）")),
        Operation(key="transfer", label=_l("保管人变更"), entity="asset", run=_transfer,
                  params=CustodianParams, changes=MOVED, when=HELD,
                  description=_l("由本单位另一人员接管保管（第十八条）")),
        Operation(key="return", label=_l("交回"), entity="asset", run=_return, params=ReturnParams,
                  changes=MOVED, when=HELD,
                  description=_l("保管人交回资产，资产转为闲置（第十八条）"),
                  confirm=_l("交回后资产无保管人，状态为闲置。")),
        Operation(key="relocate", label=_l("变更存放地点"), entity="asset", run=_relocate,
                  params=RelocateParams, changes=("location",), when={"status": USAGE_STATUSES}),
        Operation(key="set_status", label=_l("变更使用状态"), entity="asset", run=_set_status,
                  params=StatusParams, changes=("status",), when={"status": USAGE_STATUSES},
                  description=_l("在用、闲置、出借、维修之间变更（第十八条）")),
    ]
