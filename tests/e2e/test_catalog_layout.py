"""The 数据目录 reads at 1440 px (issue 10, part 4): no column squeezed to a character a line."""

from __future__ import annotations


def test_catalog_columns_keep_their_words_at_1440px(login_as):
    page = login_as("urumqi_bureau")
    page.driver.set_window_size(1440, 900)
    page.open("/catalog/")
    page.wait_for("#catalog")
    # every header and short cell is one line tall: its height is at most ~1.6 lines of its font
    squeezed = page.driver.execute_script("""
        const out = [];
        for (const cell of document.querySelectorAll('#catalog th, #catalog td.nowrap')) {
            const style = getComputedStyle(cell);
            const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.43;
            const text = cell.innerText.trim();
            const range = document.createRange();
            range.selectNodeContents(cell);
            const lines = range.getClientRects().length ? range.getBoundingClientRect().height / line : 0;
            if (text && lines > 1.6) out.push(text + ': ' + lines.toFixed(1) + ' lines');
        }
        return out;
    """)
    assert squeezed == []
    width = page.driver.execute_script("return document.querySelector('#catalog').scrollWidth")
    assert width <= 1440, width
    stylesheet = page.driver.execute_script(
        "return getComputedStyle(document.querySelector('#catalog td.nowrap')).whiteSpace")
    assert stylesheet == "nowrap"  # the project's stylesheet is served and applied
