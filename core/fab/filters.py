"""List filters that find Chinese: 包含 first, operators in plain Chinese, choices by label.

FAB's text filters start with 以开始 ("starts with", a machine translation) and its operators
read 不以开始 / In / Not In; a code column (``status``) is a free-text box holding ``in_use``.
Here every scoped interface converts columns with :class:`ChineseFilterConverter`: the same
filters (the REST API's ``opr`` names are unchanged), named in plain Chinese, the first of a
text column — the one a list offers first — 包含. A column with labelled codes (a state, a
kind) gets :class:`ChoiceEqual` / :class:`ChoiceNotEqual`, which take a code or its label.
"""

from __future__ import annotations

from flask_appbuilder.models.sqla import filters as fab
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import bindparam, false, or_


def like_pattern(term: str, start: bool = True, end: bool = True) -> str:
    """An ILIKE pattern matching ``term`` literally (``%`` and ``_`` typed are not wildcards)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("%" if start else "") + escaped + ("%" if end else "")


def _text_filter(base, label, start, end, negate=False):
    def apply(self, query, value):
        query, field = fab.get_field_setup_query(query, self.model, self.column_name)
        matched = field.ilike(like_pattern(str(value), start, end), escape="\\")
        return query.filter(~matched if negate else matched)

    return type(base.__name__, (base,), {"name": label, "apply": apply, "__module__": __name__})


def _named(base, label):
    return type(base.__name__, (base,), {"name": label, "__module__": __name__})


FilterContains = _text_filter(fab.FilterContains, _l("包含"), True, True)
FilterNotContains = _text_filter(fab.FilterNotContains, _l("不包含"), True, True, negate=True)
FilterStartsWith = _text_filter(fab.FilterStartsWith, _l("开头是"), False, True)
FilterEndsWith = _text_filter(fab.FilterEndsWith, _l("结尾是"), True, False)
FilterNotStartsWith = _text_filter(fab.FilterNotStartsWith, _l("开头不是"), False, True, negate=True)
FilterNotEndsWith = _text_filter(fab.FilterNotEndsWith, _l("结尾不是"), True, False, negate=True)
FilterEqual = _named(fab.FilterEqual, _l("等于"))
FilterNotEqual = _named(fab.FilterNotEqual, _l("不等于"))
FilterGreater = _named(fab.FilterGreater, _l("大于"))
FilterSmaller = _named(fab.FilterSmaller, _l("小于"))
FilterIn = _named(fab.FilterIn, _l("属于其中之一"))
FilterNotIn = _named(fab.FilterNotIn, _l("不属于其中任何一个"))
FilterRelationEqual = _named(fab.FilterRelationOneToManyEqual, lazy_pgettext("筛选", "是"))
FilterRelationNotEqual = _named(fab.FilterRelationOneToManyNotEqual, lazy_pgettext("筛选", "不是"))
FilterRelationManyToMany = _named(fab.FilterRelationManyToManyEqual, _l("包括"))
FilterBefore = _named(fab.FilterSmaller, _l("早于"))
FilterAfter = _named(fab.FilterGreater, _l("晚于"))

_TEXT = [FilterContains, FilterNotContains, FilterEqual, FilterNotEqual, FilterStartsWith,
         FilterEndsWith, FilterNotStartsWith, FilterNotEndsWith, FilterIn, FilterNotIn]
_NUMBER = [FilterEqual, FilterGreater, FilterSmaller, FilterNotEqual, FilterIn, FilterNotIn]
_WHEN = [FilterEqual, FilterAfter, FilterBefore, FilterNotEqual]


class ChineseFilterConverter(fab.SQLAFilterConverter):
    """FAB's filters per column type, named in Chinese; a text column's first is 包含.

    A column the interface knows labels for (``datamodel.choice_labels``, set by the list
    screen from its select fields) gets :func:`choice_filters` instead.
    """

    def convert(self, col_name):
        if (getattr(self.datamodel, "choice_labels", None) or {}).get(col_name):
            return choice_filters(col_name, self.datamodel)
        found = super().convert(col_name)
        return FilterList(found) if found else found

    conversion_table = (
        ("is_relation_many_to_one", [FilterRelationEqual, FilterRelationNotEqual]),
        ("is_relation_one_to_one", [FilterRelationEqual, FilterRelationNotEqual]),
        ("is_relation_many_to_many", [FilterRelationManyToMany]),
        ("is_relation_one_to_many", [FilterRelationManyToMany]),
        ("is_enum", [FilterEqual, FilterNotEqual]),
        ("is_text", _TEXT),
        ("is_binary", _TEXT[:8]),
        ("is_string", _TEXT),
        ("is_integer", _NUMBER),
        ("is_float", _NUMBER),
        ("is_numeric", _NUMBER),
        ("is_date", _WHEN),
        ("is_boolean", [FilterEqual, FilterNotEqual]),
        ("is_datetime", _WHEN),
        ("is_json", _TEXT[:8]),
    )


def codes_for(term: str, choices: dict) -> list[str]:
    """The codes whose code or label is ``term`` exactly (a label typed or picked)."""
    term = str(term).strip()
    return [code for code, label in choices.items() if term in (str(code), str(label))]


def codes_containing(term: str, choices: dict) -> list[str]:
    """The codes whose label (or code) contains ``term``: typing 闲置 finds ``idle``."""
    term = str(term).strip().lower()
    if not term:
        return []
    return [code for code, label in choices.items() if term in str(label).lower() or term == str(code)]


class ChoiceEqual(fab.BaseFilter):
    """A labelled code column equals the code picked (or the label typed)."""

    name = lazy_pgettext("筛选", "是")  # the operator, not the yes of a check box
    arg_name = "choice_eq"

    @property
    def choices(self) -> dict:
        # from the interface, not the instance: FAB re-creates filters from their class
        return (getattr(self.datamodel, "choice_labels", None) or {}).get(self.column_name, {})

    def apply(self, query, value):
        query, field = fab.get_field_setup_query(query, self.model, self.column_name)
        codes = codes_for(value, self.choices)
        return query.filter(field.in_(codes) if codes else false())


class ChoiceNotEqual(ChoiceEqual):
    name = lazy_pgettext("筛选", "不是")
    arg_name = "choice_neq"

    def apply(self, query, value):
        query, field = fab.get_field_setup_query(query, self.model, self.column_name)
        codes = codes_for(value, self.choices)
        return query.filter(field.notin_(codes)) if codes else query


class FilterList(list):
    """A column's filters by operator number; a number beyond them means the column's default
    (its first): an old link's ``_flt_3_status=idle`` still finds the idle cards, never a 500."""

    def __getitem__(self, index):
        if isinstance(index, int) and not -len(self) <= index < len(self):
            return super().__getitem__(0)
        return super().__getitem__(index)


