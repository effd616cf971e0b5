"""plotly.js is fetched only when a chart comes near the window, and charts are drawn as they do;
printing, or a page laid out for print (the PDF renderer), draws every chart."""

import pytest

from tests.browser.conftest import sign_in
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWN = "document.querySelectorAll('.chart-drawn').length"


@pytest.fixture
def phone(browser, live_server, personas):
    fill_area(personas.area_a, schemes=4)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, "finance_a", PASSWORD)
    yield page
    context.close()


def plotly_requests(page):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "plotly" in request.url else None)
    return fetched


def test_charts_below_the_window_wait_until_it_comes_near(phone, live_server):
    fetched = plotly_requests(phone)
    phone.goto(f"{live_server.url}/areas/E09000006/{YEAR}/")
    phone.wait_for_load_state("networkidle")
    charts = phone.locator("[data-figure]")
    assert charts.count() >= 5 and charts.first.bounding_box()["y"] > 844 + 200
    assert fetched == [] and phone.evaluate(DRAWN) == 0
    # Every chart keeps the height it will be drawn at, so nothing moves when it is drawn.
    heights = [charts.nth(i).bounding_box()["height"] for i in range(charts.count())]
    charts.first.scroll_into_view_if_needed()
    charts.first.locator(".main-svg").first.wait_for(state="attached")
    assert [f.rsplit("/", 1)[-1].split(".")[0] for f in fetched] == ["plotly-basic"]
    assert phone.evaluate(DRAWN) < charts.count()
    assert charts.first.bounding_box()["height"] == heights[0]
    charts.last.scroll_into_view_if_needed()
    charts.last.locator(".main-svg").first.wait_for(state="attached")
    assert len(fetched) == 1


def test_print_draws_every_chart(phone, live_server):
    phone.goto(f"{live_server.url}/areas/E09000006/{YEAR}/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate(DRAWN) == 0
    phone.emulate_media(media="print")
    charts = phone.locator("[data-figure]").count()
    phone.locator("[data-figure]:not(.chart-drawn)").first.wait_for(state="detached")
    assert phone.evaluate(DRAWN) == charts
