# The two set-up commands of the README: `make demo` (main job) and `make test` (whole suite).
# Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint audit install clean

# pytest-xdist: one worker per core, whole test files per worker (their module fixtures are built once).
# PYTEST_PARALLEL= (empty) runs the suite in one process.
PYTEST_PARALLEL ?= -n auto --dist loadfile

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/wendao demo

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

# Known vulnerabilities in the installed packages (pip-audit). Fails on a finding not listed with a reason in
# audit-ignore.txt; says "could not check" and passes when no vulnerability database is reachable (CI has the
# package index only). It gives pip-audit 60 s in all, so it cannot hang the build (~10 s here).
audit: $(BIN)/.installed
	$(BIN)/python scripts/audit_deps.py

# The whole suite on SQLite; then, when CI (or you) provides a PostgreSQL server in WENDAO_TEST_DATABASE_URL,
# the database tests once more against it.
test: lint audit
	$(BIN)/pytest $(PYTEST_PARALLEL)
	@if [ -n "$$WENDAO_TEST_DATABASE_URL" ]; then \
	  echo "== database tests on PostgreSQL =="; \
	  DATABASE_URL="$$WENDAO_TEST_DATABASE_URL" $(BIN)/pytest $(PYTEST_PARALLEL) tests/web -m "not e2e"; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
