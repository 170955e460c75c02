"""Rules on the catalog itself: standards are data with effective dates (Art. 11); the tree of
divisions down to the townships and the organisations the Measures govern (Art. 2, 43); the
establishment 定员定额 budgets by (Art. 12)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from catalog.holidays import Holiday
from catalog.models import (
    IN_SCOPE_TYPES,
    LEVEL_ORDER,
    ORG_TYPES,
    Establishment,
    Jurisdiction,
    Organization,
    Standard,
    organ_level_label,
)
from catalog.standards import GOVERNED, kind_of, looser_than_above
from catalog.suppliers import SUPPLIER_KINDS, DesignatedSupplier
from catalog.vehicle_categories import ESTABLISHMENT_BODIES, VehicleCategory
from core.api import Rule, get_state
from core.display import join_items


def _unknown_kind(standard: Standard, ctx):
    kinds = get_state().standard_kinds
    return {"kind": standard.kind} if standard.kind not in kinds else None


def _unknown_key(standard: Standard, ctx):
    found = get_state().standard_kinds.get(standard.kind)
    kind = found[1] if found else None
    if kind is None or kind.key_choices is None:
        return None
    keys = {str(key): label for key, label in kind.key_choices()}
    if standard.key in keys:
        return None
    return {"key": standard.key, "kind": kind.label, "what": kind.key_label or _l("项目"),
            "examples": join_items(str(label) for label in list(keys.values())[:3])}


def _period_reversed(record, ctx):
    """A period (``effective_from``–``effective_to``) that ends before it starts: a standard, a
    designated supplier, a vehicle category."""
    return bool(record.effective_to and record.effective_from and record.effective_to < record.effective_from)


def _overlaps(standard: Standard, ctx):
    far = standard.effective_to
    jurisdiction_id = ctx.value(standard, "jurisdiction_id")
    for other in ctx.new_before(standard, Standard):  # earlier in this flush (an import)
        if (other.kind == standard.kind and other.key == standard.key
                and ctx.value(other, "jurisdiction_id") == jurisdiction_id
                and other.effective_from is not None and standard.effective_from is not None
                and (other.effective_to is None or other.effective_to >= standard.effective_from)
                and (far is None or other.effective_from <= far)):
            return True
    query = select(Standard.id).where(
        Standard.kind == standard.kind,
        Standard.key == standard.key,
        Standard.jurisdiction_id == ctx.value(standard, "jurisdiction_id"),
        or_(Standard.effective_to.is_(None), Standard.effective_to >= standard.effective_from),
    )
    if far is not None:
        query = query.where(Standard.effective_from <= far)
    if standard.id is not None:
        query = query.where(Standard.id != standard.id)
    return ctx.session.execute(query.limit(1)).first() is not None


def _value_mismatch(standard: Standard, ctx):
    """Exactly the value the kind's type asks for: a number, or a text (a 服务标准)."""
    kind = kind_of(standard.kind)
    if kind is None:
        return None
    text = (standard.text_value or "").strip()
    if kind.value_type == "text":
        if text and standard.value is None:
            return None
        return {"kind": kind.label, "fix": _("文字标准：请填写标准内容（服务内容和等级），不填数值")}
    if standard.value is not None and not text:
        return None
    return {"kind": kind.label, "fix": _("数值标准：请填写标准值，不填标准内容")}


def _looser_written(standard: Standard, ctx):
    """Written looser than the standard above: refused (its own value, dates or place changed)."""
    return looser_than_above(standard, ctx) if ctx.changed(standard, *GOVERNED) else None


def _looser_left(standard: Standard, ctx):
    """Left looser by a change above (a flag on the lower standard; the block above catches
    its own writes first), closed once it follows."""
    return looser_than_above(standard, ctx)


def _backdated_without_reason(standard: Standard, ctx):
    if standard.effective_from is None or standard.effective_from >= ctx.today:
        return None
    if not ctx.changed(standard, "effective_from", "backdate_reason"):
        return None  # in force since before today, as recorded
    if (standard.backdate_reason or "").strip():
        return None
    return {"day": standard.effective_from.isoformat()}


def _backdated(standard: Standard, ctx):
    reason = (standard.backdate_reason or "").strip()
    if not reason or standard.effective_from is None:
        return None
    return {"day": standard.effective_from.isoformat(), "reason": reason}


def _parent_level(jurisdiction: Jurisdiction, ctx):
    parent = ctx.related(jurisdiction, "parent")
    if parent is None:
        return jurisdiction.level != "region"
    return LEVEL_ORDER.get(parent.level, 9) + 1 != LEVEL_ORDER.get(jurisdiction.level, -1)


def _code_shape(jurisdiction: Jurisdiction, ctx):
    """GB/T 2260 gives 6 digits down to the county; a township's statistical code has 12, the
    first 6 its county's."""
    code = jurisdiction.code or ""
    if jurisdiction.level != "township":
        return len(code) != 6
    parent = ctx.related(jurisdiction, "parent")
    return len(code) != 12 or (parent is not None and not code.startswith(parent.code))


