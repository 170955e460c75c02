"""``jiguan worker`` (a Celery worker for the jobs) and ``jiguan jobs purge|list``."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("-c", "--concurrency", type=int, default=None,
              help="并发执行的任务数（默认：CPU 核数；solo 为 1）")
@click.option("-P", "--pool", type=click.Choice(["prefork", "solo", "threads"]), default="prefork",
              show_default=True, help="Celery 执行池")
@click.option("-Q", "--queue", default=None, help="读取的队列（默认 JOBS_QUEUE）")
@click.option("-l", "--loglevel", default="INFO", show_default=True)
@with_appcontext
def worker_command(concurrency, pool, queue, loglevel):
    """启动后台任务执行进程（Celery worker，Redis 为消息队列）。"""
    from core.jobs.worker import use_flask_app

    app = current_app._get_current_object()
    if app.config.get("JOBS_BACKEND") != "celery":
        click.echo("注意：本节点 JOBS_BACKEND 不是 celery；网页端须设置 JIGUAN_JOBS_BACKEND=celery，"
                   "任务才会送到此执行进程。", err=True)
    celery_app = use_flask_app(app)
    argv = ["worker", f"--loglevel={loglevel}", f"--pool={pool}",
            f"--queues={queue or app.config.get('JOBS_QUEUE', 'jiguan')}",
            f"--hostname=jiguan-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    celery_app.worker_main(argv)


@click.group("jobs")
def jobs_group():
    """后台任务。"""


@jobs_group.command("purge")
@click.option("--days", type=float, default=None, help="保留天数（默认 JOBS_KEEP_DAYS）")
@click.option("--stale-hours", type=float, default=None,
              help="排队或运行超过此小时数的任务记为失败（默认 JOBS_STALE_HOURS）")
@with_appcontext
def jobs_purge(days, stale_hours):
    """删除过期的已结束任务及其结果文件；终止长时间未完成的任务。"""
    from core.jobs import purge

    deleted, stale = purge(keep_days=days, stale_hours=stale_hours)
    click.echo(f"已删除 {deleted} 个过期任务，终止 {stale} 个长时间未完成的任务。")


@jobs_group.command("list")
@click.option("--limit", type=int, default=20, show_default=True)
@with_appcontext
def jobs_list(limit):
    """列出最近的任务。"""
    from sqlalchemy import select

    from core.extensions import db
    from core.jobs.models import Job

    for job in db.session.execute(select(Job).order_by(Job.id.desc()).limit(limit)).scalars():
        click.echo(f"{job.id}\t{job.kind}\t{job.status}\t{job.progress}%\t{job.username}\t"
                   f"{job.created_at:%Y-%m-%d %H:%M:%S}\t{job.message or job.result_filename or ''}")


JOB_COMMANDS = [worker_command, jobs_group]
