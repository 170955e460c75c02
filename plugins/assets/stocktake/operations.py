"""Operations of the stocktake area (Art. 18): one line's count saved on its own.

录入实盘结果 (count) — ``POST /api/v1/asset_stocktake_line/<pk>/count`` with
``{"found": "1", "counted_status": "", "counted_location": "", "note": ""}`` — is what the
count screen sends per line on a phone (a flaky connection loses one line, not the sheet),
a button on the line's page and ``jiguan op asset_stocktake_line <pk> count``. It calls
``record_count``, as the whole-sheet form does, so the same rules hold: scope, the stocktake
still open (草稿/已退回), the book side fixed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from core.api import Operation
from plugins.assets.cards.models import ASSET_STATUSES
from plugins.assets.stocktake.models import record_count

FOUND = {"1": _l("在"), "0": _l("不在（盘亏）"), "": _l("未盘")}
TEXT = dict(load_default=None, allow_none=True)


class CountParams(Schema):
    found = fields.String(required=True, validate=validate.OneOf(list(FOUND)), metadata={
        "label": _l("是否在"), "choices": FOUND})
    counted_status = fields.String(validate=validate.OneOf(["", *ASSET_STATUSES]), **TEXT, metadata={
        "label": _l("实盘状态"), "choices": {"": _l("同账面"), **ASSET_STATUSES}})
    counted_location = fields.String(validate=validate.Length(max=255), **TEXT, metadata={
        "label": _l("实盘地点"), "description": _l("不填则同账面")})
    note = fields.String(**TEXT, metadata={"label": _l("备注"), "widget": "textarea"})


def _count(line, params: dict) -> None:
    record_count(line, params["found"], params.get("counted_status"), params.get("counted_location"),
                 params.get("note"))


def operations() -> list[Operation]:
    return [Operation(
        key="count", label=_l("录入实盘结果"), entity="asset_stocktake_line", run=_count, params=CountParams,
        description=_l("保存这一项资产的盘点结果；盘点提交审批后不能再修改"),
    )]
