"""Screens and REST API of the custody area (Art. 18): receipt (入库登记) and the card history.

The moves of a card (领用, 交回, 保管人变更 …) are operations (custody/operations.py): a button on
the card, ``POST /api/v1/asset/<pk>/<operation>`` and ``jiguan op``. The older paths
``/assets/custody/<pk>/<move>`` (screen) and ``POST /api/v1/asset_custody/<pk>/<move>`` stay
as aliases of the same operations. A refused move shows its Chinese message and nothing is
written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import abort, current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect, safe
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from catalog.models import Organization, Person
from core.api import (
    ScopedInterface,
    ScopedModelView,
    ViewSpec,
    WriteRefused,
    choice_field,
    current_scope,
    db,
    local_today,
    operation_for,
    run_operation,
    scoped,
)
from plugins.assets.cards.models import ASSET_STATUSES, FUNDING_SOURCES, Asset, AssetClass, AssetMovement
from plugins.assets.custody.models import AssetReceipt, CustodyError, receive
from plugins.assets.custody.operations import scoped_person

#: The older move paths, each the operation of the same name (custody/operations.py).
MOVES = ("check_out", "return", "transfer")
RECEIPT_STATUS_CHOICES = {"idle": _l("闲置（入库待领用）"), "in_use": _l("在用（入库即领用）")}


# --- lookups within the user's scope ----------------------------------------------------------


def scoped_asset(pk) -> Asset | None:
    return db.session.execute(scoped(select(Asset).where(Asset.id == pk), Asset)).scalar_one_or_none()


def people_of(org_id) -> list[Person]:
    query = select(Person).where(Person.organization_id == org_id).order_by(Person.name)
    return list(db.session.execute(scoped(query, Person)).scalars())


def organizations_in_scope() -> list[Organization]:
    query = select(Organization).order_by(Organization.name)
    return list(db.session.execute(scoped(query, Organization)).scalars())


def leaf_classes() -> list[AssetClass]:
    classes = db.session.execute(select(AssetClass).order_by(AssetClass.code)).scalars().all()
    parents = {c.parent_id for c in classes}
    return [c for c in classes if c.id not in parents]


def movement_rows(asset: Asset) -> list[dict]:
    """The card's history (资产变动记录), newest first, as a clerk reads it."""
    user_model = current_app.appbuilder.sm.user_model
    query = (select(AssetMovement).where(AssetMovement.asset_id == asset.id)
             .order_by(AssetMovement.happened_on.desc(), AssetMovement.id.desc()))
    movements = db.session.execute(query).scalars().all()
    user_ids = {m.user_id for m in movements if m.user_id}
    users = {u.id: u for u in db.session.execute(
        select(user_model).where(user_model.id.in_(user_ids))).scalars()} if user_ids else {}

    def pair(before, after, label=lambda v: v):
        if before == after:
            return None
        return f"{label(before) if before else '—'} → {label(after) if after else '—'}"

    def status(value):
        return str(ASSET_STATUSES.get(value, value))

    rows = []
    for m in movements:
        user = users.get(m.user_id)
        changes = [
            (_("保管人"), pair(m.from_custodian.name if m.from_custodian else None,
                               m.to_custodian.name if m.to_custodian else None)),
            (_("状态"), pair(m.from_status, m.to_status, status)),
            (_("地点"), pair(m.from_location, m.to_location)),
            (_("单位"), pair(m.from_organization.name if m.from_organization else None,
                             m.to_organization.name if m.to_organization else None)),
        ]
        rows.append(dict(
            on=m.happened_on, kind=m.kind, kind_label=m.kind_label, source=m.source or "",
            changes=[f"{name}：{text}" for name, text in changes if text],
            who=(f"{user.get_full_name()}（{user.username}）" if user else _("系统")),
            note=m.note or "",
        ))
    return rows


# --- the screens --------------------------------------------------------------------------------


