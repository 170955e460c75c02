"""Rules and derivations on another module's entity type, named by its key (issue 13).

``tests/fixtures/keyed_rule_plugin.py`` registers ``Rule(model="asset")`` and
``Derivation(model="asset")`` without importing the assets plugin: the core resolves the key at
start-up and both run on every write of an asset card (a session write, the REST API). A module
naming a key of a module it does not depend on, or a key nobody registered, is refused at
start-up with the Chinese PluginError (core/fab/references.py ``_resolve_keyed``).
"""

from __future__ import annotations

import types

import pytest
from sqlalchemy import select

from catalog.models import Organization
from core.api import Derivation, Module, Rule, hookimpl
from core.errors import WriteRefused
from core.extensions import db
from core.plugins import PluginError
from core.scoping import acting_as
from plugins.assets.cards.models import Asset
from tests.conftest import make_app
from tests.core.plugin_app import fixture_plugin_app
from tests.fixtures import keyed_rule_plugin
from tests.fixtures.keyed_rule_plugin import FORBIDDEN, KEY, SEEN

TIANSHAN = "乌鲁木齐市天山区财政局"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def keyed_app(request, tmp_path_factory):
    yield from fixture_plugin_app(request.param, tmp_path_factory, ["tests.fixtures.keyed_rule_plugin"],
                                  [KEY], "jiguan_keyed_rules_test")


def _card(app) -> tuple[int, str]:
    with app.app_context():
        card = db.session.execute(
            select(Asset).join(Organization, Asset.organization_id == Organization.id)
            .where(Organization.name == TIANSHAN, Asset.voided_at.is_(None))
            .order_by(Asset.id).limit(1)).scalar_one()
        return card.id, card.name


def test_a_rule_and_a_derivation_by_key_are_attached_to_the_cards_model(keyed_app):
    from core.api import get_state

    with keyed_app.app_context():
        state = get_state()
        assert "asset" not in state.rules and "asset" not in state.derivations  # resolved, not left by key
        assert ("keyed_demo", "keyed_demo.card_name") in {(o, r.key) for o, r in state.rules[Asset]}
        assert ("keyed_demo", "keyed_demo.card_seen") in {(o, d.key) for o, d in state.derivations[Asset]}


def test_a_rule_by_key_runs_on_an_asset_write(keyed_app):
    pk, name = _card(keyed_app)
    SEEN.clear()
    with keyed_app.app_context():
        clerk = keyed_app.appbuilder.sm.find_user(username="tianshan_clerk")
        with acting_as(clerk):
            card = db.session.get(Asset, pk)
            card.name = FORBIDDEN
            with pytest.raises(WriteRefused) as refused:
                db.session.flush()
            db.session.rollback()
    assert str(refused.value) == f"资产名称“{FORBIDDEN}”为测试禁用名称（《办法》第二十六条）"
    assert _card(keyed_app) == (pk, name)
    assert (pk, FORBIDDEN) in SEEN  # the derivation ran first, in the same pipeline


def test_a_rule_by_key_refuses_a_rest_write_and_lets_a_good_one_through(keyed_app):
    from core.testing.support import ApiClient

    pk, name = _card(keyed_app)
    clerk = ApiClient(keyed_app, "tianshan_clerk")
    response = clerk.put(f"/api/v1/asset/{pk}", json={"name": FORBIDDEN})
    assert response.status_code == 422, response.get_json()
    assert "测试禁用名称（《办法》第二十六条）" in response.get_json()["message"]
    assert _card(keyed_app) == (pk, name)
    SEEN.clear()
    response = clerk.put(f"/api/v1/asset/{pk}", json={"name": name + "（更正）"})
    assert response.status_code == 200, response.get_json()
    assert SEEN == [(pk, name + "（更正）")]
    assert clerk.put(f"/api/v1/asset/{pk}", json={"name": name}).status_code == 200


def _plugin(key: str, depends: tuple[str, ...], rule_model: str | None = None,
            derivation_model: str | None = None):
    @hookimpl
    def register_module():
        return Module(key=key, label="键名规则示例", depends=depends)

    @hookimpl
    def register_rules():
        if rule_model is None:
            return []
        return [Rule(key=f"{key}.rule", article=26, severity="flag", model=rule_model, message="示例",
                     check=lambda record, ctx: None)]

    @hookimpl
    def register_derivations():
        if derivation_model is None:
            return []
        return [Derivation(f"{key}.derivation", derivation_model, lambda record, ctx: None)]

    return types.SimpleNamespace(register_module=register_module, register_rules=register_rules,
                                 register_derivations=register_derivations)


def test_a_rule_on_a_module_not_declared_in_depends_refuses_start_up():
    with pytest.raises(PluginError) as refused:
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("stray_rules", ("catalog",), rule_model="asset")])
    assert str(refused.value) == ("模块 'stray_rules' 的 'stray_rules.rule' 针对模块 'assets' 的实体类型 "
                                  "'asset'，但模块 'stray_rules' 的清单未在 depends 中声明 'assets'")


def test_a_derivation_on_a_module_not_declared_in_depends_refuses_start_up():
    with pytest.raises(PluginError, match="模块 'stray_derivations' 的 'stray_derivations.derivation' "
                                          "针对模块 'assets' 的实体类型 'asset'"):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("stray_derivations", ("catalog",),
                                                     derivation_model="asset")])


def test_a_rule_on_an_unknown_key_refuses_start_up():
    with pytest.raises(PluginError, match="模块 'unknown_rules' 的 'unknown_rules.rule' 针对的实体类型 "
                                          "'no_such_type' 不存在"):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("unknown_rules", ("catalog", "assets"),
                                                     rule_model="no_such_type")])


def test_the_fixture_plugin_imports_no_other_plugin():
    import inspect

    assert "plugins." not in inspect.getsource(keyed_rule_plugin)
