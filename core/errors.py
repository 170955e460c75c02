"""Refusals the core raises at flush; each carries a Chinese message for the user."""

from __future__ import annotations


class WriteRefused(Exception):
    """A write the core refused; ``status`` is the HTTP answer for APIs."""

    status = 422

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


class EditConflict(WriteRefused):
    """Someone saved the record after this user loaded it (or the version sent is not the
    current one). An API answers 409 with the message and the record as it now is."""

    status = 409


class ScopeViolation(WriteRefused):
    """A write would touch a row outside the writer's scope."""

    status = 403


def conflict_message() -> str:
    """The message of a stale edit (someone saved the record after it was loaded)."""
    from flask_babel import gettext as _

    return _("该记录已被他人修改，您的修改未保存。请刷新后在最新内容上重新编辑。")
