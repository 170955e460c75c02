"""A list page's rows written in Python (core/web/list_rows.py) hold what the Jinja loop they
replace wrote: the same check boxes, buttons, links, escaping and cells (issue 15, item 2), the
cells of the columns a phone hides marked (issue 16, item 3)."""

from __future__ import annotations

import re

import jinja2
import pytest
from markupsafe import Markup

from core.web.list_rows import list_rows, mobile_hidden

#: The list widget's row loop as it was (templates/core/widgets/list.html before issue 15 item 2).
JINJA_ROWS = """
{% for item in value_columns %}
    {% set pk = pks[loop.index-1] %}
    {% set pk_url = pk | string | urlencode %}
    {% set row_locked = locked or pk in (read_only_pks or ()) %}
    <tr>
        {% if actions %}
        <td>
            <input id="{{pk}}" class="action_check" name="rowid" value="{{pk}}" type="checkbox">
        </td>
        {% endif %}
        {% if can_show or can_edit or can_delete %}
            <td><center>
            <div class="btn-group btn-group-xs" style="display: flex;">
            {% if show_url %}
                <a href="{{ show_url | replace(marker, pk_url) }}" class="btn btn-sm btn-default"
                   data-toggle="tooltip" rel="tooltip" title="{{ t_show }}">
                    <span class="sr-only">{{ t_show_sr }}</span><i class="fa fa-search"></i></a>
            {% endif %}
            {% if edit_url and not row_locked %}
                <a href="{{ edit_url | replace(marker, pk_url) }}" class="btn btn-sm btn-default"
                   data-toggle="tooltip" rel="tooltip" title="{{ t_edit }}">
                    <span class="sr-only">{{ t_edit_sr }}</span><i class="fa fa-edit"></i></a>
            {% endif %}
            {% if delete_url and not row_locked %}
                <form method="post" action="{{ delete_url | replace(marker, pk_url) }}" class="jiguan-delete"
                      data-confirm="{{ t_confirm }}">
                    <input type="hidden" name="csrf_token" value="{{ token }}">
                    <button type="submit" class="btn btn-sm btn-default" rel="tooltip" title="{{ t_delete }}">
                        <span class="sr-only">{{ t_delete_sr }}</span><i class="fa fa-trash"></i></button>
                </form>
            {% endif %}
            </div>
            </center></td>
        {% endif %}
        {% for value in include_columns %}
            {% set formatter = formatters_columns.get(value) %}
            {% set td = '<td class="jiguan-m-hide">'|safe if value in hidden else '<td>'|safe %}
            {% if formatter %}
                {{ td }}{{ formatter(item[value]) }}</td>
            {% else %}
                {{ td }}{{ item[value] }}</td>
            {% endif %}
        {% endfor %}
    </tr>
{% endfor %}
"""

MARKER = "__jiguan_pk__"
TEXTS = {"show": "显示记录", "show_sr": "显示", "edit": "编辑记录", "edit_sr": "编辑",
         "delete": "删除记录", "delete_sr": "删除", "confirm": "确定删除“<此项>”吗？"}


def _squeezed(html: str) -> str:
    """The markup without the whitespace between tags and inside them."""
    html = re.sub(r">\s+", ">", str(html))
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


def _both(**given):
    rows = [{"number": "A-1 <b>&", "name": None, "value": 12.5, "html": Markup("<em>已</em>")},
            {"number": 'B"2', "name": "计算机", "value": 0, "html": "<script>"},
            {"number": "C/3", "name": "", "value": -1, "html": Markup("&amp;")}]
    pks = [7, "a b/c", 9]
    args = dict(value_columns=rows, pks=pks, include_columns=["number", "name", "value", "html"],
                formatters_columns={"value": lambda v: f"¥{v}"}, actions=True, marker=MARKER,
                show_url=f"/x/show/{MARKER}?_flt_0_a=1&b=<2>", edit_url=f"/x/edit/{MARKER}",
                delete_url=f"/x/delete/{MARKER}", locked=False, read_only_pks=(9,), token='t"k',
                can_show=True, can_edit=True, can_delete=True, hidden=frozenset({"value", "html"}))
    args.update(given)
    jinja = jinja2.Environment(autoescape=True).from_string(JINJA_ROWS).render(
        **args, **{f"t_{k}": v for k, v in TEXTS.items()})
    python = list_rows(args["value_columns"], args["pks"], args["include_columns"],
                       args["formatters_columns"], actions=args["actions"], marker=MARKER,
                       show_url=args["show_url"], edit_url=args["edit_url"],
                       delete_url=args["delete_url"], locked=args["locked"],
                       read_only_pks=args["read_only_pks"], token=args["token"], texts=TEXTS,
                       buttons=args["can_show"] or args["can_edit"] or args["can_delete"],
                       hidden=args["hidden"])
    return _squeezed(jinja), _squeezed(python)


