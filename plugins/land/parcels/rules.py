"""Rules of Art. 20-21 on parcels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Rule
from plugins.land.parcels.models import LandParcel


def _registered_without_certificate(parcel: LandParcel, ctx):
    return parcel.registration_status == "registered" and not (parcel.certificate_no or "").strip()


def _title_not_with_bureau(parcel: LandParcel, ctx):
    """Art. 21: registered government land is to be held by the offices-administration bureau."""
    if parcel.registration_status != "registered":
        return None
    holder = ctx.related(parcel, "title_holder")
    if holder is not None and holder.is_bureau:
        return None
    return {"holder": holder.name if holder is not None else "（未填写）"}


RULES = [
    Rule(
        key="land.certificate_required", article=20, severity="block", model=LandParcel,
        message=_l("已登记的宗地必须填写不动产权证书号"),
        check=_registered_without_certificate,
    ),
    Rule(
        key="land.title_holder_bureau", article=21, severity="flag", model=LandParcel,
        message=_l("已登记宗地的权利人“%(holder)s”不是机关事务管理部门，应按规定将权利人变更登记"),
        check=_title_not_with_bureau,
    ),
]
