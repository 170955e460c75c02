"""A list page's rows, written in Python rather than by Jinja cell by cell.

Jinja renders each cell through its runtime (a context lookup, a ``call`` and an ``escape``
per value, a loop context per row): 25 rows × 10 columns were a quarter of a list page's
CPU (docs/performance.md, "Near the floor"). The markup is the list widget's
(``templates/core/widgets/list.html``, block ``begin_loop_values``), which works out the
URLs, the translated titles and the CSRF token once per page and passes them here; every
value goes through ``markupsafe.escape`` as Jinja's autoescape does.
"""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup, escape

#: The class of a cell hidden on a phone (core/static/jiguan.css, at most 576 px wide).
MOBILE_HIDDEN = "jiguan-m-hide"


def mobile_hidden(include_columns, mobile_columns=None) -> frozenset:
    """The list columns a phone does not show: all but the view's ``mobile_columns``, by default
    the first two columns and the first status or state one (docs/display.md, "Phones")."""
    if mobile_columns is None:
        status = next((c for c in include_columns[2:]
                       if {"status", "state"} & set(c.split("_"))), None)
        mobile_columns = [*include_columns[:2], *([status] if status else [])]
    return frozenset(include_columns) - set(mobile_columns)


def list_rows(value_columns, pks, include_columns, formatters_columns, *, actions, marker: str,
              show_url=None, edit_url=None, delete_url=None, locked=False, read_only_pks=(),
              token="", texts=None, buttons=True, hidden=frozenset()) -> Markup:
    """The ``<tr>`` of each row: its check box (with actions), its buttons, its cells; those of
    the ``hidden`` columns carry the class a phone hides."""
    texts = {k: escape(v) for k, v in (texts or {}).items()}
    read_only = set(read_only_pks or ())
    formatters = [formatters_columns.get(name) for name in include_columns]
    opens = [f'<td class="{MOBILE_HIDDEN}">' if name in hidden else "<td>" for name in include_columns]
    out = []
    add = out.append
    for item, pk in zip(value_columns, pks, strict=False):
        pk_text = escape(pk)
        add("<tr>")
        if actions:
            add(f'<td><input id="{pk_text}" class="action_check" name="rowid" value="{pk_text}"'
                ' type="checkbox"></td>')
        if buttons:
            pk_url = quote(str(pk), safe="/")  # Jinja's ``urlencode`` of a string
            row_locked = locked or pk in read_only
            add('<td><center><div class="btn-group btn-group-xs" style="display: flex;">')
            if show_url:
                add(f'<a href="{escape(show_url.replace(marker, pk_url))}" class="btn btn-sm btn-default"'
                    f' data-toggle="tooltip" rel="tooltip" title="{texts["show"]}">'
                    f'<span class="sr-only">{texts["show_sr"]}</span><i class="fa fa-search"></i></a>')
            if edit_url and not row_locked:
                add(f'<a href="{escape(edit_url.replace(marker, pk_url))}" class="btn btn-sm btn-default"'
                    f' data-toggle="tooltip" rel="tooltip" title="{texts["edit"]}">'
                    f'<span class="sr-only">{texts["edit_sr"]}</span><i class="fa fa-edit"></i></a>')
            if delete_url and not row_locked:
                # a small POST form with the token, never a link: GET deletes nothing
                add(f'<form method="post" action="{escape(delete_url.replace(marker, pk_url))}"'
                    f' class="jiguan-delete" data-confirm="{texts["confirm"]}">'
                    f'<input type="hidden" name="csrf_token" value="{escape(token)}">'
                    f'<button type="submit" class="btn btn-sm btn-default" rel="tooltip"'
                    f' title="{texts["delete"]}"><span class="sr-only">{texts["delete_sr"]}</span>'
                    '<i class="fa fa-trash"></i></button></form>')
            add("</div></center></td>")
        for name, formatter, td in zip(include_columns, formatters, opens, strict=True):
            value = item[name]
            add(f"{td}{escape(formatter(value) if formatter else value)}</td>")
        add("</tr>\n")
    return Markup("".join(out))
