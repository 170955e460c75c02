"""Catalog screens: jurisdictions, organisations, staff, standards, and the 数据目录."""

from __future__ import annotations

import csv
import io

from flask import Response, abort
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select
from wtforms import SelectField
from wtforms.validators import DataRequired, ValidationError

from catalog.models import (
    LEVELS,
    ORG_TYPES,
    RANKS,
    Jurisdiction,
    Organization,
    Person,
    Standard,
)
from core.activation import modules_for_current_user
from core.api import ScopedInterface, ScopedModelView, choice_field, db, get_state, scoped
from core.fab.column_types import kind_of
from core.registry import SHARING_LABELS
from core.uscc import uscc_error
from core.xlsx.export import csv_cell


def _uscc_validator(_form, field):
    error = uscc_error(field.data or "")
    if error:
        raise ValidationError(error)


class JurisdictionView(ScopedModelView):
    datamodel = ScopedInterface(Jurisdiction)
    access = "reference"
    list_title = _l("行政区划")
    list_columns = ["code", "name", "level_label", "parent", "retired_on"]
    add_columns = ["code", "name", "level", "parent", "retired_on"]
    edit_columns = ["name", "retired_on"]
    show_columns = ["code", "name", "level_label", "parent", "path", "retired_on"]
    search_columns = ["code", "name", "level"]
    base_order = ("path", "asc")
    label_columns = {
        "code": _l("区划代码"), "name": _l("名称"), "level": _l("层级"),
        "level_label": _l("层级"), "parent": _l("上级"), "path": _l("路径"),
        "retired_on": _l("撤销日期"),
    }
    add_form_extra_fields = {"level": choice_field(_l("层级"), LEVELS)}


class OrganizationView(ScopedModelView):
    datamodel = ScopedInterface(Organization)
    access = "reference"
    list_title = _l("单位名录")
    list_columns = ["name", "uscc", "org_type_label", "is_bureau", "is_finance", "jurisdiction"]
    add_columns = ["name", "uscc", "org_type", "is_bureau", "is_finance", "parent", "jurisdiction"]
    edit_columns = add_columns
    show_columns = ["name", "uscc", "org_type_label", "is_bureau", "is_finance", "parent", "jurisdiction"]
    search_columns = ["name", "uscc", "org_type", "is_bureau", "is_finance", "jurisdiction"]
    label_columns = {
        "name": _l("单位名称"), "uscc": _l("统一社会信用代码"), "org_type": _l("单位类型"),
        "org_type_label": _l("单位类型"), "is_bureau": _l("机关事务管理部门"), "is_finance": _l("财政部门"),
        "parent": _l("上级单位"), "jurisdiction": _l("所属辖区"),
    }
    validators_columns = {"uscc": [_uscc_validator]}
    add_form_extra_fields = {"org_type": choice_field(_l("单位类型"), ORG_TYPES)}
    edit_form_extra_fields = {"org_type": choice_field(_l("单位类型"), ORG_TYPES)}


class PersonView(ScopedModelView):
    datamodel = ScopedInterface(Person)
    access = "records"
    list_title = _l("工作人员")
    list_columns = ["name", "rank_label", "title", "organization"]
    add_columns = ["name", "rank", "title", "organization"]
    edit_columns = add_columns
    show_columns = ["name", "rank_label", "title", "organization"]
    search_columns = ["name", "rank", "organization"]
    label_columns = {
        "name": _l("姓名"), "rank": _l("职级"), "rank_label": _l("职级"),
        "title": _l("职务"), "organization": _l("所在单位"),
    }
    add_form_extra_fields = {"rank": choice_field(_l("职级"), RANKS)}
    edit_form_extra_fields = {"rank": choice_field(_l("职级"), RANKS)}


def standard_kind_choices() -> list[tuple[str, str]]:
    """The kinds the installed modules registered, by label and unit (the 类别 drop-down)."""
    kinds = [kind for _module, kind in get_state().standard_kinds.values()]
    return [(k.kind, f"{k.label}（{k.unit}）" if k.unit else str(k.label)) for k in kinds]


def standard_key_choices() -> dict[str, list[tuple[str, str]]]:
    """The 项目 drop-down: each kind's keys under the kind's label and what its key names."""
    groups = {}
    for _module, kind in get_state().standard_kinds.values():
        if kind.key_choices is not None:
            group = f"{kind.label}：{kind.key_label}" if kind.key_label else str(kind.label)
            groups[group] = [(str(key), str(label)) for key, label in kind.key_choices()]
    return groups


