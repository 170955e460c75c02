"""The home page (工作台), the notifications page and ``/api/v1/notifications/``."""

from __future__ import annotations

import datetime as dt
import json

from flask import current_app, flash, g, has_request_context, redirect, request, url_for
from flask_appbuilder import BaseView, IndexView, expose, has_access
from flask_appbuilder.api import BaseApi, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, func, select, update

from core.display.paging import page_of
from core.extensions import db
from core.fab.prepared import prepared
from core.home import todos
from core.home.items import DashboardCard, DashboardChart, DashboardList, OverdueSource
from core.home.models import KINDS, Notification
from core.home.records import record_url
from core.scoping import current_scope
from core.versioning import utcnow

BEIJING = dt.timezone(dt.timedelta(hours=8))
PAGE_SIZE = 50


def beijing(at: dt.datetime | dt.date | None) -> str:
    """A stored UTC time as Beijing time to the minute (a date as it is)."""
    if at is None:
        return ""
    if not isinstance(at, dt.datetime):
        return at.isoformat()
    return at.replace(tzinfo=dt.UTC).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def dashboard_items() -> list[tuple[str | None, object]]:
    return current_app.extensions.get("jiguan_home_items", [])


def _visible(modules: set[str], kind: type) -> list:
    return [item for module, item in dashboard_items()
            if isinstance(item, kind) and (module is None or module in modules)]


#: The bell's count, drawn on every page: built once, run on the request's connection (as a
#: statement of columns it needs nothing of the ORM's loading; docs/performance.md).
_UNREAD = prepared(select(func.count()).select_from(Notification.__table__).where(
    Notification.__table__.c.user_id == bindparam("user_id"), Notification.__table__.c.read_at.is_(None)),
    "jiguan_unread_count")


def remember_unread(user_id: int, count: int) -> None:
    """The bell's count, read with other facts of the page (core/web/list_facts.py): the next
    ``unread_count`` of this request and user takes it instead of counting again."""
    g.jiguan_unread = (user_id, count)


def unread_count(user_id: int | None) -> int:
    if user_id is None:
        return 0
    known = g.pop("jiguan_unread", None) if has_request_context() else None
    if known is not None and known[0] == user_id:
        return known[1]
    session = db.session()
    if session.autoflush:
        session.flush()  # what the ORM's execution does first: a notification added, then drawn
    return session.connection().execute(_UNREAD, {"user_id": user_id}).scalar_one()


def _chart_json(chart: DashboardChart, scope) -> str:
    data = chart.data(scope)
    return json.dumps({"kind": chart.kind, "title": str(chart.label), "categories": data.categories,
                       "series": [{"name": name, "values": values} for name, values in data.series],
                       "unit": data.unit, "target": data.target, "target_label": data.target_label},
                      ensure_ascii=False)


def _list_json(item: DashboardList) -> dict:
    """A :class:`DashboardList` for the template: its first ``limit`` entries for the user."""
    entries = item.items(current_user)
    return {"key": item.key, "label": str(item.label), "count": len(entries),
            "entries": [{"text": text, "url": url, "day": day.isoformat() if day else ""}
                        for text, url, day in entries[:item.limit]]}


class HomeView(IndexView):
    """工作台: what awaits the user, its number cards and its modules' charts."""

    index_template = "core/index.html"

    @expose("/")
    def index(self):
        from core.activation import modules_for_current_user
        from core.state import get_state

        if not current_user.is_authenticated:
            return self.render_template(self.index_template, home=None)
        state = get_state()
        scope = current_scope()
        modules = modules_for_current_user()
        awaiting = todos.awaiting_decision(scope, modules)
        decided = todos.my_decided_submissions(scope, modules)
        drafts = todos.drafts_to_submit(scope, modules)
        finding_count, findings = todos.open_findings(scope)
        today = dt.datetime.now(BEIJING).date()
        overdue = todos.overdue(scope, _visible(modules, OverdueSource), today)
        cards = [
            {"key": "awaiting", "label": _("待我审批"), "count": len(awaiting), "url": "#todo-awaiting"},
            {"key": "decided", "label": _("我的申请有结果"), "count": len(decided), "url": "#todo-decided"},
            {"key": "drafts", "label": _("待我提交"), "count": len(drafts), "url": "#todo-drafts"},
            {"key": "findings", "label": _("待处理问题"), "count": finding_count, "url": "#todo-findings"},
            {"key": "overdue", "label": _("逾期事项"), "count": len(overdue), "url": "#todo-overdue"},
            {"key": "unread", "label": _("未读通知"), "count": unread_count(scope.user_id),
             "url": url_for("NotificationView.index")},
        ]
        for card in _visible(modules, DashboardCard):
            cards.append({"key": card.key, "label": str(card.label), "count": card.count(scope),
                          "url": url_for(card.endpoint, **dict(card.args)) if card.endpoint else None})
        charts = [{"key": c.key, "label": str(c.label), "json": _chart_json(c, scope)}
                  for c in _visible(modules, DashboardChart)]
        lists = [_list_json(item) for item in _visible(modules, DashboardList)]
        home = {"cards": cards, "lists": lists, "awaiting": awaiting[:todos.SHOWN],
                "decided": decided[:todos.SHOWN],
                "drafts": drafts[:todos.SHOWN],
                "findings": findings, "overdue": overdue[:todos.SHOWN], "charts": charts,
                "modules": [m for k, m in state.modules.items() if k in modules]}
        return self.render_template(self.index_template, home=home, scope=scope, when=beijing)


