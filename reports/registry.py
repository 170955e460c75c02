"""The report registry: what a module's ``register_reports`` returns, keyed by report key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

#: The signature blocks of an official form (经办人 / 审核人 / 负责人), in order.
STANDARD_SIGNATURES = (_l("经办人"), _l("审核人"), _l("负责人"))


@dataclass(frozen=True)
class Report:
    """A PDF report a module offers in 报表中心, the API and the CLI.

    ``params_schema`` is a marshmallow ``Schema`` class: its fields become the
    parameter form (``metadata={"label": ...}`` names a field). ``build_context(params,
    scope)`` gets the validated parameters and the caller's
    :class:`core.scoping.UserScope`, queries through ``core.api.scoped`` and returns
    the template's context. ``template`` extends ``reports/base.html``.
    ``signatures`` are the labels of the signature blocks printed at the end
    (e.g. ``("经办人", "审核人", "负责人")``, lazy gettext strings welcome).
    ``module`` is set by the core from the plugin that returned the report.
    """

    key: str
    label: Any
    params_schema: type
    build_context: Callable[[dict, Any], dict]
    template: str
    orientation: str = "portrait"
    signatures: tuple = ()
    description: Any = ""
    #: ``estimate_rows(params, scope) -> int``: a cheap count; above ``REPORT_INLINE_MAX_ROWS``
    #: the 报表中心 and the API render the report as a background job instead of in the request.
    estimate_rows: Callable[[dict, Any], int] | None = None
    #: ``render_pdf(context) -> bytes``: draws the PDF itself from the full context (the
    #: official-layout fields included) instead of ``template`` through WeasyPrint — for long
    #: ledgers, with ``core.api.render_ledger_pdf``. ``template`` stays the HTML preview.
    render_pdf: Callable[[dict], bytes] | None = None
    #: The entity type key of the record this report prints (a form of one record, e.g.
    #: ``"disposal"``): that record's page gets a 打印 button. The parameter naming the record is
    #: the schema's field with ``metadata={"record": <the same key>}``.
    prints: str = ""
    module: str = ""

    def __post_init__(self):
        if self.orientation not in ("portrait", "landscape"):
            raise ValueError(f"report {self.key}: orientation must be portrait or landscape")
        if self.prints and self.record_param() is None:
            raise ValueError(f"report {self.key}: prints {self.prints!r} but no parameter has "
                             f"metadata record={self.prints!r}")

    def record_param(self, entity: str | None = None) -> str | None:
        """The parameter naming a record of ``entity`` (default: the one the report prints)."""
        entity = entity or self.prints
        return next((name for name, field in self.params_schema._declared_fields.items()
                     if field.metadata.get("record") == entity), None)


class ReportRegistry:
    """Reports by key; a duplicate key is refused (two modules cannot share a report key)."""

    def __init__(self) -> None:
        self._by_key: dict[str, Report] = {}

    def add(self, report: Report) -> None:
        if report.key in self._by_key:
            other = self._by_key[report.key]
            raise ValueError(
                f"报表标识 {report.key!r} 重复：模块 {other.module!r} 与 {report.module!r}"
            )
        self._by_key[report.key] = report

    def get(self, key: str) -> Report | None:
        return self._by_key.get(key)

    def __iter__(self) -> Iterator[Report]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def keys(self):
        return self._by_key.keys()
