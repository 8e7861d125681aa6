# Two commands do everything on a fresh machine (python3 and make only):
#   make demo   demo data -> every report -> prints reports/index.html
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SEED ?= 2024
JOBS ?=

.PHONY: demo test bench bench-reports bench-national bench-dashboard lint system-deps clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m wkus_lib.workshop.lab
	@touch $(INSTALLED)

system-deps:
	@bash scripts/install-system-deps.sh

demo: $(INSTALLED) system-deps
	$(BIN)/wkus demo-data --seed $(SEED)
	$(BIN)/wkus report --gmina all --stage all --area all $(if $(JOBS),--jobs $(JOBS))
	@echo "Raporty: $(CURDIR)/reports/index.html"

# Tests run in parallel, one worker per core (-n auto); a file's tests stay on one worker.
test: $(INSTALLED) system-deps
	$(BIN)/python -m pytest -n auto --dist loadfile

bench: $(INSTALLED) system-deps
	$(BIN)/python bench/report_batch.py --with-isolated --dashboard --national --voivodeship podlaskie

bench-reports: $(INSTALLED) system-deps
	$(BIN)/python bench/report_batch.py

bench-national: $(INSTALLED)
	$(BIN)/python bench/indicators_national.py

bench-dashboard: $(INSTALLED) system-deps
	$(BIN)/python bench/dashboard.py

lint: $(INSTALLED)
	$(BIN)/python -m ruff check wkus_lib tests

clean:
	rm -rf $(VENV) reports/runs data/store data/demo

# Workshops: JupyterLab in Polish with the participant notebooks of notebooks/workshop/.
# The install step above already makes Polish JupyterLab's default (any start, even
# `.venv/bin/jupyter lab`); `lab` repeats it for environments installed before that.
WORKSHOP_SOURCES := $(wildcard notebooks/workshop/src/*.ipynb)
WORKSHOP_NOTEBOOKS := $(patsubst notebooks/workshop/src/%,notebooks/workshop/%,$(WORKSHOP_SOURCES))
.PHONY: lab
lab: $(INSTALLED) $(WORKSHOP_NOTEBOOKS)
	$(BIN)/python -m wkus_lib.workshop.lab
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

notebooks/workshop/%.ipynb: notebooks/workshop/src/%.ipynb | $(INSTALLED)
	$(BIN)/wkus workshop notebooks/workshop
