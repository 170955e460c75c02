"""Reports of the stocktake area (Art. 18): 盘点表 (count sheet) and 盘点差异表 (discrepancies)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates
from sqlalchemy import select

from core.api import Report, chinese_date, current_scope, db, record_id_of_number, scoped
from plugins.assets.stocktake.models import Stocktake, discrepancies


def find_stocktake(key, scope=None) -> Stocktake | None:
    """The stocktake by number (PD-2026-00001), id, or the id-based number it had before
    (PD00012), within ``scope``."""
    key = str(key or "").strip().upper()
    numbered = record_id_of_number("asset_stocktake", key)
    if numbered is not None:
        key = numbered
    elif key.startswith("PD"):
        key = key[2:]
    if not key.isdigit():
        return None
    query = select(Stocktake).where(Stocktake.id == int(key))
    return db.session.execute(scoped(query, Stocktake, scope)).scalar_one_or_none()


class StocktakeParams(Schema):
    stocktake = fields.String(required=True, metadata={
        "label": _l("盘点单"), "description": _l("输入盘点单号搜索；只能打印本单位（本辖区）的盘点"),
        "record": "asset_stocktake",
    })

    @validates("stocktake")
    def _exists(self, value, **_kw):
        if find_stocktake(value, current_scope()) is None:
            raise ValidationError(_("盘点单不存在或不在您的权限范围内"))


def _common(stocktake: Stocktake) -> dict:
    day = stocktake.counted_on or stocktake.planned_on
    return {
        "stocktake": stocktake,
        "period": _("盘点单位：%(org)s　盘点单 %(no)s　盘点日期 %(date)s", org=stocktake.organization.name,
                    no=stocktake.number, date=chinese_date(day)),
    }


def sheet_context(params: dict, scope) -> dict:
    stocktake = find_stocktake(params["stocktake"], scope)
    if stocktake is None:
        return {"stocktake": None, "lines": []}
    lines = sorted(stocktake.lines, key=lambda line: line.asset.number)
    return {**_common(stocktake), "lines": lines, "subtitle_ug": "مۈلۈك سانىقى جەدۋىلى"}


def differences_context(params: dict, scope) -> dict:
    stocktake = find_stocktake(params["stocktake"], scope)
    if stocktake is None:
        return {"stocktake": None}
    return {**_common(stocktake), "report": discrepancies(stocktake),
            "subtitle_ug": "مۈلۈك سانىقى پەرقى جەدۋىلى"}


def reports() -> list[Report]:
    return [
        Report(
            key="stocktake_sheet", label=_l("资产盘点表"), params_schema=StocktakeParams,
            build_context=sheet_context, template="assets/stocktake_report_sheet.html",
            orientation="landscape", signatures=(_l("盘点人"), _l("监盘人"), _l("负责人")),
            description=_l("盘点单位的全部资产（账面状态、地点、保管人），留空“实盘”“备注”栏供现场填写（第十八条）"),
        ),
        Report(
            key="stocktake_discrepancies", label=_l("资产盘点差异表"), params_schema=StocktakeParams,
            build_context=differences_context, template="assets/stocktake_report_discrepancies.html",
            orientation="landscape", signatures=(_l("经办人"), _l("审核人"), _l("负责人")),
            description=_l("盘亏、盘盈、状态不符、地点不符的资产及分类合计（第十八条）"),
        ),
    ]
