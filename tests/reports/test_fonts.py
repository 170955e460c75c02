"""No PDF without a font for each script of its text (issue 16, item 5; docs/reports.md, "Fonts").

A machine without the CJK font printed Chinese as empty boxes and said nothing. The engine now
asks fontconfig first and refuses, in Chinese, naming the Debian package: on the page, the API,
the 打印 button, the CLI and the job. Fonts are taken away two ways: fontconfig pointed at an
empty configuration (``FONTCONFIG_FILE``) in a subprocess, the real check end to end; and the
check's seam (``reports.fonts.available``) in this process for every path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from core.config import PROJECT_ROOT
from core.extensions import db
from reports import fonts

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>{dirs}<cachedir>{cache}</cachedir></fontconfig>
"""


def fontconfig_file(tmp_path, *dirs: str) -> str:
    """A fontconfig configuration that knows only the fonts under ``dirs`` (none by default)."""
    path = tmp_path / "fonts.conf"
    path.write_text(EMPTY_FONTCONFIG.format(dirs="".join(f"<dir>{d}</dir>" for d in dirs),
                                            cache=tmp_path / "fc-cache"))
    return str(path)


def child_env(tmp_path, **extra) -> dict:
    return {**os.environ, "FONTCONFIG_FILE": fontconfig_file(tmp_path), **extra}


def first_disposal(app) -> int:
    from plugins.assets.disposal.models import Disposal

    with app.app_context():
        return db.session.execute(select(Disposal.id).order_by(Disposal.id)).scalars().first()


@pytest.fixture
def without(monkeypatch):
    """``without("han", …)``: this process sees no font for those scripts (the check's seam)."""
    def _without(*scripts):
        monkeypatch.setattr(fonts, "available", lambda: frozenset(set(fonts.SCRIPTS) - set(scripts)))

    return _without


def test_fontconfig_without_fonts_has_no_script_and_the_real_machine_has_all(tmp_path):
    """The real check (libfontconfig through ctypes) honours FONTCONFIG_FILE: empty → nothing."""
    code = "from reports import fonts; print(sorted(fonts.available()))"
    empty = subprocess.run([sys.executable, "-c", code], env=child_env(tmp_path), cwd=PROJECT_ROOT,
                           capture_output=True, text=True, check=True)
    assert empty.stdout.strip() == "[]", empty.stderr
    assert fonts.available() == set(fonts.SCRIPTS), "this machine lacks a font: run scripts/system-deps.sh"


def test_the_scripts_of_a_text_are_read_without_its_markup():
    assert fonts.scripts_in("<p style='font-family: Noto'>资产</p>", markup=True) == {"han"}
    assert fonts.scripts_in("<style>body { color: red }</style><h2 lang=ug>يەر</h2>", markup=True) \
        == {"arabic"}
    assert fonts.scripts_in("Asset ledger 2026") == {"latin"}


def test_the_cli_refuses_without_fonts_end_to_end(app, tmp_path):
    """`jiguan report render` under an empty fontconfig: non-zero, the Chinese message, no file."""
    out = tmp_path / "out.pdf"
    env = child_env(tmp_path, JIGUAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                    JIGUAN_INSTANCE_PATH=str(tmp_path / "instance"), PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "jiguan"), "report", "render",
                             "organization_directory", "--as", "urumqi_bureau", "-o", str(out)],
                            env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0, result.stdout
    assert "无法生成 PDF" in result.stderr and "汉字" in result.stderr, result.stderr
    assert "fonts-noto-cjk" in result.stderr
    assert not out.exists()


def test_the_cli_names_the_uyghur_package_only_for_a_report_with_uyghur(app, tmp_path, without):
    without("arabic")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["report", "render", "land_registration", "--as", "urumqi_bureau",
                                  "-o", str(tmp_path / "land.pdf")])
    assert refused.exit_code != 0
    assert "维吾尔文" in refused.output and "fonts-ukij-uyghur" in refused.output
    assert "fonts-noto-cjk" not in refused.output
    assert not (tmp_path / "land.pdf").exists()
    # the 资产处置审批表 has no Uyghur text: it renders
    done = runner.invoke(args=["report", "render", "assets_disposal_form", "--as", "urumqi_bureau",
                               "--param", f"disposal_id={first_disposal(app)}",
                               "-o", str(tmp_path / "d.pdf")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")


def test_the_page_the_api_and_the_print_button_show_the_message(app, login, without):
    without("han")
    browser = login("urumqi_bureau")
    page = browser.post("/reports/organization_directory/render", data={"action": "pdf"})
    html = page.get_data(as_text=True)
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "report-error" in html and "无法生成 PDF" in html and "fonts-noto-cjk" in html
    api = browser.api("POST", "/api/v1/reports/organization_directory/render", json={"params": {}})
    assert api.status_code == 503 and "fonts-noto-cjk" in api.get_json()["message"]
    # the preview is the browser's HTML, drawn with the viewer's own fonts: still served
    preview = browser.post("/reports/organization_directory/render", data={"action": "preview"})
    assert preview.status_code == 200
    printed = browser.get(f"/reports/assets_disposal_form/print?disposal_id={first_disposal(app)}")
    assert printed.status_code == 503 and "fonts-noto-cjk" in printed.get_data(as_text=True)


def test_a_ledger_drawn_without_weasyprint_is_refused_too(app, login, without):
    """资产台账 draws its own PDF (reports/ledger_direct.py): its Uyghur subtitle needs the font."""
    without("arabic")
    response = login("urumqi_bureau").api("POST", "/api/v1/reports/asset_ledger/render", json={"params": {}})
    assert response.status_code == 503, response.get_data(as_text=True)
    assert "fonts-ukij-uyghur" in response.get_json()["message"]


def test_the_job_fails_with_the_message(app, login, without):
    without("han")
    clerk = login("tianshan_clerk")
    submitted = clerk.api("POST", "/api/v1/jobs/", json={
        "kind": "report.render", "params": {"key": "organization_directory", "params": {}}})
    assert submitted.status_code == 201, submitted.get_data(as_text=True)
    job_id = submitted.get_json()["result"]["id"]
    deadline = time.monotonic() + 60
    while True:
        job = clerk.get(f"/api/v1/jobs/{job_id}").get_json()["result"]
        if job["status"] in ("done", "failed"):
            break
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    assert job["status"] == "failed" and "fonts-noto-cjk" in job["message"], job
