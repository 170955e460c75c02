"""URL rules that compile their URL builder when a URL is first built, not when added.

Werkzeug compiles two Python functions per rule as the rule is added (an AST built, walked and
compiled: ``Rule._compile_builder``). With every module's views and APIs the app has ~1,800
rules, and compiling their builders was about a quarter of ``create_app``; a process builds
URLs for a few dozen endpoints. Matching requests does not use the builders at all.
"""

from __future__ import annotations

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """A :class:`~werkzeug.routing.Rule` whose builders are compiled by their first call."""

    def _compile_builder(self, append_unknown: bool = True):
        attribute = "_build_unknown" if append_unknown else "_build"
        compile_builder = super()._compile_builder

        def build(rule, **values):
            compiled = compile_builder(append_unknown).__get__(rule, None)
            setattr(rule, attribute, compiled)  # the next call goes straight to it
            return compiled(**values)

        return build


def install_lazy_rules(app) -> None:
    """Make the rules added from now on :class:`LazyBuilderRule` s (before the views are added)."""
    if app.url_rule_class is Rule and hasattr(Rule, "_compile_builder"):
        app.url_rule_class = LazyBuilderRule
