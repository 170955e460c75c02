"""Catalog screens: jurisdictions, organisations, staff, standards, and the 数据目录."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, abort
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import Select

from catalog.models import (
    IN_SCOPE_TYPES,
    LEVELS,
    ORGAN_LEVELS,
    RANKS,
    Establishment,
    Jurisdiction,
    Organization,
    Person,
    Standard,
    organ_level_label,
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


def _organ_level_field() -> SelectField:
    return SelectField(
        _l("机构级别"), choices=[("", _l("按所属辖区层级")), *ORGAN_LEVELS.items()],
        description=_l("机构本身的级别（自治区级、地州市级、县市区级、乡镇级），与人员职级无关；"
                       "留空时取所属辖区的层级"))


class OrganizationView(ScopedModelView):
    datamodel = ScopedInterface(Organization)
    access = "reference"
    list_title = _l("单位名录")
    list_columns = ["name", "uscc", "org_type_label", "organ_level", "is_bureau", "is_finance",
                    "jurisdiction"]
    add_columns = ["name", "uscc", "org_type", "organ_level", "is_bureau", "is_finance", "parent",
                   "jurisdiction"]
    edit_columns = add_columns
    show_columns = ["name", "uscc", "org_type_label", "organ_level", "is_bureau", "is_finance", "parent",
                    "jurisdiction"]
    search_columns = ["name", "uscc", "org_type", "organ_level", "is_bureau", "is_finance", "jurisdiction"]
    label_columns = {
        "name": _l("单位名称"), "uscc": _l("统一社会信用代码"), "org_type": _l("单位类型"),
        "org_type_label": _l("单位类型"), "organ_level": _l("机构级别"),
        "is_bureau": _l("机关事务管理部门"), "is_finance": _l("财政部门"),
        "parent": _l("上级单位"), "jurisdiction": _l("所属辖区"),
    }
    formatters_columns = {"organ_level": organ_level_label}
    validators_columns = {"uscc": [_uscc_validator]}
    add_form_extra_fields = {"org_type": choice_field(_l("单位类型"), IN_SCOPE_TYPES),
                             "organ_level": _organ_level_field()}
    edit_form_extra_fields = {"org_type": choice_field(_l("单位类型"), IN_SCOPE_TYPES),
                              "organ_level": _organ_level_field()}


class EstablishmentView(ScopedModelView):
    """编制核定: one record per decision; the one in force is the latest effective (Art. 12)."""

    datamodel = ScopedInterface(Establishment)
    access = "reference"  # the bureau records it; a department reads its own, never raises it
    list_title = _l("编制核定")
    list_columns = ["organization", "effective_from", "administrative", "institutional",
                    "established", "actual", "leaders", "decision"]
    add_columns = ["organization", "effective_from", "administrative", "institutional", "actual",
                   "leaders", "decision", "approved_by", "note"]
    edit_columns = add_columns
    show_columns = [*add_columns[:4], "established", *add_columns[4:]]
    search_columns = ["organization", "effective_from", "decision", "approved_by"]
    base_order = ("effective_from", "desc")
    label_columns = {
        "organization": _l("单位"), "effective_from": _l("生效日期"),
        "administrative": _l("行政编制"), "institutional": _l("事业编制"),
        "established": _l("编制人数"), "actual": _l("实有人数"), "leaders": _l("领导职数"),
        "decision": _l("批准文号/决定"), "approved_by": _l("批准机关"), "note": _l("备注"),
    }
    description_columns = {
        "effective_from": _l("自该日起按本条记录核定编制；新的核定决定请另行登记一条，"
                             "修改仅用于更正录入错误（修改历史留存于审计日志）"),
        "decision": _l("编制部门的批复文号或核定决定，如“新编办〔2024〕12号”"),
    }


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


def _key_group(kind) -> str:
    return f"{kind.label}：{kind.key_label}" if kind.key_label else str(kind.label)


def standard_key_choices() -> dict[str, list[tuple[str, str]]]:
    """The 项目 drop-down: each kind's keys under the kind's label and what its key names
    (core/static/standards.js shows only the chosen kind's group)."""
    groups = {}
    for _module, kind in get_state().standard_kinds.values():
        if kind.key_choices is not None:
            groups[_key_group(kind)] = [(str(key), str(label)) for key, label in kind.key_choices()]
    return groups


#: what a lower level may do with each ``StandardKind.stricter`` (shown under the 类别)
STRICTER_TEXT = {"lower": _l("下级辖区只能从严：不得高于上级标准"),
                 "higher": _l("下级辖区只能从严：不得低于上级标准"),
                 None: _l("下级辖区可以另行规定")}


def standard_kinds_json() -> str:
    """Each kind's label, unit, description, value type, key group and what a lower level may
    do: the data core/static/standards.js reads from the 类别 drop-down (no inline script)."""
    found = {}
    for _module, kind in get_state().standard_kinds.values():
        # a text standard is read by people, not compared: nothing to say about the level above
        stricter = STRICTER_TEXT.get(kind.stricter, "") if kind.value_type == "number" else ""
        parts = [str(kind.description or ""), _("计量单位：%(unit)s", unit=kind.unit) if kind.unit else "",
                 _("文字标准：填写服务的内容和等级") if kind.value_type == "text" else "", str(stricter)]
        found[kind.kind] = {
            "unit": kind.unit, "type": kind.value_type, "group": _key_group(kind) if kind.key_choices else "",
            "help": "　".join(part for part in parts if part),
        }
    return json.dumps(found, ensure_ascii=False)


class StandardKindSelect(Select):
    """The 类别 drop-down, carrying every kind's description for the form's script."""

    def __call__(self, field, **kwargs):
        kwargs["data-standard-kinds"] = standard_kinds_json()
        return super().__call__(field, **kwargs)


def _standard_form_fields() -> dict:
    return {
        "kind": SelectField(_l("类别"), choices=standard_kind_choices, validators=[DataRequired()],
                            widget=StandardKindSelect(),
                            description=_l("标准的类别及其计量单位；由已安装的模块登记")),
        "key": SelectField(_l("项目"), choices=standard_key_choices, validators=[DataRequired()],
                           description=_l("该类别的标准针对的对象，如资产单价上限针对一个资产分类")),
        # a text standard has none; left empty, a number standard takes its kind's
        "unit": StringField(_l("计量单位"), validators=[Optional(), Length(max=32)],
                            description=_l("留空则取该类别的计量单位")),
    }


class StandardView(ScopedModelView):
    datamodel = ScopedInterface(Standard)
    access = "reference"
    list_title = _l("标准定额")
    list_columns = ["kind_label", "key_text", "value_text", "jurisdiction", "effective_from", "effective_to"]
    add_columns = ["kind", "key", "value", "text_value", "unit", "jurisdiction", "effective_from",
                   "effective_to", "basis", "backdate_reason"]
    edit_columns = add_columns
    show_columns = [*list_columns, "basis", "backdate_reason"]
    search_columns = ["kind", "key", "jurisdiction", "effective_from"]
    label_columns = {
        "kind": _l("类别"), "key": _l("项目"), "value": _l("标准值"), "unit": _l("计量单位"),
        "text_value": _l("标准内容"),
        "kind_label": _l("类别"), "key_text": _l("项目"), "value_text": _l("标准值"),
        "jurisdiction": _l("制定辖区"), "effective_from": _l("生效日期"),
        "effective_to": _l("失效日期"), "basis": _l("依据文件"), "backdate_reason": _l("追溯生效理由"),
    }
    description_columns = {
        "value": _l("数值标准填写：上限、下限、年限等"),
        "text_value": _l("文字标准（服务标准）填写：服务的内容和等级"),
        "backdate_reason": _l("生效日期早于录入之日时必须填写；追溯生效的标准列入问题清单，由上级审查"),
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
