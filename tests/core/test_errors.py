"""The error pages: a lost database answers a clean 503 "try again", any other failure a clean 500.

This module is also the URLconf of the tests marked ``urls(__name__)``: the site's own
patterns and handler, plus views that fail the way a database restart makes them fail.
"""

import sys

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from bcf_dashboard.core import errors
from bcf_dashboard.urls import handler500
from bcf_dashboard.urls import urlpatterns as site_patterns

TERMINATED = "terminating connection due to administrator command"


def _failing(exc_factory):
    @login_not_required
    def view(request):
        raise exc_factory()

    return view


def _wrapped():
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as exc:
        raise RuntimeError("while rendering the dashboard") from exc


urlpatterns = site_patterns + [
    path("test-errors/terminated/", _failing(lambda: OperationalError(TERMINATED))),
    path("test-errors/closed/", _failing(lambda: InterfaceError("connection already closed"))),
    path("test-errors/wrapped/", _failing(_wrapped)),
    path("test-errors/bug/", _failing(lambda: ZeroDivisionError("a bug, not an outage"))),
]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _text(response):
    return response.content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/test-errors/terminated/", "/test-errors/closed/", "/test-errors/wrapped/"])
def test_a_lost_database_answers_503_with_a_try_again_page(client, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    page = _text(response)
    assert "The service is briefly unavailable" in page
    assert "Try again in a few seconds" in page
    for leak in ("Traceback", "OperationalError", "InterfaceError", TERMINATED, "connection already closed"):
        assert leak not in page


@pytest.mark.urls(__name__)
def test_any_other_failure_answers_500_without_its_details(client):
    response = client.get("/test-errors/bug/")
    assert response.status_code == 500
    page = _text(response)
    assert "Something went wrong" in page
    assert "briefly unavailable" not in page
    assert "Traceback" not in page and "ZeroDivisionError" not in page and "a bug, not an outage" not in page


@pytest.mark.django_db
def test_a_session_lookup_that_loses_the_database_answers_503(personas, monkeypatch):
    """Every signed-in request reads its session first, in a middleware, before any view runs."""
    from django.contrib.sessions.backends.db import SessionStore

    client = Client(raise_request_exception=False)
    client.force_login(personas.finance_a)

    def lost(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", lost)
    response = client.get(f"/areas/{personas.area_a.code}/entry/")
    assert response.status_code == 503
    assert "briefly unavailable" in _text(response)
    assert "Connection refused" not in _text(response)


def test_the_site_uses_the_handler():
    assert handler500 == "bcf_dashboard.core.errors.server_error"


@pytest.mark.django_db
def test_the_error_pages_run_no_query_while_the_database_may_be_down(rf, django_assert_num_queries):
    request = rf.get("/")
    for raised, status in ((OperationalError("gone"), 503), (KeyError("bug"), 500)):
        with django_assert_num_queries(0):
            try:
                raise raised
            except Exception:
                assert sys.exc_info()[1] is raised
                response = errors.server_error(request)
        assert response.status_code == status