def _type_out_of_scope(org: Organization, ctx):
    """Art. 2 and 43 name whom the Measures govern; 其他组织 (an enterprise, a society) or an
    unknown type is not (the key 'other' stays so that such a row can be read and corrected)."""
    if org.org_type is None or org.org_type in IN_SCOPE_TYPES or not ctx.changed(org, "org_type"):
        return None  # None: the column's default (各级人民政府及其部门) on insert
    return {"type": str(ORG_TYPES.get(org.org_type, org.org_type))}


def derive_organ_level(org: Organization, ctx) -> None:
    """An organ's level defaults to its jurisdiction's level; once stored it is kept."""
    if not org.organ_level:
        jurisdiction = ctx.related(org, "jurisdiction")
        if jurisdiction is not None:
            org.organ_level = jurisdiction.level


def _organ_level_above(org: Organization, ctx):
    """An organ does not rank above the government it belongs to (a county cannot hold a
    地州市级 organ); it may sit lower (a 乡镇级 office recorded under its county)."""
    if not ctx.changed(org, "organ_level", "jurisdiction_id"):
        return None
    jurisdiction = ctx.related(org, "jurisdiction")
    if jurisdiction is None or org.organ_level is None:
        return None
    if org.organ_level not in LEVEL_ORDER:
        return {"level": org.organ_level, "jur": str(jurisdiction)}
    if LEVEL_ORDER[org.organ_level] < LEVEL_ORDER.get(jurisdiction.level, 0):
        return {"level": organ_level_label(org.organ_level), "jur": str(jurisdiction)}
    return None


def _negative(record: Establishment, ctx):
    fields = {"administrative": _l("行政编制"), "institutional": _l("事业编制"),
              "actual": _l("实有人数"), "leaders": _l("领导职数")}
    bad = [str(label) for name, label in fields.items() if (getattr(record, name) or 0) < 0]
    return {"fields": join_items(bad)} if bad else None


def _same_day(record: Establishment, ctx):
    org_id = ctx.value(record, "organization_id")
    if org_id is None or record.effective_from is None:
        return None
    if any(ctx.value(other, "organization_id") == org_id and other.effective_from == record.effective_from
           for other in ctx.new_before(record, Establishment)):  # earlier in this flush (an import)
        return {"day": record.effective_from.isoformat()}
    query = select(Establishment.id).where(Establishment.organization_id == org_id,
                                           Establishment.effective_from == record.effective_from)
    if record.id is not None:
        query = query.where(Establishment.id != record.id)
    if ctx.session.execute(query.limit(1)).first() is None:
        return None
    return {"day": record.effective_from.isoformat()}


def _holiday_reversed(holiday: Holiday, ctx):
    if holiday.starts_on is None or holiday.ends_on is None or holiday.ends_on >= holiday.starts_on:
        return None
    return {"start": holiday.starts_on.isoformat(), "end": holiday.ends_on.isoformat()}


def _holiday_twice(holiday: Holiday, ctx):
    """The same holiday of one jurisdiction entered twice over overlapping days (an import run
    again, a notice typed in by two clerks): the sealing would count its days twice."""
    jurisdiction_id = ctx.value(holiday, "jurisdiction_id")
    if None in (jurisdiction_id, holiday.starts_on, holiday.ends_on) or not holiday.name:
        return None
    for other in ctx.new_before(holiday, Holiday):  # earlier in this flush (an import)
        if (ctx.value(other, "jurisdiction_id") == jurisdiction_id
                and (other.name or "").strip() == holiday.name.strip()
                and other.starts_on is not None and other.ends_on is not None
                and other.starts_on <= holiday.ends_on and other.ends_on >= holiday.starts_on):
            return {"name": holiday.name.strip(), "start": other.starts_on.isoformat(),
                    "end": other.ends_on.isoformat()}
    query = select(Holiday.starts_on, Holiday.ends_on).where(
        Holiday.jurisdiction_id == jurisdiction_id, Holiday.name == holiday.name.strip(),
        Holiday.starts_on <= holiday.ends_on, Holiday.ends_on >= holiday.starts_on)
    if holiday.id is not None:
        query = query.where(Holiday.id != holiday.id)
    found = ctx.session.execute(query.limit(1)).first()
    if found is None:
        return None
    return {"name": holiday.name.strip(), "start": found[0].isoformat(), "end": found[1].isoformat()}


def _supplier_kind_unknown(supplier: DesignatedSupplier, ctx):
    if supplier.kind in SUPPLIER_KINDS:
        return None
    return {"kind": supplier.kind or "",
            "choices": join_items(str(label) for label in SUPPLIER_KINDS.values())}


def _category_body_unknown(category: VehicleCategory, ctx):
    if category.establishment_body in ESTABLISHMENT_BODIES:
        return None
    return {"body": category.establishment_body or ""}


