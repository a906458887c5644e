# Retorno developer tasks. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv venv-dev run test lint bench clean

help:
	@echo "make run      migrate, seed demo data, serve on http://127.0.0.1:8000/"
	@echo "make test     full suite: ruff, migration check, pytest on SQLite + PostgreSQL (ARGS=... for pytest)"
	@echo "make lint     ruff check"
	@echo "make bench    benchmarks (ARGS=... for bench/run.py)"
	@echo "make venv / venv-dev   create .venv with runtime / dev requirements"
	@echo "make clean    remove .venv and var/"

venv: $(VENV)/.installed-requirements
venv-dev: $(VENV)/.installed-requirements-dev

# One stamp per requirements file: reinstall when it (or the base file it
# includes with -r) changes. (Re)create the venv if it is missing, broken,
# or built from a Python older than 3.12.
$(VENV)/.installed-%: %.txt requirements.txt
	@if ! $(PY) -c 'import sys, pip; assert sys.version_info >= (3, 12)' 2>/dev/null; then \
	  python=$$(tools/find-python) || { echo "error: need Python >= 3.12 to create $(VENV) (see above)" >&2; exit 1; }; \
	  echo "==> Creating $(VENV) with $$python"; \
	  "$$python" -m venv --clear $(VENV); \
	fi
	@echo "==> Installing $< into $(VENV)"
	@$(PY) -m pip install -q -r $<
	@touch $@

run: venv
	@tools/ensure-run-deps
	@mkdir -p var
	@echo "==> Applying migrations"
	$(PY) manage.py migrate --noinput
	@echo "==> Seeding demo data"
	$(PY) manage.py seed_demo
	@echo "==> Starting dev server on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:8000

test:
	tools/test $(ARGS)

lint: venv-dev
	@echo "==> ruff check"
	$(VENV)/bin/ruff check .
	$(PY) tools/check-conventions

bench: venv-dev
	@echo "==> Running benchmarks"
	tools/bench $(ARGS)

clean:
	@echo "==> Removing $(VENV) and var/"
	rm -rf $(VENV) var
