"""Long ledgers (reports/ledger.py), read back from the PDF: every row once and in order, the header
and 第 k 页 共 N 页 on every page, exact Decimal totals, an embedded CJK font.

No timing asserts: performance lives in benchmarks/ledger_benchmark.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal

import pytest

from benchmarks.ledger_data import COLUMNS, expected_totals, make_rows
from reports.ledger import (
    Column,
    check_ledger_pdf,
    display_width,
    layout_ledger,
    render_ledger_pdf,
)

POPPLER = ("pdftotext", "pdfinfo", "pdffonts", "pdfunite")
TITLE = "固定资产台账"
LABELS = [c.label for c in COLUMNS]


@pytest.fixture
def poppler():
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        message = (f"poppler-utils missing ({', '.join(missing)}): run `make system-deps` "
                   "(scripts/system-deps.sh) to read ledgers back")
        if os.environ.get("JIGUAN_REQUIRE_POSTGRES"):
            pytest.fail(message + " (JIGUAN_REQUIRE_POSTGRES is set: CI must read the PDFs)")
        pytest.skip(message)


def _fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _assert_cjk_embedded(pdf: bytes, tmp_path) -> None:
    fonts = _fonts(pdf, tmp_path)
    cjk = [f for f in fonts if "CJK" in f[0]]
    assert cjk, f"no CJK font in {fonts}"
    # columns: name type... emb sub uni object ID; emb is the 5th from the end
    assert all(f[-5] == "yes" for f in fonts), f"a font is not embedded: {fonts}"


def _render(rows, **kw) -> bytes:
    return render_ledger_pdf(TITLE, COLUMNS, rows, subtitle="（截至 2026 年 11 月 30 日）",
                             meta={"制表单位": "市机关事务管理局", "金额单位": "元"}, **kw)


@pytest.mark.parametrize("engine", ["direct", "weasyprint"])
def test_500_rows(poppler, tmp_path, engine):
    rows = make_rows(500)
    pdf = _render(rows, engine=engine)  # WeasyPrint: 500 rows stay in this process (no pool)
    problems = check_ledger_pdf(pdf, ids=[r[0] for r in rows], labels=LABELS,
                                totals=expected_totals(rows), title=TITLE)
    assert problems == []
    _assert_cjk_embedded(pdf, tmp_path)


def test_2000_rows_on_two_processes(poppler, tmp_path, monkeypatch):
    import reports.ledger as ledger

    monkeypatch.setattr(ledger, "SEGMENT_PAGES", 20)  # several segments per worker, merged by pdfunite
    rows = make_rows(2000, seed=7)
    pdf = _render(rows, workers=2, engine="weasyprint")
    problems = check_ledger_pdf(pdf, ids=[r[0] for r in rows], labels=LABELS,
                                totals=expected_totals(rows), title=TITLE)
    assert problems == []
    _assert_cjk_embedded(pdf, tmp_path)


def test_the_check_catches_a_wrong_ledger(poppler):
    rows = make_rows(120)
    pdf = _render(rows, workers=1)
    ids = [r[0] for r in rows]
    swapped = ids[:]
    swapped[3], swapped[4] = swapped[4], swapped[3]
    assert any("order" in p for p in check_ledger_pdf(pdf, ids=swapped, labels=LABELS))
    assert any("missing" in p for p in check_ledger_pdf(pdf, ids=ids + ["ZC0000000000"], labels=LABELS))
    wrong = dict(expected_totals(rows), **{"数量": "1"})
    assert any("数量" in p for p in check_ledger_pdf(pdf, ids=ids, labels=LABELS, totals=wrong))


def test_totals_are_exact_decimals_and_extra_rows(poppler):
    columns = [Column("code", "编号", 30), Column("name", "名称"),
               Column("value", "金额（元）", 40, align="right", fmt=",.2f", sum=True)]
    rows = [(f"N{i:05d}", "补贴", Decimal("0.10") if i % 2 else 0.2) for i in range(1, 1001)]
    lay = layout_ledger(TITLE, columns, rows, totals={"其中：奇数行": {"value": Decimal("50.00")}})
    assert lay.sums["value"] == Decimal("150.00")  # 500 x 0.10 + 500 x 0.2, no float drift
    pdf = render_ledger_pdf(TITLE, columns, rows, totals={"其中：奇数行": {"value": Decimal("50.00")}})
    problems = check_ledger_pdf(pdf, ids=[r[0] for r in rows], labels=["编号", "名称", "金额（元）"],
                                totals={"金额（元）": "150.00"}, title=TITLE)
    assert problems == []


def test_layout_wraps_long_text_and_keeps_numbers_whole():
    long_name = "大会议室专用视频会议终端（含安装调试及三年维保服务，另含备品备件与培训）" * 2
    lay = layout_ledger(TITLE, COLUMNS, [["ZC1", long_name, "M1", "市档案馆", None, 3,
                                           Decimal("123456789012.34"), "在用"]])
    row = lay.pages[0][0]
    assert len(row.lines) > 1  # wrapped onto extra lines of the same row, nothing cut
    joined = "".join(line for line in row.lines)
    assert all(part in joined for part in ("大会议室专用", "培训"))
    value_col = [c.key for c in COLUMNS].index("value")
    assert lay.cells[value_col] - 2 >= display_width("123,456,789,012.34")
    assert lay.total_texts == {"qty": "3", "value": "123,456,789,012.34"}


def test_layout_pages_and_widths():
    import reports.ledger as ledger

    lay = layout_ledger(TITLE, COLUMNS, make_rows(300), subtitle="x", meta={"制表单位": "y"})
    assert lay.row_count == 300
    assert sum(len([r for r in page if not r.total]) for page in lay.pages) == 300
    assert lay.pages[-1][-1].total
    assert lay.grid_width_mm <= 297 - 24 + 1e-6
    if ledger._font_metrics():  # × is full width in Noto Sans Mono CJK (Unicode: ambiguous)
        assert display_width("资产A×1") == 2 + 2 + 1 + 2 + 1
    with pytest.raises(ValueError):
        layout_ledger(TITLE, COLUMNS, [["too", "short"]])


def _render_in_daemon(queue) -> None:
    queue.put(_render(make_rows(1200, seed=3), engine="weasyprint"))


def test_a_daemonic_process_renders_a_long_ledger(poppler):
    """Celery prefork and multiprocessing workers are daemonic: the render workers still start."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_render_in_daemon, args=(queue,), daemon=True)
    proc.start()
    pdf = queue.get(timeout=120)
    proc.join(30)
    rows = make_rows(1200, seed=3)
    assert check_ledger_pdf(pdf, ids=[r[0] for r in rows], labels=LABELS, totals=expected_totals(rows)) == []


