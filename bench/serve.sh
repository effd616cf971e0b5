#!/usr/bin/env bash
# Serve BCF Dashboard as in production, on loopback, for the load test (bench/load.py) and by hand:
# gunicorn with several workers, whitenoise serving the collected static files, DEBUG off,
# BCF_PRODUCTION=1, persistent PostgreSQL connections with health checks, the database cache.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5433/bcf_bench [THREADS=2] bench/serve.sh [PORT] [WORKERS]
#
# SECURE_SSL_REDIRECT=0 only because this serves plain HTTP on 127.0.0.1; behind the real
# proxy (docs/deployment.md) TLS ends at the proxy and the redirect stays on.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8001}
workers=${2:-4}
export BCF_PRODUCTION=1 DEBUG=0 SECURE_SSL_REDIRECT=0
export SECRET_KEY=${SECRET_KEY:-bench-only-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5433/bcf_bench}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export CONN_MAX_AGE=${CONN_MAX_AGE:-60}
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py createcachetable
# bin/gunicorn.conf.py: gthread workers (they keep connections alive), recycling, timeouts.
export GUNICORN_BIND="127.0.0.1:$port" GUNICORN_WORKERS="$workers" GUNICORN_THREADS="${THREADS:-2}"
exec .venv/bin/gunicorn -c bin/gunicorn.conf.py bcf_dashboard.wsgi
