"""资产标签 (cards/labels.py): label sheets of asset cards with a QR code opening the card.

Read back from the PDF: the text with pdftotext, the page size with pdfinfo, and the QR code by
rasterising the page (pdftoppm) and reading its modules, compared with the code segno makes of
the URL the label must open (no QR decoder is installed here; equal modules are the same code).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
import segno
from sqlalchemy import select

from core.extensions import db
from plugins.assets.cards.labels import SIZES
from plugins.assets.cards.models import Asset
from plugins.assets.custody.models import AssetReceipt
from tests.plugins.assets.helpers import equipment_class, new_card

BASE = "https://zcgl.example.gov.cn"
NAMES = ("标签测试计算机甲", "标签测试计算机乙", "标签测试计算机丙")


def _poppler(tool):
    if shutil.which(tool) is None:
        pytest.skip("poppler-utils missing: run `make system-deps` to read PDFs back")


def pdftext(pdf: bytes, tmp_path) -> str:
    """The PDF's text in drawing order (label after label), without the spaces and line breaks of
    the labels' wrapped lines."""
    _poppler("pdftotext")
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", "", out)


def pdfinfo(pdf: bytes, tmp_path) -> dict:
    _poppler("pdfinfo")
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def qr_modules(pdf: bytes, tmp_path, left_mm: float, top_mm: float, side_mm: float, dpi=300):
    """The dark/light modules of the QR code drawn inside the square at (left, top), side mm, on
    page 1: the page rasterised in grey, the code's extent found by its finder patterns (the
    dark pixels' bounding box), each module read at its centre."""
    _poppler("pdftoppm")
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True)
    raw = next(tmp_path.glob("page*.pgm")).read_bytes()
    magic, width, height, _max, pixels = re.match(rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", raw, re.S).groups()
    width, height = int(width), int(height)

    def dark(x, y):
        return pixels[y * width + x] < 128

    px = dpi / 25.4
    x0, y0, x1, y1 = (int(left_mm * px), int(top_mm * px), int((left_mm + side_mm) * px),
                      int((top_mm + side_mm) * px))
    points = [(x, y) for y in range(y0, y1) for x in range(x0, x1) if dark(x, y)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1), dark


def assert_qr_encodes(pdf: bytes, tmp_path, url: str, left_mm, top_mm, side_mm):
    expected = segno.make(url, error="m").matrix
    n = len(expected)
    (bx0, by0, bx1, by1), dark = qr_modules(pdf, tmp_path, left_mm, top_mm, side_mm)
    step_x, step_y = (bx1 - bx0) / n, (by1 - by0) / n
    read = [bytearray(int(dark(int(bx0 + (c + 0.5) * step_x), int(by0 + (r + 0.5) * step_y)))
                      for c in range(n)) for r in range(n)]
    assert [bytes(row) for row in read] == [bytes(row) for row in expected], f"QR of {url}"


@pytest.fixture
def cards(app):
    pks = [new_card(app, name=name) for name in NAMES]
    with app.app_context():
        return [(pk, db.session.get(Asset, pk).number) for pk in pks]


@pytest.fixture
def base_url(app):
    app.config["LABEL_BASE_URL"] = BASE + "/"
    yield BASE
    app.config.pop("LABEL_BASE_URL", None)


def test_sheet_of_a_selection_has_a_label_per_card_with_its_qr(app, login, cards, base_url, tmp_path):
    clerk = login("tianshan_clerk")
    numbers = [number for _pk, number in cards]
    response = clerk.api("POST", "/api/v1/reports/asset_labels/render",
                         json={"params": {"numbers": "，".join(numbers), "size": "a4_3x8"}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = pdftext(response.data, tmp_path)
    assert text.count("资产标签") == 3
    for number, name in zip(numbers, NAMES, strict=True):
        assert number in text and name in text
    assert text.count("乌鲁木齐市天山区财政局") == 3
    info = pdfinfo(response.data, tmp_path)
    assert info["Pages"].strip() == "1" and "A4" in info["Page size"]
    # the first label (top left of A4 3×8: 0.5 mm down, 2 mm padding) opens the first card's page
    size = SIZES["a4_3x8"]
    assert_qr_encodes(response.data, tmp_path, f"{BASE}/assetview/show/{cards[0][0]}",
                      left_mm=size.left + 1, top_mm=size.top + 1, side_mm=size.height - 2)


def test_list_action_card_page_and_receipt_open_the_labels(app, login, cards, tmp_path):
    clerk = login("tianshan_clerk")
    assert "打印资产标签" in clerk.text("/assetview/list/")
    # the list's action on the selected cards: 资产标签's page with their numbers filled in
    response = clerk.post("/assetview/action_post",
                          data={"action": "print_labels", "rowid": [str(cards[0][0]), str(cards[1][0])]})
    assert response.status_code == 302 and "/reports/asset_labels/" in response.location
    page = clerk.text(response.location)
    assert cards[0][1] in page and cards[1][1] in page and "标签规格" in page
    response = clerk.post("/reports/asset_labels/render", data={
        "numbers": f"{cards[0][1]},{cards[1][1]}", "size": "a4_2x7", "skip": "3", "action": "pdf"})
    assert response.mimetype == "application/pdf"
    text = pdftext(response.data, tmp_path)
    assert text.count("资产标签") == 2 and cards[1][1] in text
    # the card page: 打印资产标签 (the core's button from Report.prints) and the page to choose a stock
    show = clerk.text(f"/assetview/show/{cards[2][0]}")
    assert 'id="print-asset_labels"' in show and 'data-record-action="labels"' in show
    printed = clerk.get(f"/reports/asset_labels/print?asset={cards[2][0]}")
    assert printed.mimetype == "application/pdf"
    assert cards[2][1] in pdftext(printed.data, tmp_path)
    # without LABEL_BASE_URL the QR opens the address the label was printed from
    html = clerk.api("POST", "/api/v1/reports/asset_labels/render",
                     json={"params": {"asset": str(cards[2][0])}, "format": "html"}).get_data(as_text=True)
    assert f'data-url="http://localhost/assetview/show/{cards[2][0]}"' in html
    # a receipt's new cards: its page links to the labels, one per card, here on a thermal roll
    with app.app_context():
        receipt = db.session.execute(select(AssetReceipt).order_by(AssetReceipt.id.desc())).scalars().first()
        from plugins.assets.custody.models import receive
        org = receipt.organization
        receipt, made = receive(db.session, organization=org, asset_class=equipment_class(),
                                name="标签测试打印机", quantity=2, unit="台", unit_price=Decimal("1500"),
                                acquired_on=receipt.acquired_on, location="库房", status="idle")
        db.session.commit()
        receipt_id, receipt_no, made = receipt.id, receipt.number, [a.number for a in made]
    assert 'id="receipt-labels"' in clerk.text(f"/assetreceiptview/show/{receipt_id}")
    response = clerk.post("/reports/asset_labels/render",
                          data={"receipt": receipt_no, "size": "roll_50x30", "action": "pdf"})
    assert response.mimetype == "application/pdf"
    text = pdftext(response.data, tmp_path)
    assert all(number in text for number in made) and text.count("标签测试打印机") == 2
    info = pdfinfo(response.data, tmp_path)
    assert info["Pages"].strip() == "2" and info["Page size"].split()[:3] == ["141.732", "x", "85.0394"]


def test_cards_out_of_scope_are_not_printed(app, login, cards):
    kashgar = login("kashgar_clerk")
    pk, number = cards[0]
    response = kashgar.get(f"/reports/asset_labels/print?asset={pk}")
    assert response.status_code == 422 and "不存在或不在您的权限范围内" in response.get_data(as_text=True)
    response = kashgar.api("POST", "/api/v1/reports/asset_labels/render",
                           json={"params": {"numbers": number}})
    assert response.status_code == 422 and "不存在或不在您的权限范围内" in response.get_json()["message"]
    with app.app_context():
        receipt = db.session.execute(select(AssetReceipt).order_by(AssetReceipt.id.desc())).scalars().first()
        receipt_no = receipt.number
    response = kashgar.api("POST", "/api/v1/reports/asset_labels/render",
                           json={"params": {"receipt": receipt_no}})
    assert response.status_code == 422 and "入库单" in response.get_json()["message"]
    # the list action with another jurisdiction's row id: nothing selected, not a 500
    response = kashgar.post("/assetview/action_post", data={"action": "print_labels", "rowid": [str(pk)]},
                            follow_redirects=True)
    assert response.status_code == 200 and number not in response.get_data(as_text=True)


def test_bad_input_gives_a_chinese_message(app, login, cards):
    clerk = login("tianshan_clerk")

    def refused(params):
        response = clerk.api("POST", "/api/v1/reports/asset_labels/render", json={"params": params})
        assert response.status_code == 422, response.get_data(as_text=True)[:300]
        return response.get_json()["message"]

    assert "请选择要打印标签的资产卡片" in refused({})
    assert "标签规格" in refused({"numbers": cards[0][1], "size": "a3_99x99"})
    assert "每张只有 24 个标签位" in refused({"numbers": cards[0][1], "skip": 24})
    assert "ZC-NO-SUCH-CARD" in refused({"numbers": f"{cards[0][1]} ZC-NO-SUCH-CARD"})
    # the form: the error under the field, status 422
    response = clerk.post("/reports/asset_labels/render", data={"action": "pdf", "size": "a4_3x8"})
    assert response.status_code == 422 and "请选择要打印标签的资产卡片" in response.get_data(as_text=True)
    # the list action with nothing ticked
    response = clerk.post("/assetview/action_post", data={"action": "print_labels"}, follow_redirects=True)
    assert "请先勾选要打印标签的资产卡片" in response.get_data(as_text=True)


def test_the_report_commands_app_without_screens_prints_the_same_qr(app, cards, base_url):
    """``jiguan report`` builds an app without views (core/cli): the label still opens the card."""
    from core.testing.support import make_app
    from plugins.assets.cards.labels import base_url as label_base
    from plugins.assets.cards.labels import card_url

    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], WEB_VIEWS=False, LABEL_BASE_URL=BASE)
    try:
        with other.app_context():
            assert card_url(cards[0][0], label_base()) == f"{BASE}/assetview/show/{cards[0][0]}"
        with app.app_context():
            assert card_url(cards[0][0], label_base()) == f"{BASE}/assetview/show/{cards[0][0]}"
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_label_job_opens_the_address_it_was_submitted_from(app, rest, cards, tmp_path):
    """后台生成 runs without a request (issue 16): its labels open the address of the request that
    submitted the job; a job submitted from the command line has none and asks for the setting."""
    import time

    from core.jobs import submit
    from core.scoping import SYSTEM, acting_as

    assert not app.config.get("LABEL_BASE_URL")
    clerk = rest("tianshan_clerk", "jwt")  # a program's bearer token: no cookie tied to a host
    pk = cards[0][0]
    params = {"key": "asset_labels", "params": {"asset": str(pk), "size": "a4_3x8"}}
    response = clerk.api("POST", "/api/v1/jobs/", json={"kind": "report.render", "params": params},
                         base_url="http://zcgl.xj.example:8080")
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    job_id = response.get_json()["result"]["id"]
    deadline = time.monotonic() + 60
    while (job := clerk.get(f"/api/v1/jobs/{job_id}").get_json()["result"])["status"] != "done":
        assert job["status"] != "failed" and time.monotonic() < deadline, job
        time.sleep(0.1)
    pdf = clerk.get(f"/api/v1/jobs/{job_id}/download").data
    size = SIZES["a4_3x8"]
    assert_qr_encodes(pdf, tmp_path, f"http://zcgl.xj.example:8080/assetview/show/{pk}",
                      left_mm=size.left + 1, top_mm=size.top + 1, side_mm=size.height - 2)
    # from the command line (no request): the job fails with the setting to make
    with app.app_context(), acting_as(SYSTEM):
        from core.jobs import get_visible_job

        job_id = submit("report.render", params, user=_clerk_user()).id
        deadline = time.monotonic() + 60
        while (job := get_visible_job(job_id, scope=SYSTEM)).status not in ("done", "failed"):
            assert time.monotonic() < deadline, job.status
            db.session.expire_all()
            time.sleep(0.1)
        assert job.status == "failed" and "JIGUAN_LABEL_BASE_URL" in job.message, job.message
        db.session.remove()


def _clerk_user():
    from flask import current_app

    sm = current_app.appbuilder.sm
    return db.session.execute(select(sm.user_model).filter_by(username="tianshan_clerk")).scalar_one()
