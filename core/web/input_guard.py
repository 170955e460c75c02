"""Bad input answers 4xx with a Chinese message before any view or database sees it.

FAB parses ids, the ``q`` argument (Rison), paging and the screens' list arguments itself and
lets whatever it cannot handle reach the database, where it fails as a 500: an id beyond 64
bits (SQLite's driver overflows, PostgreSQL's ``bigint`` is out of range), truncated or
deeply nested Rison (the parser raises other than its own error), a page of ``5.4e+16`` or
below zero (a float or negative OFFSET), a NUL byte (PostgreSQL refuses it in text), a JSON
body that is a list. One ``before_request`` check here refuses all of them for every view and
API at once — no view repeats it — and :func:`database_input_error` is the last resort for a
value only the database can judge (a filter ``abc`` on an integer column in PostgreSQL).
"""

from __future__ import annotations

import json
import math
import re
import urllib.parse

import prison
from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc as sa_exc

from core.fab.adapter import DATABASE_REFUSED, database_input_error

#: The range of a 64-bit signed integer: every id column and every integer the database stores.
INT_MAX = 2**63 - 1
#: The largest page number or page size anyone asks for; beyond it OFFSET overflows.
PAGE_MAX = 2**31 - 1
#: Longer ``q`` arguments are refused unparsed (a list query is a few hundred characters).
Q_MAX_CHARS = 8000
#: Deeper nesting in ``q`` or a JSON body is refused (FAB's own arguments nest 4 deep).
DEPTH_MAX = 20

BAD_ID = _l("记录不存在，或不在您的权限范围内，或所属模块未在本辖区启用")
BAD_Q = _l("查询参数 q 不是有效的 Rison 或 JSON（或嵌套过深、过长）")
BAD_PAGE = _l("分页参数无效：page 须为不小于 0 的整数，page_size 须为正整数")
BAD_FILTER = _l("筛选条件无效：filters 须为 (col, opr, value) 的列表，value 为单个值")
BAD_NUMBER = _l("数值超出允许范围（须为 64 位整数以内的有限数）")
BAD_NUL = _l("输入中含有不允许的空字符（\\0）")
BAD_BODY = _l("请求内容须为 JSON 对象（{…}），且嵌套不超过 20 层")
BAD_SCREEN_ARG = _l("列表参数无效：页码和每页条数须为不小于 0 的整数")

_DIGITS = re.compile(r"-?\d+")
_SCREEN_INT_ARG = re.compile(r"^(page|psize)_")
_FILTER_INDEX = re.compile(r"^_flt_(\d+)_")


class BadInput(Exception):
    """A request argument or body the platform refuses (400, or 404 for an impossible id)."""

    def __init__(self, message, status: int = 400):
        self.message, self.status = str(message), status
        super().__init__(self.message)


