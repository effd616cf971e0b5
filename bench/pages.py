"""Time whole pages as the server sees them: Django's test Client, logged in, full middleware.

For each page: median and 95th percentile over ``requests`` timed requests after a warm-up,
the number of database queries one request makes, and the *floor*: the same SQL statements
run directly with a cursor (no ORM, no Python work on the rows, no templates). The page's
median divided by the floor says how much of the time is Python rather than the database.
"""

import statistics
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

# "Cold": no page cached, as on the first view after a write (or on a machine with a cache of its own);
# the area-year's figures as the write or the worker stored them (bcf_dashboard.digests.figures).
# "Unstored": cold, and the figures worked out by the engine too: the first view after a write that the
# worker has not caught up with, or after a deploy.
TASKS_TABLE = "django_tasks_database_dbtaskresult"
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def forget_figures():
    from bcf_dashboard.digests.models import StoredFigures

    StoredFigures.objects.all().delete()


@dataclass
class Timing:
    label: str
    median: float
    p95: float | None
    queries: int | None = None
    floor: float | None = None
    notes: str = ""
    cold: "Timing | None" = None  # the same page with no cache
    unstored: "Timing | None" = None  # ... and no stored figures

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None


def percentiles(samples) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class _Rollback(Exception):
    pass


def sql_floor(statements, *, repeats=15) -> float | None:
    """Median time (ms) of running the captured statements again, bare, fetching every row.

    Writes run inside a transaction that is rolled back, so the floor of a save leaves no trace. A task
    queued as a save commits is left out: its row, named by a new id, is already there.
    """
    statements = [q["sql"] for q in statements if not q["sql"].startswith(f'INSERT INTO "{TASKS_TABLE}"')]
    if not statements:
        return None
    samples = []
    for _ in range(repeats):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    raw = cursor.cursor  # psycopg2's own cursor: no debug wrapper, no ORM
                    start = time.perf_counter()
                    for sql in statements:
                        raw.execute(sql)
                        if raw.description is not None:
                            raw.fetchall()
                    samples.append((time.perf_counter() - start) * 1000)
                raise _Rollback
        except _Rollback:
            pass
    return statistics.median(samples)


def time_get(label, client, url, *, requests, warmup=5, notes="", cold=True) -> Timing:
    """Warm (the cached parts cached: every view but the first after a write) and, with ``cold``,
    again with no cache at all."""
    found = _time_get(label, client, url, requests=requests, warmup=warmup, notes=notes)
    if cold:
        with override_settings(CACHES=NO_CACHE):
            found.cold = _time_get(label, client, url, requests=requests, warmup=2, notes=notes)
            found.unstored = _time_get(
                label, client, url, requests=requests, warmup=2, notes=notes, before_each=forget_figures
            )
    return found


def _time_get(label, client, url, *, requests, warmup, notes, before_each=None) -> Timing:
    before_each = before_each or (lambda: None)  # untimed: what the request should find
    for _ in range(warmup):
        before_each()
        response = client.get(url)
        assert response.status_code == 200, (label, url, response.status_code)
    before_each()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    captured = list(ctx.captured_queries)
    samples = []
    for _ in range(requests):
        before_each()
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    median, p95 = percentiles(samples)
    return Timing(label, median, p95, len(captured), sql_floor(captured), notes)


def time_post(label, client, url, make_data, *, requests, warmup=3, expect=302, notes="") -> Timing:
    """``make_data(i)`` gives the i-th request's form data (each save must change something)."""
    i = 0

    def post():
        nonlocal i
        data = make_data(i)
        i += 1
        start = time.perf_counter()
        response = client.post(url, data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == expect, (
            label,
            response.status_code,
            response.content[:2000] if expect != 302 else "",
        )
        return elapsed

    for _ in range(warmup):
        post()
    data = make_data(i)
    i += 1
    with CaptureQueriesContext(connection) as ctx:
        client.post(url, data)
    captured = list(ctx.captured_queries)
    samples = [post() for _ in range(requests)]
    median, p95 = percentiles(samples)
    return Timing(label, median, p95, len(captured), sql_floor(captured), notes)
