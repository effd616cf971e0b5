import pytest

from tests.browser.conftest import sign_in
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_sees_their_area_and_signs_out(page, live_server, personas):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url  # every page needs a login
    sign_in(page, live_server, "hwb_a", PASSWORD)
    assert page.locator("h1").first.inner_text() != "Sign in"
    body = page.locator("main").inner_text()
    assert "Bromley" in body and "Southwark" not in body
    page.get_by_role("button", name="Sign out").click()
    assert "/accounts/login/" in page.url


def test_a_wrong_password_is_reported_without_saying_which_part_was_wrong(page, live_server, personas):
    sign_in(page, live_server, "hwb_a", "not-the-password")
    alert = page.get_by_role("alert").inner_text()
    assert "There is a problem" in alert
    assert "username" in alert.lower() and "password" in alert.lower()
