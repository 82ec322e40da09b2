# LIVC-R case management. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` serves on HOST:PORT, and the links it prints and mails point there too.
LIVC_BASE_URL ?= http://$(HOST):$(PORT)
DEV_ALLOWED_HOSTS := localhost,127.0.0.1,$(HOST)
RUN_ENV = LIVC_BASE_URL=$(LIVC_BASE_URL) ALLOWED_HOSTS=$(if $(ALLOWED_HOSTS),$(ALLOWED_HOSTS),$(DEV_ALLOWED_HOSTS))
PROD_CHECK_ENV := DJANGO_SETTINGS_MODULE=livc.settings.prod \
	SECRET_KEY=check-deploy-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH \
	LIVC_ENCRYPTION_KEYS=1:Y2hlY2stZGVwbG95LW9ubHktMzItYnl0ZXMta2V5ISE= ALLOWED_HOSTS=livc.example.be \
	LIVC_IDENTITY_HASH_KEY=check-deploy-only-identity-hash-key-0123456789 LIVC_BASE_URL=https://livc.example.be

.DEFAULT_GOAL := help
.PHONY: help install run test lint typecheck migrations-check deploy-check messages messages-check ci worker bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-17s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "Python's venv module is missing: apt-get install python3-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

run: $(STAMP) ## Migrate the embedded SQLite database, seed demo data, serve on HOST:PORT (127.0.0.1:8000)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py migrate --database keys --no-input
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) ## Run the whole test suite (on PostgreSQL when DATABASE_URL says so)
	$(BIN)/pytest

lint: $(STAMP) ## ruff (lint and format check), import-linter (apps depend downward only)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP) ## mypy with django-stubs
	$(BIN)/mypy livc participants cases meetings retention dpo bench manage.py

migrations-check: $(STAMP) ## Fail if a model change has no migration
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=livc.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

deploy-check: $(STAMP) ## Django's deployment checks with production settings, warnings fail
	$(PROD_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

messages: $(STAMP) ## Update the nl/fr/de/en catalogues from the code and compile them
	DJANGO_SETTINGS_MODULE=livc.settings.test $(BIN)/python manage.py makemessages -l nl -l fr -l de -l en --no-obsolete --ignore=.venv --ignore=tests --add-location=file
	DJANGO_SETTINGS_MODULE=livc.settings.test $(BIN)/python manage.py compilemessages --ignore=.venv

messages-check: $(STAMP) ## Fail if a UI string lacks a translation or a catalogue is not compiled
	$(BIN)/python scripts/check_messages.py

ci: lint typecheck migrations-check deploy-check messages-check test ## Everything CI runs, in CI's order

worker: $(STAMP) ## Celery worker with embedded beat (development only; needs REDIS_URL)
	$(RUN_ENV) $(BIN)/celery -A livc worker -B --pool=solo --loglevel=INFO

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/livc_bench

bench: $(STAMP) ## Benchmarks with checked targets (slow; not part of CI; needs wrk); BENCH_DATABASE_URL names a scratch database
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --no-input -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --database keys --no-input -v 0
	@missed=""; for name in bench_audit bench_cases bench_web bench_purge bench_keys; do \
		echo "== $$name"; \
		DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py $$name || missed="$$missed $$name"; \
	done; \
	if [ -n "$$missed" ]; then echo "Targets missed (or the run failed) in:$$missed"; exit 1; fi; \
	echo "Every benchmark met its targets."

clean: ## Remove the virtualenv, caches and the demo database
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache db.sqlite3 staticfiles
