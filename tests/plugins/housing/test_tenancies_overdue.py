"""超期占用 and the reports (Art. 25). Done when: a turnover tenancy past its end is listed as
overdue on the bureau's home page (工作台 逾期事项) — the demo's 天山区 one on tianshan_bureau's,
not on kashgar_bureau's; the card 超期占用的周转住房; 周转住房台账, 入住/退出登记表 and 超期占用清单
read back from the PDFs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from core.display import local_today
from core.extensions import db
from plugins.housing.tenancies.dashboard import overdue_tenancies
from plugins.housing.tenancies.models import Tenancy, add_months
from plugins.housing.units.models import HousingUnit

TODAY = local_today()


@pytest.fixture(autouse=True)
def _today_as_the_test_runs():
    """The app's today (display zone) when each test runs: a long run can cross midnight."""
    global TODAY
    TODAY = local_today()


TIANSHAN_UNIT = ("天山区周转房小区 3 号楼", "1-101")
KASHGAR_UNIT = ("喀什市周转房 1 号楼", "3-102")


def _demo_tenancy(app, building, number) -> tuple[int, str, str]:
    with app.app_context():
        tenancy = db.session.execute(
            select(Tenancy)
            .join(HousingUnit, Tenancy.unit_id == HousingUnit.id)
            .where(
                HousingUnit.building == building,
                HousingUnit.unit_number == number,
                Tenancy.status == "checked_in",
                Tenancy.voided_at.is_(None),
            )
        ).scalar_one()
        return tenancy.id, tenancy.person.name, tenancy.end_on.isoformat()


def _overdue_panel(html: str) -> str:
    start = html.index('id="todo-overdue"')
    return html[start : html.index("</ul>", start)]


def test_art25_done_when_overdue_turnover_tenancy_listed_on_the_bureaus_home_page(app, login):
    _pk, name, end = _demo_tenancy(app, *TIANSHAN_UNIT)
    html = login("tianshan_bureau").get("/").get_data(as_text=True)
    panel = _overdue_panel(html)
    assert name in panel and f"租期已于 {end} 届满，至今未退房" in panel, panel
    assert "超期占用" in panel
    kashgar_name = _demo_tenancy(app, *KASHGAR_UNIT)[1]
    assert kashgar_name not in panel
    # the card counts them
    assert "超期占用的周转住房" in html


def test_art25_kashgar_bureau_sees_its_own_overdue_tenancy_not_tianshans(app, login):
    tianshan_name = _demo_tenancy(app, *TIANSHAN_UNIT)[1]
    _pk, name, _end = _demo_tenancy(app, *KASHGAR_UNIT)
    panel = _overdue_panel(login("kashgar_bureau").get("/").get_data(as_text=True))
    assert name in panel and tianshan_name not in panel


def test_art25_overdue_only_after_the_checkout_days(app, housing):
    """A turnover tenancy ended 10 days ago is within the 15 checkout days (示例); 20 days ago is overdue;
    a talent apartment (0 days) is overdue the day after its end."""
    within = housing.tenancy(
        housing.unit("1-101"),
        housing.person(),
        start=add_months(TODAY, -12) - dt.timedelta(days=10),
        status="checked_in",
    )
    past = housing.tenancy(
        housing.unit("1-102"),
        housing.person(),
        start=add_months(TODAY, -12) - dt.timedelta(days=20),
        status="checked_in",
    )
    talent = housing.tenancy(
        housing.unit("501", kind="talent"),
        housing.person(),
        start=add_months(TODAY, -12) - dt.timedelta(days=1),
        status="checked_in",
    )
    with app.app_context():
        found = {tenancy.id: due for tenancy, due in overdue_tenancies(None, TODAY)}
    assert within not in found
    past_start = add_months(TODAY, -12) - dt.timedelta(days=20)
    assert past in found and found[past] == add_months(past_start, 12) + dt.timedelta(days=15) < TODAY
    assert talent in found


