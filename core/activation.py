"""Module activation per jurisdiction, inherited down the tree (installed ≠ enabled).

The nearest explicit setting at or above a jurisdiction decides; with none,
a module is off. Required modules (the catalog) are on everywhere. A module
is only effectively on where every module it depends on is on too. A bureau
user whose level has a module off, but a jurisdiction below it on, reads that
module read-only (Art. 5-6); ``core.web.security`` refuses them every other permission.
"""

from __future__ import annotations

import time

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.errors import WriteRefused
from core.extensions import db
from core.models import ModuleActivation
from core.scoping import current_scope
from core.state import get_state, state_or_none


class ActivationError(WriteRefused):
    """An enable/disable that would break a dependency."""


def _explicit_settings(session, codes: list[str]) -> dict[str, dict[str, bool]]:
    from core.tenancy import Jurisdiction

    rows = session.execute(
        select(Jurisdiction.code, ModuleActivation.module_key, ModuleActivation.enabled)
        .join(Jurisdiction, ModuleActivation.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.code.in_(codes))
    ).all()
    settings: dict[str, dict[str, bool]] = {}
    for code, key, enabled in rows:
        settings.setdefault(key, {})[code] = enabled
    return settings


def active_modules(jurisdiction, session=None) -> set[str]:
    """Keys of the modules effectively active at ``jurisdiction`` (None: every installed one)."""
    state = get_state()
    modules = state.modules
    if jurisdiction is None:
        return set(modules)
    session = session or db.session
    codes = jurisdiction.ancestor_codes  # root first
    settings = _explicit_settings(session, codes)

    def explicit(key: str) -> bool:
        if modules[key].required:
            return True
        chosen = False
        for code in codes:
            if code in settings.get(key, {}):
                chosen = settings[key][code]
        return chosen

    active = {key for key in modules if explicit(key)}
    changed = True
    while changed:  # drop modules whose dependencies are off
        changed = False
        for key in list(active):
            if any(dep not in active for dep in modules[key].depends):
                active.discard(key)
                changed = True
    return active


def read_only_below(jurisdiction, active: set[str], session=None) -> set[str]:
    """Modules off at ``jurisdiction`` but effectively on somewhere below it.

    A bureau guides and supervises the levels below (Art. 5-6): where a county has a module
    on, the bureaus above it read that module's records, though their own level stays off.
    """
    from core.tenancy import Jurisdiction

    session = session or db.session
    rows = session.execute(
        select(Jurisdiction, ModuleActivation.module_key)
        .join(Jurisdiction, ModuleActivation.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.path.startswith(jurisdiction.path), Jurisdiction.id != jurisdiction.id,
               ModuleActivation.enabled.is_(True), ModuleActivation.module_key.not_in(active))
    ).all()
    found: set[str] = set()
    for place, key in rows:  # explicitly on there; effectively on unless a dependency is off
        if key not in found and key in active_modules(place, session):
            found.add(key)
    return found


def _modes() -> tuple[set[str], set[str]]:
    """(active, read-only) module keys for whoever acts; once per request, and kept by the
    process for ``MODULE_ACTIVATION_CACHE_SECONDS`` (a change made here clears it at once)."""
    if has_request_context() and "jiguan_module_modes" in g:
        return g.jiguan_module_modes
    scope = current_scope()
    cache, key = get_state().activation_cache, (scope.kind, scope.jurisdiction_id)
    kept = cache.get(key)
    if kept is not None and kept[0] > time.monotonic():
        modes = kept[1]
    else:
        modes = _read_modes(scope)
        ttl = current_app.config.get("MODULE_ACTIVATION_CACHE_SECONDS", 0)
        if ttl > 0:
            cache[key] = (time.monotonic() + ttl, modes)
    if has_request_context():
        g.jiguan_module_modes = modes
    return modes


