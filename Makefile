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

.PHONY: run test lint install schema publish-scheduled bench bench-quick soak

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@# The pip and setuptools that venv bundles carry known advisories (.ci/osv_audit.py).
	$(BIN)/pip install --quiet --disable-pip-version-check pip==26.3 setuptools==84.2.1
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## Serve the CMS with the demo catalogue on http://127.0.0.1:8000 (admin at /admin/), and the
## search index's worker beside it.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_load
	$(BIN)/python manage.py search_reindex --if-missing
	@# The search index's worker runs beside the server and stops with it (no line per
	@# task; failed updates are logged by search.indexing, and `search_status` lists them).
	@# tasks_worker is django-tasks-db's db_worker with a lease (cms/task_leases.py).
	TASK_LOG_LEVEL=WARNING $(BIN)/python manage.py tasks_worker --backend search --queue-name search --interval 1 -v 0 & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST)

## Run the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL says so).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

## The same cases at N = 60 only, a few seconds each, no load phase: before touching a hot path.
bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run --quick $(BENCH_ARGS)

## Soak run (benchmarks/SOAK.md): gunicorn and the task worker on a throwaway PostgreSQL and
## Redis for SOAK_MINUTES (10) under load and page changes, each fault injected once midway.
SOAK_MINUTES ?= 10
soak: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.soak --minutes $(SOAK_MINUTES) $(SOAK_ARGS)