class ReceiptForm(FlaskForm):
    asset_class = SelectField(_l("资产分类"), choices=[], validate_choice=False,
                              validators=[DataRequired(message=_l("请选择资产分类"))])
    name = StringField(_l("资产名称"), validators=[DataRequired(message=_l("请填写资产名称")),
                                                 Length(max=128)])
    specification = StringField(_l("规格型号"), validators=[Optional(), Length(max=255)])
    quantity = IntegerField(_l("数量"), default=1, validators=[
        InputRequired(message=_l("请填写数量")), NumberRange(min=1, message=_l("数量必须大于 0"))])
    unit = StringField(_l("计量单位"), default="台", validators=[DataRequired(message=_l("请填写计量单位")),
                                                            Length(max=16)])
    unit_price = DecimalField(_l("单价（元）"), places=2, validators=[
        InputRequired(message=_l("请填写单价")), NumberRange(min=0, message=_l("单价不能为负数"))])
    acquired_on = DateField(_l("取得日期"), default=local_today,
                            validators=[DataRequired(message=_l("请填写取得日期"))])
    funding_source = choice_field(_l("经费来源"), FUNDING_SOURCES)
    supplier = StringField(_l("供应商"), validators=[Optional(), Length(max=128)])
    invoice_no = StringField(_l("发票号/合同号"), validators=[Optional(), Length(max=64)])
    organization = SelectField(_l("使用单位"), choices=[], validate_choice=False)
    location = StringField(_l("存放地点"), validators=[Optional(), Length(max=255)])
    status = choice_field(_l("入库后状态"), RECEIPT_STATUS_CHOICES)
    custodian = SelectField(_l("保管人（在用时必填）"), choices=[], validate_choice=False)
    note = TextAreaField(_l("备注"), validators=[Optional()])