def test_a_script_read_from_stdin_renders_too(poppler, tmp_path):
    """multiprocessing's spawn cannot re-import such a __main__ (its pool then hung): plain workers."""
    import sys
    from pathlib import Path

    out = tmp_path / "stdin.pdf"
    script = ("from benchmarks.ledger_data import COLUMNS, make_rows\n"
              "from reports.ledger import render_ledger_pdf\n"
              "pdf = render_ledger_pdf('台账', COLUMNS, make_rows(1500), workers=2, "
              "engine='weasyprint')\n"
              f"open({str(out)!r}, 'wb').write(pdf)\n")
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-"], input=script, text=True, cwd=root, check=True, timeout=180)
    rows = make_rows(1500)
    assert check_ledger_pdf(out, ids=[r[0] for r in rows], labels=LABELS, totals=expected_totals(rows)) == []


def test_wrap_keeps_closing_marks_off_the_line_start():
    from reports.ledger import _wrap

    pieces = _wrap("华为服务器（大会议室专用，含安装调试及三年维保服务）", 48)
    assert pieces == ["华为服务器（大会议室专用，含安装调试及三年维保服", "务）"]
    assert all(display_width(p) <= 48 for p in pieces)


def _page_words(pdf: bytes) -> list[list[str]]:
    from reports.ledger import _pdf_text_pages

    return [page.split() for page in _pdf_text_pages(pdf)[1]]


def _producer(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "producer.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = [line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Producer")]
    return found[0] if found else ""


def test_direct_pages_read_back_word_for_word_like_weasyprint(poppler, tmp_path):
    """The pages written straight to PDF show what WeasyPrint's show: same pages, same words on each
    (title block, header, wrapped rows, Φ/× cells, totals, 第 k 页 共 N 页)."""
    rows = make_rows(400, seed=11)
    totals = {"其中：在用": {"value": Decimal("1.50")}}
    direct = _render(rows, totals=totals, engine="direct")
    weasy = _render(rows, totals=totals, engine="weasyprint")
    assert "ledger_direct" in _producer(direct, tmp_path)
    assert "WeasyPrint" in _producer(weasy, tmp_path)
    assert _page_words(direct) == _page_words(weasy)
    assert check_ledger_pdf(direct, ids=[r[0] for r in rows], labels=LABELS, totals=expected_totals(rows),
                            title=TITLE) == []
    _assert_cjk_embedded(direct, tmp_path)


def test_direct_numbers_every_page_of_a_long_ledger(poppler):
    rows = make_rows(5000, seed=5)  # 150+ pages in one direct document
    pdf = _render(rows)
    assert check_ledger_pdf(pdf, ids=[r[0] for r in rows], labels=LABELS, totals=expected_totals(rows),
                            title=TITLE) == []
    words = _page_words(pdf)
    n = len(words)
    assert n > 150
    assert "".join(words[0][-6:]) == f"第1页共{n}页"  # the footer: 第 k 页 共 N 页, last on the page
    assert "".join(words[-1][-6:]) == f"第{n}页共{n}页"


def test_direct_falls_back_to_weasyprint_for_a_character_its_font_lacks(poppler, tmp_path):
    rows = make_rows(30)
    rows[3][1] = "档案柜\U00020000"  # CJK extension B: not in Noto Sans Mono CJK SC
    pdf = _render(rows)
    assert "WeasyPrint" in _producer(pdf, tmp_path)
    assert check_ledger_pdf(pdf, ids=[r[0] for r in rows], labels=LABELS, totals=expected_totals(rows)) == []


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError):
        _render(make_rows(3), engine="latex")
