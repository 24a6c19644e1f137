# 物业管家 — two commands do everything: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.PHONY: run test lint install install-dev migrate seed bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

## Set up everything (venv, packages, database, demo data) and start web + worker + beat.
run: seed
	$(PY) manage.py rundev

## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
test: install-dev
	$(VENV)/bin/pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install-dev
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) var/test-results .pytest_cache .ruff_cache
