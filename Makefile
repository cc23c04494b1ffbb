# The two commands of the README's quick start, and the pieces they share.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= marsad.db

.PHONY: demo test lint bench

$(BIN)/marsad: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## demo: set up, then parse the bundled demo pages into $(DB) and print a summary
demo: $(BIN)/marsad
	$(BIN)/marsad run --demo --db $(DB)

## test: set up, then lint, type-check and run the whole test suite
test: $(BIN)/marsad
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

## bench: the speed and quality benchmarks (minutes; needs ../shared)
bench: $(BIN)/marsad
	$(BIN)/python -m benchmarks.parse_speed
	$(BIN)/python -m benchmarks.extraction
