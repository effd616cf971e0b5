"""Password reset by email, and no way to learn from sign-in or reset whether an account exists."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.support.personas import PASSWORD

KNOWN = "hwb.member@bromley.example"
UNKNOWN = "nobody@bromley.example"
NEW_PASSWORD = "Quarterly-Pool-2026"


@pytest.fixture
def member(personas):
    personas.hwb_a.email = KNOWN
    personas.hwb_a.save()
    return personas.hwb_a


def page_text(response, *variable):
    """The page as a person sees it, without the CSRF token (new on every response) or what was typed."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    for typed in variable:
        text = text.replace(typed, "TYPED")
    return text


def ask_for_reset(email):
    client = Client()
    asked = client.post(reverse("password_reset"), {"email": email})
    return asked, client.get(asked["Location"]) if asked.status_code == 302 else None


def test_sign_in_page_links_to_password_reset_which_needs_no_sign_in(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert "Forgotten your password" in response.content.decode()


def test_reset_answers_the_same_for_known_and_unknown_addresses(member):
    unknown_asked, unknown_page = ask_for_reset(UNKNOWN)
    assert mail.outbox == []
    known_asked, known_page = ask_for_reset(KNOWN)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [KNOWN]
    assert unknown_asked.status_code == known_asked.status_code == 302
    assert unknown_asked["Location"] == known_asked["Location"] == reverse("password_reset_done")
    assert unknown_page.status_code == known_page.status_code == 200
    assert page_text(unknown_page) == page_text(known_page)
    assert "If the address you entered belongs to an account" in known_page.content.decode()


def test_the_emailed_link_sets_a_new_password_once(member, settings):
    ask_for_reset(KNOWN)
    message = mail.outbox[0]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)  # the token moves into the session, off the address bar
    assert "Set a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    short = client.post(set_url, {"new_password1": "Short-pw-11", "new_password2": "Short-pw-11"})
    assert short.status_code == 200 and "at least 12 characters" in short.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert Client().post(reverse("login"), {"username": "hwb_a", "password": NEW_PASSWORD}).status_code == 302
    assert Client().post(reverse("login"), {"username": "hwb_a", "password": PASSWORD}).status_code == 200
    used_again = Client().get(link, follow=True)
    assert "This link does not work" in used_again.content.decode()


def test_wrong_password_and_unknown_username_get_the_same_answer(client, personas):
    wrong_password = client.post(reverse("login"), {"username": "hwb_a", "password": "not-the-password"})
    unknown_user = Client().post(reverse("login"), {"username": "no_such_person", "password": "not-the-password"})
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert page_text(wrong_password, "hwb_a") == page_text(unknown_user, "no_such_person")
    assert "There is a problem" in wrong_password.content.decode()


def test_an_inactive_account_gets_the_same_answer_as_a_wrong_password(client, personas):
    personas.finance_a.is_active = False
    personas.finance_a.save()
    inactive = client.post(reverse("login"), {"username": "finance_a", "password": PASSWORD})
    wrong_password = Client().post(reverse("login"), {"username": "hwb_a", "password": "not-the-password"})
    assert inactive.status_code == wrong_password.status_code == 200
    assert page_text(inactive, "finance_a") == page_text(wrong_password, "hwb_a")


def test_the_reset_message_is_sent_by_the_worker_not_the_request(member, settings):
    from django_tasks_db.models import DBTaskResult

    from tests.support.worker import run_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    asked, _ = ask_for_reset(KNOWN)
    assert asked.status_code == 302 and mail.outbox == []  # queued, not sent inside the request
    assert DBTaskResult.objects.get().task_path == "bcf_dashboard.core.mail.send_email"
    run_worker()
    (sent,) = mail.outbox
    assert sent.to == [KNOWN] and "/accounts/password/reset/" in sent.body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
