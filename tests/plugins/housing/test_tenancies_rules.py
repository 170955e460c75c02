"""Every rule of tenancies/rules.py on every write path that reaches it (Art. 25): the add form,
REST POST/PUT with a bearer token, the XLSX import (/api/v1/<key>/import), the approval and the
operations (配租, 入住登记, 退房登记, 续租). A refusal shows the Chinese message naming 第二十五条 and
writes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import select, update

from catalog.models import Standard
from core.display import local_today
from core.extensions import db
from plugins.housing.tenancies.models import (
    ELIGIBILITY_YEARS,
    RENT_PER_M2,
    Tenancy,
    TenancyApplication,
    TenancyRenewal,
    add_months,
)
from plugins.housing.units.models import HousingUnit
from tests.catalog.xlsx_helpers import upload, xlsx_bytes
from tests.plugins.housing.conftest import ART25, KASHGAR_BUREAU
from tests.plugins.housing.test_tenancies_flow import allocate, apply, approve

CLERK, BUREAU = "tianshan_clerk", "tianshan_bureau"
TODAY = local_today()


@pytest.fixture(autouse=True)
def _today_as_the_test_runs():
    """The app's today (display zone) when each test runs: a long run can cross midnight."""
    global TODAY
    TODAY = local_today()


TOO_LATE = "距今已超过申请资格年限 3 年"
NO_HOME = "申请人须声明本市无住房"
ONE_OPEN = "每人只能有一份在办的入住申请或一处租住"
TOO_LONG = "最长租期 24 个月"
OVERLAP = "同一房源的租期不能重叠"
NOT_AVAILABLE = "只能配租空置可配租的房源"
ELSEWHERE = "只能配租本辖区的房源"
NO_RENT = "未设定周转住房租金标准"
NO_YEARS = "未设定周转住房申请资格年限标准"
ONE_TENANCY = "每人只能有一处租住"
RENEWAL_AFTER = "续租后的租期截止日应晚于现租期截止日"
RENEWAL_LONG = "每次续租不得超过最长租期 24 个月"
RENEWAL_MAX = "达到续租次数上限 1 次"
RENEWAL_CHECKED_IN = "只有已入住的租住才能续租"


def _refused(response, *expected, status=422):
    assert response.status_code == status, response.get_json()
    message = response.get_json()["message"]
    for text in (*expected, ART25):
        assert text in message, message


def _form(login, url, data, user=CLERK) -> str:
    return login(user).post(url, data=data, follow_redirects=True).get_data(as_text=True)


def _form_refused(html, *expected):
    for text in (*expected, ART25):
        assert text in html, html[:3000]


def _import(login, key, headers, row, user=CLERK):
    return login(user).post(
        f"/api/v1/{key}/import", data=upload(xlsx_bytes(headers, [row])), content_type="multipart/form-data"
    )


def _import_refused(response, *expected):
    assert response.status_code == 422, response.get_json()
    text = " ".join(error["text"] for error in response.get_json()["errors"])
    for part in (*expected, ART25):
        assert part in text, text


def _application_body(person, **kw):
    return {
        "person_id": person,
        "reason": "transferred",
        "event_on": (TODAY - dt.timedelta(days=90)).isoformat(),
        "no_home": True,
        "family_size": 2,
        "unit_kind": "turnover",
        **kw,
    }


