#!/usr/bin/env bash
# The Debian packages jiguan needs beyond Python, for one use:
#   system-deps.sh demo   fonts for the PDF reports (what `make demo` needs)
#   system-deps.sh test   + poppler (tests read PDFs back) + Chromium (browser tests): `make test`
#   system-deps.sh [all]  + wrk (benchmarks/throughput_benchmark.py): `make system-deps`, .ci/run
# A check first, by what each package gives (a font for the script, a program), in well under a
# second: nothing else runs when all is there. What is missing is installed with apt-get as root
# or through passwordless sudo; otherwise the script stops, exit 1, printing the one command to run.
# JIGUAN_SKIP_BROWSER_TESTS=1 leaves Chromium out of `test` (make test then skips the browser
# tests, saying so); JIGUAN_CHROMIUM / JIGUAN_CHROMEDRIVER name other binaries, as in tests/e2e.
set -euo pipefail
use="${1:-all}"
case "$use" in demo | test | all) ;; *) echo "usage: $0 [demo|test|all]" >&2; exit 2 ;; esac
script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

# fonts: Chinese and Uyghur in PDFs and pages; fontconfig: fc-list / fc-match, the check below and
# the ledger's font metrics; libharfbuzz-subset0: WeasyPrint subsets fonts with HarfBuzz instead of
# slow fontTools (~2.5 s per face per PDF); poppler-utils: tests read PDFs back; chromium +
# chromium-driver: tests/e2e; wrk: the load tool of the throughput benchmark.
packages=(fontconfig fonts-noto-cjk fonts-ukij-uyghur libharfbuzz-subset0)
if [ "$use" != demo ]; then
  packages+=(poppler-utils)
  skip_browser="${JIGUAN_SKIP_BROWSER_TESTS:-0}"
  if [ "$use" = all ] || [ -z "$skip_browser" ] || [ "$skip_browser" = 0 ]; then
    packages+=(chromium chromium-driver)
  fi
fi
[ "$use" = all ] && packages+=(wrk)

has_font() { command -v fc-list >/dev/null && [ -n "$(fc-list ":lang=$1" family 2>/dev/null)" ]; }
present() {
  case "$1" in
    fontconfig) command -v fc-list >/dev/null ;;
    fonts-noto-cjk) has_font zh-cn ;;
    # the reports name UKIJ Tuz Tom first (reports/fonts.py); DejaVu also claims Uyghur
    fonts-ukij-uyghur) command -v fc-list >/dev/null && [ -n "$(fc-list : family | grep -i '^UKIJ')" ] ;;
    libharfbuzz-subset0) [ -n "$(/sbin/ldconfig -p 2>/dev/null | grep 'libharfbuzz-subset\.so')" ] ;;
    poppler-utils) command -v pdftotext >/dev/null && command -v pdffonts >/dev/null ;;
    chromium) [ -x "${JIGUAN_CHROMIUM:-/usr/bin/chromium}" ] ;;
    chromium-driver) [ -x "${JIGUAN_CHROMEDRIVER:-/usr/bin/chromedriver}" ] ;;
    wrk) command -v wrk >/dev/null ;;
  esac
}
missing_now() {
  missing=()
  for p in "${packages[@]}"; do present "$p" || missing+=("$p"); done
}

missing_now
[ ${#missing[@]} -eq 0 ] && exit 0

echo "缺少系统软件包：${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  if command -v sudo >/dev/null; then run="sudo bash $script $use"; else run="su -c 'bash $script $use'"; fi
  echo "请以 root 安装后重试：" >&2
  echo "    $run" >&2
  [ "$use" = test ] && echo "（不跑浏览器测试：JIGUAN_SKIP_BROWSER_TESTS=1 make test）" >&2
  exit 1
fi
echo "正在安装：apt-get install ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
missing_now
if [ ${#missing[@]} -ne 0 ]; then
  echo "安装后仍缺少：${missing[*]}（JIGUAN_CHROMIUM / JIGUAN_CHROMEDRIVER 指向的文件？）" >&2
  exit 1
fi
