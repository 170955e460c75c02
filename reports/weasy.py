"""WeasyPrint, imported with its native libraries looked up in the dynamic linker's cache once.

WeasyPrint opens Pango, HarfBuzz, fontconfig … (``weasyprint/text/ffi.py``) trying several
names for each, Windows' and macOS' among them; cffi looks each bare name up with
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and, for a name it does not
find there, ``gcc`` and then ``ld``: ~22 look-ups and ~54 processes, ~0.2 s of CPU and
0.5-0.8 s of wall time at every process's first report. :func:`load` answers those look-ups
from one ``ldconfig -p`` read with ctypes' own pattern, which is the answer ctypes finds first
for every name the cache holds; should WeasyPrint not load so (a library only gcc or ld would
find), it is imported again the ordinary way.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import struct
import subprocess
import sys
import threading
from types import ModuleType

_lock = threading.Lock()
LDCONFIG = "/sbin/ldconfig"
#: ctypes' ABI names (``ctypes.util._findSoname_ldconfig``)
_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


def _linker_cache() -> bytes | None:
    try:
        return subprocess.run([LDCONFIG, "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"},
                              check=False).stdout
    except OSError:
        return None


def cached_finder(listing: bytes):
    """``find_library`` answering from ``ldconfig -p``'s ``listing`` as ctypes' first step does."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = _ABI.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        found = re.search(os.fsencode(r"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name), abi)), listing)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


def _forget_weasyprint() -> None:
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        del sys.modules[name]


def load() -> ModuleType:
    """The ``weasyprint`` module (imported by the first call in the process)."""
    found = sys.modules.get("weasyprint")
    if found is not None:
        return found
    with _lock:
        if "weasyprint" in sys.modules:
            return sys.modules["weasyprint"]
        listing = _linker_cache() if sys.platform.startswith("linux") else None
        if listing:
            original = ctypes.util.find_library
            ctypes.util.find_library = cached_finder(listing)
            try:
                import weasyprint

                return weasyprint
            except (OSError, ImportError):
                _forget_weasyprint()  # a library the cache lacks: the ordinary way below
            finally:
                ctypes.util.find_library = original
        import weasyprint

        return weasyprint