def _application_form(person, **kw):
    data = {
        "person": person,
        "reason": "transferred",
        "event_on": (TODAY - dt.timedelta(days=90)).isoformat(),
        "no_home": "y",
        "family_size": "2",
        "unit_kind": "turnover",
        "note": "",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


APPLICATION_HEADERS = ["申请人", "申请理由", "调入或录用日期", "本市无住房", "家庭人口", "申请房型"]


def _application_row(housing, person, event_on=None, no_home="是"):
    return [
        housing.person_name(person),
        "transferred",
        (event_on or TODAY - dt.timedelta(days=90)).isoformat(),
        no_home,
        2,
        "turnover",
    ]


def _tenancy_body(unit, person, start=None, months=12, **kw):
    start = start or TODAY
    return {
        "unit_id": unit,
        "person_id": person,
        "start_on": start.isoformat(),
        "end_on": add_months(start, months).isoformat(),
        **kw,
    }


TENANCY_HEADERS = ["房源", "承租人", "租期起始日", "租期截止日"]


def _tenancy_row(housing, unit, person, start=None, months=12):
    start = start or TODAY
    return [unit, housing.person_name(person), start.isoformat(), add_months(start, months).isoformat()]


@contextlib.contextmanager
def standard_ended(app, kind):
    """The region's standard of ``kind`` (周转住房) ended yesterday for the block, restored after."""
    with app.app_context():
        ids = (
            db.session.execute(
                select(Standard.id).where(
                    Standard.kind == kind, Standard.key == "turnover", Standard.effective_to.is_(None)
                )
            )
            .scalars()
            .all()
        )
        db.session.execute(
            update(Standard).where(Standard.id.in_(ids)).values(effective_to=TODAY - dt.timedelta(days=1))
        )
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            db.session.execute(update(Standard).where(Standard.id.in_(ids)).values(effective_to=None))
            db.session.commit()


# --- 第二十五条 housing.application_eligibility_years --------------------------------------------


def test_art25_application_past_eligibility_years_refused_on_rest(app, api_client, housing):
    person = housing.person()
    response = api_client(CLERK).api(
        "POST",
        "/api/v1/housing_tenancy_application/",
        json=_application_body(person, event_on=(TODAY - dt.timedelta(days=3 * 366 + 2)).isoformat()),
    )
    _refused(response, TOO_LATE)
    assert housing.applications_of(person) == []


def test_art25_application_past_eligibility_years_refused_on_put(app, api_client, housing):
    person = housing.person()
    pk = apply(api_client, person, submit=False)
    response = api_client(CLERK).api(
        "PUT", f"/api/v1/housing_tenancy_application/{pk}", json={"event_on": "2019-01-01"}
    )
    _refused(response, TOO_LATE)
    assert housing.get(TenancyApplication, pk).event_on != dt.date(2019, 1, 1)


def test_art25_application_past_eligibility_years_refused_on_form(app, login, housing):
    person = housing.person()
    html = _form(login, "/tenancyapplicationview/add", _application_form(person, event_on="2019-01-01"))
    _form_refused(html, TOO_LATE)
    assert housing.applications_of(person) == []


def test_art25_application_past_eligibility_years_refused_on_import(app, login, housing):
    person = housing.person()
    response = _import(
        login,
        "housing_tenancy_application",
        APPLICATION_HEADERS,
        _application_row(housing, person, event_on=dt.date(2019, 1, 1)),
    )
    _import_refused(response, TOO_LATE)
    assert housing.applications_of(person) == []


def test_art25_application_within_eligibility_years_imported(app, login, housing):
    person = housing.person()
    response = _import(
        login, "housing_tenancy_application", APPLICATION_HEADERS, _application_row(housing, person)
    )
    assert response.status_code in (200, 201), response.get_json()
    [pk] = housing.applications_of(person)
    assert housing.get(TenancyApplication, pk).organization_id == housing.org_id()


# --- 第二十五条 housing.application_no_home -------------------------------------------------------


def test_art25_application_without_no_home_declaration_refused_on_rest(app, api_client, housing):
    person = housing.person()
    response = api_client(CLERK).api(
        "POST", "/api/v1/housing_tenancy_application/", json=_application_body(person, no_home=False)
    )
    _refused(response, NO_HOME)
    assert housing.applications_of(person) == []


def test_art25_application_without_no_home_declaration_refused_on_form(app, login, housing):
    person = housing.person()
    html = _form(login, "/tenancyapplicationview/add", _application_form(person, no_home=None))
    _form_refused(html, NO_HOME)
    assert housing.applications_of(person) == []


def test_art25_application_without_no_home_declaration_refused_on_import(app, login, housing):
    person = housing.person()
    response = _import(
        login,
        "housing_tenancy_application",
        APPLICATION_HEADERS,
        _application_row(housing, person, no_home="否"),
    )
    _import_refused(response, NO_HOME)
    assert housing.applications_of(person) == []


# --- 第二十五条 housing.application_standard -----------------------------------------------------


def test_art25_application_without_eligibility_standard_refused_on_rest(app, api_client, housing):
    person = housing.person()
    with standard_ended(app, ELIGIBILITY_YEARS):
        response = api_client(CLERK).api(
            "POST", "/api/v1/housing_tenancy_application/", json=_application_body(person)
        )
    _refused(response, NO_YEARS)
    assert housing.applications_of(person) == []


# --- 第二十五条 housing.application_one_open -----------------------------------------------------


def test_art25_second_open_application_refused_on_rest(app, api_client, housing):
    person = housing.person()
    apply(api_client, person)
    response = api_client(CLERK).api(
        "POST", "/api/v1/housing_tenancy_application/", json=_application_body(person)
    )
    _refused(response, housing.person_name(person), ONE_OPEN)
    assert len(housing.applications_of(person)) == 1


def test_art25_second_open_application_refused_on_form(app, api_client, login, housing):
    person = housing.person()
    apply(api_client, person, submit=False)
    _form_refused(_form(login, "/tenancyapplicationview/add", _application_form(person)), ONE_OPEN)
    assert len(housing.applications_of(person)) == 1


def test_art25_second_open_application_refused_on_import(app, api_client, login, housing):
    person = housing.person()
    apply(api_client, person)
    _import_refused(
        _import(login, "housing_tenancy_application", APPLICATION_HEADERS, _application_row(housing, person)),
        ONE_OPEN,
    )
    assert len(housing.applications_of(person)) == 1


def test_art25_application_of_a_person_living_in_a_unit_refused_on_rest(app, api_client, housing):
    person = housing.person()
    housing.tenancy(housing.unit(), person, status="checked_in")
    response = api_client(CLERK).api(
        "POST", "/api/v1/housing_tenancy_application/", json=_application_body(person)
    )
    _refused(response, "租住", ONE_OPEN)


def test_art25_a_checked_out_tenant_may_apply_again(app, api_client, housing):
    person = housing.person()
    housing.tenancy(housing.unit(), person, start=TODAY - dt.timedelta(days=400), status="checked_out")
    apply(api_client, person)
    assert len(housing.applications_of(person)) == 1


# --- 第二十五条 housing.tenancy_period ----------------------------------------------------------


def test_art25_tenancy_longer_than_the_longest_period_refused_on_rest(app, api_client, housing):
    unit, person = housing.unit(), housing.person()
    response = api_client(BUREAU).api(
        "POST", "/api/v1/housing_tenancy/", json=_tenancy_body(unit, person, months=25)
    )
    _refused(response, TOO_LONG)
    assert housing.tenancies_of(person) == []


def test_art25_tenancy_longer_than_the_longest_period_refused_on_form(app, login, housing):
    unit, person = housing.unit(), housing.person()
    start = TODAY
    html = _form(
        login,
        "/tenancyview/add",
        {
            "unit": unit,
            "person": person,
            "start_on": start.isoformat(),
            "end_on": add_months(start, 30).isoformat(),
            "note": "",
        },
        user=BUREAU,
    )
    _form_refused(html, TOO_LONG)
    assert housing.tenancies_of(person) == []


def test_art25_tenancy_longer_than_the_longest_period_refused_on_import(app, login, housing):
    unit, person = housing.unit(), housing.person()
    _import_refused(
        _import(
            login,
            "housing_tenancy",
            TENANCY_HEADERS,
            _tenancy_row(housing, unit, person, months=36),
            user=BUREAU,
        ),
        TOO_LONG,
    )
    assert housing.tenancies_of(person) == []


def test_art25_allocation_longer_than_the_longest_period_refused(app, api_client, housing):
    unit, person = housing.unit(), housing.person()
    application = apply(api_client, person)
    approve(api_client, "housing_tenancy_application", application)
    _refused(allocate(api_client, application, unit, TODAY, add_months(TODAY, 25)), TOO_LONG)
    assert housing.tenancies_of(person) == []
    assert housing.get(TenancyApplication, application).allocated_on is None
    assert housing.get(HousingUnit, unit).status == "available"


def test_art25_tenancy_end_moved_past_the_longest_period_refused_on_put(app, api_client, housing):
    """租期截止日 is a state field: a PUT cannot move it at all (only an approved renewal does)."""
    unit, person = housing.unit(), housing.person()
    pk = housing.tenancy(unit, person)
    response = api_client(BUREAU).api(
        "PUT", f"/api/v1/housing_tenancy/{pk}", json={"end_on": add_months(TODAY, 40).isoformat()}
    )
    assert response.status_code == 422, response.get_json()
    assert housing.get(Tenancy, pk).end_on == add_months(TODAY, 12)


# --- 第二十五条 housing.tenancy_overlap and tenancy_unit_available -------------------------------


def test_art25_overlapping_tenancy_of_a_unit_refused_on_rest(app, api_client, housing):
    """An allocated (not yet checked-in) tenancy holds its unit: a second period overlapping it is refused."""
    unit = housing.unit()
    housing.tenancy(unit, housing.person(), start=TODAY, months=12)
    person = housing.person()
    response = api_client(BUREAU).api(
        "POST", "/api/v1/housing_tenancy/", json=_tenancy_body(unit, person, start=add_months(TODAY, 6))
    )
    _refused(response, OVERLAP)
    assert housing.tenancies_of(person) == []


def test_art25_overlapping_tenancy_refused_on_import(app, login, housing):
    unit = housing.unit()
    housing.tenancy(unit, housing.person(), start=TODAY, months=12)
    person = housing.person()
    _import_refused(
        _import(
            login,
            "housing_tenancy",
            TENANCY_HEADERS,
            _tenancy_row(housing, unit, person, start=add_months(TODAY, 3)),
            user=BUREAU,
        ),
        OVERLAP,
    )
    assert housing.tenancies_of(person) == []


def test_art25_allocation_of_an_occupied_unit_refused(app, api_client, housing):
    unit = housing.unit()
    housing.tenancy(unit, housing.person(), start=TODAY - dt.timedelta(days=30), status="checked_in")
    person = housing.person()
    application = apply(api_client, person)
    approve(api_client, "housing_tenancy_application", application)
    response = allocate(api_client, application, unit)
    # the unit is not among the choices (not available); the rule stands behind it
    assert response.status_code == 422, response.get_json()
    assert "不是本辖区空置可配租的同类房源" in response.get_json()["message"]
    assert housing.tenancies_of(person) == []


def test_art25_tenancy_of_a_unit_under_repair_refused_on_rest(app, api_client, housing):
    unit, person = housing.unit(status="maintenance"), housing.person()
    _refused(
        api_client(BUREAU).api("POST", "/api/v1/housing_tenancy/", json=_tenancy_body(unit, person)),
        "维修中",
        NOT_AVAILABLE,
    )
    assert housing.tenancies_of(person) == []


def test_art25_tenancy_of_a_unit_under_repair_refused_on_form(app, login, housing):
    unit, person = housing.unit(status="maintenance"), housing.person()
    start = TODAY
    html = _form(
        login,
        "/tenancyview/add",
        {
            "unit": unit,
            "person": person,
            "start_on": start.isoformat(),
            "end_on": add_months(start, 6).isoformat(),
            "note": "",
        },
        user=BUREAU,
    )
    assert housing.tenancies_of(person) == []
    # the form offers only available units; a posted one under repair is refused on the form
    assert "补录租住" in html and "所选记录不存在或您无权选择" in html, html[:3000]


def test_art25_tenancy_of_a_unit_under_repair_refused_on_import(app, login, housing):
    unit, person = housing.unit(status="maintenance"), housing.person()
    _import_refused(
        _import(login, "housing_tenancy", TENANCY_HEADERS, _tenancy_row(housing, unit, person), user=BUREAU),
        NOT_AVAILABLE,
    )
    assert housing.tenancies_of(person) == []


# --- 第二十五条 housing.tenancy_unit_jurisdiction -------------------------------------------------


def test_art25_tenancy_of_another_jurisdictions_unit_refused_on_rest(app, api_client, housing):
    """Only admin reads both: 喀什市's unit let to a person of 天山区 is refused."""
    unit, person = housing.unit(bureau=KASHGAR_BUREAU), housing.person()
    _refused(
        api_client("admin").api("POST", "/api/v1/housing_tenancy/", json=_tenancy_body(unit, person)),
        "喀什市",
        ELSEWHERE,
    )
    assert housing.tenancies_of(person) == []


def test_art25_bureau_cannot_name_another_jurisdictions_unit(app, api_client, housing):
    unit, person = housing.unit(bureau=KASHGAR_BUREAU), housing.person()
    response = api_client(BUREAU).api("POST", "/api/v1/housing_tenancy/", json=_tenancy_body(unit, person))
    assert response.status_code in (403, 404, 422), response.get_json()
    assert housing.tenancies_of(person) == []


# --- 第二十五条 housing.tenancy_rent_standard ----------------------------------------------------


def test_art25_tenancy_without_rent_standard_refused_on_rest(app, api_client, housing):
    unit, person = housing.unit(), housing.person()
    with standard_ended(app, RENT_PER_M2):
        response = api_client(BUREAU).api(
            "POST", "/api/v1/housing_tenancy/", json=_tenancy_body(unit, person)
        )
    _refused(response, NO_RENT)
    assert housing.tenancies_of(person) == []


def test_art25_allocation_without_rent_standard_refused(app, api_client, housing):
    unit, person = housing.unit(), housing.person()
    application = apply(api_client, person)
    approve(api_client, "housing_tenancy_application", application)
    with standard_ended(app, RENT_PER_M2):
        _refused(allocate(api_client, application, unit, TODAY, add_months(TODAY, 12)), NO_RENT)
    assert housing.tenancies_of(person) == []


# --- 第二十五条 housing.tenancy_one_per_person ---------------------------------------------------


def test_art25_second_tenancy_of_a_person_refused_on_rest(app, api_client, housing):
    person = housing.person()
    housing.tenancy(housing.unit("1-101"), person, status="checked_in")
    response = api_client(BUREAU).api(
        "POST", "/api/v1/housing_tenancy/", json=_tenancy_body(housing.unit("1-102"), person)
    )
    _refused(response, ONE_TENANCY)
    assert len(housing.tenancies_of(person)) == 1


def test_art25_second_tenancy_of_a_person_refused_on_import(app, login, housing):
    person = housing.person()
    housing.tenancy(housing.unit("1-101"), person, status="checked_in")
    _import_refused(
        _import(
            login,
            "housing_tenancy",
            TENANCY_HEADERS,
            _tenancy_row(housing, housing.unit("1-102"), person),
            user=BUREAU,
        ),
        ONE_TENANCY,
    )
    assert len(housing.tenancies_of(person)) == 1


# --- 第二十五条 check-in and check-out (flags) ---------------------------------------------------


def test_art25_full_check_in_inventory_is_not_flagged(app, api_client, housing, findings):
    pk = housing.tenancy(housing.unit(), housing.person())
    done = api_client(BUREAU).api(
        "POST",
        f"/api/v1/housing_tenancy/{pk}/check_in",
        json={
            "checked_in_on": TODAY.isoformat(),
            "inventory": "床 2 完好\n衣柜 2 完好\n书桌 1 完好\n冰箱 1 完好",
        },
    )
    assert done.status_code == 200, done.get_json()
    assert housing.get(Tenancy, pk).checkin_differences is None
    assert [f for f in findings("housing_tenancy", pk) if f["rule_key"] == "housing.checkin_inventory"] == []


def test_art25_check_in_without_inventory_refused(app, api_client, housing):
    pk = housing.tenancy(housing.unit(), housing.person())
    response = api_client(BUREAU).api(
        "POST",
        f"/api/v1/housing_tenancy/{pk}/check_in",
        json={"checked_in_on": TODAY.isoformat(), "inventory": "  "},
    )
    assert response.status_code == 422 and "物品清单" in response.get_json()["message"]
    assert housing.get(Tenancy, pk).status == "allocated"


def test_art25_check_out_missing_items_are_noted_and_flagged(app, api_client, housing, findings):
    unit = housing.unit()
    pk = housing.tenancy(unit, housing.person(), start=TODAY - dt.timedelta(days=60), status="checked_in")
    done = api_client(BUREAU).api(
        "POST",
        f"/api/v1/housing_tenancy/{pk}/check_out",
        json={"checked_out_on": TODAY.isoformat(), "inventory": "床 2 完好\n衣柜 2 完好\n书桌 1 完好"},
    )
    assert done.status_code == 200, done.get_json()
    assert housing.get(Tenancy, pk).damages == "冰箱缺 1"
    assert housing.get(HousingUnit, unit).status == "available"
    [flag] = [f for f in findings("housing_tenancy", pk) if f["rule_key"] == "housing.checkout_damages"]
    assert "冰箱缺 1" in flag["message"]


def test_art25_clerk_cannot_check_in(app, api_client, housing):
    """入住登记 is the bureau's: the tenant's organisation reads the tenancy but cannot record it."""
    pk = housing.tenancy(housing.unit(), housing.person())
    response = api_client(CLERK).api(
        "POST",
        f"/api/v1/housing_tenancy/{pk}/check_in",
        json={"checked_in_on": TODAY.isoformat(), "inventory": "床 2 完好"},
    )
    assert response.status_code == 403, response.get_json()
    assert housing.get(Tenancy, pk).status == "allocated"


# --- 第二十五条 renewals -------------------------------------------------------------------------


def _renewal_body(tenancy, new_end):
    return {"tenancy_id": tenancy, "new_end_on": new_end.isoformat(), "reason": "工作需要"}


def test_art25_renewal_longer_than_the_longest_period_refused_on_rest(app, api_client, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), status="checked_in", months=12)
    response = api_client(CLERK).api(
        "POST", "/api/v1/housing_tenancy_renewal/", json=_renewal_body(pk, add_months(TODAY, 12 + 25))
    )
    _refused(response, RENEWAL_LONG)