def _standard_form_fields() -> dict:
    return {
        "kind": SelectField(_l("类别"), choices=standard_kind_choices, validators=[DataRequired()],
                            description=_l("标准的类别及其计量单位；由已安装的模块登记")),
        "key": SelectField(_l("项目"), choices=standard_key_choices, validators=[DataRequired()],
                           description=_l("该类别的标准针对的对象，如资产单价上限针对一个资产分类；"
                                          "请在所选类别的分组中选择")),
    }


class StandardView(ScopedModelView):
    datamodel = ScopedInterface(Standard)
    access = "reference"
    list_title = _l("标准定额")
    list_columns = ["kind_label", "key_text", "value_text", "jurisdiction", "effective_from", "effective_to"]
    add_columns = ["kind", "key", "value", "unit", "jurisdiction", "effective_from", "effective_to", "basis"]
    edit_columns = add_columns
    show_columns = [*list_columns, "basis"]
    search_columns = ["kind", "key", "jurisdiction", "effective_from"]
    label_columns = {
        "kind": _l("类别"), "key": _l("项目"), "value": _l("标准值"), "unit": _l("计量单位"),
        "kind_label": _l("类别"), "key_text": _l("项目"), "value_text": _l("标准值"),
        "jurisdiction": _l("制定辖区"), "effective_from": _l("生效日期"),
        "effective_to": _l("失效日期"), "basis": _l("依据文件"),
    }
    add_form_extra_fields = _standard_form_fields()
    edit_form_extra_fields = _standard_form_fields()


def _type_name(column) -> str:
    """A column's type as the catalog lists it: an Enum, an Interval … by their own names (their
    SQL would read VARCHAR, DATETIME)."""
    return type(column.type).__name__.upper() if kind_of(column) else str(column.type)


def catalog_entries() -> list[dict]:
    """Every entity type of the modules active for the current user, with its row count in scope."""
    state = get_state()
    active = modules_for_current_user()
    entries = []
    for entity in state.entities:
        if entity.module not in active:
            continue
        model = entity.model
        count = db.session.execute(scoped(select(func.count()).select_from(model), model)).scalar()
        columns = inspect(model).columns
        labels = state.entity_labels.get(entity.key, {})
        entries.append(
            {
                "key": entity.key,
                "label": str(entity.label),
                "module": entity.module,
                "module_label": str(state.modules[entity.module].label),
                "sharing": entity.sharing,
                "sharing_label": SHARING_LABELS[entity.sharing],
                "update_cycle": str(entity.update_cycle),
                "description": str(entity.description),
                "rest_path": entity.api_path,
                "row_count": count,
                "fields": [
                    {"name": c.key, "label": str(labels.get(c.key, c.key)), "type": _type_name(c),
                     "nullable": bool(c.nullable)}
                    for c in columns
                    if c.key != "version"
                ],
            }
        )
    return entries


class CatalogView(BaseView):
    """数据目录: every entity type, its fields, owner, sharing type and rows in scope (Art. 8)."""

    route_base = "/catalog"
    default_view = "index"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        return self.render_template("catalog/index.html", entries=catalog_entries())

    @expose("/export/<key>.csv")
    @has_access
    @permission_name("export")
    def export(self, key):
        state = get_state()
        entity = state.entities.get(key)
        if entity is None or entity.module not in modules_for_current_user():
            abort(404)
        model = entity.model
        names = [c.key for c in inspect(model).columns]
        rows = db.session.execute(scoped(select(model), model).order_by(model.id)).scalars()
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
        writer = csv.writer(buffer)
        writer.writerow(names)
        for row in rows:
            # a cell such as =HYPERLINK(…) typed by one user runs in the spreadsheet of another
            writer.writerow([csv_cell(getattr(row, n)) for n in names])
        return Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={key}.csv"},
        )


class CatalogApi(BaseApi):
    """``GET /api/v1/catalog/``: the 数据目录 as JSON."""

    resource_name = "catalog"
    access = "everyone"
    allow_browser_login = True
    openapi_summaries = {"get_catalog": _l("数据目录：本辖区已启用的数据类型、字段、共享类型和更新周期")}

    @expose("/", methods=["GET"])
    @protect()
    @permission_name("get")
    def get_catalog(self):
        return self.response(200, result=catalog_entries())
