"""PDF report engine: the report registry, HTML → WeasyPrint, the official layout, charts.

Plugins return :class:`reports.registry.Report` objects from ``register_reports``;
:mod:`reports.engine` validates parameters, builds the context in the caller's
scope and renders the template (see docs/reports.md).
"""
