"""Text standards, 《办法》第十一条: a 服务标准 is its 内容和等级, written, not a number.

A kind declares ``value_type="text"`` (here a test plugin's meeting service standard: no module
of the product sets one yet); such a standard holds ``text_value`` and no value, a number kind
the other way round, on every write path; the list shows the text, the form the right input.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import Jurisdiction, Standard
from core.extensions import db
from tests.conftest import Browser
from tests.core.plugin_app import fixture_plugin_app
from tests.fixtures.service_standard_plugin import FREE_KIND, KEY, KIND

PLUGIN = "tests.fixtures.service_standard_plugin"
CONTENT = "会场布置、茶歇一次、会议记录；二级服务"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def text_app(request, tmp_path_factory):
    yield from fixture_plugin_app(request.param, tmp_path_factory, [PLUGIN], [KEY], "jiguan_text_standard")


def _region(app) -> int:
    with app.app_context():
        found = db.session.execute(select(Jurisdiction.id).where(Jurisdiction.code == "650000")).scalar_one()
        db.session.remove()
    return found


def _api(app, username):
    from core.testing.support import ApiClient

    return ApiClient(app, username)


def test_art11_a_text_standard_holds_its_content_not_a_number(text_app):
    """第十一条: a 服务标准 is refused with a number and without its content; kept with its text."""
    region = _region(text_app)
    bureau = _api(text_app, "xj_bureau")
    body = {"kind": KIND, "key": "plenary", "jurisdiction_id": region, "effective_from": "2031-01-01"}
    number = bureau.post("/api/v1/standard/", json={**body, "value": 2})
    assert number.status_code == 422
    assert number.get_json()["message"] == (
        "“会议服务标准（测试）”是文字标准：请填写标准内容（服务内容和等级），不填数值（《办法》第十一条）")
    saved = bureau.post("/api/v1/standard/", json={**body, "text_value": CONTENT})
    assert saved.status_code == 201, saved.get_json()
    page = Browser(text_app, "xj_bureau").get("/standardview/list/?psize_StandardView=100")
    assert CONTENT in page.get_data(as_text=True)


def test_art11_a_number_standard_is_refused_with_text_instead(text_app):
    """第十一条: a cap is a number; words in its place are refused."""
    region = _region(text_app)
    response = _api(text_app, "xj_bureau").post("/api/v1/standard/", json={
        "kind": "asset_price_cap", "key": "2010000", "text_value": "不超过五千元",
        "jurisdiction_id": region, "effective_from": "2031-01-01"})
    assert response.status_code == 422
    assert "“资产单价上限”是数值标准：请填写标准值，不填标准内容" in response.get_json()["message"], \
        response.get_json()


def test_art11_the_form_takes_a_text_standard(text_app):
    """第十一条 on the form: the kind says it is a text; the content is saved as written."""
    region = _region(text_app)
    browser = Browser(text_app, "xj_bureau")
    form = browser.get("/standardview/add").get_data(as_text=True)
    assert "会议服务标准（测试）" in form and "会议服务标准（测试）：会议等级" in form
    assert "&#34;type&#34;: &#34;text&#34;" in form or '"type": "text"' in form.replace("&#34;", '"')
    page = browser.post("/standardview/add", data={
        "kind": KIND, "key": "working", "text_value": "会场布置；三级服务", "unit": "",
        "jurisdiction": str(region), "effective_from": "2031-02-01", "basis": "测试"})
    assert page.status_code == 302, page.get_data(as_text=True)[-2000:]
    with text_app.app_context():
        row = db.session.execute(select(Standard).where(Standard.kind == KIND, Standard.key == "working")
                                 ).scalar_one()
        assert row.value is None and row.text_value == row.value_text == "会场布置；三级服务"
        db.session.remove()


def test_art11_a_kind_without_a_direction_may_be_set_freely_below(text_app):
    """第十一条 leaves the direction to the kind: one that declares no ``stricter`` is not
    compared, so 乌鲁木齐市 may set more than the region."""
    with text_app.app_context():
        ids = dict(db.session.execute(select(Jurisdiction.code, Jurisdiction.id)
                                      .where(Jurisdiction.code.in_(["650000", "650100"]))).all())
        db.session.remove()
    body = {"kind": FREE_KIND, "key": "plenary", "effective_from": "2031-01-01"}
    region = _api(text_app, "xj_bureau").post("/api/v1/standard/", json={
        **body, "value": 1, "jurisdiction_id": ids["650000"]})
    assert region.status_code == 201, region.get_json()
    more = _api(text_app, "urumqi_bureau").post("/api/v1/standard/", json={
        **body, "value": 3, "jurisdiction_id": ids["650100"]})
    assert more.status_code == 201, more.get_json()
