"""Make the OpenAPI document say what the API does (checked by schemathesis, tests/security).

FAB's generated document is wrong in ways a client notices: ids are declared strings but sent
as numbers, money (``Numeric``) is declared a number but sent as the string ``"4900.00"``, a
naive timestamp is declared an RFC 3339 ``date-time``, a relation that may be empty is not
nullable, ``_info``'s ``add_columns`` are a list declared an object, and most operations list
only some of the status codes they answer. :func:`marshmallow_attributes` fixes the fields
where apispec converts them; :func:`complete_document` fixes the rest of the built document.
"""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin
from flask_babel import lazy_gettext as _l
from marshmallow import fields

#: A naive timestamp as the API sends it (``2026-12-03T12:13:48.514517``, no offset).
NAIVE_DATETIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"
MESSAGE = _l("中文说明（参数 _l_=en 时为英文）")
FIELD_ERRORS = _l("逐字段的说明（字段名 → 说明列表），400 和 422 时可能有")
#: Every answer the platform gives besides the operation's own success, and when.
ERRORS = {
    "400": _l("请求无效：参数、q（Rison）、分页或请求体格式不正确"),
    "401": _l("未登录，或令牌无效、已过期、已撤销"),
    "403": _l("无权执行：角色不包括此操作，或数据不在本辖区（本单位）范围内"),
    "404": _l("记录不存在、不在权限范围内，或所属模块未在本辖区启用"),
    "409": _l("记录已被他人修改（version 已过期），或当前状态不允许此操作"),
    "413": _l("上传内容超过允许的大小"),
    "415": _l("请求体的类型不被接受（须为 JSON 或 multipart/form-data）"),
    "422": _l("数据不符合规定或字段校验未通过（message 说明原因及条款）"),
    "429": _l("尝试过于频繁，请稍后再试"),
}
_WRITES = {"post", "put", "patch", "delete"}


def _decimal_as_string(converter, field, ret, **_kwargs) -> dict:
    if isinstance(field, fields.Decimal):  # FAB dumps Numeric columns as strings: "4900.00"
        ret.pop("format", None)
        return {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
    return {}


def _naive_datetime(converter, field, ret, **_kwargs) -> dict:
    if isinstance(field, fields.DateTime) and not isinstance(field, fields.Date):
        ret.pop("format", None)
        return {"type": "string", "pattern": NAIVE_DATETIME}
    return {}


def _nullable_relation(converter, field, ret, **_kwargs) -> dict:
    # a many-to-one relation is sent as null when unset, whatever the column says
    if isinstance(field, fields.Nested) and "$ref" in ret:
        ref = {"$ref": ret.pop("$ref")}
        # a to-many relation is a list (apispec declares it one object)
        return {"type": "array", "items": ref} if field.many else {"allOf": [ref], "nullable": True}
    return {}


def marshmallow_attributes(plugin: MarshmallowPlugin) -> None:
    """Teach apispec's converter (after ``spec`` took ``plugin``) how FAB's fields really dump."""
    for function in (_decimal_as_string, _naive_datetime, _nullable_relation):
        plugin.converter.add_attribute_function(function)


def _ids_any(schema) -> None:
    """``id`` / ``ids`` of FAB's answers: declared strings, sent as numbers."""
    if not isinstance(schema, dict):
        return
    props = schema.get("properties") or {}
    if isinstance(props.get("id"), dict) and props["id"].get("type") == "string":
        props["id"] = {"anyOf": [{"type": "integer"}, {"type": "string"}]}
    ids = props.get("ids")
    if isinstance(ids, dict) and isinstance(ids.get("items"), dict) and ids["items"].get("type") == "string":
        ids["items"] = {"anyOf": [{"type": "integer"}, {"type": "string"}]}
    childs = props.get("childs")  # the menu: a separator is the string "-"
    if isinstance(childs, dict) and isinstance(childs.get("items"), dict):
        childs["items"] = {"anyOf": [{"type": "object"}, {"type": "string"}]}
    for item in props.values():
        _ids_any(item.get("items") if isinstance(item, dict) else None)
    for name in ("add_columns", "edit_columns"):  # FAB's _info: a list of column descriptions
        if isinstance(props.get(name), dict) and props[name].get("type") == "object":
            props[name] = {"type": "array", "items": {"type": "object"}}


def _error_codes(path: str, method: str, operation: dict) -> list[str]:
    codes = ["400", "401", "403", "404", "422"]
    if not operation.get("security", True):  # the login: no credentials needed, but guarded
        codes.remove("401")
    if method in _WRITES:
        codes.append("409")
    if "requestBody" in operation or method in ("post", "put", "patch"):
        codes += ["413", "415"]
    if path.startswith("/api/v1/security/"):
        codes.append("429")  # login and refresh are rate limited
    return codes


def complete_document(document: dict) -> None:
    """Declare every status code each operation answers, and fix FAB's answer schemas."""
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = {
        "type": "object", "required": ["message"],
        "properties": {"message": {"type": "string", "description": str(MESSAGE)},
                       "errors": {"description": str(FIELD_ERRORS)}},
    }
    responses = components.setdefault("responses", {})
    for code, text in ERRORS.items():
        responses[code] = {"description": str(text), "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    responses["500"] = {"description": str(_l("服务器内部错误（不应出现）")), "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            answers = operation.setdefault("responses", {})
            for code in _error_codes(path, method, operation):
                answers.setdefault(code, {"$ref": f"#/components/responses/{code}"})
            if method == "post" and path.endswith("/") and "201" not in answers:
                answers["201"] = {"description": str(_l("已创建"))}
            for answer in answers.values():
                for media in (answer.get("content") or {}).values():
                    _ids_any(media.get("schema"))
            if method == "get":
                _cursor_paging(operation)


CURSOR = _l("翻页位置：上次答复的 next_cursor、prev_cursor 或 last_cursor，原样传回；q 中的 page 此时不用")
CURSORS = {"next_cursor": _l("下一页的 cursor；已是最后一页时为 null"),
           "prev_cursor": _l("上一页的 cursor；已是第一页时为 null"),
           "last_cursor": _l("最后一页的 cursor；已是最后一页时为 null"),
           "count_estimated": _l("count 是否为估计值（大表上不精确计数）")}


def _cursor_paging(operation: dict) -> None:
    """A list operation (its answer has ``count`` and ``ids``) takes ``cursor`` and answers the
    neighbours' cursors (keyset paging, docs/api.md)."""
    answer = (operation.get("responses") or {}).get("200") or {}
    schema = ((answer.get("content") or {}).get("application/json") or {}).get("schema") or {}
    properties = schema.get("properties") or {}
    if "count" not in properties or "ids" not in properties:
        return
    for name, text in CURSORS.items():
        kind = "boolean" if name == "count_estimated" else "string"
        properties.setdefault(name, {"type": kind, "nullable": kind == "string", "description": str(text)})
    parameters = operation.setdefault("parameters", [])
    if not any(p.get("name") == "cursor" for p in parameters if isinstance(p, dict)):
        parameters.append({"in": "query", "name": "cursor", "required": False,
                           "description": str(CURSOR), "schema": {"type": "string", "maxLength": 2000}})
