"""The search service, installed through the module hooks: the global search page and API
(the list screens' search comes with ``ScopedModelView``, core/search/views.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.contract import ViewSpec
from core.hookspecs import hookimpl
from core.search import models  # noqa: F401 - core_saved_filter is the core's table


@hookimpl
def register_views():
    from core.search.global_views import GlobalSearchApi, GlobalSearchView

    return [ViewSpec(GlobalSearchView, "Global Search", _l("全局搜索"), menu=False, position=1),
            ViewSpec(GlobalSearchApi, "GlobalSearchApi", menu=False, position=1)]
