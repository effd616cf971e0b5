import pytest
from django.urls import reverse

from tests.support.personas import PASSWORD


@pytest.mark.parametrize("url", ["/", "/admin/", "/accounts/password/"])
def test_anonymous_requests_redirect_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith("/admin/login/")


def test_login_page_and_health_check_are_public(client, db):
    assert client.get(reverse("login")).status_code == 200
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_sign_in_shows_only_your_areas(client, personas):
    response = client.post(reverse("login"), {"username": "hwb_a", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bromley" in page and "Southwark" not in page


def test_wrong_password_gives_a_clear_error(client, personas):
    response = client.post(reverse("login"), {"username": "hwb_a", "password": "wrong-password!"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_password_change_enforces_twelve_characters(client, personas):
    client.force_login(personas.finance_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short-pw1", "new_password2": "short-pw1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
