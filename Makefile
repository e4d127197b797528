# sdkforge developer tasks. `make setup` then `make test` is all a new machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup generate check test golden lint bench clean

setup:  ## create .venv, install sdkforge + dev tools + Prism + the TypeScript tools, regenerate output/
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	npm ci --prefix tests/prism --no-audit --no-fund --loglevel=error
	npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
	$(VENV)/bin/sdkforge generate

generate:  ## regenerate output/ (Python) and output/typescript/ from specs/chat.yaml ([tool.sdkforge])
	$(VENV)/bin/sdkforge generate

check:  ## lint and type-check the generator and the runtime it copies into SDKs; fail if output/ is stale
	$(VENV)/bin/ruff check generator tests bench templates/runtime
	$(PY) -m mypy generator
	$(PY) -m mypy --strict --python-version 3.10 templates/runtime
	tests/node/node_modules/.bin/tsc -p tests/node/tsconfig.json  # the TypeScript runtime and its tests, strict
	$(VENV)/bin/sdkforge generate --check

test:  ## the whole test suite (the command CI runs)
	$(PY) -m pytest -q -n 2

golden:  ## regenerate golden trees (output/ included) through the CLI code path
	$(PY) -m pytest -q tests/test_golden.py --update-golden

bench:  ## benchmarks against peers (not part of the test suite)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) tests/prism/node_modules tests/node/node_modules .mypy_cache .pytest_cache .ruff_cache
