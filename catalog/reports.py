"""The catalog's PDF report: 机构名录 (organisations in scope, by jurisdiction; Art. 43)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from catalog.models import ORG_TYPES, Jurisdiction, Organization, organ_level_label
from core.api import STANDARD_SIGNATURES, Report, db, scoped


class DirectoryParams(Schema):
    org_type = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(list(ORG_TYPES)),
        metadata={"label": _l("单位类型"), "choices": ORG_TYPES, "description": _l("不选则列出全部类型")},
    )
    landscape = fields.Boolean(load_default=False, metadata={"label": _l("横向排版")})


def directory_rows(params: dict, scope) -> int:
    """How many organisations the directory will list (a COUNT, to choose inline or background)."""
    query = select(func.count(Organization.id))
    if params.get("org_type"):
        query = query.where(Organization.org_type == params["org_type"])
    return db.session.execute(scoped(query, Organization, scope)).scalar()


def directory_context(params: dict, scope) -> dict:
    query = (
        select(Organization, Jurisdiction)
        .join(Jurisdiction, Organization.jurisdiction_id == Jurisdiction.id)
        .order_by(Jurisdiction.path, Organization.name, Organization.id)
    )
    if params.get("org_type"):
        query = query.where(Organization.org_type == params["org_type"])
    groups: list[dict] = []
    for org, place in db.session.execute(scoped(query, Organization, scope)):
        if not groups or groups[-1]["code"] != place.code:
            groups.append({"code": place.code, "name": place.name, "level": place.level_label,
                           "orgs": []})
        groups[-1]["orgs"].append({
            "name": org.name, "uscc": org.uscc, "type": org.org_type_label,
            "level": organ_level_label(org.organ_level), "is_bureau": org.is_bureau,
        })
    total = sum(len(g["orgs"]) for g in groups)
    bureaus = sum(1 for g in groups for o in g["orgs"] if o["is_bureau"])
    note = ""
    if params.get("org_type"):
        note = _("单位类型：%(type)s", type=ORG_TYPES[params["org_type"]])
    return {
        "subtitle_ug": "ئورگان-ئورۇنلار مۇندەرىجىسى",
        "groups": groups, "total": total, "bureaus": bureaus, "filter_note": note,
        "orientation": "landscape" if params.get("landscape") else "portrait",
    }


REPORTS = [
    Report(
        key="organization_directory", label=_l("机构名录"), params_schema=DirectoryParams,
        build_context=directory_context, template="catalog/report_directory.html",
        signatures=STANDARD_SIGNATURES, estimate_rows=directory_rows,
        description=_l("权限范围内的单位，按辖区分组：名称、统一社会信用代码、类型、机构级别、"
                        "是否机关事务管理部门（第四十三条）"),
    ),
]