def notification_json(note: Notification) -> dict:
    return {"id": note.id, "kind": note.kind, "kind_label": str(KINDS.get(note.kind, note.kind)),
            "message": note.message, "entity": note.entity, "entity_id": note.entity_id,
            "url": record_url(note.entity, note.entity_id), "created_at": beijing(note.created_at),
            "read": note.read_at is not None}


def _mine():
    return select(Notification).where(Notification.user_id == current_scope().user_id)


def _mark_read(note_id: int | None = None) -> int:
    """Mark the user's notification ``note_id`` (all unread ones: None) read; how many changed."""
    query = update(Notification).where(Notification.user_id == current_scope().user_id,
                                       Notification.read_at.is_(None))
    if note_id is not None:
        query = query.where(Notification.id == note_id)
    changed = db.session.execute(query.values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed


class NotificationView(BaseView):
    """通知: the user's own notifications, newest first; mark one or all read."""

    route_base = "/notifications"
    default_view = "index"
    access = "everyone"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        unread_only = request.args.get("unread") == "1"
        query = _mine()
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        page = page_of(db.session, query, Notification.id.desc(), request.args.get("page", 1, type=int),
                       PAGE_SIZE)
        return self.render_template("core/notifications.html", notes=page.rows, kinds=KINDS,
                                    url_of=record_url, when=beijing, page=page, unread_only=unread_only)

    @expose("/<int:pk>/read", methods=["POST"])
    @has_access
    @permission_name("list")
    def read(self, pk):
        note = db.session.execute(_mine().where(Notification.id == pk)).scalar_one_or_none()
        if note is None:
            flash(_("找不到该通知"), "danger")
            return redirect(url_for(".index"))
        _mark_read(pk)
        target = record_url(note.entity, note.entity_id)
        return redirect(target if request.form.get("open") and target else url_for(".index"))

    @expose("/read-all", methods=["POST"])
    @has_access
    @permission_name("list")
    def read_all(self):
        changed = _mark_read()
        flash(_("已将 %(n)s 条通知标为已读", n=changed), "success")
        return redirect(url_for(".index"))


class NotificationApi(BaseApi):
    """``GET /api/v1/notifications/`` (mine; ``?unread=1``), ``POST …/<id>/read``, ``POST …/read-all``."""

    resource_name = "notifications"
    access = "everyone"
    allow_browser_login = True
    openapi_spec_tag = "Notifications"
    openapi_summaries = {
        "list_notifications": _l("我的通知（最新在前；?unread=1 只列未读）"),
        "read_notification": _l("将一条通知标为已读"),
        "read_all": _l("将全部通知标为已读"),
    }

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def list_notifications(self):
        """The user's notifications, newest first, with the unread count."""
        query = _mine()
        if request.args.get("unread") == "1":
            query = query.where(Notification.read_at.is_(None))
        notes = db.session.execute(query.order_by(Notification.id.desc()).limit(PAGE_SIZE)).scalars()
        return self.response(200, result=[notification_json(n) for n in notes],
                             unread=unread_count(current_scope().user_id))

    @expose("/<int:pk>/read", methods=["POST"])
    @protect()
    @safe
    @permission_name("get")
    def read_notification(self, pk):
        """Mark one of the user's notifications read."""
        exists = db.session.execute(_mine().where(Notification.id == pk)).scalar_one_or_none()
        if exists is None:
            return self.response_404()
        _mark_read(pk)
        return self.response(200, unread=unread_count(current_scope().user_id))

    @expose("/read-all", methods=["POST"])
    @protect()
    @safe
    @permission_name("get")
    def read_all(self):
        """Mark all the user's notifications read."""
        changed = _mark_read()
        return self.response(200, changed=changed, unread=0)