class CustodyView(BaseView):
    """入库登记 and the moves of one card (领用/交回/保管人变更)."""

    route_base = "/assets/custody"
    default_view = "receive"
    access = "records"

    @expose("/receive", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    def receive(self):
        scope = current_scope()
        form = ReceiptForm()
        orgs = organizations_in_scope()
        form.asset_class.choices = [("", _("请选择"))] + [(str(c.id), f"{c.code} {c.name}")
                                                         for c in leaf_classes()]
        form.organization.choices = [(str(o.id), o.name) for o in orgs]
        org_id = form.organization.data or (str(scope.organization_id) if scope.organization_id else "")
        form.organization.data = org_id
        # the people of every organisation offered, named with their organisation when there are several
        people = db.session.execute(scoped(
            select(Person).where(Person.organization_id.in_([o.id for o in orgs]))
            .order_by(Person.organization_id, Person.name).limit(2000), Person)).scalars().all()
        names = {o.id: o.name for o in orgs}
        form.custodian.choices = [("", _("（不填）"))] + [
            (str(p.id), p.name if len(orgs) == 1 else f"{p.name}（{names.get(p.organization_id, '')}）")
            for p in people]
        if request.method == "POST" and form.validate():
            try:
                organization = next((o for o in orgs if str(o.id) == form.organization.data), None)
                if organization is None:
                    raise CustodyError(_("请选择您权限范围内的使用单位"))
                receipt, assets = receive(
                    db.session, organization=organization,
                    asset_class=db.session.get(AssetClass, int(form.asset_class.data)),
                    name=form.name.data, specification=form.specification.data or None,
                    quantity=form.quantity.data, unit=form.unit.data, unit_price=form.unit_price.data,
                    acquired_on=form.acquired_on.data, funding_source=form.funding_source.data,
                    supplier=form.supplier.data or None, invoice_no=form.invoice_no.data or None,
                    location=form.location.data or None, status=form.status.data,
                    custodian=scoped_person(form.custodian.data), note=form.note.data or None,
                )
                db.session.commit()
            except WriteRefused as exc:
                db.session.rollback()
                flash(exc.message, "danger")
            except (SQLAlchemyError, ValueError):
                db.session.rollback()
                flash(_("保存失败：数据库拒绝了此次修改"), "danger")
            else:
                flash(_("已入库登记 %(no)s：新建资产卡片 %(n)s 张（%(first)s 起）", no=receipt.number,
                        n=len(assets), first=assets[0].number), "success")
                if len(assets) == 1:
                    return redirect(url_for("AssetView.show", pk=assets[0].id))
                return redirect(url_for("AssetReceiptView.show", pk=receipt.id))
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return self.render_template("assets/custody_receive.html", form=form,
                                    title=_("入库登记"))

    @expose("/<int:pk>/<any(check_out, return, transfer):kind>", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def move(self, pk, kind):
        """The older move screens: now the card's operation of the same name."""
        if scoped_asset(pk) is None:
            abort(404)  # another jurisdiction's card does not exist for this user
        return redirect(url_for("AssetView.operation", pk=pk, key=kind))


def receipt_cards(receipt: AssetReceipt) -> list[Asset]:
    """The cards a receipt created (their 'receipt' movements name it), as they are now."""
    ids = select(AssetMovement.asset_id).where(AssetMovement.source == f"receipt:{receipt.id}")
    query = select(Asset).where(Asset.id.in_(ids)).order_by(Asset.number)
    return list(db.session.execute(scoped(query, Asset)).scalars())


class AssetReceiptView(ScopedModelView):
    """入库记录: the receipts registered, read-only (new ones through 入库登记)."""

    datamodel = ScopedInterface(AssetReceipt)
    base_permissions = ["can_list", "can_show"]
    show_template = "assets/custody_receipt_show.html"

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            item = self.datamodel.get(kwargs["pk"], self._base_filters)
            if item is not None:
                kwargs["cards"] = receipt_cards(item)
                kwargs["receipt_number"] = item.number
        return super().render_template(template, **kwargs)

    list_title = _l("入库记录")
    list_columns = ["number", "acquired_on", "organization", "name", "asset_class", "quantity", "unit",
                    "unit_price", "supplier", "invoice_no"]
    show_columns = ["number", "organization", "asset_class", "name", "specification", "quantity", "unit",
                    "unit_price", "total_value", "acquired_on", "funding_label", "supplier", "invoice_no",
                    "location", "cards", "note", "recorded_at"]
    search_columns = ["organization", "name", "supplier", "invoice_no", "acquired_on"]
    base_order = ("id", "desc")
    label_columns = {
        "number": _l("入库单号"), "organization": _l("使用单位"), "asset_class": _l("资产分类"),
        "name": _l("资产名称"), "specification": _l("规格型号"), "quantity": _l("数量"),
        "unit": _l("计量单位"), "unit_price": _l("单价（元）"), "total_value": _l("金额（元）"),
        "acquired_on": _l("取得日期"), "funding_label": _l("经费来源"), "supplier": _l("供应商"),
        "invoice_no": _l("发票号/合同号"), "location": _l("存放地点"), "cards": _l("生成卡片数"),
        "note": _l("备注"), "recorded_at": _l("登记时间"),
    }


# --- the REST API -------------------------------------------------------------------------------


def _date(value, label):
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CustodyError(_("“%(field)s”不是有效的日期（应为 YYYY-MM-DD）", field=label)) from None


def _int(value, label, required=False):
    if value in (None, ""):
        if required:
            raise CustodyError(_("缺少“%(field)s”", field=label))
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CustodyError(_("“%(field)s”应为整数", field=label)) from None


def movement_json(asset: Asset) -> list[dict]:
    return [dict(on=row["on"].isoformat(), kind=row["kind"], kind_label=row["kind_label"],
                 changes=row["changes"], who=row["who"], note=row["note"], source=row["source"])
            for row in movement_rows(asset)]


def asset_json(asset: Asset) -> dict:
    return dict(id=asset.id, number=asset.number, status=asset.status, status_label=asset.status_label,
                custodian_id=asset.custodian_id, location=asset.location, version=asset.version)


class CustodyApi(BaseApi):
    """``/api/v1/asset_custody/``: receipt and the moves of a card, same checks as the screens."""

    resource_name = "asset_custody"
    access = "records"
    allow_browser_login = True
    openapi_spec_tag = "资产领用与入库"
    openapi_summaries = {
        "receive": _l("入库登记：新购资产逐件生成资产卡片"),
        "move": _l("资产领用（check_out）、归还（return）或调拨给他人（transfer）"),
        "history": _l("资产的领用、归还和调拨记录"),
    }

    def _run(self, work, success=200):
        try:
            result = work()
            db.session.commit()
        except WriteRefused as exc:
            db.session.rollback()
            return self.response(exc.status, message=exc.message)
        except SQLAlchemyError:
            db.session.rollback()
            return self.response(422, message=_("保存失败：数据库拒绝了此次修改"))
        return self.response(success, **result)

    @expose("/receive", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def receive(self):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response(400, message=_("请求体应为 JSON 对象"))

        def work():
            scope = current_scope()
            org_id = _int(body.get("organization_id"), _("使用单位")) or scope.organization_id
            organization = db.session.execute(scoped(
                select(Organization).where(Organization.id == org_id), Organization)).scalar_one_or_none()
            if organization is None:
                raise CustodyError(_("使用单位不存在或不在您的权限范围内"))
            class_id = _int(body.get("class_id"), _("资产分类"), required=True)
            asset_class = db.session.get(AssetClass, class_id)
            if asset_class is None:
                raise CustodyError(_("资产分类不存在"))
            try:
                unit_price = Decimal(str(body.get("unit_price")))
            except (InvalidOperation, ValueError):
                raise CustodyError(_("“单价”应为数字")) from None
            receipt, assets = receive(
                db.session, organization=organization, asset_class=asset_class,
                name=str(body.get("name") or ""), specification=body.get("specification"),
                quantity=_int(body.get("quantity", 1), _("数量"), required=True),
                unit=str(body.get("unit") or "台"), unit_price=unit_price,
                acquired_on=_date(body.get("acquired_on"), _("取得日期")) or local_today(),
                funding_source=body.get("funding_source") or "fiscal",
                supplier=body.get("supplier"), invoice_no=body.get("invoice_no"),
                location=body.get("location"), status=body.get("status") or "idle",
                custodian=scoped_person(body.get("custodian_id")), note=body.get("note"),
            )
            return dict(receipt_id=receipt.id, receipt_number=receipt.number,
                        assets=[asset_json(a) for a in assets])

        return self._run(work, success=201)

    @expose("/<int:pk>/<any(check_out, return, transfer):kind>", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def move(self, pk, kind):
        """资产领用、交回、保管人变更（旧路径，等同 POST /api/v1/asset/<pk>/<操作>）
        ---
        post:
          summary: 资产领用、交回、保管人变更（旧路径，等同 POST /api/v1/asset/<pk>/<操作>）
          responses:
            200:
              description: 已办理；返回资产及其变动记录
        """
        asset = scoped_asset(pk)
        if asset is None:
            return self.response(404, message=_("资产不存在或不在您的权限范围内"))
        body = request.get_json(silent=True) or {}
        if not isinstance(body, dict):
            return self.response(400, message=_("请求体应为 JSON 对象"))
        seen = body.get("version")
        if seen is not None and str(seen) != str(asset.version):
            return self.response(409, message=_("该资产已被他人修改，请刷新后重试"))

        def work():
            # the older body, as the operation of the same name takes it (blanks: its defaults)
            schema = operation_for(asset, kind).params()
            params = {k: v for k, v in body.items() if k in schema.fields and v not in (None, "")}
            run_operation(asset, kind, params)
            return dict(asset=asset_json(asset), history=movement_json(asset))

        return self._run(work)

    @expose("/<int:pk>/history", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def history(self, pk):
        asset = scoped_asset(pk)
        if asset is None:
            return self.response(404, message=_("资产不存在或不在您的权限范围内"))
        return self.response(200, asset=asset_json(asset), history=movement_json(asset))


def view_specs(common: dict) -> list[ViewSpec]:
    return [
        ViewSpec(CustodyView, "Asset Receipt", _l("入库登记"), icon="fa-sign-in", **common),
        ViewSpec(AssetReceiptView, "Asset Receipts", _l("入库记录"), icon="fa-list", **common),
        ViewSpec(CustodyApi, "asset_custody", menu=False),
    ]
