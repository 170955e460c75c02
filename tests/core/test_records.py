"""A list page's rows are read as plain records, not ORM objects (core/fab/records.py, issue 15
item 2): every list screen of the demo shows the same page with records as with objects, as an
admin and as a clerk; a record asked for what it does not hold reads the real object and its
list reads objects from then on; a list whose cells differ at its first page reads objects."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from core.fab.records import Record, RecordPlan
from core.testing.support import Browser
from core.web.views import ScopedModelView, checked_records


def _normalised(html: str) -> str:
    return re.sub(r'(csrf_token[^>]*value="|csrf-token" content="|nonce=")[^"]+', "", html)


def _list_views(app) -> list:
    return [v for v in app.appbuilder.baseviews if isinstance(v, ScopedModelView)]


def _plans(view) -> dict:
    return view.datamodel.__dict__.get("_jiguan_record_plans", {})


@pytest.mark.parametrize("username", ["admin", "tianshan_clerk"])
def test_every_list_page_is_the_same_with_records(app, username):
    browser = Browser(app, username)
    with app.test_request_context():
        pages = {type(v).__name__: url_for(f"{v.endpoint}.list") for v in _list_views(app)}
    assert len(pages) > 40
    compared, with_records = 0, set()
    try:
        for name, url in pages.items():
            ScopedModelView.list_records = False
            objects, again = browser.get(url), browser.get(url)
            ScopedModelView.list_records = True
            records = browser.get(url)
            assert records.status_code == objects.status_code, (name, url)
            shown = [_normalised(r.get_data(as_text=True)) for r in (objects, again, records)]
            if records.status_code != 200 or shown[0] != shown[1]:
                continue  # a list that changes by being read (the audit log): nothing to compare
            assert shown[2] == shown[0], name
            compared += 1
    finally:
        ScopedModelView.list_records = True
    for view in _list_views(app):
        if any(plan is not None and not plan.objects for plan in _plans(view).values()):
            with_records.add(type(view).__name__)
    assert compared > 30
    # the lists of the big tables read records (their cells are columns, labels and names)
    assert {"AssetView", "LandParcelView"} <= with_records, sorted(with_records)


def test_a_record_reads_what_it_lacks_off_the_object_and_its_list_reads_objects(app):
    from core.extensions import db
    from plugins.assets.cards.models import Asset

    with app.test_request_context():
        view = next(v for v in _list_views(app) if type(v).__name__ == "AssetView")
        plan = RecordPlan.for_columns(view.datamodel, ["number", "asset_class", "status_label"])
        asset = db.session.query(Asset).filter(Asset.custodian_id.isnot(None)).first()
        assert asset is not None
        columns = [getattr(Asset, key) for key in plan._keys]
        row = db.session.query(Asset).filter(Asset.id == asset.id)
        record = plan.records(plan.query(row).all())[0]
        assert isinstance(record, Record) and not plan.objects
        assert (record.number, record.status_label, str(record.asset_class)) == (
            asset.number, asset.status_label, str(asset.asset_class))
        assert len(columns) == len(plan._keys)
        assert record.custodian is asset.custodian  # not held: read off the object
        assert plan.objects  # the list reads objects from its next page on
        db.session.rollback()


def test_a_list_whose_cells_differ_reads_objects(app):
    """Should a record show a cell otherwise than its object (a member it cannot carry), the
    check at the list's first page gives the objects back and the plan reads objects for good."""
    from core.extensions import db
    from plugins.assets.cards.models import Asset

    with app.test_request_context():
        view = next(v for v in _list_views(app) if type(v).__name__ == "AssetView")
        plan = RecordPlan.for_columns(view.datamodel, view.list_columns)
        rows = plan.records(plan.query(db.session.query(Asset).limit(3)).all())
        type(rows[0]).status_label = property(lambda self: "另一种说法")  # this plan's class only
        checked = checked_records(view, rows)
        assert plan.checked and plan.objects
        assert [type(item) for item in checked] == [Asset] * 3
        assert [a.id for a in checked] == [r.id for r in rows]
        db.session.rollback()


def test_a_list_of_a_to_many_relation_reads_objects(app):
    with app.test_request_context():
        view = next(v for v in _list_views(app) if type(v).__name__ == "AssetView")
        assert RecordPlan.for_columns(view.datamodel, ["number", "no_such_column"]) is None
        assert RecordPlan.for_columns(view.datamodel, ["asset_class.parent.name"]) is None


def test_a_member_that_fails_on_a_record_is_read_off_the_object(app):
    """A model's property that fails on a record (it needs the object itself) is read off the
    object, and the record's list reads objects from then on; what SQLAlchemy asks of a record
    (``object_session``: ``Budget.central_total``) is the object's too."""
    from core.extensions import db
    from plugins.funds.budgets.models import Budget

    Budget.jiguan_test_kind = property(lambda self: "预算" if isinstance(self, Budget) else 1 / 0)
    try:
        with app.test_request_context():
            budget = db.session.query(Budget).first()
            assert budget is not None
            view = next(v for v in _list_views(app) if v.datamodel.obj is Budget)
            plan = RecordPlan.for_columns(view.datamodel, ["year", "jiguan_test_kind"])
            rows = plan.query(db.session.query(Budget).filter(Budget.id == budget.id)).all()
            record = plan.records(rows)[0]
            assert record.year == budget.year and not plan.objects
            assert record.jiguan_test_kind == "预算"
            assert plan.objects
            assert repr(record) == repr(budget)  # its organisation, not shown: off the object
            other = RecordPlan.for_columns(view.datamodel, ["year", "central_total"])
            assert other.records(rows)[0].central_total == budget.central_total
            db.session.rollback()
    finally:
        del Budget.jiguan_test_kind