@pytest.mark.parametrize("given", [
    {},
    {"actions": False},
    {"locked": True},
    {"read_only_pks": ()},
    {"show_url": None, "edit_url": None, "delete_url": None,
     "can_show": False, "can_edit": False, "can_delete": False},
    {"edit_url": None, "delete_url": None, "can_edit": False, "can_delete": False},
    {"value_columns": [], "pks": []},
    {"hidden": frozenset()},
])
def test_the_python_rows_are_the_jinja_rows(given):
    jinja, python = _both(**given)
    assert python == jinja


def test_values_are_escaped_and_markup_kept():
    _jinja, python = _both()
    assert "A-1 &lt;b&gt;&amp;" in python and "&lt;script&gt;" in python
    assert "<em>已</em>" in python  # a formatter's or a property's Markup is kept as it is
    assert "/x/show/a%20b/c?_flt_0_a=1&amp;b=&lt;2&gt;" in python
    assert python.count("<tr>") == 3
    # the read-only row (pk 9) shows its record but offers no edit or delete
    assert 'action="/x/delete/9"' not in python and 'href="/x/show/9' in python


def test_a_phone_keeps_the_first_two_columns_and_the_status_by_default():
    columns = ["number", "name", "asset_class", "quantity", "status_label", "state"]
    assert mobile_hidden(columns) == {"asset_class", "quantity", "state"}
    assert mobile_hidden(["year", "title", "total"]) == {"total"}
    assert mobile_hidden(columns, ["name", "quantity"]) == {"number", "asset_class", "status_label", "state"}
    _jinja, python = _both()
    assert python.count('<td class="jiguan-m-hide">') == 6  # two hidden columns, three rows


def test_a_list_page_shows_its_rows_with_their_buttons(login):
    """What a clerk sees on the asset list: a row per card, each with its 显示记录 link."""
    page = login("tianshan_clerk").text("/assetview/list/")
    shown = re.findall(r'<tr>(?:<td><input [^>]*></td>)?'
                       r'<td><center><div class="btn-group btn-group-xs" style="display: flex;">'
                       r'<a href="/assetview/show/(\d+)', page)
    assert len(shown) >= 3, "a row per card, each with its show button"
    assert "显示记录" in page and "资产编号" in page
    # a phone shows 资产编号, 资产名称 and 资产状态: the other headers are marked to be hidden
    headers = re.findall(r"<th( class=\"jiguan-m-hide\")?>(?:<a href=[^>]*>)?([^<]+)", page)
    shown = {label.strip() for hidden, label in headers if not hidden}
    assert shown == {"资产编号", "资产名称", "资产状态"}, headers


def test_every_declared_mobile_column_is_a_list_column(app):
    """A ``mobile_columns`` name that is not listed would leave a phone fewer columns than meant."""
    declared = {type(v).__name__: (v.mobile_columns, v.list_columns) for v in app.appbuilder.baseviews
                if getattr(v, "mobile_columns", None) is not None}
    assert "VehicleTripView" in declared
    for name, (mobile, listed) in declared.items():
        assert set(mobile) <= set(listed), (name, set(mobile) - set(listed))


def test_every_cell_reads_what_fabs_reader_reads(app):
    """``FabInterface._get_attr_value`` reads a cell once where FAB's read it up to three times:
    for every list and show column of every model screen, on the demo's first rows of its model,
    it gives FAB's value (a label property, a relation, a dotted column, a method, a blank)."""
    from flask_appbuilder.models.base import BaseInterface

    from core.extensions import db
    from core.fab.adapter import FabInterface

    fabs = BaseInterface.__dict__["_get_attr_value"].__func__
    ours = FabInterface.__dict__["_get_attr_value"].__func__
    assert fabs is not ours
    compared = 0
    with app.test_request_context():
        for view in app.appbuilder.baseviews:
            datamodel = getattr(view, "datamodel", None)
            if not isinstance(datamodel, FabInterface) or not getattr(view, "list_columns", None):
                continue
            columns = list(dict.fromkeys([*view.list_columns, *(getattr(view, "show_columns", None) or [])]))
            for item in db.session.query(datamodel.obj).limit(3):
                for column in columns:
                    assert ours(item, column) == fabs(item, column), (type(view).__name__, column)
                    compared += 1
        db.session.rollback()
    assert compared > 1000
