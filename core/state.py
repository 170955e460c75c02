"""What ``create_app`` collected from the plugins, kept on ``app.extensions['jiguan']``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pluggy
from flask import current_app, has_app_context

from core.contract import Derivation, Guard, Role, Rule, StandardKind, ViewSpec
from core.plugins import LoadedPlugin
from core.registry import EntityRegistry


@dataclass
class JiguanState:
    pm: pluggy.PluginManager
    plugins: dict[str, LoadedPlugin]
    entities: EntityRegistry = field(default_factory=EntityRegistry)
    rules: dict[type, list[tuple[str, Rule]]] = field(default_factory=lambda: defaultdict(list))
    #: What modules derive on write (``register_derivations``), by model, in load order.
    derivations: dict[type, list[tuple[str, Derivation]]] = field(
        default_factory=lambda: defaultdict(list))
    #: Checks of a whole flush after the rules (``register_write_guards``), in load order.
    guards: list[tuple[str | None, Guard]] = field(default_factory=list)
    standard_kinds: dict[str, tuple[str, StandardKind]] = field(default_factory=dict)
    views: list[tuple[str, ViewSpec]] = field(default_factory=list)
    #: Entity key → operation key → the installed ``Operation`` (``core/workflow/operations.py``).
    operations: dict[str, dict] = field(default_factory=dict)
    #: Roles users can hold (``register_roles``), by name.
    roles: dict[str, Role] = field(default_factory=dict)
    #: PDF reports by key (``register_reports``): the reports service's registry, set at init.
    reports: Any = None
    #: FAB view / blueprint / menu name → module key, for activation checks.
    module_of_name: dict[str, str] = field(default_factory=dict)
    #: Entity key → the endpoint of its record page (``LandParcelView.show``).
    entity_endpoints: dict[str, str] = field(default_factory=dict)
    #: Entity key → column labels from its screens (API and catalog page show them).
    entity_labels: dict[str, dict] = field(default_factory=dict)
    #: Menu category → the modules of its entries (None for a core entry).
    category_modules: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    #: (scope kind, jurisdiction id) → (expiry, (active, read-only modules)): ``core.activation``.
    activation_cache: dict = field(default_factory=dict)

    @property
    def modules(self):
        return {key: info.module for key, info in self.plugins.items()}

    def rules_for(self, model: type) -> list[tuple[str, Rule]]:
        return self._by_mro(self.rules, model)

    def derivations_for(self, model: type) -> list[tuple[str, Derivation]]:
        return self._by_mro(self.derivations, model)

    @staticmethod
    def _by_mro(table: dict, model: type) -> list:
        found = []
        for klass in model.__mro__:
            found.extend(table.get(klass, ()))
        return found


def get_state() -> JiguanState:
    return current_app.extensions["jiguan"]


def state_or_none() -> JiguanState | None:
    if not has_app_context():
        return None
    return current_app.extensions.get("jiguan")
