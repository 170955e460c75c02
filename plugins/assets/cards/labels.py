"""资产标签: label sheets of asset cards, each label with a QR code that opens the card.

A report (``asset_labels``, cards/reports.py): 报表中心, the API and the CLI print it; the card
page's 打印资产标签 button (``Report.prints``), the list's action on the selected cards and the
receipt's page (its new cards) open it. The cards are found within the caller's scope only.
The QR code (a PNG, ``qr_image``) encodes ``LABEL_BASE_URL`` (``JIGUAN_LABEL_BASE_URL``; default
the request's own address) followed by the card page's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import or_, select
from werkzeug.routing import BuildError

from catalog.models import Organization
from core.api import db, join_items, scoped, site_url
from plugins.assets.cards.models import Asset, AssetMovement

#: The most labels one PDF holds (a receipt makes at most 200 cards; 500 take ~9 s of CPU).
MAX_LABELS = 500


@dataclass(frozen=True)
class LabelSize:
    """A label stock: the page, the grid of labels on it and the size of one label (mm)."""

    label: object
    page_width: float
    page_height: float
    columns: int
    rows: int
    width: float
    height: float
    top: float = 0.0
    left: float = 0.0
    column_gap: float = 0.0
    row_gap: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


#: Common label stocks: A4 sheets for office printers, single-label rolls for thermal printers.
SIZES = {
    "a4_3x8": LabelSize(_l("A4 不干胶 3×8（每张 24 枚，70×37 毫米）"), 210, 297, 3, 8, 70, 37, top=0.5),
    "a4_2x7": LabelSize(_l("A4 不干胶 2×7（每张 14 枚，99.1×38.1 毫米）"), 210, 297, 2, 7, 99.1, 38.1,
                        top=15.15, left=4.65, column_gap=2.5),
    "a4_4x10": LabelSize(_l("A4 不干胶 4×10（每张 40 枚，48.5×25.4 毫米）"), 210, 297, 4, 10, 48.5, 25.4,
                         top=21.5, left=8),
    "roll_50x30": LabelSize(_l("热敏标签卷 50×30 毫米（每枚一页）"), 50, 30, 1, 1, 50, 30),
    "roll_60x40": LabelSize(_l("热敏标签卷 60×40 毫米（每枚一页）"), 60, 40, 1, 1, 60, 40),
}
DEFAULT_SIZE = "a4_3x8"


class LabelParams(Schema):
    asset = fields.String(load_default=None, allow_none=True, metadata={
        "label": _l("资产"), "record": "asset",
        "description": _l("输入资产编号或名称搜索，打印一张卡片的标签"),
    })
    numbers = fields.String(load_default=None, allow_none=True, metadata={
        "label": _l("资产编号（多个）"),
        "description": _l("多个资产编号用逗号、空格或换行分隔；资产卡片列表勾选后“打印资产标签”会自动填入"),
    })
    receipt = fields.String(load_default=None, allow_none=True, metadata={
        "label": _l("入库单号"), "description": _l("如 RK000012：打印该次入库生成的全部资产卡片的标签"),
    })
    size = fields.String(load_default=DEFAULT_SIZE, validate=validate.OneOf(list(SIZES)), metadata={
        "label": _l("标签规格"), "choices": {key: size.label for key, size in SIZES.items()},
    })
    skip = fields.Integer(load_default=0, validate=validate.Range(min=0, error=_l("不能为负数")), metadata={
        "label": _l("跳过已用标签位"),
        "description": _l("A4 标签纸已用过一部分时，从第几个空位之后开始打印（按行从左到右计数）"),
    })


def _split(text: str | None) -> list[str]:
    return [part for part in re.split(r"[\s,，、;；]+", text or "") if part]


def _receipt_cards(text: str, scope) -> list[Asset]:
    from plugins.assets.custody.models import AssetReceipt  # the custody area builds on the cards

    found = re.fullmatch(r"(?:RK)?0*(\d+)", text.strip().upper())
    receipt = None
    if found:
        query = select(AssetReceipt).where(AssetReceipt.id == int(found.group(1)))
        receipt = db.session.execute(scoped(query, AssetReceipt, scope)).scalar_one_or_none()
    if receipt is None:
        raise ValidationError({"receipt": [_("入库单“%(no)s”不存在或不在您的权限范围内", no=text.strip())]})
    ids = select(AssetMovement.asset_id).where(AssetMovement.source == f"receipt:{receipt.id}")
    return list(db.session.execute(scoped(select(Asset).where(Asset.id.in_(ids))
                                          .order_by(Asset.number), Asset, scope)).scalars())


def chosen_cards(params: dict, scope) -> list[Asset]:
    """The cards the parameters name, in the order given, each found within ``scope``.

    A number outside the scope reads as unknown: nobody learns which numbers exist elsewhere.
    """
    keys = _split(params.get("numbers"))
    if params.get("asset"):
        keys.insert(0, params["asset"].strip())
    if len(keys) > MAX_LABELS:
        raise ValidationError({"numbers": [_("一次最多打印 %(n)s 枚标签", n=MAX_LABELS)]})
    cards: list[Asset] = []
    if keys:
        ids = [int(k) for k in keys if k.isdigit()]
        query = select(Asset).where(or_(Asset.number.in_(keys), Asset.id.in_(ids)))
        rows = db.session.execute(scoped(query, Asset, scope)).scalars().all()
        by_key = {**{str(a.id): a for a in rows}, **{a.number: a for a in rows}}
        missing = [k for k in keys if k not in by_key]
        if missing:
            field = "asset" if params.get("asset") and missing[0] == params["asset"].strip() else "numbers"
            raise ValidationError({field: [_("资产“%(no)s”不存在或不在您的权限范围内",
                                             no=join_items(missing[:5]))]})
        cards = [by_key[k] for k in keys]
    if params.get("receipt"):
        cards += _receipt_cards(params["receipt"], scope)
    seen: set[int] = set()
    cards = [a for a in cards if not (a.id in seen or seen.add(a.id))]
    if not cards:
        raise ValidationError({"numbers": [_("请选择要打印标签的资产卡片（资产、资产编号或入库单号）")]})
    voided = [a.number for a in cards if a.voided_at is not None]
    if voided:
        raise ValidationError({"numbers": [_("资产“%(no)s”已作废，不能打印标签", no=join_items(voided[:5]))]})
    if len(cards) > MAX_LABELS:
        raise ValidationError({"numbers": [_("一次最多打印 %(n)s 枚标签", n=MAX_LABELS)]})
    return cards


def base_url() -> str:
    """Where users open jiguan: ``LABEL_BASE_URL``, else the address of the request printing
    (in a background job: of the request that submitted it)."""
    configured = (current_app.config.get("LABEL_BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/")
    if site_url():
        return site_url()
    raise ValidationError({"numbers": [_("未配置标签二维码地址：请设置 JIGUAN_LABEL_BASE_URL（如 "
                                         "http://zcgl.example.gov.cn）后再从命令行或后台任务打印标签")]})


def card_url(asset_id: int, base: str) -> str:
    """The card page's address the label's QR code opens."""
    try:
        path = current_app.url_map.bind("localhost").build("AssetView.show", {"pk": asset_id})
    except BuildError:  # the report commands' app has no screens: FAB's route of the same view
        from plugins.assets.cards.views import AssetView

        path = f"/{AssetView.__name__.lower()}/show/{asset_id}"
    return base + path


def qr_image(url: str) -> str:
    """The QR code of ``url`` (error correction M) as a PNG data URI, one pixel a module: the label's
    CSS scales it without smoothing (``image-rendering: pixelated``), so it prints as sharp as a
    vector code at a fifth of the cost (inline SVG took WeasyPrint ~12 ms a label, this ~2 ms)."""
    import segno  # by the first label, not by the start

    return segno.make(url, error="m").png_data_uri(scale=1, border=0)


def label_context(params: dict, scope) -> dict:
    size = SIZES[params["size"]]
    skip = params.get("skip") or 0
    if skip >= size.per_page:
        raise ValidationError({"skip": [_("该规格每张只有 %(n)s 个标签位", n=size.per_page)]})
    cards = chosen_cards(params, scope)
    base = base_url()
    orgs = {o.id: o.name for o in db.session.execute(
        select(Organization).where(Organization.id.in_({a.organization_id for a in cards}))).scalars()}
    labels = [None] * skip + [
        {"number": a.number, "name": a.name, "organization": orgs.get(a.organization_id, ""),
         "url": (url := card_url(a.id, base)), "qr": qr_image(url)} for a in cards]
    sheets = [labels[i:i + size.per_page] for i in range(0, len(labels), size.per_page)]
    return {"size": size, "sheets": sheets, "count": len(cards)}
