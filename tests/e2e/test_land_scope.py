"""Each user's 宗地台账 list holds only the parcels of its organisation or jurisdiction."""

from __future__ import annotations

import pytest

LIST = "/landparcelview/list/"

#: username -> (parcels that must be listed, parcels that must not, text that must not appear at all)
EXPECTED = {
    "tianshan_clerk": (["天山区财政局业务楼"], ["天山区政府办公楼", "天山区教育局周转用地",
                                               "乌鲁木齐市行政中心", "喀什市财政局办公楼"], ["喀什"]),
    "kashgar_clerk": (["喀什市财政局办公楼"], ["喀什市教育局办公楼", "喀什地区行政办公区"], ["乌鲁木齐"]),
    "urumqi_bureau": (["天山区政府办公楼", "乌鲁木齐市行政中心", "天山区财政局业务楼",
                       "沙依巴克区财政局办公楼"], ["自治区机关集中办公区", "昌吉市机关集中办公区"], ["喀什"]),
    "xj_bureau": (["天山区政府办公楼", "乌鲁木齐市行政中心", "喀什市财政局办公楼",
                   "自治区机关集中办公区", "昌吉市机关集中办公区"], [], []),
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_parcel_list_is_scoped(login_as, username):
    shown, hidden, absent = EXPECTED[username]
    page = login_as(username).open(LIST)
    page.wait_for("div.table-responsive > table")
    names = page.table_column("宗地名称")
    for name in shown:
        assert name in names, f"{username} should see {name}: {names}"
    for name in hidden:
        assert name not in names, f"{username} must not see {name}: {names}"
    table = page.text("div.table-responsive > table")
    for word in absent:
        assert word not in table, f"{username} sees {word!r} in its list:\n{table}"
    # the count above the table agrees with the rows (no hidden row counted)
    assert f"记录数目: {len(names)}" in page.text(), page.text()[:300]


def test_clerk_cannot_open_another_organisations_parcel(login_as, in_app):
    from sqlalchemy import select

    from plugins.land.parcels.models import LandParcel

    with in_app() as session:
        other = session.execute(
            select(LandParcel.id).where(LandParcel.name == "天山区政府办公楼")
        ).scalar_one()
    page = login_as("tianshan_clerk").open(f"/landparcelview/show/{other}")
    assert "天山区政府办公楼" not in page.text()
