"""The projection on a metric's chart in a real browser: dotted, shaded, and named in the legend."""

import os

import pytest

from tests.browser.conftest import sign_in
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filled(personas):
    fill_area(personas.area_a, schemes=4)
    return personas


def test_the_nea_chart_draws_the_projection_after_the_last_actual(page, live_server, filled):
    sign_in(page, live_server, "commissioner_a", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 2000})
    page.goto(f"{live_server.url}/areas/E09000006/{YEAR}/")
    chart = page.locator('[data-figure="figure-metric-nea"]')
    # charts.js draws a chart as it nears the window; the page's CSP allows no evaluated predicate.
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for(state="attached")
    legend = chart.locator(".legendtext").all_text_contents()
    assert "Projected" in legend and "Actual" in legend
    # The projected line is dotted (plotly writes a dash array) and the range a filled band.
    dashes = chart.locator(".scatterlayer .js-line").evaluate_all(
        "lines => lines.map(l => l.style.strokeDasharray).filter(d => d && d !== 'none')"
    )
    assert dashes, "no dotted line"
    assert chart.locator(".scatterlayer .js-fill").count() >= 1
    if os.environ.get("SCREENSHOT_DIR"):
        chart.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "nea-projection.png"))
