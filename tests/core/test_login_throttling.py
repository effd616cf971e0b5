"""Sign-in throttling (django-axes): five wrong passwords lock that username from that address for
15 minutes; other addresses and other usernames go on; the lock-out says nothing about whether
the username exists."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

from bcf_dashboard.core.security import client_address
from tests.support.personas import PASSWORD

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username, password, address=ATTACKER):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address=ATTACKER):
    return [sign_in(client, username, "not-the-password", address) for _ in range(times)]


def page_text(response, username):
    """The page as a person sees it, without the parts that differ on every response."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return text.replace(username, "USERNAME")


def test_five_wrong_passwords_lock_that_username_from_that_address(client, personas):
    before = fail(client, "hwb_a", 4)
    assert [r.status_code for r in before] == [200] * 4  # the ordinary "there is a problem"
    locked = fail(client, "hwb_a", 1)[0]
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert "Wait 15 minutes" in locked.content.decode()
    # Even the right password is refused while locked, so the lock-out is no password oracle.
    assert sign_in(client, "hwb_a", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_same_username_from_another_address_still_signs_in(client, personas):
    fail(client, "hwb_a", 5)
    elsewhere = Client()
    response = sign_in(elsewhere, "hwb_a", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_another_username_from_the_same_address_still_signs_in(client, personas):
    fail(client, "hwb_a", 5)
    assert sign_in(client, "finance_a", PASSWORD).status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client, personas):
    fail(client, "hwb_a", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert sign_in(client, "hwb_a", PASSWORD).status_code == 429  # still cooling off
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
    response = sign_in(client, "hwb_a", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(personas.hwb_a.pk)


def test_a_successful_sign_in_clears_earlier_failures(client, personas):
    fail(client, "hwb_a", 4)
    assert sign_in(client, "hwb_a", PASSWORD).status_code == 302
    client.logout()
    assert [r.status_code for r in fail(client, "hwb_a", 4)] == [200] * 4


def test_lock_out_looks_the_same_for_real_and_made_up_usernames(personas):
    real, made_up = Client(), Client()
    real_responses = fail(real, "hwb_a", 5)
    made_up_responses = fail(made_up, "no_such_person", 5)
    for real_response, made_up_response in zip(real_responses, made_up_responses):
        assert real_response.status_code == made_up_response.status_code
        assert page_text(real_response, "hwb_a") == page_text(made_up_response, "no_such_person")
    assert real_responses[-1].status_code == 429


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "1.2.3.4, 192.0.2.9", "192.0.2.9"),  # nginx appended the address it saw
        (1, "", "10.0.0.1"),  # nothing forwarded: the peer
        (2, "192.0.2.9, 10.0.0.5", "192.0.2.9"),  # balancer then nginx
    ],
)
def test_client_address_believes_only_the_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
