# Pagecart: one image for a single container on SQLite or many app servers on PostgreSQL.
# PYTHON_IMAGE may be any Debian-based image with python3 and its venv module (CI builds one locally
# with debootstrap, as no image registry is reachable there).
ARG PYTHON_IMAGE=python:3.12-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim
# css-build compiles the CSS with Node; css-committed takes the committed file, which `make css-check`
# proves equal to a fresh build, for builders without a Node image.
ARG CSS_STAGE=css-build

# --- Stage 1: compile the Tailwind CSS from the templates ------------------------------------
FROM ${NODE_IMAGE} AS css-build
# NODE_EXTRA_CA_CERTS (a build argument, which RUN sees as the variable Node reads) names a CA bundle
# mounted into the build, for builders behind a TLS proxy, as PIP_CERT does below.
ARG NODE_EXTRA_CA_CERTS=""
WORKDIR /app/theme/static_src
COPY theme/static_src/package.json theme/static_src/package-lock.json ./
RUN npm ci --no-audit --no-fund
# Tailwind scans the templates and Python files for class names.
COPY . /app
RUN npm run build

FROM ${PYTHON_IMAGE} AS css-committed
COPY theme/static/css/dist/styles.css /app/theme/static/css/dist/styles.css

FROM ${CSS_STAGE} AS css

# --- Stage 2: the slim runtime ---------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DATA_DIR=/data \
    PORT=8000 \
    WEB_CONCURRENCY=2

# nginx is the buffering front of the single container (docker/entrypoint.sh `web`): it serves static files
# and media, and holds slow clients so gunicorn's sync workers never wait on one. postgresql-client gives
# `manage.py backup`/`restore` pg_dump and pg_restore for the scale profile's PostgreSQL (Debian 12: 15).
# policy-rc.d keeps the package from starting nginx as a service during the build (the image starts it itself).
# hadolint ignore=DL3008
RUN printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
    && apt-get update \
    && apt-get install --yes --no-install-recommends nginx-light postgresql-client \
    && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d

# The folders exist, owned by the app's user, so a fresh named volume mounted on them is writable.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin pagecart \
    && mkdir -p /data/media /data/private /srv/static \
    && chown -R pagecart:pagecart /data /srv/static

WORKDIR /app
# A virtualenv: Debian's own python3 refuses pip installs into the system (PEP 668).
RUN python3 -m venv /opt/venv
COPY requirements.txt ./
# PIP_CERT (a build argument) names a CA bundle mounted into the build, for builders behind a TLS proxy.
ARG PIP_CERT
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=pagecart:pagecart . .
COPY --from=css --chown=pagecart:pagecart /app/theme/static/css/dist/styles.css theme/static/css/dist/styles.css
# Static files are collected into the image; the settings need a key and hosts only to load.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost CHECKOUT_ENABLED=false python manage.py collectstatic --noinput \
    && chmod +x docker/entrypoint.sh docker/nginx-config

USER 10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["docker/entrypoint.sh"]
# nginx on PORT in front of gunicorn; "gunicorn" runs gunicorn alone, for behind a proxy of one's own.
CMD ["web"]
