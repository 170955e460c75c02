"""A stocktake line saved on its own (录入实盘结果, the count screen on a phone, issue 16 item 2):
the same rules as the whole-sheet form — scope, the stocktake open, valid values — and a refusal
is a Chinese message that changes nothing."""

from __future__ import annotations

from tests.plugins.assets.test_stocktake import count_form, lines_of, open_stocktake, org_id  # noqa: F401


def count(client, line_id, **body):
    return client.api("POST", f"/api/v1/asset_stocktake_line/{line_id}/count", json=body)


def test_a_line_saved_on_its_own(app, login, org_id):  # noqa: F811
    pk = open_stocktake(app, login, org_id)
    first, second = lines_of(app, pk)[:2]
    clerk = login("tianshan_clerk")
    page = clerk.text(f"/stocktakeview/count/{pk}")
    assert 'data-line-api="/api/v1/asset_stocktake_line/"' in page and 'data-found="1"' in page
    assert "/static/assets/stocktake.js" in page and "/static/assets/stocktake.css" in page

    response = count(clerk, first["id"], found="1", counted_status="repair", counted_location=" 档案室 ")
    assert response.status_code == 200, response.get_json()
    line = lines_of(app, pk)[0]
    assert (line["found"], line["counted_status"], line["counted_location"]) == (True, "repair", "档案室")
    assert lines_of(app, pk)[1] == second  # only that line

    # 不在: what was counted of a missing asset goes, as on the form
    assert count(clerk, first["id"], found="0", counted_status="repair", note="库房未找到").status_code == 200
    line = lines_of(app, pk)[0]
    assert (line["found"], line["counted_status"], line["counted_location"]) == (False, None, None)
    assert count(clerk, first["id"], found="").status_code == 200
    assert lines_of(app, pk)[0]["found"] is None


def test_bad_input_scope_and_a_closed_stocktake_change_nothing(app, login, org_id):  # noqa: F811
    pk = open_stocktake(app, login, org_id)
    lines = lines_of(app, pk)
    clerk = login("tianshan_clerk")
    for body, words in (
        (dict(found="x"), "是否在"),
        (dict(found="1", counted_status="lost"), "实盘状态"),
        (dict(counted_status="idle"), "是否在"),  # found is required
        (dict(found="1", counted_location="地" * 300), "实盘地点"),
    ):
        response = count(clerk, lines[0]["id"], **body)
        assert response.status_code == 422, (body, response.get_json())
        assert words in response.get_json()["message"], response.get_json()
    response = clerk.api("POST", f"/api/v1/asset_stocktake_line/{lines[0]['id']}/count", data="[1]",
                         headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert lines_of(app, pk) == lines

    kashgar = login("kashgar_clerk")
    assert count(kashgar, lines[0]["id"], found="1").status_code == 404
    assert lines_of(app, pk) == lines

    # submitted: no line changes any more, one by one no more than on the form
    clerk.post(f"/stocktakeview/count/{pk}", data=count_form(lines))
    response = clerk.api("POST", f"/api/v1/asset_stocktake/{pk}/workflow/submit", json={})
    assert response.status_code == 200, response.get_json()
    counted = lines_of(app, pk)
    response = count(clerk, lines[0]["id"], found="0")
    assert response.status_code == 422 and "盘点已提交审批" in response.get_json()["message"]
    assert lines_of(app, pk) == counted
    page = clerk.text(f"/stocktakeview/count/{pk}")
    assert "data-line-api" not in page and 'data-found="1"' not in page
