# Rekisteri: `make run` serves a demo shop on SQLite (`make run SHOP=finanime`: a seed shop, docs/shops.md), `make test` runs the suite on PostgreSQL.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rekisteri
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test install messages lint audit bench clean

$(VENV)/.installed: pyproject.toml uv.lock
	@PYTHON=$$(scripts/find-python) && \
	  ( [ -x $(PY) ] || $$PYTHON -m venv $(VENV) ) && \
	  $(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9 && \
	  $(PY) -m uv sync --frozen --inexact --python $(PY) --quiet
	@touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv -v0

run: install
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py seed_demo --if-empty $(if $(SHOP),--shop $(SHOP))
	@$(PY) manage.py collectstatic --no-input -v0 >/dev/null
	@echo "Staff panel: http://127.0.0.1:8000/hallinta/  (accounts in var/demo-credentials.txt:)"
	@cat var/demo-credentials.txt 2>/dev/null | sed 's/^/  /'
	@echo "Privacy statement: http://127.0.0.1:8000/tietosuojaseloste/"
	@$(PY) manage.py runserver 127.0.0.1:8000

test: install
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest -n 2

# The benchmark: seeds rekisteri_bench_<size> (S 10k, M 100k, L 1M customers) and appends one
# report to docs/benchmarks.md. The load run needs wrk, installed here from Debian if missing.
SIZE ?= S
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "wrk is needed for the load run: apt-get install wrk"; exit 1; }
	@$(PY) manage.py bench --size $(SIZE) $(BENCH_ARGS)

# Portal screenshots (desktop and phone) into docs/screenshots/, in headless Chromium.
screenshots: install
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest tests/browser/screenshots.py -n 0 -q

lint: install
	@$(PY) -m ruff check . && $(PY) -m ruff format --check .

# Static checks: lint and format, the app layers (import-linter's contract in pyproject.toml and
# scripts/check_imports.py: no cycle, no function-local import across apps), bandit (fails on a HIGH finding) over the project's packages,
# and pip-audit of the locked dependencies (an unreachable database is a NOT CHECKED warning).
AUDIT_PACKAGES := privacy statement customers notifications rights integrations portal staff demo bench rekisteri
audit: $(VENV)/.installed
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache
	@$(PY) scripts/check_imports.py
	@$(PY) -m bandit -q -c pyproject.toml -r $(AUDIT_PACKAGES) --severity-level high
	@echo "bandit: no HIGH findings in $(AUDIT_PACKAGES)"
	@$(PY) scripts/audit_deps.py

clean:
	rm -rf $(VENV) var
