#!/bin/sh
# Applies migrations (unless MIGRATE_ON_START=false, when one separate job runs them), shares the
# static files with a proxy when STATIC_EXPORT_DIR names its volume, then runs the given command;
# "gunicorn" starts the app server.
set -eu
if [ "${MIGRATE_ON_START:-true}" != "false" ]; then
  python manage.py migrate --noinput
fi
if [ -n "${STATIC_EXPORT_DIR:-}" ]; then
  # Hashed names: files of an older image beside the new ones do no harm.
  cp -R staticfiles/. "${STATIC_EXPORT_DIR}/"
fi
if [ "$1" = "gunicorn" ]; then
  exec gunicorn website.wsgi:application \
    --bind "0.0.0.0:${PORT}" \
    --workers "${WEB_CONCURRENCY}" \
    --no-control-socket \
    --access-logfile - \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
fi
exec "$@"
