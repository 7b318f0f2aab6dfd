# `make demo` and `make test` build .venv from nothing, then run.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plots,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mpgames demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.scheme_bench
	$(BIN)/python -m benchmarks.harness_bench
	$(BIN)/python -m benchmarks.isolation_bench
	$(BIN)/python -m benchmarks.curve_bench
	$(BIN)/python -m benchmarks.estimation_bench
	$(BIN)/python -m benchmarks.memory_bench
	$(BIN)/python -m benchmarks.loop_bench

clean:
	rm -rf $(VENV) build src/*.egg-info