def test_art25_renewal_longer_than_the_longest_period_refused_on_operation(app, api_client, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), status="checked_in", months=12)
    response = api_client(BUREAU).api(
        "POST",
        f"/api/v1/housing_tenancy/{pk}/renew",
        json={"new_end_on": add_months(TODAY, 40).isoformat(), "reason": "工作需要"},
    )
    _refused(response, RENEWAL_LONG)
    with app.app_context():
        assert (
            db.session.execute(select(TenancyRenewal).where(TenancyRenewal.tenancy_id == pk)).first() is None
        )


def test_art25_renewal_longer_than_the_longest_period_refused_on_form(app, login, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), status="checked_in", months=12)
    html = _form(
        login,
        "/tenancyrenewalview/add",
        {"tenancy": pk, "new_end_on": add_months(TODAY, 40).isoformat(), "reason": "工作需要"},
    )
    _form_refused(html, RENEWAL_LONG)


def test_art25_renewal_before_the_current_end_refused_on_rest(app, api_client, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), status="checked_in", months=12)
    response = api_client(CLERK).api(
        "POST", "/api/v1/housing_tenancy_renewal/", json=_renewal_body(pk, add_months(TODAY, 6))
    )
    _refused(response, RENEWAL_AFTER)


def test_art25_renewal_of_a_tenancy_not_checked_in_refused_on_rest(app, api_client, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), months=12)
    response = api_client(BUREAU).api(
        "POST", "/api/v1/housing_tenancy_renewal/", json=_renewal_body(pk, add_months(TODAY, 18))
    )
    _refused(response, RENEWAL_CHECKED_IN)


