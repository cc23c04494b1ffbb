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

## demo: set up, store the bundled demo pages in $(DB), then serve the review UI over them
## (NO_SERVE=1: only build the store)
demo: $(BIN)/marsad
	$(BIN)/marsad demo --db $(DB) $(if $(NO_SERVE),--no-serve)

## test: set up, then lint, type-check and run the whole test suite
test: $(BIN)/marsad
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

## bench: the speed and quality benchmarks (an hour or more at full sizes; needs ../shared)
bench: $(BIN)/marsad
	$(BIN)/python -m benchmarks.parse_speed
	$(BIN)/python -m benchmarks.extraction
	$(BIN)/python -m benchmarks.moderation_speed
	$(BIN)/python -m benchmarks.enrich_speed
	$(BIN)/python -m benchmarks.dedup
	$(BIN)/python -m benchmarks.store_search
	$(BIN)/python -m benchmarks.pipeline_scale
	$(BIN)/python -m benchmarks.api_load
	$(BIN)/python -m benchmarks.report
