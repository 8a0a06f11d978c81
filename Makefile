# Two entry points: `make demo` and `make test` (README.md). The virtualenv is
# (re)installed only when pyproject.toml changes: stamp files are keyed on its hash.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell sha256sum pyproject.toml | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(HASH)

.PHONY: demo test lint typecheck install install-dev browser

demo: $(STAMP)
	$(BIN)/parkstat demo

test: $(DEV_STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/mypy

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

install: $(STAMP)
install-dev: $(DEV_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(DEV_STAMP): | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(STAMP)

# Headless Chromium for the browser tests (tests/test_browser.py): Debian's packages only,
# installed when missing (as root; apt-get update first). CI runs this before `make test`.
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-zenhei

.PHONY: browser
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && fc-list 2>/dev/null | grep -qi 'wenquanyi zen hei'; then \
		echo "chromium, chromedriver and fonts-wqy-zenhei are installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BROWSER_PACKAGES); \
	else \
		echo "make browser: as root, run: apt-get update && apt-get install -y $(BROWSER_PACKAGES)" >&2; exit 1; \
	fi
