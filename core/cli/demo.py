"""``jiguan demo``: the real divisions, demo organisations, users and module settings."""

from __future__ import annotations

from core.cli.setup import create_user, ensure_roles, upgrade_schema
from core.contract import DemoContext
from core.extensions import db
from core.plugins import dependency_order
from core.scoping import (
    ROLE_ADMIN,
    ROLE_BUREAU_ADMIN,
    ROLE_CLERK,
    ROLE_FINANCE_REVIEWER,
    SYSTEM,
    acting_as,
)
from core.state import get_state

#: (username, role, organisation demo key, name, what the login shows)
DEMO_USERS = [
    ("admin", ROLE_ADMIN, "xj_bureau", "系统管理员", "系统管理员（全区）"),
    ("xj_bureau", ROLE_BUREAU_ADMIN, "xj_bureau", "自治区管理员", "自治区机关事务管理局管理员（650000）"),
    ("urumqi_bureau", ROLE_BUREAU_ADMIN, "urumqi_bureau", "乌鲁木齐管理员",
     "乌鲁木齐市机关事务管理局管理员（650100）"),
    ("tianshan_clerk", ROLE_CLERK, "tianshan_finance", "天山区经办人", "天山区财政局经办人（650102）"),
    ("kashgar_clerk", ROLE_CLERK, "kashgar_finance", "喀什市经办人", "喀什市财政局经办人（653101）"),
    # the finance department's stage of staged approvals (e.g. asset configuration plans)
    ("urumqi_fin_reviewer", ROLE_FINANCE_REVIEWER, "urumqi_finance", "乌鲁木齐财政审核人",
     "乌鲁木齐市财政局财政审核人（650100）"),
    # same-level review (Art. 17, 19): a county's plans and disposals go to the county's own bureau
    # and finance department, not to the city's
    ("tianshan_bureau", ROLE_BUREAU_ADMIN, "tianshan_bureau", "天山区管理员",
     "天山区机关事务服务中心管理员（650102）"),
    ("tianshan_fin_reviewer", ROLE_FINANCE_REVIEWER, "tianshan_finance", "天山区财政审核人",
     "天山区财政局财政审核人（650102）"),
    ("kashgar_bureau", ROLE_BUREAU_ADMIN, "kashgar_bureau", "喀什市管理员", "喀什市机关事务管理局管理员（653101）"),
    ("kashgar_fin_reviewer", ROLE_FINANCE_REVIEWER, "kashgar_finance", "喀什市财政审核人",
     "喀什市财政局财政审核人（653101）"),
]


def build_demo(password: str) -> list[tuple[str, str]]:
    """Load every module's demo data into the (empty) database; return the logins."""
    from core.activation import set_module

    upgrade_schema()
    ensure_roles()
    state = get_state()
    ctx = DemoContext(session=db.session)
    with acting_as(SYSTEM):
        for key in dependency_order(state.plugins):
            plugin = state.plugins[key].plugin
            if hasattr(plugin, "load_demo_data"):
                plugin.load_demo_data(ctx=ctx)
                db.session.commit()
        region = ctx.jurisdictions["650000"]
        for key in dependency_order(state.plugins):  # Module(default_enabled=False) stays off
            module = state.modules[key]
            if not module.required and module.default_enabled and all(
                    state.modules[dep].required or state.modules[dep].default_enabled
                    for dep in module.depends):
                set_module(region, key, True)
        db.session.commit()
    for username, role, org_key, name, _label in DEMO_USERS:
        create_user(username, password, role, ctx.organizations[org_key], first_name=name)
    # the demo's pending approvals reach their deciders' bells (the users exist only now)
    from core.home.notify import notify_pending

    notify_pending()
    return [(username, label) for username, _r, _o, _n, label in DEMO_USERS]
