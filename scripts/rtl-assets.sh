#!/usr/bin/env bash
# Regenerate the committed right-to-left assets of the Uyghur interface (docs/i18n.md, "ug").
#
#   scripts/rtl-assets.sh      (or: make rtl-assets)
#
# 1. core/static/vendor/bootstrap-rtl/bootstrap.rtl.min.css: FAB's own Bootstrap 3 stylesheet
#    mirrored by rtlcss (the maintained npm tool; installed into a temporary folder, never into
#    the project), so RTL pages keep exactly FAB's Bootstrap version.
# 2. core/static/vendor/fonts/NotoSansArabic-*.woff2: Noto Sans Arabic (OFL-1.1, Debian's
#    fonts-noto-core) cut down to the Arabic-script blocks Uyghur uses, served by our own static
#    files so a page in ug needs nothing from outside.
# Needs: node/npm (the npm registry), fonts-noto-core, fontTools + brotli in the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
RTLCSS_VERSION=4.3.0

fab_static="$("$PYTHON" -c 'import flask_appbuilder, os; print(os.path.join(os.path.dirname(flask_appbuilder.__file__), "static/appbuilder"))')"
out=core/static/vendor/bootstrap-rtl
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp" "rtlcss@$RTLCSS_VERSION" >/dev/null
fab_version="$("$PYTHON" -c 'import flask_appbuilder; print(flask_appbuilder.__version__)')"
{
  echo "/*! Bootstrap 3 of Flask-AppBuilder $fab_version (static/appbuilder/css/bootstrap.min.css),"
  echo "    mirrored for right-to-left pages by rtlcss $RTLCSS_VERSION: scripts/rtl-assets.sh."
  echo "    Bootstrap: MIT, see LICENSE beside this file. Do not edit: regenerate. */"
  "$tmp/node_modules/.bin/rtlcss" --silent - < "$fab_static/css/bootstrap.min.css"
} > "$out/bootstrap.rtl.min.css"
echo "$out/bootstrap.rtl.min.css: $(wc -c < "$out/bootstrap.rtl.min.css") bytes"

fonts=core/static/vendor/fonts
mkdir -p "$fonts"
# Arabic, Arabic Supplement, presentation forms A/B, the joiners and marks a text needs; digits
# and Latin punctuation come from the page's own font.
unicodes="U+0020,U+00A0,U+0600-06FF,U+0750-077F,U+200C-200F,U+2066-2069,U+FB50-FDFF,U+FE70-FEFF"
for weight in Regular Bold; do
  src="/usr/share/fonts/truetype/noto/NotoSansArabic-$weight.ttf"
  [ -f "$src" ] || { echo "missing $src: apt-get install fonts-noto-core" >&2; exit 1; }
  "$PYTHON" -m fontTools.subset "$src" --unicodes="$unicodes" --layout-features='*' \
    --flavor=woff2 --output-file="$fonts/NotoSansArabic-$weight.woff2"
  echo "$fonts/NotoSansArabic-$weight.woff2: $(wc -c < "$fonts/NotoSansArabic-$weight.woff2") bytes"
done
