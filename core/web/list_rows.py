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


def list_rows(value_columns, pks, include_columns, formatters_columns, *, actions, marker: str,
              show_url=None, edit_url=None, delete_url=None, locked=False, read_only_pks=(),
              token="", texts=None, buttons=True) -> Markup:
    """The ``<tr>`` of each row: its check box (with actions), its buttons, its cells."""
    texts = {k: escape(v) for k, v in (texts or {}).items()}
    read_only = set(read_only_pks or ())
    formatters = [formatters_columns.get(name) for name in include_columns]
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
        for name, formatter in zip(include_columns, formatters, strict=True):
            value = item[name]
            add(f"<td>{escape(formatter(value) if formatter else value)}</td>")
        add("</tr>\n")
    return Markup("".join(out))
