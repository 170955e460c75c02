"""The tenancies' pages as users read them (Art. 25): the lists in Chinese, the tenancy page with
its computed rent and the bureau's operations, the clerk's without the bureau's."""

from __future__ import annotations

from tests.plugins.housing.test_tenancies_flow import apply


def test_art25_application_list_and_page_in_chinese(app, login, api_client, housing):
    person = housing.person()
    pk = apply(api_client, person)
    listed = login("tianshan_clerk").get("/tenancyapplicationview/list/").get_data(as_text=True)
    assert "周转住房入住申请" in listed and housing.person_name(person) in listed
    page = login("tianshan_bureau").get(f"/tenancyapplicationview/show/{pk}").get_data(as_text=True)
    for text in ("新调入", "周转住房", "已提交，待机关事务管理部门审核", "未配租"):
        assert text in page, text


def test_art25_tenancy_page_shows_rent_and_the_bureaus_operations(app, login, housing):
    pk = housing.tenancy(housing.unit(area="45.50"), housing.person())
    page = login("tianshan_bureau").get(f"/tenancyview/show/{pk}").get_data(as_text=True)
    # 45.5 m² × 8 元 = 364 元
    for text in ("周转住房租住", "364.00", "已配租，待入住", "入住登记", 'data-operation="check_in"'):
        assert text in page, text
    clerk = login("tianshan_clerk").get(f"/tenancyview/show/{pk}").get_data(as_text=True)
    assert "364.00" in clerk and 'data-operation="check_in"' not in clerk


def test_art25_kashgar_clerk_cannot_open_a_tianshan_tenancy(app, login, housing):
    pk = housing.tenancy(housing.unit(), housing.person())
    response = login("kashgar_clerk").get(f"/tenancyview/show/{pk}")
    assert response.status_code in (302, 404), response.status_code
    listed = login("kashgar_clerk").get("/tenancyview/list/").get_data(as_text=True)
    assert housing.tag not in listed and "天山区周转房小区" not in listed
