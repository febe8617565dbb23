# Set-up in two commands (see README):
#   make demo   installs newsfacts and builds a fact database from the bundled sample
#   make test   installs newsfacts with its test tools and runs the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint bench train clean

$(BIN)/newsfacts: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(BIN)/newsfacts

demo: install
	@echo "sample: articles written for tests, with fictional outlets, sources and figures (corpus/README.md), not news"
	$(BIN)/newsfacts ingest corpus/*.json --db newsfacts.db
	$(BIN)/newsfacts conflicts --db newsfacts.db
	$(BIN)/newsfacts report --db newsfacts.db -o report.html
	@echo "fact database: newsfacts.db   report: report.html"

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# Two benchmarks read public data sets kept beside the checkout, in ../shared/benchmarks.
SHARED_BENCHMARKS ?= ../shared/benchmarks

bench: install
	@if [ ! -d "$(SHARED_BENCHMARKS)/article-extraction" ] || [ ! -d "$(SHARED_BENCHMARKS)/newsquant" ]; then \
	    echo "make bench needs the benchmark data sets in $(SHARED_BENCHMARKS)/article-extraction" >&2; \
	    echo "and $(SHARED_BENCHMARKS)/newsquant (the Zyte article-extraction benchmark and NewsQuant;" >&2; \
	    echo "see README, 'Measured'). Put them there, or run one script with --data PATH, or run" >&2; \
	    echo "$(BIN)/python benchmarks/store_conflicts.py, which needs no data." >&2; \
	    exit 2; \
	fi
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

# Retrain the models in extractor/models from ../shared/corpus/dev (prints rules vs model,
# cross-validated on dev and on the held-out test aggregate).
train: install
	$(BIN)/python -m training

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache newsfacts.db* report.html
