"""周转住房房源清单 (Art. 25): the PDF read back — the reader's units only, their status and
handover, the year's repairs and their cost, the totals."""

from __future__ import annotations

from tests.plugins.housing.test_units_maintenance import write_job
from tests.plugins.housing.units_helpers import BUREAU, make_unit, unit_of


def _render(client, year):
    return client.api("POST", "/api/v1/reports/housing_unit_register/render", json={"params": {"year": year}})


def test_art25_unit_register_pdf_reads_back(app, login, rest, pdf_text):
    """第二十五条: 天山区's bureau prints its units: a new unit with two repairs of 2023 shows its
    handover document, 2 repairs and their cost; 喀什市's units are not on it; kashgar_bureau's
    list has its own and not 天山区's."""
    pk = make_unit(app, status="available")
    unit = unit_of(app, pk)
    write_job(app, login, rest, "rest", pk, cost="1000.50", day="2023-04-01")
    write_job(app, login, rest, "rest", pk, cost="200.25", day="2023-06-01")
    write_job(app, login, rest, "rest", pk, cost="999.00", day="2024-01-05")  # another year
    response = _render(rest(BUREAU, "jwt"), 2023)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdf_text(response.data)
    squeezed = "".join(text.split())
    assert "周转住房房源清单" in text and "2023年度" in squeezed
    line = next(row for row in text.splitlines()
                if unit.building.replace(" ", "") in row.replace(" ", ""))
    assert "空置可配租" in line and "2" in line.split() and "1,200.75" in line
    assert "测移〔2024〕" in squeezed and "2024-01-01" in line  # the handover's document and day
    assert "喀什市周转房" not in squeezed
    kashgar = "".join(pdf_text(_render(rest("kashgar_bureau", "jwt"), 2023).data).split())
    assert "喀什市周转房1号楼" in kashgar and "天山区周转房小区" not in kashgar
    assert unit.building.replace(" ", "") not in kashgar


def test_bad_year_is_refused_in_chinese(app, rest):
    response = _render(rest(BUREAU, "jwt"), 1900)
    assert response.status_code == 422 and "年度应在 2000 至 2100 之间" in str(response.get_json())
