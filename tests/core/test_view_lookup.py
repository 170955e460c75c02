"""The list and show templates find a view by name through an index (core/fab/adapter.py,
``patch_view_lookup``): the same view FAB's loop over every view finds, for every name, and a
view added after the index was made is found too."""

from __future__ import annotations

from flask_appbuilder import BaseView
from flask_appbuilder.filters import TemplateFilters

from core.fab import adapter


def test_every_view_is_found_as_fabs_loop_finds_it(app):
    with app.test_request_context():
        views = app.appbuilder.baseviews
        assert TemplateFilters.find_views_by_name is adapter._find_views_by_name
        names = {view.__class__.__name__ for view in views}
        assert len(names) > 100
        for name in names:
            assert TemplateFilters.find_views_by_name(name) is adapter._FAB_FIND_VIEWS_BY_NAME(name), name
        assert TemplateFilters.find_views_by_name("NoSuchView") is None


def test_a_view_added_later_is_found(app):
    class LookupLaterView(BaseView):
        route_base = "/lookup-later"

    with app.test_request_context():
        assert TemplateFilters.find_views_by_name("AssetView") is not None  # the index is made
        views = app.appbuilder.baseviews
        views.append(LookupLaterView())
        try:
            assert TemplateFilters.find_views_by_name("LookupLaterView") is views[-1]
        finally:
            views.pop()
        assert TemplateFilters.find_views_by_name("LookupLaterView") is None
