"""A REST API's marshmallow schemas built by the first request that needs them.

FAB builds four schemas for every ``ModelRestApi`` as it is added (list, show, add, edit: a
converter walking every column and relation); with every module's APIs that was about a fifth
of ``create_app``, for APIs most processes (a CLI command, a worker, a web process's first
minutes) never call. A schema given by the API class is used as it is, as before.
"""

from __future__ import annotations

import threading

SCHEMAS = ("list_model_schema", "add_model_schema", "edit_model_schema", "show_model_schema")
_lock = threading.RLock()


class _DeferredSchema:
    """Reads as FAB's ``None`` until the API is added (FAB reads every attribute of the API
    then, looking for hooks), then builds the API's schemas once."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, api, owner=None):
        if api is None:
            return None
        state = api.__dict__
        if self.name in state or not state.get("_jiguan_schemas_due"):
            return state.get(self.name)
        with _lock:
            if state.get("_jiguan_schemas_due") and not state.get("_jiguan_schemas_building"):
                state["_jiguan_schemas_building"] = True
                try:
                    api._build_model_schemas()
                finally:
                    state["_jiguan_schemas_building"] = False
                state["_jiguan_schemas_due"] = False
        return state.get(self.name)

    def __set__(self, api, value) -> None:
        api.__dict__[self.name] = value


class DeferredSchemasMixin:
    """Before ``ModelRestApi``: once the API is added, its schemas are due and
    ``_build_model_schemas`` (FAB's own building, core/fab/adapter.py) makes them on first use;
    the adapter's ``_init_model_schemas``, which FAB calls as the API is added, builds nothing."""

    list_model_schema = _DeferredSchema()
    add_model_schema = _DeferredSchema()
    edit_model_schema = _DeferredSchema()
    show_model_schema = _DeferredSchema()

    def _build_model_schemas(self) -> None:
        raise NotImplementedError

    def create_blueprint(self, appbuilder, *args, **kwargs):
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        self.__dict__["_jiguan_schemas_due"] = True
        return blueprint

    def build_model_schemas(self) -> None:
        """Build them now (the OpenAPI document and the tests read every API's)."""
        for name in SCHEMAS:
            getattr(self, name)
