# The README's two commands: `make demo` and `make test`. Everything they need is set up here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo-deps test-deps demo run test lint clean rtl-assets

setup: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages (scripts/system-deps.sh): checked in a moment, installed when missing as root
# or through passwordless sudo, else the command stops printing the one command to run.
system-deps:
	@bash scripts/system-deps.sh all

demo-deps:  # the CJK and Uyghur fonts of the PDFs
	@bash scripts/system-deps.sh demo

test-deps:  # + poppler, Chromium (JIGUAN_SKIP_BROWSER_TESTS=1: no browser tests, said so)
	@bash scripts/system-deps.sh test

# A browser test never skips silently: without Chromium test-deps installs it or stops; only
# JIGUAN_SKIP_BROWSER_TESTS=1 (not 0) lets pytest skip them, each with that reason.
REQUIRE_BROWSER := $(if $(filter-out 0,$(JIGUAN_SKIP_BROWSER_TESTS)),,JIGUAN_REQUIRE_BROWSER=1)

demo: demo-deps setup
	$(BIN)/jiguan demo
	$(BIN)/jiguan run --host 127.0.0.1 --port 5000

test: test-deps setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(REQUIRE_BROWSER) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The Uyghur interface's mirrored Bootstrap and web fonts (committed; docs/i18n.md, "ug").
rtl-assets: setup
	@bash scripts/rtl-assets.sh

clean:
	rm -rf $(VENV) instance .pytest_cache
