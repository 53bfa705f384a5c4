PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test test-slow lint bench clean

BUCKETS_KEY = arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab

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
	@# an object ACL and a KMS grant open paths the policies do not (exit 1); the fixed twin is proven closed
	$(BIN)/perimeter reach --snapshot examples/snapshot/buckets-open --from anonymous --to arn:aws:s3:::finance-reports/q3/summary.csv --action s3:GetObject || test $$? -eq 1
	$(BIN)/perimeter who-can kms:Decrypt $(BUCKETS_KEY) --snapshot examples/snapshot/buckets-open || test $$? -eq 1
	$(BIN)/perimeter reach --snapshot examples/snapshot/buckets-closed --from anonymous --to arn:aws:s3:::finance-reports/q3/summary.csv --action s3:GetObject
	$(BIN)/perimeter who-can kms:Decrypt $(BUCKETS_KEY) --snapshot examples/snapshot/buckets-closed

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
