"""The core's operations contract (core/workflow/operations.py): what ``register_operations`` may contribute,
the flush guard as a plain function, and that approvals' effects and a module's own flush steps
still move state fields while a hand never does.
"""

from __future__ import annotations

import types

import pytest
from sqlalchemy import select

from catalog.models import Jurisdiction, Organization
from core.api import EntityType, Model, Module, Operation, Scope, StateField, hookimpl
from core.display import local_today
from core.errors import WriteRefused
from core.extensions import db
from core.plugins import PluginError
from core.scoping import acting_as
from core.workflow.operations import StateFieldRefused, guard_operations
from plugins.land.parcels.models import LandParcel
from tests.conftest import make_app


def _plugin(key: str, operations=(), entity_types=()):
    """A plugin contributing through ``register_operations`` (and, if given, entity types)."""
    plugin = types.SimpleNamespace(register_module=hookimpl(
        lambda: Module(key=key, label=key, depends=("land",))))
    plugin.register_operations = hookimpl(lambda: list(operations))
    plugin.__file__ = __file__  # where the core looks for a plugin's templates
    if entity_types:
        plugin.register_entity_types = hookimpl(lambda: list(entity_types))
    return plugin


def _op(**extra):
    return Operation(**{"key": "survey", "label": "测绘", "entity": "land_parcel",
                        "run": lambda record, params: record, **extra})


def test_register_operations_adds_a_third_party_operation_to_an_entity_type():
    app = make_app("sqlite://", EXTRA_PLUGINS=[_plugin("survey", [_op(changes=("registration_status",))])])
    with app.app_context():
        from core.state import get_state

        ops = get_state().operations["land_parcel"]
        assert ops["survey"].module == "survey" and list(ops)[-1] == "void"  # 作废 stays last
    assert any(rule.rule == "/api/v1/land_parcel/<int:pk>/<key>" for rule in app.url_map.iter_rules())


@pytest.mark.parametrize("op, message", [
    (_op(entity="nothing"), "未注册的实体类型 'nothing'"),
    (_op(changes=("area",)), "不是该实体类型的状态字段"),
    (_op(key="start_registration"), "操作 'start_registration' 重复注册"),
])
def test_an_operation_that_does_not_fit_stops_start_up(op, message):
    with pytest.raises(PluginError, match=message):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("bad", [op])])


class Unvoidable(Model):
    __tablename__ = "test_unvoidable"
    __table_args__ = {"info": {"jiguan_test_only": True}}
    from sqlalchemy import Column, Integer

    id = Column(Integer, primary_key=True)
    organization_id = Column(Integer)


def test_a_void_policy_needs_the_void_columns():
    entity = EntityType(key="unvoidable", label="无作废列", model=Unvoidable,
                        scope=Scope(organization="organization_id"), delete_policy="void",
                        state_fields=(StateField("organization_id"),))
    with pytest.raises(PluginError, match="须混入 Voidable"):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("unvoidable", entity_types=[entity])])


# --- the guard ------------------------------------------------------------------------------------

def _parcel(ctx, **extra) -> LandParcel:
    jur = db.session.execute(select(Jurisdiction).where(Jurisdiction.code == "650102")).scalar_one()
    org = db.session.execute(select(Organization).where(Organization.name == "乌鲁木齐市天山区财政局")
                             ).scalar_one()
    row = LandParcel(name="守卫测试宗地", jurisdiction=jur, organization=org, location="天山区", area=10,
                     **extra)
    db.session.add(row)
    db.session.commit()
    return row


def test_the_guard_is_a_plain_function_of_the_session(ctx):
    """What the flush pipeline calls (``guard_operations(session)``): a hand-set state field refused
    before anything is flushed; the same change inside its operation passes."""
    row = _parcel(ctx)
    with acting_as(ctx.appbuilder.sm.find_user(username="tianshan_clerk")):
        row.registration_status = "registered"
        with pytest.raises(StateFieldRefused, match="确权登记状态"):
            guard_operations(db.session)
        db.session.rollback()
        from core.workflow.runner import run_operation

        run_operation(row, "start_registration")
        assert row.registration_status == "in_progress"
        db.session.rollback()


def test_a_hand_change_that_nets_to_nothing_passes_and_a_relation_set_by_hand_does_not(ctx):
    row = _parcel(ctx)
    with acting_as(ctx.appbuilder.sm.find_user(username="tianshan_clerk")):
        row.certificate_no = "甲"
        row.certificate_no = None  # back to what it was: nothing changes, nothing refused
        db.session.flush()
        row.title_holder = row.organization
        with pytest.raises(WriteRefused, match="权利人"):
            db.session.flush()
    db.session.rollback()


def test_approval_effects_and_a_module_s_flush_steps_still_move_state_fields(app, login):
    """The pool's entry idles its asset during the flush (a derivation, not a hand) — Art. 18."""
    from plugins.assets.cards.models import Asset
    from plugins.assets.pool.models import PoolItem
    from tests.plugins.assets.helpers import new_card

    pk = new_card(app, status="in_use")
    with app.app_context():
        bureau = db.session.execute(
            select(Organization).where(Organization.name == "乌鲁木齐市机关事务管理局")).scalar_one()
        with acting_as(app.appbuilder.sm.find_user(username="urumqi_bureau")):
            db.session.add(PoolItem(asset_id=pk, organization=bureau, source_kind="idle",
                                    entered_on=local_today(), condition="八成新"))
            db.session.commit()
        assert db.session.get(Asset, pk).status == "idle"
        item = db.session.execute(select(PoolItem).where(PoolItem.asset_id == pk)).scalar_one()
        item.status = "withdrawn"  # as the system: leave the pool as it was for other tests
        db.session.commit()