RULES = [
    Rule(
        key="catalog.standard_kind_known", article=11, severity="block", model=Standard,
        message=_l("标准类别“%(kind)s”未被任何已安装模块登记"), check=_unknown_kind,
    ),
    Rule(
        key="catalog.standard_key_known", article=11, severity="block", model=Standard,
        message=_l("“%(key)s”不是“%(kind)s”可用的%(what)s（如 %(examples)s）：请从列表中选择"),
        check=_unknown_key,
    ),
    Rule(
        key="catalog.standard_value_type", article=11, severity="block", model=Standard,
        message=_l("“%(kind)s”是%(fix)s"), check=_value_mismatch,
    ),
    Rule(
        key="catalog.standard_period_order", article=11, severity="block", model=Standard,
        message=_l("标准的失效日期早于生效日期"), check=_period_reversed,
    ),
    Rule(
        key="catalog.standard_no_overlap", article=11, severity="block", model=Standard,
        message=_l("同一辖区同一标准的有效期不能重叠：请先为现行标准设置失效日期"),
        check=_overlaps,
    ),
    Rule(
        key="catalog.standard_not_looser", article=11, severity="block", model=Standard,
        message=_l("“%(kind)s”%(why)s：%(above)s自 %(since)s 起执行 %(higher)s，本标准为 %(own)s"),
        check=_looser_written,
    ),
    Rule(
        key="catalog.standard_looser_than_above", article=11, severity="flag", model=Standard,
        message=_l("上级标准已调整：%(above)s自 %(since)s 起执行“%(kind)s”%(higher)s，本标准 %(own)s "
                   "已宽于上级标准（%(why)s），请本级及时调整"),
        check=_looser_left,
    ),
    Rule(
        key="catalog.standard_backdate_reason", article=11, severity="block", model=Standard,
        message=_l("生效日期 %(day)s 早于录入之日：追溯生效的标准须填写追溯生效理由"),
        check=_backdated_without_reason,
    ),
    Rule(
        key="catalog.standard_backdated", article=11, severity="flag", model=Standard,
        message=_l("追溯生效的标准：自 %(day)s 起生效，早于录入之日，理由：%(reason)s。"
                   "请上级机关事务管理部门审查"),
        check=_backdated,
    ),
    Rule(
        key="catalog.jurisdiction_level", article=2, severity="block", model=Jurisdiction,
        message=_l("辖区层级与上级不符（自治区 → 地州市 → 县市区 → 乡镇街道）"), check=_parent_level,
    ),
    Rule(
        key="catalog.jurisdiction_code", article=2, severity="block", model=Jurisdiction,
        message=_l("区划代码与层级不符：自治区、地州市、县市区用 6 位 GB/T 2260 代码，"
                   "乡镇街道用 12 位统计用区划代码，且前 6 位为所属县市区的代码"),
        check=_code_shape,
    ),
    Rule(
        key="catalog.organization_type_in_scope", article=43, severity="block", model=Organization,
        message=_l("单位类型“%(type)s”不在《办法》适用范围内：第二条适用于各级人民政府及其部门，"
                   "第四十三条规定其他国家机关、事业单位和人民团体参照执行；请选择其中一种单位类型"),
        check=_type_out_of_scope,
    ),
    Rule(
        key="catalog.organ_level_in_jurisdiction", article=2, severity="block", model=Organization,
        message=_l("机构级别“%(level)s”高于所属辖区 %(jur)s 的层级：单位的机构级别不能高于其所属的人民政府"),
        check=_organ_level_above,
    ),
    Rule(
        key="catalog.establishment_non_negative", article=12, severity="block", model=Establishment,
        message=_l("编制核定中的%(fields)s不能为负数"), check=_negative,
    ),
    Rule(
        key="catalog.establishment_one_per_day", article=12, severity="block", model=Establishment,
        message=_l("该单位 %(day)s 生效的编制核定已有记录：新的核定决定请按其生效日期另行登记，"
                   "更正错误请修改原记录"),
        check=_same_day,
    ),
    Rule(
        key="catalog.holiday_period_order", article=29, severity="block", model=Holiday,
        message=_l("放假结束日期 %(end)s 早于开始日期 %(start)s"), check=_holiday_reversed,
    ),
    Rule(
        key="catalog.holiday_no_duplicate", article=29, severity="block", model=Holiday,
        message=_l("本辖区已登记%(name)s（%(start)s 至 %(end)s），与本条放假日期重叠："
                   "调整安排请修改原记录"),
        check=_holiday_twice,
    ),
    Rule(
        key="catalog.supplier_kind_known", article=29, severity="block", model=DesignatedSupplier,
        message=_l("未知的定点类别“%(kind)s”：请选择%(choices)s"), check=_supplier_kind_unknown,
    ),
    Rule(
        key="catalog.supplier_period_order", article=29, severity="block", model=DesignatedSupplier,
        message=_l("定点截止日期早于起始日期"), check=_period_reversed,
    ),
    Rule(
        key="catalog.vehicle_category_body", article=27, severity="block", model=VehicleCategory,
        message=_l("未知的编制核定部门“%(body)s”：机要通信、应急保障和其他用车由机关事务管理部门核定，"
                   "执法执勤、特种专业技术用车由财政部门核定并报机关事务管理部门备案"),
        check=_category_body_unknown,
    ),
    Rule(
        key="catalog.vehicle_category_period_order", article=27, severity="block", model=VehicleCategory,
        message=_l("公务用车类别的失效日期早于生效日期"), check=_period_reversed,
    ),
]
