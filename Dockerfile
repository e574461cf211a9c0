# The CMS's production image and the front end's (docs/deploy.md). Built and run by the
# `deploy` job of .github/workflows/ci.yml; no Docker engine runs on the project's own machines.
#
# Two images from one file: the default target (the last stage, `runtime`) is the CMS (web,
# workers, scheduler); `--target frontend` is the Next.js front end of frontend/, built in a
# stage of its own (`frontend-build`) and run without its dev dependencies.

ARG PYTHON_VERSION=3.11
ARG NODE_VERSION=20

# --- Front end build: npm ci from the lock file, then codegen and `next build` ----------------
FROM node:${NODE_VERSION}-bookworm-slim AS frontend-build

ENV NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
WORKDIR /app/frontend
# A layer of its own, rebuilt only when the lock file changes.
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
# codegen reads the API's schema from ../schema.graphql (frontend/codegen.ts).
COPY schema.graphql /app/schema.graphql
COPY frontend/ ./
# next.config.ts has no `output: "standalone"` (server.mjs is a custom server around next()):
# the runtime keeps node_modules, pruned to the production dependencies. The build cache is
# of no use at run time.
RUN npm run build && npm prune --omit=dev && rm -rf .next/cache

# --- Front end runtime: server.mjs, the build, production node_modules; not root ---------------
FROM node:${NODE_VERSION}-bookworm-slim AS frontend

ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
WORKDIR /app/frontend
# Owned by root, read by `node` (the base image's unprivileged user): the process cannot
# change its own code. next.config.ts imports src/lib/routing.ts, read at start.
COPY --from=frontend-build /app/frontend/package.json /app/frontend/server.mjs /app/frontend/next.config.ts ./
COPY --from=frontend-build /app/frontend/src ./src
COPY --from=frontend-build /app/frontend/node_modules ./node_modules
COPY --from=frontend-build /app/frontend/.next ./.next
USER node

EXPOSE 3000
# Liveness only: robots.txt is made without asking the API (the pages answer 503 while the
# API is down, which is the API's health, not this process's).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:3000/robots.txt', {signal: AbortSignal.timeout(4000)}).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# CMS_API_URL, CMS_PUBLIC_URL, CMS_API_KEY and SITES from the environment (compose.yaml).
CMD ["node", "server.mjs", "--host", "0.0.0.0", "--port", "3000"]

# --- Build: the pinned packages in a virtualenv, and the static files collected ------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app

# The same pip and setuptools as `make install` (the bundled ones carry known advisories).
RUN pip install pip==26.3 setuptools==84.2.1
# The main dependencies and the s3 extra (media in object storage), exactly as pinned in
# pyproject.toml (no dev or bench extras); a layer of its own, rebuilt only when
# pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['s3']))" > requirements.txt \
    && pip install -r requirements.txt

COPY . .
# Settings need a key and hosts to load; these two exist only for this build step.
RUN DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY=collectstatic-only-not-a-secret \
    ALLOWED_HOSTS=localhost STATIC_ROOT=/app/static \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf frontend  # its own image (the `frontend` target); nothing here reads it

# --- Runtime: the virtualenv, the code and the static files; no compiler, not root ---------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    STATIC_ROOT=/app/static \
    CMS_VAR_DIR=/var/lib/cms \
    PROMETHEUS_MULTIPROC_DIR=/tmp/cms-metrics \
    WEB_BIND=0.0.0.0:8000

RUN groupadd --system cms && useradd --system --gid cms --home-dir /app --no-create-home cms \
    && mkdir -p /var/lib/cms/media /tmp/cms-metrics && chown -R cms:cms /var/lib/cms /tmp/cms-metrics

COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER cms

EXPOSE 8000
# Liveness only (/readyz is for the load balancer). A Host from ALLOWED_HOSTS is needed; the
# probe is exempt from the HTTPS redirect. python, not curl: the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; h = os.environ['ALLOWED_HOSTS'].split(',')[0].strip().lstrip('.') or 'localhost'; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"]

# The worker runs the same image with another command (compose.yaml, docs/deploy.md).
CMD ["gunicorn", "cms.wsgi:application", "--config", "gunicorn.conf.py"]
