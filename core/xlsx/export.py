"""XLSX export and the import template of any entity type.

The export streams (``core.xlsx.sheet`` writes rows straight into the ZIP, the rows read
1,000 at a time, a server-side cursor on PostgreSQL) so a 100,000-row ledger never sits in memory.
It reads plain rows, not entity objects: the list's own query (scope, filters, order) selecting
the exported columns and, by outer joins, the related rows' keys; each column's converter is
made once (``export_values``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal

from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import gettext as _
from sqlalchemy import inspect
from sqlalchemy.orm import aliased

from core.display import local_naive, local_today
from core.extensions import db
from core.fab.column_types import enum_code
from core.fab.interface import hide_voided
from core.scoping import scoped
from core.xlsx.columns import cell_value, columns_for, sheet_title
from core.xlsx.sheet import SheetWriter

BATCH = 1000
#: Excel's last row; an export never goes past it.
MAX_ROWS = 1_048_575
#: the header colour of an export and a template (RGB)
HEADER_RGB = "DDEBF7"
REQUIRED_RGB = "FDE9D9"


def __getattr__(name: str):
    # openpyxl (~60 ms to import) only for the template, not at every start: its styles made on
    # demand (the names are checked first: the import machinery asks a module for __path__)
    if name not in ("HEADER_FONT", "REQUIRED_FILL", "HEADER_FILL"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from openpyxl.styles import Font, PatternFill

    value = globals()[name] = {
        "HEADER_FONT": lambda: Font(bold=True),
        "REQUIRED_FILL": lambda: PatternFill("solid", fgColor=REQUIRED_RGB),
        "HEADER_FILL": lambda: PatternFill("solid", fgColor=HEADER_RGB),
    }[name]()
    return value


def _orderable(model, name: str) -> bool:
    """A column SQL can sort by (FAB also offers a label property, which has no SQL)."""
    if "." in name:  # a relation's column, joined by FAB
        return True
    return hasattr(getattr(model, name, None), "expression")


def list_query(view):
    """The rows the list screen ``view`` shows for this request, all pages, in its order.

    The request carries the list's own ``_flt_*`` and ``_oc_``/``_od_`` arguments;
    FAB's own parsing reads them, so the export and the screen cannot disagree.
    The view's interface applies the row scope.
    """
    datamodel = view.datamodel
    filters = datamodel.get_filters(view.search_columns)  # fresh: the view's own is shared
    get_filter_args(filters)
    order_column, direction = get_order_args().get(view.__class__.__name__, ("", ""))
    if order_column not in (view.order_columns or []) or not _orderable(datamodel.obj, order_column):
        order_column, direction = view.base_order or ("", "")
    add_quick_search = getattr(view, "add_quick_search", None)  # the list's ?q= (docs/search.md)
    if add_quick_search is not None:
        filters = add_quick_search(filters)
    joined = filters.get_joined_filters(view._base_filters)
    base = hide_voided(datamodel.session.query(datamodel.obj), datamodel.obj)  # as the list does
    query = datamodel.apply_all(base, joined, order_column, direction)
    if not order_column:
        query = query.order_by(datamodel.obj.id)
    return query


def plain_query(entity):
    """Every row of ``entity`` in the user's scope, by id (types without a list screen)."""
    return scoped(db.session.query(entity.model), entity.model).order_by(entity.model.id)


#: Column kinds whose value, as the database driver returns it, is the cell value already
#: (``cell_value`` would return it unchanged) when the column's Python type is one of these.
_AS_READ = {"text": (str,), "integer": (int,), "number": (int, float, Decimal), "date": (dt.date,),
            "time": (dt.time,)}


def _python_type(table_column):
    try:
        return table_column.type.python_type
    except NotImplementedError:  # a custom type: converted cell by cell
        return None


def _computed(column):
    def convert(row_object):
        value = getattr(row_object, column.name, None)
        if value is not None and not isinstance(value, dt.date | int | float | bool | str):
            value = str(value)
        return cell_value(column, value)
    return convert


def _converter(column, table_column):
    """What turns the value the select reads for ``column`` into its cell, made once per export;
    None when the value is its cell already (text read as text, numbers, dates, a related key)."""
    kind = column.kind
    if kind == "relation":
        return None  # the related row's key as stored
    if kind == "choice":
        labels = {code: str(label) for code, label in column.choices.items()}  # no gettext per cell

        def choice(value):
            code = value if type(value) is str else enum_code(value)
            return labels.get(code, code)
        return choice
    if kind == "computed":
        return _computed(column)
    python = _python_type(table_column)
    if python is not None and issubclass(python, _AS_READ.get(kind, ())) and python is not bool:
        return None
    if kind == "bool" and python is bool:
        yes, no = cell_value(column, True), cell_value(column, False)
        return lambda value: None if value is None else (yes if value else no)
    if kind == "datetime" and python is dt.datetime:
        return local_naive
    return lambda value: cell_value(column, value)


def export_select(entity, query, columns):
    """(statement, positions, converters): ``query`` selecting what ``columns`` show.

    ``query`` keeps its scope, filters, order and limit; only what it selects changes: the
    exported columns as plain values and a related row's key by an outer join (no entity
    objects, no relationship loads). A computed column (a property) is read from the entity
    object, which is then selected last. ``positions[i]`` is where column i's value is in a
    row; ``converters[i]`` turns it into its cell (None: it is its cell already).
    """
    model = entity.model
    table = model.__table__
    statement = query.statement if hasattr(query, "statement") else query
    expressions, positions, converters, joins = [], [], [], []
    for column in columns:
        if column.kind == "computed":
            positions.append(None)  # read from the entity, selected last
            converters.append(_computed(column))
            continue
        positions.append(len(expressions))
        if column.kind == "relation":
            related = aliased(column.relation.model)
            ident = inspect(column.relation.model).primary_key[0].key
            joins.append((related, getattr(related, ident) == getattr(model, column.name)))
            expressions.append(getattr(related, column.relation.keys[0]))
            converters.append(None)
        else:
            expressions.append(getattr(model, column.name))
            converters.append(_converter(column, table.c.get(column.name)))
    if None in positions:
        positions = [len(expressions) if p is None else p for p in positions]
        expressions.append(model)
    statement = statement.with_only_columns(*expressions)
    for related, onclause in joins:
        statement = statement.join_from(model, related, onclause, isouter=True)
    return statement, positions, converters


