"""Operations on a unit and on its repair and maintenance records (Art. 25).

接收移交 (待移交 → 空置可配租) records who handed the unit over, the day and the transfer
document's number, and needs the document itself attached (移交文件); 送修 (空置 → 维修中) and
修竣 (维修中 → 空置) move it through repairs; 处置 (→ 已处置) needs the disposal decision's
number. An occupied unit is not sent to repair nor disposed. Only the bureau of the unit's
jurisdiction runs them (the rule ``housing.units_bureau_only`` refuses anyone else on every path).

入账 posts a repair or maintenance job's cost to the catalog's expenditure ledger under 30213
维修（护）费; 作废 of a posted job withdraws the posting.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from catalog.expenditures import post_expenditure, withdraw_expenditures
from core.api import Operation, OperationError, db, has_attachment, local_today, void_operation
from plugins.housing.units.models import MAINTENANCE_ENTITY, UNIT_ENTITY

SOURCE_MODULE = "housing"
#: 政府支出经济分类 30213 维修（护）费: what a unit's repair and maintenance is booked under
REPAIRS_CLASS = "30213"


def _not_future(day, field: str):
    if day is not None and day > local_today():
        raise ValidationError(_("日期不能晚于今天"), field)


class HandoverParams(Schema):
    handed_over_by = fields.String(required=True, validate=validate.Length(min=1, max=128), metadata={
        "label": _l("移交单位"),
        "description": _l("将房源移交机关事务管理部门统一管理的单位，如原产权单位、建设单位")})
    handed_over_on = fields.Date(load_default=local_today, metadata={"label": _l("移交日期")})
    document_no = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={
        "label": _l("移交文件文号"),
        "description": _l("移交文件须先以附件（类别“移交文件”）上传（第二十五条）")})

    @validates("handed_over_by")
    def _by(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写移交单位"))

    @validates("document_no")
    def _document(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写移交文件文号"))

    @validates_schema
    def _day(self, data, **_kw):
        _not_future(data.get("handed_over_on"), "handed_over_on")


class DayParams(Schema):
    on = fields.Date(load_default=local_today, metadata={"label": _l("日期")})

    @validates_schema
    def _day(self, data, **_kw):
        _not_future(data.get("on"), "on")


class DisposeParams(Schema):
    document_no = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={
        "label": _l("处置决定文号"), "description": _l("处置决定文件可以附件（类别“处置决定文件”）上传")})
    disposed_on = fields.Date(load_default=local_today, metadata={"label": _l("处置日期")})

    @validates("document_no")
    def _document(self, value, **_kw):
        if not (value or "").strip():
            raise ValidationError(_("必须填写处置决定文号"))

    @validates_schema
    def _day(self, data, **_kw):
        _not_future(data.get("disposed_on"), "disposed_on")


def _handover(unit, params):
    if not has_attachment(db.session, UNIT_ENTITY, unit.id, "handover"):
        raise OperationError(_("接收移交须先上传移交文件（附件类别“移交文件”）（《办法》第二十五条）"), 422)
    unit.handed_over_by = params["handed_over_by"].strip()
    unit.handed_over_on = params["handed_over_on"]
    unit.handover_document_no = params["document_no"].strip()
    unit.status = "available"
    unit.status_since = params["handed_over_on"]
    return unit


def _to_repair(unit, params):
    unit.status = "maintenance"
    unit.status_since = params["on"]
    return unit


def _repaired(unit, params):
    unit.status = "available"
    unit.status_since = params["on"]
    return unit


def _dispose(unit, params):
    unit.status = "disposed"
    unit.status_since = params["disposed_on"]
    unit.disposal_document_no = params["document_no"].strip()
    unit.disposed_on = params["disposed_on"]
    return unit


class PostParams(Schema):
    posted_on = fields.Date(load_default=local_today, metadata={
        "label": _l("入账日期"), "description": _l("支出按维修日期计入维修（护）费（30213）")})

    @validates_schema
    def _future(self, data, **_kw):
        if data.get("posted_on") and data["posted_on"] > local_today():
            raise ValidationError(_("入账日期不能晚于今天"), "posted_on")


def post_job(session, job) -> None:
    """Book the job's cost under 30213 (idempotent per job)."""
    try:
        post_expenditure(
            session, source_module=SOURCE_MODULE, source_type=MAINTENANCE_ENTITY, source_id=job.id,
            organization=job.organization, spent_on=job.done_on, economic_code=REPAIRS_CLASS,
            amount=job.cost, payee=job.contractor or "",
            description=_("周转住房 %(unit)s %(kind)s", unit=str(job.unit or ""), kind=job.kind_label)[:255],
            source_number=f"HU-{job.unit_id}-{job.id}")
    except ValueError as exc:  # 30213 not in force on that day
        raise OperationError(str(exc), 422) from exc


def _post(job, params):
    if not job.cost:
        raise OperationError(_("维修费用为零，无需入账"), 422)
    if params["posted_on"] < job.done_on:
        raise OperationError(_("入账日期不能早于维修日期 %(day)s", day=job.done_on.isoformat()), 422)
    job.posted = True
    job.posted_on = params["posted_on"]
    post_job(db.session, job)
    return job


def _withdraw(job, _reason):
    if job.posted:
        withdraw_expenditures(db.session, MAINTENANCE_ENTITY, job.id)


def _unit_refusal(unit) -> str | None:
    if unit.status == "occupied":
        return _("房源 %(unit)s 已入住，不能作废（《办法》第二十五条）", unit=str(unit))
    return None


def operations() -> list[Operation]:
    return [
        Operation(key="handover", label=_l("接收移交"), entity=UNIT_ENTITY, run=_handover,
                  params=HandoverParams,
                  changes=("status", "status_since", "handed_over_by", "handed_over_on",
                           "handover_document_no"),
                  when={"status": ("pending",)},
                  description=_l("凭移交文件接收房源，纳入机关事务管理部门统一管理，房源转为空置可配租（第二十五条）"),
                  confirm=_l("请确认移交文件已作为附件上传。")),
        Operation(key="send_to_repair", label=_l("送修"), entity=UNIT_ENTITY, run=_to_repair,
                  params=DayParams,
                  changes=("status", "status_since"), when={"status": ("available",)},
                  description=_l("空置房源送修，维修期间不能配租（第二十五条）")),
        Operation(key="repaired", label=_l("修竣"), entity=UNIT_ENTITY, run=_repaired, params=DayParams,
                  changes=("status", "status_since"), when={"status": ("maintenance",)},
                  description=_l("维修完成，房源恢复空置可配租（第二十五条）")),
        Operation(key="dispose", label=_l("处置"), entity=UNIT_ENTITY, run=_dispose, params=DisposeParams,
                  changes=("status", "status_since", "disposal_document_no", "disposed_on"),
                  when={"status": ("pending", "available", "maintenance")}, style="danger",
                  description=_l("按处置决定处置房源；已入住的房源不能处置（第二十五条）"),
                  confirm=_l("处置后房源不再配租。")),
        void_operation(UNIT_ENTITY, refuse=_unit_refusal),
        Operation(key="post", label=_l("入账"), entity=MAINTENANCE_ENTITY, run=_post, params=PostParams,
                  changes=("posted", "posted_on"), when={"posted": (False,)},
                  description=_l("将维修费用计入维修（护）费（30213）（第二十五条）"),
                  confirm=_l("入账后记录不能修改；如有错误，请作废后重新登记。")),
        void_operation(MAINTENANCE_ENTITY, on_void=_withdraw),
    ]
