"""资产台账 (Art. 18): the asset ledger of a scope, on the long-ledger renderer.

The preview (HTML) shows the totals and the first rows; the PDF is drawn by
``render_ledger_pdf`` because a ledger runs to thousands of rows.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import func, or_, select

from catalog.models import Jurisdiction, Organization, Person
from core.api import (
    STANDARD_SIGNATURES,
    LedgerColumn,
    Report,
    chinese_date,
    db,
    ledger_meta,
    render_ledger_pdf,
    scoped,
)
from plugins.assets.cards.labels import LabelParams, label_context
from plugins.assets.cards.models import ASSET_STATUSES, Asset, AssetClass

#: Rows shown in the HTML preview; the PDF has them all.
PREVIEW_ROWS = 200


class LedgerParams(Schema):
    organization = fields.String(load_default=None, allow_none=True, metadata={
        "label": _l("使用单位"),
        "description": _l("输入单位名称或统一社会信用代码搜索；不填则为权限范围内全部单位"),
        "record": "organization", "record_value": "name",
    })
    class_code = fields.String(load_default=None, allow_none=True, metadata={
        "label": _l("资产分类代码"), "description": _l("如 2010000，含下级分类；不填则为全部分类"),
    })
    status = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(list(ASSET_STATUSES)),
        metadata={"label": _l("资产状态"), "choices": ASSET_STATUSES,
                  "description": _l("不选则列出除“已处置”外的全部资产")},
    )
    include_disposed = fields.Boolean(load_default=False, metadata={"label": _l("包含已处置资产")})
    acquired_from = fields.Date(load_default=None, allow_none=True, metadata={"label": _l("取得日期自")})
    acquired_to = fields.Date(load_default=None, allow_none=True, metadata={"label": _l("取得日期至")})

    @validates_schema
    def _range(self, data, **_kw):
        start, end = data.get("acquired_from"), data.get("acquired_to")
        if start and end and start > end:
            raise ValidationError(_("不能早于“取得日期自”"), "acquired_to")


def _class_ids(code: str) -> list[int]:
    """The class with ``code`` and every class below it (the tree is small: read it whole)."""
    classes = db.session.execute(select(AssetClass.id, AssetClass.code, AssetClass.parent_id)).all()
    root = next((c for c in classes if c.code == code), None)
    if root is None:
        raise ValidationError({"class_code": [_("没有代码为 %(code)s 的资产分类", code=code)]})
    found, frontier = {root.id}, {root.id}
    while frontier:
        frontier = {c.id for c in classes if c.parent_id in frontier} - found
        found |= frontier
    return sorted(found)


def _organization(text: str, scope) -> Organization:
    text = text.strip()
    query = select(Organization).where(or_(Organization.name == text, Organization.uscc == text.upper()))
    org = db.session.execute(scoped(query, Organization, scope, for_reference=True)).scalars().first()
    if org is None:
        raise ValidationError({"organization": [_("权限范围内没有名称或信用代码为“%(text)s”的单位",
                                                  text=text)]})
    return org


def _filtered(query, params: dict, scope):
    """``query`` over Asset restricted to the parameters and the caller's scope (voided cards are
    no longer on the books)."""
    notes = []
    query = query.where(Asset.voided_at.is_(None))
    if params.get("organization"):
        org = _organization(params["organization"], scope)
        query = query.where(Asset.organization_id == org.id)
        notes.append(_("使用单位：%(org)s", org=org.name))
    if params.get("class_code"):
        query = query.where(Asset.class_id.in_(_class_ids(params["class_code"].strip())))
        notes.append(_("资产分类：%(code)s 及下级", code=params["class_code"].strip()))
    if params.get("status"):
        query = query.where(Asset.status == params["status"])
        notes.append(_("资产状态：%(status)s", status=ASSET_STATUSES[params["status"]]))
    elif not params.get("include_disposed"):
        query = query.where(Asset.status != "disposed")
    if params.get("acquired_from"):
        query = query.where(Asset.acquired_on >= params["acquired_from"])
    if params.get("acquired_to"):
        query = query.where(Asset.acquired_on <= params["acquired_to"])
    return scoped(query, Asset, scope), notes


def ledger_rows(params: dict, scope) -> int:
    query, _notes = _filtered(select(func.count(Asset.id)), params, scope)
    return db.session.execute(query).scalar()


def ledger_context(params: dict, scope) -> dict:
    query = (
        select(Asset.number, Asset.name, AssetClass.code, AssetClass.name, Asset.specification,
               Organization.name, Person.name, Asset.quantity, Asset.unit, Asset.original_value,
               Asset.acquired_on, Asset.status)
        .join(AssetClass, Asset.class_id == AssetClass.id)
        .join(Organization, Asset.organization_id == Organization.id)
        .join(Jurisdiction, Asset.jurisdiction_id == Jurisdiction.id)
        .outerjoin(Person, Asset.custodian_id == Person.id)
        .order_by(Jurisdiction.path, Organization.name, Asset.number)
    )
    query, notes = _filtered(query, params, scope)
    rows, by_class, by_status = [], {}, {}
    for (number, name, class_code, class_name, spec, org, custodian, qty, unit, value, acquired,
         status) in db.session.execute(query):
        status_label = str(ASSET_STATUSES.get(status, status))
        rows.append((number, name, class_name, spec or "", org, custodian or "", qty, unit, value,
                     acquired, status_label))
        for bucket, key in ((by_class, f"{class_code} {class_name}"), (by_status, status_label)):
            entry = bucket.setdefault(key, {"count": 0, "quantity": 0, "value": Decimal(0)})
            entry["count"] += 1
            entry["quantity"] += qty
            entry["value"] += Decimal(value)
    total_value = sum((Decimal(r[8]) for r in rows), Decimal(0))
    period = params.get("acquired_to") or None
    return {
        "subtitle_ug": "مۈلۈك ھېساب دەپتىرى",
        "rows": rows, "preview_rows": rows[:PREVIEW_ROWS], "preview_limit": PREVIEW_ROWS,
        "by_class": sorted(by_class.items()), "by_status": sorted(by_status.items()),
        "total_count": len(rows), "total_quantity": sum(r[6] for r in rows), "total_value": total_value,
        "filter_note": "；".join(str(n) for n in notes),
        **({"period": _("截至 %(date)s", date=chinese_date(period))} if period else {}),
        "orientation": "landscape",
    }


def ledger_columns() -> list[LedgerColumn]:
    return [
        LedgerColumn("number", _("资产编号"), 40), LedgerColumn("name", _("资产名称")),
        LedgerColumn("class", _("资产分类"), 24), LedgerColumn("spec", _("规格型号"), 30),
        LedgerColumn("org", _("使用单位"), 0.17), LedgerColumn("custodian", _("保管人"), 16),
        LedgerColumn("qty", _("数量"), 11, align="right", sum=True),
        LedgerColumn("unit", pgettext("计量", "单位"), 9, align="center"),  # not 单位 = organisation
        LedgerColumn("value", _("原值（元）"), 26, align="right", fmt=",.2f", sum=True),
        LedgerColumn("acquired", _("取得日期"), 21, align="center"),
        LedgerColumn("status", _("状态"), 14, align="center"),
    ]


def render_ledger(context: dict) -> bytes:
    """The PDF: every row, 合计, then 其中 per status and per class."""
    totals = {}
    for label, bucket in (*context["by_status"], *context["by_class"]):
        totals[_("其中：%(what)s", what=label)] = {"qty": bucket["quantity"], "value": bucket["value"]}
    subtitle = context["period"]
    if context.get("filter_note"):  # under the title: the meta line has no room for it
        subtitle = f"{subtitle}　{context['filter_note']}"
    title = context["title"] + (_("（草稿）") if context.get("draft") else "")
    return render_ledger_pdf(title, ledger_columns(), context["rows"], totals=totals,
                             meta=ledger_meta(context), subtitle=subtitle, orientation="landscape")


def reports() -> list[Report]:
    return [
        Report(
            key="asset_ledger", label=_l("资产台账"), params_schema=LedgerParams,
            build_context=ledger_context, template="assets/report_ledger.html",
            orientation="landscape", signatures=STANDARD_SIGNATURES, estimate_rows=ledger_rows,
            render_pdf=render_ledger,
            description=_l("权限范围内的资产卡片，可按单位、分类、状态、取得日期筛选；按分类和状态小计（第十八条）"),
        ),
        Report(
            key="asset_labels", label=_l("资产标签"), params_schema=LabelParams,
            build_context=label_context, template="assets/labels.html", prints="asset",
            description=_l("资产卡片的标签：编号、名称、使用单位和打开卡片的二维码；可选标签规格，"
                           "打印一张卡片、所选卡片或一次入库的全部卡片"),
        ),
    ]
