"""What 修改历史 and 审计日志 show a user: labels, not the database's codes.

A changed field by its screen label, a code by its choice label, a foreign key by the related
record's name or number, the entity type and the action by their labels, a time in the display
zone (docs/display.md). The audit trail keeps the raw values; only their display changes.
"""

from __future__ import annotations

from flask_appbuilder import Model
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, inspect

from core.display import local_time
from core.extensions import db
from core.state import get_state

ACTION_LABELS = {"create": _l("新增"), "update": _l("修改"), "delete": _l("删除")}
#: the core's own audited tables, which are no entity type of the catalog
CORE_TABLE_LABELS = {"core_module_activation": _l("模块启用"), "core_finding": _l("问题清单")}
CORE_FIELD_LABELS = {
    "jurisdiction_id": _l("辖区"), "organization_id": _l("单位"), "module_key": _l("模块"),
    "enabled": _l("启用"), "changed_at": _l("修改时间"), "status": _l("状态"),
    "review_note": _l("处理意见"), "closed_at": _l("关闭时间"), "opened_at": _l("发现时间"),
    "message": _l("问题"), "article": _l("条款"), "module": _l("模块"), "entity": _l("数据类型"),
    "entity_id": _l("记录编号"), "rule_key": _l("规则"),
}
HIDDEN_FIELDS = ("version",)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def entity_label(key: str) -> str:
    entity = get_state().entities.get(key)
    return str(entity.label if entity else CORE_TABLE_LABELS.get(key, key))


def _fab_default(name: str, label) -> bool:
    """FAB's own label for a column nobody labelled: ``class_id`` → ``Class Id``."""
    return str(label) == name.replace("_", " ").title()


def _model(key: str):
    entity = get_state().entities.get(key)
    if entity is not None:
        return entity.model
    return next((m.class_ for m in Model.registry.mappers if m.local_table.name == key), None)


class RecordReader:
    """Reads the audited values of one entity type for a person."""

    def __init__(self, key: str):
        self.key = key
        self.model = _model(key)
        self.entity = get_state().entities.get(key)
        self.labels = {**CORE_FIELD_LABELS, **get_state().entity_labels.get(key, {})}
        self.choices: dict[str, dict] = {}
        if self.entity is not None:
            from core.xlsx.columns import columns_for

            columns = columns_for(self.entity)
            # FAB fills a screen's label_columns with English for unlabelled columns ("Class Id")
            self.labels.update({k: v for k, v in columns.labels.items() if not _fab_default(k, v)})
            self.labels.update(get_state().entity_labels.get(key, {}))
            self.choices = {name: dict(mapping) for name, mapping in columns.choices.items()}
            for state_field in self.entity.state_fields or ():
                if state_field.labels:
                    self.choices.setdefault(state_field.name, dict(state_field.labels))
        if key == "core_finding":
            from core.web.findings import FINDING_STATUSES

            self.choices["status"] = FINDING_STATUSES
        self.relations = {}
        if self.model is not None:
            for rel in inspect(self.model).relationships:
                if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1:
                    column = next(iter(rel.local_columns))
                    self.relations[column.key] = rel
                    if column.key not in self.labels or _fab_default(column.key, self.labels[column.key]):
                        self.labels[column.key] = self.labels.get(rel.key, column.key)

    def label(self, field: str) -> str:
        if field == "id":
            return _("编号")
        return str(self.labels.get(field, field))

    def value(self, field: str, value) -> str:
        """The value as a person reads it; an empty one as 空."""
        if value is None or value == "":
            return _("空")
        if field in self.choices and str(value) in self.choices[field]:
            return str(self.choices[field][str(value)])
        if field == "module_key" or (self.key == "core_finding" and field == "module"):
            module = get_state().modules.get(value)
            return str(module.label) if module else str(value)
        if field in self.relations:
            return self._related(self.relations[field], value)
        column = self.model.__table__.c.get(field) if self.model is not None else None
        if column is not None and isinstance(column.type, Boolean) or isinstance(value, bool):
            return _("是") if value else _("否")
        if column is not None and isinstance(column.type, DateTime):
            return local_time(value)
        return str(value)

    def _related(self, rel, value) -> str:
        target = rel.mapper.class_
        try:
            record = db.session.get(target, int(value))
        except (TypeError, ValueError):
            record = None
        return str(record) if record is not None else _("编号 %(id)s（已删除）", id=value)

    def changes(self, entry) -> list[dict]:
        """The changed fields of one audit entry: label, before and after as read."""
        before, after = entry.before or {}, entry.after or {}
        names = [*before, *(k for k in after if k not in before)]
        return [{"field": name, "label": self.label(name),
                 "before": self.value(name, before.get(name)) if entry.action != "create" else "",
                 "after": self.value(name, after.get(name)) if entry.action != "delete" else ""}
                for name in names
                if name not in HIDDEN_FIELDS and before.get(name) != after.get(name)]

    def record_name(self, entity_id) -> str:
        """The record as its screens name it (资产编号 and name …), or its number once deleted."""
        if self.model is None:
            return f"#{entity_id}"
        try:
            record = db.session.get(self.model, int(entity_id))
        except (TypeError, ValueError):
            record = None
        return str(record) if record is not None else f"#{entity_id}"
