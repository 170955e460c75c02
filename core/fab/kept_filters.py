"""FAB's ``Filters``, with the converted filters of each interface kept.

FAB converts every column of the model into its filters whenever a ``Filters`` is made —
three times for one API list request (the request's, a copy of the view's, the joined
ones), ~1 ms each on a card with thirty columns (docs/performance.md). The converted
filters hold no values (those are in ``filters``/``values``), so each interface keeps them
per converter and columns, and every ``Filters`` gets fresh lists of the same filters.
A list screen gives its interface the labels of its code columns after FAB first built its
filters (``choice_labels``, core/search/views.py): the labelled columns are part of the key.
"""

from __future__ import annotations

import copy

from flask_appbuilder.models.filters import Filters


class KeptFilters(Filters):
    def _get_filters(self, cols):
        kept = self.datamodel.__dict__.setdefault("_jiguan_converted_filters", {})
        labelled = getattr(self.datamodel, "choice_labels", None) or {}
        key = (self.filter_converter, tuple(cols), tuple(labelled))
        if key not in kept:
            kept[key] = super()._get_filters(cols)
        return {col: type(found)(found) for col, found in kept[key].items()}  # FilterList stays

    def get_joined_filters(self, filters) -> KeptFilters:
        joined = type(self)(self.filter_converter, self.datamodel)
        joined.filters = self.filters + filters.filters
        joined.values = self.values + filters.values
        return joined

    def copy(self) -> KeptFilters:
        copied = type(self)(self.filter_converter, self.datamodel)
        copied.filters = copy.copy(self.filters)
        copied.values = copy.copy(self.values)
        return copied
