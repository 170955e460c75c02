"""The attachment service, installed through the module hooks: the record page's 附件 panel,
its routes and REST API, its settings (docs/attachments.md)."""

from __future__ import annotations

from core.attachments import models  # noqa: F401  (its tables join the metadata at start-up)
from core.contract import ViewSpec
from core.hookspecs import hookimpl


@hookimpl
def register_views():
    from core.attachments.views import AttachmentApi, AttachmentView

    return [ViewSpec(AttachmentView, "AttachmentView", menu=False),
            ViewSpec(AttachmentApi, "AttachmentApi", menu=False)]


@hookimpl
def init_app(app, state):
    from core.attachments.settings import install_settings
    from core.attachments.views import panel

    install_settings(app)
    app.jinja_env.globals["attachment_panel"] = panel
