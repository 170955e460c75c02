"""The REST API's rows are serialized as marshmallow serializes them (core/fab/quick_dump.py).

The quick path is only a shorter way to the same values: for every API of the demo app, its
list and record schemas give, row by row, what marshmallow's own ``Schema._serialize`` gives.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_appbuilder import ModelRestApi
from marshmallow import Schema, fields

from core.extensions import db
from core.fab.adapter import FabSchemaConverter
from core.fab.quick_dump import quick_serialize


def _apis(app):
    """The APIs of the core and the plugins (FAB's own security APIs keep FAB's converter)."""
    return [view for view in app.appbuilder.baseviews
            if isinstance(view, ModelRestApi) and isinstance(view.model2schemaconverter, FabSchemaConverter)]


def test_every_api_schema_dumps_rows_as_marshmallow_does(app):
    compared = 0
    with app.test_request_context():
        for api in _apis(app):
            model = api.datamodel.obj
            rows = db.session.execute(sa.select(model).limit(3)).scalars().all()
            for schema in (api.list_model_schema, api.show_model_schema):
                assert type(schema)._serialize is quick_serialize, (api, schema)
                for row in rows:
                    assert schema.dump(row) == Schema._serialize(schema, row), (type(api).__name__, row)
                    compared += 1
                assert schema.dump(rows, many=True) == [Schema._serialize(schema, r) for r in rows]
        db.session.rollback()
    assert compared > 100  # the demo's rows reached most APIs


def test_keys_defaults_and_mappings_follow_marshmallow():
    class Sample(Schema):
        plain = fields.String()
        renamed = fields.Integer(data_key="other")
        absent = fields.String(dump_default="默认")
        skipped = fields.String()
        dotted = fields.String(attribute="inner.name")
        computed = fields.Method("shout")

        def shout(self, obj):
            return (obj["plain"] if isinstance(obj, dict) else obj.plain).upper()

    Sample._serialize = quick_serialize

    class Inner:
        name = "内层"

    class Row:
        plain, renamed, inner = "abc", 7, Inner()

    expected = {"plain": "abc", "other": 7, "absent": "默认", "dotted": "内层", "computed": "ABC"}
    assert Sample().dump(Row()) == expected
    assert Sample().dump({"plain": "abc", "renamed": 7, "inner": {"name": "内层"}}) == expected
    assert Sample().dump([Row(), Row()], many=True) == [expected, expected]


@pytest.mark.parametrize("username", ["xj_bureau", "tianshan_clerk"])
def test_the_list_api_answers_the_same_rows_through_the_quick_path(api_client, username):
    response = api_client(username).get("/api/v1/asset/?q=(page_size:5)")
    assert response.status_code == 200
    body = response.get_json()
    assert body["result"] and all(isinstance(row["number"], str) and row["id"] for row in body["result"])


def _list_answers(app, api_client, paths):
    client = api_client("admin")
    answers = {}
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            answers[path] = response.get_json()
    return answers


def test_every_list_api_answers_the_same_from_plain_rows(app, api_client, monkeypatch):
    """A REST list reads its plain columns as rows, not entity objects (ScopedInterface._row_query):
    every API of the app answers, row for row and cursor for cursor, what the objects gave."""
    from core.fab.interface import ScopedInterface

    paths = []
    for api in _apis(app):
        base = f"/api/v1/{api.resource_name}/"
        paths += [base, base + "?q=(page_size:3,order_column:id,order_direction:asc)"]
    paths += ["/api/v1/asset/?q=(columns:!(name,status),page_size:4)",
              "/api/v1/asset/?q=(order_column:number,order_direction:desc,page_size:2)"]
    plain = ScopedInterface._plain_row_columns
    taken = []
    monkeypatch.setattr(ScopedInterface, "_plain_row_columns",
                        lambda *args: taken.append(plain(*args)) or taken[-1])
    from_rows = _list_answers(app, api_client, paths)
    assert sum(columns is not None for columns in taken) > 40  # the lists did read plain rows
    monkeypatch.setattr(ScopedInterface, "_plain_row_columns", lambda *_args: None)
    from_objects = _list_answers(app, api_client, paths)
    assert from_rows.keys() == from_objects.keys()
    assert sum(bool(answer["result"]) for answer in from_rows.values()) > 40  # most lists hold rows
    for path, answer in from_rows.items():
        assert answer == from_objects[path], path
    assert [set(row) for row in from_rows[paths[-2]]["result"]] == [{"name", "status"}] * 4


def test_values_taken_as_they_are_are_those_marshmallow_gives_back_unchanged():
    """The shortcut of the plan (a text, a whole number, None) leaves a look-alike to the field:
    a text subclass, a boolean in a number field, a number in a text field convert as before."""
    from markupsafe import Markup

    class Sample(Schema):
        text = fields.String()
        number = fields.Integer()
        inferred = fields.Inferred()
        day = fields.Date()
        amount = fields.Decimal()

    Sample._serialize = quick_serialize

    class Row:
        def __init__(self, text, number, inferred, day=None, amount=None):
            self.text, self.number, self.inferred, self.day, self.amount = text, number, inferred, day, amount

    import datetime as dt
    import decimal

    rows = [Row("文本", 7, "x"), Row(Markup("<b>"), True, 3), Row(5, 2.0, None),
            Row(None, None, True, dt.date(2024, 5, 1), decimal.Decimal("1.50"))]
    for row in rows:
        assert Sample().dump(row) == Schema._serialize(Sample(), row)
    dumped = Sample().dump(rows[1])
    assert dumped["number"] == 1 and type(dumped["number"]) is int  # not True
    assert type(dumped["text"]) is str and dumped["text"] == "<b>"
    assert Sample().dump(rows[2])["text"] == "5"
