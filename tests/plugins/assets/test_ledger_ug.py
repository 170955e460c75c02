"""资产台账 in Uyghur (issue 16 item 4): rendered for a ug user, the PDF reads right to left with
Uyghur headings in an Arabic-script font, and the same rows and total as the Chinese one."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from flask_babel import force_locale

from core.scoping import scope_for_user
from reports.engine import render_html, render_pdf
from tests.core.test_user_locale import ug

HEADINGS = ["资产编号", "资产名称", "使用单位", "原值（元）"]


@pytest.fixture(autouse=True)
def _poppler():
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils missing: run `make system-deps`")


def fonts_of(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "read.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_ledger_in_uyghur_has_uyghur_headings_and_an_arabic_font(ctx, pdf_text):
    scope = scope_for_user(ctx.appbuilder.sm.find_user(username="kashgar_clerk"))
    with ctx.test_request_context("/"):
        with force_locale("zh"):
            chinese = pdf_text(render_pdf("asset_ledger", {}, scope), layout=False)
        with force_locale("ug"):
            pdf = render_pdf("asset_ledger", {}, scope)
    text = pdf_text(pdf, layout=False)
    assert ug("资产台账") in text
    for heading in HEADINGS:
        assert ug(heading) in text, heading
        assert heading not in text, heading  # no Chinese heading left
    assert "بىرلىك" in text  # the unit of measure's column, not 单位 the organisation (ئورۇن)
    fonts = fonts_of(pdf)
    assert "UKIJ" in fonts or "NotoSansArabic" in fonts, fonts
    # the same cards (their numbers) in both languages
    numbers = sorted({w for w in chinese.split() if w.startswith("ZC-")})
    plain = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", " ", text)  # pdftotext's bidi marks
    assert numbers and numbers == sorted({w for w in plain.split() if w.startswith("ZC-")})


def test_a_report_page_in_uyghur_is_right_to_left(ctx):
    scope = scope_for_user(ctx.appbuilder.sm.find_user(username="kashgar_clerk"))
    with ctx.test_request_context("/"):
        with force_locale("ug"):
            page = render_html("asset_ledger", {}, scope)
        with force_locale("zh"):
            chinese = render_html("asset_ledger", {}, scope)
    assert '<html lang="ug" dir="rtl">' in page
    assert '<html lang="zh-CN" dir="ltr">' in chinese