def _check_value(value, depth: int = 0) -> None:
    """Refuse NUL bytes, integers beyond 64 bits, non-finite floats, and too deep nesting."""
    if depth > DEPTH_MAX:
        raise BadInput(BAD_BODY)
    if isinstance(value, str):
        if "\x00" in value:
            raise BadInput(BAD_NUL)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not -INT_MAX - 1 <= value <= INT_MAX:
            raise BadInput(BAD_NUMBER)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BadInput(BAD_NUMBER)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(key, depth + 1)
            _check_value(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_value(item, depth + 1)


def _paren_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth -= 1
    return deepest


def parse_q(value: str):
    """``q`` as FAB reads it (Rison, else JSON), refused when it is not a valid object."""
    if len(value) > Q_MAX_CHARS or _paren_depth(value) > DEPTH_MAX:
        raise BadInput(BAD_Q)
    try:
        parsed = prison.loads(value)
    except Exception:  # noqa: BLE001 - prison raises IndexError, ValueError … on bad input
        try:
            parsed = json.loads(urllib.parse.parse_qs(f"q={value}").get("q", [""])[0])
        except Exception:  # noqa: BLE001
            raise BadInput(BAD_Q) from None
    if not isinstance(parsed, dict):
        raise BadInput(BAD_Q)
    _check_value(parsed)
    filters = parsed.get("filters", [])
    if not isinstance(filters, list) or not all(
            isinstance(f, dict) and not isinstance(f.get("value"), list | dict) for f in filters):
        raise BadInput(BAD_FILTER)  # FAB's filters compare one value; a list reaches the driver
    for key in ("page", "page_size"):
        if key in parsed:
            number, least = parsed[key], 0 if key == "page" else 1
            if isinstance(number, bool) or not isinstance(number, int) or not least <= number <= PAGE_MAX:
                raise BadInput(BAD_PAGE)
    return parsed


def _check_ids(view_args: dict) -> None:
    """An id beyond 64 bits (or below zero) names no record: 404, as for a missing one."""
    pk = (view_args or {}).get("pk")
    if isinstance(pk, str) and not _DIGITS.fullmatch(pk):
        raise BadInput(BAD_ID, 404)  # every record id is a number: "abc" names none
    for value in (view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= INT_MAX:
            raise BadInput(BAD_ID, 404)
        if isinstance(value, str):
            if "\x00" in value:
                raise BadInput(BAD_ID, 404)
            if _DIGITS.fullmatch(value) and not 0 <= int(value) <= INT_MAX:
                raise BadInput(BAD_ID, 404)


def names_no_record(error) -> bool:
    """Whether a 405 is really a bad id: ``GET /api/v1/asset/abc`` matches only FAB's
    ``PUT``/``DELETE /<pk>`` routes (string ``pk``) — to the client, no such record (404)."""
    from flask import current_app

    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in getattr(error, "valid_methods", None) or ():
        try:
            _endpoint, args = adapter.match(method=method)
            _check_ids(args)
        except BadInput:
            return True
        except Exception:  # noqa: BLE001 - no route by that method either
            continue
    return False


def _check_screen_args(args) -> None:
    """The list screens' ``page_<view>`` / ``psize_<view>`` are integers FAB ``int()``s."""
    for name, value in args.items(multi=True):
        if "\x00" in value or "\x00" in name:
            raise BadInput(BAD_NUL)
        if _SCREEN_INT_ARG.match(name):
            if not value.isdigit() or int(value) > PAGE_MAX:
                raise BadInput(BAD_SCREEN_ARG)
        elif _FILTER_INDEX.match(name) and _DIGITS.fullmatch(value.strip()):
            if not -INT_MAX - 1 <= int(value) <= INT_MAX:
                raise BadInput(BAD_NUMBER)


def _check_json_body() -> None:
    if request.method not in ("POST", "PUT", "PATCH") or not request.is_json:
        return
    raw = request.get_data(cache=True)
    if not raw.strip():
        return  # an operation without a body: the view decides
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadInput(BAD_BODY) from None
    if not isinstance(body, dict):
        raise BadInput(BAD_BODY)
    _check_value(body)


def check_request() -> None:
    """Refuse the request's bad ids, ``q``, list arguments and JSON body (raises BadInput)."""
    _check_ids(request.view_args)
    api = request.path.startswith("/api/")
    if api:
        if "q" in request.args:
            parse_q(request.args["q"])
        for name, value in request.args.items(multi=True):
            if "\x00" in value or "\x00" in name:
                raise BadInput(BAD_NUL)
        _check_json_body()
    else:
        _check_screen_args(request.args)
        for _name, value in request.form.items(multi=True):
            if "\x00" in value:
                raise BadInput(BAD_NUL)


def answer(message: str, status: int):
    """The refusal: JSON ``{"message": …}`` on the API, the Chinese error page on screens."""
    if request.path.startswith("/api/"):
        return jsonify(message=message), status
    from flask import current_app

    title = _l("请求无效") if status == 400 else _l("页面不存在")
    return render_template("core/error.html", appbuilder=current_app.appbuilder,
                           base_template=current_app.appbuilder.base_template, code=status,
                           title=title, message=message), status


_CHINESE = re.compile(r"[\u4e00-\u9fff]")
FAB_REFUSAL = _l("请求参数无效")


def chinese_refusal(response):
    """FAB's own 400s and 422s are English (``Filter column: x not allowed to filter``, marshmallow's
    ``{"_schema": [...]}``): prefix a Chinese message, keep FAB's words as the detail."""
    if response.status_code not in (400, 422) or not response.is_json or not request.path.startswith("/api/"):
        return response
    body = response.get_json(silent=True)
    if not isinstance(body, dict) or "message" not in body:
        return response
    message = body["message"]
    if isinstance(message, str) and _CHINESE.search(message):
        return response
    if isinstance(message, str):
        body["message"] = f"{FAB_REFUSAL}：{message}"
    else:
        body = {**body, "message": str(FAB_REFUSAL), "errors": message}
    response.set_data(json.dumps(body, ensure_ascii=False))
    return response


def install_input_guard(app: Flask) -> None:
    from core.extensions import db

    app.after_request(chinese_refusal)

    @app.before_request
    def refuse_bad_input():
        try:
            check_request()
        except BadInput as refused:
            return answer(refused.message, refused.status)
        return None

    def database_refused(error):
        db.session.rollback()
        return answer(str(DATABASE_REFUSED), 400)

    for kind in (sa_exc.DataError, sa_exc.StatementError, OverflowError):
        app.register_error_handler(kind, _only_input(database_refused))


def _only_input(handler):
    def handle(error):
        if not database_input_error(error):
            raise error
        return handler(error)

    return handle
