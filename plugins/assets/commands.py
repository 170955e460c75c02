"""``jiguan assets …``: the module's periodic checks, one group for every area's command
(a daily cron line each; docs/assets.md). The areas add their commands to this group."""

from __future__ import annotations

import click


@click.group("assets", help="资产管理：定期检查")
def assets_group():
    pass
