"""The home service, installed through the module hooks: the 工作台 (core/home/views.py
``HomeView`` is FAB's index view), the notifications page, bell and API, the notification of
workflow steps (a derivation on ``WorkflowEvent``) and ``jiguan notify overdue``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.contract import ViewSpec
from core.hookspecs import hookimpl


@hookimpl
def register_views():
    from core.home.views import NotificationApi, NotificationView

    return [ViewSpec(NotificationView, "Notifications", _l("我的通知"), icon="fa-bell", menu=False,
                     position=1),
            ViewSpec(NotificationApi, "NotificationApi", menu=False, position=1)]


@hookimpl
def register_derivations():
    from core.home.notify import WORKFLOW_NOTICE

    return [WORKFLOW_NOTICE]


@hookimpl
def register_cli_commands():
    from core.home.commands import notify_group

    return [notify_group]


@hookimpl
def init_app(app, state):
    import core.home.mail  # noqa: F401  (sends the queued mails after each commit)
    from core.home.views import unread_count
    from core.plugins import collect
    from core.scoping import current_scope

    app.extensions["jiguan_home_items"] = collect(state.pm, "register_dashboard_items")

    @app.context_processor
    def bell():
        # the navbar's bell (templates/appbuilder/navbar_right.html): counted when drawn
        return {"jiguan_unread": lambda: unread_count(current_scope().user_id)}