def test_art25_renewals_beyond_the_maximum_refused_on_rest_and_at_approval(app, api_client, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), status="checked_in", months=12)
    clerk = api_client(CLERK)
    first = clerk.api(
        "POST", "/api/v1/housing_tenancy_renewal/", json=_renewal_body(pk, add_months(TODAY, 24))
    )
    assert first.status_code == 201, first.get_json()
    # a second one asked while the first is pending: allowed to ask, refused at approval once one is approved
    second = clerk.api(
        "POST", "/api/v1/housing_tenancy_renewal/", json=_renewal_body(pk, add_months(TODAY, 30))
    )
    assert second.status_code == 201, second.get_json()
    for renewal in (first, second):
        done = clerk.api(
            "POST",
            f"/api/v1/housing_tenancy_renewal/{renewal.get_json()['id']}/workflow/submit",
            json={"comment": "请批准"},
        )
        assert done.status_code == 200, done.get_json()
    approve(api_client, "housing_tenancy_renewal", first.get_json()["id"])
    assert housing.get(Tenancy, pk).end_on == add_months(TODAY, 24)
    refused = api_client(BUREAU).api(
        "POST",
        f"/api/v1/housing_tenancy_renewal/{second.get_json()['id']}/workflow/approve",
        json={"comment": "同意"},
    )
    _refused(refused, RENEWAL_MAX)
    assert housing.get(Tenancy, pk).end_on == add_months(TODAY, 24)
    third = clerk.api(
        "POST", "/api/v1/housing_tenancy_renewal/", json=_renewal_body(pk, add_months(TODAY, 36))
    )
    _refused(third, RENEWAL_MAX)


