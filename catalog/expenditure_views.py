"""支出经济分类 and 支出台账 under 基础数据 (Art. 10, 13, 15).

The classification is public reference data (the system admin imports a revision); the ledger is
read-only everywhere: the modules post to it from their operations (catalog/expenditures.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import case, func, select

from catalog.expenditures import EconomicClass, Expenditure
from core.api import ScopedInterface, ScopedModelView, choice_field, db, format_amount, get_state
from core.home.records import record_url
from core.xlsx.export import list_query

LEVEL_LABELS = {1: _l("类"), 2: _l("款")}

CLASS_LABELS = {
    "code": _l("科目代码"), "name": _l("科目名称"), "tree_name": _l("科目名称"),
    "parent": _l("上级科目"), "level": _l("级次"), "level_label": _l("级次"),
    "requires_invoice": _l("须附发票"), "effective_from": _l("生效日期"),
    "effective_to": _l("失效日期"), "basis": _l("依据文件"),
}

LEDGER_LABELS = {
    "spent_on": _l("支出日期"), "organization": _l("单位"), "jurisdiction": _l("辖区"),
    "economic_class": _l("经济分类"), "amount": _l("金额（元）"), "payee": _l("收款方"),
    "description": _l("摘要"), "person_times": _l("人次"), "batch": _l("计为批次"),
    "source_module": _l("来源模块"), "source_type": _l("来源类型"), "source_id": _l("来源记录"),
    "source_number": _l("来源编号"), "source_label": _l("来源"), "source_link": _l("来源记录"),
    "organization_id": _l("单位"), "jurisdiction_id": _l("辖区"),
    "economic_class_id": _l("经济分类"),
}


def source_label(row: Expenditure) -> str:
    """The module and record type it came from (公务接待 · 接待记录), by their labels."""
    state = get_state()
    module = state.modules.get(row.source_module)
    entity = state.entities.get(row.source_type)
    parts = [str(module.label) if module else row.source_module]
    if entity is not None:  # a source without an entity type (the demo's) by its module alone
        parts.append(str(entity.label))
    return " · ".join(parts)


def source_link(row: Expenditure) -> Markup:
    """The source record's number, linked to its page when its module has one."""
    text = row.source_number or f"#{row.source_id}"
    url = record_url(row.source_type, str(row.source_id))
    if url is None:
        return escape(text)
    return Markup('<a href="{}">{}</a>').format(url, text)


class EconomicClassView(ScopedModelView):
    """支出经济分类: the classification as a tree by code; public, the system admin writes it."""

    datamodel = ScopedInterface(EconomicClass)
    access = "reference"
    list_title = _l("支出经济分类")
    list_columns = ["code", "tree_name", "level_label", "requires_invoice", "effective_from",
                    "effective_to"]
    add_columns = ["code", "name", "parent", "level", "requires_invoice", "effective_from",
                   "effective_to", "basis"]
    edit_columns = ["name", "requires_invoice", "effective_to", "basis"]
    show_columns = ["code", "name", "parent", "level_label", "requires_invoice", "effective_from",
                    "effective_to", "basis"]
    search_columns = ["code", "name", "parent", "effective_from"]
    base_order = ("code", "asc")
    page_size = 100
    label_columns = CLASS_LABELS
    description_columns = {
        "effective_to": _l("财政部修订分类时填写旧科目的失效日期，并另行新增新科目；"
                           "已登记的支出保留原科目"),
        "basis": _l("如：财政部《政府收支分类科目》（财预〔2017〕98号）"),
    }
    add_form_extra_fields = {"level": choice_field(_l("级次"), LEVEL_LABELS)}


class ExpenditureView(ScopedModelView):
    """支出台账: what the modules booked, in scope; read-only (no add, edit, delete, import)."""

    datamodel = ScopedInterface(Expenditure)
    list_title = _l("支出台账")
    show_title = _l("支出记录")
    list_template = "catalog/expenditures_list.html"
    base_permissions = ["can_list", "can_show", "can_export"]
    list_columns = ["spent_on", "organization", "economic_class", "amount", "payee",
                    "source_label", "source_link", "person_times"]
    show_columns = ["spent_on", "organization", "jurisdiction", "economic_class", "amount",
                    "payee", "description", "person_times", "batch", "source_label",
                    "source_link"]
    search_columns = ["spent_on", "economic_class", "organization", "payee", "source_module",
                      "source_number"]
    order_columns = ["spent_on", "amount"]
    base_order = ("spent_on", "desc")
    label_columns = LEDGER_LABELS
    formatters_columns = {"amount": format_amount}

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            kwargs.update(ledger_summary=class_summary(self), ledger_years=year_links(self))
        return super().render_template(template, **kwargs)


def class_summary(view) -> dict:
    """The rows the list shows (its filters, every page), added up per class: amount, person
    times, 批次 (Art. 13's 三公 table reads the same figures through expenditure_totals)."""
    ids = list_query(view).order_by(None).with_entities(Expenditure.id).subquery()
    query = (
        select(EconomicClass.code, EconomicClass.name, func.count(Expenditure.id),
               func.coalesce(func.sum(Expenditure.amount), 0),
               func.coalesce(func.sum(Expenditure.person_times), 0),
               func.sum(case((Expenditure.batch.is_(True), 1), else_=0)))
        .join(EconomicClass, EconomicClass.id == Expenditure.economic_class_id)
        .where(Expenditure.id.in_(select(ids.c.id)))
        .group_by(EconomicClass.code, EconomicClass.name).order_by(EconomicClass.code)
    )
    rows = [dict(code=code, name=name, count=count, amount=Decimal(amount), person_times=people,
                 batches=batches or 0)
            for code, name, count, amount, people, batches in db.session.execute(query)]
    total = dict(count=sum(r["count"] for r in rows), amount=sum((r["amount"] for r in rows), Decimal(0)),
                 person_times=sum(r["person_times"] for r in rows), batches=sum(r["batches"] for r in rows))
    return dict(rows=rows, total=total)


def year_links(view) -> list[tuple[int, str]]:
    """A link per year the user's ledger has rows in: the list filtered to that year (the date
    filters 晚于 / 早于 of ``spent_on``, so the export and the summary follow it)."""
    from core.api import scoped

    year = func.extract("year", Expenditure.spent_on)
    years = db.session.execute(
        scoped(select(year).distinct(), Expenditure).order_by(year.desc())).scalars()
    links = []
    for value in years:
        value = int(value)
        args = {"_flt_1_spent_on": dt.date(value - 1, 12, 31).isoformat(),
                "_flt_2_spent_on": dt.date(value + 1, 1, 1).isoformat()}
        links.append((value, url_for(f"{view.endpoint}.list", **args)))
    return links
