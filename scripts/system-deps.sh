#!/usr/bin/env bash
# Debian packages jiguan needs beyond Python: installed only when missing.
set -euo pipefail
# fonts: Chinese and Uyghur in PDFs and pages; libharfbuzz-subset0: WeasyPrint subsets fonts with
# HarfBuzz instead of slow fontTools (~2.5 s per face per PDF); poppler-utils: tests read PDFs back;
# chromium + chromium-driver: tests/e2e; wrk: the load tool of benchmarks/throughput_benchmark.py
packages=(fonts-noto-cjk fonts-ukij-uyghur libharfbuzz-subset0 poppler-utils chromium chromium-driver wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "需要安装系统软件包：${missing[*]}（请以 root 运行 apt-get install）" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