def export_values(entity, query, columns=None):
    """The cells of each row of ``query`` (the list's rows of ``entity``), a list per row, in order.

    Read ``BATCH`` rows at a time (a server-side cursor on PostgreSQL); each column's converter
    is made once (``export_select``). Both writers, ours and the openpyxl baseline, write these.
    """
    columns = columns_for(entity).export if columns is None else columns
    statement, positions, converters = export_select(entity, query, columns)
    in_order = positions == list(range(len(positions)))
    convert = [(i, f) for i, f in enumerate(converters) if f is not None]
    result = db.session.execute(statement, execution_options={"yield_per": BATCH})
    for rows in result.partitions():
        for row in rows:
            values = list(row) if in_order else [row[j] for j in positions]
            for i, f in convert:
                values[i] = f(values[i])
            yield values


#: What makes a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell a spreadsheet will not run: text starting with a formula character
    gets a leading ``'`` (OWASP); numbers stay numbers (-5 is not text), None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def _width(column) -> int:
    if column.kind in ("date", "datetime", "time"):
        return {"date": 14, "datetime": 20, "time": 10}[column.kind]
    if column.kind == "json":
        return 40
    return max(10, min(40, len(column.header) * 2 + 4, (column.max_length or 20) + 2))


def write_export(entity, query, out, progress=None) -> int:
    """Write the rows of ``query`` (the list's rows of ``entity``) as an .xlsx into ``out``; the count.

    ``progress(rows_written)`` is called after each batch. The sheet is written by
    ``core.xlsx.sheet`` (text stays text: a value starting with "=" is never a formula).
    """
    columns = columns_for(entity).export
    count = 0
    with SheetWriter(out, sheet_title(entity), [_width(c) for c in columns],
                     header_fill=HEADER_RGB) as sheet:
        sheet.header([c.header for c in columns])
        row = sheet.row
        for values in export_values(entity, query, columns):
            if count >= MAX_ROWS:
                break
            row(values)
            count += 1
            if progress and count % BATCH == 0:
                progress(count)
        if progress:
            progress(count)
    return count


def export_file(entity, query):
    """The export in a temporary file (rewound), and the number of rows written."""
    out = tempfile.TemporaryFile()
    count = write_export(entity, query, out)
    out.seek(0)
    return out, count


def download_name(entity, what: str = "", ascii: bool = False) -> str:
    stamp = local_today().strftime("%Y%m%d")
    return f"{entity.key if ascii else sheet_title(entity)}{what}-{stamp}.xlsx"


def write_template(entity, out) -> None:
    """The import template: headers (* marks required), a comment and a drop-down per column, 说明."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=HEADER_RGB)
    required_fill = PatternFill("solid", fgColor=REQUIRED_RGB)
    columns = columns_for(entity).importable
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(entity)
    notes = wb.create_sheet(_("说明"))
    options = wb.create_sheet(_("可选值"))
    options.sheet_state = "hidden"
    notes.append([_("列名"), _("是否必填"), _("填写说明")])
    for cell in notes[1]:
        cell.font = header_font
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 70
    list_column = 0
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=("*" if column.required else "") + column.header)
        cell.font = header_font
        cell.fill = required_fill if column.required else header_fill
        hint = column.hint()
        cell.comment = Comment((_("必填。") if column.required else _("选填。")) + hint, "jiguan",
                               width=260, height=90)
        ws.column_dimensions[letter].width = _width(column)
        notes.append([column.header, _("是") if column.required else _("否"), hint])
        if column.kind == "choice" and column.choices:
            list_column += 1
            opt_letter = get_column_letter(list_column)
            labels = [str(label) for label in column.choices.values()]
            for row, label in enumerate(labels, start=1):
                options.cell(row=row, column=list_column, value=label)
            rule = DataValidation(type="list", allow_blank=not column.required,
                                  formula1=f"{quote_sheetname(options.title)}!${opt_letter}$1:"
                                           f"${opt_letter}${len(labels)}")
            rule.error = _("请从下拉列表中选择")
            rule.errorTitle = column.header
            rule.showErrorMessage = True
            ws.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}10000")
        elif column.kind in ("date", "time"):
            shown = "yyyy-mm-dd" if column.kind == "date" else "hh:mm"
            for row in range(2, 202):  # typed dates and times show as such
                ws.cell(row=row, column=i).number_format = shown
        elif column.kind in ("duration", "json"):
            for row in range(2, 202):  # kept as typed: Excel would turn 1:30 into a clock time
                ws.cell(row=row, column=i).number_format = "@"
    notes.append([])
    notes.append([_("说明"), "", _("第 1 行是列名，请勿修改；从第 2 行起每行一条记录。带 * 的列必填。"
                                    "导入只新增记录；任何一行有误时整个文件都不导入，请按提示改正后重新导入。")])
    notes["C" + str(notes.max_row)].alignment = Alignment(wrap_text=True)
    ws.freeze_panes = "A2"
    wb.save(out)


def template_file(entity):
    out = tempfile.TemporaryFile()
    write_template(entity, out)
    out.seek(0)
    return out
