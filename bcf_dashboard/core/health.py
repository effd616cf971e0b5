"""``/health/`` for load balancers and monitoring: the database, the cache and the background queue.

503 when the database or the cache cannot be used (take this server out of the pool); the queue's
backlog is reported, not judged: tasks waiting over a minute mean the workers are too few or stopped.
"""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bcf_dashboard.core.queue import backlog

log = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _cache() -> str:
    probe, value = "bcf-health-probe", uuid.uuid4().hex
    cache.set(probe, value, 30)
    if cache.get(probe) != value:
        raise RuntimeError("the cache did not return what was just stored")
    return "ok"


@login_not_required
@never_cache
@require_GET
def health(request):
    report, healthy = {}, True
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            report[name] = check()
        except Exception as error:  # any failure means "not healthy"; the detail goes to the log
            log.warning("Health check: %s unavailable: %s", name, error)
            report[name], healthy = "unavailable", False
    try:
        report["tasks"] = backlog() if report["database"] == "ok" else "unknown"
    except Exception as error:  # the queue's table missing (not migrated) is reported, not fatal
        log.warning("Health check: task queue unreadable: %s", error)
        report["tasks"] = "unknown"
    report["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(report, status=200 if healthy else 503)
