"""Screenshots of two key pages (into pytest's tmp_path), and Chinese drawn as glyphs, not boxes."""

from __future__ import annotations

import struct

#: draws a string on a canvas in the page's own font and returns the pixels as a data URL
_DRAW = """
const c = document.createElement('canvas'); c.width = 200; c.height = 40;
const x = c.getContext('2d'); x.font = getComputedStyle(document.body).font; x.fillStyle = '#000';
x.fillText(arguments[0], 4, 28); return c.toDataURL();
"""


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_chinese_renders_as_glyphs(login_as):
    page = login_as("tianshan_clerk")
    # two different strings give the same pixels only when both are drawn as missing-glyph boxes
    first = page.driver.execute_script(_DRAW, "宗地台账")
    second = page.driver.execute_script(_DRAW, "模块启用")
    assert first != second, (
        "Chinese text renders as boxes: install a CJK font (fonts-noto-cjk, scripts/system-deps.sh)"
    )


def test_screenshots_of_land_list_and_module_page(login_as, tmp_path):
    clerk = login_as("tianshan_clerk").open("/landparcelview/list/")
    clerk.wait_for("div.table-responsive > table")
    land = clerk.screenshot(tmp_path / "tianshan_clerk_land_list.png")

    bureau = login_as("urumqi_bureau").open("/modules/?jurisdiction=650102")
    bureau.wait_for("table#modules")
    modules = bureau.screenshot(tmp_path / "urumqi_bureau_modules.png")

    for shot in (land, modules):
        width, height = _png_size(shot)
        assert width >= 800 and height >= 600, (shot, width, height)
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    print(f"screenshots: {land} {modules}")
