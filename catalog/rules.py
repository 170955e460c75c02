"""Rules on the catalog itself (standards are data with effective dates, Art. 11)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from catalog.models import Jurisdiction, Standard
from catalog.standards import GOVERNED, kind_of, looser_than_above
from core.api import Rule, get_state


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
            "examples": "、".join(str(label) for label in list(keys.values())[:3])}


def _period_reversed(standard: Standard, ctx):
    return bool(standard.effective_to and standard.effective_to < standard.effective_from)


def _overlaps(standard: Standard, ctx):
    far = standard.effective_to
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
    order = {"region": 0, "prefecture": 1, "county": 2}
    parent = ctx.related(jurisdiction, "parent")
    if parent is None:
        return jurisdiction.level != "region"
    return order.get(parent.level, 9) + 1 != order.get(jurisdiction.level, -1)


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
        message=_l("辖区层级与上级不符（自治区 → 地州市 → 县市区）"), check=_parent_level,
    ),
]
