"""The kernel's contract: hooks called through pluggy, and what services and plugins contribute
through the hooks instead of around them (roles, job kinds, standards, installation)."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import JobKind, Module, Role, hookimpl
from core.extensions import db
from core.rules import WriteContext
from core.scoping import SYSTEM
from core.state import get_state
from tests.conftest import make_app


def _plugin(key: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(f"jiguan_test_{key}")
    module.register_module = hookimpl(lambda: Module(key=key, label=key, depends=("catalog",)))
    for name, func in hooks.items():
        setattr(module, name, func)
    return module


def test_a_wrapper_hookimpl_is_called_through_pluggy_and_items_keep_their_module():
    """A legal ``@hookimpl(wrapper=True)`` used to crash create_app: the hooks were called by hand."""
    seen = []

    @hookimpl(wrapper=True)
    def register_standard_kinds():
        result = yield
        seen.append(len(result))
        return result

    wrapping = _plugin("wrapping", register_standard_kinds=register_standard_kinds)
    app = make_app("sqlite://", EXTRA_PLUGINS=[wrapping])
    with app.app_context():
        kinds = get_state().standard_kinds
        assert kinds["asset_price_cap"][0] == "assets" and kinds["land_registration_target"][0] == "land"
    assert seen and all(n <= 1 for n in seen)  # wrapped around each module's own call


def test_a_plugin_role_gives_its_scope_and_its_permissions():
    role = Role("Vehicle Dispatcher", _l("车辆调度员"), "organization",
                {"records": r"^(can_list|can_show|menu_access)$"})
    app = make_app("sqlite://", EXTRA_PLUGINS=[_plugin("dispatch", register_roles=hookimpl(lambda: [role]))])
    with app.app_context():
        state = get_state()
        assert state.roles["Vehicle Dispatcher"] is role and "Clerk" in state.roles
        table = app.config["FAB_ROLES"]["Vehicle Dispatcher"]
        assert ["^LandParcelView$", r"^(can_list|can_show|menu_access)$"] in table
        from core.scoping import role_scopes

        assert role_scopes({"Vehicle Dispatcher"}) == {"organization"}


def test_a_role_name_taken_twice_stops_start_up():
    from core.plugins import PluginError

    twin = Role("Clerk", _l("经办人"), "organization", {})
    with pytest.raises(PluginError, match="角色 'Clerk' 重复注册"):
        make_app("sqlite://", EXTRA_PLUGINS=[_plugin("twin", register_roles=hookimpl(lambda: [twin]))])


def test_job_kinds_come_from_the_hook_in_every_process():
    from core.jobs import job_kind, unregister_job_kind

    kind = JobKind("test.kernel_echo", lambda params, progress: None, label="echo")
    make_app("sqlite://", EXTRA_PLUGINS=[_plugin("echo", register_job_kinds=hookimpl(lambda: [kind]))])
    try:
        assert job_kind("test.kernel_echo") is kind
        assert job_kind("report.render") is not None and job_kind("xlsx.import") is not None
    finally:
        unregister_job_kind("test.kernel_echo")


def test_init_app_installs_a_service_after_the_contributions():
    calls = []

    @hookimpl
    def init_app(app, state):
        calls.append((app.name, len(state.entities), state.reports is not None))

    make_app("sqlite://", EXTRA_PLUGINS=[_plugin("installer", init_app=init_app)])
    assert calls and calls[0][0] == "jiguan" and calls[0][1] > 5


def test_find_standard_is_how_a_rule_reads_a_standard(ctx):
    """Art. 11/17: rules read the standard in force through the catalog's find_standard."""
    from catalog.models import Standard, standard_in_force
    from core.tenancy import Jurisdiction

    standard = db.session.execute(select(Standard).where(Standard.kind == "asset_price_cap")
                                  .limit(1)).scalar_one()
    jurisdiction = db.session.get(Jurisdiction, standard.jurisdiction_id)
    on = max(standard.effective_from, dt.date(2024, 1, 1))
    wctx = WriteContext(session=db.session, action="create", scope=SYSTEM, today=on)
    found = wctx.standard("asset_price_cap", standard.key, jurisdiction)
    assert found is not None
    assert found == standard_in_force(db.session, "asset_price_cap", standard.key, jurisdiction, on)
    assert get_state().pm.hook.find_standard(session=db.session, kind="no_such_kind", key="x",
                                             jurisdiction=jurisdiction, on=on) is None
