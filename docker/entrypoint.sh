#!/bin/bash
# Applies migrations (unless MIGRATE_ON_START=false, when one separate job runs them; every migrate also sets
# the Site's address from SITE_URL), shares the static files with a proxy when STATIC_EXPORT_DIR names its
# volume, then runs the given command:
#   web       (the default) nginx on PORT in front of gunicorn on a unix socket: the single container.
#             nginx serves /static/ and /media/, hands paid files over by X-Accel-Redirect and buffers every
#             request, so a slow client never holds one of gunicorn's sync workers.
#   gunicorn  gunicorn alone on PORT, for behind a buffering proxy (the scale profile's nginx), which
#             BEHIND_BUFFERING_PROXY=true states; without it gunicorn warns at start (gunicorn.conf.py).
set -euo pipefail
if [ "${MIGRATE_ON_START:-true}" != "false" ]; then
  python manage.py migrate --noinput
fi
if [ -n "${STATIC_EXPORT_DIR:-}" ]; then
  # Hashed names: files of an older image beside the new ones do no harm.
  cp -R staticfiles/. "${STATIC_EXPORT_DIR}/"
fi

case "${1:-web}" in
web)
  export PATH="$PATH:/usr/sbin"  # nginx's folder, whatever PATH the base image set
  run_dir=${RUN_DIR:-/tmp/pagecart}
  mkdir -p "$run_dir"
  # The folders the settings use, with the same defaults (config/settings/base.py).
  data_dir=${DATA_DIR:-$PWD/data}
  export NGINX_LISTEN="${NGINX_LISTEN:-0.0.0.0:${PORT:-8000}}" NGINX_UPSTREAM="unix:${run_dir}/gunicorn.sock" \
    NGINX_STATIC_DIR="${STATIC_ROOT:-$PWD/staticfiles}" NGINX_MEDIA_DIR="${MEDIA_ROOT:-$data_dir/media}" \
    NGINX_PRIVATE_DIR="${PRIVATE_ROOT:-$data_dir/private}" NGINX_RUN_DIR="$run_dir"
  mkdir -p "$NGINX_MEDIA_DIR" "$NGINX_PRIVATE_DIR"
  docker/nginx-config >"$run_dir/nginx.conf"
  # nginx is the one proxy: the shopper's address is the last in X-Forwarded-For, and paid files leave by it.
  export TRUSTED_PROXY_COUNT="${TRUSTED_PROXY_COUNT:-1}"
  if [ -z "${PRIVATE_S3_BUCKET:-}" ]; then
    export DOWNLOAD_DELIVERY="${DOWNLOAD_DELIVERY:-x-accel}"
  fi
  trap 'kill -TERM "${gunicorn_pid:-}" "${nginx_pid:-}" 2>/dev/null' TERM INT
  gunicorn config.wsgi:application \
    --bind "unix:${run_dir}/gunicorn.sock" \
    --workers "${WEB_CONCURRENCY:-2}" \
    --no-control-socket &
  gunicorn_pid=$!
  nginx -e stderr -c "$run_dir/nginx.conf" &
  nginx_pid=$!
  # Either one ending ends the container (and its restart policy starts both again); a stop signal reaches both.
  status=0
  wait -n "$gunicorn_pid" "$nginx_pid" || status=$?
  kill -TERM "$gunicorn_pid" "$nginx_pid" 2>/dev/null || true
  wait || true
  exit "$status"
  ;;
gunicorn)
  exec gunicorn config.wsgi:application \
    --bind "0.0.0.0:${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-2}" \
    --no-control-socket \
    --access-logfile - \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
  ;;
esac
exec "$@"
