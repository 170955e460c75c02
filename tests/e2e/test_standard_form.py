"""The 标准定额 form in Chromium (《办法》第十一条): the chosen kind narrows the keys, says what
it is and what a lower level may do, and offers the input of its value type
(core/static/standards.js; no inline script, so the CSP stays strict)."""

from __future__ import annotations

ADD = "/standardview/add"


def _visible_keys(page) -> list[str]:
    return [o.get_attribute("value") for o in page.find_all("select#key option")
            if o.is_enabled() and o.find_element("xpath", "..").is_displayed()]


def test_art11_choosing_a_kind_narrows_the_keys_and_explains_the_kind(login_as):
    page = login_as("urumqi_bureau")
    page.open(ADD)
    page.wait_for("select#kind[data-standard-kinds]")
    page.select("kind", "资产最低使用年限（年）")
    help_text = page.text(".jiguan-standard-kind")
    assert "该类资产处置前至少应使用的年限" in help_text and "计量单位：年" in help_text
    assert "不得低于上级标准" in help_text
    groups = {o.find_element("xpath", "..").get_attribute("label")
              for o in page.find_all("select#key option") if o.is_enabled()}
    assert groups == {"资产最低使用年限：资产分类"}, groups
    assert _visible_keys(page), "the kind's own keys stay offered"
    assert page.find("input#unit").get_attribute("value") == "年"
    assert page.find("#value").is_displayed() and not page.find("#text_value").is_displayed()

    page.select("kind", "土地确权登记完成率目标（%）")
    groups = {o.find_element("xpath", "..").get_attribute("label")
              for o in page.find_all("select#key option") if o.is_enabled()}
    assert groups == {"土地确权登记完成率目标：指标"}, groups
    assert "本辖区已登记宗地应达到的占比" in page.text(".jiguan-standard-kind")
    assert not [line for line in page.console() if "Content Security Policy" in line]
