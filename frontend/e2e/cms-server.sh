#!/usr/bin/env bash
# The CMS the browser tests run against: a throwaway SQLite database, media and search index
# under frontend/.e2e-cms/, with the demo content and e2e/cms_setup.py's additions, served by
# runserver on E2E_CMS_PORT (playwright.config.ts starts it and sets the environment).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CMS_VAR_DIR="$PWD/frontend/.e2e-cms"
rm -rf "$CMS_VAR_DIR" && mkdir -p "$CMS_VAR_DIR"
py=.venv/bin/python
echo "e2e CMS: migrating a fresh database in $CMS_VAR_DIR"
$py manage.py migrate --noinput -v 0
$py manage.py demo_load
$py manage.py shell -v 0 < frontend/e2e/cms_setup.py
# After the setup: its translations are found by each language's search.
$py manage.py search_reindex
exec $py manage.py runserver "127.0.0.1:${E2E_CMS_PORT:?}" --noreload