def choice_filters(column: str, datamodel) -> FilterList:
    """The filters of a labelled code column (its labels: ``datamodel.choice_labels``)."""
    return FilterList(cls(column, datamodel) for cls in (ChoiceEqual, ChoiceNotEqual))


class QuickSearch(fab.BaseFilter):
    """The list's quick search box: any of ``columns`` contains the term, or a choice column's
    label does (``choices``: column → code → label). Made per view by :func:`quick_search`.
    With ``bind`` the pattern is a parameter of that name, so the statement serves other terms
    (the global search keeps its statement, core/search/global_search.py)."""

    name = _l("快速搜索")
    columns: tuple = ()
    choices: dict = {}
    bind: str | None = None

    def apply(self, query, value):
        term = str(value).strip()
        if not term:
            return query
        pattern = like_pattern(term)
        if self.bind:
            pattern = bindparam(self.bind, pattern)
        clauses = [getattr(self.model, name).ilike(pattern, escape="\\") for name in self.columns
                   if name not in self.choices]
        for name, choices in self.choices.items():
            codes = codes_containing(term, choices)
            if codes:
                clauses.append(getattr(self.model, name).in_(codes))
        return query.filter(or_(*clauses) if clauses else false())


def quick_search(columns, choices: dict, bind: str | None = None) -> type:
    """A :class:`QuickSearch` filter class over ``columns`` (those in ``choices`` by label)."""
    return type("QuickSearch", (QuickSearch,), {"columns": tuple(columns), "choices": dict(choices),
                                                "bind": bind})