def _read_modes(scope) -> tuple[set[str], set[str]]:
    from core.tenancy import Jurisdiction

    read_only: set[str] = set()
    if scope.jurisdiction_id is None:
        active = set(get_state().modules) if scope.kind == "all" else set()
    else:
        jurisdiction = db.session.get(Jurisdiction, scope.jurisdiction_id)
        active = active_modules(jurisdiction)
        # bureau roles oversee their subtree: what is off here but on below (no query when
        # every module is on here already, the usual case)
        if scope.kind == "jurisdiction" and set(get_state().modules) - active:
            read_only = read_only_below(jurisdiction, active)
    return frozenset(active), frozenset(read_only)


# A change of activation clears the process's kept modes when it is flushed (the writer sees it)
# and again when it is committed or rolled back (another request may have read the old rows
# in between). Other processes see it when their copy expires.
def _forget_modes(session, *_args, changed: bool = False) -> None:
    if changed or session.info.pop("jiguan_activation_changed", False):
        session.info["jiguan_activation_changed"] = changed
        if (state := state_or_none()) is not None:
            state.activation_cache.clear()
        if has_request_context():
            g.pop("jiguan_module_modes", None)


@event.listens_for(Session, "after_flush")
def _activation_flushed(session, _flush_context):
    if any(isinstance(o, ModuleActivation) for o in (*session.new, *session.dirty, *session.deleted)):
        _forget_modes(session, changed=True)


@event.listens_for(Session, "do_orm_execute")
def _activation_bulk(execute):
    mapper = execute.bind_mapper
    if not execute.is_select and mapper is not None and mapper.class_ is ModuleActivation:
        _forget_modes(execute.session, changed=True)


event.listen(Session, "after_commit", _forget_modes)
event.listen(Session, "after_soft_rollback", _forget_modes)


def modules_for_current_user() -> set[str]:
    """The modules the current user sees: active at their jurisdiction, or read-only from below."""
    active, read_only = _modes()
    return active | read_only


def read_only_modules_for_current_user() -> set[str]:
    """Modules the current (bureau) user only reads: off at their level, on below it."""
    return _modes()[1]


def module_active_for_current_user(key: str) -> bool:
    """Whether ``key`` is on at the current user's jurisdiction (they may write in it)."""
    return key in _modes()[0]


def module_readable_for_current_user(key: str) -> bool:
    """Whether the current user sees ``key`` at all (active, or read-only from below)."""
    return key in modules_for_current_user()


def set_module(jurisdiction, key: str, enabled: bool, session=None) -> ModuleActivation:
    """Enable or disable ``key`` at ``jurisdiction``; checks dependencies; audited by the flush."""
    state = get_state()
    session = session or db.session
    modules = state.modules
    if key not in modules:
        raise ActivationError(_("未安装的模块：%(key)s", key=key))
    module = modules[key]
    if module.required and not enabled:
        raise ActivationError(_("模块“%(label)s”为必需模块，不能停用", label=module.label))
    active = active_modules(jurisdiction, session)
    if enabled:
        missing = [modules[d].label for d in module.depends if d not in active]
        if missing:
            raise ActivationError(
                _("请先在%(place)s启用依赖模块：%(deps)s",
                  place=jurisdiction.name, deps="、".join(map(str, missing)))
            )
    else:
        users = [m.label for k, m in modules.items() if key in m.depends and k in active]
        if users:
            raise ActivationError(
                _("模块“%(label)s”被已启用的模块依赖：%(users)s，请先停用它们",
                  label=module.label, users="、".join(map(str, users)))
            )
    row = session.execute(
        select(ModuleActivation).where(
            ModuleActivation.jurisdiction_id == jurisdiction.id,
            ModuleActivation.module_key == key,
        )
    ).scalar_one_or_none()
    if row is None:
        row = ModuleActivation(jurisdiction_id=jurisdiction.id, module_key=key, enabled=enabled)
        session.add(row)
    else:
        row.enabled = enabled
    session.flush()  # clears the modes kept for the request and the process (_activation_flushed)
    return row
