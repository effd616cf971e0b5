"""Reads from a PostgreSQL read replica, writes and read-your-writes from the primary.

Set ``REPLICA_DATABASE_URL`` to turn it on. A request that writes (any method but GET,
HEAD, OPTIONS) reads the primary for the rest of the request, and the next few seconds of
that browser's requests do too (a short-lived cookie), so nobody sees their own change
missing because the replica lags behind.
"""

import contextlib
import contextvars

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "bcf_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_pinned = contextvars.ContextVar("bcf_read_primary", default=False)


def pin_to_primary():
    """Read the primary from now on in this request (or task)."""
    _pinned.set(True)


@contextlib.contextmanager
def reading_primary():
    """Read the primary inside this block: a task or command that must see what was just committed."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _pinned.get() or REPLICA not in settings.DATABASES:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PinPrimaryMiddleware:
    """Pins writes, and the requests just after them, to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = getattr(settings, "REPLICA_PIN_SECONDS", 10)

    def __call__(self, request):
        token = _pinned.set(request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=self.seconds, httponly=True, samesite="Lax", secure=request.is_secure()
            )
        return response
