"""Rules on the catalog itself (standards are data with effective dates, Art. 11)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from catalog.models import Jurisdiction, Standard
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
        key="catalog.standard_period_order", article=11, severity="block", model=Standard,
        message=_l("标准的失效日期早于生效日期"), check=_period_reversed,
    ),
    Rule(
        key="catalog.standard_no_overlap", article=11, severity="block", model=Standard,
        message=_l("同一辖区同一标准的有效期不能重叠：请先为现行标准设置失效日期"),
        check=_overlaps,
    ),
    Rule(
        key="catalog.jurisdiction_level", article=2, severity="block", model=Jurisdiction,
        message=_l("辖区层级与上级不符（自治区 → 地州市 → 县市区）"), check=_parent_level,
    ),
]
