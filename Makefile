# Two commands do everything on a fresh machine (python3 and make only):
#   make demo   demo data -> every report -> prints reports/index.html
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SEED ?= 2024
JOBS ?=

.PHONY: demo test bench bench-reports lint system-deps clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(INSTALLED)

system-deps:
	@bash scripts/install-system-deps.sh

demo: $(INSTALLED) system-deps
	$(BIN)/wkus demo-data --seed $(SEED)
	$(BIN)/wkus report --gmina all --stage all --area all $(if $(JOBS),--jobs $(JOBS))
	@echo "Raporty: $(CURDIR)/reports/index.html"

test: $(INSTALLED) system-deps
	$(BIN)/python -m pytest

bench: $(INSTALLED)
	$(BIN)/python bench/indicators_national.py

bench-reports: $(INSTALLED) system-deps
	$(BIN)/python bench/report_batch.py

lint: $(INSTALLED)
	$(BIN)/python -m ruff check wkus_lib tests

clean:
	rm -rf $(VENV) reports/runs data/store data/demo
