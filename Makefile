PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test test-slow lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

demo: $(STAMP)
	$(BIN)/perimeter evaluate examples/scenarios/*.json examples/scenarios/*.yaml
	$(BIN)/perimeter prove examples/perimeter/perimeter.yaml
	@# the broken perimeter must fail (exit 1) with a witness; the demo shows it without failing
	$(BIN)/perimeter prove examples/perimeter-broken/perimeter.yaml || test $$? -eq 1
	@# read from infrastructure code: one realistic mistake each, found at its line (exit 1)
	$(BIN)/perimeter prove examples/iac/terraform/perimeter.yaml || test $$? -eq 1
	$(BIN)/perimeter prove examples/iac/cloudformation/perimeter.yaml || test $$? -eq 1

lint: $(DEV_STAMP)
	$(BIN)/ruff check reasoner tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q -n 2 --durations=25

test-slow: $(DEV_STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q -m slow

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
