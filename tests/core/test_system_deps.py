"""scripts/system-deps.sh, the check `make demo` and `make test` run first (issue 16, item 5).

On a fresh machine the demo's PDFs had no CJK font and `make test` skipped the browser tests,
both silently. Now each command checks its system packages in a moment and installs what is
missing as root or through passwordless sudo, or stops printing the one command to run. The
machine is simulated by commands put first on PATH: ``fc-list`` (which fonts), ``id`` (root or
not), ``sudo`` and ``apt-get`` (recording what would be installed); nothing is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from core.config import PROJECT_ROOT

SCRIPT = os.path.join(PROJECT_ROOT, "scripts", "system-deps.sh")
BASH = shutil.which("bash")


def stub(folder, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/bash\n" + body + "\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """``machine(uid=…, sudo=…)`` → run(use, **env): the script on a machine without fonts.

    ``apt-get install`` "installs" by leaving a file that makes ``fc-list`` list fonts."""
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    state.mkdir()
    # after "installing": a CJK family and the UKIJ family (the script looks for UKIJ by name)
    stub(bin_dir, "fc-list",
         f'[ -f {state}/installed ] && printf "Noto Sans CJK SC\\nUKIJ Tuz Tom\\n"; exit 0')
    stub(bin_dir, "apt-get", f'echo "$@" >> {state}/apt; '
                             f'[ "$1" = install ] && touch {state}/installed; exit 0')
    chromium = tmp_path / "chromium"
    stub(tmp_path, "chromium", "")

    def _machine(uid: int = 1000, sudo: str | None = None, path: str = "/usr/bin:/bin"):
        stub(bin_dir, "id", f"echo {uid}")
        if sudo == "passwordless":
            stub(bin_dir, "sudo", '[ "$1" = -n ] && shift; exec "$@"')
        elif sudo == "password":
            stub(bin_dir, "sudo", "exit 1")  # sudo -n: a password would be needed

        def run(use: str, **env):
            environ = {k: v for k, v in os.environ.items() if k != "JIGUAN_SKIP_BROWSER_TESTS"}
            environ.update({"PATH": f"{bin_dir}:{path}", "JIGUAN_CHROMIUM": str(chromium),
                            "JIGUAN_CHROMEDRIVER": str(chromium), **env})
            result = subprocess.run([BASH, SCRIPT, use], env=environ, capture_output=True, text=True,
                                    timeout=60)
            apt = (state / "apt").read_text() if (state / "apt").exists() else ""
            return result, apt

        return run

    return _machine


def test_without_root_it_stops_printing_the_one_command(machine):
    result, apt = machine(uid=1000, sudo="password")("demo")
    assert result.returncode == 1
    assert "fonts-noto-cjk" in result.stderr and "fonts-ukij-uyghur" in result.stderr
    assert f"sudo bash {SCRIPT} demo" in result.stderr
    assert apt == ""  # nothing tried


def test_without_sudo_it_prints_the_su_command(machine, tmp_path):
    """A machine without sudo at all (a fresh Debian minimal): the command is ``su -c …``."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("dirname", "basename", "grep"):
        (tools / tool).symlink_to(shutil.which(tool))
    result, apt = machine(uid=1000, path=str(tools))("demo")
    assert result.returncode == 1 and f"su -c 'bash {SCRIPT} demo'" in result.stderr, result.stderr
    assert apt == ""


def test_as_root_it_installs_what_is_missing_and_checks_again(machine):
    result, apt = machine(uid=0)("demo")
    assert result.returncode == 0, result.stderr
    assert "update" in apt and "install -y -qq fonts-noto-cjk fonts-ukij-uyghur" in apt
    assert "poppler" not in apt and "chromium" not in apt  # the demo needs only the fonts
    again, apt_again = machine(uid=0)("demo")
    assert again.returncode == 0 and apt_again == apt  # now present: no apt-get run


def test_with_passwordless_sudo_it_installs_through_sudo(machine):
    result, apt = machine(uid=1000, sudo="passwordless")("demo")
    assert result.returncode == 0, result.stderr
    assert "install -y -qq fonts-noto-cjk" in apt


def test_the_tests_need_chromium_unless_the_user_opts_out(machine, tmp_path):
    run = machine(uid=1000, sudo="password")
    gone = str(tmp_path / "no-chromium")
    result, _apt = run("test", JIGUAN_CHROMIUM=gone)
    assert result.returncode == 1 and "chromium" in result.stderr.split("\n")[0]
    assert "JIGUAN_SKIP_BROWSER_TESTS=1" in result.stderr
    opted_out, _apt = run("test", JIGUAN_CHROMIUM=gone, JIGUAN_SKIP_BROWSER_TESTS="1")
    assert "chromium" not in opted_out.stderr.split("\n")[0]
    not_really, _apt = run("test", JIGUAN_CHROMIUM=gone, JIGUAN_SKIP_BROWSER_TESTS="0")
    assert "chromium" in not_really.stderr.split("\n")[0]


def test_a_package_still_missing_after_apt_get_is_an_error(machine, tmp_path):
    result, apt = machine(uid=0)("test", JIGUAN_CHROMIUM=str(tmp_path / "elsewhere"))
    assert result.returncode == 1 and "安装后仍缺少：chromium" in result.stderr
    assert "install" in apt


def test_on_this_machine_everything_is_there_and_the_check_is_quick():
    """The real check (no stubs): what `make test` runs before each run costs well under a second."""
    started = time.monotonic()
    result = subprocess.run(["bash", SCRIPT, "test"], capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "JIGUAN_SKIP_BROWSER_TESTS"})
    assert result.returncode == 0, result.stderr + " (run scripts/system-deps.sh as root)"
    assert result.stderr == "" and time.monotonic() - started < 5
