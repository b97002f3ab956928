#!/bin/sh
# Applies migrations, then runs the given command; "gunicorn" starts the app server.
set -eu
python manage.py migrate --noinput
if [ "$1" = "gunicorn" ]; then
  exec gunicorn website.wsgi:application \
    --bind "0.0.0.0:${PORT}" \
    --workers "${WEB_CONCURRENCY}" \
    --no-control-socket \
    --access-logfile - \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
fi
exec "$@"
