# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000
# Links in moderation emails point at the admin `make run` serves (HOST), unless set otherwise.
export WAGTAILADMIN_BASE_URL ?= http://$(HOST)
# The benchmarks' extra (matplotlib) has a stamp of its own: `make run` never needs it.
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint install schema publish-scheduled bench bench-quick soak frontend frontend-test

# The reference front end (frontend/): installed from its lock file once per change of it,
# built once per change of its sources (the stamp's name is their checksum; src/gql/ is
# generated from them), served by
# `make run` on FRONTEND_PORT beside the CMS. FRONTEND_API_KEY is the dev settings' key.
NPM ?= npm
FRONTEND_PORT ?= 3000
FRONTEND_API_KEY ?= dev-only-frontend-key-0123456789abcdef
NODE_STAMP := frontend/node_modules/.installed-$(shell cksum < frontend/package-lock.json | cut -d' ' -f1)
FRONTEND_SUM := $(shell cd frontend && find src queries scripts -path src/gql -prune -o -type f -print0 | sort -z | xargs -0 cat \
  package.json package-lock.json next.config.ts codegen.ts tsconfig.json ../schema.graphql | cksum | cut -d' ' -f1)
FRONTEND_BUILD := frontend/.next/BUILT-$(FRONTEND_SUM)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@# The pip and setuptools that venv bundles carry known advisories (.ci/osv_audit.py).
	$(BIN)/pip install --quiet --disable-pip-version-check pip==26.3 setuptools==84.2.1
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

$(NODE_STAMP): frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund
	rm -f frontend/node_modules/.installed-* && touch $@

$(FRONTEND_BUILD): $(NODE_STAMP)
	cd frontend && NEXT_TELEMETRY_DISABLED=1 $(NPM) run build
	rm -f frontend/.next/BUILT-* && touch $@

## Install and build the front end (nothing to do when its sources have not changed).
frontend: $(FRONTEND_BUILD)

## Serve the CMS with the demo catalogue on http://127.0.0.1:8000 (admin at /admin/), the
## search index's and the webhooks' workers and the scheduled publishing loop beside it, and
## the front end on http://localhost:3000 (the network's site) and
## http://conference.localhost:3000 (the conference's).
run: $(STAMP) $(FRONTEND_BUILD)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_load
	$(BIN)/python manage.py search_reindex --if-missing
	@# The workers, the scheduling loop and the front end run beside the server and stop with
	@# it (no line per task; failed updates are logged by search.indexing, and `search_status`
	@# lists them). tasks_worker is django-tasks-db's db_worker with a lease
	@# (cms/task_leases.py). Webhook deliveries have a worker of their own: a slow receiver
	@# never holds up the index. schedule_loop runs publish_scheduled every minute (go-live and
	@# expiry dates), no cron needed; it prints a line when it publishes or expires something.
	TASK_LOG_LEVEL=WARNING $(BIN)/python manage.py tasks_worker --backend search --queue-name search --interval 1 -v 0 & \
	  SEARCH_WORKER=$$!; \
	  TASK_LOG_LEVEL=WARNING $(BIN)/python manage.py tasks_worker --backend webhooks --queue-name webhooks --interval 1 -v 0 & \
	  WEBHOOKS_WORKER=$$!; \
	  $(BIN)/python manage.py schedule_loop & \
	  SCHEDULER=$$!; \
	  CMS_API_URL=http://$(HOST) CMS_PUBLIC_URL=http://$(HOST) CMS_API_KEY=$(FRONTEND_API_KEY) \
	    NEXT_TELEMETRY_DISABLED=1 node frontend/server.mjs --host 127.0.0.1 --port $(FRONTEND_PORT) & \
	  SITE=$$!; \
	  trap 'kill $$SEARCH_WORKER $$WEBHOOKS_WORKER $$SCHEDULER $$SITE 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST)

## Run the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL says so), then the
## front end's (FRONTEND_TESTS=0 leaves it out: .ci/run's second pass).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ "$(FRONTEND_TESTS)" != 0 ]; then $(MAKE) --no-print-directory frontend-test; fi

## The front end's type check and unit tests, then its browser tests when Chromium is there
## (against a throwaway CMS with the demo content and the built front end; frontend/e2e/).
frontend-test: $(NODE_STAMP)
	cd frontend && $(NPM) run --silent typecheck && $(NPM) test --silent
	@chromium="$${CHROMIUM_PATH:-/usr/bin/chromium}"; \
	if [ -x "$$chromium" ]; then \
	  $(MAKE) --no-print-directory $(FRONTEND_BUILD) && cd frontend && CHROMIUM_PATH="$$chromium" $(NPM) run --silent test:browser; \
	elif [ -n "$$BROWSER_TESTS_REQUIRED" ]; then \
	  echo "Front end browser tests: Chromium not found at $$chromium and BROWSER_TESTS_REQUIRED is set"; exit 1; \
	else \
	  echo "Front end browser tests skipped: Chromium not found at $$chromium (apt-get install -y chromium)"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

## Publish and unpublish pages whose go-live or expiry time has passed (run it from cron).
publish-scheduled: $(STAMP)
	$(BIN)/python manage.py publish_scheduled

## Write the served GraphQL schema to schema.graphql (commit it: it is the front ends' contract).
schema: $(STAMP)
	$(BIN)/python manage.py graphql_schema --out schema.graphql

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev,bench]"
	rm -f $(VENV)/.bench-installed-* && touch $@

## Benchmarks (benchmarks/RESULTS.md): N = 60, 600, 6000, then under load; SQLite, and
## PostgreSQL too when DATABASE_URL names a server. Rewrites benchmarks/RESULTS.md.
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
	@# Hybrid search: relevance LEXICAL vs HYBRID, speed and indexing at 6,000 (its own section).
	$(BIN)/python -m benchmarks.hybrid

## The same cases at N = 60 only, a few seconds each, no load phase: before touching a hot path.
bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run --quick $(BENCH_ARGS)

## Soak run (benchmarks/SOAK.md): gunicorn and the task worker on a throwaway PostgreSQL and
## Redis for SOAK_MINUTES (10) under load and page changes, each fault injected once midway.
SOAK_MINUTES ?= 10
soak: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.soak --minutes $(SOAK_MINUTES) $(SOAK_ARGS)
