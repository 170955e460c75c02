#!/usr/bin/env bash
# Refresh jiguan's translation catalogues: extract → update → compile (docs/i18n.md).
#
#   scripts/i18n.sh                  extract translations/messages.pot, update every
#                                    translations/<lang>/LC_MESSAGES/messages.po (creating the
#                                    ones missing for a language in LANGUAGES), compile the .mo
#   scripts/i18n.sh --check          change nothing; fail if the catalogue is stale or a
#                                    translation (English, Uyghur, a framework entry) is missing
#                                    (what CI's test checks too)
#   scripts/i18n.sh --extract-to F   only extract, into file F (tests/core/test_i18n.py uses it)
#
# translations/framework/<lang>/LC_MESSAGES/messages.po holds Chinese (zh) and Uyghur (ug) for
# Flask-AppBuilder's own English msgids (written by hand, never extracted): this script compiles it, --check fails on
# an empty entry or a .mo older than its .po.
#
# Run it from anywhere; it works in the project root. PYTHON picks the interpreter
# (default: the project's .venv, else python3); Babel must be installed in it.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
pybabel() { "$PYTHON" -m babel.messages.frontend "$@"; }

DIR=translations
POT="$DIR/messages.pot"
FRAMEWORK="$DIR/framework"

# The one place the extraction options live. Keywords beyond pybabel's defaults
# (_, gettext, ngettext, pgettext, N_, ...): Flask-Babel's lazy forms, imported as _l.
extract() {
  pybabel -q extract -F babel.cfg \
    -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 \
    --add-comments=TRANSLATORS: \
    --add-location=file --sort-output --no-wrap \
    --project=jiguan --copyright-holder="jiguan contributors" \
    -o "$1" .
}

# msgids of a .pot/.po file, one a line, sorted (the header's empty msgid excluded).
msgids() {
  "$PYTHON" - "$1" <<'EOF'
import sys
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as f:
    for m in read_po(f):
        if m.id:
            print(m.id if isinstance(m.id, str) else m.id[0])
EOF
}

# Languages whose translation is still being written (e.g. PENDING_LANGUAGES="kk" while a new
# language is drafted): --check reports their untranslated entries instead of failing. Empty by
# default: every language in LANGUAGES is translated in full.
export PENDING="${PENDING_LANGUAGES-}"

languages() {
  "$PYTHON" -c 'from core.config import DefaultConfig; print(" ".join(DefaultConfig.LANGUAGES))'
}

case "${1:-}" in
  --extract-to)
    extract "${2:?--extract-to needs a file name}"
    exit 0
    ;;
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    extract "$tmp/messages.pot"
    if ! diff <(msgids "$POT") <(msgids "$tmp/messages.pot") >"$tmp/diff"; then
      echo "translations/messages.pot is out of date with the source (< catalogue, > source):" >&2
      cat "$tmp/diff" >&2
      echo "Run scripts/i18n.sh, translate the new strings in $DIR/en/LC_MESSAGES/messages.po," \
           "then run scripts/i18n.sh again to compile." >&2
      exit 1
    fi
    # every language but the default (whose msgids are the text) is translated in full
    for lang in $(languages); do
      [ "$lang" = zh ] && continue
      "$PYTHON" - "$DIR/$lang/LC_MESSAGES/messages.po" "$lang" <<'EOF'
import os
import sys
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as f:
    missing = [m.id for m in read_po(f) if m.id and (not m.string or m.fuzzy)]
if missing and sys.argv[2] in os.environ.get("PENDING", "").split():
    print("%s: %d entries not translated yet (a language under way, PENDING_LANGUAGES)"
          % (sys.argv[1], len(missing)))
elif missing:
    sys.exit("untranslated or fuzzy in %s:\n  %s" % (sys.argv[1], "\n  ".join(map(str, missing))))
EOF
    done
    "$PYTHON" - "$FRAMEWORK" <<'EOF'
import os
import sys
from pathlib import Path
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
for po in sorted(Path(sys.argv[1]).glob("*/LC_MESSAGES/messages.po")):
    with open(po, "rb") as f:
        catalog = read_po(f)
    empty = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    if empty and po.parent.parent.name in os.environ.get("PENDING", "").split():
        print("%s: %d entries not translated yet (PENDING_LANGUAGES)" % (po, len(empty)))
    elif empty:
        sys.exit("no translation (or fuzzy) in %s:\n  %s" % (po, "\n  ".join(map(str, empty))))
    mo = po.with_suffix(".mo")
    compiled = {}
    if mo.exists():
        with open(mo, "rb") as f:
            compiled = {m.id: m.string for m in read_mo(f) if m.id}
    if compiled != {m.id: m.string for m in catalog if m.id}:
        sys.exit("%s is older than its .po: run scripts/i18n.sh" % mo)
EOF
    echo "catalogues up to date"
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: scripts/i18n.sh [--check | --extract-to FILE]" >&2
    exit 2
    ;;
esac

mkdir -p "$DIR"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
extract "$tmp/messages.pot"
# Keep the old template when only its creation date would change: no churn in review.
if [ -f "$POT" ] && diff -q <(grep -v '^"POT-Creation-Date:' "$POT") \
                           <(grep -v '^"POT-Creation-Date:' "$tmp/messages.pot") >/dev/null; then
  echo "messages.pot: unchanged"
else
  cp "$tmp/messages.pot" "$POT"
  echo "messages.pot: $(msgids "$POT" | wc -l) messages"
fi

for lang in $(languages); do
  po="$DIR/$lang/LC_MESSAGES/messages.po"
  if [ -f "$po" ]; then
    # -N: no fuzzy guesses — a new string stays empty, so the test flags it until translated.
    pybabel -q update -N --no-wrap -i "$POT" -d "$DIR" -l "$lang" >/dev/null
  else
    pybabel -q init --no-wrap -i "$POT" -d "$DIR" -l "$lang" >/dev/null
  fi
done

# A catalogue assembled by a tool (the Uyghur one, from the translators' files) may carry
# Babel's default "#, fuzzy" on its header, and pybabel compile then skips the whole file:
# drop that flag from the header only (an entry's own fuzzy flag stays, and is not compiled).
for po in "$DIR"/*/LC_MESSAGES/messages.po "$FRAMEWORK"/*/LC_MESSAGES/messages.po; do
  if [ "$(awk '/^msgid ""$/ { print prev; exit } { prev = $0 }' "$po")" = "#, fuzzy" ]; then
    awk 'done || !/^#, fuzzy$/ { print; next } { getline nxt; if (nxt == "msgid \"\"") done = 1;
         else print; print nxt }' "$po" > "$po.tmp" && mv "$po.tmp" "$po"
  fi
done

pybabel compile -d "$DIR" --statistics
pybabel compile -d "$FRAMEWORK" --statistics