# --- 第二十五条 housing.application_no_home_proof (flag, at submission) --------------------------


def _a_pdf(text="无房证明") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def _proof_flags(findings, pk):
    return [
        f
        for f in findings("housing_tenancy_application", pk)
        if f["rule_key"] == "housing.application_no_home_proof"
    ]


def test_art25_application_submitted_without_no_home_proof_is_flagged(app, api_client, housing, findings):
    person = housing.person()
    pk = apply(api_client, person)
    [flag] = _proof_flags(findings, pk)
    assert housing.person_name(person) in flag["message"] and "未上传无房证明" in flag["message"]


def test_art25_application_submitted_with_no_home_proof_is_not_flagged(app, api_client, housing, findings):
    import io

    person = housing.person()
    pk = apply(api_client, person, submit=False)
    clerk = api_client(CLERK)
    uploaded = clerk.api(
        "POST",
        f"/api/v1/attachments/housing_tenancy_application/{pk}/",
        data={"kind": "no_home", "files": [(io.BytesIO(_a_pdf()), "无房证明.pdf")]},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code in (200, 201), uploaded.get_json()
    done = clerk.api(
        "POST", f"/api/v1/housing_tenancy_application/{pk}/workflow/submit", json={"comment": "请审核"}
    )
    assert done.status_code == 200, done.get_json()
    assert _proof_flags(findings, pk) == []


# --- renewals on the XLSX import -----------------------------------------------------------------

RENEWAL_HEADERS = ["租住", "续租至", "续租理由"]


def test_art25_renewal_longer_than_the_longest_period_refused_on_import(app, login, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), status="checked_in", months=12)
    _import_refused(
        _import(
            login,
            "housing_tenancy_renewal",
            RENEWAL_HEADERS,
            [pk, add_months(TODAY, 40).isoformat(), "工作需要"],
        ),
        RENEWAL_LONG,
    )
    with app.app_context():
        assert (
            db.session.execute(select(TenancyRenewal).where(TenancyRenewal.tenancy_id == pk)).first() is None
        )


def test_art25_renewal_within_the_longest_period_imported(app, login, housing):
    pk = housing.tenancy(housing.unit(), housing.person(), status="checked_in", months=12)
    response = _import(
        login, "housing_tenancy_renewal", RENEWAL_HEADERS, [pk, add_months(TODAY, 24).isoformat(), "工作需要"]
    )
    assert response.status_code in (200, 201), response.get_json()
    with app.app_context():
        [renewal] = db.session.execute(
            select(TenancyRenewal).where(TenancyRenewal.tenancy_id == pk)
        ).scalars()
        assert renewal.previous_end_on == add_months(TODAY, 12) and renewal.state == "draft"
