"""gunicorn's settings for an app server: `gunicorn -c bin/gunicorn.conf.py bcf_dashboard.wsgi`.

Every value can be moved by an environment variable (GUNICORN_*), so one file serves the laptop, the
load test (bench/serve.sh) and each app server of a regional or national deployment
(docs/deployment.md). Slow work (PDFs, large uploads) runs in `manage.py worker`, never here, so a
request's time is bounded and the timeout can stay short.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# About 1.5 workers per core: the work is the database's as much as Python's.
workers = int(os.environ.get("GUNICORN_WORKERS", str(max(2, multiprocessing.cpu_count() * 3 // 2))))
# Threaded workers keep a proxy's (or a load tester's) connections alive; sync workers close each one,
# and a reconnect that finds the accept queue full waits a second for TCP to retry.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A fresh process now and then, staggered, so no slow leak builds up and no two restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# No request should take long: one that does is killed, and gunicorn starts another worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On a deploy or a scale-in (SIGTERM), requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
# Behind the proxy: X-Forwarded-* from it are trusted (the proxy's address; Django's own is
# TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """The loaded app's objects (Django, the URL patterns, the models: over 100,000) are moved
    out of the garbage collector's sight. A big area's page leaves thousands of objects in reference
    cycles (Django's template contexts, django-tables2's tables), and every full collection they set
    off walked the whole app as well: at 400 schemes, frozen, the cold dashboard's, summary JSON's and
    quarterly summary's 95th percentiles fell by 60-90 ms (their medians stayed as they were)."""
    import gc

    gc.collect()
    gc.freeze()
