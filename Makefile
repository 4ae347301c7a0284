# One task runner. `make demo` sets everything up and briefs the bundled example;
# `make test` sets everything up and runs lint, types and tests.
VENV ?= .venv
PY := $(VENV)/bin/python
SEEDS ?= ../shared/seeds
NAMES ?= --sources examples/seeds-sources.json

.PHONY: setup demo test lint eval gate bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[web,eval,stories,fetch,dev]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	@mkdir -p out
	$(VENV)/bin/newsbrief brief $(SEEDS) $(NAMES) --format md
	$(VENV)/bin/newsbrief brief $(SEEDS) $(NAMES) --format json -o out/brief.json
	$(VENV)/bin/newsbrief brief $(SEEDS) $(NAMES) --format html -o out/brief.html
	@echo "JSON and HTML briefs written to out/brief.json and out/brief.html"

eval: setup
	$(PY) -m evaluation.summaries --jobs 1
	$(PY) -m evaluation.quotes_polnear
	$(PY) -m evaluation.clean_report

# The quality gate: pinned evaluations on dev data against evaluation/floors.toml (~20 s).
gate: setup
	$(PY) -m evaluation.gate --json out/gate.json

bench: setup
	$(PY) benchmarks/bench_brief.py --out docs/benchmarks/brief.json

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks evaluation
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: setup lint
	$(VENV)/bin/pytest --slow  # CI runs every test; a plain `pytest` skips the slow ones

clean:
	rm -rf $(VENV) out .mypy_cache .pytest_cache .ruff_cache
