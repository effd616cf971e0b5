"""The dashboards in a real browser: charts drawn by charts.js, no script errors, no sideways scroll."""

import pytest

from tests.browser.charts import draw_every_chart
from tests.browser.conftest import sign_in
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filled(personas):
    fill_area(personas.area_a, schemes=30)
    return personas


def watch_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_area_dashboard_draws_every_chart(page, live_server, filled):
    errors = watch_errors(page)
    sign_in(page, live_server, "commissioner_a", PASSWORD)
    page.goto(f"{live_server.url}/areas/E09000006/{YEAR}/")
    expected = page.locator("[data-figure]").count()
    assert expected >= 5
    assert draw_every_chart(page) == expected
    assert page.locator(".chart-drawn").count() == expected
    assert not [e for e in errors if "favicon" not in e]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/areas/E09000006/{YEAR}/",
        "/areas/E09000006/schemes/S1/",
        "/areas/E09000006/metrics/NEA/",
        "/compare/?metric=NEA",
        f"/areas/E09000006/plan/{YEAR}/expenditure/",  # 17 columns of monthly profiles: they scroll in a box
    ],
)
def test_pages_fit_a_phone(browser, live_server, filled, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    phone = context.new_page()
    errors = watch_errors(phone)
    sign_in(phone, live_server, "finance_a", PASSWORD)
    phone.goto(f"{live_server.url}{path}")
    phone.wait_for_load_state("networkidle")
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert not [e for e in errors if "favicon" not in e]
    context.close()


@pytest.mark.parametrize("path", ["/", "/upload/all-areas/"])
def test_staff_pages_fit_a_phone(browser, live_server, filled, path):
    """Staff's header holds two more links (People, Admin): it wraps rather than pushing the page wider."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-GB")
    phone = context.new_page()
    sign_in(phone, live_server, "staff", PASSWORD)
    phone.goto(f"{live_server.url}{path}")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
    assert phone.get_by_role("link", name="Admin").is_visible()
    context.close()
