"""The read-replica router with two database aliases (the replica mirrors the primary in tests)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from bcf_dashboard.core import db_routers
from bcf_dashboard.core.models import Area

TWO_DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}


@pytest.fixture
def router():
    return db_routers.PrimaryReplicaRouter()


def through_middleware(method, cookies=None):
    seen = {}

    def view(request):
        seen["read"] = db_routers.PrimaryReplicaRouter().db_for_read(Area)
        seen["write"] = db_routers.PrimaryReplicaRouter().db_for_write(Area)
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method.lower())("/")
    request.COOKIES.update(cookies or {})
    response = db_routers.PinPrimaryMiddleware(view)(request)
    return seen, response


@override_settings(DATABASES=TWO_DATABASES)
def test_reads_go_to_the_replica_and_writes_to_the_primary(router):
    assert router.db_for_read(Area) == "replica"
    assert router.db_for_write(Area) == "default"
    assert router.allow_migrate("default", "bcf_dashboard") and not router.allow_migrate("replica", "bcf_dashboard")


@override_settings(DATABASES=TWO_DATABASES)
def test_a_write_request_reads_the_primary_and_pins_the_next_requests():
    seen, response = through_middleware("POST")
    assert seen == {"read": "default", "write": "default"}
    assert response.cookies[db_routers.PIN_COOKIE]["max-age"] == 10
    seen, _ = through_middleware("GET", cookies={db_routers.PIN_COOKIE: "1"})
    assert seen["read"] == "default"  # right after a write: still the primary
    seen, response = through_middleware("GET")
    assert seen["read"] == "replica" and db_routers.PIN_COOKIE not in response.cookies


def test_without_a_replica_everything_uses_the_primary(router):
    assert router.db_for_read(Area) == "default"
