"""Optional e-mail of each notification over the intranet's SMTP server (off by default).

Settings (docs/home.md): ``NOTIFY_MAIL_ENABLED`` (False), ``NOTIFY_MAIL_HOST``,
``NOTIFY_MAIL_PORT`` (25), ``NOTIFY_MAIL_SENDER``, ``NOTIFY_MAIL_STARTTLS`` (False),
``NOTIFY_MAIL_USERNAME`` / ``NOTIFY_MAIL_PASSWORD`` (none). A mail is queued with its
notification and sent only once the transaction commits: a refused step mails nobody, and a
server that is down never undoes the step (the failure is logged).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.home.models import KINDS

log = logging.getLogger(__name__)
QUEUE = "jiguan_notify_mail"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def mail_settings() -> dict | None:
    """The SMTP settings, or None when mail is off (the default) or has no server."""
    config = current_app.config
    if not config.get("NOTIFY_MAIL_ENABLED") or not config.get("NOTIFY_MAIL_HOST"):
        return None
    return {
        "host": config["NOTIFY_MAIL_HOST"], "port": int(config.get("NOTIFY_MAIL_PORT", 25)),
        "sender": config.get("NOTIFY_MAIL_SENDER") or "jiguan@localhost",
        "starttls": bool(config.get("NOTIFY_MAIL_STARTTLS")),
        "username": config.get("NOTIFY_MAIL_USERNAME"), "password": config.get("NOTIFY_MAIL_PASSWORD"),
        "timeout": float(config.get("NOTIFY_MAIL_TIMEOUT", 10)),
    }


def queue_mail(session, user, kind: str, message: str) -> None:
    """Queue the notification's mail to ``user`` (if mail is on and the user has an address)."""
    if not has_app_context() or mail_settings() is None or not getattr(user, "email", None):
        return
    when = dt.datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M")
    subject = _("【机关事务管理平台】%(kind)s：%(message)s", kind=KINDS[kind], message=message)
    body = _("%(name)s：\n\n%(message)s\n\n时间：%(when)s（北京时间）\n请登录机关事务管理平台处理。",
             name=user.get_full_name() or user.username, message=message, when=when)
    session.info.setdefault(QUEUE, []).append((user.email, subject[:180], body))


def send(settings: dict, mails: list[tuple[str, str, str]]) -> None:
    with smtplib.SMTP(settings["host"], settings["port"], timeout=settings["timeout"]) as smtp:
        if settings["starttls"]:
            smtp.starttls()
        if settings["username"]:
            smtp.login(settings["username"], settings["password"] or "")
        for to, subject, body in mails:
            mail = EmailMessage()
            mail["From"] = formataddr((_("机关事务管理平台"), settings["sender"]))
            mail["To"] = to
            mail["Subject"] = subject
            mail.set_content(body)
            smtp.send_message(mail)


@event.listens_for(Session, "after_commit")
def _send_queued(session):
    mails = session.info.pop(QUEUE, None)
    if not mails or not has_app_context():
        return
    settings = mail_settings()
    if settings is None:
        return
    try:
        send(settings, mails)
    except (OSError, smtplib.SMTPException):
        log.exception("通知邮件发送失败（%s 封）", len(mails))


@event.listens_for(Session, "after_rollback")
def _drop_queued(session):
    session.info.pop(QUEUE, None)
