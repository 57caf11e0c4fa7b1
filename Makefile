# The README's two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= us-rok-sma-2019

.PHONY: run test lint install clean bench crosscheck

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,ray]'

run: install
	$(BIN)/burdenshare run $(SCENARIO)

test: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

bench: install
	$(MAKE) -C benchmarks all

# burdenshare vs NegMAS 0.16 on the GENIUS domains (docs/explanation/negmas-crosscheck.md)
crosscheck: install
	$(MAKE) -C benchmarks crosscheck
