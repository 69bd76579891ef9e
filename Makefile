# khabar: `make run` (set up and serve) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo check lint clean test-security bench test-load lighthouse

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# Production-like by default (DEBUG off, generic error pages); DEBUG=1 for Django's debug pages.
run: install var/secret_key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	  HTTPS="$${HTTPS:-0}" SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/khabar migrate --no-input -v0 && \
	$(BIN)/khabar load-demo >/dev/null && \
	$(BIN)/khabar reindex --if-stale && \
	$(BIN)/khabar refresh-intelligence >/dev/null && \
	$(BIN)/khabar collectstatic --no-input -v0 && \
	echo "khabar: http://$(HOST):$(PORT)/  (admin: $(BIN)/khabar createsuperuser, then /admin/)" && \
	$(BIN)/khabar runserver --insecure $(HOST):$(PORT)

# The suite runs on SQLite, or on the database in DATABASE_URL (PostgreSQL in CI).
test: install
	$(BIN)/python -m tools.ensure_chromium
	$(BIN)/pytest

# The long security and durability tests (pytest marker security_long, left
# out of `make test`): the whole payload corpora in Chromium, kill -9 of the
# server, 200 parallel comments, backups under load. SECURITY.md lists them.
SECURITY_MARK ?= security_long
test-security: install
	$(BIN)/python -m tools.ensure_chromium
	$(BIN)/pytest -m "$(SECURITY_MARK)"

# 60 s of wrk (50 connections) on nginx + two app servers while an editor
# publishes and corrects stories; fails on any error or stale page. Not in `make test`.
test-load: install
	$(BIN)/python benchmarks/load.py $(if $(DATABASE_URL),--postgres,)

# Lighthouse (npm, through npx) on the demo article page served by gunicorn,
# in /usr/bin/chromium; prints the scores. Not in `make test`.
lighthouse: install
	bash benchmarks/lighthouse.sh

check: install
	$(BIN)/khabar check
	$(BIN)/khabar makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf var/static var/test*.sqlite3 test-artifacts
