#!/usr/bin/env bash
# `make prod`: the production profile on one machine, in the foreground.
#
# Prepares the database (created if missing, migrated, default content if empty) and the
# static files, then runs gunicorn (config/gunicorn.py), a Celery worker and Celery beat
# against DATABASE_URL and REDIS_URL. Ctrl-C or SIGTERM stops all three; so does any one
# of them stopping (its exit status is the script's). The worker shuts down warm: it
# finishes the task in hand, and tasks not yet done stay in Redis for the next worker.
# Several machines, or boot-time start: deploy/systemd and docs/deploy.md instead.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}

export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/infopoint}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export DATA_DIR=${DATA_DIR:-var}
BIND=${BIND:-127.0.0.1:8000}
# Bound to loopback, gunicorn is reached only through the TLS proxy in front of it
# (deploy/nginx.conf), which sends plain HTTP to HTTPS itself.
case "$BIND" in
  127.*|localhost:*|\[::1\]:*) export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false} ;;
esac
mkdir -p "$DATA_DIR"
if [ -z "${SECRET_KEY:-}" ]; then
  # Made once and kept beside the data, so sessions and links survive restarts.
  if [ ! -s "$DATA_DIR/secret-key" ]; then
    (umask 077 && "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(50))" \
      >"$DATA_DIR/secret-key")
  fi
  SECRET_KEY=$(cat "$DATA_DIR/secret-key")
  export SECRET_KEY
fi

"$BIN/python" scripts/create_database.py "$DATABASE_URL"
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput --verbosity 0
"$BIN/python" manage.py shell --no-imports -c "
import sys
from infopoint.topics.models import Topic
sys.exit(0 if Topic.objects.exists() else 3)" || {
  [ $? -eq 3 ] || exit 1
  echo "The database holds no content: loading the default content."
  "$BIN/python" manage.py load_default_content
}

pids=()
stop() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap 'trap - INT TERM; stop; exit 130' INT
trap 'trap - INT TERM; stop; exit 143' TERM

"$BIN/gunicorn" --config config/gunicorn.py --bind "$BIND" &
pids+=($!)
"$BIN/celery" --app config worker --loglevel INFO &
pids+=($!)
"$BIN/celery" --app config beat --loglevel INFO --schedule "$DATA_DIR/celerybeat-schedule" &
pids+=($!)
echo "Infopoint (production profile): http://$BIND/ — Ctrl-C stops it."

status=0
wait -n || status=$?
trap - INT TERM
echo "A process stopped (status $status): stopping the others." >&2
stop
exit "$status"
