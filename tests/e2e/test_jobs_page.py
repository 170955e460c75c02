"""我的任务 in a real browser: the job page's progress follows the job and the download appears."""

from __future__ import annotations

import pytest

from tests.core import jobkinds


@pytest.fixture
def job_kinds(live_app, tmp_path):
    jobkinds.register()
    saved = live_app.config.get("JOBS_DIR")
    live_app.config["JOBS_DIR"] = str(tmp_path / "jobs")
    jobkinds.GATE.clear()
    yield
    jobkinds.GATE.set()
    live_app.config["JOBS_DIR"] = saved
    jobkinds.unregister()


def test_the_job_page_shows_progress_then_the_download(job_kinds, live_app, login_as, tmp_path):
    from core.jobs import submit
    from tests.core.helpers import user

    page = login_as("tianshan_clerk")
    assert "我的任务" in page.menu()  # a top-level entry for every role
    with live_app.app_context():
        job_id = submit("test.gated", user=user(live_app, "tianshan_clerk")).id
    page.open(f"/jobs/{job_id}")
    page.wait(lambda d: page.text("#job-progress") == "30%", "the bar never showed 30 %")
    assert page.text("#job-status") == "运行中"
    page.screenshot(tmp_path / "job-running.png")
    jobkinds.GATE.set()  # the job finishes; the page polls, sees it and reloads
    link = page.wait_visible("#job-download")
    assert "gated.bin" in link.text and page.text("#job-status") == "已完成"
    assert page.text("#job-progress") == "100%"
    page.open("/jobs/")
    assert f"/jobs/{job_id}" in page.find(f'tr[data-job="{job_id}"] a').get_attribute("href")
    page.screenshot(tmp_path / "jobs-list.png")
