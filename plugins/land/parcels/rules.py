"""Rules of Art. 21 (and Art. 43) on parcels.

Art. 20 is the government's planning of land (统一管理, 集中办公); the certificate and the title
holder are Art. 21's 确权登记 and "权属登记至本级机关事务管理部门名下". Art. 43: the other state
organs, 事业单位 and 人民团体 follow the Measures by reference (参照), so for the parcels they use
the title-holder finding is guidance, not a violation: a rule of its own, so each row of
docs/rules.md keeps one article, one severity and one wording.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.land.parcels.models import LandParcel

#: Art. 43's bodies, until the catalog's ``Organization.applies_by_reference`` (issue 11) is there
REFERENCE_TYPES = ("other_state_organ", "public_institution", "peoples_organization")


def applies_by_reference(org) -> bool:
    """Whether the Measures apply to ``org`` only by reference (参照, Art. 43)."""
    if org is None:
        return False
    return bool(getattr(org, "applies_by_reference", org.org_type in REFERENCE_TYPES))


def _registered_without_certificate(parcel: LandParcel, ctx):
    return parcel.registration_status == "registered" and not (parcel.certificate_no or "").strip()


def _title_problem(parcel: LandParcel, ctx):
    """Art. 21: registered land is held by the offices-administration bureau of the parcel's
    own level — a bureau whose jurisdiction is the parcel's, not the one above or beside it."""
    if parcel.registration_status != "registered":
        return None
    holder = ctx.related(parcel, "title_holder")
    jurisdiction = ctx.related(parcel, "jurisdiction")
    if holder is not None and holder.is_bureau and jurisdiction is not None \
            and holder.jurisdiction_id == jurisdiction.id:
        return None
    user = ctx.related(parcel, "organization")
    return {"holder": holder.name if holder is not None else _l("（未填写）"),
            "level": jurisdiction.name if jurisdiction is not None else "",
            "org": user.name if user is not None else "", "user": user}


def _title_not_with_bureau(parcel: LandParcel, ctx):
    problem = _title_problem(parcel, ctx)
    if problem is None or applies_by_reference(problem.pop("user")):
        return None
    return problem


def _title_guidance(parcel: LandParcel, ctx):
    problem = _title_problem(parcel, ctx)
    if problem is None or not applies_by_reference(problem.pop("user")):
        return None
    return problem


RULES = [
    Rule(
        key="land.certificate_required", article=21, severity="block", model=LandParcel,
        message=_l("已登记的宗地必须填写不动产权证书号"),
        check=_registered_without_certificate,
    ),
    Rule(
        key="land.title_holder_bureau", article=21, severity="flag", model=LandParcel,
        message=_l("已登记宗地的权利人“%(holder)s”不是本级（%(level)s）机关事务管理部门，"
                   "应按规定将权利人变更登记至本级机关事务管理部门名下"),
        check=_title_not_with_bureau,
    ),
    Rule(
        key="land.title_holder_bureau_reference", article=43, severity="flag", model=LandParcel,
        message=_l("参照执行：使用单位“%(org)s”参照《办法》执行（不属违规），建议将权利人“%(holder)s”"
                   "变更登记至本级（%(level)s）机关事务管理部门名下（参照《办法》第二十一条）"),
        check=_title_guidance,
    ),
]
