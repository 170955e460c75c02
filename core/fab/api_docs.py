"""FAB's ``BaseApi.operation_helper`` with each route's docstring parsed once, not once per API.

FAB reads an operation's OpenAPI text from its method's docstring at every ``/api/v1/_openapi``
build: apispec's pure-Python YAML parse of the docstring, then a second parse of that dict's
``str()`` with the API's class name put in — ~1,250 parses of the same few docstrings (every
model API shares ``get_list``, ``get``, ``post`` …), ~5 s of the first document on a quiet
machine and over the Swagger page's patience on a busy one. Here the docstring's operations are
parsed once per docstring, the second parse once per (docstring, class) and by libyaml where
PyYAML has it (the same loader rules in C); each call gets its own deep copy, as FAB and apispec
write into what they are given. Same dicts: a test builds the document both ways.
"""

from __future__ import annotations

import copy
from functools import cache

import yaml
from apispec import yaml_utils
from flask_appbuilder import api as fab_api

#: FAB's original (pinned in core/fab/adapter.py ``FAB_PRIVATE``)
ORIGINAL = fab_api.BaseApi.__dict__["operation_helper"]
_CLASS_NAME = "{{self.__class__.__name__}}"  # FAB's placeholder in a docstring


@cache
def _docstring_operations(docstring: str | None) -> str:
    return str(yaml_utils.load_operations_from_docstring(docstring))


@cache
def _class_operations(docstring: str | None, class_name: str):
    text = _docstring_operations(docstring).replace(_CLASS_NAME, class_name)
    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader  # yaml executes by its first read
    return yaml.load(text, Loader=loader)


def operation_helper(self, path=None, operations=None, methods=None, func=None, **kwargs) -> None:
    """FAB's ``operation_helper`` (the same operations), over the parses kept above."""
    parsed = _class_operations(func.__doc__, self.__class__.__name__)
    override = self.openapi_spec_methods.get(func.__name__, {})
    secured = bool(parsed) and bool(self.get_method_permission(func.__name__))
    for method in (m.lower() for m in methods):
        if not parsed:
            operations[method] = {}
            continue
        operation = copy.deepcopy(parsed.get(method, {}))
        operation.update(override.get(method, {}))
        if secured:
            operation["security"] = [{"jwt": []}, {"api_key": []}]
        operations[method] = operation


def install() -> None:
    """For every API, ours and FAB's own (core/web/install.py)."""
    if fab_api.BaseApi.__dict__["operation_helper"] is not operation_helper:
        fab_api.BaseApi.operation_helper = operation_helper
