"""Reports of the custody area: 资产卡片 (one asset card with its history, Art. 18)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import or_, select

from core.api import Report, chinese_date, current_scope, db, scoped
from plugins.assets.cards.models import Asset


def find_asset(key: str, scope=None) -> Asset | None:
    """The asset by id or number, within ``scope``."""
    key = (key or "").strip()
    if not key:
        return None
    match = Asset.number == key
    if key.isdigit():
        match = or_(match, Asset.id == int(key))
    query = select(Asset).where(match).order_by(Asset.id).limit(1)
    return db.session.execute(scoped(query, Asset, scope)).scalars().first()


class CardParams(Schema):
    asset = fields.String(required=True, metadata={
        "label": _l("资产"), "description": _l("输入资产编号或名称搜索；只能打印本单位（本辖区）的资产"),
        "record": "asset",
    })

    @validates("asset")
    def _exists(self, value, **_kw):
        if find_asset(value, current_scope()) is None:
            raise ValidationError(_("资产不存在或不在您的权限范围内"))


def card_context(params: dict, scope) -> dict:
    from plugins.assets.custody.views import movement_rows

    asset = find_asset(params["asset"], scope)
    if asset is None:  # validated for the caller already; a job's scope may differ
        return {"asset": None, "history": [], "period": ""}
    return {
        "asset": asset, "history": movement_rows(asset),
        "period": _("资产编号 %(no)s", no=asset.number),
        "acquired": chinese_date(asset.acquired_on),
        "min_life": chinese_date(asset.min_life_ends_on) if asset.min_life_ends_on else "—",
        "subtitle_ug": "مۈلۈك كارتىسى",
    }


def reports() -> list[Report]:
    return [
        Report(
            key="asset_card", label=_l("资产卡片"), params_schema=CardParams, build_context=card_context,
            template="assets/custody_report_card.html", prints="asset",
            signatures=(_l("保管人"), _l("资产管理员"), _l("负责人")),
            description=_l("一项资产的卡片：全部卡片信息与资产变动记录（第十八条）"),
        ),
    ]
