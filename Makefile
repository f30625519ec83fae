# communique: `make demo` and `make test` are the quick start; everything installs into ./.venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck bench bench-classify bench-when-where bench-fusion bench-scale bench-web reliability train clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned, so nothing pulls a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/communique demo --db communique.duckdb

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check communique tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy communique

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

bench-when-where: $(STAMP)
	$(BIN)/python benchmarks/when_where.py

bench-fusion: $(STAMP)
	$(BIN)/python benchmarks/fusion.py
	$(BIN)/python benchmarks/fusion_scale.py

bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

bench-web: $(STAMP)
	$(BIN)/python benchmarks/web_latency.py
	$(BIN)/python benchmarks/web_load.py

# Every trust guarantee's test and measurement, as one table (README "Reliability"); needs wrk (apt install wrk).
# RELIABILITY_FLAGS=--quick for 1,000 articles and 10 s of load; --db FILE reuses a 1M-event store.
reliability: $(STAMP)
	$(BIN)/python benchmarks/reliability.py --readme $(RELIABILITY_FLAGS)

bench-classify: $(STAMP)
	$(BIN)/python benchmarks/classify.py

# Rebuilds communique/data/classifier.npz from communique/data/training/ (fixed seed: same data, same weights).
train: $(STAMP)
	$(BIN)/python -m communique.events.train

clean:
	rm -rf $(VENV) communique.duckdb communique.duckdb.wal .pytest_cache
