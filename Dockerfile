# The CMS's production image (docs/deploy.md). Built and run by the `deploy` job of
# .github/workflows/ci.yml; no Docker engine runs on the project's own machines.
#
# The front end will get its own build stage (node, `npm ci && npm run build`, its output
# copied into the runtime stage) when `frontend/` exists; there is none yet.

ARG PYTHON_VERSION=3.11

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
    python manage.py collectstatic --noinput --verbosity 0

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
    CMD python -c "import os, urllib.request; h = os.environ['ALLOWED_HOSTS'].split(',')[0].strip().lstrip('.') or 'localhost'; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"

# The worker runs the same image with another command (compose.yaml, docs/deploy.md).
CMD ["gunicorn", "cms.wsgi:application", "--config", "gunicorn.conf.py"]
