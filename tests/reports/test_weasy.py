"""WeasyPrint's native libraries found from one ``ldconfig -p`` read (reports/weasy.py)."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from reports import weasy

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig is Linux's")


def test_the_cached_look_up_answers_as_ctypes_for_what_the_cache_holds():
    listing = weasy._linker_cache()
    assert listing
    find = weasy.cached_finder(listing)
    for name in ("c", "m", "gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig",
                 "pangoft2-1.0"):
        assert find(name) == ctypes.util.find_library(name), name
    assert find("gobject-2.0-0") is None and find("libharfbuzz-vector-0.dll") is None


def _load_in_a_child(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_weasyprint_loads_its_libraries_without_gcc_or_ld_and_renders():
    out = _load_in_a_child(
        "import ctypes.util, subprocess\n"
        "spawned = []\n"
        "original = subprocess.Popen.__init__\n"
        "def popen(self, args, *a, **k):\n"
        "    spawned.append(args[0] if isinstance(args, list) else args)\n"
        "    original(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = popen\n"
        "from reports.weasy import load\n"
        "w = load()\n"
        "assert w.HTML(string='<p>机构名录</p>').write_pdf().startswith(b'%PDF')\n"
        "assert ctypes.util.find_library.__module__ == 'ctypes.util'\n"
        "print(sorted(set(map(str, spawned))))\n")
    assert out.strip() == "['/sbin/ldconfig']"  # one read of the cache, no gcc, no ld


def test_a_library_the_cache_lacks_is_found_the_ordinary_way():
    out = _load_in_a_child(
        "from reports import weasy\n"
        "weasy._linker_cache = lambda: b'nothing here'\n"
        "w = weasy.load()\n"
        "assert w.HTML(string='<p>x</p>').write_pdf().startswith(b'%PDF')\n"
        "print('ok')\n")
    assert out.strip().endswith("ok")
