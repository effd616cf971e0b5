"""Sessions end after 30 minutes without a request and 12 hours after signing in, and keeping
them alive costs an ordinary page view nothing (a write at most once a minute)."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bcf_dashboard.core import session_limits
from tests.support.personas import PASSWORD

MINUTE = 60
HOME = "/"


@pytest.fixture
def signed_in(client, personas):
    client.force_login(personas.hwb_a)
    client.signed_in_at = client.session[session_limits.SIGNED_IN_AT]
    return client


def at(client, seconds_after_sign_in):
    """The middleware's clock moved to ``seconds_after_sign_in``."""
    return mock.patch.object(session_limits, "now", return_value=client.signed_in_at + seconds_after_sign_in)


def get(client, path, seconds_after_sign_in):
    with at(client, seconds_after_sign_in):
        return client.get(path)


def assert_sent_to_sign_in(response):
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={HOME}"


def test_signing_in_starts_both_clocks(client, personas):
    response = client.post(reverse("login"), {"username": "hwb_a", "password": PASSWORD})
    assert response.status_code == 302
    session = client.session
    assert session[session_limits.SIGNED_IN_AT] == session[session_limits.LAST_SEEN_AT]


def test_thirty_minutes_idle_signs_out_with_a_reason(signed_in):
    assert get(signed_in, HOME, 29 * MINUTE).status_code == 200
    # 29 minutes of activity restarted the idle clock; 31 idle minutes after it end the session.
    response = get(signed_in, HOME, 60 * MINUTE + 1)
    assert_sent_to_sign_in(response)
    login_page = signed_in.get(response["Location"])
    assert "after 30 minutes without activity" in login_page.content.decode()
    assert "_auth_user_id" not in signed_in.session
    # Signed out for good: a later request (clock back in range) is not let in again.
    assert get(signed_in, HOME, 61 * MINUTE).status_code == 302


def test_just_under_thirty_idle_minutes_keeps_the_session(signed_in):
    assert get(signed_in, HOME, 30 * MINUTE - 1).status_code == 200


def test_twelve_hours_after_signing_in_signs_out_however_active(signed_in):
    # A request every 25 minutes: never idle, and each refresh pushes the cookie's expiry forward.
    for moment in range(25 * MINUTE, 12 * 60 * MINUTE, 25 * MINUTE):
        assert get(signed_in, HOME, moment).status_code == 200, moment
    response = get(signed_in, HOME, 12 * 60 * MINUTE + 1)
    assert_sent_to_sign_in(response)
    assert "more than 12 hours since you signed in" in signed_in.get(response["Location"]).content.decode()


def test_a_page_view_writes_the_session_at_most_once_a_minute(signed_in):
    get(signed_in, HOME, 5 * MINUTE)  # refreshes last seen
    last_seen = signed_in.session[session_limits.LAST_SEEN_AT]
    with CaptureQueriesContext(connection) as within_the_minute:
        assert get(signed_in, HOME, 5 * MINUTE + 59).status_code == 200
    assert not [
        q
        for q in within_the_minute.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert signed_in.session[session_limits.LAST_SEEN_AT] == last_seen
    with CaptureQueriesContext(connection) as after_a_minute:
        assert get(signed_in, HOME, 6 * MINUTE).status_code == 200
    assert [
        q
        for q in after_a_minute.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert signed_in.session[session_limits.LAST_SEEN_AT] == last_seen + MINUTE


def test_a_session_from_before_the_limits_gets_its_clocks_on_the_next_request(signed_in):
    session = signed_in.session
    for key in (session_limits.SIGNED_IN_AT, session_limits.LAST_SEEN_AT):
        del session[key]
    session.save()
    assert signed_in.get(HOME).status_code == 200
    session = signed_in.session
    assert session[session_limits.SIGNED_IN_AT] == session[session_limits.LAST_SEEN_AT]


def test_the_cookie_lasts_no_longer_than_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
