"""全局搜索: the page (``/search/?q=``, the navbar's box) and ``GET /api/v1/search/?text=``."""

from __future__ import annotations

from flask import request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.search.global_search import PER_TYPE, TERM_MAX, global_search


class GlobalSearchView(BaseView):
    """The results page, grouped by entity type, each row a link to its record."""

    route_base = "/search"
    default_view = "index"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        term = request.args.get("q", "").replace("\x00", "").strip()[:TERM_MAX]
        groups = global_search(term) if term else []
        return self.render_template("core/search.html", title=_("全局搜索"), term=term, groups=groups,
                                    total=sum(len(g.rows) for g in groups))


class GlobalSearchApi(BaseApi):
    """``GET /api/v1/search/?text=计算机[&limit=10]``: the same results as JSON."""

    resource_name = "search"
    access = "everyone"
    allow_browser_login = True
    openapi_spec_tag = "Search"
    openapi_summaries = {
        "search": _l("全局搜索：在已启用模块的各类数据中查找（权限范围内），按类型分组"),
    }

    @expose("/", methods=["GET"])
    @protect()
    @permission_name("get")
    def search(self):
        """Results grouped by entity type; ``text`` is required, ``limit`` 1-50 per type."""
        term = request.args.get("text", "").strip()
        if not term:
            return self.response_400(message=_("请提供要搜索的文字（参数 text）"))
        if len(term) > TERM_MAX:
            return self.response_400(message=_("搜索文字不能超过 %(n)d 个字", n=TERM_MAX))
        limit = request.args.get("limit", str(PER_TYPE))
        if not limit.isdigit() or not 1 <= int(limit) <= 50:
            return self.response_400(message=_("limit 须为 1 到 50 之间的整数"))
        groups = global_search(term, int(limit))
        return self.response(200, text=term, groups=[g.as_json() for g in groups])
