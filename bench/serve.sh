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
# gthread workers keep connections alive (a proxy's or a load tester's): sync workers close each one,
# and a reconnect that finds the accept queue full waits a second for TCP to retry.
exec .venv/bin/gunicorn bcf_dashboard.wsgi --bind "127.0.0.1:$port" --workers "$workers" \
  --worker-class gthread --threads "${THREADS:-2}" \
  --max-requests 5000 --max-requests-jitter 500 --timeout 60 --log-level warning
