"""A list's queries are built once per shape and kept (core/fab/kept_queries.py, issue 15 item 2):
kept, a list answers exactly what it answers built afresh — every page by cursor, each order,
filters, each user's scope — and what is decided per request stays so: a user moved to another
organisation, a module switched off, a role taken away take effect at the next request."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

import core.fab.interface as interface_module
from core.extensions import db
from core.fab import filters as ours
from core.fab.adapter import FabInterface
from core.fab.interface import ScopedInterface
from core.fab.kept_queries import filters_key
from core.scoping import ROLE_CLERK
from plugins.assets.cards.models import Asset
from tests.core.list_cards import organisations_with_cards

API = "/api/v1/asset/"
LIST = "/assetview/list/"
CARDS = 7
#: orders, page sizes and filters of the asset API (rison), each walked to its end and back
PATHS = [
    "?q=(page_size:3)",
    "?q=(order_column:number,order_direction:asc,page_size:4)",
    "?q=(order_column:status,order_direction:desc,page_size:2)",
    "?q=(filters:!((col:name,opr:ct,value:'保留测试')),page_size:3)",
    "?q=(filters:!((col:status,opr:eq,value:idle),(col:number,opr:sw,value:KEPT-)),"
    "order_column:number,order_direction:desc,page_size:2)",
    "?q=(filters:!((col:number,opr:sw,value:KEPT-B)),page_size:5)",
    "?q=(filters:!((col:acquired_on,opr:gt,value:'2023-06-01')),page_size:3)",  # built afresh
    "?q=(columns:!(number,status),page_size:3)",
]


@pytest.fixture
def cards(app):
    """Two organisations with 7 cards each, numbered KEPT-A-000…, KEPT-B-000… (removed after)."""
    with organisations_with_cards(app, "KEPT", "KEPTLIST", "保留查询测试单位", CARDS, lambda k: dict(
            name=f"保留测试资产{k}", acquired_on=dt.date(2023, 1 + k, 1),
            status=("idle", "in_use", "in_use")[k % 3])) as made:
        yield made


def clerk_of(app, side: str) -> str:
    from core.testing.support import ensure_user

    return ensure_user(app, ROLE_CLERK, f"保留查询测试单位{side}")


def walk(client, path: str, pages: int = 5) -> list:
    """The answers of ``path``: next to the end (at most ``pages``), then the last page and
    previous back (as many)."""
    answers, cursor = [], None
    while True:
        response = client.get(API + path + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, (path, response.get_json())
        answers.append(response.get_json())
        cursor = answers[-1]["next_cursor"]
        if cursor is None or len(answers) == pages:
            break
    cursor, back = answers[0]["last_cursor"], 0
    while cursor and back < pages:
        answers.append(client.get(API + path + f"&cursor={cursor}").get_json())
        cursor, back = answers[-1]["prev_cursor"], back + 1
    return answers


def numbers(answers) -> list[str]:
    return [row["number"] for body in answers for row in body["result"] if "number" in row]


@pytest.fixture
def builds(monkeypatch):
    """How many times a list's query and its count's were assembled (FAB's ``apply_all`` and
    ``_apply_inner_all``: the count calls the second alone)."""
    made = []
    apply_all, inner_all = ScopedInterface.apply_all, FabInterface._apply_inner_all
    monkeypatch.setattr(ScopedInterface, "apply_all",
                        lambda self, *a, **k: made.append("page") or apply_all(self, *a, **k))
    monkeypatch.setattr(FabInterface, "_apply_inner_all",
                        lambda self, *a, **k: made.append("inner") or inner_all(self, *a, **k))
    return made


def test_a_kept_list_answers_what_a_list_built_afresh_answers(app, api_client, cards, monkeypatch):
    clerk = clerk_of(app, "A")
    seen = {}
    for username in ("admin", "xj_bureau", clerk):
        client = api_client(username)
        kept = [walk(client, path) for path in PATHS]
        again = [walk(client, path) for path in PATHS]  # now every shape is kept
        monkeypatch.setattr(interface_module, "list_shape", lambda *_args: None)
        afresh = [walk(client, path) for path in PATHS]
        monkeypatch.undo()
        for path, one, two, three in zip(PATHS, kept, again, afresh, strict=True):
            assert one == two == three, (username, path)
        seen[username] = kept
    # the clerk's scope: A's cards, each once, in each order; B's are not the clerk's
    assert sorted(set(numbers(seen[clerk][0]))) == [f"KEPT-A-{k:03d}" for k in range(CARDS)]
    assert numbers(seen[clerk][1])[:CARDS] == [f"KEPT-A-{k:03d}" for k in range(CARDS)]
    assert not numbers(seen[clerk][5])
    for bureau in ("admin", "xj_bureau"):
        assert numbers(seen[bureau][5])[:CARDS] == [f"KEPT-B-{k:03d}" for k in reversed(range(CARDS))]
        assert numbers(seen[bureau][4])[:6] == ["KEPT-B-006", "KEPT-B-003", "KEPT-B-000",
                                                 "KEPT-A-006", "KEPT-A-003", "KEPT-A-000"]


def test_a_list_is_assembled_once_for_every_page(app, api_client, cards, builds):
    client = api_client(clerk_of(app, "A"))
    path = API + "?q=(order_column:number,order_direction:asc,page_size:2)"
    first = client.get(path).get_json()
    second = client.get(path + f"&cursor={first['next_cursor']}").get_json()
    assert builds  # the first page and the first page by cursor are two shapes
    builds.clear()
    third = client.get(path + f"&cursor={second['next_cursor']}").get_json()
    again = client.get(path).get_json()
    assert builds == []  # another cursor is another value of the same kept query
    assert [r["number"] for r in first["result"] + second["result"] + third["result"]] == [
        f"KEPT-A-{k:03d}" for k in range(6)]
    assert again == first
    # a filter on a date given as text is parsed with today filling the rest: built each time
    client.get(API + "?q=(filters:!((col:acquired_on,opr:gt,value:'2023-06-01')))")
    builds.clear()
    dated = client.get(API + "?q=(filters:!((col:acquired_on,opr:gt,value:'2023-06-01')))").get_json()
    assert builds and [r["number"] for r in dated["result"]] == ["KEPT-A-006"]


def test_the_list_page_walks_the_same_kept_or_afresh(app, login, cards, monkeypatch):
    browser = login(clerk_of(app, "A"))

    def walk_page():
        url, seen = f"{LIST}?_oc_AssetView=number&_od_AssetView=desc&psize_AssetView=3", []
        while url:
            text = browser.text(url)
            seen.append((re.findall(r"KEPT-[AB]-\d{3}", text),
                         re.search(r'id="keyset-position">([^<]+)<', text).group(1)))
            match = re.search(r'<a href="([^"#]+)" rel="next"', text)
            url = match.group(1).replace("&amp;", "&") if match else None
            assert len(seen) < 10
        return seen

    kept, again = walk_page(), walk_page()
    monkeypatch.setattr(interface_module, "list_shape", lambda *_args: None)
    afresh = walk_page()
    assert kept == again == afresh
    assert [n for page, _position in kept for n in page] == [
        f"KEPT-A-{k:03d}" for k in reversed(range(CARDS))]


def test_a_user_moved_to_another_organisation_lists_it_at_the_next_request(app, api_client, cards):
    username = clerk_of(app, "A")
    client = api_client(username)
    path = "?q=(order_column:number,order_direction:asc,page_size:100)"
    before = numbers([client.get(API + path).get_json()])
    assert before == [f"KEPT-A-{k:03d}" for k in range(CARDS)]

    def move(org_id):
        with app.app_context():
            db.session.execute(sa.text("UPDATE ab_user SET organization_id = :o WHERE username = :u"),
                               {"o": org_id, "u": username})
            db.session.commit()
            db.session.remove()

    move(cards["B"])
    try:
        moved = numbers([client.get(API + path).get_json()])  # the same token, the next request
        assert moved == [f"KEPT-B-{k:03d}" for k in range(CARDS)]
    finally:
        move(cards["A"])
    assert numbers([client.get(API + path).get_json()]) == before


def test_a_module_switched_off_refuses_the_next_request(app, api_client):
    from tests.core.test_activation import land_setting

    client = api_client("kashgar_clerk")
    first = client.get("/api/v1/land_parcel/")
    assert first.status_code == 200 and client.get("/api/v1/land_parcel/").get_json() == first.get_json()
    with land_setting(app, "653101", False):
        assert client.get("/api/v1/land_parcel/").status_code == 404
    assert client.get("/api/v1/land_parcel/").get_json() == first.get_json()


def test_a_role_taken_away_refuses_the_next_request(app, api_client, cards):
    username = clerk_of(app, "A")
    client = api_client(username)
    assert client.get(API).status_code == 200 and client.get(API).status_code == 200

    def roles(names):
        with app.app_context():
            sm = app.appbuilder.sm
            user = sm.find_user(username=username)
            user.roles = [sm.find_role(name) for name in names]
            db.session.commit()
            db.session.remove()

    roles([])
    try:
        assert client.get(API).status_code in (401, 403)
    finally:
        roles([ROLE_CLERK])
    assert client.get(API).status_code == 200


def test_only_filters_made_of_their_class_column_and_value_are_kept(app):
    with app.test_request_context():
        datamodel = ScopedInterface(Asset)

        def key(column, cls, value):
            filters = datamodel.get_filters(search_columns=[column])
            filters.add_filter(column, cls, value)
            return filters_key(datamodel, filters)

        assert key("name", ours.FilterContains, "泵") == ((ours.FilterContains, "name", (str, "泵")),)
        assert key("quantity", ours.FilterEqual, 1) != key("quantity", ours.FilterEqual, True)
        assert key("acquired_on", ours.FilterAfter, "2024") is None  # dateutil fills in today
        assert key("acquired_on", ours.FilterAfter, dt.date(2024, 1, 1)) is not None
        assert key("organization", ours.FilterRelationEqual, 3) is None  # reads the related row
        assert key("name", ours.quick_search(["name"], {}), "泵") is None
        assert key("name", ours.FilterIn, ["a", object()]) is None