def test_art25_a_checked_out_tenancy_is_not_overdue(app, housing, api_client):
    pk = housing.tenancy(housing.unit(), housing.person(), start=add_months(TODAY, -13), status="checked_in")
    with app.app_context():
        assert pk in {t.id for t, _due in overdue_tenancies(None, TODAY)}
    done = api_client("tianshan_bureau").api(
        "POST",
        f"/api/v1/housing_tenancy/{pk}/check_out",
        json={
            "checked_out_on": TODAY.isoformat(),
            "inventory": "床 2 完好\n衣柜 2 完好\n书桌 1 完好\n冰箱 1 完好",
        },
    )
    assert done.status_code == 200, done.get_json()
    with app.app_context():
        assert pk not in {t.id for t, _due in overdue_tenancies(None, TODAY)}


def _render(api_client, user, key, params=None):
    response = api_client(user).api("POST", f"/api/v1/reports/{key}/render", json={"params": params or {}})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.data


def test_art25_overdue_list_pdf(app, api_client, pdf_text):
    _pk, name, end = _demo_tenancy(app, *TIANSHAN_UNIT)
    kashgar_name = _demo_tenancy(app, *KASHGAR_UNIT)[1]
    text = pdf_text(_render(api_client, "tianshan_bureau", "housing_overdue"))
    assert "周转住房超期占用清单" in text
    [line] = [row for row in text.splitlines() if name in row]
    assert "1-101" in line and end in line
    assert kashgar_name not in text
    assert "第二十五条" in text


def test_art25_register_pdf_lists_units_with_tenants_and_rent(app, api_client, pdf_text, housing):
    unit = housing.unit("9-901", area="60.00")
    person = housing.person()
    housing.tenancy(unit, person, status="checked_in")
    text = pdf_text(_render(api_client, "tianshan_bureau", "housing_register"))
    assert "周转住房台账" in text
    [line] = [row for row in text.splitlines() if "9-901" in row]
    # 60 m² × 8 元 = 480 元; the tenant and the organisation
    assert "480.00" in line and housing.person_name(person) in line and "已入住" in line, line
    assert re.search(r"天山区周转房小区 3 号楼 1-102", text)
    assert "喀什市周转房" not in text


def test_art25_tenancy_form_pdf_prints_both_inventories(app, api_client, pdf_text, housing):
    pk = housing.tenancy(
        housing.unit(), housing.person(), start=TODAY - dt.timedelta(days=90), status="checked_in"
    )
    done = api_client("tianshan_bureau").api(
        "POST",
        f"/api/v1/housing_tenancy/{pk}/check_out",
        json={
            "checked_out_on": TODAY.isoformat(),
            "inventory": "床 2 完好\n衣柜 2 完好\n书桌 1 完好\n冰箱 1 门封老化",
            "damages": "冰箱门封老化",
        },
    )
    assert done.status_code == 200, done.get_json()
    text = pdf_text(_render(api_client, "tianshan_bureau", "housing_tenancy_form", {"tenancy": str(pk)}))
    for expected in (
        "周转住房入住/退出登记表",
        "入住物品清单",
        "退房物品清单",
        "门封老化",
        "损坏、缺失情况：冰箱门封老化",
        "承租人",
        "机关事务管理部门经办人",
        "400.00",
    ):
        assert expected in text, expected


def test_art25_tenancy_form_of_another_jurisdiction_refused(app, api_client):
    pk = _demo_tenancy(app, *TIANSHAN_UNIT)[0]
    response = api_client("kashgar_bureau").api(
        "POST", "/api/v1/reports/housing_tenancy_form/render", json={"params": {"tenancy": str(pk)}}
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "租住记录不存在或不在您的权限范围内" in response.get_json()["message"]


def test_art25_overdue_card_opens_the_checked_in_tenancies(app, login):
    """The card 超期占用的周转住房 links to the checked-in tenancies, the overdue first."""
    from plugins.housing.tenancies.dashboard import CHECKED_IN_FILTER

    _pk, name, _end = _demo_tenancy(app, *TIANSHAN_UNIT)
    bureau = login("tianshan_bureau")
    home = bureau.get("/").get_data(as_text=True)
    assert "_flt_3_status=checked_in" in home
    query = "&".join(f"{k}={v}" for k, v in CHECKED_IN_FILTER)
    listed = bureau.get(f"/tenancyview/list/?{query}").get_data(as_text=True)
    assert name in listed and "已入住" in listed and "已退房" not in listed
