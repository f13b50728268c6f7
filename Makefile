# The two commands a person needs: `make run` and `make test`. Everything else is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint eval bench audit clean

install: $(STAMP)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("secondchance needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The main job: the web app at http://127.0.0.1:8000, with a demo account to look around.
run: install
	$(BIN)/secondchance serve --demo

# Tests go to the two workers a couple at a time, long ones first (tests/conftest.py), so both
# workers finish together.
test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest -n 2 --maxschedchunk 2 -q

lint: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

eval: install
	$(BIN)/secondchance eval

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Known vulnerabilities in the installed dependencies (needs the package index).
audit: install
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
