"""Inline SVG charts: well-formed, self-contained, labelled."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markupsafe import Markup

from reports.charts import bar_chart, line_chart, pie_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: Markup):
    assert isinstance(svg, Markup)
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    text = str(svg)
    assert "<script" not in text and "href" not in text and "http://" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    return root


def test_bar_chart_has_a_bar_per_value_the_labels_and_the_target_line():
    root = _parse(bar_chart(["乌鲁木齐市", "天山区", "喀什<市>"], [50, 33.3, 100], title="登记率", unit="%",
                            max_value=100, target=95, target_label="目标 95%"))
    assert len([r for r in root.findall(f"{SVG}rect") if r.get("fill") == "#3b5b8c"]) == 3
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "登记率" in words and "喀什<市>" in words and "目标 95%" in words
    assert any("Noto Serif CJK SC" in t.get("font-family") for t in root.iter(f"{SVG}text"))
    assert root.findall(f"{SVG}line")[-1].get("stroke-dasharray")


def test_line_chart_draws_one_polyline_per_series_with_a_legend():
    series = {"已登记": [3, 5, 8], "未登记": [9, 6, 4]}
    root = _parse(line_chart(["2024", "2025", "2026"], series, title="趋势"))
    assert len(root.findall(f"{SVG}polyline")) == 2
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "已登记" in words and "未登记" in words and "2026" in words


def test_pie_chart_shares_add_up_and_a_single_slice_is_a_circle():
    root = _parse(pie_chart(["党政机关", "事业单位"], [3, 1]))
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "党政机关  75.0%" in words and "事业单位  25.0%" in words
    assert len(root.findall(f"{SVG}path")) == 2
    single = _parse(pie_chart(["全部"], [5]))
    assert single.findall(f"{SVG}circle")
    _parse(pie_chart([], []))
    _parse(bar_chart([], []))
