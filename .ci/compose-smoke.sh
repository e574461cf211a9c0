#!/usr/bin/env bash
# Smoke test of the production image under compose.yaml (the `deploy` job of
# .github/workflows/ci.yml): the stack becomes ready, the admin login page loads, GraphQL
# answers, a search answers, a page published in the CMS reaches the search index, and the
# front end (service `frontend`) renders the home page and that publication's page.
# Run from the repository's root with the stack started (`docker compose up -d --build`).
set -euo pipefail

BASE="${BASE:-http://localhost:${WEB_PORT:-8000}}"
FRONT="${FRONT:-http://localhost:${FRONTEND_PORT:-3000}}"
# The stack has no TLS proxy in front: say the request came over HTTPS, as a proxy would.
HEADERS=(-H "X-Forwarded-Proto: https" -H "Host: localhost")
WORD="smokeword$(date +%s)"

say() { printf '\n== %s\n' "$*"; }

graphql() {
  curl -fsS --max-time 10 "${HEADERS[@]}" -H "Content-Type: application/json" \
    --data "$1" "$BASE/graphql/"
}

fail() {
  echo "FAILED: $*" >&2
  docker compose ps >&2 || true
  docker compose logs --tail 80 >&2 || true
  exit 1
}

say "waiting for /readyz (database, cache and search required)"
ready=""
for _ in $(seq 1 90); do
  if body=$(curl -fsS --max-time 5 "${HEADERS[@]}" "$BASE/readyz" 2>/dev/null); then
    ready="$body"
    break
  fi
  sleep 2
done
[ -n "$ready" ] || fail "/readyz never answered 200 within 180 s"
echo "$ready"
# Bodies are read whole before grep: `curl | grep -q` could fail on SIGPIPE under pipefail.
health=$(curl -fsS --max-time 5 "${HEADERS[@]}" "$BASE/healthz") || fail "/healthz"
grep -q '"ok"' <<<"$health" || fail "/healthz: $health"

say "admin login page"
login=$(curl -fsS --max-time 10 "${HEADERS[@]}" "$BASE/admin/login/") || fail "/admin/login/"
grep -qi 'type="password"' <<<"$login" || fail "no login form at /admin/login/"

say "a GraphQL query"
topics=$(graphql '{"query": "{ topics { name } }"}')
echo "$topics"
grep -q '"data"' <<<"$topics" || fail "GraphQL: $topics"
if grep -q '"errors"' <<<"$topics"; then fail "GraphQL errors: $topics"; fi

say "a search"
before=$(graphql "{\"query\": \"{ search(query: \\\"$WORD\\\") { total } }\"}")
echo "$before"
grep -q '"total": *0' <<<"$before" || fail "search before the publish: $before"

say "a publish (in the web container, through Wagtail's own publish)"
published=$(docker compose exec -T web python manage.py shell -c "
import datetime
from wagtail.models import Site
from publications.models import PublicationIndexPage, PublicationPage
root = Site.objects.get(is_default_site=True).root_page
index = PublicationIndexPage.objects.first()
if index is None:
    index = root.add_child(instance=PublicationIndexPage(title='Publications', slug='publications'))
page = index.add_child(instance=PublicationPage(
    title='Smoke test $WORD', slug='$WORD', live=False,
    date=datetime.date(2026, 1, 1), date_precision='day', publication_type='report'))
page.save_revision().publish()
print(page.pk, page.get_url_parts()[2])
" | tail -n 1)
read -r page_id page_path <<<"$published"
echo "published page $page_id at $page_path"
[[ "$page_id" =~ ^[0-9]+$ ]] || fail "the publish printed no page id: $published"
[[ "$page_path" == /*/$WORD/ ]] || fail "the publish printed no path: $published"

say "the worker indexes it: a search finds it"
found=""
for _ in $(seq 1 60); do
  hits=$(graphql "{\"query\": \"{ search(query: \\\"$WORD\\\") { total hits { id title } } }\"}")
  if grep -q "\"id\": *\"$page_id\"" <<<"$hits"; then
    found="$hits"
    break
  fi
  sleep 2
done
[ -n "$found" ] || fail "page $page_id not found by a search within 120 s: $hits"
echo "$found"

say "the front end: the home page and the publication's page, read from the API"
# It starts once web's HEALTHCHECK has passed (15 s or more after web): wait for it.
up=""
for _ in $(seq 1 45); do
  if curl -fsS --max-time 5 -o /dev/null "$FRONT/robots.txt" 2>/dev/null; then
    up=1
    break
  fi
  sleep 2
done
[ -n "$up" ] || fail "the front end never answered /robots.txt within 90 s"
# Host: the Wagtail site served (SITES); the default site of a fresh database is localhost.
front() {
  curl -fsS --max-time 20 -H "Host: localhost" "$FRONT$1" || fail "front end: GET $1"
}
home=$(front /)
grep -qi '<html' <<<"$home" || fail "front end's home page is no HTML page"
item=$(front "$page_path")
grep -q "Smoke test $WORD" <<<"$item" || fail "front end: $page_path does not show the title"
# Next.js renders the page in the response; a 200 without the title would be an error page.
echo "front end: / and $page_path rendered"

say "smoke test passed: ready, admin, GraphQL, search, publish indexed (page $page_id), front end"
